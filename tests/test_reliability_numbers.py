"""Numbers and values: YAML 1.2 rules, bounded exponents, messages in Chinese with the value as written.

Regression tests for issue 14 ("Numbers read the YAML 1.1 way", the English and repr messages,
`zjeval: 99` accepted). Each failed before yamlio read scalars by YAML 1.2's rules.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.answers import store, yamlio
from zjeval.cli import app
from zjeval.errors import AnswersError, ExitCode

runner = CliRunner()
HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n"


def check_json(path: Path) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def problem(data: dict[str, object], qid: str) -> dict[str, object]:
    found = [p for p in data["problems"] if p["qid"] == qid]  # type: ignore[union-attr]
    assert found, data
    return found[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2:00", "含冒号"),  # YAML 1.1: 120 (base 60)
        ("0120", "以 0 开头"),  # YAML 1.1: 80 (octal)
        ("0x10", "十六进制"),  # YAML 1.1: 16
        ("1_000", "下划线"),
        (".inf", "有限的数字"),
        ("1:30.5", "含冒号"),
    ],
)
def test_yaml_11_numbers_are_problems_with_their_line(write_yaml, written: str, why: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  unit_name: 单位\n  income_other: " + written + "\n")
    code, data = check_json(path)
    assert code == ExitCode.INCOMPLETE
    p = problem(data, "income_other")
    assert p["line"] == 6
    assert f"「{written}」" in str(p["message"]) and why in str(p["message"])
    _, answers = store.load(path)
    assert answers.get("income_other") is None
    assert answers.invalid["income_other"].raw == written  # kept as written


def test_a_text_answer_written_like_a_1_1_number_keeps_its_text(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  unit_name: 0120\n  unit_nature: yes\n")
    _, answers = store.load(path)
    assert answers.get("unit_name") == "0120"  # not 80
    assert answers.get("unit_nature") == "yes"  # not True


def test_plain_numbers_still_read_exactly() -> None:
    data, _ = yamlio.parse("a: 12552.67\nb: 0\nc: -5\nd: 1.5e+3\ne: true\nf: 2019\n")
    assert data == {"a": Decimal("12552.67"), "b": 0, "c": -5, "d": Decimal("1.5e+3"), "e": True, "f": 2019}


@pytest.mark.parametrize("figure", ["1.0e-999999999", "1.0e-90", "1.0e+999999999"])
def test_exponents_are_bounded(write_yaml, figure: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  income_other: " + figure + "\n")
    code, data = check_json(path)
    assert code == ExitCode.INCOMPLETE
    assert "位数过多" in str(problem(data, "income_other")["message"])
    draft = runner.invoke(app, ["render", str(path), "--draft"])
    assert draft.exit_code == 0 and len(draft.stdout) < 200_000


def test_an_integer_of_5000_digits_is_a_chinese_problem(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  income_other: " + "9" * 5000 + "\n")
    code, data = check_json(path)
    assert code == ExitCode.INCOMPLETE
    message = str(problem(data, "income_other")["message"])
    assert "位数过多" in message and "Exceeds" not in message and "digits)" not in message


def test_a_year_is_shown_as_written_not_as_a_python_repr(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml("zjeval: 1\nform: zhanjiang\nyear: 2024.0\nanswers: {}\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.BAD_ANSWERS
    assert "(现为 2024.0)" in result.stderr
    assert "Decimal(" not in result.stderr and "'" not in result.stderr.split("现为")[1]


def test_no_python_exception_names_in_value_messages(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  income_other: .nan\n  income_total: -.inf\n")
    result = runner.invoke(app, ["check", str(path)])
    assert "ConversionSyntax" not in result.stdout + result.stderr
    assert "decimal" not in (result.stdout + result.stderr).lower()


@pytest.mark.parametrize("version", ["99", "2"])
def test_a_newer_format_version_is_refused(write_yaml, version: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(f"zjeval: {version}\nform: zhanjiang\nyear: 2019\nanswers: {{}}\n")
    with pytest.raises(AnswersError) as info:
        store.load(path)
    assert f"{path}:1 " in info.value.message and f"格式版本为 {version}" in info.value.message
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.BAD_ANSWERS


@pytest.mark.parametrize("version", ["abc", "0", "true", "1.5"])
def test_a_version_that_is_no_version_is_refused(write_yaml, version: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(f"form: zhanjiang\nyear: 2019\nzjeval: {version}\nanswers: {{}}\n")
    with pytest.raises(AnswersError) as info:
        store.load(path)
    assert f"{path}:3 zjeval:" in info.value.message


def test_a_file_without_a_version_is_read_as_version_1(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml("form: zhanjiang\nyear: 2019\nanswers: {}\n")
    _, answers = store.load(path)
    assert answers.year == 2019


def test_an_invalid_value_is_shown_as_written_beside_what_it_should_be(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  income_total: 一万二\n  income_other: 12.5.3\n")
    _, data = check_json(path)
    assert str(problem(data, "income_total")["message"]).endswith(
        "「一万二」:应为金额(万元),例如 12552.67 或 125526700元"
    )
    assert "「12.5.3」:应为金额" in str(problem(data, "income_other")["message"])


@pytest.mark.parametrize(
    ("text", "line", "meaning"),
    [
        ("a: b: c\n", 1, "文字中有冒号"),
        ("a:\n\tb: 1\n", 2, "Tab"),
        ("a: [1, 2\n", 2, "方括号"),
        ("a: 'x\n", 1, "引号"),
        ("a: *x\n", 1, "锚点"),
        ("a: 1\n--- 2\n", 2, "一个文档"),
        ("a: 1\nb: \x01\n", 2, "控制字符"),
        ("a:\n  b: 1\n c: 2\n", 3, "缩进"),
    ],
)
def test_yaml_syntax_errors_are_explained_in_chinese(text: str, line: int, meaning: str) -> None:
    with pytest.raises(yamlio.YamlSyntaxError) as info:
        yamlio.parse(text)
    assert info.value.line == line
    assert meaning in info.value.message
    english = {w for w in re.findall(r"[A-Za-z]{3,}", info.value.message)} - {"YAML", "Tab"}
    assert not english, info.value.message


def test_a_newer_version_is_named_before_its_unknown_keys(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml("zjeval: 2\nform: zhanjiang\nyear: 2019\nattachments: []\nanswers: {}\n")
    with pytest.raises(AnswersError) as info:
        store.load(path)
    assert "格式版本为 2" in info.value.message
