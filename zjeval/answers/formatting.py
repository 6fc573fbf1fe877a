"""Answer values as the report words them: money in 万元, dates as 2020年9月2日, lists joined
with 、; and as plain data for the answers file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zjeval.answers.parsing import Value
from zjeval.form.models import Question


def format_money(value: Decimal) -> str:
    """As entered, in 万元, without exponent: Decimal('11700') -> '11700'."""
    text = format(value, "f")
    return text


def format_date(value: dt.date) -> str:
    """2020年9月2日: no leading zeros (GB/T 9704)."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_value(question: Question, value: Value) -> str:
    """One answer as report text (lists joined with 、)."""
    if value is None:
        return ""
    if question.type == "money":
        return f"{format_money(value)}万元"
    if question.type == "percent":
        return f"{format(value, 'f')}%"
    if question.type == "date":
        return format_date(value)
    if question.type == "strings":
        return "、".join(value)
    if question.type == "records":
        key = question.title_field or question.fields[0].id
        return "、".join(str(r.get(key, "")) for r in value)
    return str(value)


def to_plain(question: Question, value: Value) -> Any:
    """The answer as plain data: records as mappings in field order; Decimal and date kept exact."""
    if value is None:
        return None
    if question.type == "records":
        return [{f.id: to_plain(f, r[f.id]) for f in question.fields if f.id in r} for r in value]
    return value
