"""Framework + Answers -> Scorecard: every indicator's value, score and reason. Pure, exact.

Rates are Decimal percentages; scores are rounded half-up to 0.01 per indicator and the total
is the sum of the rounded scores, so the 评分表 adds up as printed. A missing figure leaves
the indicator 待填写 (and the total open); a zero denominator makes it 不适用 — never a crash,
never a made-up 100%.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from zjeval.answers.model import Answers
from zjeval.answers.parsing import strip_control
from zjeval.form import target_rows
from zjeval.form.decimals import CENT as CENT
from zjeval.form.decimals import num as num
from zjeval.form.decimals import q2 as q2
from zjeval.form.framework import (
    Bands,
    Change,
    Checklist,
    Deduction,
    Direct,
    Framework,
    Indicator,
    Operand,
    Proportional,
    Qualitative,
    Ratio,
    Signed,
    Target,
    Threshold,
    count_question,
    reason_question,
    tier_question,
)
from zjeval.form.models import Question
from zjeval.form.target_rows import RowResult

HUNDRED = Decimal(100)
PENDING = "待填写"
NOT_APPLICABLE = "不适用"
NEW = "新增"


def pct(value: Decimal) -> str:
    return f"{q2(value)}%"


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    value: Decimal | None  # the rate in %, when the formula gives one
    value_text: str  # what the 评分表 prints in the value column
    score: Decimal | None  # None: 待填写
    reason: str = ""  # why points were deducted (or why not applicable)
    overridden: bool = False
    computed: Decimal | None = None  # the computed score an override replaced


@dataclass(frozen=True)
class Subtotal:
    name: str
    weight: Decimal
    score: Decimal | None


@dataclass(frozen=True)
class Scorecard:
    framework: Framework
    items: tuple[IndicatorScore, ...]
    subtotals: tuple[Subtotal, ...]
    total: Decimal | None
    grade: str | None
    problems: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (indicator id, message)
    rows: tuple[RowResult, ...] = ()  # the target-based 自评表's rows, as understood and scored

    @property
    def pending(self) -> list[str]:
        return [s.indicator.name for s in self.items if s.score is None]


def _sum(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None while any score is still 待填写."""
    total = Decimal(0)
    for score in scores:
        if score is None:
            return None
        total += score
    return total


class _Missing(Exception):
    """A figure the formula needs has no answer."""


class _NotApplicable(Exception):
    def __init__(self, text: str, why: str) -> None:
        super().__init__(why)
        self.text = text
        self.why = why


class _Scorer:
    def __init__(self, framework: Framework, questions: dict[str, Question], answers: Answers) -> None:
        self.framework = framework
        self.questions = questions
        self.answers = answers

    # ------------------------------------------------------------ figures

    def figure(self, qid: str) -> Decimal:
        value = self.answers.get(qid)
        if value is None:
            q = self.questions.get(qid)
            if q is not None and not q.required:
                return Decimal(0)  # an optional figure left blank counts as 0, as its help says
            raise _Missing(qid)
        return Decimal(value)

    def operand(self, op: Operand) -> Decimal:
        if isinstance(op, str):
            return self.figure(op)
        if isinstance(op, list):
            return sum((self.figure(q) for q in op), Decimal(0))
        assert isinstance(op, Signed)
        return sum((self.figure(q) for q in op.add), Decimal(0)) - sum(
            (self.figure(q) for q in op.sub), Decimal(0)
        )

    def value(self, ind: Indicator) -> Decimal:
        f = ind.formula
        if isinstance(f, Ratio):
            num_, den = self.operand(f.num), self.operand(f.den)
            if den == 0:
                raise _NotApplicable(NOT_APPLICABLE, "分母为0")
            return num_ / den * HUNDRED
        if isinstance(f, Change):
            this, last = self.operand(f.this), self.operand(f.last)
            if last == 0:
                if this == 0:
                    raise _NotApplicable(NOT_APPLICABLE, "上年与本年均为0")
                raise _NotApplicable(NEW, "上年为0,本年为新增")
            return (this - last) / last * HUNDRED
        assert isinstance(f, Direct)
        return self.figure(f.of)

    # ------------------------------------------------------------ rules

    def rate_rule(self, ind: Indicator, v: Decimal) -> tuple[Decimal, str]:
        w, rule = ind.weight, ind.rule
        if isinstance(rule, Threshold):
            if rule.max is not None and v > rule.max:
                over = v - rule.max
                lost = over * rule.per_point
                return max(Decimal(0), w - lost), (
                    f"{pct(v)}超过{num(rule.max)}%共{q2(over)}个百分点，每个百分点扣{num(rule.per_point)}分"
                )
            if rule.min is not None and v < rule.min:
                under = rule.min - v
                lost = under * rule.per_point
                return max(Decimal(0), w - lost), (
                    f"{pct(v)}低于{num(rule.min)}%共{q2(under)}个百分点，每个百分点扣{num(rule.per_point)}分"
                )
            return w, ""
        if isinstance(rule, Bands):
            for band in rule.bands:
                if v >= band.min:
                    got = f"{pct(v)}不低于{num(band.min)}%，该档得{num(band.score)}分"
                    why = "" if band.score == w else got
                    return band.score, why
            return Decimal(0), f"{pct(v)}低于最低档{num(rule.bands[-1].min)}%，不得分"
        if isinstance(rule, Proportional):
            score = min(w, max(Decimal(0), w * v / HUNDRED))
            return score, "" if score == w else f"按{pct(v)}×{num(w)}分计"
        assert isinstance(rule, Target)
        a = rule.target
        if rule.direction == "up":
            if v >= a:
                return w, ""
            return max(Decimal(0), w * v / a), f"未达到目标{num(a)}%，按{pct(v)}÷{num(a)}%×{num(w)}分计"
        if v <= a or v == 0:
            return w, ""
        return w * a / v, f"超过目标{num(a)}%，按{num(a)}%÷{pct(v)}×{num(w)}分计"

    def judged(self, ind: Indicator) -> IndicatorScore:
        rule, w = ind.rule, ind.weight
        reason = self.answers.get(reason_question(ind)) or ""
        if isinstance(rule, Qualitative):
            tier_name = self.answers.get(tier_question(ind))
            tier = next((t for t in rule.tiers if t.name == tier_name), None)
            if tier is None:
                return IndicatorScore(ind, None, PENDING, None)
            score = w * tier.default
            return IndicatorScore(ind, None, tier.name, q2(score), reason if score < w else "")
        count = self.answers.get(count_question(ind))
        if count is None:
            return IndicatorScore(ind, None, PENDING, None)
        if isinstance(rule, Checklist):
            n = len(rule.items)
            unmet = min(int(count), n)
            score = w * (n - unmet) / n
            text = f"{n - unmet}/{n}项达到"
            each = f"{unmet}项未达到，每项{num(q2(w / n))}分"
            why = each + (f"：{reason}" if reason else "") if unmet else ""
            return IndicatorScore(ind, None, text, q2(score), why)
        assert isinstance(rule, Deduction)
        score = max(Decimal(0), w - rule.per_violation * int(count))
        why = (
            f"{count}处问题，每处扣{num(rule.per_violation)}分" + (f"：{reason}" if reason else "")
            if count
            else ""
        )
        return IndicatorScore(ind, None, f"{count}处问题", q2(score), why)

    def computed(self, ind: Indicator) -> IndicatorScore:
        if ind.formula is None:
            return self.judged(ind)
        try:
            v = self.value(ind)
        except _Missing:
            return IndicatorScore(ind, None, PENDING, None)
        except _NotApplicable as na:
            return IndicatorScore(ind, None, na.text, q2(ind.weight), f"{na.why}，不适用，按满分计")
        score, why = self.rate_rule(ind, v)
        # a deduction that rounds to nothing is no deduction: the 扣分原因 column stays empty
        return IndicatorScore(ind, q2(v), pct(v), q2(score), why if q2(score) < ind.weight else "")

    def override(self, item: IndicatorScore, raw: Any) -> tuple[IndicatorScore, str | None]:
        """Apply an override {score, reason} from the answers file, or say why it is refused."""
        w = item.indicator.weight
        if not isinstance(raw, dict) or set(raw) - {"score", "reason"}:
            return item, "应写为 {score: 得分, reason: 理由}"
        if not isinstance(raw.get("reason"), (str, type(None))):
            return item, "reason 应为一段文字(调整得分的理由)"
        reason = " ".join(strip_control(raw.get("reason") or "").split())
        try:
            score = Decimal(str(raw.get("score")).strip())
        except ArithmeticError:
            return item, f"score 应为 0 至 {num(w)} 之间的数字"
        if not score.is_finite() or not 0 <= score <= w:
            return item, f"score 应为 0 至 {num(w)} 之间的数字"
        if not reason:
            return item, "调整得分必须写明理由(reason)"
        return (
            IndicatorScore(item.indicator, item.value, item.value_text, q2(score), reason, True, item.score),
            None,
        )

    def rows(self) -> tuple[list[tuple[Indicator, IndicatorScore]], list[RowResult], list[tuple[str, str]]]:
        """The unit's own indicator rows as indicators with their scores, and what is wrong with them."""
        spec = self.framework.rows
        if spec is None:
            return [], [], []
        records = self.answers.get(spec.question) or []
        results = [target_rows.evaluate(spec, i, r, self.framework.tiers) for i, r in enumerate(records, 1)]
        out: list[tuple[Indicator, IndicatorScore]] = []
        for row in results:
            ind = Indicator.model_construct(  # built from answers already validated by the form
                id=f"row_{row.index}",
                level1=row.level1,
                level2=row.level2,
                name=row.name,
                weight=row.weight if row.weight is not None else Decimal(0),
                formula=None,
                rule=Proportional(kind="proportional"),
                standard=f"{row.nature_word}{row.target_text}{row.unit}",
            )
            why = row.why + (f"；{row.reason}" if row.why and row.reason else "")
            value = f"{row.actual_text}{row.unit}" if row.actual_text else PENDING
            out.append((ind, IndicatorScore(ind, None, value, row.score, why)))
        problems = []
        groups = {g.level1: g.weight for g in spec.groups}
        for row in results:
            if row.level1 not in groups:
                problems.append(
                    (
                        f"row_{row.index}",
                        f"第 {row.index} 行「{row.name}」的一级指标「{row.level1}」"
                        f"不在评分表的分组中({'、'.join(groups)})",
                    )
                )
        for name, weight in groups.items():
            got = sum((r.weight or Decimal(0) for r in results if r.level1 == name), Decimal(0))
            if results and got != weight:
                problems.append(
                    (name, f"{name}各行分值之和为 {num(got)},应为 {num(weight)};请调整各行的分值")
                )
        return out, results, problems

    def run(self) -> Scorecard:
        row_items, row_results, problems = self.rows()
        by_id = {i.id: i for i in self.framework.indicators} | {ind.id: ind for ind, _ in row_items}
        overrides = self.answers.overrides
        for key in overrides:
            if key not in by_id:
                problems.append((str(key), f"评分框架中没有指标 {key}"))
        items = []
        computed = [(ind, self.computed(ind)) for ind in self.framework.indicators] + row_items
        for ind, item in computed:
            if ind.id in overrides:
                item, problem = self.override(item, overrides[ind.id])
                if problem:
                    problems.append((ind.id, f"「{ind.name}」的得分调整无效:{problem}"))
            items.append(item)
        subtotals = []
        group_weights = (
            {g.level1: g.weight for g in self.framework.rows.groups} if self.framework.rows else {}
        )
        for name in self.framework.level1_names():
            group = [s for s in items if s.indicator.level1 == name]
            weight = group_weights.get(name) or sum((s.indicator.weight for s in group), Decimal(0))
            subtotals.append(Subtotal(name, weight, _sum(s.score for s in group)))
        total = _sum(s.score for s in items)
        grade = self.framework.grade_for(total) if total is not None else None
        return Scorecard(
            self.framework, tuple(items), tuple(subtotals), total, grade, tuple(problems), tuple(row_results)
        )


def score(framework: Framework, questions: dict[str, Question], answers: Answers) -> Scorecard:
    """The 评分表 for these answers."""
    # Figures have at most 24 digits (parsing.MAX_DIGITS); rates of such figures need more than
    # the default 28-digit context to stay exact through division and rounding.
    with localcontext() as ctx:
        ctx.prec = 80
        return _Scorer(framework, questions, answers).run()
