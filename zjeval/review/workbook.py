"""The review as one workbook: 问题清单 (one row per finding), 汇总 (one row per submission,
worst first) and 图表 (grades as stated and as reviewed; 执行率 against 复核得分).

Same review, same bytes: fixed core-property times and a rewritten zip (reproducible.py).
openpyxl is imported only here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zjeval.report.render.xlsx_values import workbook_bytes
from zjeval.review.model import Review
from zjeval.review.profile import LEVELS

FIXED_TIME = dt.datetime(2000, 1, 1)  # a review has no date of its own; the same inputs give the same bytes
FILLS = {"P0": "F4CCCC", "P1": "FCE5CD", "P2": "FFF2CC"}
FINDINGS = [
    ("序号", 6),
    ("等级", 6),
    ("单位", 24),
    ("文件", 28),
    ("位置", 30),
    ("发现", 40),
    ("事实", 50),
    ("依据", 40),
    ("建议", 30),
]
SUMMARY = [
    ("单位", 24),
    ("对象", 36),
    ("表单", 24),
    ("年度", 7),
    ("自评得分", 9),
    ("复核得分", 9),
    ("偏离度", 9),
    ("自评等级", 8),
    ("复核等级", 8),
    ("执行率", 9),
    ("P0", 5),
    ("P1", 5),
    ("P2", 5),
    ("复核得分说明", 40),
    ("文件", 30),
]
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _header(ws: Worksheet, columns: list[tuple[str, int]]) -> None:
    for c, (name, width) in enumerate(columns, 1):
        cell = ws.cell(1, c, name)
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _print_setup(ws: Worksheet, pages_high: int = 0) -> None:
    """Landscape, as wide as one page (and as high as `pages_high` pages, 0 for as many as needed)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None  # every new sheet has one
    setup.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_high
    ws.print_title_rows = "1:1"


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / 100


def _findings(wb: Workbook, review: Review) -> None:
    ws: Worksheet = wb.create_sheet("问题清单")
    _header(ws, FINDINGS)
    for r, f in enumerate(review.findings, 2):
        values = [r - 1, f.level, f.unit, f.file, f.where, f.finding, f.fact, f.basis, f.advice]
        for c, v in enumerate(values, 1):
            cell = ws.cell(r, c, v)
            cell.alignment = WRAP
        ws.cell(r, 2).fill = PatternFill("solid", fgColor=FILLS[f.level])
    if review.findings:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(FINDINGS))}{len(review.findings) + 1}"


def _summary(wb: Workbook, review: Review) -> Worksheet:
    ws: Worksheet = wb.create_sheet("汇总")
    _header(ws, SUMMARY)
    for r, s in enumerate(review.summaries, 2):
        values: list[str | int | Decimal | None] = [
            s.unit,
            s.title,
            s.form,
            s.year,
            s.stated,
            s.reviewed,
            _pct(s.deviation),
            s.stated_grade,
            s.reviewed_grade,
            _pct(s.execution),
            *(s.counts[x] for x in LEVELS),
            ";".join(s.adjustments),
            s.file,
        ]
        for c, v in enumerate(values, 1):
            cell = ws.cell(r, c, v)
            cell.alignment = WRAP
        for c in (5, 6):
            ws.cell(r, c).number_format = "0.00"
        for c in (7, 10):
            ws.cell(r, c).number_format = "0.00%"
        if s.counts["P0"]:
            ws.cell(r, 11).fill = PatternFill("solid", fgColor=FILLS["P0"])
    return ws


def _charts(wb: Workbook, review: Review, summary: Worksheet) -> None:
    ws: Worksheet = wb.create_sheet("图表")
    ws.append(["等级", "自评(个)", "复核(个)"])
    for c in range(1, 4):
        ws.cell(1, c).font = BOLD
    for grade in review.grades:
        ws.append(
            [
                grade,
                sum(s.stated_grade == grade for s in review.summaries),
                sum(s.reviewed_grade == grade for s in review.summaries),
            ]
        )
    n = len(review.grades)
    bar = BarChart()
    bar.title = "等级分布:自评与复核"
    bar.y_axis.title = "单位(项目)数"
    bar.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=n + 1), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    ws.add_chart(bar, "E2")
    rows = len(review.summaries)
    scatter = ScatterChart()
    scatter.title = "执行率与复核得分"
    scatter.style = 13
    scatter.x_axis.title = "执行率"
    scatter.y_axis.title = "复核得分"
    xs = Reference(summary, min_col=10, min_row=2, max_row=rows + 1)
    ys = Reference(summary, min_col=6, min_row=2, max_row=rows + 1)
    series = Series(ys, xs, title="单位(项目)")
    series.marker.symbol = "circle"
    series.marker.size = 8
    series.marker.graphicalProperties.solidFill = "4472C4"
    series.marker.graphicalProperties.line.solidFill = "4472C4"
    series.graphicalProperties.line.noFill = True
    scatter.series.append(series)
    ws.add_chart(scatter, "E20")


def workbook(review: Review) -> bytes:
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    _findings(wb, review)
    summary = _summary(wb, review)
    _charts(wb, review, summary)
    for ws in wb.worksheets:
        _print_setup(ws, 1 if ws.title == "图表" else 0)
    wb.active = 0
    return workbook_bytes(wb, "复核问题清单", "zjeval review", FIXED_TIME)
