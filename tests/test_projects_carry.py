"""A continuing project's 上年结转资金 (`projects new --from`): worked out from last year's answers by
the form's `carry_calc` (last year's 全年预算数 − 全年执行数), written as a suggestion to confirm
(provenance suggested, how in origins), asked again by the interview with it as the default,
reminded of by check; left empty when last year's figures are missing or the result is negative."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from test_projects import project
from typer.testing import CliRunner, Result

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.assess import check
from zjeval.cli import app
from zjeval.form import loader
from zjeval.interview.engine import Interview

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """Last year's projects: 800 budget, 600 spent; nothing left; a spend figure missing; overspent."""
    place = tmp_path / "answers" / "2025-项目"
    project(place, "城市更新", fund_current_exec="600.00", fund_total_exec="600.00")
    project(place, "全部执行", fund_current_exec="800.00", fund_total_exec="800.00")
    project(place, "执行数未填", fund_total_exec="")
    project(place, "超支", fund_current_exec="900.00", fund_total_exec="900.00")
    return tmp_path / "answers"


def carried(answers: Path, name: str) -> Answers:
    return store.load(answers / "2026-项目" / f"{name}.yaml")[1]


def test_carry_prefills_last_years_unspent_money_as_a_suggestion(answers: Path) -> None:
    result = run("projects", "new", "2026", "--from", "2025", "--dir", str(answers))
    assert result.exit_code == 0, result.output
    city = carried(answers, "城市更新")
    assert city.get("fund_carry_budget") == Decimal("200.00")  # 800.00 − 600.00
    assert city.provenance["fund_carry_budget"] == "suggested"
    how = city.origins["fund_carry_budget"]["from"]
    assert "2025年度" in how and "800.00万元" in how and "600.00万元" in how and how.endswith("200.00万元")
    # only the carried row's 全年预算数: this year's other money is this year's to type
    assert all(city.get(q) is None for q in ("fund_carry_initial", "fund_carry_exec", "fund_total_budget"))
    assert "上年结转资金—全年预算数(万元) 由上年推算,待确认" in result.output
    assert carried(answers, "全部执行").get("fund_carry_budget") == Decimal("0.00")  # nothing left: 0


def test_no_suggestion_from_missing_figures_or_an_overspend(answers: Path) -> None:
    result = run("projects", "new", "2026", "--from", "2025", "--dir", str(answers))
    assert result.exit_code == 0, result.output
    for name in ("执行数未填", "超支"):
        made = carried(answers, name)
        assert made.get("fund_carry_budget") is None and "fund_carry_budget" not in made.provenance
        assert "fund_carry_budget" not in made.origins
    assert "上年未填写年度资金总额—全年执行数,无法推算,不预填" in result.output
    assert "= −100.00万元,为负数,不预填" in result.output


def test_check_says_where_an_unconfirmed_suggestion_came_from(answers: Path) -> None:
    run("projects", "new", "2026", "--from", "2025", "城市更新", "--dir", str(answers))
    path = answers / "2026-项目" / "城市更新.yaml"
    result = run("check", str(path))
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "fund_carry_budget:" in t)
    assert f"{path}:{line}" in result.output and "由上年数字推算的建议值,尚待确认" in result.output
    assert "= 200.00万元" in result.output


@pytest.mark.parametrize("with_last_year", [True, False])
def test_the_interview_asks_the_suggestion_to_confirm(answers: Path, with_last_year: bool) -> None:
    run("projects", "new", "2026", "--from", "2025", "城市更新", "--dir", str(answers))
    form, this = store.load(answers / "2026-项目" / "城市更新.yaml")
    last = store.load(answers / "2025-项目" / "城市更新.yaml")[1] if with_last_year else None
    engine = Interview(form, this, previous=last)
    typed = {"date": "2027年3月20日", "paragraphs": "本项目用于城市更新规划编制。", "money": "0"}
    for _ in range(20):  # up to the suggestion, answering what comes before it
        step = engine.current()
        assert step is not None
        if step.question.id == "fund_carry_budget":
            break
        assert engine.answer(typed[step.question.type]) is None
    assert step is not None and step.question.id == "fund_carry_budget"
    assert step.default == Decimal("200.00")
    assert "800.00万元" in step.reference and "600.00万元" in step.reference  # how it was worked out
    assert engine.answer("200.00") is None
    assert this.provenance["fund_carry_budget"] == "carried" and "fund_carry_budget" in this.origins
    assert not [p for p in check.check(form, this, last) if "建议值" in p.message]


def test_a_changed_suggestion_is_edited_and_loses_its_origin(answers: Path) -> None:
    run("projects", "new", "2026", "--from", "2025", "城市更新", "--dir", str(answers))
    form, this = store.load(answers / "2026-项目" / "城市更新.yaml")
    engine = Interview(form, this, question_id="fund_carry_budget")
    assert engine.answer("150") is None
    assert this.get("fund_carry_budget") == Decimal("150")
    assert this.provenance["fund_carry_budget"] == "edited" and "fund_carry_budget" not in this.origins


def _form_with(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    form = tmp_path / "forms" / "project.yaml"
    text = form.read_text(encoding="utf-8")
    assert old in text
    form.write_text(text.replace(old, new, 1), encoding="utf-8")
    return form


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("carry_calc: {add: [fund_total_budget], sub: [fund_total_exce]}", "引用了不存在的问题 fund_total_exce"),
        ("carry_calc: {add: [fund_total_budget], sub: [exec_reason]}", "exec_reason 的类型应为"),
        ("carry_calc: {sub: [fund_total_exec]}", "add"),
    ],
)
def test_a_wrong_carry_calc_is_reported_at_its_line(tmp_path: Path, new: str, message: str) -> None:
    form = _form_with(tmp_path, "carry_calc: {add: [fund_total_budget], sub: [fund_total_exec]}", new)
    result = run("forms", "check", str(form))
    line = next(n for n, t in enumerate(form.read_text(encoding="utf-8").splitlines(), 1) if "carry_calc" in t)
    assert result.exit_code == 4 and f"{form}:{line}" in result.output and message in result.output


def test_carry_calc_only_on_a_figure(tmp_path: Path) -> None:
    form = _form_with(
        tmp_path, "        max_chars: 40\n", "        max_chars: 40\n        carry_calc: {add: [fund_total_budget]}\n"
    )
    result = run("forms", "check", str(form))
    assert result.exit_code == 4 and "只有数值类型(money/integer/percent/number)可以有 carry_calc" in result.output


def test_the_schema_documents_carry_calc() -> None:
    schema = json.loads(run("forms", "--schema").output)
    calc = schema["$defs"]["Question"]["anyOf"][0]["properties"]["carry_calc"]
    assert "上年" in calc["description"] and loader.load("project").questions()["fund_carry_budget"].carry_calc
