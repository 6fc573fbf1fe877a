"""Scoring profiles (评分办法): the local rules that set weights and adjust a total, as data.

A framework file may hold several `profiles:` and name the one in force with `profile:`. A
profile can set indicator weights and rules (执行率 10 or 20, by bands or proportionally), the
row groups' weights (10/50/30/10, or 四川's 10 + 90), let rows be marked 不适用 and the rest
scaled to the total (折算), take points off a row whose actual far exceeds its target, and cap
the total by the 执行率. Every rule names its `source:`. The total's adjustments are one
expression, evaluated by scoring and written into the workbook. Pure.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from pydantic import Field, model_validator

from zjeval.form.calc import Expr, Var, blank, choose, fn, if_, lift, settled
from zjeval.form.decimals import num, q2
from zjeval.form.question import Id, Label, Strict
from zjeval.form.rule_kinds import Rule
from zjeval.form.target_rows import NotApplicable, OverTarget, RowGroup


class Cap(Strict):
    below: Decimal = Field(gt=0)  # a rate below this (in %)
    total: Decimal = Field(ge=0)  # caps the total at this


class Caps(Strict):
    """The total may not exceed a step's `total` while the indicator `of`'s rate is below its
    `below` (the tightest step that applies wins)."""

    of: Id
    steps: list[Cap] = Field(min_length=1)
    source: str = Field(min_length=1)

    def applying(self, rate: Decimal) -> Cap | None:
        hits = [c for c in self.steps if rate < c.below]
        return min(hits, key=lambda c: c.total) if hits else None

    def said(self, rate: Decimal, cap: Cap, name: str, raw: Decimal, total: Decimal) -> str:
        """The cap as `score` explains it: why, and whether it lowered the total."""
        shown = q2(rate)
        if shown >= cap.below:  # 79.996% prints as 80.00%: show the digits that put it below
            shown = rate.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
        why = f"{name}{shown}%低于{num(cap.below)}%，总分不超过{num(cap.total)}分"
        lowered = total == cap.total and cap.total < raw
        return why + ("，总分由此调整为" if lowered else "，未超过，不调整") + f" {total} 分"


class Profile(Strict):
    name: Label
    source: str = Field(min_length=1)  # where the 评分办法 comes from
    weights: dict[Id, Decimal] = Field(default_factory=dict)  # indicator id -> weight
    rules: dict[Id, Rule] = Field(default_factory=dict)  # indicator id -> its rule
    groups: list[RowGroup] | None = None  # the row groups and their weights
    caps: Caps | None = None
    over_target: OverTarget | None = None
    not_applicable: NotApplicable | None = None

    @model_validator(mode="after")
    def _weights(self) -> Profile:
        bad = [k for k, w in self.weights.items() if w <= 0]
        if bad:
            raise ValueError(f"weights 中 {'、'.join(bad)} 的权重应大于 0")
        return self


def rescale_said(raw: Decimal, dropped: Decimal, total: Decimal, scaled: Decimal) -> str:
    """折算 as `score` explains it."""
    how = f"{raw}÷{num(total - dropped)}×{num(total)}"
    return f"不适用的指标共 {num(dropped)} 分不计，{how}折算为 {scaled} 分"


# Inputs of the total: t the sum of the scores, n the 分值 of the rows marked 不适用, x the rate
# that caps (the 执行率).
T, N, X = Var("t"), Var("n"), Var("x")


def total_expr(total: Decimal, caps: Caps | None, rescale: bool) -> Expr:
    """The total after 折算 and the cap; blank while the sum is."""
    expr: Expr = T
    if rescale:
        expr = if_(N.gt(0), fn("ROUND2", T * total / (lift(total) - N)), T)
    if caps is not None:
        steps = sorted(caps.steps, key=lambda c: c.total)
        cap = if_(fn("ISNUMBER", X), choose([(settled(X).lt(c.below), c.total) for c in steps], ""), "")
        expr = if_(blank(cap), expr, fn("MIN", expr, cap))
    return if_(blank(T), "", expr)
