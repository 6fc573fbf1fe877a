"""Report -> XLSX workbook: the 数据表 and 评分表 as numbers and live formulas.

Works from the Report alone. Its tables hold display strings ("4480.45", "93.00%",
"0.75(调整)", "【待填写】"); they are turned back into Decimals here and written as numbers
with a number format, so the sheet shows what the text report shows and still computes. In the
评分表 every 一级 subtotal, the total and the grade are formulas over the indicator scores: edit
a score and they follow. A 【待填写】 cell is left empty, filled yellow and commented.

Text never becomes a formula: strings starting with = + - @ are stored as text (quote prefix).
Same report, same bytes: core properties come from the report's date and the zip is rewritten
by reproducible.stable_zip.
"""

from __future__ import annotations

import io
import math
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

# openpyxl ships no type information (types-openpyxl is not a dependency): its objects are Any here.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from zjeval.errors import ZjevalError
from zjeval.report.build import GAP, Attachment, Report, Table
from zjeval.report.render.reproducible import document_time, stable_zip

# number formats
MONEY = "#,##0.00##"  # 万元 with thousands separators, keeping up to 4 places as entered (1,198.0978)
PERCENT_FIGURE = '0.00##"%"'  # a figure in percentage points as entered: 95.6 -> 95.60%
PERCENT = '0.00"%"'  # an indicator value, already rounded to 0.01
INTEGER = "0"
DECIMAL = "0.00##"
SCORE = "0.00"

ADJUSTED = "(调整)"  # the 评分表's mark on an overridden score
DEFAULT_GRADES: tuple[tuple[str, Decimal], ...] = (
    ("优", Decimal(90)),
    ("良", Decimal(80)),
    ("中", Decimal(60)),
    ("差", Decimal(0)),
)
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number

FONT_NAME = "宋体"
MAX_WIDTH = 60  # a column never grows wider than this (in character cells); longer text wraps
MIN_WIDTH = 8
LINE_HEIGHT = 15.0  # points per wrapped line at 11 pt
AUTHOR = "zjeval"

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
GAP_FILL = PatternFill("solid", fgColor="FFFF00")
BODY = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)

TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3


def cells(text: str) -> int:
    """Display width in character cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def number(text: str) -> Decimal | None:
    """The Decimal a display string shows ("4480.45", "93.00%", "0.75(调整)"), or None for words."""
    text = text.strip().removesuffix(ADJUSTED).removesuffix("%")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class _Sheet:
    """One worksheet being written: tracks widths, wrapped cells and rows for the layout pass."""

    def __init__(self, ws: Any, columns: Sequence[str]) -> None:
        self.ws = ws
        self.ncols = len(columns)
        self.widths = [cells(c) for c in columns]
        self.long: dict[tuple[int, int], str] = {}  # (row, col) -> text of cells that may wrap

    # ------------------------------------------------------------ cells

    def text(self, row: int, col: int, value: str, font: Any = BODY, measure: bool = True) -> Any:
        """A text cell; never a formula, whatever the text starts with."""
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = self.ws.cell(row=row, column=col)
        cell.value = value or None
        if value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        self.style(cell, font)
        if measure and value:
            self.measure(row, col, value)
        return cell

    def number(self, row: int, col: int, value: Decimal, fmt: str, font: Any = BODY) -> Any:
        cell = self.ws.cell(row=row, column=col)
        cell.value = value  # openpyxl writes a Decimal as a number ("%.16g")
        cell.number_format = fmt
        self.style(cell, font, horizontal="right")
        if len(value.as_tuple().digits) > EXCEL_DIGITS:
            self.comment(cell, f"Excel 只保留 {EXCEL_DIGITS} 位有效数字,原值为 {value}")
        self.measure(row, col, _shown(value, fmt))
        return cell

    def formula(self, row: int, col: int, formula: str, fmt: str | None = None, font: Any = BOLD) -> Any:
        cell = self.ws.cell(row=row, column=col)
        cell.value = formula
        if fmt is not None:
            cell.number_format = fmt
            self.style(cell, font, horizontal="right")
        else:
            self.style(cell, font)
        return cell

    def gap(self, row: int, col: int, fmt: str, what: str = "待填写") -> Any:
        """An empty cell that shows the user what is missing, formatted for the number it awaits."""
        cell = self.ws.cell(row=row, column=col)
        cell.number_format = fmt
        cell.fill = GAP_FILL
        self.style(cell, BODY, horizontal="right")
        self.comment(cell, what)
        self.measure(row, col, GAP)
        return cell

    def value(self, row: int, col: int, text: str, fmt: str) -> Any:
        """A display string from the report: a number when it is one, a gap, or text."""
        if text == GAP:
            return self.gap(row, col, fmt)
        value = number(text)
        if value is None:
            return self.text(row, col, text)
        return self.number(row, col, value, fmt)

    def comment(self, cell: Any, text: str) -> None:
        note = Comment(text, AUTHOR)
        note.width, note.height = 240, 80
        cell.comment = note

    def style(self, cell: Any, font: Any, horizontal: str | None = None) -> None:
        cell.font = font
        cell.border = BORDER
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")

    def measure(self, row: int, col: int, text: str) -> None:
        width = max(cells(line) for line in text.split("\n"))
        self.widths[col - 1] = max(self.widths[col - 1], min(width, MAX_WIDTH))
        if width > MAX_WIDTH or "\n" in text:
            self.long[(row, col)] = text

    # ------------------------------------------------------------ rows

    def title(self, text: str) -> None:
        cell = self.ws.cell(row=TITLE_ROW, column=1)
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
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def merge(self, first: int, last: int, col: int, end_col: int | None = None) -> None:
        """Merge rows first..last of col (through end_col); the borders of the hidden cells stay."""
        end = end_col or col
        if first == last and end == col:
            return
        for r in range(first, last + 1):
            for c in range(col, end + 1):
                self.ws.cell(row=r, column=c).border = BORDER
        self.ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=end)

    # ------------------------------------------------------------ layout

    def finish(self, title: str, landscape: bool) -> None:
        ws = self.ws
        widths = [max(MIN_WIDTH, w + 2) for w in self.widths]
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        # long text wraps at the column width, and its row grows to show every line
        heights: dict[int, int] = {}
        for (row, col), text in self.long.items():
            cell = ws.cell(row=row, column=col)
            cell.alignment = Alignment(
                horizontal=cell.alignment.horizontal, vertical="center", wrap_text=True
            )
            lines = _lines(text, widths[col - 1] - 1)
            heights[row] = max(heights.get(row, 1), lines)
        for row, lines in sorted(heights.items()):
            if lines > 1:
                ws.row_dimensions[row].height = LINE_HEIGHT * lines
        title_lines = math.ceil(cells(title) * 14 / 11 / max(1, sum(widths)))
        ws.row_dimensions[TITLE_ROW].height = 24.0 * max(1, title_lines)
        ws.row_dimensions[HEADER_ROW].height = 20.0

        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1).coordinate
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1  # one page wide, as many pages long as it takes
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _lines(text: str, width: int) -> int:
    return sum(max(1, math.ceil(cells(line) / max(1, width))) for line in text.split("\n"))


def _shown(value: Decimal, fmt: str) -> str:
    """Roughly what Excel shows for the value, to size the column."""
    places = max(0, -int(value.as_tuple().exponent))
    if fmt == MONEY:
        return f"{value:,.{min(max(places, 2), 4)}f}"
    if fmt in (PERCENT, PERCENT_FIGURE):
        return f"{value:.{min(max(places, 2), 4)}f}%"
    return format(value, "f")


# ------------------------------------------------------------ 数据表


def _figure_format(unit: str, value: Decimal) -> str:
    if unit == "万元":
        return MONEY
    if unit == "%":
        return PERCENT_FIGURE
    exponent = value.as_tuple().exponent
    if unit in ("人", "项") or (isinstance(exponent, int) and exponent >= 0):
        return INTEGER
    return DECIMAL


def _data_sheet(sheet: _Sheet, table: Table) -> None:
    row = FIRST_ROW
    for r in table.rows:
        if r.kind == "group":
            for col in range(1, sheet.ncols + 1):
                sheet.ws.cell(row=row, column=col).fill = GROUP_FILL
            sheet.text(row, 1, r.cells[0], BOLD, measure=False)
            sheet.merge(row, row, 1, sheet.ncols)
        else:
            label, unit, text = r.cells
            sheet.text(row, 1, label)
            sheet.text(row, 2, unit).alignment = Alignment(horizontal="center", vertical="center")
            if text == GAP:
                fmt = _figure_format(unit, Decimal("0.5"))  # any fraction: a blank awaits any figure
                sheet.gap(row, 3, fmt, f"待填写:{label}({unit})" if unit else f"待填写:{label}")
            else:
                value = number(text)
                if value is None:
                    sheet.text(row, 3, text)
                else:
                    sheet.number(row, 3, value, _figure_format(unit, value))
        row += 1


# ------------------------------------------------------------ 评分表


def grade_formula(total: str, grades: Sequence[tuple[str, Decimal]]) -> str:
    """The grade of the total as nested IFs, highest band first: IF(ROUND(F9,2)>=90,"优",…).

    ROUND: the total is a float sum of 0.01 scores, and 89.99999999 must not miss 90.
    """
    bands = sorted(grades, key=lambda b: b[1], reverse=True)
    expr = '""'
    for name, low in reversed(bands):
        quoted = '"' + name.replace('"', '""') + '"'
        if low <= 0 and expr == '""':
            expr = quoted
        else:
            expr = f"IF(ROUND({total},2)>={format(low.normalize(), 'f')},{quoted},{expr})"
    return expr


def _runs(values: Sequence[str]) -> Iterable[tuple[int, int]]:
    """(first, last) index of each run of equal consecutive values."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            yield start, i - 1
            start = i


def _score_sheet(sheet: _Sheet, table: Table, grades: Sequence[tuple[str, Decimal]]) -> None:
    # columns: 一级指标 二级指标 三级指标 权重 指标值 得分 扣分原因
    ws = sheet.ws
    W, V, S, R = 4, 5, 6, 7
    row = FIRST_ROW
    group: list[int] = []  # the indicator rows since the last subtotal
    group_cells: list[tuple[str, str]] = []
    subtotal_rows: list[int] = []
    for r in table.rows:
        if r.kind == "data":
            level1, level2, name, weight, value, score, reason = r.cells
            sheet.text(row, 1, level1)
            sheet.text(row, 2, level2)
            sheet.text(row, 3, name)
            sheet.value(row, W, weight, SCORE)
            cell = sheet.value(row, V, value, PERCENT)
            if isinstance(cell.value, str):
                cell.alignment = Alignment(horizontal="center", vertical="center")
            cell = sheet.value(row, S, score, SCORE)
            if score.endswith(ADJUSTED):
                sheet.comment(cell, f"调整得分。{reason}" if reason else "调整得分")
            sheet.text(row, R, reason)
            group.append(row)
            group_cells.append((level1, level2))
        elif r.kind == "subtotal":
            first, last = (group[0], group[-1]) if group else (row, row - 1)
            sheet.text(row, 1, r.cells[0], BOLD)
            sheet.merge(row, row, 1, 3)
            for col in (W, S):
                letter = get_column_letter(col)
                ref = f"{letter}{first}:{letter}{last}"
                sheet.formula(row, col, f"=SUM({ref})" if group else "=0", SCORE)
            if r.cells[S - 1] == GAP:
                sheet.comment(ws.cell(row=row, column=S), "含待填写的指标,小计尚不完整")
                ws.cell(row=row, column=S).fill = GAP_FILL
            sheet.text(row, V, "")
            sheet.text(row, R, "")
            _merge_levels(sheet, group, group_cells)
            subtotal_rows.append(row)
            group, group_cells = [], []
        else:  # total
            sheet.text(row, 1, r.cells[0], BOLD)
            sheet.merge(row, row, 1, 3)
            for col in (W, S):
                letter = get_column_letter(col)
                parts = ",".join(f"{letter}{s}" for s in subtotal_rows)
                sheet.formula(row, col, f"=SUM({parts})" if parts else "=0", SCORE)
            total = ws.cell(row=row, column=S)
            if r.cells[S - 1] == GAP:
                sheet.comment(total, "含待填写的指标,总分尚不完整")
                total.fill = GAP_FILL
            sheet.text(row, V, "")
            scores = f"{get_column_letter(S)}{FIRST_ROW}:{get_column_letter(S)}{row - 1}"
            coord = total.coordinate
            grade = sheet.formula(
                row,
                R,
                f'=IF(COUNTBLANK({scores})>0,"","等级:"&{grade_formula(coord, grades)})',
            )
            stated = r.cells[R - 1]
            sheet.comment(grade, f"报告所述{stated}" if stated else "尚有待填写的得分,暂无等级")
            sheet.measure(row, R, stated or "等级:优")
        row += 1
    if group:  # indicators after the last subtotal (not made by the builder, but keep them merged)
        _merge_levels(sheet, group, group_cells)


def _merge_levels(sheet: _Sheet, rows: list[int], names: list[tuple[str, str]]) -> None:
    """Merge each 一级 cell over its indicators, and each 二级 cell over its run within it."""
    for first, last in _runs([n[0] for n in names]):
        sheet.merge(rows[first], rows[last], 1)
        level2 = [n[1] for n in names[first : last + 1]]
        for a, b in _runs(level2):
            sheet.merge(rows[first + a], rows[first + b], 2)
    for r in rows:
        for col in (1, 2):
            sheet.ws.cell(row=r, column=col).alignment = Alignment(
                horizontal="center", vertical="center", wrap_text=True
            )


def _plain_sheet(sheet: _Sheet, table: Table) -> None:
    """Any other table: text, with numbers in its numeric columns."""
    for row, r in enumerate(table.rows, FIRST_ROW):
        font = BODY if r.kind == "data" else BOLD
        for col, text in enumerate(r.cells, 1):
            if col - 1 in table.numeric:
                sheet.value(row, col, text, DECIMAL)
            else:
                sheet.text(row, col, text, font)


# ------------------------------------------------------------ workbook


def _sheet(wb: Any, attachment: Attachment, report: Report) -> None:
    table = attachment.table
    ws = wb.create_sheet(title=attachment.name[:31])
    sheet = _Sheet(ws, table.columns)
    title = f"【草稿】{attachment.title}" if report.draft else attachment.title
    sheet.title(title)
    sheet.header(table.columns)
    if attachment.name == "评分表":
        _score_sheet(sheet, table, report.grades or DEFAULT_GRADES)
        sheet.finish(title, landscape=True)
    elif attachment.name == "数据表":
        _data_sheet(sheet, table)
        sheet.finish(title, landscape=False)
    else:
        _plain_sheet(sheet, table)
        sheet.finish(title, landscape=len(table.columns) > 4)


def render(report: Report) -> bytes:
    """The report's attachments (数据表, 评分表) as an XLSX workbook, one sheet each."""
    if not report.attachments:
        raise ZjevalError(
            "该报告没有数据表或评分表,无法生成 Excel 工作簿",
            "Excel 格式只输出报告的附表;请改用 text、md 或 docx 格式生成报告正文",
        )
    wb = Workbook()
    wb.remove(wb.active)
    for attachment in report.attachments:
        _sheet(wb, attachment, report)
    wb.active = 0

    when = document_time(report.date).replace(tzinfo=None)  # core.xml times are UTC, written naive
    props = wb.properties
    props.title = report.title
    props.creator = report.signature_unit if report.signature_unit != GAP else None
    props.lastModifiedBy = None
    props.created = when
    props.modified = when
    props.language = "zh-CN"

    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the modified time with the clock
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # closes the archive
    return stable_zip(buffer.getvalue())
