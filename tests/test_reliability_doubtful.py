"""The doubtful cases of issue 22, decided (the README's 「退出码和对文件的保证」 says what is promised):
a closed pipe is quiet and keeps the command's exit code; a full device names the stream; tags
zjeval could not write back are refused when read; numbers given as text keep their plain form;
cyclic when: conditions are a form error; a link into a missing folder is refused.
(CSV line ends and long fields: test_reliability_import.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.answers import files, store
from zjeval.cli import app
from zjeval.errors import ExitCode, StorageError

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
SEED = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini_form.yaml"
runner = CliRunner()
HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n"


def piped_into_true(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """`zjeval ARGS | true`: the reader closes the pipe without reading."""
    r, w = os.pipe()
    os.close(r)
    try:
        return subprocess.run(
            [sys.executable, "-m", "zjeval", *args], stdout=w, stderr=subprocess.PIPE, check=False
        )
    finally:
        os.close(w)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["render", str(DEMO)], ExitCode.OK),
        (["render", str(DEMO), "-t", "md"], ExitCode.OK),
        (["check", str(SEED)], ExitCode.INCOMPLETE),
        (["check", str(SEED), "--json"], ExitCode.INCOMPLETE),
        (["score", str(DEMO)], ExitCode.OK),
    ],
)
def test_a_closed_pipe_is_quiet_and_keeps_the_exit_code(args: list[str], code: int) -> None:
    done = piped_into_true(args)
    assert done.returncode == code, done.stderr.decode()
    assert done.stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["render", str(DEMO)], ["check", str(DEMO), "--json"]])
def test_standard_output_on_a_full_device_is_named(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "zjeval", *args], stdout=full, stderr=subprocess.PIPE, check=False
        )
    assert done.returncode == ExitCode.IO
    assert "无法写入 标准输出:磁盘空间不足" in done.stderr.decode()


@pytest.mark.parametrize(
    "tagged", ["!!omap [a: 1]", "!!set {a}", "!!binary aGVsbG8=", "!!pairs [a: 1]", "!mine x"]
)
def test_tags_zjeval_cannot_write_back_are_refused_with_their_line(write_yaml, tagged: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + f"  unit_name: 单位\n  duties: {tagged}\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.BAD_ANSWERS, result.stderr
    assert f"{path}:6" in result.stderr and "不支持的标签" in result.stderr


def test_keys_written_as_null_or_true_are_saved_back_as_text(write_yaml) -> None:  # type: ignore[no-untyped-def]
    for head in ("", "# 注释\n"):
        path = write_yaml(head + HEAD + "  unit_name: 单位\n  ~: 甲\n  true: 乙\n")
        form, answers = store.load(path)
        assert answers.unknown == {"~": "甲", "true": "乙"}
        answers.set("unit_nature", "行政单位")
        store.save(path, form, answers)
        assert "None" not in path.read_text(encoding="utf-8") and "True" not in path.read_text(
            encoding="utf-8"
        )
        assert store.load(path)[1].unknown == {"~": "甲", "true": "乙"}


@pytest.mark.parametrize(("written", "text"), [("0.0000001", "0.0000001"), ("1.50", "1.50"), ("12", "12")])
def test_a_number_given_as_text_keeps_its_plain_form(write_yaml, written: str, text: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + f"  unit_name: {written}\n  duties: [{written}]\n")
    _, answers = store.load(path)
    assert answers.get("unit_name") == text and answers.strings("duties") == [text]


def test_cyclic_when_conditions_are_a_form_error(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace(
        "        choices: [一致, 不一致]\n",
        "        choices: [一致, 不一致]\n        when: {field: reason, equals: 有}\n",
    )
    form = tmp_path / "form.yaml"
    form.write_text(text, encoding="utf-8")
    answers = tmp_path / "2019.yaml"
    answers.write_text("zjeval: 1\nform: mini\nyear: 2019\nanswers: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(answers), "--form", str(form)])
    assert result.exit_code == ExitCode.BAD_FORM, result.output
    assert "构成循环" in result.output and "consistent → reason → consistent" in result.output
    assert f"{form}:" in result.output


def test_a_link_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "report.txt"
    link.symlink_to(tmp_path / "nowhere" / "deeper" / "report.txt")
    with pytest.raises(StorageError) as info:
        files.write_atomic(link, "内容\n")
    assert "符号链接" in info.value.message and "目录不存在" in info.value.message
    assert not (tmp_path / "nowhere").exists()
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(link), "--force"])
    assert result.exit_code == ExitCode.IO and not (tmp_path / "nowhere").exists()


def test_a_new_output_path_still_gets_its_folders(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder" / "report.txt"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0 and out.is_file()
