"""The 决算's 预算绩效情况说明 over a year's projects: how many were self-evaluated, their money,
and, grade by grade, how many projects and how much money with their shares. Pure.

Shares are Decimal percentages with two decimals that add up to exactly 100.00% (largest
remainder: each share rounded down to 0.01%, the cents left over going to the largest remainders),
so a reader adding the column never finds 99.99% or 100.01%. The wording is the form's
(`projects.statement`); the grade names and their order are the framework's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from zjeval.errors import IncompleteError
from zjeval.form import template
from zjeval.form.decimals import q2
from zjeval.form.models import Statement
from zjeval.projects.summary import ProjectResult, totals

HUNDREDTHS = 10000  # 100.00% in units of 0.01%


def shares(parts: list[Decimal], whole: Decimal) -> list[Decimal]:
    """Each part's share of the whole in %, two decimals, adding up to 100.00 when the parts make the
    whole (nothing to share out: all 0.00)."""
    if whole <= 0:
        return [Decimal("0.00")] * len(parts)
    raw = [p * HUNDREDTHS / whole for p in parts]
    floors = [r.to_integral_value(rounding=ROUND_FLOOR) for r in raw]
    left = HUNDREDTHS - int(sum(floors)) if sum(parts) == whole else 0
    order = sorted(range(len(parts)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [q2(f / 100) for f in floors]


@dataclass(frozen=True)
class GradeLine:
    grade: str
    count: int
    count_share: Decimal
    budget: Decimal
    budget_share: Decimal


def _money(value: Decimal) -> str:
    return f"{q2(value)}万元"


def grade_lines(results: list[ProjectResult], grades: list[str]) -> list[GradeLine]:
    """One line per grade that has projects, in the framework's order; every project must be graded."""
    read = [r for r in results if r.error is None]
    ungraded = [r.name for r in read if r.grade is None]
    if ungraded:
        names = "、".join(ungraded[:5]) + (f"等 {len(ungraded)} 个项目" if len(ungraded) > 5 else "")
        raise IncompleteError(
            f"{names}还没有得分和等级,无法写预算绩效情况说明",
            "先运行 zjeval projects check YEAR,按列出的问题补全这些项目",
        )
    year = totals(results)
    present = [g for g in grades if g in year.by_grade]
    counts = [Decimal(len(year.by_grade[g])) for g in present]
    budgets = [sum((r.budget or Decimal(0) for r in year.by_grade[g]), Decimal(0)) for g in present]
    count_shares = shares(counts, Decimal(year.count))
    budget_shares = shares(budgets, year.budget)
    return [
        GradeLine(g, int(c), cs, b, bs)
        for g, c, cs, b, bs in zip(present, counts, count_shares, budgets, budget_shares, strict=True)
    ]


def statement(results: list[ProjectResult], grades: list[str], spec: Statement, year: int) -> str:
    """The paragraph, from the form's `projects.statement` templates."""
    lines = grade_lines(results, grades)
    sums = totals(results)

    def clause(line: GradeLine) -> str:
        values = {
            "grade": line.grade,
            "count": str(line.count),
            "count_share": f"{line.count_share}%",
            "budget": _money(line.budget),
            "budget_share": f"{line.budget_share}%",
        }
        return template.expand(spec.grade, lambda name, _f: values.get(name))

    values = {
        "year": str(year),
        "count": str(sums.count),
        "budget": _money(sums.budget),
        "exec": _money(sums.exec),
        "grades": "；".join(clause(line) for line in lines),
    }
    return template.expand(spec.text, lambda name, _f: values.get(name))
