"""The target-based 部门整体支出绩效自评表 as an attachment: the funds block (年初预算数,
全年预算数, 全年执行数 by source, with 执行率 and its score), the 年度总体目标 (declared beside
achieved), and the unit's own indicator rows (指标性质, 年度指标值, 实际完成值, 分值, 得分,
偏差原因) with the total and grade. Which answers fill the blocks is the form's (the
attachment's `funding` and `objectives`); the rows and their scores are the scorecard's. Pure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zjeval.report.model import Cell, Num, Row, Scored, Table
from zjeval.report.typeset import fullwidth

if TYPE_CHECKING:
    from zjeval.report.build import Builder

FUNDS_COLUMNS = (
    "资金来源",
    "年初预算数（万元）",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "分值",
    "执行率",
    "得分",
)
GOALS_COLUMNS = ("预期目标", "实际完成情况")
ROWS_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "计量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def _money(b: Builder, qid: str, what: str) -> Cell:
    value = b.answers.get(qid)
    if value is None:
        return b.gap(what) if b.questions[qid].required else Num(Decimal(0), "money")
    return Num(Decimal(value), "money")


def funds(b: Builder, spec: Any) -> Table:
    """The funds block: a row per source; the last (the total) carries 分值, 执行率 and 得分."""
    card = b.card
    item = None
    if card is not None and spec.funding_indicator is not None:
        item = next((i for i in card.items if i.indicator.id == spec.funding_indicator), None)
    rows: list[Row] = []
    for n, line in enumerate(spec.funding, 1):
        cells: list[Cell] = [line.label]
        cells += [_money(b, qid, f"{line.label}{what}") for what, qid in _figures(line)]
        last = n == len(spec.funding)
        if last and item is not None:
            ind = item.indicator
            rate: Cell = Num(item.value, "percent", "%") if item.value is not None else b.gap(ind.name)
            score: Cell = Num(item.score, "score") if item.score is not None else b.gap(ind.name)
            cells += [Num(ind.weight, "weight"), rate, score]
            scored = Scored(ind)
        else:
            cells += ["", "", ""]
            scored = None
        rows.append(Row(tuple(cells), "total" if last else "data", scored=scored))
    return Table(FUNDS_COLUMNS, tuple(rows), numeric=(1, 2, 3, 4, 5, 6), wide=True, caption="一、资金情况")


def _figures(line: Any) -> list[tuple[str, str]]:
    """(what, question id) of a funds row's three figures, in the table's column order."""
    return list(
        zip(
            ("年初预算数", "全年预算数", "全年执行数"),
            line.model_dump(exclude={"label"}).values(),
            strict=True,
        )
    )


def objectives(b: Builder, spec: Any) -> Table | None:
    columns = spec.objectives
    if columns is None:
        return None
    records = b.answers.get(columns.list) or []
    rows = [
        Row((fullwidth(str(r.get(columns.declared, ""))), fullwidth(str(r.get(columns.achieved, "")))))
        for r in records
    ]
    if not rows:
        rows = [Row((b.gap("年度总体目标"), ""))]
    return Table(GOALS_COLUMNS, tuple(rows), wide=True, caption="二、年度总体目标")


def indicator_rows(b: Builder) -> Table:
    """The unit's own rows, then the total (execution and rows) and the grade."""
    card = b.card
    assert card is not None and card.framework.rows is not None  # the loader requires both
    rows: list[Row] = []
    items = {i.indicator.id: i for i in card.items}
    for row in card.rows:
        item = items[f"row_{row.index}"]
        ind = item.indicator
        weight: Cell = Num(row.weight, "weight") if row.weight is not None else b.gap(f"{row.name}的分值")
        score: Cell = (
            Num(item.score, "score", adjusted=item.overridden) if item.score is not None else b.gap(row.name)
        )
        if not row.applicable:
            score = row.actual_text  # 不适用: left out, the total scaled (折算)
        reason = item.reason if item.overridden else row.remark
        cells: tuple[Cell, ...] = (
            row.level1,
            row.level2,
            fullwidth(row.name),
            row.nature_word,
            _figure(row.target, row.target_text),
            row.unit,
            _figure(row.actual, row.actual_text) if row.actual_text else b.gap(f"{row.name}的实际完成值"),
            weight,
            score,
            fullwidth(reason),
        )
        scored = Scored(ind, note=row.reason, adjusted=item.overridden, computed=item.computed)
        rows.append(Row(cells, scored=scored))
    total: Cell = Num(card.total, "score") if card.total is not None else b.gap("合计")
    grade = f"等级：{card.grade}" if card.grade else ""
    blank: tuple[Cell, ...] = ("",) * 4
    rows.append(Row(("合计", "", "", *blank, Num(card.framework.total, "weight"), total, grade), "total"))
    return Table(
        ROWS_COLUMNS,
        tuple(rows),
        numeric=(4, 6, 7, 8),
        merge=(0, 1),
        wide=True,
        caption="三、绩效指标",
        natures=card.framework.rows.natures,
        framework=card.framework,
    )


def _figure(value: Decimal | None, text: str) -> Cell:
    """A row's 指标值 or 实际完成值: a number when it is one (shown as written), else its words."""
    if value is None:
        return fullwidth(text)
    return Num(value, "weight")  # as written: 40, 99.2


def target_table(b: Builder) -> tuple[Table, ...] | None:
    """The 自评表's blocks, in the order they are printed."""
    spec = b.attachment_spec
    if b.card is None or b.card.framework.rows is None or spec is None:
        return None
    parts = [funds(b, spec), objectives(b, spec), indicator_rows(b)]
    return tuple(t for t in parts if t is not None)
