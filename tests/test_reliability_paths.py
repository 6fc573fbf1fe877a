"""Paths and globs: a pattern that names no answers file is an error; OS errors on paths are Chinese.

Regression tests for issue 14 ("A check that passes by checking something else", the
300-character file name that gave a traceback in every command).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
runner = CliRunner()
LONG = "长" * 100 + "x" * 200  # 500 bytes in UTF-8: longer than any file system allows in one name


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a complete answers/2024.yaml (what a wrong fallback would check) and d/notes.md."""
    (tmp_path / "answers").mkdir()
    shutil.copy(DEMO, tmp_path / "answers" / "2024.yaml")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.md").write_text("笔记\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("as_json", [False, True])
def test_a_glob_that_matches_no_answers_file_is_an_error(project: Path, as_json: bool) -> None:
    result = runner.invoke(app, ["check", "d/*", *(["--json"] if as_json else [])])
    assert result.exit_code == ExitCode.BAD_ANSWERS, result.stdout
    assert "没有与 d/* 匹配的答案文件" in result.stderr
    assert "complete" not in result.stdout  # answers/2024.yaml was not checked instead


def test_a_glob_that_matches_nothing_at_all_is_an_error(project: Path) -> None:
    result = runner.invoke(app, ["check", "nowhere/*.yaml"])
    assert result.exit_code == ExitCode.BAD_ANSWERS
    assert "没有与 nowhere/*.yaml 匹配的答案文件" in result.stderr


def test_a_glob_with_answers_still_checks_them(project: Path) -> None:
    result = runner.invoke(app, ["check", "answers/*.yaml", "--json"])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["complete"] is True


@pytest.mark.parametrize(
    "args",
    [
        ["check", f"{LONG}.yaml"],
        ["check", f"{LONG}.yaml", "--json"],
        ["score", f"{LONG}.yaml"],
        ["render", f"{LONG}.yaml"],
        ["diff", f"{LONG}.yaml", str(DEMO)],
        ["render", str(DEMO), "-o", f"{LONG}.txt"],
        ["import", f"{LONG}.txt", "--year", "2019"],
        [
            "import",
            str(ROOT / "tests" / "fixtures" / "import" / "markdown.md"),
            "--year",
            "2019",
            "-o",
            f"{LONG}.yaml",
        ],
        ["check", "--dir", LONG],
    ],
)
def test_an_overlong_name_is_a_chinese_error_in_every_command(project: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (ExitCode.IO, ExitCode.BAD_ANSWERS), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "文件名或路径过长" in result.stderr or "找不到" in result.stderr or "没有答案文件" in result.stderr
    assert "Errno" not in result.stderr and "File name too long" not in result.stderr


def test_a_path_through_a_file_is_a_chinese_error(project: Path) -> None:
    result = runner.invoke(app, ["render", str(DEMO), "-o", "d/notes.md/report.txt"])
    assert result.exit_code == ExitCode.IO, result.stderr
    assert "路径中有一段不是目录" in result.stderr or "无法创建目录" in result.stderr


# ---------------------------------------------------------------- round three (issue 22)
# A built-in form's name is a name; only what looks like a path (a folder separator, or .yaml/.yml
# at the end) is read as a file.


def test_a_build_folder_named_target_does_not_hide_the_target_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "target").mkdir()  # a build folder, as many projects have
    shutil.copy(ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml", tmp_path / "2025.yaml")
    for args in (["check", "2025.yaml"], ["score", "2025.yaml"], ["check", "2025.yaml", "--form", "target"]):
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.OK, (args, result.stderr)


def test_a_file_named_like_a_form_is_not_loaded_as_the_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zhanjiang").write_text("id: zhanjiang\nname: 别的东西\nsections: []\n", encoding="utf-8")
    shutil.copy(DEMO, tmp_path / "2024.yaml")
    result = runner.invoke(app, ["check", "2024.yaml"])
    assert result.exit_code == ExitCode.OK, result.stderr


def test_what_looks_like_a_path_is_still_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "forms").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "mini_form.yaml", tmp_path / "forms" / "mini")
    shutil.copy(ROOT / "tests" / "fixtures" / "mini_form.yaml", tmp_path / "mini.YAML")
    (tmp_path / "2019.yaml").write_text("zjeval: 1\nform: mini\nyear: 2019\nanswers: {}\n", encoding="utf-8")
    for form in ("forms/mini", "./mini.YAML", str(tmp_path / "forms" / "mini")):
        result = runner.invoke(app, ["check", "2019.yaml", "--form", form])
        assert result.exit_code == ExitCode.INCOMPLETE, (form, result.stderr)
    missing = runner.invoke(app, ["check", "2019.yaml", "--form", "mini"])
    assert missing.exit_code != 0 and "没有名为 mini 的内置表单" in missing.stderr
    assert "./" in missing.stderr  # the hint says how to name a file
