"""The scoring rule kinds of a 评分表 indicator, one class each, as data and as expressions.

Each kind is a pydantic model (what the framework file says) that builds its score and its
deduction reason once, as zjeval.form.calc expressions: scoring evaluates them in Decimal,
the workbook writes them as formulas, and a test holds the two readings together.

Inputs of an indicator's cells: `v` its value (a rate in %, 不适用/新增, a tier, a count; blank
while 待填写) and `f` its score cell (the reason follows the score, as in the workbook).
"""


import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from zjeval.form.decimals import num, q2
from zjeval.form.question import Label, Strict

if TYPE_CHECKING:  # calc is imported where an expression is built (scoring, the workbook), not to
    from zjeval.form.calc import Expr, Memo  # read a framework: check need not import it

NOT_APPLICABLE = "不适用"
NEW = "新增"


@dataclass(frozen=True)
class Cell:
    """An indicator's score and reason, as expressions over its inputs."""

    score: "Expr"
    reason: "Expr"


@functools.cache
def memo() -> "Memo":
    """The memo of the expressions built (one for every rule kind and formula)."""
    from zjeval.form.calc import Memo

    return Memo()


@functools.cache
def inputs() -> "tuple[Expr, Expr]":
    """`v` and `f`, an indicator cell's inputs (see the module's docstring)."""
    from zjeval.form.calc import Var

    return Var("v"), Var("f")


class Threshold(Strict):
    """Full marks while the value stays within the limit; minus `per_point` per point beyond, floor 0."""

    kind: Literal["threshold"]
    max: Decimal | None = None
    min: Decimal | None = None
    per_point: Decimal = Field(gt=0)

    @model_validator(mode="after")
    def _one_side(self) -> "Threshold":
        if (self.max is None) == (self.min is None):
            raise ValueError("threshold 需要且只能给出 max 或 min 之一")
        return self

    def rate(self, v: "Expr", w: Decimal) -> "tuple[Expr, Expr]":
        from zjeval.form.calc import cat, fn, lift, pct

        k = num(self.per_point)
        if self.max is not None:
            beyond, side, limit = v - self.max, "超过", self.max
        else:
            assert self.min is not None
            beyond, side, limit = lift(self.min) - v, "低于", self.min
        score = fn("MAX", 0, lift(w) - fn("MAX", 0, beyond) * self.per_point)
        why = cat(pct(v), f"{side}{num(limit)}%共", fn("TEXT2", beyond), f"个百分点，每个百分点扣{k}分")
        return score, why


class Band(Strict):
    min: Decimal
    score: Decimal = Field(ge=0)


class Bands(Strict):
    """Banded steps: the first band whose lower bound (inclusive) the value reaches gives the score."""

    kind: Literal["bands"]
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending(self) -> "Bands":
        mins = [b.min for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("bands 应按 min 从高到低排列,且不重复")
        return self

    def rate(self, v: "Expr", w: Decimal) -> "tuple[Expr, Expr]":
        from zjeval.form.calc import cat, choose, pct

        score = choose([(v.ge(b.min), b.score) for b in self.bands], 0)
        why = choose(
            [
                (
                    v.ge(b.min),
                    "" if b.score == w else cat(pct(v), f"不低于{num(b.min)}%，该档得{num(b.score)}分"),
                )
                for b in self.bands
            ],
            cat(pct(v), f"低于最低档{num(self.bands[-1].min)}%，不得分"),
        )
        return score, why


class Proportional(Strict):
    """weight × value / 100, capped at the weight."""

    kind: Literal["proportional"]

    def rate(self, v: "Expr", w: Decimal) -> "tuple[Expr, Expr]":
        from zjeval.form.calc import cat, fn, lift, pct

        score = fn("MIN", w, fn("MAX", 0, lift(w) * v / 100))
        return score, cat("按", pct(v), f"×{num(w)}分计")


class Target(Strict):
    """正向 (up: the more the better) weight × B/A; 反向 (down) weight × A/B; capped at the weight."""

    kind: Literal["target"]
    target: Decimal = Field(gt=0)
    direction: Literal["up", "down"] = "up"

    def rate(self, v: "Expr", w: Decimal) -> "tuple[Expr, Expr]":
        from zjeval.form.calc import cat, fn, if_, lift, pct

        a, W = self.target, num(w)
        if self.direction == "up":
            score = if_(v.ge(a), w, fn("MAX", 0, lift(w) * v / a))
            return score, cat(f"未达到目标{num(a)}%，按", pct(v), f"÷{num(a)}%×{W}分计")
        score = if_(fn("OR", v.le(a), v.eq(0)), w, lift(w) * a / v)
        return score, cat(f"超过目标{num(a)}%，按{num(a)}%÷", pct(v), f"×{W}分计")


RateRule = Threshold | Bands | Proportional | Target


def computed_cell(rule: RateRule, change: bool, w: Decimal) -> Cell:
    """A computed indicator: blank while its value is; full marks when 不适用 (or 新增)."""
    return memo().get(rule, (change, w), lambda: _computed_cell(rule, change, w))


def _computed_cell(rule: RateRule, change: bool, w: Decimal) -> Cell:
    from zjeval.form.calc import blank, fn, if_, lift, settled

    V, F = inputs()
    rate, why = rule.rate(settled(V), w)
    score = if_(blank(V), "", fn("ROUND2", if_(fn("ISNUMBER", V), rate, w)))
    if change:
        na = if_(V.eq(NEW), "上年为0，本年为新增，不适用，按满分计", "上年与本年均为0，不适用，按满分计")
    else:
        na = lift("分母为0，不适用，按满分计")
    reason = if_(fn("OR", blank(V), blank(F)), "", if_(fn("ISNUMBER", V), if_(F.lt(w), why, ""), na))
    return Cell(score, reason)


class Tier(Strict):
    name: Label
    min: Decimal = Field(ge=0, le=1)  # share of the weight
    max: Decimal = Field(ge=0, le=1)
    default: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _within(self) -> "Tier":
        if not self.min <= self.default <= self.max:
            raise ValueError(f"{self.name}: default 应在 min 与 max 之间")
        return self


def tier_score(tier: "Expr", tiers: list[Tier], w: "Expr | Decimal") -> "Expr":
    """分值 × the chosen tier's share, rounded; blank while no tier is chosen."""
    from zjeval.form.calc import blank, choose, fn, if_, lift

    share = choose([(tier.eq(t.name), t.default) for t in tiers], 0)
    return if_(blank(tier), "", fn("ROUND2", lift(w) * share))


def tier_by_score(score: "Expr", w: "Expr", tiers: list[Tier]) -> "Expr":
    """The name of the tier a score falls in (the highest whose lower share it reaches)."""
    from zjeval.form.calc import choose, settled

    ranked = sorted(tiers, key=lambda t: t.min, reverse=True)
    return choose([(settled(score - w * t.min).ge(0), t.name) for t in ranked[:-1]], ranked[-1].name)


def tail(note: str) -> str:
    return f"：{note}" if note else ""


class Qualitative(Strict):
    """The evaluator picks a tier and gives a reason; the score is the tier's default share.

    Without its own `tiers`, the indicator uses the framework's (filled in when it loads)."""

    kind: Literal["qualitative"]
    tiers: list[Tier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _enough(self) -> "Qualitative":
        if len(self.tiers) == 1:
            raise ValueError("tiers 至少要有两档")
        return self

    def cell(self, w: Decimal, note: str) -> Cell:
        """v: the tier chosen; below full marks the reason names the tier and its share, then the
        evaluator's reason (change the tier in the workbook and the words follow)."""
        return memo().get(self, (w, note), lambda: self._cell(w, note))

    def _cell(self, w: Decimal, note: str) -> Cell:
        from zjeval.form.calc import blank, cat, choose, if_

        V, F = inputs()
        said = choose(
            [(V.eq(t.name), f"评为{t.name}，按权重的{num(t.default * 100)}%计") for t in self.tiers], ""
        )
        return Cell(tier_score(V, self.tiers, w), if_(blank(F), "", if_(F.lt(w), cat(said, tail(note)), "")))


class Checklist(Strict):
    """Check points of equal value; the evaluator counts those not met (v: the number met)."""

    kind: Literal["checklist"]
    items: list[Label] = Field(min_length=1)

    def cell(self, w: Decimal, note: str) -> Cell:
        return memo().get(self, (w, note), lambda: self._cell(w, note))

    def _cell(self, w: Decimal, note: str) -> Cell:
        from zjeval.form.calc import blank, cat, fn, if_, lift

        V, _ = inputs()
        n = len(self.items)
        met = fn("MIN", n, fn("MAX", 0, V))
        score = if_(blank(V), "", fn("ROUND2", lift(w) * met / n))
        why = cat(lift(n) - V, f"项未达到，每项{num(q2(w / n))}分{tail(note)}")
        return Cell(score, if_(blank(V), "", if_(V.lt(n), why, "")))


class Deduction(Strict):
    """Minus `per_violation` for each violation the evaluator records, floor 0 (v: the count)."""

    kind: Literal["deduction"]
    per_violation: Decimal = Field(gt=0)

    def cell(self, w: Decimal, note: str) -> Cell:
        return memo().get(self, (w, note), lambda: self._cell(w, note))

    def _cell(self, w: Decimal, note: str) -> Cell:
        from zjeval.form.calc import blank, cat, fn, if_, lift

        V, _ = inputs()
        p = self.per_violation
        score = if_(blank(V), "", fn("ROUND2", fn("MAX", 0, lift(w) - V * p)))
        why = cat(V, f"处问题，每处扣{num(p)}分{tail(note)}")
        return Cell(score, if_(blank(V), "", if_(V.gt(0), why, "")))


Rule = Annotated[
    Threshold | Bands | Proportional | Target | Qualitative | Checklist | Deduction,
    Field(discriminator="kind"),
]
JUDGED = (Qualitative, Checklist, Deduction)  # rules the evaluator answers, not the figures
