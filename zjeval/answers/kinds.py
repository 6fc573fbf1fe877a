"""The types of a validated answer, and the narrowing every reader of one goes through.

What `values.validate` returns for each question type (form/question.py's QuestionType):
text, paragraphs, choice and docno give `str`; money, percent and number `Decimal` (万元 for
money); integer `int`; date `datetime.date`; strings `list[str]`; records `list[Record]`, each
record mapping a field id to the value of that field's own type (records never nest). An
unanswered question has no value (None). The `as_*` functions narrow a value to the type its
question promises and raise TypeError when it is another: that is a bug (a value not made by
`validate`), never a user's mistake.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeGuard

Scalar = str | int | Decimal | dt.date
FieldValue = Scalar | list[str]  # a records field is any type but records
Record = dict[str, FieldValue]
Value = Scalar | list[str] | list[Record] | None


def _wrong(value: object, what: str) -> TypeError:
    return TypeError(f"expected {what}, got {type(value).__name__}")


def as_text(value: Value | FieldValue) -> str:
    """A text, paragraphs, choice or docno answer; "" when unanswered (a blank answer is none)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise _wrong(value, "text")


def as_decimal(value: Value | FieldValue) -> Decimal | None:
    """A money, percent or number answer (an integer answer widened); None when unanswered."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise _wrong(value, "a number")


def as_integer(value: Value | FieldValue) -> int | None:
    """An integer answer; None when unanswered."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _wrong(value, "an integer")


def as_date(value: Value | FieldValue) -> dt.date | None:
    """A date answer; None when unanswered."""
    if value is None or isinstance(value, dt.date):
        return value
    raise _wrong(value, "a date")


def _strings(value: list[str] | list[Record]) -> TypeGuard[list[str]]:
    return all(isinstance(item, str) for item in value)


def _records(value: list[str] | list[Record]) -> TypeGuard[list[Record]]:
    return all(isinstance(item, dict) for item in value)


def as_strings(value: Value | FieldValue) -> list[str]:
    """A strings answer (the stored list itself); [] when unanswered."""
    if value is None:
        return []
    if isinstance(value, list) and _strings(value):
        return value
    raise _wrong(value, "a list of strings")


def as_records(value: Value) -> list[Record]:
    """A records answer (the stored list itself, so a change to it is a change to the answer);
    [] when unanswered."""
    if value is None:
        return []
    if isinstance(value, list) and _records(value):
        return value
    raise _wrong(value, "a list of records")
