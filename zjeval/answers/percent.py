"""Percent sense: the one rule for a value whose unit is % but that reads like a fraction. Pure.

0.992 against a unit of % is almost always 99.2% typed (or formatted in Excel) as a fraction. The
interview asks it back, `zjeval table` reports it, `check` warns of it — all through `meant`, so
the three never disagree about what counts as a fraction.
"""

from __future__ import annotations

from decimal import Decimal

PERCENT_UNITS = frozenset({"%", "％", "百分比", "百分点"})


def is_percent(unit: object) -> bool:
    """Whether a 计量单位 (or a question's type word) means percent."""
    return isinstance(unit, str) and unit.strip() in PERCENT_UNITS


def meant(value: Decimal | None) -> Decimal | None:
    """The percent a fraction in (0, 1] most likely means (0.992 -> 99.2), else None."""
    if value is None or not Decimal(0) < value <= Decimal(1):
        return None
    out = (value * 100).normalize()
    return out.quantize(Decimal(1)) if out == out.to_integral() else out


def text(value: Decimal) -> str:
    """A Decimal as plain digits (no exponent)."""
    return format(value, "f")


def ask_back(value: Decimal) -> tuple[str, str] | None:
    """('填的是 0.992%,是指 99.2% 吗?', '99.2') for a fraction, else None."""
    percent = meant(value)
    if percent is None:
        return None
    return f"填的是 {text(value)}%,是指 {text(percent)}% 吗?", text(percent)


def row_fractions(
    unit: object, target: Decimal | None, actual: Decimal | None
) -> list[tuple[str, Decimal, Decimal]]:
    """For a target row with unit %: ('target' | 'actual', the value, the percent meant) for each
    figure that reads as a fraction. An actual of 0.9 against a target of 0.95 is consistent as
    it is (both fractions, or both tiny percents): only the target is doubted then."""
    if not is_percent(unit):
        return []
    out = []
    for role, value in (("target", target), ("actual", actual)):
        percent = meant(value)
        if percent is None or value is None:
            continue
        if role == "actual" and target is not None and target <= 1:
            continue
        out.append((role, value, percent))
    return out


def from_cell(value: Decimal, number_format: str) -> Decimal:
    """A spreadsheet number as the percent it shows: a cell formatted '0.0%' holds 0.936 for 93.6%."""
    if "%" in number_format:
        return (value * 100).normalize()
    return value
