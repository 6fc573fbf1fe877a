"""How a review finding is made and what it quotes: a row's target and actual, the 执行率 with
the figures it comes from, and whether a row falls short. Pure."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from zjeval.assess.scoring import IndicatorScore
from zjeval.form.decimals import num, q2
from zjeval.form.target_rows import RowResult
from zjeval.review.facts import Facts
from zjeval.review.model import Finding
from zjeval.review.profile import Rule

Findings = Iterator[Finding]


def finding(rule: Rule, facts: Facts, where: str, what: str, fact: str, advice: str) -> Finding:
    return Finding(
        rule.level, facts.unit, facts.file, where, what, fact, rule.source, rule.advice or advice, rule.id
    )


def behind(row: RowResult) -> bool:
    """Whether a quantitative row's actual falls short of its target, whatever its score."""
    if row.target is None or row.actual is None:
        return False
    if row.nature == "up":
        return row.actual < row.target
    if row.nature == "down":
        return row.actual > row.target
    return row.nature == "equal" and row.actual != row.target


def short(row: RowResult) -> bool:
    return row.shortfall or behind(row)


def row_fact(facts: Facts, row: RowResult) -> str:
    """A row's target and actual, each under the form's own column label."""
    labels = facts.row_labels
    target, actual = (labels.target, labels.actual) if labels is not None else ("", "")
    return (
        f"{target}「{row.nature_word}{row.target_text}{row.unit}」,"
        f"{actual}「{row.actual_text}{row.unit if row.actual is not None else ''}」"
    )


def reason_fact(facts: Facts, row: RowResult) -> str:
    """A row's 偏差原因 under the form's own label ("" when there is none)."""
    labels = facts.row_labels
    return f";{labels.reason}:「{row.reason}」" if row.reason and labels is not None else ""


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{q2(value)}%"


def score_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{num(q2(value))}分"


def funds_fact(facts: Facts) -> str:
    """The 执行率 with the figures it comes from, as the form labels them."""
    questions = facts.form.questions()
    parts = []
    for att in facts.form.attachments:
        if att.funds is not None:
            total = att.funds.total
            for qid in (total.budget, total.exec):
                value = facts.answers.get(qid)
                if value is not None and qid in questions:
                    parts.append(f"{questions[qid].label}{value}")
    return ";".join([*parts, f"执行率{pct(facts.execution)}"])


def full(item: IndicatorScore) -> bool:
    return item.score is not None and item.score >= item.indicator.weight and item.indicator.weight > 0
