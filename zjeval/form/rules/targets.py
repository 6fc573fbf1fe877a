"""Rule kinds of the target-based 自评表: its rows, and what the text must say when they fall short."""


from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from zjeval.form.question import Id, Label
from zjeval.form.rules.base import Context, Ref, RuleBase

if TYPE_CHECKING:
    from zjeval.form.target_rows import RowResult


class TargetRowsRule(RuleBase):
    """The target-based 自评表's rows as finance bureaus check them (../shared/DOMAIN.md §6):
    a row that falls short needs its 偏差原因; a 定量 row needs a number and a unit; a 定性 row
    needs its 评价; a count written 反向 (≤) looks backwards; every row at full marks while
    actual values fall short is an error. The rows and their fields are the framework's."""

    kind: Literal["target_rows"]

    def check(self, ctx: Context) -> None:
        card = ctx.scorecard()
        spec = card.framework.rows if card is not None else None
        if card is None or spec is None or not card.rows:
            return
        qid, f = spec.question, spec.fields
        label = f.labels(ctx.questions[qid])  # each role's label as the form words it
        counts = set(spec.count_units)
        for row in card.rows:
            at = f"第 {row.index} 行「{row.name}」"
            if row.weight is None:
                ctx.add(qid, "error", f"{at}请填写{label.weight}")
            if not row.actual_text:
                ctx.add(qid, "error", f"{at}请填写{label.actual}")
            if row.quantitative:
                for name, value, text in (
                    (label.target, row.target, row.target_text),
                    (label.actual, row.actual, row.actual_text),
                ):
                    if value is None and text:
                        ctx.add(qid, "error", f"{at}是定量指标,{name}应为数字(现为「{text}」)")
                    elif value is not None and value < 0:
                        ctx.add(qid, "error", f"{at}的{name}不能为负数(现为「{text}」),得分待填写")
                if not row.unit:
                    ctx.add(qid, "error", f"{at}是定量指标,请填写{label.unit}(如 个、%、万元)")
            elif row.nature == "qualitative" and row.score is None:
                ctx.add(qid, "error", f"{at}是定性指标,请选择{label.tier}(达成、部分达成或未达成)")
            if row.shortfall and not row.reason:
                ctx.add(qid, "error", f"{at}未达到年度指标值,请填写{label.reason}")
            if row.nature == "down" and row.unit in counts:
                ctx.add(
                    qid,
                    "warning",
                    f"{at}以「{row.unit}」计数却写成「{row.nature_word}」(越少越好),"
                    f"请核对指标性质是否应为正向",
                )
        # an adjusted score can give full marks to a row whose actual value fell short
        row_items = card.items[len(card.items) - len(card.rows) :]
        behind = [r for r in card.rows if _behind(r)]
        if behind and all(i.score is not None and i.score >= i.indicator.weight for i in row_items):
            names = "、".join(f"第 {r.index} 行" for r in behind)
            ctx.add(qid, "error", f"所有指标行都是满分,但{names}的实际完成值未达到年度指标值,请核对得分")


def _behind(row: "RowResult") -> bool:
    """Whether a quantitative row's actual value falls short of its target, whatever its score."""
    if row.target is None or row.actual is None:
        return False
    if row.nature == "up":
        return bool(row.actual < row.target)
    if row.nature == "down":
        return bool(row.actual > row.target)
    return row.nature == "equal" and bool(row.actual != row.target)


class ContentWhenShortRule(RuleBase):
    """Answers that cannot be a placeholder (无, 暂无 …) while any row falls short or the total
    is below full marks: 存在问题 and 改进措施 must then say something."""

    kind: Literal["content_when_short"]
    fields: list[Id] = Field(min_length=1)
    words: list[Label] = Field(min_length=1)

    def reads(self) -> Iterator[Ref]:
        for qid in self.fields:
            yield "fields", qid, ("text", "paragraphs", "strings")

    def check(self, ctx: Context) -> None:
        card = ctx.scorecard()
        if card is None or card.total is None:
            return
        short = [r for r in card.rows if r.shortfall]
        if not short and card.total >= card.framework.total:
            return
        why = f"{len(short)} 个指标未达到年度指标值" if short else f"自评得分 {card.total} 分,未得满分"
        words = set(self.words)
        for qid in self.fields:
            value = ctx.value(qid)
            texts = value if isinstance(value, list) else [value] if isinstance(value, str) else []
            if texts and all(t.strip() in words for t in texts):
                ctx.add(
                    qid, self.severity, f"{why},{ctx.label(qid)}不能只写「{texts[0].strip()}」;请写出具体内容"
                )
