"""The attachments' tables, one builder per attachment kind, behind one registry.

A form lists its attachments as kinds (`data_table`, `scorecard`, …) with their titles; this
registry maps each kind to the function that builds its table and the short name of its sheet.
A new kind is one builder function here and one entry in ATTACHMENT_KINDS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from zjeval.assess import scoring
from zjeval.form.framework import JUDGED, Checklist, Deduction, Qualitative, reason_question
from zjeval.form.models import NUMBER_TYPES
from zjeval.report.context import Context
from zjeval.report.model import Cell, Figure, Num, Row, Scored, Table
from zjeval.report.target_table import target_table
from zjeval.report.typeset import NumberKind, fullwidth

UNIT_SUFFIX = re.compile(r"\((万元|人|项|%)\)$")  # the unit a figure's label ends with
KIND_OF_TYPE: dict[str, NumberKind] = {
    "money": "money",
    "percent": "percent",
    "integer": "count",
    "number": "number",
}


def data_table(b: Context) -> Table | None:
    """Every figure the form asks for, grouped by section, with its unit; labels from the form."""
    rows: list[Row] = []
    current = None
    for chain, q in b.form.walk():
        if q.type not in NUMBER_TYPES or any(c.generated for c in chain):
            continue
        if q.blank == "omit" and b.answers.get(q.id) is None:
            continue  # not stated; not a 0
        if chain[-1].title != current:
            current = chain[-1].title
            rows.append(Row((fullwidth(current), "", ""), "group"))
        m = UNIT_SUFFIX.search(q.label)
        label = fullwidth(q.label[: m.start()] if m else q.label)
        unit = m[1] if m else ("万元" if q.type == "money" else "")
        kind = KIND_OF_TYPE[q.type]
        value = b.answers.decimal(q.id)
        cell: Cell
        if value is None:
            cell = Num(Decimal(0), kind) if not q.required else b.gap(label)
        else:
            cell = Num(value, kind)
        figure = Figure(q.id, kind, q.required, q.min, q.max)
        rows.append(Row((label, unit, cell), figure=figure))
    return Table(("项目", "单位", "数值"), tuple(rows), numeric=(2,))


def _value_cell(b: Context, item: scoring.IndicatorScore) -> Cell:
    rule = item.indicator.rule
    if item.value_text == scoring.PENDING:
        return b.gap(item.indicator.name)
    if item.value is not None:
        return Num(item.value, "percent", "%")
    if isinstance(rule, Checklist):
        met = Decimal(item.value_text.split("/", 1)[0])
        return Num(met, "count", f"/{len(rule.items)}项达到")
    if isinstance(rule, Deduction):
        return Num(Decimal(item.value_text.removesuffix("处问题")), "count", "处问题")
    return item.value_text  # a tier (达成), 不适用, 新增


def _judged(b: Context, item: scoring.IndicatorScore) -> str | Decimal | None:
    rule = item.indicator.rule
    if not isinstance(rule, JUDGED) or item.value_text == scoring.PENDING:
        return None
    if isinstance(rule, Qualitative):
        return item.value_text
    cell = _value_cell(b, item)
    return cell.value if isinstance(cell, Num) else None


def scorecard(b: Context) -> Table | None:
    """The 评分表: each indicator's value, score and reason; subtotals, total and grade."""
    card = b.card
    if card is None:
        return None
    rows: list[Row] = []
    for sub in card.subtotals:
        for item in (i for i in card.items if i.indicator.level1 == sub.name):
            ind = item.indicator
            score: Cell
            if item.score is None:
                score = b.gap(ind.name)
            else:
                score = Num(item.score, "score", adjusted=item.overridden)
            reason = fullwidth(item.reason)
            note = ""
            if item.overridden:
                note = item.reason
                if item.computed is not None:
                    reason = f"由计算得分{scoring.q2(item.computed)}调整：{item.reason}"
            elif isinstance(ind.rule, JUDGED):
                note = str(b.answers.get(reason_question(ind)) or "")
            scored = Scored(ind, _judged(b, item), note, item.overridden, item.computed)
            cells: tuple[Cell, ...] = (
                ind.level1,
                ind.level2,
                fullwidth(ind.name),
                Num(ind.weight, "weight"),
                _value_cell(b, item),
                score,
                reason,
            )
            rows.append(Row(cells, scored=scored))
        subtotal: Cell = b.gap(sub.name) if sub.score is None else Num(sub.score, "score")
        rows.append(Row((f"{sub.name}小计", "", "", Num(sub.weight, "weight"), "", subtotal, ""), "subtotal"))
    total: Cell = b.gap("合计") if card.total is None else Num(card.total, "score")
    grade = f"等级：{card.grade}" if card.grade else ""
    rows.append(Row(("合计", "", "", Num(card.framework.total, "weight"), "", total, grade), "total"))
    return Table(
        ("一级指标", "二级指标", "三级指标", "权重", "指标值", "得分", "扣分原因"),
        tuple(rows),
        numeric=(3, 4, 5),
        merge=(0, 1),
        wide=True,
    )


@dataclass(frozen=True)
class Kind:
    build: Callable[[Context], Table | tuple[Table, ...] | None]  # several tables: one attachment's blocks
    name: str  # the sheet's tab


# kind -> its table; keys must equal form.models.AttachmentKind (a test holds them together)
ATTACHMENT_KINDS: dict[str, Kind] = {
    "data_table": Kind(data_table, "数据表"),
    "scorecard": Kind(scorecard, "评分表"),
    "target_table": Kind(target_table, "自评表"),
}
