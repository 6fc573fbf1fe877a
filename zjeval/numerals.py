"""Numbers written in Chinese words, read and written: the one converter. Pure.

Reports write counts and amounts in words ('内设七个科室', '一百零三人', '三十二万元',
'百分之九十八点六', '二〇二一年度'). Only an exact numeral in its standard written form is read:
`value('一千零五')` is 1005, while '一千五' (spoken for 1500), '三四十' (a range), '十几', '百'
alone (as in '近百人') and '十四五' are no numerals and give None. A misread is worse than no
read: every parse is checked by writing the value back (`words`) and comparing. Accepted variants
of the standard form: 〇 for 零, 两 for 二 before 百/千/万/亿 (and '两' alone), a leading 一十.

`amount_digits` writes an amount with its unit in digits ('三十二万元' -> '32万元') for the
parsers of zjeval/answers/parsing.py; `year_digits` does the same for '二〇二一年'; `counts` finds
the exact figures in words in a text. `approximate` says whether the words around a numeral make
it a rough figure (近, 约, 上, 余, 多, 左右 …) and `not_a_count` whether they make it an ordinal
or part of a word (第一, 统一, 之一); readers of figures check both before they type a value.
Used by the importer (figures, 内设机构, 自评表 cells, years), the review's prose checks, the
interview's tidy ('十分') and the outline's numbering (`words`).
"""

from __future__ import annotations

import re
from decimal import Decimal

_DIGITS = "零一二三四五六七八九"
_VALUES = {c: n for n, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_PLACES = {"十": 10, "百": 100, "千": 1000}
LIMIT = 10**12  # 万亿 and beyond are not read

# A run of numeral characters, for a pattern to find before it asks `value` (regex source).
NUMERAL = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
PERCENT = "百分之"

# Words that make a figure rough when they stand right before it or right after it (its unit
# included): 近百人, 约三十二万元, 上万人次, 二十余人, 100人左右.
APPROX_BEFORE = ("将近", "接近", "大约", "大概", "差不多", "近", "约", "逾", "超")
APPROX_AFTER = ("余", "多", "来", "几", "许", "左右", "上下", "开外", "不等")
# Before a numeral in words only ('数十万元', '上千人', '几十'); before digits they are words of
# the phrase ('在职人数103人').
APPROX_BEFORE_WORDS = ("数", "上", "几")
# Characters right before a numeral that make it no count: an ordinal (第一, 每一), a word
# (统一, 唯一, 之一, 万一, 初一).
NOT_BEFORE = "第每同某任唯统单逐之初周其万亿千百十点"


def _section(n: int, leading: bool) -> str:
    """1..9999 in words; `leading`: the first section of the number, where 10-19 drop the 一."""
    out, zero, started = "", False, False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // place % 10
        if d == 0:
            zero = zero or started
            continue
        if zero:
            out, zero = out + "零", False
        out += unit if (unit == "十" and d == 1 and leading and not started) else _DIGITS[d] + unit
        started = True
    return out


def words(n: int) -> str:
    """An integer 0 <= n < 10**12 in standard written words: 17 -> 十七, 105 -> 一百零五,
    10500 -> 一万零五百, 1001000 -> 一百万一千."""
    if not 0 <= n < LIMIT:
        raise ValueError(n)
    if n == 0:
        return "零"
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    out, started, gap = "", False, False
    for part, unit in ((yi, "亿"), (wan, "万"), (low, "")):
        if part == 0:
            gap = gap or started
            continue
        if started and (gap or part < 1000):
            out += "零"
        out += _section(part, not started) + unit
        started, gap = True, False
    return out


def _loose(text: str) -> int | None:
    """The value `text` would have if it were well formed (checked by the caller), else None."""
    total, wan, section = 0, 0, 0
    digit: int | None = None
    for ch in text:
        if ch in _VALUES:
            digit = _VALUES[ch]
        elif ch in _PLACES:
            section += (1 if digit is None else digit) * _PLACES[ch]
            digit = None
        elif ch == "万":
            if wan:
                return None
            wan = (section + (digit or 0)) * 10**4
            section, digit = 0, None
        elif ch == "亿":
            if total or wan:
                return None
            total = (section + (digit or 0)) * 10**8
            section, digit = 0, None
        else:
            return None
    return total + wan + section + (digit or 0)


def _standard(text: str) -> str:
    """`text` with the accepted variants written the standard way (〇, 两, a leading 一十)."""
    text = text.replace("〇", "零")
    text = "二" if text == "两" else re.sub(r"两(?=[百千万亿])", "二", text)
    return text[1:] if text.startswith("一十") else text


def integer(text: str) -> int | None:
    """'十七' -> 17, '两百' -> 200, '一亿零五' -> 100000005; None for anything not exactly a
    numeral in its standard form ('一百五', '三四十', '百', '十四五', '一般')."""
    if not text or len(text) > 40:
        return None
    n = _loose(text)
    if n is None or n >= LIMIT:
        return None
    return n if words(n) == _standard(text) else None


def value(text: str) -> Decimal | None:
    """An integer or a decimal in words: '一千二百三十四点五' -> Decimal('1234.5'), '零点五' ->
    Decimal('0.5'); None when `text` is not exactly one (see `integer`)."""
    head, dot, tail = text.partition("点")
    whole = integer(head)
    if whole is None:
        return None
    if not dot:
        return Decimal(whole)
    if not tail or any(c not in _VALUES or c == "两" for c in tail):
        return None
    return Decimal(f"{whole}.{''.join(str(_VALUES[c]) for c in tail)}")


def digit_string(text: str) -> str | None:
    """A number written digit by digit, as years are: '二〇二一' -> '2021'; else None."""
    if len(text) < 2 or any(c not in _VALUES or c == "两" for c in text):
        return None
    return "".join(str(_VALUES[c]) for c in text)


# Patterns as sources, compiled by re (and cached there) when first used: the outline's
# numbering imports this module for `words` alone, on every check.
_YEAR_WORDS = r"([〇零一二三四五六七八九]{4})(?=\s*年)"


def year_digits(text: str) -> str:
    """'二〇二一年度' -> '2021年度': years written digit by digit, in digits; the rest unchanged."""
    return re.sub(_YEAR_WORDS, lambda m: digit_string(m[1]) or m[1], text)


def in_words(text: str) -> bool:
    """Whether `text` holds a numeral character (一, 十, 〇 …; 万 and 亿 alone are units: 600万元)."""
    return re.search(r"[零〇一二两三四五六七八九十百千]", text) is not None


_AMOUNT = rf"^(?P<pct>{PERCENT})?(?P<num>{NUMERAL}|百)(?P<unit>.*)$"
# What may follow a numeral in an amount: a measure word or a unit, nothing else ('一般', '一致',
# '十分重要' are words, not amounts).
COUNTERS = "个人名项家次条件所处户台辆座间场期批套份篇本天年分"
MEASURES = ("人次", "万元", "亿元", "元", "公里", "千米", "米", "平方米", "亩", "吨", "小时", "%", "％")


def _unit_ok(unit: str) -> bool:
    return unit == "" or unit in MEASURES or (len(unit) == 1 and unit in COUNTERS)


def amount_digits(text: str) -> str | None:
    """An amount with words in it, in digits, its unit kept: '三十二万元' -> '32万元',
    '一百零三人' -> '103人', '百分之九十八点六' -> '98.6%'; an amount in digits unchanged; None when
    its words are not an exact numeral."""
    if not in_words(text):
        return text
    for unit in ("万元", "亿元"):  # '三十二万元': the 万 belongs to the unit, not the numeral
        if text.endswith(unit) and (n := value(text[: -len(unit)])) is not None:
            return f"{n}{unit}"
    m = re.match(_AMOUNT, text)
    if m is None or not _unit_ok(m["unit"].strip()):
        return None
    if m["pct"] and m["num"] == "百" and not m["unit"]:
        return "100%"
    n = value(m["num"])
    if n is None:
        return None
    return f"{n}%{m['unit'].strip()}" if m["pct"] else f"{n}{m['unit'].strip()}"


def approximate(before: str, figure: str, after: str) -> str | None:
    """The word that makes `figure` (between `before` and `after`) rough ('近', '余', '左右'),
    or None when nothing does."""
    before, after = before.rstrip(), after.lstrip()
    rough = APPROX_BEFORE + (APPROX_BEFORE_WORDS if not re.search(r"[0-9]", figure) else ())
    hit = next((w for w in rough if before.endswith(w)), None)
    return hit or next((w for w in APPROX_AFTER if after.startswith(w)), None)


def not_a_count(before: str) -> bool:
    """Whether the character right before a numeral makes it an ordinal or part of a word."""
    return bool(before) and before[-1] in NOT_BEFORE


UNITS = ("万元", "亿元", "元", "人次", "人", "个", "名", "项", "家", "次")
_IN_WORDS = rf"(?P<pct>{PERCENT})?(?P<num>{NUMERAL})\s*(?P<unit>{'|'.join(UNITS)})?"


def counts(text: str) -> list[tuple[int, str]]:
    """Every exact figure written in words in `text`, as (where it starts, the amount in digits):
    a numeral followed by its unit (人, 个, 万元 …) or preceded by 百分之; not an ordinal or part
    of a word (第一个, 统一), not a rough figure (近百人, 二十余人, 十几个)."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(_IN_WORDS, text):
        if not (m["pct"] or m["unit"]) or not_a_count(text[: m.start()]):
            continue
        figure = m[0].replace(" ", "")
        digits = amount_digits(figure)
        if digits is not None and not approximate(text[: m.start()], figure, text[m.end() :]):
            out.append((m.start(), digits))
    return out
