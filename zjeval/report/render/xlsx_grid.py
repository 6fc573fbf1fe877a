"""The 自评表 sheet's grid: the indicator columns are the grid, every other block's columns span
runs of them fitted to their contents (report.grid); a Writer puts values over those spans,
merged, wrapped and with their row grown, and finds a block's cell by its column's role."""

from __future__ import annotations

import math

from openpyxl.cell.cell import Cell as XlCell
from openpyxl.utils import get_column_letter

from zjeval.report import grid
from zjeval.report.model import Cell, Gap, Num, Table
from zjeval.report.render.xlsx_sheet import (
    BOLD,
    HEADER_FILL,
    LINE_HEIGHT,
    MAX_WIDTH,
    MIN_WIDTH,
    Sheet,
    cells,
    number_format,
)

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
        self.total = ""  # the 总分 cell, once written

    def put(self, row: int, span: Span, value: Cell, *, bold: bool = False, fmt: str | None = None) -> XlCell:
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
            horizontal = "center" if len(str(value)) == 1 else "right" if right else "left"  # "—" centred
            sheet.align(cell, horizontal, wrap=True)
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
        self.sheet.align(cell, "left")
        return row + 1

    def header(self, row: int, t: Table) -> int:
        for span, name in zip(self.layout.of(t), t.columns, strict=True):
            cell = self.put(row, span, name, bold=True)
            cell.fill = HEADER_FILL
            self.sheet.align(cell, "center", wrap=True)
        return row + 1

    def col(self, t: Table, role: str) -> int:
        """The sheet column (1-based) where a block's column of this role starts."""
        return self.layout.of(t)[t.roles.index(role)][0] + 1

    def ref(self, t: Table, role: str, row: int) -> str:
        return f"{get_column_letter(self.col(t, role))}{row}"
