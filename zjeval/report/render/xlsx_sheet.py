"""One worksheet being written: cells from typed values, widths, wrapping, merged labels, and a
print layout that keeps each group of rows (a 一级指标 and its 小计, a 数据表 section) on one page."""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol, cast

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from zjeval.report.model import GAP, Cell, Gap, Num
from zjeval.report.typeset import NumberKind

# one number format per kind, as the text shows it
FORMATS: dict[str, str] = {
    "money": "0.00",  # 万元, 2 decimals, as the text prints it (the cell keeps the value entered)
    "percent": '0.00"%"',  # percentage points: 95.6 -> 95.60%
    "count": "0",
    "score": "0.00",
    # as few places as the value has (3, 2.5): "0.##" would show "15." in Excel and WPS
    "weight": "General",
    "number": "General",
}
# a number whose unit stands in a column of its own (the 数据表's 单位): the value without it
BARE = {"percent": "0.00"}
ADJUSTED = '0.00"（调整）"'  # a score typed over the formula (overrides), shown as the text shows it


def number_format(kind: NumberKind | str, unit_column: bool = False) -> str:
    """The kind's format; `unit_column`: the unit is printed beside it, not again in the value."""
    if unit_column and kind in BARE:
        return BARE[kind]
    return FORMATS.get(kind, FORMATS["number"])


EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number
FONT_NAME = "宋体"
MAX_WIDTH = 60  # a column never grows wider than this (in character cells); longer text wraps
MIN_WIDTH = 8
LINE_HEIGHT = 15.0  # points per wrapped line at 11 pt
AUTHOR = "zjeval"
# printable height of an A4 page with Excel's default margins, in points
PRINT_HEIGHT = {False: 297 / 25.4 * 72 - 2 * 0.75 * 72 - 30, True: 210 / 25.4 * 72 - 2 * 0.75 * 72 - 30}
PRINT_WIDTH = {False: 210 / 25.4 * 72 - 2 * 0.7 * 72, True: 297 / 25.4 * 72 - 2 * 0.7 * 72}
POINTS_PER_WIDTH = 5.6  # a column-width unit (one character cell of 11 pt) printed, in points

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
GAP_FILL = PatternFill("solid", fgColor="FFFF00")
ADJUSTED_FILL = PatternFill("solid", fgColor="FCE4D6")  # a constant where a formula is expected
BODY = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)

TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3

Cached = Decimal | int | str | None  # what the report computed for a formula cell (xlsx_values writes it)
Styled = XlCell | MergedCell  # a cell of a merged range still takes a border and an alignment


class _StyleLists(Protocol):
    """A workbook's lists of the styles its cells use by id (private: openpyxl's stubs leave them out)."""

    _fonts: IndexedList[Font]
    _borders: IndexedList[Border]
    _alignments: IndexedList[Alignment]


class _StyleIds(Protocol):
    """A cell's ids into those lists (private, as above); None until a style is first set."""

    _style: StyleArray | None


def style_ids(cell: Styled) -> StyleArray:
    """The cell's style ids, to set directly (see Sheet.style for why)."""
    private = cast(_StyleIds, cell)
    if private._style is None:
        private._style = StyleArray()
    return private._style


def cells(text: str) -> int:
    """Display width in character cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Sheet:
    def __init__(self, ws: Worksheet, columns: Sequence[str]) -> None:
        self.ws = ws
        self.ncols = len(columns)
        self.widths = [cells(c) for c in columns]
        self.long: dict[tuple[int, int], str] = {}  # (row, col) -> text of cells that may wrap
        self.cached: dict[str, Cached] = {}  # formula cell -> the value the report computed
        self.optional: set[str] = set()  # input cells that may stay blank (counted as 0)
        self.groups: list[int] = []  # first rows of the print groups
        self.ends: set[int] = set()  # rows that end a group together with the one before
        self.title_lines: tuple[str, ...] = ()  # the title broken between words

    # ------------------------------------------------------------ cells

    def text(
        self,
        row: int,
        col: int,
        value: str,
        font: Font | None = None,
        measure: bool = True,
        horizontal: str | None = None,
    ) -> XlCell:
        """A text cell; never a formula, whatever the text starts with."""
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = self.cell(row, col)
        cell.value = value or None
        if value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        self.style(cell, font or BODY, horizontal)
        if measure and value:
            self.measure(row, col, value)
        return cell

    def cell(self, row: int, col: int) -> XlCell:
        """The cell to write a value in: never one a merge has covered."""
        cell = self.ws.cell(row=row, column=col)
        assert isinstance(cell, XlCell), f"{cell.coordinate} is covered by a merged range"
        return cell

    def number(self, row: int, col: int, value: Decimal, fmt: str, font: Font | None = None) -> XlCell:
        cell = self.cell(row, col)
        cell.value = value  # openpyxl writes a Decimal as a number ("%.16g")
        cell.number_format = fmt
        self.style(cell, font or BODY, horizontal="right")
        if len(value.as_tuple().digits) > EXCEL_DIGITS:
            self.comment(cell, f"Excel 只保留 {EXCEL_DIGITS} 位有效数字，原值为 {value}")
        self.measure(row, col, format(value, "f") + "0")
        return cell

    def formula(
        self,
        row: int,
        col: int,
        formula: str,
        fmt: str | None,
        *,
        cached: Cached = None,
        bold: bool = True,
        wrap: bool = False,
    ) -> XlCell:
        cell = self.cell(row, col)
        cell.value = formula
        font = BOLD if bold else BODY
        if fmt is not None:
            cell.number_format = fmt
            self.style(cell, font, horizontal="right")
        else:
            self.style(cell, font)
        if wrap:
            self.align(cell, wrap=True)
        self.cached[cell.coordinate] = cached
        return cell

    def gap(self, row: int, col: int, fmt: str, what: str = "待填写") -> XlCell:
        """An empty cell that shows the user what is missing, formatted for the number it awaits."""
        cell = self.cell(row, col)
        cell.number_format = fmt
        cell.fill = GAP_FILL
        self.style(cell, BODY, horizontal="right")
        self.comment(cell, what)
        self.measure(row, col, GAP)
        return cell

    def value(self, row: int, col: int, value: Cell, fmt: str, font: Font | None = None) -> XlCell:
        if isinstance(value, Num):
            return self.number(row, col, value.value, fmt, font)
        if isinstance(value, Gap):
            return self.gap(row, col, fmt)
        return self.text(row, col, value, font)

    def comment(self, cell: XlCell, text: str) -> None:
        note = Comment(text, AUTHOR)
        note.width, note.height = 240, 80
        cell.comment = note

    def style(self, cell: Styled, font: Font, horizontal: str | None = None) -> None:
        """Font, border and alignment by their ids in the workbook's style lists, found once per
        workbook: openpyxl hashes a style object on every assignment, which was most of the time
        of a workbook of many sheets (`projects render`)."""
        s = style_ids(cell)
        s.fontId, s.borderId, s.alignmentId = self._style_ids(font, horizontal)

    def align(self, cell: Styled, horizontal: str | None = None, wrap: bool = False) -> None:
        """cell.alignment = Alignment(horizontal, vertical centre, wrap), by its id found once."""
        wb = self._book()
        known: dict[tuple[str | None, bool], int] = wb.__dict__.setdefault("_zjeval_alignment_ids", {})
        key = (horizontal, wrap)
        if key not in known:
            known[key] = cast(_StyleLists, wb)._alignments.add(
                Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
            )
        style_ids(cell).alignmentId = known[key]

    def _book(self) -> Workbook:
        wb = self.ws.parent
        assert wb is not None, "a sheet being written belongs to a workbook"
        return wb

    def _style_ids(self, font: Font, horizontal: str | None) -> tuple[int, int, int]:
        wb = self._book()
        known: dict[tuple[int, str | None], tuple[tuple[int, int, int], Font]] = wb.__dict__.setdefault(
            "_zjeval_style_ids", {}
        )
        key = (id(font), horizontal)
        if key not in known:  # added in the order the descriptors would add them: the same ids
            lists = cast(_StyleLists, wb)
            ids = (
                lists._fonts.add(font),
                lists._borders.add(BORDER),
                lists._alignments.add(Alignment(horizontal=horizontal, vertical="center")),
            )
            known[key] = (ids, font)  # the font kept alive, so its id is never reused
        return known[key][0]

    def measure(self, row: int, col: int, text: str) -> None:
        width = max(cells(line) for line in text.split("\n"))
        self.widths[col - 1] = max(self.widths[col - 1], min(width, MAX_WIDTH))
        if width > MAX_WIDTH or "\n" in text:
            self.long[(row, col)] = text

    # ------------------------------------------------------------ rows

    def title(self, text: str, lines: Sequence[str] = ()) -> None:
        """The title row; `lines`: the title broken by meaning, used when it does not fit one line."""
        self.title_lines = tuple(ILLEGAL_CHARACTERS_RE.sub("", line) for line in lines)
        cell = self.cell(TITLE_ROW, 1)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
        if cell.data_type == "f":  # a unit name starting with "=": text all the same
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.font = TITLE
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=self.ncols)

    def header(self, columns: Sequence[str]) -> None:
        for col, name in enumerate(columns, 1):
            cell = self.text(HEADER_ROW, col, name, BOLD, measure=False)
            cell.fill = HEADER_FILL
            self.align(cell, "center", wrap=True)

    def merge(self, first: int, last: int, col: int, end_col: int | None = None) -> None:
        """Merge rows first..last of col (through end_col); the borders of the hidden cells stay."""
        end = end_col or col
        if first == last and end == col:
            return
        border = self._style_ids(BODY, None)[1]
        self.ws.merged_cells.add(MergedCellRange(self.ws, _range(first, col, last, end)))
        cells = self.ws._cells
        for r in range(first, last + 1):
            for c in range(col, end + 1):
                # the covered cells bordered all round, by id (merge_cells' own format() hashes
                # a new Border for each edge cell: most of the time of a book of many sheets)
                if (r, c) == (first, col):
                    cell = self.ws.cell(row=r, column=c)
                else:
                    cell = cells[(r, c)] = MergedCell(self.ws, row=r, column=c)
                style_ids(cell).borderId = border

    def merge_levels(self, rows: list[int], names: list[tuple[str, str]]) -> None:
        """Merge each 一级 cell over its indicators, and each 二级 cell over its run within it."""
        for first, last in _runs([n[0] for n in names]):
            self.merge(rows[first], rows[last], 1)
            level2 = [n[1] for n in names[first : last + 1]]
            for a, b in _runs(level2):
                self.merge(rows[first + a], rows[first + b], 2)
        for r in rows:
            for col in (1, 2):
                self.align(self.ws.cell(row=r, column=col), "center", wrap=True)

    def group_start(self, row: int) -> None:
        self.groups.append(row)

    def group_end(self, row: int) -> None:
        self.ends.add(row)

    # ------------------------------------------------------------ layout

    def finish(self, title: str, landscape: bool, header: bool = True) -> None:
        """Widths, wrapping, print layout; `header`: row 2 is the one header row (frozen, repeated)."""
        ws = self.ws
        widths = [max(MIN_WIDTH, w + 2) for w in self.widths]
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        # long text wraps at the column width, and its row grows to show every line
        heights: dict[int, int] = {}
        for (row, col), text in self.long.items():
            cell = ws.cell(row=row, column=col)
            self.align(cell, cell.alignment.horizontal, wrap=True)
            lines = _lines(text, widths[col - 1] - 1)
            heights[row] = max(heights.get(row, 1), lines)
        for row, lines in sorted(heights.items()):
            if lines > 1:
                ws.row_dimensions[row].height = LINE_HEIGHT * lines
        room = max(1, sum(widths) - 2)  # the merged title cell, in 11 pt character cells
        title_lines = math.ceil(cells(title) * 14 / 11 / room)
        if title_lines > 1 and len(self.title_lines) > 1:
            # broken where the report breaks it, between words, never where the cell runs out
            cell = ws.cell(row=TITLE_ROW, column=1)
            if cell.data_type != "s" or not cell.quotePrefix:
                cell.value = "\n".join(self.title_lines)
            title_lines = sum(math.ceil(cells(line) * 14 / 11 / room) for line in self.title_lines)
        ws.row_dimensions[TITLE_ROW].height = 24.0 * max(1, title_lines)
        last = ws.max_row
        if header:
            ws.row_dimensions[HEADER_ROW].height = 20.0
            ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1).coordinate
            ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.print_area = f"A1:{get_column_letter(self.ncols)}{last}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1  # one page wide, as many pages long as it takes
        ws.page_setup.fitToHeight = 0
        setup = ws.sheet_properties.pageSetUpPr
        assert setup is not None  # every new sheet has one
        setup.fitToPage = True
        ws.print_options.horizontalCentered = True
        footer = ws.oddFooter
        assert footer is not None  # every new sheet has one
        footer.center.text = "第 &P 页，共 &N 页"
        self.page_breaks(widths, heights, landscape, last)

    def page_breaks(self, widths: list[int], lines: dict[int, int], landscape: bool, last: int) -> None:
        """Breaks before a group that would not fit on the page (as printed one page wide)."""
        scale = min(1.0, PRINT_WIDTH[landscape] / (sum(widths) * POINTS_PER_WIDTH))
        room = PRINT_HEIGHT[landscape] / scale - 20.0  # the header row repeats on each page

        def height(row: int) -> float:
            return LINE_HEIGHT * lines.get(row, 1)

        starts = sorted(set(self.groups))
        bounds = [*starts, last + 1]
        used = 24.0 + sum(height(r) for r in range(FIRST_ROW, starts[0])) if starts else 0.0
        for a, b in itertools.pairwise(bounds):
            need = sum(height(r) for r in range(a, b))
            if used and used + need > room and need <= room:
                self.ws.row_breaks.append(Break(id=a - 1))
                used = 0.0
            used += need


def _range(first: int, col: int, last: int, end: int) -> str:
    return f"{get_column_letter(col)}{first}:{get_column_letter(end)}{last}"


def _runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) index of each run of equal consecutive values."""
    out = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            out.append((start, i - 1))
            start = i
    return out


def _lines(text: str, width: int) -> int:
    return sum(max(1, math.ceil(cells(line) / max(1, width))) for line in text.split("\n"))
