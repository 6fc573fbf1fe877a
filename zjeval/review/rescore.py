"""复核得分: the submission's score recomputed from its own figures, then the profile's automatic
rules applied (../shared/DOMAIN.md §9). Pure.

From the figures: the scorecard (zjeval.assess.scoring) without the overrides that raise a score
above what the figures give. Then each row beyond its target by the `over_target` percentage
loses its points, and the `execution_cap` band the 执行率 falls under caps the total.
"""

from __future__ import annotations

from decimal import Decimal

from zjeval.assess.scoring import Scorecard
from zjeval.form import calc
from zjeval.form.decimals import num, q2
from zjeval.form.profile import total_expr
from zjeval.form.target_rows import RowResult
from zjeval.review.facts import Facts
from zjeval.review.profile import Cap, ExecutionCap, OverTarget, Profile


def beyond(row: RowResult, percent: Decimal) -> bool:
    """Whether a quantitative row's actual passes its target by `percent` % or more."""
    if row.target is None or row.actual is None or row.target <= 0:
        return False
    if row.nature == "up":
        return row.actual >= row.target * (1 + percent / 100)
    if row.nature == "down":
        return row.actual <= row.target * (1 - percent / 100)
    return False


def cap_for(rule: ExecutionCap, execution: Decimal | None) -> Cap | None:
    """The band the 执行率 falls under with the lowest cap, if any."""
    if execution is None:
        return None
    caps = [c for c in rule.caps if execution < c.below]
    return min(caps, key=lambda c: c.max) if caps else None


def review_score(facts: Facts, profile: Profile) -> tuple[Decimal | None, list[str]]:
    """(复核得分, how it differs from the figures' own score, one phrase each)."""
    card = facts.plain
    if card is None:
        return None, []
    notes = []
    if card.total is None:
        # a row the figures cannot score (a 定量 row with words for its actual) gets nothing
        pending = [i for i in card.items if i.score is None]
        if len(pending) == len(card.items):
            return None, []
        notes.append(f"{len(pending)}个指标无法按数据计分,按0分计")
    total = sum((Decimal(i.score) for i in card.items if i.score is not None), Decimal(0))
    total = _rescaled(card, total)
    if card is not facts.card:
        notes.insert(0, "不计提高得分的调整")
    for rule in profile.of(OverTarget):
        assert isinstance(rule, OverTarget)
        # a row the scoring profile has already docked (its own over-target rule) is not docked twice
        over = [r for r in card.rows if beyond(r, rule.percent) and not r.penalty]
        if over and rule.points:
            lost = rule.points * len(over)
            total -= lost
            notes.append(f"{len(over)}个指标超过年度指标值{num(rule.percent)}%以上,扣{num(lost)}分")
    for rule in profile.of(ExecutionCap):
        assert isinstance(rule, ExecutionCap)
        cap = cap_for(rule, facts.execution)
        if cap is not None and total > cap.max:
            total = cap.max
            rate = num(q2(facts.execution or Decimal(0)))
            notes.append(f"执行率{rate}%低于{num(cap.below)}%,总分不超过{num(cap.max)}分")
    return q2(max(Decimal(0), total)), notes


def _rescaled(card: Scorecard, total: Decimal) -> Decimal:
    """折算 by the scoring profile's own expression (form.profile.total_expr, as `score` does it):
    indicators marked 不适用 leave out their 分值, the rest are scaled to the full total."""
    fw = card.framework
    if fw.rows is None or fw.rows.not_applicable is None:
        return total
    dropped = sum((s.indicator.weight for s in card.items if not s.applicable), Decimal(0))
    if dropped >= fw.total:  # nothing left to scale
        return total
    scaled = calc.evaluate(total_expr(fw.total, None, True), {"t": total, "n": dropped})
    return calc.number_or_none(scaled) or total
