"""What the help forbids, taken out of an answer before it is validated. Pure.

The interview calls `tidy` on what was typed: 《》 around a title the report quotes itself
(questions with `strip_quotes: true`) and a leading 一是 / 1、 / (一) in list items are removed,
with a note saying so; a bare "无" (a word of the form's `placeholder` rules) where an answer
is needed is refused.
`doubt` finds answers that are valid but probably meant otherwise (a percent typed as 0.95).
Everything a normaliser needs to know comes from the question, never from its id.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from zjeval import numerals
from zjeval.answers import percent
from zjeval.answers.parsing import normalize, parse_percent, strip_enumerator
from zjeval.answers.values import InvalidValue
from zjeval.form.models import Question

# 一是 / 二是, 第一, / 首先 and their like at the start of a list item; the report numbers items.
_SPOKEN = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[,，、:：]|首先|其次)[,，、:：]?\s*"
)
_READ_AS_DIGITS = ("money", "percent", "number", "integer", "date", "docno")
_QUOTES = re.compile(r"^\s*《+\s*(.*?)\s*》+\s*$", re.S)


_WORDS = re.compile(rf"^\s*({numerals.NUMERAL})\s*(分|个|项|人|次)?\s*$")


def words_number(text: str) -> Decimal | None:
    """A number written in words ('十分' 10, '二十五' 25, '一百零三' 103, '八十七点五' 87.5), else
    None (zjeval/numerals.py: only exact numerals; '十几' or '一百五' are not read)."""
    m = _WORDS.match(text)
    return None if m is None else numerals.value(m[1])


def _item(text: str) -> str:
    """A list item without the number or 一是 typed in front of it."""
    out = _SPOKEN.sub("", strip_enumerator(text), count=1)
    return out if out != text.strip() else text


def _empty(text: str, words: frozenset[str]) -> bool:
    return text.strip() in words or text.strip().rstrip("。.") in words


def _strings(question: Question, raw: list[object], words: frozenset[str]) -> tuple[list[object], list[str]]:
    notes: list[str] = []
    out: list[object] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, str):
            out.append(item)
            continue
        if item.strip() and _empty(item, words):
            raise InvalidValue(f"第 {i} 项只写了「{item.strip()}」:请写出具体内容;没有更多的直接回车结束")
        clean = _item(item)
        if clean != item:
            cut = item.strip()[: len(item.strip()) - len(clean.strip())].strip()
            notes.append(f"已去掉第 {i} 项开头的「{cut}」(报告会自动编号),记为:{clean.strip()}")
        out.append(clean)
    return out, notes


def tidy(question: Question, raw: object, words: frozenset[str] = frozenset()) -> tuple[object, list[str]]:
    """(what to validate, notes on what was changed); InvalidValue when the answer says nothing
    (one of `words`: the form's `placeholder` rules name them) where an answer is needed."""
    if question.type == "strings":
        if isinstance(raw, str):
            raw = [raw] if raw.strip() else []
        if isinstance(raw, list):
            return _strings(question, raw, words)
        return raw, []
    if question.type == "records" and isinstance(raw, list):
        notes: list[str] = []
        records: list[object] = []
        for n, record in enumerate(raw, 1):
            if not isinstance(record, dict):
                records.append(record)
                continue
            clean: dict[object, object] = {}
            for key, value in record.items():
                try:
                    field = question.field(key)
                except KeyError:
                    clean[key] = value
                    continue
                try:
                    clean[key], more = tidy(field, value, words)
                except InvalidValue as exc:
                    raise InvalidValue(f"第 {n} 项「{field.label}」:{exc.message}") from None
                notes += [f"第 {n} 项「{field.label}」:{m}" for m in more]
            records.append(clean)
        return records, notes
    if isinstance(raw, str) and question.type in ("number", "integer"):
        read = words_number(raw)
        if read is not None:
            return str(read), [f"已把「{raw.strip()}」记为 {read}"]
    if isinstance(raw, str) and question.type in _READ_AS_DIGITS:
        plain = normalize(raw)  # the one normalisation before digits are read: shown, not silent
        return raw, [f"全角字符已换成半角,按「{plain}」读取"] if plain != raw.strip() else []
    if not isinstance(raw, str) or question.type not in ("text", "paragraphs"):
        return raw, []
    text = raw
    if question.required and text.strip() and _empty(text, words):
        raise InvalidValue(f"不能只写「{text.strip()}」:请写出具体内容")
    if question.strip_quotes:
        m = _QUOTES.match(text)
        if m and "《" not in m[1] and "》" not in m[1]:
            return m[1], [f"已去掉书名号《》,报告中会自动加上:{m[1]}"]
    return text, []


def doubt(question: Question, raw: object) -> tuple[str, str] | None:
    """(question to ask back, the answer meant) for a valid answer that was probably meant otherwise.

    A percent of 0.95 or 1 is most likely 95% or 100% typed as a fraction (answers/percent.py).
    """
    if question.type != "percent" or not isinstance(raw, str) or normalize(raw).endswith("%"):
        return None
    try:
        value = parse_percent(raw)
    except (ValueError, InvalidOperation):
        return None
    return percent.ask_back(value)
