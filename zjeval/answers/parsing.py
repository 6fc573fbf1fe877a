"""Parsing what people type into typed answer values: money, percentages, numbers, dates, 发文字号,
and the clean-up every text answer gets (control characters, hand-typed list numbers).

Parsers raise pydantic's custom error (`fail`) with a Chinese message saying what to type;
values.validate turns it into InvalidValue. Money is Decimal in 万元.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from pydantic_core import PydanticCustomError

from zjeval import textsafe
from zjeval.answers.kinds import Value as Value  # re-exported: the parsers' result


def fail(message: str) -> PydanticCustomError:
    """The error a parser raises: pydantic keeps `message` as the error's text."""
    return PydanticCustomError("zjeval", message)


# Control characters, non-characters and lone surrogates are invisible, break DOCX and XLSX, and are
# never meant: they are removed from every answer, wherever it comes from (file, prompt, import).
strip_control = textsafe.clean


def shown(raw: object) -> str:
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


# The one normalisation before a number is read (the README's 「数字的写法」 and the messages say
# so): full-width ASCII (０-９ ，．％ …, U+FF01-FF5E) becomes ASCII and the ideographic space a
# space. Nothing else: superscripts (²), circled (①) and other scripts' digits stay what they are,
# so that '17²' is not silently read as 172.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
DIGITS = frozenset("0123456789")


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, surrounding space removed (see _FULL_WIDTH)."""
    return text.translate(_FULL_WIDTH).strip()


def is_digits(text: str) -> bool:
    """The one digit test: non-empty and ASCII 0-9 only (str.isdigit also accepts '²', which int()
    refuses, and other scripts' digits)."""
    return bool(text) and all(c in DIGITS for c in text)


# ---------------------------------------------------------------- parsers

_MONEY_UNITS: list[tuple[str, Decimal]] = [
    ("万元", Decimal(1)),
    ("亿元", Decimal(10000)),
    ("万", Decimal(1)),
    ("亿", Decimal(10000)),
    ("元", Decimal("0.0001")),
]
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")  # thousands separators, and only those
MAX_DIGITS = 24  # beyond this a figure is a typo, and Decimal's 28-digit context would round it


def _decimal(text: str, what: str, example: str) -> Decimal:
    text = text.replace(" ", "")
    if "," in text:
        if not _GROUPED.match(text):
            raise fail(f"应为{what}:逗号只能用作千位分隔符(如 12,552.67),小数点请用“.”,例如 {example}")
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise fail(f"应为{what},例如 {example}")
    if sum(c in DIGITS for c in text) > MAX_DIGITS:
        raise fail(f"数字位数过多(超过 {MAX_DIGITS} 位),请检查")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        raise fail(f"应为{what},例如 {example}") from None
    return abs(value) if value == 0 else value  # no "-0.00"


def parse_money(raw: object) -> Decimal:
    """'12,552.67' '12552.67万元' '１２５５２．６７' '125526700元' -> Decimal('12552.67') (万元)."""
    if isinstance(raw, bool):
        raise fail("应为金额(万元),例如 12552.67")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, float):
        # Only reachable from code, never from our loaders; go through str to keep what was written.
        return Decimal(repr(raw))
    if not isinstance(raw, str):
        raise fail("应为金额(万元),例如 12552.67")
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


def _parse_decimal(raw: object, what: str, example: str, suffix: str) -> Decimal:
    """A number given as a number, or as text with an optional unit suffix."""
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        raise fail(f"应为{what},例如 {example}")
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    return _decimal(normalize(raw).removesuffix(suffix).strip(), what, example)


def parse_percent(raw: object) -> Decimal:
    """'95.5' '95.5%' '９５．５％' -> Decimal('95.5')."""
    return _parse_decimal(raw, "百分数", "95.5 或 95.5%", "%")


def parse_number(raw: object) -> Decimal:
    """'87.5' '８７．５' '87.5分' -> Decimal('87.5')."""
    return _parse_decimal(raw, "数字", "87.5", "分")


def parse_integer(raw: object) -> int:
    """'8' '８' '8个' -> 8."""
    if isinstance(raw, bool):
        raise fail("应为整数,例如 8")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal) and raw == raw.to_integral():
        return int(raw)
    if not isinstance(raw, str):
        raise fail("应为整数,例如 8")
    text = re.sub(r"[个人项次家名条]$", "", normalize(raw)).replace(" ", "")
    if "," in text and not re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+", text):
        raise fail("应为整数:逗号只能用作千位分隔符(如 1,200),例如 8")
    text = text.replace(",", "")
    if not is_digits(text[1:] if text[:1] in "+-" else text):
        raise fail("应为整数,例如 8")
    if len(text) > MAX_DIGITS:
        raise fail(f"数字位数过多(超过 {MAX_DIGITS} 位),请检查")
    return int(text)


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$", re.ASCII),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII),
]


def parse_date(raw: object) -> dt.date:
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
                    raise fail(f"没有这一天:{raw.strip()}") from None
    raise fail("应为日期,例如 2020年9月2日 或 2020-09-02")


class DocNo(NamedTuple):
    """A 发文字号: 机关代字, 年份, 序号."""

    agency: str
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.agency}〔{self.year}〕{self.number}号"


_DOCNO = re.compile(
    r"^(?P<agency>[\u4e00-\u9fff]+?)\s*[〔\[(【［{<《「]\s*(?P<year>[0-9]+)\s*[〕\])】］}>》」]"
    r"\s*第?\s*(?P<num>[0-9]+)\s*号?$"
)


def parse_docno(raw: object) -> DocNo:
    """'湛财评【2020】06号' '湛财评[2020]6' '湛财评〔2020〕6号' -> DocNo('湛财评', 2020, 6)."""
    example = "湛财评〔2020〕6号"
    if not isinstance(raw, str):
        raise fail(f"应为发文字号,例如 {example}")
    text = normalize(raw).replace("〔", "[").replace("〕", "]")
    m = _DOCNO.match(text)
    if not m:
        raise fail(f"应为发文字号(机关代字〔年份〕序号号),例如 {example}")
    if len(m["year"]) != 4:
        raise fail(f"年份应写全四位,例如 {example}")
    number = int(m["num"])
    if number == 0:
        raise fail(f"序号应为正整数,例如 {example}")
    return DocNo(m["agency"], int(m["year"]), number)


# Leading enumerators people type into list items; the report numbers items itself.
_ENUMERATOR = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]"
    r"|\d+\s*[、.．)）](?!\d)|[①-⑳])\s*"
)


def strip_enumerator(text: str) -> str:
    """'1、办公室' '(一)拟订…' '③…' -> the text without its hand-typed number."""
    return _ENUMERATOR.sub("", text, count=1)


def number_text(raw: int | Decimal) -> str:
    """A number written where text was asked for, as the text it was: 0.0000001 stays 0.0000001
    (str() would give 1E-7)."""
    return format(raw, "f") if isinstance(raw, Decimal) else str(raw)


def one_line(raw: object) -> str:
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        raw = number_text(raw)
    if not isinstance(raw, str):
        raise fail("应为一行文字")
    return " ".join(strip_control(raw).split())


def paragraphs(raw: object) -> str:
    if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        raw = "\n".join(raw)
    if not isinstance(raw, str):
        raise fail("应为文字,可分多段")
    text = strip_control(raw.replace("\r\n", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def strings(raw: object) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise fail("应为列表,每项一行")
    items = []
    for i, item in enumerate(raw, 1):
        if isinstance(item, (int, Decimal)) and not isinstance(item, bool):
            item = number_text(item)
        if not isinstance(item, str):
            raise fail(f"第 {i} 项应为一行文字")
        text = strip_enumerator(" ".join(strip_control(item).split()))
        if text:
            items.append(text)
    return items
