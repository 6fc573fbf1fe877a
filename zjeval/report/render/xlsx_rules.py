"""Excel formulas for the 评分表: an indicator's value from the 数据表 cells, its score by the
framework's rule and the reason for a deduction, in the same words as the report.

Nothing here knows a rule: each rule kind (zjeval.form.rule_kinds, the target rows' RowRule, the
profile's total) builds its score and reason once as an expression, which scoring evaluates
in Decimal and this module prints with cell references. The sheet recomputes them when a
数据表 figure or a judgment is edited. Constants are written as the report writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from zjeval.form import calc
from zjeval.form.decimals import num
from zjeval.form.framework import JUDGED, Change, Formula, Framework, Rule, formula_reads, value_expr
from zjeval.form.profile import total_expr
from zjeval.form.row_rule import RowRule
from zjeval.form.rule_kinds import computed_cell

n = num  # a constant as the report prints it: 3, 2.5, 0.03
Ref = Callable[[str], str | None]  # question id -> its 数据表 cell ("'数据表'!C5"), None if absent


s = calc.text_literal  # a string literal, in pieces under Excel's 255 characters


def value_formula(formula: Formula, ref: Ref, required: Callable[[str], bool]) -> str | None:
    """指标值 (%) from the 数据表 cells, by the formula's one definition (framework.value_expr);
    None when a figure it reads has no cell in this report."""
    reads = formula_reads(formula)
    cells = {qid: ref(qid) for qid in reads}
    found = {qid: c for qid, c in cells.items() if c is not None}
    if len(found) != len(cells):
        return None
    return calc.formula(value_expr(formula, {q for q, c in found.items() if required(c)}), found)


def computed(formula: Formula | None, rule: Rule, v: str, f: str, w: Decimal) -> tuple[str, str]:
    """(得分, 扣分原因) formulas of a computed indicator whose 指标值 is in cell v, score in f."""
    assert not isinstance(rule, JUDGED), "a computed indicator has a rate rule (the framework checks it)"
    cell = computed_cell(rule, isinstance(formula, Change), w)
    cells = {"v": v, "f": f}
    return calc.formula(cell.score, cells), calc.formula(cell.reason, cells)


def judged(rule: Rule, v: str, f: str, w: Decimal, note: str) -> tuple[str, str]:
    """(得分, 扣分原因) of a judged indicator: v holds the tier, or the count the evaluator gave."""
    assert isinstance(rule, JUDGED), "a judged indicator's rule is one the evaluator answers"
    cell = rule.cell(w, note)
    cells = {"v": v, "f": f}
    return calc.formula(cell.score, cells), calc.formula(cell.reason, cells)


ROW_ROLES = {"d": "nature", "e": "target", "g": "actual", "h": "weight", "i": "score"}  # a row rule's cells


def row_cells(r: int, letters: dict[str, str]) -> dict[str, str]:
    """A row rule's cells in sheet row `r`; `letters`: each column role's letter, as the layout places it."""
    return {name: f"{letters[role]}{r}" for name, role in ROW_ROLES.items()}


def row_score(rule: RowRule, r: int, letters: dict[str, str]) -> str:
    """得分 of a quantitative indicator row of the 自评表, from its own cells."""
    return calc.formula(rule.score(), row_cells(r, letters))


def row_remark(rule: RowRule, r: int, note: str, letters: dict[str, str]) -> str:
    """A 定性 row's 偏差原因 cell: the tier its 得分 falls in, then the evaluator's reason."""
    return calc.formula(rule.remark(note), row_cells(r, letters))


def total(framework: Framework, t: str, n: str, x: str) -> str:
    """The 总分 from the sum of scores (t), the 分值 of rows marked 不适用 (n) and the 执行率 (x):
    折算 and caps as the scoring profile says."""
    profile = framework.active
    rows = framework.rows
    rescale = rows is not None and rows.not_applicable is not None
    expr = total_expr(framework.total, profile.caps if profile else None, rescale)
    return calc.formula(expr, {"t": t, "n": n, "x": x})


def grade_formula(total: str, grades: list[tuple[str, Decimal]]) -> str:
    """The grade of the total as nested IFs, highest band first: IF(ROUND(F9,2)>=90,"优",…).

    ROUND: the total is a float sum of 0.01 scores, and 89.99999999 must not miss 90.
    """
    bands = sorted(grades, key=lambda b: b[1], reverse=True)
    expr = '""'
    for name, low in reversed(bands):
        quoted = '"' + name.replace('"', '""') + '"'
        if low <= 0 and expr == '""':
            expr = quoted
        else:
            expr = f"IF(ROUND({total},2)>={format(low.normalize(), 'f')},{quoted},{expr})"
    return expr
