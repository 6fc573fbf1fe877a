"""Rule kinds over figures and lists: sums, limits, ratios, membership, year over year, dates."""


import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from pydantic import Field

from zjeval.form.question import Id, Label, Question
from zjeval.form.rules.base import NUMERIC, TEXTS, Context, Ref, RuleBase, Severity, fmt, pct, reason_hint


class SumRule(RuleBase):
    """total = sum(parts) − sum(minus), within a tolerance in 万元.

    An optional part left blank counts as 0. `when_answered`: checked only once one of these
    optional figures is answered (a 调整后预算 is 年初预算 + 年中追加 − 年中调减 only where the
    report states the 追加 or 调减; left blank, they are not stated, not 0)."""

    kind: Literal["sum"]
    total: Id
    parts: list[Id] = Field(min_length=1)
    minus: list[Id] = Field(default_factory=list)
    when_answered: list[Id] = Field(default_factory=list)
    tolerance: Decimal = Decimal("0.01")

    def reads(self) -> Iterator[Ref]:
        for key, ids in (("total", [self.total]), ("parts", self.parts), ("minus", self.minus)):
            for qid in ids:
                yield key, qid, ("money",)
        for qid in self.when_answered:
            yield "when_answered", qid, ()

    def shape_problems(self, questions: dict[str, Question]) -> Iterator[tuple[str, str]]:
        named = {self.total, *self.parts, *self.minus}
        for qid in self.when_answered:
            if qid not in named:
                yield "when_answered", f"{qid} 不是本规则的合计或其中一项"

    def check(self, ctx: Context) -> None:
        total = ctx.number(self.total)
        if total is None:
            return
        if self.when_answered and not any(ctx.number(q) is not None for q in self.when_answered):
            return
        parts: list[tuple[str, Decimal, str]] = []
        for qid, sign in [*((q, "+") for q in self.parts), *((q, "−") for q in self.minus)]:
            value = ctx.number(qid)
            if value is None:
                if ctx.questions[qid].required:
                    return  # reported as missing already
                continue
            parts.append((qid, value, sign))
        got = sum((v if sign == "+" else -v for _, v, sign in parts), Decimal(0))
        diff = total - got
        if abs(diff) > self.tolerance:
            items = " ".join(f"{sign} {ctx.label(q)} {fmt(v)}" for q, v, sign in parts).lstrip("+ ")
            ctx.add(
                self.total,
                self.severity,
                f"{ctx.label(self.total)} {fmt(total)} 万元不等于"
                f"{'计算结果' if self.minus else '各项之和'} {fmt(got)} 万元"
                f"({items}),相差 {fmt(abs(diff))} 万元",
            )


class NotAboveRule(RuleBase):
    """`value` should not exceed `limit`, unless `reason` (a text answer) explains it."""

    kind: Literal["not_above"]
    value: Id
    limit: Id
    reason: Id | None = None
    severity: Severity = "warning"

    def reads(self) -> Iterator[Ref]:
        yield "value", self.value, NUMERIC
        yield "limit", self.limit, NUMERIC
        if self.reason is not None:
            yield "reason", self.reason, TEXTS

    def violated(self, ctx: Context) -> bool:
        value, limit = ctx.number(self.value), ctx.number(self.limit)
        return value is not None and limit is not None and value > limit

    def check(self, ctx: Context) -> None:
        if not self.violated(ctx) or (self.reason is not None and ctx.answered(self.reason)):
            return
        value, limit = ctx.number(self.value), ctx.number(self.limit)
        assert value is not None and limit is not None
        unit = " 万元" if ctx.questions[self.value].type == "money" else ""
        ctx.add(
            self.value,
            self.severity,
            f"{ctx.label(self.value)} {fmt(value)}{unit}超过{ctx.label(self.limit)} "
            f"{fmt(limit)}{unit}(超出 {fmt(value - limit)}{unit}){reason_hint(ctx, self.reason)}",
        )


class RatioRule(RuleBase):
    """num / den × 100 should lie within [min, max] (%), unless `reason` explains why not.

    `min_ratio` is the same kind with only a lower bound (kept for forms written before `max`).
    """

    kind: Literal["ratio_range", "min_ratio"]
    num: Id
    den: Id
    min: Decimal | None = None
    max: Decimal | None = None
    reason: Id | None = None

    def reads(self) -> Iterator[Ref]:
        yield "num", self.num, NUMERIC
        yield "den", self.den, NUMERIC
        if self.reason is not None:
            yield "reason", self.reason, TEXTS

    def shape_problems(self, questions: dict[str, Question]) -> Iterator[tuple[str, str]]:
        if self.min is None and self.max is None:
            yield "min", "需要给出 min 或 max"

    def rate(self, ctx: Context) -> Decimal | None:
        num, den = ctx.number(self.num), ctx.number(self.den)
        if num is None or den is None or den == 0:
            return None
        return num / den * 100

    def violated(self, ctx: Context) -> bool:
        rate = self.rate(ctx)
        if rate is None:
            return False
        return (self.min is not None and rate < self.min) or (self.max is not None and rate > self.max)

    def check(self, ctx: Context) -> None:
        rate = self.rate(ctx)
        if rate is None or not self.violated(ctx):
            return
        if self.reason is not None and ctx.answered(self.reason):
            return
        q = ctx.questions[self.reason] if self.reason else None
        limit = f"(不超过{q.max_chars}字)" if q is not None and q.max_chars else ""
        below = self.min is not None and rate < self.min
        bound = fmt(self.min if below else self.max)  # type: ignore[arg-type]  # one of them is set
        ctx.add(
            self.num,
            self.severity,
            f"{ctx.label(self.num)}÷{ctx.label(self.den)} = {pct(rate)}%,"
            f"{'低于' if below else '高于'} {bound}%{reason_hint(ctx, self.reason)}{limit}",
        )


class MemberOfRule(RuleBase):
    """Each record's `field` in `list` should be one of the items of `within` (a strings answer)."""

    kind: Literal["member_of"]
    list: Id
    field: Id
    within: Id
    severity: Severity = "warning"

    def reads(self) -> Iterator[Ref]:
        yield "list", self.list, ("records",)
        yield "within", self.within, ("strings",)

    def shape_problems(self, questions: dict[str, Question]) -> Iterator[tuple[str, str]]:
        q = questions.get(self.list)
        if q is not None and q.type == "records" and self.field not in {f.id for f in q.fields}:
            yield "field", f"{self.list} 中没有字段 {self.field}"

    def check(self, ctx: Context) -> None:
        records = ctx.value(self.list)
        names = ctx.value(self.within)
        allowed = {x for x in names if isinstance(x, str)} if isinstance(names, list) else set()
        if not allowed:
            return
        q = ctx.questions[self.list]
        title = q.title_field or q.fields[0].id
        for i, record in enumerate(records if isinstance(records, list) else [], 1):
            if not isinstance(record, dict):
                continue
            value = record.get(self.field)
            if value and value not in allowed:
                ctx.add(
                    self.list,
                    self.severity,
                    f"第 {i} 项 {record.get(title, '')} 的{q.field(self.field).label}「{value}」"
                    f"不在{ctx.label(self.within)}名单中,请用名单中的全称",
                )


class MustBeEmptyRule(RuleBase):
    """An answer that must be cleared before the report is complete (e.g. imported leftovers)."""

    kind: Literal["must_be_empty"]
    field: Id
    message: Label

    def reads(self) -> Iterator[Ref]:
        yield "field", self.field, ()

    def check(self, ctx: Context) -> None:
        if ctx.answered(self.field):
            ctx.add(self.field, self.severity, self.message)


class ChangeLimitRule(RuleBase):
    """Against last year's answers: a figure (or a sum of figures) that moves more than this
    many percent needs a reason. Checked only when last year's answers file exists."""

    kind: Literal["change_limit"]
    value: list[Id] = Field(min_length=1)  # summed
    label: Label  # how the message names the figure, e.g. “三公”经费
    max_increase: Decimal | None = Field(default=None, gt=0)
    max_decrease: Decimal | None = Field(default=None, gt=0, le=100)
    reason: Id

    def reads(self) -> Iterator[Ref]:
        for qid in self.value:
            yield "value", qid, NUMERIC
        yield "reason", self.reason, TEXTS

    def change(self, ctx: Context) -> tuple[Decimal, Decimal, Decimal] | None:
        this = [ctx.number(q) for q in self.value]
        last = [ctx.previous_number(q) for q in self.value]
        if ctx.previous_year is None or None in this or None in last:
            return None
        now = sum((v for v in this if v is not None), Decimal(0))
        before = sum((v for v in last if v is not None), Decimal(0))
        if before == 0:
            return None
        return now, before, (now - before) / before * 100

    def violated(self, ctx: Context) -> bool:
        moved = self.change(ctx)
        if moved is None:
            return False
        limit = self.max_increase if moved[2] > 0 else self.max_decrease
        return limit is not None and abs(moved[2]) > limit

    def check(self, ctx: Context) -> None:
        moved = self.change(ctx)
        if moved is None or not self.violated(ctx) or ctx.answered(self.reason):
            return
        this, last, change = moved
        limit = self.max_increase if change > 0 else self.max_decrease
        assert limit is not None
        unit = "万元" if ctx.questions[self.value[0]].type == "money" else ""
        word = "增长" if change > 0 else "下降"
        ctx.add(
            self.value[0],
            self.severity,
            f"{self.label}由上年({ctx.previous_year}年度)的 {fmt(last)}{unit} {word}到 "
            f"{fmt(this)}{unit},{word} {pct(abs(change))}%,超过 {fmt(limit)}%;"
            f"请在「{ctx.label(self.reason)}」中说明原因",
        )


class DateOrderRule(RuleBase):
    """A date (e.g. the 成文日期) after the year the report is on, and not before other dates."""

    kind: Literal["date_order"]
    value: Id
    after_year: bool = True  # after 31 December of the evaluated year
    not_before: list[Id] = Field(default_factory=list)
    severity: Severity = "warning"

    def reads(self) -> Iterator[Ref]:
        yield "value", self.value, ("date",)
        for qid in self.not_before:
            yield "not_before", qid, ("date",)

    def check(self, ctx: Context) -> None:
        value = ctx.value(self.value)
        if not isinstance(value, dt.date):
            return
        year = ctx.year
        if self.after_year and value.year <= year:
            ctx.add(
                self.value,
                self.severity,
                f"{ctx.label(self.value)} {ctx.date_text(value)} 不晚于评价年度 {year} 年年底;"
                f"{year}年度的报告一般在 {year + 1} 年写成,请核对年份",
            )
        for qid in self.not_before:
            other = ctx.value(qid)
            if isinstance(other, dt.date) and value < other:
                ctx.add(
                    self.value,
                    self.severity,
                    f"{ctx.label(self.value)} {ctx.date_text(value)} 早于"
                    f"{ctx.label(qid)} {ctx.date_text(other)},请核对",
                )
