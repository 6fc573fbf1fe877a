"""Answer values: parse what people type, validate against a question, format for the report.

The interview and the answers-file loader both call `validate()`, so an answer is judged
the same way whether it was typed at a prompt or edited by hand. Money is Decimal in 万元.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from zjeval.answers.yamlio import RawNumber
from zjeval.form.models import Question

Value = Any  # str | Decimal | int | date | list[str] | list[dict[str, Value]]


class InvalidValue(ValueError):
    """An answer that does not fit its question; `message` is Chinese and says what to type."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("zjeval", message)


# Control characters (other than tab and newline) are invisible, break DOCX and XLSX, and are never
# meant: they are removed from every answer, wherever it comes from (file, prompt, import).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    """The text without control characters (tab, newline and carriage return stay)."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def shown(raw: Any) -> str:
    """A value as the user wrote it, for messages: 「text」, 2024.0, 列表 — never a Python repr."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if raw is None:
        return "空"
    if isinstance(raw, str):
        text = strip_control(raw)
        return f"「{text[:40]}…」" if len(text) > 40 else f"「{text}」"
    if isinstance(raw, Decimal):
        return str(raw) if len(str(raw)) <= 40 else "(过长的数字)"
    if isinstance(raw, int):
        return str(raw) if raw.bit_length() <= 128 else "(过长的数字)"
    if isinstance(raw, list):
        return "列表"
    if isinstance(raw, dict):
        return "映射"
    return str(raw)


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), surrounding space removed."""
    return unicodedata.normalize("NFKC", text).strip()


# ---------------------------------------------------------------- parsers

_MONEY_UNITS: list[tuple[str, Decimal]] = [
    ("万元", Decimal(1)),
    ("亿元", Decimal(10000)),
    ("万", Decimal(1)),
    ("亿", Decimal(10000)),
    ("元", Decimal("0.0001")),
]
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")  # thousands separators, and only those
MAX_DIGITS = 24  # beyond this a figure is a typo, and Decimal's 28-digit context would round it


def _decimal(text: str, what: str, example: str) -> Decimal:
    text = text.replace(" ", "")
    if "," in text:
        if not _GROUPED.match(text):
            raise _fail(f"应为{what}:逗号只能用作千位分隔符(如 12,552.67),小数点请用“.”,例如 {example}")
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise _fail(f"应为{what},例如 {example}")
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        raise _fail(f"数字位数过多(超过 {MAX_DIGITS} 位),请检查")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        raise _fail(f"应为{what},例如 {example}") from None
    return abs(value) if value == 0 else value  # no "-0.00"


def parse_money(raw: Any) -> Decimal:
    """'12,552.67' '12552.67万元' '１２５５２．６７' '125526700元' -> Decimal('12552.67') (万元)."""
    if isinstance(raw, bool):
        raise _fail("应为金额(万元),例如 12552.67")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, float):
        # Only reachable from code, never from our loaders; go through str to keep what was written.
        return Decimal(repr(raw))
    if not isinstance(raw, str):
        raise _fail("应为金额(万元),例如 12552.67")
    text = normalize(raw).lstrip("¥￥")
    factor = Decimal(1)
    for unit, unit_factor in _MONEY_UNITS:
        if text.endswith(unit):
            text, factor = text[: -len(unit)].strip(), unit_factor
            break
    value = _decimal(text, "金额(万元)", "12552.67 或 125526700元")
    if factor != 1:
        value = (value * factor).normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return value


def _parse_decimal(raw: Any, what: str, example: str, suffix: str) -> Decimal:
    """A number given as a number, or as text with an optional unit suffix."""
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        raise _fail(f"应为{what},例如 {example}")
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    return _decimal(normalize(raw).removesuffix(suffix).strip(), what, example)


def parse_percent(raw: Any) -> Decimal:
    """'95.5' '95.5%' '９５．５％' -> Decimal('95.5')."""
    return _parse_decimal(raw, "百分数", "95.5 或 95.5%", "%")


def parse_number(raw: Any) -> Decimal:
    """'87.5' '８７．５' '87.5分' -> Decimal('87.5')."""
    return _parse_decimal(raw, "数字", "87.5", "分")


def parse_integer(raw: Any) -> int:
    """'8' '８' '8个' -> 8."""
    if isinstance(raw, bool):
        raise _fail("应为整数,例如 8")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal) and raw == raw.to_integral():
        return int(raw)
    if not isinstance(raw, str):
        raise _fail("应为整数,例如 8")
    text = re.sub(r"[个人项次家名条]$", "", normalize(raw).replace(",", ""))
    if not re.fullmatch(r"[+-]?\d+", text):
        raise _fail("应为整数,例如 8")
    if len(text) > MAX_DIGITS:
        raise _fail(f"数字位数过多(超过 {MAX_DIGITS} 位),请检查")
    return int(text)


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(raw: Any) -> dt.date:
    """'2020年9月2日' '2020-09-02' '2020/9/2' '2020.9.2' '20200902' -> date(2020, 9, 2)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = normalize(raw)
        for pattern in _DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    raise _fail(f"没有这一天:{raw.strip()}") from None
    raise _fail("应为日期,例如 2020年9月2日 或 2020-09-02")


class DocNo(NamedTuple):
    """A 发文字号: 机关代字, 年份, 序号."""

    agency: str
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.agency}〔{self.year}〕{self.number}号"


_DOCNO = re.compile(
    r"^(?P<agency>[\u4e00-\u9fff]+?)\s*[〔\[(【［{<《「]\s*(?P<year>\d+)\s*[〕\])】］}>》」]"
    r"\s*第?\s*(?P<num>\d+)\s*号?$"
)


def parse_docno(raw: Any) -> DocNo:
    """'湛财评【2020】06号' '湛财评[2020]6' '湛财评〔2020〕6号' -> DocNo('湛财评', 2020, 6)."""
    example = "湛财评〔2020〕6号"
    if not isinstance(raw, str):
        raise _fail(f"应为发文字号,例如 {example}")
    text = normalize(raw).replace("〔", "[").replace("〕", "]")
    m = _DOCNO.match(text)
    if not m:
        raise _fail(f"应为发文字号(机关代字〔年份〕序号号),例如 {example}")
    if len(m["year"]) != 4:
        raise _fail(f"年份应写全四位,例如 {example}")
    number = int(m["num"])
    if number == 0:
        raise _fail(f"序号应为正整数,例如 {example}")
    return DocNo(m["agency"], int(m["year"]), number)


# Leading enumerators people type into list items; the report numbers items itself.
_ENUMERATOR = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]"
    r"|\d+\s*[、.．)）](?!\d)|[①-⑳])\s*"
)


def strip_enumerator(text: str) -> str:
    """'1、办公室' '(一)拟订…' '③…' -> the text without its hand-typed number."""
    return _ENUMERATOR.sub("", text, count=1)


def _one_line(raw: Any) -> str:
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise _fail("应为一行文字")
    return " ".join(strip_control(raw).split())


def _paragraphs(raw: Any) -> str:
    if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        raw = "\n".join(raw)
    if not isinstance(raw, str):
        raise _fail("应为文字,可分多段")
    text = strip_control(raw.replace("\r\n", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _strings(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise _fail("应为列表,每项一行")
    items = []
    for i, item in enumerate(raw, 1):
        if isinstance(item, (int, Decimal)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            raise _fail(f"第 {i} 项应为一行文字")
        text = strip_enumerator(" ".join(strip_control(item).split()))
        if text:
            items.append(text)
    return items


# ---------------------------------------------------------------- adapters


def _check_size(value: Any) -> Any:
    """Refuse numbers no budget has: a number written in the file skips the text parser's limit."""
    if isinstance(value, int):
        too_big = value.bit_length() > 80  # about 24 decimal digits
    else:
        if not value.is_finite():
            raise _fail("应为有限的数字")
        too_big = value.adjusted() >= MAX_DIGITS or len(value.as_tuple().digits) > MAX_DIGITS
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_DIGITS:
            raise _fail(f"小数位数过多(超过 {MAX_DIGITS} 位),请检查")
    if too_big:
        raise _fail(f"数字位数过多(超过 {MAX_DIGITS} 位),请检查")
    return value


def _check_range(q_min: Decimal | None, q_max: Decimal | None, unit: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if q_min is not None and value < q_min:
            raise _fail(f"不能小于 {q_min}{unit}")
        if q_max is not None and value > q_max:
            raise _fail(f"不能大于 {q_max}{unit}")
        return value

    return check


def _check_chars(max_chars: int | None) -> Callable[[str], str]:
    def check(value: str) -> str:
        if max_chars is not None:
            n = len(value.replace("\n", ""))
            if n > max_chars:
                raise _fail(f"不超过 {max_chars} 字(现有 {n} 字)")
        return value

    return check


def _check_choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices:
            raise _fail("应为以下之一:" + "、".join(choices))
        return value

    return check


def _check_items(min_items: int, max_items: int | None) -> Callable[[list[Any]], list[Any]]:
    def check(value: list[Any]) -> list[Any]:
        if len(value) < min_items:
            raise _fail(f"至少 {min_items} 项(现有 {len(value)} 项)")
        if max_items is not None and len(value) > max_items:
            raise _fail(f"至多 {max_items} 项(现有 {len(value)} 项)")
        return value

    return check


# numeric type -> (parser, the lower bound when the form sets none, the unit in messages)
_NUMERIC: dict[str, tuple[Callable[[Any], Any], Decimal | None, str]] = {
    "money": (parse_money, Decimal(0), "万元"),
    "percent": (parse_percent, None, "%"),
    "number": (parse_number, None, ""),
    "integer": (parse_integer, Decimal(0), ""),
}


@lru_cache(maxsize=256)
def _adapter(
    kind: str,
    q_min: Decimal | None,
    q_max: Decimal | None,
    max_chars: int | None,
    choices: tuple[str, ...],
    min_items: int,
    max_items: int | None,
) -> TypeAdapter[Any]:
    """One pydantic adapter per distinct constraint set, built when first needed."""
    t: Any
    if kind in _NUMERIC:
        parse, default_min, unit = _NUMERIC[kind]
        lowest = default_min if q_min is None else q_min
        t = Annotated[
            Any,
            BeforeValidator(parse),
            AfterValidator(_check_size),
            AfterValidator(_check_range(lowest, q_max, unit)),
        ]
    elif kind == "date":
        t = Annotated[Any, BeforeValidator(parse_date)]
    elif kind == "docno":
        t = Annotated[Any, BeforeValidator(lambda v: str(parse_docno(v)))]
    elif kind == "choice":
        t = Annotated[Any, BeforeValidator(_one_line), AfterValidator(_check_choice(choices))]
    elif kind == "paragraphs":
        t = Annotated[Any, BeforeValidator(_paragraphs), AfterValidator(_check_chars(max_chars))]
    elif kind == "strings":
        t = Annotated[Any, BeforeValidator(_strings), AfterValidator(_check_items(min_items, max_items))]
    else:  # text
        t = Annotated[Any, BeforeValidator(_one_line), AfterValidator(_check_chars(max_chars))]
    return TypeAdapter(t)


def _validate_scalar(question: Question, raw: Any) -> Value:
    adapter = _adapter(
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
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["type"] == "zjeval":
            raise InvalidValue(error["msg"]) from None
        raise InvalidValue(f"{shown(raw)} 不是有效的值") from None  # pragma: no cover - all ours


def is_empty(value: Any) -> bool:
    """An answer that counts as not given: None, blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def validate(question: Question, raw: Any) -> Value:
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
    records: list[dict[str, Value]] = []
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
        record: dict[str, Value] = {}
        for f in question.fields:
            try:
                v = validate(f, item.get(f.id))
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


# ---------------------------------------------------------------- formatting


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
