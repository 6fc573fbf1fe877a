"""The answer types (answers/kinds.py) and Answers' typed reads: each read gives what its question's
type promises, an unanswered question reads as none, and a value of another type is a bug (TypeError)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zjeval.answers import kinds
from zjeval.answers.model import Answers
from zjeval.answers.values import validate
from zjeval.form import loader


def answered() -> Answers:
    form = loader.load("zhanjiang")
    questions = form.questions()
    answers = Answers(year=2019, form_id=form.id)
    typed: dict[str, object] = {
        "unit_name": "湛江市科学技术局",
        "income_total": "12,552.67万元",
        "staff_quota": "８个",
        "report_date": "2020年9月2日",
        "departments": ["1、办公室", "政策法规科"],
        "team": [{"role": "组长", "name": "张三", "post": "局长"}],
    }
    for qid, raw in typed.items():
        answers.set(qid, validate(questions[qid], raw))
    return answers


def test_each_read_gives_its_type() -> None:
    a = answered()
    assert a.text("unit_name") == "湛江市科学技术局"
    assert a.decimal("income_total") == Decimal("12552.67")
    assert a.integer("staff_quota") == 8 and a.decimal("staff_quota") == Decimal(8)  # widened
    assert a.date("report_date") == dt.date(2020, 9, 2)
    assert a.strings("departments") == ["办公室", "政策法规科"]
    assert a.records("team") == [{"role": "组长", "name": "张三", "post": "局长"}]


def test_unanswered_reads_as_none() -> None:
    a = Answers(year=2019, form_id="zhanjiang")
    assert (a.text("unit_name"), a.strings("departments"), a.records("team")) == ("", [], [])
    assert (a.decimal("income_total"), a.integer("staff_quota"), a.date("report_date")) == (None, None, None)


def test_a_list_read_is_the_stored_list() -> None:
    a = answered()
    a.records("team")[0]["dept"] = "办公室"
    a.strings("departments").append("机关党委")
    assert a.get("team") == [{"role": "组长", "name": "张三", "post": "局长", "dept": "办公室"}]
    assert a.get("departments") == ["办公室", "政策法规科", "机关党委"]


@pytest.mark.parametrize(
    ("read", "qid"),
    [
        (Answers.text, "income_total"),
        (Answers.decimal, "unit_name"),
        (Answers.integer, "income_total"),
        (Answers.date, "unit_name"),
        (Answers.strings, "team"),
        (Answers.records, "departments"),
    ],
)
def test_a_value_of_another_type_is_a_bug(read: object, qid: str) -> None:
    assert callable(read)
    with pytest.raises(TypeError, match="expected"):
        read(answered(), qid)


def test_a_bool_is_no_number() -> None:
    with pytest.raises(TypeError):
        kinds.as_decimal(True)
    with pytest.raises(TypeError):
        kinds.as_integer(False)
