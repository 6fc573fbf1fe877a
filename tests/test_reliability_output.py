"""Output: one character filter for every format, Markdown and terminal text escaped on every line.

Regression tests for issue 22 (U+FFFE crashed the XLSX writer while DOCX stripped it and txt/md
kept it; a multi-line answer or reason made real Markdown headings and lists and broke a table row;
`score` and `check` printed escape sequences from the file to the terminal).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval import textsafe
from zjeval.answers import store
from zjeval.cli import app
from zjeval.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
runner = CliRunner()
HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n"
BAD = ["\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\ud800", "\x1b", "\x9b"]


@pytest.mark.parametrize("char", BAD)
@pytest.mark.parametrize("fmt", ["txt", "md", "docx", "xlsx"])
def test_non_characters_are_filtered_alike_in_every_format(
    write_yaml: Callable[..., Path], tmp_path: Path, char: str, fmt: str
) -> None:
    escaped = char.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    path = write_yaml(HEAD + f'  unit_name: "单位{escaped}名"\n  lead_text: "导语{escaped}正文"\n')
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["render", str(path), "--draft", "-o", str(out)])
    if char == "\ud800":  # a lone surrogate is no character at all: the file's error, with its line
        assert result.exit_code == ExitCode.BAD_ANSWERS and f"{path}:5" in result.stderr
        return
    assert result.exit_code == 0, (result.stderr, result.exception)
    data = out.read_bytes()
    if fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    else:
        text = data.decode("utf-8")
    if fmt != "xlsx":  # (the workbook holds the attachments only)
        assert "单位名" in text and "导语正文" in text
    assert textsafe.clean(text) == text.replace("\x0c", "")  # nothing the filter would remove


def test_a_non_character_in_a_form_text_is_filtered(tmp_path: Path) -> None:
    form = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    form = form.replace('年度部门整体支出绩效自评数据表"', '年度部门整体支出绩效自评\\uFFFE数据表"')
    form = form.replace('title: "{unit_name}{year}年度', 'title: "{unit_name}\\uFFFF{year}年度')
    assert "\\uFFFE" in form and "\\uFFFF" in form
    form_path = tmp_path / "zj.yaml"
    form_path.write_text(form, encoding="utf-8")
    answers = tmp_path / "2019.yaml"
    answers.write_text(HEAD + "  unit_name: 单位\n", encoding="utf-8")
    for fmt in ("txt", "md", "docx", "xlsx"):
        out = tmp_path / f"o.{fmt}"
        result = runner.invoke(
            app, ["render", str(answers), "--draft", "-o", str(out), "--form", str(form_path)]
        )
        assert result.exit_code == 0, (fmt, result.stderr, result.exception)
        assert "\ufffe".encode() not in out.read_bytes() and "\uffff".encode() not in out.read_bytes()


INJECTED = "第一行\n# 注入的标题\n- 注入的列表\n1. 注入的编号\n> 注入的引用"


def _injected(tmp_path: Path) -> Path:
    form, answers = store.load(DEMO)
    answers.set("lead_text", INJECTED)
    answers.set("asset_safety__reason", "理由第一行\n# 注入 | 单元格\n- 注入")
    answers.overrides["asset_safety"] = {"score": 0.75, "reason": "调整\n# 注入的理由 | 单元格"}
    path = tmp_path / "2024.yaml"
    store.save(path, form, answers)
    return path


def test_markdown_escapes_every_line_of_user_text(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(_injected(tmp_path)), "-t", "md"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert not [x for x in lines if x.startswith(("#", "- ", "1. ", ">")) and "注入" in x]
    header = next(x for x in lines if x.startswith("| ") and "扣分原因" in x)
    for row in [x for x in lines if "注入" in x and x.startswith("|")]:
        assert row.endswith("|") and row.replace("\\|", "").count("|") == header.count("|"), row
    assert not [x for x in lines if "注入" in x and not x.startswith("|") and "| " in x.replace("\\|", "")]


def test_terminal_output_carries_no_escape_sequence(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(
        HEAD + '  unit_name: 单位\n  "\\e[31m红\\e]0;title\\a": 1\n'
        'overrides:\n  asset_safety: {score: 0.5, reason: "理由\\e[2J清屏\\x9b1m"}\n'
    )
    for args in (["check", str(path)], ["score", str(path)], ["check", str(path), "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code in (ExitCode.OK, ExitCode.INCOMPLETE), (args, result.stderr)
        output = result.stdout + result.stderr
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output, args
    assert "红" in runner.invoke(app, ["check", str(path)]).stdout
