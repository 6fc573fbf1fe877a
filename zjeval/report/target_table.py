"""The 自评表 (target-based, department or project) as an attachment: its header rows, the funds
block (the total row scored by 执行率, its sources under it), the 年度总体目标 (declared beside
achieved), and the unit's own indicator rows with the 总分 and the grade.

How the table looks is the form's (the attachment's `header`, `funds`, `objectives`, `rows`: see
form/table_layout.py): captions, row order, the total first or last, what unscored cells show,
which columns are printed. The rows and their scores are the scorecard's. Pure.
"""

from __future__ import annotations

from decimal import Decimal

from zjeval.assess.scoring import IndicatorScore
from zjeval.form.models import Attachment as FormAttachment
from zjeval.form.target_rows import RowResult
from zjeval.report.context import Context
from zjeval.report.model import Cell, Num, Row, Scored, Table
from zjeval.report.typeset import fullwidth

FUNDS_ROLES = ("label", "initial", "budget", "exec", "weight", "rate", "score")
_NUMERIC_ROLES = {"target", "actual", "weight", "score"}


def header(b: Context, spec: FormAttachment) -> Table | None:
    """The header rows: 项目名称 / 主管部门 / 实施单位 (or 单位名称) beside their answers."""
    if not spec.header:
        return None
    rows = []
    for h in spec.header:
        value = b.lookup(h.field, None, None)
        if value is None and not b.questions[h.field].required:
            continue  # an optional row left empty (联系电话) is not printed
        rows.append(Row((h.label, value if value is not None else b.gap(h.label))))
    if not rows:
        return None
    return Table(("", ""), tuple(rows), wide=True, roles=("label", "value"), block="header", headless=True)


def _money(b: Context, qid: str, what: str) -> Cell:
    value = b.answers.decimal(qid)
    if value is None:
        return b.gap(what) if b.questions[qid].required else Num(Decimal(0), "money")
    return Num(value, "money")


def funds(b: Context, spec: FormAttachment) -> Table:
    """The funds block: the total row carries 分值, 执行率 and 得分; the sources show `blank` there."""
    block = spec.funds
    assert block is not None  # target_table() builds no 自评表 without one
    card = b.card
    item = None
    if card is not None and block.indicator is not None:
        item = next((i for i in card.items if i.indicator.id == block.indicator), None)
    rows: list[Row] = []
    for line in block.lines():
        total = line is block.total
        cells: list[Cell] = [line.label]
        for caption, qid in zip(block.columns[1:4], (line.initial, line.budget, line.exec), strict=True):
            cells.append(_money(b, qid, f"{line.label}{caption}"))
        scored = None
        if total and item is not None:
            ind = item.indicator
            rate: Cell = Num(item.value, "percent", "%") if item.value is not None else b.gap(ind.name)
            score: Cell = Num(item.score, "score") if item.score is not None else b.gap(ind.name)
            cells += [Num(ind.weight, "weight"), rate, score]
            scored = Scored(ind)
        else:
            cells += [block.blank] * 3
        rows.append(Row(tuple(cells), "total" if total else "data", scored=scored))
    return Table(
        tuple(block.columns),
        tuple(rows),
        numeric=(1, 2, 3, 4, 5, 6),
        wide=True,
        caption=block.caption,
        roles=FUNDS_ROLES,
        block="funds",
    )


def objectives(b: Context, spec: FormAttachment) -> Table | None:
    block = spec.objectives
    if block is None:
        return None
    records = b.answers.records(block.list)
    rows = [
        Row((fullwidth(str(r.get(block.declared, ""))), fullwidth(str(r.get(block.achieved, "")))))
        for r in records
    ]
    if not rows:
        rows = [Row((b.gap(block.columns[0]), ""))]
    return Table(
        tuple(block.columns),
        tuple(rows),
        wide=True,
        caption=block.caption,
        roles=("declared", "achieved"),
        block="objectives",
    )


def _row_cells(b: Context, row: RowResult, item: IndicatorScore) -> dict[str, Cell]:
    """One indicator row's cells by role."""
    weight: Cell = Num(row.weight, "weight") if row.weight is not None else b.gap(f"{row.name}的分值")
    score: Cell = (
        Num(item.score, "score", adjusted=item.overridden) if item.score is not None else b.gap(row.name)
    )
    if not row.applicable:
        score = row.actual_text  # 不适用: left out, the total scaled (折算)
    reason = item.reason if item.overridden else row.remark
    return {
        "level1": row.level1,
        "level2": row.level2,
        "name": fullwidth(row.name),
        "nature": row.nature_word,
        "target": _figure(row.target, row.target_text),
        "unit": row.unit,
        "actual": _figure(row.actual, row.actual_text)
        if row.actual_text
        else b.gap(f"{row.name}的实际完成值"),
        "weight": weight,
        "score": score,
        "reason": fullwidth(reason),
    }


def indicator_rows(b: Context, spec: FormAttachment) -> Table:
    """The unit's own rows, then the 总分 (execution and rows) and, in a row of its own, the grade."""
    layout = spec.rows
    assert layout is not None  # target_table() builds no 自评表 without one
    card = b.card
    assert card is not None and card.framework.rows is not None  # the loader requires both
    items = {i.indicator.id: i for i in card.items}
    by_role: list[tuple[dict[str, Cell], IndicatorScore, RowResult]] = []
    for row in card.rows:
        item = items[f"row_{row.index}"]
        by_role.append((_row_cells(b, row, item), item, row))
    columns = [
        c
        for c in layout.columns
        if c.role not in layout.optional or any(str(cells[c.role]) for cells, _, _ in by_role)
    ]
    roles = tuple(c.role for c in columns)
    rows: list[Row] = []
    for cells, item, item_row in by_role:
        scored = Scored(
            item.indicator, note=item_row.reason, adjusted=item.overridden, computed=item.computed
        )
        rows.append(Row(tuple(cells[r] for r in roles), scored=scored))
    total_cells: dict[str, Cell] = {r: "" for r in roles}
    total_cells[roles[0]] = layout.total
    total_cells["weight"] = Num(card.framework.total, "weight")
    total_cells["score"] = Num(card.total, "score") if card.total is not None else b.gap(layout.total)
    rows.append(Row(tuple(total_cells[r] for r in roles), "total"))
    if layout.grade:
        grade_cells: dict[str, Cell] = {r: "" for r in roles}
        grade_cells[roles[0]] = layout.grade
        grade_cells["score"] = card.grade if card.grade else b.gap(layout.grade)
        rows.append(Row(tuple(grade_cells[r] for r in roles), "total"))
    merge = tuple(i for i, r in enumerate(roles) if r in ("level1", "level2"))
    return Table(
        tuple(c.caption for c in columns),
        tuple(rows),
        numeric=tuple(i for i, r in enumerate(roles) if r in _NUMERIC_ROLES),
        merge=merge,
        wide=True,
        caption=layout.caption,
        natures=card.framework.rows.natures,
        roles=roles,
        block="rows",
        framework=card.framework,
    )


def _figure(value: Decimal | None, text: str) -> Cell:
    """A row's 指标值 or 实际完成值: a number when it is one (shown as written), else its words."""
    if value is None:
        return fullwidth(text)
    return Num(value, "weight")  # as written: 40, 99.2


def target_table(b: Context) -> tuple[Table, ...] | None:
    """The 自评表's blocks, in the order they are printed."""
    spec = b.attachment_spec
    if b.card is None or b.card.framework.rows is None or spec is None or spec.funds is None:
        return None
    if spec.rows is None:
        return None
    parts = [header(b, spec), funds(b, spec), objectives(b, spec), indicator_rows(b, spec)]
    return tuple(t for t in parts if t is not None)
