"""`zjeval new 2026 --from 2025` on the target form: the indicator rows are carried, last year's
results in them are not (实际完成值, 定性评价, 偏差原因 — `carry:` on the record fields in
forms/target.yaml), and last year's 实际完成值 is shown beside the field when a row is edited."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import CLEAR, ROOT, finish, spawn

from zjeval.answers import store
from zjeval.answers.kinds import as_text
from zjeval.answers.model import Answers
from zjeval.form import loader as forms
from zjeval.form.models import Form, Question
from zjeval.interview import carry
from zjeval.interview.engine import Interview

DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
RESULTS = {"actual", "tier", "reason"}  # the fields of a row that are last year's results
REASONS = {
    "保障性住房筹集套数": "补足上年缺口后，新项目用地仍在报批，少筹集119套。",
}  # only a row that falls short is asked its 偏差原因 (the 定性 row is 达成 this year)


@pytest.fixture()
def last() -> Answers:
    return store.load(DEMO)[1]


@pytest.fixture()
def form() -> Form:
    return forms.load("target")


def rows_question(form: Form) -> Question:
    return form.questions()["indicators"]


def engine_at_rows(form: Form, last: Answers) -> tuple[Interview, Answers]:
    answers = Answers(year=2026, form_id=form.id, carried_from=2025)
    return Interview(form, answers, question_id="indicators", previous=last), answers


# ---------------------------------------------------------------- the form says it


def test_the_form_declares_what_a_row_carries(form: Form) -> None:
    q = rows_question(form)
    assert q.carry_policy == "default"
    assert {f.id for f in carry.cleared_fields(q)} == RESULTS
    assert q.field("actual").carry == "reference" and q.field("actual").reference == "{actual}{unit}"


# ---------------------------------------------------------------- the engine, headless


def test_carried_rows_keep_the_targets_and_drop_the_results(form: Form, last: Answers) -> None:
    engine, _ = engine_at_rows(form, last)
    step = engine.current()
    assert step is not None and step.question.id == "indicators"
    rows = step.default
    assert isinstance(rows, list)  # the carried rows
    before = last.records("indicators")
    assert len(rows) == len(before) == 8
    for old, new in zip(before, rows, strict=True):
        assert new == {k: v for k, v in old.items() if k not in RESULTS}
    assert rows[0] == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "老旧小区改造完成数",
        "nature": "≥",
        "target": "40",
        "unit": "个",
        "weight": Decimal("15"),
    }
    assert step.reference == "8 项(各项的实际完成值、定性评价、偏差原因分析及改进措施不带入,逐项填写)"


def test_last_years_actual_is_the_reference_of_each_row(form: Form, last: Answers) -> None:
    engine, _ = engine_at_rows(form, last)
    step = engine.current()
    assert step is not None
    refs = step.item_refs
    assert refs["老旧小区改造完成数"] == {"actual": "上年实际完成值:42个"}
    assert refs["工程质量抽检合格率"] == {"actual": "上年实际完成值:99.2%"}
    assert refs["城市更新长效管理机制"] == {"actual": "上年实际完成值:管理办法已印发，部分区县尚未配套运行"}
    assert set(refs) == {row["name"] for row in last.records("indicators")}
    # 定性评价 and 偏差原因 are `never`: neither offered nor shown
    assert all(set(r) == {"actual"} for r in refs.values())


def test_provenance_of_partially_carried_rows(form: Form, last: Answers) -> None:
    # confirmed as carried (results still to fill): carried
    engine, answers = engine_at_rows(form, last)
    rows = engine.current().default  # type: ignore[union-attr]
    assert engine.answer(rows) is None
    assert answers.provenance == {"indicators": "carried"}
    assert answers.records("indicators") == rows

    # this year's results filled in: edited (last year's rows, completed)
    engine, answers = engine_at_rows(form, last)
    rows = [dict(r) for r in engine.current().default]  # type: ignore[union-attr]
    rows[0]["actual"] = "45"
    assert engine.answer(rows) is None
    assert answers.provenance == {"indicators": "edited"}
    assert answers.records("indicators")[0]["actual"] == "45"

    # rows typed afresh although last year had none: typed
    bare = Answers(year=2025, form_id=form.id)
    engine = Interview(form, Answers(year=2026, form_id=form.id), question_id="indicators", previous=bare)
    typed = [{k: v for k, v in r.items() if k not in RESULTS} for r in last.records("indicators")]
    assert engine.current().default is None  # type: ignore[union-attr]
    assert engine.answer(typed) is None
    assert engine.answers.provenance == {"indicators": "typed"}


def test_last_years_actuals_do_not_reach_this_years_file(tmp_path: Path, form: Form, last: Answers) -> None:
    engine, answers = engine_at_rows(form, last)
    engine.answer(engine.current().default)  # type: ignore[union-attr]
    path = tmp_path / "2026.yaml"
    store.save(path, form, answers)
    text = path.read_text(encoding="utf-8")
    assert "老旧小区改造完成数" in text and "actual:" not in text and "tier:" not in text
    assert "reason:" not in text


def test_other_carry_policies_are_unchanged(form: Form, last: Answers) -> None:
    answers = Answers(year=2026, form_id=form.id, carried_from=2025)
    engine = Interview(form, answers, previous=last)
    goals = form.questions()["goals"]  # no carry: last year's goals are not this year's
    assert engine.carried(goals) is None and engine.item_references(goals) == {}
    assert engine.carried(form.questions()["duties"]) == last.strings("duties")  # carry: default, no fields


def test_record_field_conditions(form: Form) -> None:
    q = rows_question(form)
    unit, tier = q.field("unit"), q.field("tier")
    assert carry.applies(unit, {"nature": "≥"}) and not carry.applies(unit, {"nature": "定性"})
    assert carry.applies(tier, {"nature": "定性"}) and not carry.applies(tier, {"nature": "≤"})
    assert not carry.applies(tier, {})  # the nature not given yet


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            [
                {"id": "a", "label": "甲", "type": "text", "when": {"field": "b"}},
                {"id": "b", "label": "乙", "type": "text"},
            ],
            "只能引用同一记录中排在前面的字段",
        ),
        (
            [
                {"id": "a", "label": "甲", "type": "choice", "choices": ["是", "否"]},
                {"id": "b", "label": "乙", "type": "text", "when": {"field": "a", "equals": "对"}},
            ],
            "'对' 不是 a 的选项",
        ),
        (
            [
                {"id": "a", "label": "甲", "type": "text"},
                {"id": "b", "label": "乙", "type": "text", "carry": "reference", "reference": "{b}{c}"},
            ],
            "c 不是本记录的字段",
        ),
        (
            [{"id": "a", "label": "甲", "type": "text", "reference": "{a}"}],
            "reference 只用于 carry: reference",
        ),
    ],
)
def test_record_field_model_is_checked(fields: list[dict[str, Any]], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        Question.model_validate({"id": "rows", "label": "行", "type": "records", "fields": fields})


# ---------------------------------------------------------------- in a terminal

pexpect = pytest.importorskip("pexpect")


@pytest.mark.slow
def test_new_from_last_year_fills_this_years_actuals(tmp_path: Path, last: Answers) -> None:
    """This year's file has everything but the rows; `new` carries them from 2025 and goes
    through each: Enter keeps the targets, the 实际完成值 is typed beside last year's."""
    shutil.copy(DEMO, tmp_path / "2025.yaml")
    form, this = store.load(DEMO)
    this.year, this.carried_from = 2026, 2025
    this.set("indicators", None)
    store.save(tmp_path / "2026.yaml", form, this)

    child = spawn("new", "2026", "--dir", str(tmp_path))
    child.expect_exact("要做什么?")
    child.send("\r")  # 从第一个未答的问题继续
    child.expect_exact("绩效指标")
    child.expect_exact("上年:8 项(各项的实际完成值、定性评价、偏差原因分析及改进措施不带入,逐项填写)")
    child.expect_exact("如何处理?")
    child.expect_exact("逐项填写本年的值")
    child.send("\r")  # the default for carried rows: each row, only what it did not carry
    new_actuals = []
    for n, row in enumerate(last.records("indicators"), 1):
        child.expect_exact(f"绩效指标 第 {n}/8 项:{row['name']}")
        unit = row.get("unit", "")
        child.expect_exact(f"上年实际完成值:{row['actual']}{unit}")
        child.expect_exact("实际完成值:")
        was = as_text(row["actual"])
        actual = str(int(was) + 1) if was.isdigit() else was
        new_actuals.append(actual)
        child.send(CLEAR + actual + "\r")
        if row["nature"] == "定性":
            child.expect_exact("定性评价:")
            child.send("\r")  # 达成 (the first choice; last year's 部分达成 is not offered)
        if row["name"] in REASONS:  # asked only where the row falls short
            child.expect_exact("偏差原因分析及改进措施:")
            child.send(REASONS[as_text(row["name"])] + "\r")
    child.expect_exact("如何处理?")
    child.expect_exact("完成,保存修改")
    child.send("\r")
    child.expect_exact("生成报告")
    child.send("n")
    assert finish(child) == 0

    saved = store.load(tmp_path / "2026.yaml")[1]
    rows = saved.records("indicators")
    assert [r["actual"] for r in rows] == new_actuals
    assert [r["name"] for r in rows] == [r["name"] for r in last.records("indicators")]
    assert [r.get("tier") for r in rows] == [None] * 6 + ["达成", None]
    assert [r.get("reason") for r in rows] == [None, REASONS["保障性住房筹集套数"]] + [None] * 6
    assert saved.provenance["indicators"] == "edited"
    assert saved.carried_from == 2025
