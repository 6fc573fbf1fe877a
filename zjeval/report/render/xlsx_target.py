"""The 自评表 as one live worksheet, printed as the official one continuous table: the header rows
(项目名称 …), the funds block (年度资金总额 and its 执行率 and score as formulas of the sources
under it), the 年度总体目标, and the indicator rows whose 得分 are formulas of 指标性质, 年度指标值,
实际完成值 and 分值 (正向 分值×实际÷指标值, 反向 分值×指标值÷实际, both capped; = met or not),
then the 总分 and the grade. The indicator columns are the grid; every other block's columns span
runs of them fitted to their contents (report.grid). Cells are placed by their column's role,
never by a form's words. Every formula cell carries the value the report computed.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from zjeval.report import grid
from zjeval.report.model import Attachment, Gap, Num, Report, Table
from zjeval.report.render import xlsx_rules as rules
from zjeval.report.render.xlsx_sheet import (
    BOLD,
    GAP_FILL,
    HEADER_FILL,
    LINE_HEIGHT,
    MAX_WIDTH,
    MIN_WIDTH,
    Sheet,
    cells,
    number_format,
)

GRADE_DEFAULT = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
Span = grid.Span


def needs(t: Table) -> list[float]:
    """Each column's width in character cells: its widest one-column cell, its caption on two lines."""
    out = [
        float(MIN_WIDTH) if t.headless else float(max(MIN_WIDTH, math.ceil(cells(c) / 2) + 2))
        for c in t.columns
    ]
    for row in t.rows:
        if row.kind != "data" and t.block == "rows":
            continue  # the 总分 and grade labels run over the empty cells after them
        for i, text in enumerate(row.texts):
            out[i] = max(out[i], float(min(cells(text), MAX_WIDTH) + 2))
    return out


class Layout:
    """Where each block's columns go on the sheet's grid, and the grid's widths."""

    def __init__(self, tables: tuple[Table, ...]) -> None:
        rows = next(t for t in tables if t.block == "rows")
        self.widths = needs(rows)
        self.spans: dict[int, list[Span]] = {}
        for t in tables:
            if t is rows:
                self.spans[id(t)] = [(i, 1) for i in range(len(t.columns))]
                continue
            want = needs(t)
            spans = grid.fit_spans(want, self.widths)
            grid.widen(self.widths, spans, want)
            self.spans[id(t)] = spans

    def of(self, t: Table) -> list[Span]:
        return self.spans[id(t)]


class Writer:
    def __init__(self, sheet: Sheet, layout: Layout) -> None:
        self.sheet = sheet
        self.layout = layout
        self.ncols = len(layout.widths)
        self.funds_weight = "0"  # the funds total's 分值 cell, once written

    def put(self, row: int, span: Span, value: Any, *, bold: bool = False, fmt: str | None = None) -> Any:
        """A value over a run of grid columns (merged); long text wraps and the row grows."""
        first, count = span
        col = first + 1
        sheet = self.sheet
        if isinstance(value, Num):
            cell = sheet.number(
                row, col, value.value, fmt or number_format(value.kind), BOLD if bold else None
            )
        elif isinstance(value, Gap):
            cell = sheet.gap(row, col, fmt or "General", "待填写")
        else:
            right = fmt is not None
            cell = sheet.text(row, col, str(value), BOLD if bold else None, measure=False)
            cell.alignment = Alignment(
                horizontal="right" if right else "left", vertical="center", wrap_text=True
            )
            self.grow(row, str(value), span)
        sheet.merge(row, row, col, col + count - 1)
        return cell

    def grow(self, row: int, text: str, span: Span) -> None:
        first, count = span
        room = max(1.0, sum(self.layout.widths[first : first + count]) - 1)
        lines = sum(max(1, math.ceil(cells(line) / room)) for line in text.split("\n"))
        ws = self.sheet.ws
        current = ws.row_dimensions[row].height or LINE_HEIGHT
        ws.row_dimensions[row].height = max(current, LINE_HEIGHT * lines)

    def caption(self, row: int, text: str) -> int:
        if not text:
            return row
        cell = self.put(row, (0, self.ncols), text, bold=True)
        cell.alignment = Alignment(horizontal="left", vertical="center")
        return row + 1

    def header(self, row: int, t: Table) -> int:
        for span, name in zip(self.layout.of(t), t.columns, strict=True):
            cell = self.put(row, span, name, bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return row + 1

    def col(self, t: Table, role: str) -> int:
        """The sheet column (1-based) where a block's column of this role starts."""
        return self.layout.of(t)[t.roles.index(role)][0] + 1

    def ref(self, t: Table, role: str, row: int) -> str:
        return f"{get_column_letter(self.col(t, role))}{row}"


def _plain(w: Writer, row: int, t: Table) -> int:
    """A block of words (header rows, 年度总体目标): each cell over its span."""
    row = w.caption(row, t.caption)
    if not t.headless:
        row = w.header(row, t)
    for line in t.rows:
        for span, value, role in zip(w.layout.of(t), line.cells, t.roles, strict=True):
            w.put(row, span, value, bold=t.headless and role == t.roles[0])
        row += 1
    return row


def _funds(w: Writer, row: int, t: Table) -> tuple[int, int, int]:
    """The funds block; returns the next free row, the total's row and its score's column."""
    row = w.caption(row, t.caption)
    row = w.header(row, t)
    spans = w.layout.of(t)
    positions = list(range(row, row + len(t.rows)))
    total_at = next(r for r, line in zip(positions, t.rows, strict=True) if line.kind == "total")
    parts = [r for r in positions if r != total_at]
    sheet = w.sheet
    for r, line in zip(positions, t.rows, strict=True):
        total = line.kind == "total"
        for span, value, role in zip(spans, line.cells, t.roles, strict=True):
            if total and role in ("initial", "budget", "exec") and parts:
                c = w.col(t, role)
                letter = get_column_letter(c)
                cached = value.value if isinstance(value, Num) else None
                sheet.formula(
                    r,
                    c,
                    f"=SUM({letter}{parts[0]}:{letter}{parts[-1]})",
                    number_format("money"),
                    cached=cached,
                )
                sheet.merge(r, r, c, c + span[1] - 1)
            elif total and role in ("rate", "score") and line.scored is not None:
                continue  # below, once the cells they refer to are known
            else:
                w.put(
                    r,
                    span,
                    value,
                    bold=total and role == "label",
                    fmt=None if isinstance(value, Num) else ("General" if role != "label" else None),
                )
        if total and line.scored is not None:
            ind = line.scored.indicator
            budget, execd = w.ref(t, "budget", r), w.ref(t, "exec", r)
            rate_ref, score_ref = w.ref(t, "rate", r), w.ref(t, "score", r)
            rate, score = line.cells[t.roles.index("rate")], line.cells[t.roles.index("score")]
            sheet.formula(
                r,
                w.col(t, "rate"),
                f'=IF({budget}=0,"不适用",{execd}/{budget}*100)',
                '0.00"%"',
                cached=rate.value if isinstance(rate, Num) else None,
            )
            formula, _ = rules.computed(ind.formula, ind.rule, rate_ref, score_ref, ind.weight)
            sheet.formula(
                r, w.col(t, "score"), formula, "0.00", cached=score.value if isinstance(score, Num) else None
            )
            for role in ("rate", "score"):
                span = spans[t.roles.index(role)]
                sheet.merge(r, r, span[0] + 1, span[0] + span[1])
    return row + len(t.rows), total_at, w.col(t, "score")


def _is(col: str, words: list[str]) -> str:
    return "OR(" + ",".join(f"{col}={rules.s(w)}" for w in words) + ")"


def row_score(nature: str, target: str, actual: str, weight: str, natures: Any) -> str:
    """得分 of an indicator row from the cells of its 指标性质, 年度指标值, 实际完成值 and 分值."""
    e, g, h = target, actual, weight
    up = f"IF(OR({g}>={e},{e}=0),{h},ROUND({h}*{g}/{e},2))"
    down = f"IF(OR({g}<={e},{g}=0),{h},ROUND({h}*{e}/{g},2))"
    equal = f"IF({g}={e},{h},0)"
    chosen = (
        f"IF({_is(nature, natures.up)},{up},IF({_is(nature, natures.down)},{down},"
        f'IF({_is(nature, natures.equal)},{equal},"")))'
    )
    return f'=IF(OR({h}="",NOT(ISNUMBER({e})),NOT(ISNUMBER({g}))),"",{chosen})'


def _validate(sheet: Sheet, dv: DataValidation, where: str) -> None:
    dv.allow_blank, dv.showErrorMessage, dv.errorTitle = True, True, "输入有误"
    dv.add(where)
    sheet.ws.add_data_validation(dv)


def _rows(w: Writer, row: int, t: Table, funds: tuple[int, int], grades: Any) -> tuple[int, int]:
    """The indicator rows, the 总分 and the grade row; returns the next free row and the header's row."""
    natures = t.natures
    row = w.caption(row, t.caption)
    header_row = row
    row = w.header(row, t)
    sheet = w.sheet
    roles = t.roles
    first = row
    data: list[int] = []
    names: list[tuple[str, str]] = []
    letter = {role: get_column_letter(i + 1) for i, role in enumerate(roles)}
    for line in t.rows:
        if line.kind != "data":
            break
        r = row
        cell = dict(zip(roles, line.cells, strict=True))
        for i, role in enumerate(roles):
            if role in ("score", "reason"):
                continue
            value = cell[role]
            if isinstance(value, Num):
                sheet.number(r, i + 1, value.value, number_format(value.kind))
            elif isinstance(value, Gap):
                sheet.gap(r, i + 1, "General", "待填写")
            else:
                sheet.text(r, i + 1, str(value))
        qualitative = cell["nature"] in natures.qualitative
        adjusted = line.scored is not None and line.scored.adjusted
        score_col = roles.index("score") + 1
        weight = cell["weight"]
        if qualitative or adjusted:
            sheet.value(r, score_col, cell["score"], "0.00")
            if adjusted and "reason" in cell:
                sheet.comment(sheet.ws.cell(row=r, column=score_col), f"调整得分：{cell['reason']}")
            high = weight.value if isinstance(weight, Num) else Decimal(100)
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=rules.n(high))
            dv.error = f"得分应在 0 至 {rules.n(high)} 之间"
            _validate(sheet, dv, f"{letter['score']}{r}")
        else:
            cached = cell["score"].value if isinstance(cell["score"], Num) else None
            formula = row_score(
                f"{letter['nature']}{r}",
                f"{letter['target']}{r}",
                f"{letter['actual']}{r}",
                f"{letter['weight']}{r}",
                natures,
            )
            sheet.formula(r, score_col, formula, "0.00", cached=cached, bold=False)
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
            dv.error = "定量指标的实际完成值应为数字,单位写在计量单位一栏"
            _validate(sheet, dv, f"{letter['actual']}{r}")
        if "reason" in cell:
            sheet.text(r, roles.index("reason") + 1, str(cell["reason"]))
        data.append(r)
        names.append((str(cell["level1"]), str(cell.get("level2", ""))))
        row += 1
    last = row - 1
    if data:
        words = ",".join(natures.words())
        dv = DataValidation(type="list", formula1=f'"{words}"')
        dv.error = f"指标性质应为 {'、'.join(natures.words())} 之一"
        _validate(sheet, dv, f"{letter['nature']}{first}:{letter['nature']}{last}")
        if "level2" in roles:
            sheet.merge_levels(data, names)
    funds_total, funds_score = funds
    score_col = roles.index("score") + 1
    weight_col = roles.index("weight") + 1
    sheet_score = f"{get_column_letter(funds_score)}{funds_total}"
    total_ref = ""
    for line in t.rows[len(data) :]:
        cell = dict(zip(roles, line.cells, strict=True))
        label_end = min(i for i, role in enumerate(roles) if role in ("weight", "score"))
        w.put(row, (0, label_end), cell[roles[0]], bold=True)
        for i in range(label_end, len(roles)):
            if i + 1 in (weight_col, score_col):
                continue
            sheet.text(row, i + 1, "")
        if isinstance(cell["weight"], Num):  # the 总分 row
            sheet.formula(
                row,
                weight_col,
                f"={w.funds_weight}+SUM({letter['weight']}{first}:{letter['weight']}{last})",
                number_format("weight"),
                cached=cell["weight"].value,
            )
            blanks = f'COUNTBLANK({letter["score"]}{first}:{letter["score"]}{last})+({sheet_score}="")'
            score = cell["score"]
            formula_cell = sheet.formula(
                row,
                score_col,
                f'=IF({blanks}>0,"",{sheet_score}+SUM({letter["score"]}{first}:{letter["score"]}{last}))',
                "0.00",
                cached=score.value if isinstance(score, Num) else None,
            )
            if isinstance(score, Gap):
                formula_cell.fill = GAP_FILL
            total_ref = f"{letter['score']}{row}"
        else:  # the grade row
            sheet.text(row, weight_col, "")
            grade = str(cell["score"])
            sheet.formula(
                row,
                score_col,
                f'=IF({total_ref}="","",{rules.grade_formula(total_ref, list(grades))})',
                None,
                cached=grade,
            )
            sheet.ws.cell(row=row, column=score_col).alignment = Alignment(
                horizontal="center", vertical="center"
            )
        row += 1
    return row, header_row


def target_sheet(sheet: Sheet, attachment: Attachment, report: Report) -> None:
    """The 自评表's blocks as one table from row 2 (the title is row 1), no page break forced."""
    tables = attachment.tables
    layout = Layout(tables)
    sheet.widths = [math.ceil(x) - 2 for x in layout.widths]  # finish() adds the 2 back
    w = Writer(sheet, layout)
    row = 2
    funds = (0, 0)
    header_row = 0
    for t in tables:
        if t.block == "funds":
            row, total, score_col = _funds(w, row, t)
            funds = (total, score_col)
            w.funds_weight = w.ref(t, "weight", total)
        elif t.block == "rows":
            row, header_row = _rows(w, row, t, funds, report.grades or GRADE_DEFAULT)
        else:
            row = _plain(w, row, t)
    if header_row:
        sheet.ws.row_dimensions[header_row].height = 2 * LINE_HEIGHT
        sheet.ws.print_title_rows = f"{header_row}:{header_row}"
