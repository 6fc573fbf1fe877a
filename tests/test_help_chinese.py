"""`--help` in Chinese to the letter, wrapped by display width (issue 18 item 9, issue 23)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.helptext import cells, wrap

runner = CliRunner()
COMMANDS = ["new", "check", "score", "import", "diff", "render", "table", "forms"]
ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[required]", "[default", "<str>")


@pytest.mark.parametrize("args", [[], *([c] for c in COMMANDS)])
def test_help_is_chinese_and_fits_80_columns(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法:")
    for word in ENGLISH:
        assert word not in result.output, (word, result.output)
    for line in result.output.splitlines():
        assert cells(line) <= 80, line


@pytest.mark.parametrize(
    ("command", "usage"),
    [("check", "[选项] [YEAR|FILE|GLOB]..."), ("render", "[选项] [YEAR|FILE]"), ("new", "[选项] YEAR")],
)
def test_usage_lines_have_balanced_brackets(command: str, usage: str) -> None:
    out = runner.invoke(app, [command, "--help"]).output
    first = out.splitlines()[0]
    assert first.endswith(f"{command} {usage}"), first


def test_render_format_option_lists_every_format() -> None:
    from zjeval.report.render import FORMATS

    out = runner.invoke(app, ["render", "--help"], terminal_width=80).output
    for name in FORMATS:
        assert re.search(rf"\b{name}\b", out), name


def test_wrapping_keeps_words_and_punctuation() -> None:
    lines = wrap("LAST 为年度(如 2019)或答案文件路径,报告生成(render)。", 12)
    assert all(cells(line) <= 12 or line.endswith(("。", ",")) for line in lines)
    assert not any(line.startswith(("。", ",", ")")) for line in lines)
    assert not any(line.endswith("(") for line in lines)
    assert "LAST" in "".join(lines) and "render" in "".join(lines)


def test_no_private_typer_import() -> None:
    root = Path(__file__).resolve().parent.parent / "zjeval"
    assert not [p for p in root.rglob("*.py") if "typer._click" in p.read_text(encoding="utf-8")]


def test_check_of_several_files_into_a_pipe_draws_no_table(tmp_path: Path) -> None:
    """Issue 18 item 11: one line per problem, as a single file's check writes them."""
    import shutil

    examples = Path(__file__).resolve().parent.parent / "answers" / "examples"
    for name in ("2019-湛江市科学技术局.yaml", "2024-示例数据.yaml"):
        shutil.copy(examples / name, tmp_path / name)
    result = runner.invoke(app, ["check", str(tmp_path / "*.yaml")])
    assert result.exit_code == 1
    assert not any(c in result.output for c in "┏┃━│")
    assert "2019-湛江市科学技术局.yaml:" in result.output and ": 错误: " in result.output
    assert "1 个已完整,1 个尚不完整" in result.output
