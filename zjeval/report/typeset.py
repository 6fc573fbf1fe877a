"""Numbers and punctuation as a published document prints them: one format per kind of number,
full-width Chinese punctuation (GB/T 15834) in the text the program generates.

Pure string functions, shared by the builder and every renderer, so the text, Markdown, DOCX
and XLSX outputs cannot disagree about how a figure looks.
"""

from __future__ import annotations

import re
import unicodedata

from zjeval.answers.formatting import CENT as CENT
from zjeval.answers.formatting import NumberKind as NumberKind
from zjeval.answers.formatting import show as show


def unit_of(kind: NumberKind) -> str:
    return {"money": "万元", "percent": "%"}.get(kind, "")


# ------------------------------------------------------------------ punctuation

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PLACEHOLDER = "\ue000"  # stands for a {field} of a template: it sits in a Chinese sentence


def is_cjk(ch: str) -> bool:
    """A Chinese character or full-width sign (a neighbour that makes punctuation Chinese)."""
    return ch == _PLACEHOLDER or (unicodedata.east_asian_width(ch) in "WF" and not ch.isspace())


def _neighbours_cjk(text: str, i: int, j: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[j] if j < len(text) else ""
    return (before != "" and is_cjk(before)) or (after != "" and is_cjk(after))


_PAIR = re.compile(r"\(([^()]*)\)")


def fullwidth(text: str) -> str:
    """Half-width , : ; ? ! ( ) beside Chinese text become ，：；？！（）; Latin text stays as is.

    A pair of brackets turns full-width when either side of it, or anything inside, is Chinese.
    """

    def pair(m: re.Match[str]) -> str:
        inner = m[1]
        if any(is_cjk(c) for c in inner) or _neighbours_cjk(text, m.start(), m.end()):
            return f"（{inner}）"
        return m[0]

    text = _PAIR.sub(pair, text)
    out = []
    for i, ch in enumerate(text):
        full = _HALF_TO_FULL.get(ch)
        if full is not None and _neighbours_cjk(text, i, i + 1):
            # 12:30 and 1,000 stay: a digit on both sides is not a Chinese sentence's pause
            out.append(full)
        else:
            out.append(ch)
    return "".join(out)


_FIELD = re.compile(r"\{[^{}]*\}")
_TERMINAL = "。！？；…"
_CLOSERS = "）」』”’》"


def writes_sentences(template: str) -> bool:
    """A template whose own words are sentences (they hold a 。), not a label (组长：{name})."""
    return "。" in _FIELD.sub("", template)


def end_sentence(text: str, template: str) -> str:
    """A sentence the program wrote ends with 。: when the template writes sentences and the
    answer filling its end did not close it. Labels and lists stay as they are."""
    if not writes_sentences(template):
        return text
    body = text.rstrip()
    core = body.rstrip(_CLOSERS)
    if not core or core[-1] in _TERMINAL:
        return body
    return body + "。"


def fullwidth_template(template: str) -> str:
    """A template's own words made full-width; its {fields} (the user's answers) left untouched."""
    fields = _FIELD.findall(template)
    marked = _FIELD.sub(_PLACEHOLDER, template)
    typeset = fullwidth(marked)
    it = iter(fields)
    return re.sub(_PLACEHOLDER, lambda _m: next(it), typeset)


HALF_WIDTH_NEAR_CJK = re.compile(r"[\u3400-\u9fff][,:;(]|[,:;(][\u3400-\u9fff]")
"""What a test looks for: a half-width , : ; ( next to a Chinese character."""


# ------------------------------------------------------------------ layout in characters

LINE_CHARS = 28  # characters a body line holds (GB/T 9704: 28 × 22)


def width(text: str) -> float:
    """Printed width in characters of the body size: CJK and full-width 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def signature_starts(unit: str, date: str, seal: bool, line: int = LINE_CHARS) -> tuple[float, float]:
    """Where the 署名 and the 成文日期 start, in characters from the left margin (GB/T 9704 7.3.5).

    Without a seal (7.3.5.2): the 署名 右空二字, the date starting two characters right of the
    署名's first character; a longer date is 右空二字 and the 署名 moves left to match.
    With a seal (7.3.5.1): the date 右空四字, the 署名 centred over the date.
    """
    u, d = width(unit), width(date)
    if seal:
        date_start = line - 4 - d
        unit_start = date_start + (d - u) / 2
    else:
        unit_start = line - 2 - u
        date_start = unit_start + 2
        if date_start + d > line - 2:
            date_start = line - 2 - d
            unit_start = date_start - 2
    return max(0.0, unit_start), max(0.0, date_start)
