"""Templates and reserved names: a template is read once, user text is never a template, and form
validation knows every name a form may not use as a question.

Regression tests for issue 22 (a team member's 科室 `{x}` inside an optional part was expanded a
second time and crashed render and import; `{unit_name}` there printed the unit's name; a block
`- field: year` passed validation and crashed render).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.errors import ExitCode
from zjeval.form import template as tpl
from zjeval.report.render import markdown

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini_form.yaml"
runner = CliRunner()
HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n  unit_name: 湛江市某局\n"


def test_expand_reads_a_template_once() -> None:
    values = {"a": "{b}", "b": "B", "c": "[[{b}]]"}
    assert tpl.expand("{a}[[（{a}）]]{c}", lambda name, _f: values.get(name)) == "{b}（{b}）[[{b}]]"


@pytest.mark.parametrize("dept", ["{x}", "{unit_name}", "[[{x}]]", "{dept}", "{year|count}"])
def test_template_braces_in_a_record_field_stay_the_users_text(write_yaml, dept: str) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(HEAD + f'  team:\n  - {{role: 组长, name: 张三, dept: "{dept}", post: 科员}}\n')
    for fmt in ("text", "md"):
        result = runner.invoke(app, ["render", str(path), "--draft", "-t", fmt])
        assert result.exit_code == 0, (result.stderr, result.exception)
        shown = markdown.escape(dept) if fmt == "md" else dept
        assert f"张三（{shown}科员）" in result.stdout
        assert "湛江市某局科员" not in result.stdout


def test_template_braces_in_an_imported_line_stay_text(tmp_path: Path) -> None:
    text = runner.invoke(app, ["render", str(SEED), "--draft"]).stdout
    assert "成员：陈铖（高新技术科科长）" in text
    for line in ("成员：陈铖（{x}科科员）", "成员 李四 {x}科 科员", "成员：陈铖（[[{unit_name}]]科员）"):
        report = tmp_path / "旧报告.txt"
        report.write_text(text.replace("成员：陈铖（高新技术科科长）", line), encoding="utf-8")
        result = runner.invoke(app, ["import", str(report), "--dir", str(tmp_path / "a"), "--force"])
        assert result.exit_code == 0, (line, result.stderr, result.exception)


@pytest.mark.parametrize("name", ["year", "score", "grade", "subtotals"])
def test_a_reserved_name_as_a_field_block_is_a_form_error(tmp_path: Path, name: str) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        MINI.read_text(encoding="utf-8").replace("- field: problems", f"- field: {name}"), encoding="utf-8"
    )
    line = next(
        i for i, x in enumerate(form.read_text(encoding="utf-8").splitlines(), 1) if f"field: {name}" in x
    )
    answers = tmp_path / "2019.yaml"
    answers.write_text("zjeval: 1\nform: mini\nyear: 2019\nanswers:\n  unit_name: 单位\n", encoding="utf-8")
    for args in (["check", str(answers)], ["render", str(answers), "--draft"]):
        result = runner.invoke(app, [*args, "--form", str(form)])
        assert result.exit_code == ExitCode.BAD_FORM, (args, result.stderr, result.exception)
        assert f"{form}:{line}" in result.output and "保留名称" in result.output


def test_a_reserved_name_as_a_question_id_is_a_form_error(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        MINI.read_text(encoding="utf-8").replace("- id: problems", "- id: grade"), encoding="utf-8"
    )
    answers = tmp_path / "2019.yaml"
    answers.write_text("zjeval: 1\nform: mini\nyear: 2019\nanswers: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(answers), "--form", str(form)])
    assert result.exit_code == ExitCode.BAD_FORM, result.output
    assert "保留名称 grade" in result.output


def test_a_template_may_still_use_the_reserved_names() -> None:
    result = runner.invoke(app, ["render", str(SEED), "--draft"])
    assert result.exit_code == 0 and "2019年度" in result.stdout
