"""Target rows as the framework describes them, checked beyond its own rule: a figure that reads
as a fraction of % (the one rule in answers/percent.py, shared with the interview and `zjeval
table`) and a 二级指标 outside its 一级 group's list (`rows.groups[].level2`)."""

from __future__ import annotations

from typing import Protocol

from zjeval.form.models import Form
from zjeval.form.rules import Context


class Checking(Context, Protocol):
    """The checker's context, which also knows its form."""

    form: Form


def check(ctx: Checking) -> None:
    """Target rows: a fraction against a unit of % (answers/percent.py), a 二级 outside its
    一级 group's list (both the framework's data)."""
    scoring_ = ctx.form.scoring
    if scoring_ is None or scoring_.rows is None:
        return
    card = ctx.scorecard()
    if card is None:  # pragma: no cover - a form with scoring always has its scorecard
        return
    from zjeval.answers import percent

    spec = scoring_.rows
    qid = spec.question
    labels = spec.fields.labels(ctx.questions[qid])
    groups = {g.level1: g.level2 for g in spec.groups}
    for row in card.rows:
        at = f"第 {row.index} 行「{row.name}」"
        for role, value, meant in percent.row_fractions(row.unit, row.target, row.actual):
            name = labels.target if role == "target" else labels.actual
            ctx.add(
                qid,
                "warning",
                f"{at}{name} {percent.text(value)} 的单位是 %,是否指 {percent.text(meant)}%?"
                f"按 {percent.text(value)}% 计分会差很多,请核对",
            )
        allowed = groups.get(row.level1) or []
        if allowed and row.level2 and row.level2 not in allowed:
            ctx.add(
                qid,
                "error",
                f"{at}的{labels.level2}「{row.level2}」不属于{row.level1},应为:{'、'.join(allowed)}",
            )
