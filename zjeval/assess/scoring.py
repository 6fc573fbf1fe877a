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

from zjeval.answers.model import Answers
from zjeval.assess import overrides
from zjeval.form import calc, row_rule
from zjeval.form.decimals import CENT as CENT
from zjeval.form.decimals import num as num
from zjeval.form.decimals import q2 as q2
from zjeval.form.framework import (
    Bands,
    Change,
    Checklist,
    Deduction,
    Framework,
    Indicator,
    Proportional,
    Qualitative,
    Target,
    Threshold,
    count_question,
    formula_reads,
    reason_question,
    tier_question,
    value_expr,
)
from zjeval.form.models import Question
from zjeval.form.profile import rescale_said, total_expr
from zjeval.form.rule_kinds import Cell, computed_cell
from zjeval.form.target_rows import RowResult

RATE_RULES = (Threshold, Bands, Proportional, Target)
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
    applicable: bool = True  # False: a row marked 不适用, left out of the total (折算)


@dataclass(frozen=True)
class Adjustment:
    """A penalty, 折算 or cap of the scoring profile, as applied to these answers."""

    kind: str  # penalty | rescale | cap
    text: str
    source: str


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
    raw_total: Decimal | None = None  # the sum of the scores, before 折算 and caps
    adjustments: tuple[Adjustment, ...] = ()  # the profile's penalties, 折算 and caps, as applied

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


def _cell(cell: Cell, v: calc.Value) -> tuple[Decimal | None, str]:
    """An indicator's (score, reason) for its value, by the rule's one definition."""
    got = calc.number_or_none(calc.evaluate(cell.score, {"v": v}))
    why = calc.text_of(calc.evaluate(cell.reason, {"v": v, "f": got}))
    return got, why


class _Scorer:
    def __init__(self, framework: Framework, questions: dict[str, Question], answers: Answers) -> None:
        self.framework = framework
        self.questions = questions
        self.answers = answers

    # ------------------------------------------------------------ figures

    def value(self, ind: Indicator) -> calc.Value:
        """指标值 by the formula's one definition: a rate, 不适用 or 新增; "" while a required
        figure is missing (an optional one left blank counts as 0, as its help says)."""
        assert ind.formula is not None
        env: dict[str, calc.Value] = {}
        required: set[str] = set()
        for qid in formula_reads(ind.formula):
            value = self.answers.decimal(qid)
            q = self.questions.get(qid)
            if q is None or q.required:
                required.add(qid)
            env[qid] = value if value is not None else (None if qid in required else Decimal(0))
        return calc.evaluate(value_expr(ind.formula, required), env)

    # ------------------------------------------------------------ rules

    def judged(self, ind: Indicator) -> IndicatorScore:
        rule, w = ind.rule, ind.weight
        note = str(self.answers.get(reason_question(ind)) or "")
        if isinstance(rule, Qualitative):
            tier_name = self.answers.get(tier_question(ind))
            if not any(t.name == tier_name for t in rule.tiers):
                return IndicatorScore(ind, None, PENDING, None)
            assert isinstance(tier_name, str)
            got, why = _cell(rule.cell(w, note), tier_name)
            return IndicatorScore(ind, None, tier_name, got, why)
        count = self.answers.integer(count_question(ind))
        if count is None:
            return IndicatorScore(ind, None, PENDING, None)
        if isinstance(rule, Checklist):
            n = len(rule.items)
            met = n - min(int(count), n)
            got, why = _cell(rule.cell(w, note), Decimal(met))
            return IndicatorScore(ind, None, f"{met}/{n}项达到", got, why)
        assert isinstance(rule, Deduction)
        got, why = _cell(rule.cell(w, note), Decimal(int(count)))
        return IndicatorScore(ind, None, f"{count}处问题", got, why)

    def computed(self, ind: Indicator) -> IndicatorScore:
        if ind.formula is None:
            return self.judged(ind)
        rule = ind.rule
        assert isinstance(rule, RATE_RULES)  # the indicator's validator pairs a formula with a rate rule
        cell = computed_cell(rule, isinstance(ind.formula, Change), ind.weight)
        v = self.value(ind)
        if v is None or v == "":
            return IndicatorScore(ind, None, PENDING, None)
        got, why = _cell(cell, v)
        if not isinstance(v, Decimal):
            return IndicatorScore(ind, None, str(v), got, why)
        return IndicatorScore(ind, q2(v), pct(v), got, why)

    def override(self, item: IndicatorScore, raw: object) -> tuple[IndicatorScore, str | None]:
        """Apply an override {score, reason} from the answers file, or say why it is refused."""
        verdict = overrides.judged(item.indicator.weight, raw)
        if isinstance(verdict, str):
            return item, verdict
        score, reason = verdict
        return (
            IndicatorScore(item.indicator, item.value, item.value_text, q2(score), reason, True, item.score),
            None,
        )

    def rows(self) -> tuple[list[tuple[Indicator, IndicatorScore]], list[RowResult], list[tuple[str, str]]]:
        """The unit's own indicator rows as indicators with their scores, and what is wrong with them."""
        spec = self.framework.rows
        if spec is None:
            return [], [], []
        records = self.answers.records(spec.question)
        results = [row_rule.evaluate(spec, i, r, self.framework.tiers) for i, r in enumerate(records, 1)]
        out: list[tuple[Indicator, IndicatorScore]] = []
        for row in results:
            group = spec.group_of(row.level1)
            ind = Indicator.model_construct(  # built from answers already validated by the form
                id=f"row_{row.index}",
                level1=group.level1 if group is not None else row.level1,
                level2=row.level2,
                name=row.name,
                weight=row.weight if row.weight is not None else Decimal(0),
                formula=None,
                rule=Proportional(kind="proportional"),
                standard=f"{row.nature_word}{row.target_text}{row.unit}",
            )
            why = row.why + (f"；{row.reason}" if row.why and row.reason else "")
            value = f"{row.actual_text}{row.unit}" if row.actual_text else PENDING
            if not row.applicable:
                value = row.actual_text
            out.append((ind, IndicatorScore(ind, None, value, row.score, why, applicable=row.applicable)))
        problems = []
        words = spec.level1_words()
        for row in results:
            if row.level1 not in words:
                problems.append(
                    (
                        f"row_{row.index}",
                        f"第 {row.index} 行「{row.name}」的一级指标「{row.level1}」"
                        f"不在评分表的分组中({'、'.join(words)})",
                    )
                )
        for g in spec.groups:
            got = sum((r.weight or Decimal(0) for r in results if r.level1 in g.members()), Decimal(0))
            if results and got != g.weight:
                problems.append(
                    (g.level1, f"{g.level1}各行分值之和为 {num(got)},应为 {num(g.weight)};请调整各行的分值")
                )
        return out, results, problems

    def adjust(
        self, items: list[IndicatorScore], rows: list[RowResult]
    ) -> tuple[Decimal | None, Decimal | None, list[Adjustment]]:
        """(the sum of the scores, the total after 折算 and caps, each adjustment applied)."""
        fw = self.framework
        profile = fw.active
        raw = _sum(s.score for s in items if s.applicable)
        adjustments = [
            Adjustment("penalty", f"第 {r.index} 行「{r.name}」：{r.penalty}", fw.rows.over_target.source)
            for r in rows
            if r.penalty and fw.rows is not None and fw.rows.over_target is not None
        ]
        if profile is None:
            return raw, raw, adjustments
        dropped = sum((s.indicator.weight for s in items if not s.applicable), Decimal(0))
        capping = next((s for s in items if profile.caps and s.indicator.id == profile.caps.of), None)
        # the rate as computed, not as printed: 79.996% is below 80%, as the workbook's cell is
        exact = self.value(capping.indicator) if capping is not None and capping.value is not None else None
        rate = exact if isinstance(exact, Decimal) else None
        rescale = fw.rows is not None and fw.rows.not_applicable is not None
        expr = total_expr(fw.total, profile.caps, rescale)
        total = calc.number_or_none(calc.evaluate(expr, {"t": raw, "n": dropped, "x": rate}))
        if raw is None or total is None:
            return raw, total, adjustments
        if rescale and dropped > 0 and fw.rows is not None and fw.rows.not_applicable is not None:
            scaled = calc.evaluate(total_expr(fw.total, None, True), {"t": raw, "n": dropped})
            assert isinstance(scaled, Decimal)
            said = rescale_said(raw, dropped, fw.total, scaled)
            adjustments.append(Adjustment("rescale", said, fw.rows.not_applicable.source))
        if profile.caps is not None and rate is not None:
            cap = profile.caps.applying(rate)
            if cap is not None and capping is not None:
                said = profile.caps.said(rate, cap, capping.indicator.name, raw, total)
                adjustments.append(Adjustment("cap", said, profile.caps.source))
        return raw, total, adjustments

    def run(self) -> Scorecard:
        row_items, row_results, problems = self.rows()
        by_id = {i.id: i for i in self.framework.indicators} | {ind.id: ind for ind, _ in row_items}
        given = self.answers.overrides
        problems.extend(overrides.unknown(given, by_id))
        items = []
        computed = [(ind, self.computed(ind)) for ind in self.framework.indicators] + row_items
        for ind, item in computed:
            if ind.id in given:
                item, problem = self.override(item, given[ind.id])
                if problem:
                    problems.append((ind.id, overrides.refusal(ind.name, problem)))
            items.append(item)
        subtotals = []
        group_weights = (
            {g.level1: g.weight for g in self.framework.rows.groups} if self.framework.rows else {}
        )
        for name in self.framework.level1_names():
            group = [s for s in items if s.indicator.level1 == name]
            weight = group_weights.get(name) or sum((s.indicator.weight for s in group), Decimal(0))
            subtotals.append(Subtotal(name, weight, _sum(s.score for s in group if s.applicable)))
        raw, total, adjustments = self.adjust(items, row_results)
        grade = self.framework.grade_for(total) if total is not None else None
        return Scorecard(
            self.framework,
            tuple(items),
            tuple(subtotals),
            total,
            grade,
            tuple(problems),
            tuple(row_results),
            raw_total=raw,
            adjustments=tuple(adjustments),
        )


def score(framework: Framework, questions: dict[str, Question], answers: Answers) -> Scorecard:
    """The 评分表 for these answers."""
    # Figures have at most 24 digits (parsing.MAX_DIGITS); rates of such figures need more than
    # the default 28-digit context to stay exact through division and rounding.
    with localcontext() as ctx:
        ctx.prec = 80
        return _Scorer(framework, questions, answers).run()
