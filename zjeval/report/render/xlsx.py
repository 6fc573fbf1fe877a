"""Report -> XLSX workbook: the 数据表 as inputs, the 评分表 as live formulas over them.

Works from the typed Report: numbers are written as numbers from their values, never parsed
back from text. In the 评分表 each 指标值 is a formula of the 数据表 cells, each 得分 a formula
of the framework's rule, each 扣分原因 a formula that follows the score, and subtotals, total
and grade add up: edit a figure or a judgment and everything that depends on it is recomputed.
An adjusted score (overrides) is a number with its reason. Every formula cell also carries the
value the report computed (so previews show totals without recalculating), inputs are
validated (a figure's bounds, a tier from the list, a count in range, a score within its
weight), and printing keeps each 一级指标's rows on one page where they fit.

Text never becomes a formula: strings starting with = + - @ are stored as text (quote prefix).
Same report, same bytes: core properties come from the report's date and the zip is rewritten
by reproducible.stable_zip.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zjeval.errors import ZjevalError
from zjeval.form.framework import Checklist, Deduction, Qualitative
from zjeval.report.model import GAP, Attachment, Cell, Gap, Num, Report, Scored, Table
from zjeval.report.render import xlsx_rules as rules
from zjeval.report.render.reproducible import document_time
from zjeval.report.render.xlsx_sheet import (
    ADJUSTED,
    ADJUSTED_FILL,
    BOLD,
    FIRST_ROW,
    GAP_FILL,
    GROUP_FILL,
    HEADER_ROW,
    Sheet,
    number_format,
)
from zjeval.report.render.xlsx_target import target_sheet
from zjeval.report.render.xlsx_values import workbook_bytes

DEFAULT_GRADES: tuple[tuple[str, Decimal], ...] = (
    ("优", Decimal(90)),
    ("良", Decimal(80)),
    ("中", Decimal(60)),
    ("差", Decimal(0)),
)
ERROR_TITLE = "输入有误"


def _validation(
    ws: Worksheet, kind: str, cell: str, *, low: Decimal | None, high: Decimal | None, what: str
) -> None:
    """Data validation on one input cell: a number (whole for counts) within its bounds."""
    vtype: Literal["whole", "decimal"] = "whole" if kind == "count" else "decimal"
    if low is not None and high is not None:
        dv = DataValidation(type=vtype, operator="between", formula1=rules.n(low), formula2=rules.n(high))
        rule = f"{rules.n(low)} 至 {rules.n(high)} 之间"
    elif high is not None:
        dv = DataValidation(type=vtype, operator="lessThanOrEqual", formula1=rules.n(high))
        rule = f"不大于 {rules.n(high)}"
    else:
        dv = DataValidation(type=vtype, operator="greaterThanOrEqual", formula1=rules.n(low or Decimal(0)))
        rule = f"不小于 {rules.n(low or Decimal(0))}"
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = ERROR_TITLE
    dv.error = f"{what}应为{'整数' if vtype == 'whole' else '数字'}，{rule}"
    dv.add(cell)
    ws.add_data_validation(dv)


# ------------------------------------------------------------ 数据表


def _data_sheet(sheet: Sheet, table: Table) -> dict[str, str]:
    """The figures as input cells; returns question id -> its cell for the 评分表's formulas."""
    refs: dict[str, str] = {}
    row = FIRST_ROW
    for r in table.rows:
        if r.kind == "group":
            for col in range(1, sheet.ncols + 1):
                sheet.ws.cell(row=row, column=col).fill = GROUP_FILL
            sheet.text(row, 1, str(r.cells[0]), BOLD, measure=False)
            sheet.merge(row, row, 1, sheet.ncols)
            sheet.group_start(row)
        else:
            label, unit, value = r.texts[0], r.texts[1], r.cells[2]
            sheet.text(row, 1, label)
            sheet.text(row, 2, unit, horizontal="center")
            figure = r.figure
            kind = figure.kind if figure else "number"
            fmt = number_format(kind, unit_column=bool(unit))  # "%" once: in the 单位 column
            if isinstance(value, Num):
                sheet.number(row, 3, value.value, fmt)
            elif isinstance(value, Gap):
                sheet.gap(row, 3, fmt, f"待填写：{label}（{unit}）" if unit else f"待填写：{label}")
            else:
                sheet.text(row, 3, str(value))
            if figure is not None:
                refs[figure.qid] = f"'{sheet.ws.title}'!$C${row}"
                low = figure.min if figure.min is not None else Decimal(0)
                _validation(sheet.ws, kind, f"C{row}", low=low, high=figure.max, what=label)
                if not figure.required:
                    sheet.optional.add(refs[figure.qid])
        row += 1
    return refs


# ------------------------------------------------------------ 评分表

W, V, S, R = 4, 5, 6, 7  # columns: 权重 指标值 得分 扣分原因


def _indicator(sheet: Sheet, row: int, cells: Sequence[Cell], scored: Scored, refs: dict[str, str]) -> None:
    ws = sheet.ws
    ind = scored.indicator
    weight: Decimal = ind.weight
    v, f = f"E{row}", f"F{row}"
    value, score, reason = cells[V - 1], cells[S - 1], cells[R - 1]
    rule = ind.rule
    cached_value = (
        value.value if isinstance(value, Num) else (None if isinstance(value, Gap) else str(value))
    )
    if ind.formula is not None:
        formula = (
            rules.value_formula(ind.formula, refs.get, lambda c: c not in sheet.optional) if refs else None
        )
        if formula is None:  # no 数据表 in this report: the value as the report states it
            sheet.value(row, V, value, '0.00"%"')
        else:
            sheet.formula(row, V, formula, '0.00"%"', cached=cached_value, bold=False)
        score_f, reason_f = rules.computed(ind.formula, rule, v, f, weight)
    else:
        # a judgment: the evaluator's input, validated
        if isinstance(rule, Qualitative):
            sheet.text(row, V, str(scored.judged or ""), horizontal="center")  # a tier name
            dv = DataValidation(type="list", formula1='"' + ",".join(t.name for t in rule.tiers) + '"')
            dv.allow_blank, dv.showErrorMessage, dv.errorTitle = True, True, ERROR_TITLE
            dv.error = "请从列表中选择：" + "、".join(t.name for t in rule.tiers)
            dv.add(v)
            ws.add_data_validation(dv)
        else:
            suffix = (
                value.suffix if isinstance(value, Num) else ("处问题" if isinstance(rule, Deduction) else "")
            )
            fmt = f'0"{suffix}"' if suffix else "0"
            if isinstance(rule, Checklist):
                fmt = f'0"/{len(rule.items)}项达到"'
            if isinstance(value, Num):
                sheet.number(row, V, value.value, fmt)
            else:
                sheet.gap(row, V, fmt, "待填写")
            high = Decimal(len(rule.items)) if isinstance(rule, Checklist) else None
            _validation(ws, "count", v, low=Decimal(0), high=high, what=ind.name)
        score_f, reason_f = rules.judged(rule, v, f, weight, scored.note)
    cached_score = score.value if isinstance(score, Num) else None
    if scored.adjusted and isinstance(score, Num):
        # a constant where the column holds formulas: marked as the text marks it, and shaded
        cell = sheet.number(row, S, score.value, ADJUSTED)
        cell.fill = ADJUSTED_FILL
        sheet.comment(cell, f"调整得分（计算得分{rules.n(scored.computed or Decimal(0))}）：{scored.note}")
        sheet.text(row, R, str(reason))
    else:
        sheet.formula(row, S, score_f, "0.00", cached=cached_score, bold=False)
        sheet.formula(row, R, reason_f, None, cached=str(reason), bold=False, wrap=True)
        sheet.measure(row, R, str(reason))
    _validation(ws, "score", f, low=Decimal(0), high=weight, what=f"{ind.name}的得分")


def _score_sheet(
    sheet: Sheet, table: Table, grades: Sequence[tuple[str, Decimal]], refs: dict[str, str]
) -> None:
    ws = sheet.ws
    row = FIRST_ROW
    group: list[int] = []  # the indicator rows since the last subtotal
    names: list[tuple[str, str]] = []
    subtotal_rows: list[int] = []
    for r in table.rows:
        if r.kind == "data" and r.scored is not None:
            if not group:
                sheet.group_start(row)
            sheet.text(row, 1, r.texts[0])
            sheet.text(row, 2, r.texts[1])
            sheet.text(row, 3, r.texts[2])
            sheet.number(row, W, r.scored.indicator.weight, number_format("weight"))
            _indicator(sheet, row, r.cells, r.scored, refs)
            group.append(row)
            names.append((r.texts[0], r.texts[1]))
        elif r.kind == "subtotal":
            first, last = (group[0], group[-1]) if group else (row, row - 1)
            sheet.text(row, 1, r.texts[0], BOLD)
            sheet.merge(row, row, 1, 3)
            weight = r.cells[W - 1]
            sheet.formula(
                row,
                W,
                f"=SUM(D{first}:D{last})" if group else "=0",
                number_format("weight"),
                cached=weight.value if isinstance(weight, Num) else None,
            )
            score = r.cells[S - 1]
            rng = f"F{first}:F{last}"
            sheet.formula(
                row,
                S,
                f'=IF(COUNTBLANK({rng})>0,"",SUM({rng}))' if group else "=0",
                "0.00",
                cached=score.value if isinstance(score, Num) else None,
            )
            if isinstance(score, Gap):
                sheet.comment(sheet.cell(row, S), "含待填写的指标，小计尚不完整")
                ws.cell(row=row, column=S).fill = GAP_FILL
            sheet.text(row, V, "")
            sheet.text(row, R, "")
            sheet.merge_levels(group, names)
            subtotal_rows.append(row)
            group, names = [], []
        elif r.kind == "total":
            sheet.text(row, 1, r.texts[0], BOLD)
            sheet.merge(row, row, 1, 3)
            parts_w = ",".join(f"D{x}" for x in subtotal_rows)
            parts_s = ",".join(f"F{x}" for x in subtotal_rows)
            weight, score = r.cells[W - 1], r.cells[S - 1]
            sheet.formula(
                row,
                W,
                f"=SUM({parts_w})" if parts_w else "=0",
                number_format("weight"),
                cached=weight.value if isinstance(weight, Num) else None,
            )
            blanks = "+".join(f'({x}="")' for x in parts_s.split(",")) if parts_s else "0"
            total = sheet.formula(
                row,
                S,
                f'=IF({blanks}>0,"",SUM({parts_s}))' if parts_s else "=0",
                "0.00",
                cached=score.value if isinstance(score, Num) else None,
            )
            if isinstance(score, Gap):
                sheet.comment(total, "含待填写的指标，总分尚不完整")
                total.fill = GAP_FILL
            sheet.text(row, V, "")
            stated = r.texts[R - 1]
            grade = sheet.formula(
                row,
                R,
                f'=IF(F{row}="","","等级："&{rules.grade_formula(f"F{row}", list(grades))})',
                None,
                cached=stated,
            )
            if not stated:
                sheet.comment(grade, "尚有待填写的得分，暂无等级")
            sheet.measure(row, R, stated or "等级：优")
            sheet.group_end(row)  # 合计 stays with the last group
        row += 1
    if group:
        sheet.merge_levels(group, names)


def _plain_sheet(sheet: Sheet, table: Table) -> None:
    """Every other table: text, and numbers from its values."""
    for row, r in enumerate(table.rows, FIRST_ROW):
        font = None if r.kind == "data" else BOLD
        for col, cell in enumerate(r.cells, 1):
            sheet.value(
                row, col, cell, number_format(cell.kind) if isinstance(cell, Num) else "General", font
            )


# ------------------------------------------------------------ workbook


def render(report: Report) -> bytes:
    """The report's attachments (数据表, 评分表) as an XLSX workbook, one sheet each."""
    if not report.attachments:
        raise ZjevalError(
            "该报告没有数据表或评分表，无法生成 Excel 工作簿",
            "Excel 格式只输出报告的附表；请改用 text、md 或 docx 格式生成报告正文",
        )
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    refs: dict[str, str] = {}
    ordered = sorted(report.attachments, key=lambda a: a.kind != "data_table")  # inputs first
    sheets: dict[int, Sheet] = {}
    for a in ordered:
        place = sum(n < a.number for n in sheets)  # each sheet where it stands in the 附件 order
        sheets[a.number] = _sheet(wb, a, report, refs, place)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True  # Excel and LibreOffice recompute when the file opens

    when = document_time(report.date).replace(tzinfo=None)  # core.xml times are UTC, written naive
    creator = report.signature_unit if report.signature_unit != GAP else None
    cached = {s.ws.title: s.cached for s in sheets.values()}
    return workbook_bytes(wb, report.title, creator, when, cached)


def _sheet(wb: Workbook, attachment: Attachment, report: Report, refs: dict[str, str], place: int) -> Sheet:
    table = attachment.table
    ws: Worksheet = wb.create_sheet(title=attachment.name[:31], index=place)
    widest = max(attachment.tables, key=lambda t: len(t.columns))
    sheet = Sheet(ws, widest.columns)
    mark = "【草稿】" if report.draft else ""
    title = f"{mark}{attachment.title}"
    lines = attachment.title_lines or (attachment.title,)
    sheet.title(title, (mark + lines[0], *lines[1:]))
    if attachment.kind == "target_table":
        target_sheet(sheet, attachment, report)
        sheet.finish(title, landscape=True, header=False)
        return sheet
    sheet.header(table.columns)
    if attachment.kind == "scorecard":
        _score_sheet(sheet, table, report.grades or DEFAULT_GRADES, refs)
    elif attachment.kind == "data_table":
        refs.update(_data_sheet(sheet, table))
    else:
        _plain_sheet(sheet, table)
    sheet.finish(title, landscape=table.wide)
    return sheet


__all__ = ["HEADER_ROW", "render"]
