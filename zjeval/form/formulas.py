"""The 指标值 formulas of a 评分表 indicator: fixed kinds over question ids (ratio, change, a
figure as it is), never evaluated code. Each builds its value once as a calc expression, which
scoring evaluates in Decimal and the workbook writes as a formula of the 数据表 cells."""


from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from zjeval.form.question import Id, Signed, Strict
from zjeval.form.rule_kinds import NEW, NOT_APPLICABLE, memo

if TYPE_CHECKING:  # imported where an expression is built (as in rule_kinds)
    from zjeval.form.calc import Expr

# An operand: a question id, or a list of ids that are added, or {add: [...], sub: [...]} (Signed).


Operand = Id | list[Id] | Signed


def operand_ids(op: Operand) -> list[str]:
    if isinstance(op, str):
        return [op]
    if isinstance(op, list):
        return list(op)
    return [*op.add, *op.sub]


class Ratio(Strict):
    """value = num / den × 100 (%)."""

    kind: Literal["ratio"]
    num: Operand
    den: Operand


class Change(Strict):
    """value = (this − last) / last × 100 (%); a zero base reads 新增."""

    kind: Literal["change"]
    this: Operand
    last: Operand


class Direct(Strict):
    """value = a figure as it is (e.g. a survey's satisfaction %)."""

    kind: Literal["value"]
    of: Id


Formula = Annotated[Ratio | Change | Direct, Field(discriminator="kind")]


def operand_expr(op: Operand) -> "Expr":
    """The operand over its figures, one input per question id (also a question's carry_calc)."""
    from zjeval.form.calc import Var

    if isinstance(op, str):
        return Var(op)
    ids = op if isinstance(op, list) else op.add
    expr: Expr = Var(ids[0])
    for qid in ids[1:]:
        expr = expr + Var(qid)
    for qid in [] if isinstance(op, list) else op.sub:
        expr = expr - Var(qid)
    return expr


def formula_reads(formula: Ratio | Change | Direct) -> list[str]:
    """The question ids a formula reads, in order (an id may repeat)."""
    if isinstance(formula, Ratio):
        return [*operand_ids(formula.num), *operand_ids(formula.den)]
    if isinstance(formula, Change):
        return [*operand_ids(formula.this), *operand_ids(formula.last)]
    return [formula.of]


def value_expr(formula: Ratio | Change | Direct, required: set[str]) -> "Expr":
    """指标值 (%) over the figures (inputs named by question id): blank while a required figure
    is, 不适用 for a zero denominator, 新增 for a change from zero. One definition for scoring
    (Decimal) and the workbook (formulas of the 数据表 cells)."""
    return memo().get(formula, frozenset(required), lambda: _value_expr(formula, required))


def _value_expr(formula: Ratio | Change | Direct, required: set[str]) -> "Expr":
    from zjeval.form.calc import Var, blank, fn, if_

    if isinstance(formula, Ratio):
        a, b = operand_expr(formula.num), operand_expr(formula.den)
        expr = if_(b.eq(0), NOT_APPLICABLE, a / b * 100)
    elif isinstance(formula, Change):
        a, b = operand_expr(formula.this), operand_expr(formula.last)
        expr = if_(b.eq(0), if_(a.eq(0), NOT_APPLICABLE, NEW), (a - b) / b * 100)
    else:
        expr = Var(formula.of)
    needed = [q for q in dict.fromkeys(formula_reads(formula)) if q in required]
    if needed:
        expr = if_(fn("OR", *(blank(Var(q)) for q in needed)), "", expr)
    return expr
