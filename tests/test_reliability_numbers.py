"""Numbers and values: YAML 1.2 rules, bounded exponents, messages in Chinese with the value as written.

Regression tests for issue 14 ("Numbers read the YAML 1.1 way", the English and repr messages,
`zjeval: 99` accepted). Each failed before yamlio read scalars by YAML 1.2's rules.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import cast

import pytest
from typer.testing import CliRunner

from zjeval import yamlio
from zjeval.answers import store
from zjeval.cli import app
from zjeval.errors import AnswersError, ExitCode

runner = CliRunner()
HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n"


def check_json(path: Path) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def problems_of(data: dict[str, object]) -> list[dict[str, object]]:
    """`zjeval check --json`'s problems."""
    return cast("list[dict[str, object]]", data["problems"])


def problem(data: dict[str, object], qid: str) -> dict[str, object]:
    found = [p for p in problems_of(data) if p["qid"] == qid]
    assert found, data
    return found[0]


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


# ---------------------------------------------------------------- round three (issue 22)
# One digit test (ASCII 0-9, after full-width forms become ASCII), saves that write back any value
# that was read, no silent misreads, one year test for import and check.

TARGET_HEAD = "zjeval: 1\nform: target\nyear: 2025\nanswers:\n"
TABLES = Path(__file__).parent / "fixtures" / "tables"


@pytest.mark.parametrize("year", ["²⁰²⁴", "٢٠٢٤", "2⁰24"])
def test_superscript_and_other_digits_in_a_year_are_chinese_errors(write_yaml, year: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(f'zjeval: 1\nform: zhanjiang\nyear: "{year}"\nanswers:\n  unit_name: 单位\n')
    for args in (["check", str(path)], ["render", str(path), "--draft"], ["score", str(path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.BAD_ANSWERS, (args, result.stderr)
        assert "年度应为四位数字" in result.stderr and f"{path}:3" in result.stderr


@pytest.mark.parametrize("args", [["check", "²⁰²⁴"], ["render", "²⁰²⁴"], ["table", "x.csv", "²⁰²⁴"]])
def test_superscript_digits_as_a_year_argument_are_chinese_errors(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code not in (0, ExitCode.INTERNAL), result.stderr
    assert "内部错误" not in result.stderr and "²⁰²⁴" in result.stderr


@pytest.mark.parametrize(
    ("written", "qid"),
    [("17²", "income_other"), ("'4,5'", "staff_quota"), ("'1,2,3'", "staff_quota"), ("'①'", "staff_quota")],
)
def test_no_silent_misread_of_a_number(write_yaml, written: str, qid: str) -> None:  # type: ignore[no-untyped-def]
    """'17²' was read as 172 (NFKC), an integer '4,5' as 45: both are problems now."""
    path = write_yaml(HEAD + f"  unit_name: 单位\n  {qid}: {written}\n")
    code, data = check_json(path)
    assert code == ExitCode.INCOMPLETE
    assert "应为" in str(problem(data, qid)["message"])
    _, answers = store.load(path)
    assert answers.get(qid) is None


def test_full_width_digits_are_still_read_and_grouped_integers_too(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(
        HEAD + "  income_other: １２５５２．６７\n  staff_quota: '1,200'\n  staff_in_post: ８人\n"
    )
    _, answers = store.load(path)
    assert answers.get("income_other") == Decimal("12552.67")
    assert answers.get("staff_quota") == 1200 and answers.get("staff_in_post") == 8


def test_negative_zero_is_zero(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + "  income_other: -0.0\n")
    _, answers = store.load(path)
    assert str(answers.get("income_other")) == "0.0"
    draft = runner.invoke(app, ["render", str(path), "--draft"])
    assert "-0" not in draft.stdout


def test_a_negative_target_gets_no_marks_and_a_word(write_yaml) -> None:  # type: ignore[no-untyped-def]
    row = (
        "  indicators:\n  - {level1: 产出指标, level2: 数量指标, name: 完成数, nature: ≥, target: '-98',"
        " unit: 个, actual: '50', weight: 10}\n"
    )
    path = write_yaml(TARGET_HEAD + row, name="2025.yaml")
    code, data = check_json(path)
    assert code == ExitCode.INCOMPLETE
    messages = [str(p["message"]) for p in problems_of(data)]
    assert any("不能为负数" in m and "-98" in m for m in messages), messages
    score = runner.invoke(app, ["score", str(path)])
    assert "10.00" not in score.stdout.split("完成数")[1].splitlines()[0]


@pytest.mark.parametrize("written", ["0x10", "017", "2:00", "1_000", ".inf", "1" + "0" * 120])
def test_a_rejected_number_is_saved_back_as_written(write_yaml, written: str) -> None:  # type: ignore[no-untyped-def]
    """`zjeval new` saves after every answer: a number check rightly reports made every save crash."""
    for head in ("", "# 我自己的注释\n"):  # the canonical layout and the comment-keeping one
        path = write_yaml(head + HEAD + f"  unit_name: 单位\n  staff_quota: {written}\n")
        form, answers = store.load(path)
        answers.set("unit_nature", "行政单位")  # what one answer in the interview does
        store.save(path, form, answers)
        assert f"staff_quota: {written}\n" in path.read_text(encoding="utf-8")
        _, again = store.load(path)
        assert again.get("unit_nature") == "行政单位"
        assert again.invalid["staff_quota"].raw == written


def test_table_on_a_file_with_a_rejected_number_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "2025.yaml"
    path.write_text(TARGET_HEAD + "  staff_quota: 0x10\n", encoding="utf-8")
    result = runner.invoke(app, ["table", str(TABLES / "申报表-一体化系统.xlsx"), str(path)])
    assert result.exit_code == 0, result.stderr
    assert "staff_quota: 0x10\n" in path.read_text(encoding="utf-8")


def test_an_imported_year_is_checked_as_check_checks_it(tmp_path: Path) -> None:
    """A report titled 1985年度 was imported into `year: 1985`, which check and render refuse."""
    report = tmp_path / "旧报告.txt"
    report.write_text(
        "湛江市某某局1985年度部门整体支出绩效自评报告\n\n一、部门基本情况\n\n湛江市某某局是主管部门。\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(report), "--dir", str(tmp_path / "answers")])
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "年度应在 1990 至 2100 之间(现为 1985)" in result.stderr and "--year" in result.stderr
    assert not (tmp_path / "answers" / "1985.yaml").exists()
    fixed = runner.invoke(app, ["import", str(report), "--year", "2019", "--dir", str(tmp_path / "answers")])
    assert fixed.exit_code == 0, fixed.stderr


def test_the_normalisation_before_digits_are_read_is_shown(form) -> None:  # type: ignore[no-untyped-def]
    from zjeval.answers import tidy

    questions = form.questions()
    raw, notes = tidy.tidy(questions["income_other"], "１２５５２．６７万元")
    assert raw == "１２５５２．６７万元" and notes == ["全角字符已换成半角,按「12552.67万元」读取"]
    assert tidy.tidy(questions["income_other"], "12552.67")[1] == []
    assert tidy.tidy(questions["income_other"], "17²")[1] == []  # nothing changed: refused as it is
