"""Limits: depth and size checked before anything recurses; control characters handled alike everywhere.

Regression tests for issue 14 (a 500-998-deep answer gave a RecursionError; control characters
crashed the XLSX writer while DOCX stripped them).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval import yamlio
from zjeval.answers import store
from zjeval.cli import app
from zjeval.errors import ExitCode
from zjeval.report import build, clean
from zjeval.report import render as renderers

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
runner = CliRunner()
HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n"
# (the text format's own page break before an attachment, \f, is the renderer's and allowed)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("depth", [60, 500, 700, 998])
def test_a_deeply_nested_flow_answer_is_a_chinese_error(write_yaml, depth: int) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  team: " + "[" * depth + "]" * depth + "\n")
    for args in (["check", str(path)], ["render", str(path), "--draft"], ["score", str(path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.BAD_ANSWERS, (args, result.exception)
        assert f"{path}:5" in result.stderr or f"{path}:1" in result.stderr, result.stderr
        assert "嵌套层数过多" in result.stderr or "YAML 格式错误" in result.stderr
        assert "Recursion" not in result.stderr


@pytest.mark.parametrize("depth", [60, 500, 998])
def test_a_deeply_nested_block_answer_is_a_chinese_error(write_yaml, depth: int) -> None:  # type: ignore[no-untyped-def]
    nested = "".join(" " * (2 + 2 * i) + f"k{i}:\n" for i in range(depth)) + " " * (2 + 2 * depth) + "x\n"
    path = write_yaml(HEAD + nested)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.BAD_ANSWERS, result.exception
    assert "嵌套层数过多" in result.stderr
    assert "Recursion" not in result.stderr


def test_depth_is_checked_before_building() -> None:
    text = "a: " + "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1)
    with pytest.raises(yamlio.YamlSyntaxError) as info:
        yamlio.parse(text)
    assert "嵌套层数过多" in info.value.message
    ok = "a: " + "[" * (yamlio.MAX_DEPTH - 2) + "]" * (yamlio.MAX_DEPTH - 2)
    assert yamlio.parse(ok)[0] is not None


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "2019.yaml"
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD + "  unit_name: 单位\n")
        f.write("# " + "x" * (yamlio.MAX_BYTES + 10) + "\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.BAD_ANSWERS
    assert "文件过大" in result.stderr


def _with_control_characters(tmp_path: Path) -> Path:
    text = DEMO.read_text(encoding="utf-8")
    dirty = '  unit_name: "湛江\\x01市\\x1b[31m科学\\x7f技术局\\x0b"'
    text = re.sub(r"(?m)^  unit_name: .*$", lambda _: dirty, text)
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _texts(data: str | bytes) -> str:
    """The text of an output: itself, or every XML part of a DOCX/XLSX zip."""
    if isinstance(data, str):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("fmt", ["txt", "md", "docx", "xlsx"])
def test_control_characters_in_an_answer_are_removed_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = _with_control_characters(tmp_path)
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = _texts(out.read_bytes() if fmt in ("docx", "xlsx") else out.read_text(encoding="utf-8"))
    assert "湛江市[31m科学技术局" in text.replace("\\[", "[")  # (Markdown escapes the bracket)
    assert not CONTROL.search(text)


def test_control_characters_are_removed_from_answers_when_read(tmp_path: Path) -> None:
    _, answers = store.load(_with_control_characters(tmp_path))
    assert answers.get("unit_name") == "湛江市[31m科学技术局"
    check = runner.invoke(app, ["check", str(tmp_path / "2024.yaml")])
    assert check.exit_code == 0, check.stdout


@pytest.mark.parametrize("name", ["text", "md", "docx", "xlsx"])
def test_control_characters_from_elsewhere_are_removed_before_every_renderer(name: str) -> None:
    """Text that does not come from an answer (a form's own words) is cleaned once, for all formats."""
    form, answers = store.load(DEMO)
    document = build.build(form, answers)
    dirty = dataclasses.replace(
        document, title=document.title + "\x01\x1b附\x08录", signature_unit="单\x00位"
    )
    data = renderers.pick(name, Path(f"r.{name}")).render(clean.report(dirty))
    text = _texts(data)
    assert not CONTROL.search(text)
    assert "附录" in text


# ---------------------------------------------------------------- round three (issue 22)
# Alias expansion bounded before the data is used; merge keys read by our own builder.


def laughs(depth: int = 9, width: int = 10) -> tuple[str, str]:
    """(anchors, the last alias): nested aliases that expand to width**depth strings."""
    lines = ["x0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, depth):
        lines.append(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines), f"*a{depth - 1}"


@pytest.mark.parametrize(
    "where",
    [
        "sources:\n  unit_name: {alias}\n",
        "overrides:\n  asset_safety: {{score: 0.5, reason: {alias}}}\n",
        "  team: {alias}\n",
        "  duties: {alias}\n",
        "provenance:\n  unit_name: {alias}\n",
        "  lead_text: {alias}\n",
        "  unknown_key: {alias}\n",
    ],
)
def test_billion_laughs_anywhere_is_refused_with_its_line(write_yaml, where: str) -> None:  # type: ignore[no-untyped-def]
    """Under sources: or an override reason, check ran 40 s and died at 2.9 GB."""
    anchors, alias = laughs()
    # the anchors sit under answers (keys no question has are kept, so the file is valid without them)
    body = HEAD + "".join(f"  {x}\n" for x in anchors.splitlines())
    path = write_yaml(body + where.format(alias=alias))
    for args in (["check", str(path)], ["score", str(path)], ["render", str(path), "--draft"]):
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.BAD_ANSWERS, (args, result.stderr, result.exception)
        assert "展开后的内容过多" in result.stderr and f"{path}:" in result.stderr


def test_small_aliases_are_still_read(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  duties: &d [拟订规划, 组织实施]\n  key_tasks: *d\n")
    _, answers = store.load(path)
    assert answers.strings("key_tasks") == ["拟订规划", "组织实施"]


def test_a_nested_source_is_an_error_not_a_python_repr(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(
        "zjeval: 1\nform: zhanjiang\nyear: 2019\nsources:\n  unit_name: [a, {b: c}]\nanswers: {}\n"
    )
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.BAD_ANSWERS and f"{path}:4" in result.stderr


def test_merge_keys_keep_duplicate_detection_and_lines() -> None:
    data, lines = yamlio.parse("base: &b {p: 1, q: 2}\nm:\n  <<: *b\n  q: 3\n  r: 4\n")
    assert isinstance(data, dict) and data["m"] == {"p": 1, "q": 3, "r": 4}
    assert lines[("m", "q")] == 4 and lines[("m", "r")] == 5 and lines[("m", "p")] == 3
    with pytest.raises(yamlio.YamlSyntaxError) as info:
        yamlio.parse("base: &b {p: 1}\nm:\n  <<: *b\n  r: 3\n  r: 4\n")
    assert info.value.line == 5 and "重复" in info.value.message


def test_merge_keys_in_an_answers_file_report_duplicates_with_their_line(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(
        "zjeval: 1\nform: zhanjiang\nyear: 2019\nx: &common {unit_name: 甲}\n"
        "answers:\n  <<: *common\n  unit_nature: 行政单位\n  unit_nature: 事业单位\n"
    )
    result = runner.invoke(app, ["check", str(path)])
    assert (
        result.exit_code == ExitCode.BAD_ANSWERS and f"{path}:8" in result.stderr and "重复" in result.stderr
    )


@pytest.mark.parametrize("key", ["~", "null", "true", "False"])
def test_keys_are_read_as_the_text_written(key: str) -> None:
    data, _ = yamlio.parse(f"{key}: 1\n")
    assert data == {key: 1}
