"""Answer values as the report words them: one format per kind of number (money in 万元 with two
decimals, percentages with two, counts whole), dates as 2020年9月2日, lists joined with 、; and
as plain data for the answers file.

`show` is the one number format of every output (text, Markdown, DOCX, XLSX captions, the
interview's echo); report.typeset re-exports it for the renderers.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from zjeval.answers import kinds
from zjeval.answers.kinds import FieldValue, Value
from zjeval.form.models import Question

# money: 万元, 2 decimals; percent: 2 decimals; count: an integer; score: 2 decimals;
# weight: as few places as it has (3, 2.5); number: as entered.
# An answer as plain data for the answers file: the value itself, records as mappings in field order.
Plain = Value | FieldValue

NumberKind = Literal["money", "percent", "count", "score", "weight", "number"]

CENT = Decimal("0.01")


def show(value: Decimal | int, kind: NumberKind) -> str:
    """A number as every output prints it (no unit, no %): 4480.45, 95.60, 36, 3.00, 2.5."""
    d = Decimal(value)
    if kind == "count":
        return format(d.quantize(Decimal(1), rounding=ROUND_HALF_UP), "f")
    if kind in ("money", "percent", "score"):
        return format(d.quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return format(d.normalize(), "f")  # weight, number: as few places as the value needs


def format_money(value: Decimal) -> str:
    """In 万元 with two decimals, as every output prints money: Decimal('11700') -> '11700.00'."""
    return show(value, "money")


def format_exact(value: Decimal) -> str:
    """A number exactly as entered, without exponent (for a message about its places)."""
    return format(value, "f")


def format_date(value: dt.date) -> str:
    """2020年9月2日: no leading zeros (GB/T 9704)."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_value(question: Question, value: Value | FieldValue) -> str:
    """One answer as report text (lists joined with 、)."""
    if value is None:
        return ""
    if question.type == "money":
        return f"{format_money(_number(value))}万元"
    if question.type == "percent":
        return f"{show(_number(value), 'percent')}%"
    if question.type == "date" and isinstance(value, dt.date):
        return format_date(value)
    if question.type == "strings":
        return "、".join(kinds.as_strings(value))
    if question.type == "records" and isinstance(value, list):
        key = question.title_field or question.fields[0].id
        return "、".join(str(r.get(key, "")) for r in kinds.as_records(value))
    return str(value)


def _number(value: Value | FieldValue) -> Decimal:
    number = kinds.as_decimal(value)
    if number is None:  # pragma: no cover - the callers return "" for None first
        raise TypeError("expected a number, got None")
    return number


def to_plain(question: Question, value: Value | FieldValue) -> Plain:
    """The answer as plain data: records as mappings in field order; Decimal and date kept exact."""
    if question.type == "records" and isinstance(value, list):
        return [{f.id: r[f.id] for f in question.fields if f.id in r} for r in kinds.as_records(value)]
    return value
