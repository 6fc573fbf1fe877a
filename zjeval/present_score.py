"""The 评分表 on a narrow terminal (80 columns): one line per indicator, its score at the right
edge, the reason for a deduction wrapped beneath — and a number is never broken across lines.

The wide table (present.scorecard_table) is used where its six columns fit; this layout is
what a standard 80×24 terminal gets. Lines are measured in terminal cells, so CJK text fits.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from zjeval import ui

if TYPE_CHECKING:
    from zjeval.assess.scoring import IndicatorScore, Scorecard

WIDE = 120  # the six-column table needs about this many cells to keep its columns readable
# a number, with its sign, thousands separators, decimals and percent sign: kept on one line
_ATOM = re.compile(r"[-+]?\d[\d,.]*%?|[A-Za-z]+|.", re.S)


def cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Text in lines of at most `width` cells (after `indent`), breaking anywhere but inside a
    number or a Latin word (a number longer than a line stays whole on its own line), and never
    before closing punctuation (，。；) — the character before it goes down with it."""
    room = max(1, width - cells(indent))
    lines: list[list[str]] = []
    line: list[str] = []
    for atom in _ATOM.findall(text):
        if atom == "\n":
            lines.append(line)
            line = []
            continue
        if line and cells("".join(line) + atom) > room:
            carry = [line.pop()] if atom in _CLOSING and len(line) > 1 else []
            lines.append(line)
            line = [] if atom.isspace() else [*carry, atom]
        else:
            line.append(atom)
    if line or not lines:
        lines.append(line)
    return [indent + "".join(x).rstrip() for x in lines]


_CLOSING = frozenset("，。；：、）」』》！？,.;:)")


def _fit(left: str, right: str, width: int, indent: str) -> list[str]:
    """`left` wrapped, with `right` at the right edge of its first line."""
    gap = 2
    first_room = width - cells(right) - gap
    head = wrap(left, first_room, "")
    out = [head[0] + " " * (width - cells(head[0]) - cells(right)) + right]
    rest = left[len(head[0]) :].lstrip() if len(head) > 1 else ""
    if rest:
        out += wrap(rest, width, indent)
    return out


def _score(item: IndicatorScore) -> str:
    from zjeval.form.decimals import num

    weight = num(item.indicator.weight)
    if not item.applicable:
        return f"不适用 / {weight}"
    if item.score is None:
        return f"待填写 / {weight}"
    return f"{item.score}{'*' if item.overridden else ''} / {weight}"


def lines(card: Scorecard, title: str, width: int) -> list[str]:
    """The narrow 评分表 as plain lines of at most `width` cells."""
    from zjeval.form.decimals import num

    out = wrap(title, width)
    profile = card.framework.active
    if profile is not None:
        out += wrap(f"评分办法：{profile.name}", width)
    out.append("─" * width)
    for sub in card.subtotals:
        subtotal = "待填写" if sub.score is None else str(sub.score)
        out += _fit(f"{sub.name}", f"小计 {subtotal} / {num(sub.weight)}", width, "  ")
        for item in (i for i in card.items if i.indicator.level1 == sub.name):
            ind = item.indicator
            value = "" if item.value_text in ("", ind.name) else f"  {item.value_text}"
            out += _fit(f"  {ind.name}{value}", _score(item), width, "    ")
            if item.overridden:
                out += wrap(f"已调整（计算得分 {item.computed}）：{item.reason}", width, "    ")
            elif item.reason:
                out += wrap(f"扣分：{item.reason}", width, "    ")
    out.append("─" * width)
    total = "待填写" if card.total is None else str(card.total)
    grade = f"  等级：{card.grade}" if card.grade else ""
    out += _fit("合计", f"{total} / {num(card.framework.total)}{grade}", width, "  ")
    for adj in card.adjustments:
        out += wrap(f"{ADJUSTMENT_WORDS[adj.kind]}：{adj.text}", width, "  ")
        out += wrap(f"（依据：{adj.source}）", width, "    ")
    return out


ADJUSTMENT_WORDS = {"penalty": "扣分", "rescale": "折算", "cap": "上限"}


def style_of(line: str) -> str | None:
    """The wide table's colours, by line: what is still 待填写 in yellow, an adjusted score's note in
    magenta, a deduction dim (colour only: NO_COLOR or a pipe prints the same words)."""
    text = line.strip()
    if "待填写" in text:
        return "yellow"
    if text.startswith("已调整"):
        return "magenta"
    if text.startswith(("扣分：", "（依据：")):
        return "dim"
    return None


def print_narrow(card: Scorecard, title: str, width: int) -> None:
    console = ui.out()
    for line in lines(card, title, width):
        console.print(line, markup=False, highlight=False, soft_wrap=True, style=style_of(line))
