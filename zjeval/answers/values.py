"""Answer values: validate what people type (or wrote in the file) against a question.

The interview and the answers-file loader both call `validate()`, so an answer is judged
the same way whether it was typed at a prompt or edited by hand. Money is Decimal in 万元.
The parsers are in parsing.py, the report's wording of a value in formatting.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from pydantic_core import PydanticCustomError

from zjeval.answers.kinds import FieldValue, Record, Value
from zjeval.answers.parsing import (
    MAX_DIGITS,
    fail,
    one_line,
    paragraphs,
    parse_date,
    parse_docno,
    parse_integer,
    parse_money,
    parse_number,
    parse_percent,
    shown,
    strings,
)
from zjeval.form.models import Question
from zjeval.yamlio import RawNumber


class InvalidValue(ValueError):
    """An answer that does not fit its question; `message` is Chinese and says what to type."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _check_size(value: int | Decimal) -> int | Decimal:
    """Refuse numbers no budget has: a number written in the file skips the text parser's limit."""
    if isinstance(value, int):
        too_big = value.bit_length() > 80  # about 24 decimal digits
    else:
        if not value.is_finite():
            raise fail("应为有限的数字")
        too_big = value.adjusted() >= MAX_DIGITS or len(value.as_tuple().digits) > MAX_DIGITS
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_DIGITS:
            raise fail(f"小数位数过多(超过 {MAX_DIGITS} 位),请检查")
    if too_big:
        raise fail(f"数字位数过多(超过 {MAX_DIGITS} 位),请检查")
    if isinstance(value, Decimal) and value == 0:  # -0.0 is 0: never "-0.00万元"
        return value.copy_abs()
    return value


def _check_range(
    q_min: Decimal | None, q_max: Decimal | None, unit: str
) -> Callable[[int | Decimal], int | Decimal]:
    def check(value: int | Decimal) -> int | Decimal:
        if q_min is not None and value < q_min:
            raise fail(f"不能小于 {q_min}{unit}")
        if q_max is not None and value > q_max:
            raise fail(f"不能大于 {q_max}{unit}")
        return value

    return check


def _check_chars(max_chars: int | None) -> Callable[[str], str]:
    def check(value: str) -> str:
        if max_chars is not None:
            n = len(value.replace("\n", ""))
            if n > max_chars:
                raise fail(f"不超过 {max_chars} 字(现有 {n} 字)")
        return value

    return check


def _check_choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices:
            raise fail("应为以下之一:" + "、".join(choices))
        return value

    return check


def _check_items(min_items: int, max_items: int | None) -> Callable[[list[str]], list[str]]:
    def check(value: list[str]) -> list[str]:
        if len(value) < min_items:
            raise fail(f"至少 {min_items} 项(现有 {len(value)} 项)")
        if max_items is not None and len(value) > max_items:
            raise fail(f"至多 {max_items} 项(现有 {len(value)} 项)")
        return value

    return check


# numeric type -> (parser, the lower bound when the form sets none, the unit in messages)
_NUMERIC: dict[str, tuple[Callable[[object], int | Decimal], Decimal | None, str]] = {
    "money": (parse_money, Decimal(0), "万元"),
    "percent": (parse_percent, None, "%"),
    "number": (parse_number, None, ""),
    "integer": (parse_integer, Decimal(0), ""),
}


Step = Callable[..., object]  # a parser, then checks, each taking what the one before returned


@lru_cache(maxsize=256)
def _steps(
    kind: str,
    q_min: Decimal | None,
    q_max: Decimal | None,
    max_chars: int | None,
    choices: tuple[str, ...],
    min_items: int,
    max_items: int | None,
) -> tuple[Step, ...]:
    """The parser and the checks of one distinct constraint set, in the order they run: plain
    calls (a pydantic TypeAdapter around them cost ~1 ms to build per constraint set, a good part
    of a `check`, and added nothing to what they check)."""
    if kind in _NUMERIC:
        parse, default_min, unit = _NUMERIC[kind]
        lowest = default_min if q_min is None else q_min
        return (parse, _check_size, _check_range(lowest, q_max, unit))
    if kind == "date":
        return (parse_date,)
    if kind == "docno":
        return (lambda v: str(parse_docno(v)),)
    if kind == "choice":
        return (one_line, _check_choice(choices))
    if kind == "paragraphs":
        return (paragraphs, _check_chars(max_chars))
    if kind == "strings":
        return (strings, _check_items(min_items, max_items))
    return (one_line, _check_chars(max_chars))  # text


def _validate_scalar(question: Question, raw: object) -> FieldValue:
    steps = _steps(
        question.type,
        question.min,
        question.max,
        question.max_chars,
        tuple(question.choices),
        question.min_items,
        question.max_items,
    )
    if isinstance(raw, RawNumber) and question.type in _NUMERIC:
        reason = raw.reason
        if reason.endswith("位数过多,请检查"):
            reason = reason.replace("过多", f"过多(超过 {MAX_DIGITS} 位)")
        raise InvalidValue(f"{shown(raw)}:{reason}")
    value = raw
    try:
        for step in steps:
            value = step(value)
    except (ValueError, AssertionError) as exc:  # what a validator may raise (pydantic's rule)
        if isinstance(exc, PydanticCustomError) and exc.type == "zjeval":  # parsing.fail: our message
            raise InvalidValue(exc.message()) from None
        raise InvalidValue(f"{shown(raw)} 不是有效的值") from None  # pragma: no cover - all ours
    return _field_value(value)


def _field_value(value: object) -> FieldValue:
    """What the parser and checks returned, as the answer type it is (kinds.py): the steps are untyped."""
    if isinstance(value, (str, int, Decimal, dt.date)):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item for item in value if isinstance(item, str)]
    raise TypeError(f"a parser returned {type(value).__name__}")  # pragma: no cover - a bug


def _validate_field(question: Question, raw: object) -> FieldValue | None:
    """A records field's value (fields are never records themselves)."""
    if is_empty(raw):
        return None
    value = _validate_scalar(question, raw)
    return None if is_empty(value) else value


def is_empty(value: object) -> bool:
    """An answer that counts as not given: None, blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def validate(question: Question, raw: object) -> Value:
    """The typed answer to `question`, or InvalidValue with a Chinese message and the item path.

    An empty answer validates to None (required-ness is the checker's concern).
    """
    if is_empty(raw):
        return None
    if question.type != "records":
        value = _validate_scalar(question, raw)
        return None if is_empty(value) else value
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise InvalidValue("应为列表,每项包含:" + "、".join(f.label for f in question.fields))
    records: list[Record] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise InvalidValue(
                "应为包含 " + "、".join(f.id for f in question.fields) + " 的记录", path=f"[{i}]"
            )
        unknown = [k for k in item if k not in {f.id for f in question.fields}]
        if unknown:
            raise InvalidValue(
                f"未知字段 {unknown[0]},可用:" + "、".join(f.id for f in question.fields), path=f"[{i}]"
            )
        record: Record = {}
        for f in question.fields:
            try:
                v = _validate_field(f, item.get(f.id))
            except InvalidValue as exc:
                raise InvalidValue(exc.message, path=f"[{i}].{f.id}{exc.path}") from None
            if v is None and f.required:
                raise InvalidValue(f"缺少「{f.label}」", path=f"[{i}].{f.id}")
            if v is not None:
                record[f.id] = v
        if record:
            records.append(record)
    if len(records) < question.min_items:
        raise InvalidValue(f"至少 {question.min_items} 项(现有 {len(records)} 项)")
    if question.max_items is not None and len(records) > question.max_items:
        raise InvalidValue(f"至多 {question.max_items} 项(现有 {len(records)} 项)")
    return records or None
