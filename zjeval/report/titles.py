"""Titles broken into lines by meaning (GB/T 9704 7.3.3).

A title that does not fit one line breaks between words, into lines as even as they can be
(a trapezoid or a diamond), and never leaves one character alone on a line. The words are the
answers a title template inserts (a unit's name stays whole), the phrases a form names as break
points, and the domain's common words below; a number stays with the 年/年度 after it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from zjeval.report.typeset import width

TITLE_CHARS = 20  # 二号 (22 pt) characters in the 156 mm text block

# Words a title of this domain is made of; a line never breaks inside one (unless nothing else fits).
LEXICON = (
    "部门整体支出",
    "整体支出",
    "项目支出",
    "绩效自评",
    "绩效评价",
    "自评报告",
    "评价报告",
    "自评",
    "绩效",
    "报告",
    "数据表",
    "评分表",
    "自评表",
    "指标体系",
    "年度",
)
_GLUED_AFTER_DIGIT = re.compile(r"^(年度|年|月|日|号)")

# how much a break costs: at a form's break point or around an answer, between common words,
# inside an unknown run of characters
BREAK_FORM, BREAK_WORD, BREAK_INSIDE = 0, 2, 12


@dataclass(frozen=True)
class Piece:
    text: str
    breakable: bool  # an answer (False: keep whole if at all possible) or fixed words


def _segment(text: str, words: Sequence[str]) -> list[tuple[str, int]]:
    """Fixed words split into (token, cost of a break before it)."""
    out: list[tuple[str, int]] = []
    phrases = sorted(set(words), key=len, reverse=True)
    lexicon = sorted(LEXICON, key=len, reverse=True)
    i = 0
    unknown = ""
    pending_cost = BREAK_WORD
    while i < len(text):
        form_hit = next((p for p in phrases if text.startswith(p, i)), None)
        word = form_hit or next((w for w in lexicon if text.startswith(w, i)), None)
        if word is None:
            unknown += text[i]
            i += 1
            continue
        if unknown:
            out.extend(_chars(unknown, pending_cost))
            unknown, pending_cost = "", BREAK_WORD
        out.append((word, pending_cost))
        pending_cost = BREAK_FORM if form_hit else BREAK_WORD
        i += len(word)
    if unknown:
        out.extend(_chars(unknown, pending_cost))
    return out


def _chars(run: str, first_cost: int) -> list[tuple[str, int]]:
    """An unknown run: one token per character, breaking inside it is expensive."""
    return [(c, first_cost if k == 0 else BREAK_INSIDE) for k, c in enumerate(run)]


def tokens(pieces: Sequence[Piece], words: Sequence[str] = ()) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for piece in pieces:
        if not piece.text:
            continue
        if piece.breakable:
            out.extend(_segment(piece.text, words))
        else:
            inner = _chars(piece.text, BREAK_FORM)
            if width(piece.text) <= TITLE_CHARS:
                inner = [(piece.text, BREAK_FORM)]
            out.extend(inner)
        # a break after an answer is as good as a form's break point
    fixed: list[tuple[str, int]] = []
    for k, (tok, cost) in enumerate(out):
        if k == 0:
            cost = 0
        elif fixed and fixed[-1][0][-1:].isdigit() and _GLUED_AFTER_DIGIT.match(tok):
            cost = 10**6  # 2024 / 年度 never
        fixed.append((tok, cost))
    return fixed


def break_lines(
    pieces: Sequence[Piece], words: Sequence[str] = (), capacity: int = TITLE_CHARS
) -> tuple[str, ...]:
    """The title's lines: as few as fit, as even as possible, no lone character, breaks by meaning."""
    toks = tokens(pieces, words)
    whole = "".join(t for t, _ in toks)
    if width(whole) <= capacity or len(toks) < 2:
        return (whole,)
    widths = [width(t) for t, _ in toks]
    for lines in range(max(2, int(width(whole) // capacity) + 1), 7):
        best: tuple[float, tuple[int, ...]] | None = None
        for cuts in itertools.combinations(range(1, len(toks)), lines - 1):
            bounds = (0, *cuts, len(toks))
            spans = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(spans) > capacity or min(spans) <= 1:
                continue
            mean = sum(spans) / len(spans)
            shape = sum((s - mean) ** 2 for s in spans)
            cost = shape + sum(toks[c][1] for c in cuts) * 4
            if best is None or cost < best[0]:
                best = (cost, bounds)
        if best is not None:
            bounds = best[1]
            return tuple("".join(t for t, _ in toks[a:b]) for a, b in itertools.pairwise(bounds))
    return (whole,)
