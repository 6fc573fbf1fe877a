"""How a row of the target-based 自评表 is scored and explained (DOMAIN §6), as one rule whose
expressions scoring evaluates in Decimal and the workbook writes as the row's formulas: 正向
(≥) 分值 × 实际 ÷ 指标值, 反向 (≤) 分值 × 指标值 ÷ 实际, both capped at 分值; = full when met,
else 0; 定性 a tier's share of 分值; with the profile's over-target penalty and 不适用 marks. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from zjeval.form import calc
from zjeval.form.calc import Expr, Var, blank, cat, choose, fn, if_, settled
from zjeval.form.decimals import num
from zjeval.form.rule_kinds import Tier, memo, tier_by_score
from zjeval.form.target_rows import Nature, Natures, NotApplicable, OverTarget, RowResult, Rows, number

# ------------------------------------------------------------ the row rule, as expressions
# Inputs: d 指标性质, e 年度指标值, g 实际完成值, h 分值, i 得分, t a 定性 row's tier.
D, E, G, H, SCORE, T = (Var(x) for x in "deghit")


def _is(x: Expr, words: list[str]) -> Expr:
    return fn("OR", *(x.eq(w) for w in words))


@dataclass(frozen=True)
class RowRule:
    """How a row is scored and explained: one definition for scoring and the workbook."""

    natures: Natures
    tiers: list[Tier]
    over_target: OverTarget | None = None
    not_applicable: NotApplicable | None = None

    @classmethod
    def of(cls, rows: Rows, tiers: list[Tier]) -> RowRule:
        """The rule of a framework's rows (built once per framework: scoring asks for every row)."""
        return memo().get(
            rows, id(tiers), lambda: cls(rows.natures, list(tiers), rows.over_target, rows.not_applicable)
        )

    def _kept(self, key: str, build: Callable[[], Expr]) -> Expr:
        return memo().get(self, key, build)

    def _unless_marked(self, expr: Expr, said: Expr | str) -> Expr:
        """`said` for a row marked 不适用 (when the profile lets rows be marked), else expr."""
        if self.not_applicable is None:
            return expr
        return if_(_is(G, self.not_applicable.words), said, expr)

    def _over(self) -> Expr:
        assert self.over_target is not None
        return fn("AND", E.gt(0), settled(G - E * (1 + self.over_target.over / 100)).ge(0))

    def score(self) -> Expr:
        return self._kept("score", self._score)

    def _score(self) -> Expr:
        """A quantitative row's 得分: blank while something is missing, 不适用 when marked."""
        n = self.natures
        up: Expr = if_(fn("OR", G.ge(E), E.eq(0)), H, fn("MAX", 0, H * G / E))
        if self.over_target is not None:
            up = if_(self._over(), fn("MAX", 0, H - self.over_target.points), up)
        down = if_(fn("OR", G.le(E), G.eq(0)), H, H * E / G)
        equal = if_(G.eq(E), H, 0)
        chosen = choose(
            [
                (_is(D, n.up), fn("ROUND2", up)),
                (_is(D, n.down), fn("ROUND2", down)),
                (_is(D, n.equal), fn("ROUND2", equal)),
            ],
            "",
        )
        missing = fn("OR", blank(H), fn("NOT", fn("ISNUMBER", E)), fn("NOT", fn("ISNUMBER", G)))
        negative = fn("OR", E.lt(0), G.lt(0))  # no ratio rule fits a negative value: 待填写, check says why
        return self._unless_marked(if_(missing, "", if_(negative, "", chosen)), NOT_APPLICABLE)

    def tier_score(self) -> Expr:
        return self._kept("tier_score", self._tier_score)

    def _tier_score(self) -> Expr:
        """A 定性 row's 得分: 分值 × its tier's share."""
        share = choose([(T.eq(t.name), t.default) for t in self.tiers], 0)
        scored = if_(fn("OR", blank(T), blank(H)), "", fn("ROUND2", H * share))
        return self._unless_marked(scored, NOT_APPLICABLE)

    def why(self) -> Expr:
        return self._kept("why", self._why)

    def _why(self) -> Expr:
        """How a quantitative row lost points (or was penalised), over its inputs and 得分 (i)."""
        n = self.natures
        up_short = cat("未达到指标值，按", G, "÷", E, "×", H, "分计")
        up: Expr = if_(fn("OR", G.ge(E), E.eq(0)), "", up_short)
        if self.over_target is not None:
            p = self.over_target
            said = f"实际完成值超过指标值{num(p.over)}%及以上，扣{num(p.points)}分（指标值设定偏低）"
            up = if_(self._over(), said, up)
        down = if_(fn("OR", G.le(E), G.eq(0)), "", cat("超过指标值，按", E, "÷", G, "×", H, "分计"))
        equal = if_(G.eq(E), "", cat("实际", G, "与指标值", E, "不符，不得分"))
        chosen = choose([(_is(D, n.up), up), (_is(D, n.down), down), (_is(D, n.equal), equal)], "")
        na = cat("实际完成值为「", G, "」，不计分，总分按其余指标折算")
        return self._unless_marked(if_(blank(SCORE), "", chosen), na)

    def tier_why(self) -> Expr:
        return self._kept("tier_why", self._tier_why)

    def _tier_why(self) -> Expr:
        """A 定性 row's deduction, over its tier."""
        cases = [
            (T.eq(t.name), f"评为{t.name}，按分值的{num(t.default * 100)}%计")
            for t in self.tiers
            if t.default < 1
        ]
        return choose(cases, "")

    def remark(self, note: str) -> Expr:
        """The 自评表's 偏差原因 cell of a 定性 row: the tier its 得分 falls in, then the reason.
        Edit the 得分 in the workbook and the tier named follows it."""
        named = cat("评为", tier_by_score(SCORE, H, self.tiers), "。", note)
        return if_(fn("OR", blank(SCORE), fn("NOT", fn("ISNUMBER", SCORE))), note, named)


NOT_APPLICABLE = "不适用"


def evaluate(rows: Rows, index: int, record: Mapping[str, object], tiers: list[Tier]) -> RowResult:
    """Score one row. `tiers` are the framework's (name, default share) tiers for 定性 rows."""
    f = rows.fields

    def text(key: str) -> str:
        value = record.get(key)
        return "" if value is None else str(value).strip()

    raw_weight = record.get(f.weight)
    weight = Decimal(raw_weight) if isinstance(raw_weight, (Decimal, int)) else None
    word = text(f.nature)
    nature = rows.natures.of(word)
    target, actual = number(record.get(f.target)), number(record.get(f.actual))
    rule = RowRule.of(rows, tiers)
    tier = text(f.tier) if nature == "qualitative" else ""
    env: dict[str, calc.Value] = {
        "d": word,
        "e": target if target is not None else (text(f.target) or None),
        "g": actual if actual is not None else (text(f.actual) or None),
        "h": weight,
        "t": tier or None,
    }
    qualitative = nature == "qualitative"
    got = calc.evaluate(rule.tier_score() if qualitative else rule.score(), env)
    applicable = got != NOT_APPLICABLE
    score = calc.number_or_none(got)
    env["i"] = score
    why = calc.text_of(calc.evaluate(rule.tier_why() if qualitative else rule.why(), env))
    reason = text(f.reason)
    remark = calc.text_of(calc.evaluate(rule.remark(reason), env)) if qualitative else reason
    over = rule.over_target is not None and bool(
        score is not None and not qualitative and nature == "up" and calc.evaluate(rule._over(), env)
    )
    return RowResult(
        index=index,
        name=text(f.name),
        level1=text(f.level1),
        level2=text(f.level2),
        nature=nature,
        nature_word=word,
        target_text=text(f.target),
        unit=text(f.unit),
        actual_text=text(f.actual),
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        why=why,
        shortfall=applicable and score is not None and _short(nature, target, actual, tier, tiers),
        reason=reason,
        tier=tier,
        applicable=applicable,
        remark=remark,
        penalty=why if over else "",
    )


def _short(
    nature: Nature | None, target: Decimal | None, actual: Decimal | None, tier: str, tiers: list[Tier]
) -> bool:
    """Whether the row falls short of its target (a 定性 row: a tier below full marks)."""
    if nature == "qualitative":
        found = next((t for t in tiers if t.name == tier), None)
        return found is not None and found.default < 1
    if target is None or actual is None:
        return False
    if nature == "up":
        return actual < target and target != 0
    if nature == "down":
        return actual > target and actual != 0
    return nature == "equal" and actual != target
