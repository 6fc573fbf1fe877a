"""How the 评分表 treats its numbers, wherever they are computed (scoring, the target rows, the
framework's questions, the workbook's formulas): scores rounded half-up to 0.01, and parameters
written as people write them (3, 2.5, 0.03, not 3.0)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    """A score rounded half-up to 0.01, as the 评分表 prints and adds it."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def num(value: Decimal) -> str:
    """A score or parameter without trailing zeros: 3, 2.5, 0.03."""
    return format(value.normalize(), "f")
