"""A form kept outside the package: the answers file names it by path (relative to itself), every
command finds it again without --form, and a --form naming another form is refused (issue 17.3)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.form import loader

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Path(__file__).parent / "fixtures" / "project-2025.yaml"
runner = CliRunner()


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """forms/my.yaml (a copy of the project form, its own id), its framework and the fragment it
    includes, outside the package; answers/2025.yaml naming it as ../forms/my.yaml."""
    forms = tmp_path / "forms"
    (forms / "frameworks").mkdir(parents=True)
    text = (ROOT / "forms" / "project.yaml").read_text(encoding="utf-8")
    (forms / "my.yaml").write_text(
        text.replace("id: project\n", "id: my_project\n", 1).replace("framework: project", "framework: mine"),
        encoding="utf-8",
    )
    shutil.copy(ROOT / "forms" / "frameworks" / "project.yaml", forms / "frameworks" / "mine.yaml")
    shutil.copytree(ROOT / "forms" / "fragments", forms / "fragments")  # its include
    answers = tmp_path / "answers"
    answers.mkdir()
    path = answers / "2025.yaml"
    path.write_text(
        PROJECT.read_text(encoding="utf-8").replace("form: project\n", "form: ../forms/my.yaml\n"),
        encoding="utf-8",
    )
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_check_score_and_render_find_the_form_from_the_answers_file(outside: Path, tmp_path: Path) -> None:
    code, out = run("check", str(outside))
    assert code == 0, out
    code, out = run("score", str(outside), "--json")
    assert code == 0 and json.loads(out)["total"] == "88.21", out
    code, out = run("render", str(outside), "-o", str(tmp_path / "p.xlsx"))
    assert code == 0, out
    form, _ = store.load(outside)
    assert form.id == "my_project" and form.source == (tmp_path / "forms" / "my.yaml").resolve()


def test_the_file_keeps_the_relative_path_when_saved(outside: Path, tmp_path: Path) -> None:
    form, answers = store.load(outside)
    moved = tmp_path / "answers" / "copy.yaml"
    store.save(moved, form, answers)
    assert "\nform: ../forms/my.yaml\n" in moved.read_text(encoding="utf-8")
    # a new file for a form given by path remembers that path, relative to itself
    fresh = tmp_path / "elsewhere" / "2026.yaml"
    fresh.parent.mkdir()
    form, answers = store.open_or_create(fresh, 2026, str(tmp_path / "forms" / "my.yaml"))
    store.save(fresh, form, answers)
    assert "\nform: ../forms/my.yaml\n" in fresh.read_text(encoding="utf-8")
    assert store.load(fresh)[0].id == "my_project"


def test_a_contradicting_form_option_is_refused(outside: Path) -> None:
    code, out = run("check", str(outside), "--form", "target")
    assert code == 2
    assert "用的是表单 ../forms/my.yaml(ID my_project),与 --form target(ID target)不同" in out
    assert "去掉 --form" in out


def test_the_same_form_named_again_is_accepted(outside: Path, tmp_path: Path) -> None:
    code, out = run("check", str(outside), "--form", str(tmp_path / "forms" / "my.yaml"))
    assert code == 0, out


def test_built_in_names_before_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "target").mkdir()  # a folder named like a built-in form does not shadow it
    assert loader.resolve("target") == loader.builtin_dir() / "target.yaml"
    assert not loader.looks_like_path("target") and loader.looks_like_path("my.yaml")
    assert loader.looks_like_path("forms/target")


def test_a_missing_form_path_names_the_line(outside: Path) -> None:
    outside.write_text(
        outside.read_text(encoding="utf-8").replace("../forms/my.yaml", "../forms/gone.yaml"),
        encoding="utf-8",
    )
    code, out = run("check", str(outside))
    assert code == 3
    assert f"{outside}:2 form: 找不到表单文件" in out and "gone.yaml" in out
