"""The target-based 自评表 as one live worksheet: the funds block (totals, 执行率 and its score as
formulas of the 执行数 and 预算数), the 年度总体目标, and the indicator rows whose 得分 are
formulas of 指标性质, 年度指标值, 实际完成值 and 分值 (正向 分值×实际÷指标值, 反向
分值×指标值÷实际, both capped; = met or not), with the total and grade following. Edit an
实际完成值 or a 执行数 and the row, the total and the grade are recomputed. A 定性 row's score
is the evaluator's number (validated within its 分值); an adjusted score stays a number with
its reason. Every formula cell carries the value the report computed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from zjeval.form.row_rule import RowRule
from zjeval.report.model import Attachment, Gap, Num, Report, Table
from zjeval.report.render import xlsx_rules as rules
from zjeval.report.render.xlsx_sheet import BOLD, GAP_FILL, HEADER_FILL, Sheet, number_format

GRADE_DEFAULT = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))


def _caption(sheet: Sheet, row: int, text: str) -> None:
    sheet.text(row, 1, text, BOLD, measure=False)


def _header(sheet: Sheet, row: int, columns: tuple[str, ...], spans: list[tuple[int, int]]) -> None:
    for (first, last), name in zip(spans, columns, strict=True):
        cell = sheet.text(row, first, name, BOLD, measure=False)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge(row, row, first, last)


def _cell(sheet: Sheet, row: int, col: int, value: Any) -> None:
    if isinstance(value, Num):
        sheet.number(row, col, value.value, number_format(value.kind))
    elif isinstance(value, Gap):
        sheet.gap(row, col, "General", "待填写")
    else:
        sheet.text(row, col, str(value))


def _funds(sheet: Sheet, row: int, t: Table) -> tuple[int, int]:
    """The funds block from `row`; returns the next free row and the total's row."""
    _caption(sheet, row, t.caption)
    _header(sheet, row + 1, t.columns, [(c, c) for c in range(1, len(t.columns) + 1)])
    first = row + 2
    r = first
    for line in t.rows:
        total = line.kind == "total"
        sheet.text(r, 1, str(line.cells[0]), BOLD if total else None)
        for col in (2, 3, 4):
            cell = line.cells[col - 1]
            letter = "BCD"[col - 2]
            if total and r > first:
                cached = cell.value if isinstance(cell, Num) else None
                sheet.formula(
                    r, col, f"=SUM({letter}{first}:{letter}{r - 1})", number_format("money"), cached=cached
                )
            else:
                _cell(sheet, r, col, cell)
        if total and line.scored is not None:
            ind = line.scored.indicator
            weight = ind.weight
            sheet.number(r, 5, weight, number_format("weight"), BOLD)
            rate, score = line.cells[5], line.cells[6]
            ratio = f'=IF(C{r}=0,"不适用",D{r}/C{r}*100)'
            sheet.formula(r, 6, ratio, '0.00"%"', cached=rate.value if isinstance(rate, Num) else None)
            score_f, _ = rules.computed(ind.formula, ind.rule, f"F{r}", f"G{r}", weight)
            sheet.formula(r, 7, score_f, "0.00", cached=score.value if isinstance(score, Num) else None)
        r += 1
    return r + 1, r - 1


def _goals(sheet: Sheet, row: int, t: Table) -> int:
    _caption(sheet, row, t.caption)
    _header(sheet, row + 1, t.columns, [(1, 3), (4, 10)])
    r = row + 2
    for line in t.rows:
        sheet.text(r, 1, str(line.cells[0]), measure=False)
        sheet.merge(r, r, 1, 3)
        sheet.text(r, 4, str(line.cells[1]), measure=False)
        sheet.merge(r, r, 4, 10)
        for col in (1, 4):
            sheet.ws.cell(row=r, column=col).alignment = Alignment(vertical="center", wrap_text=True)
        sheet.ws.row_dimensions[r].height = 15.0 * max(1, len(str(line.cells[1])) // 40 + 1)
        r += 1
    return r + 1


def _rows(sheet: Sheet, row: int, t: Table, funds_total: int, grades: Any) -> int:
    framework = t.framework
    natures = framework.rows.natures
    rule = RowRule.of(framework.rows, framework.tiers)
    _caption(sheet, row, t.caption)
    _header(sheet, row + 1, t.columns, [(c, c) for c in range(1, len(t.columns) + 1)])
    first = row + 2
    r = first
    data: list[int] = []
    names: list[tuple[str, str]] = []
    for line in t.rows:
        if line.kind == "total":
            break
        for col in range(1, 8):
            _cell(sheet, r, col, line.cells[col - 1])
        weight, score = line.cells[7], line.cells[8]
        _cell(sheet, r, 8, weight)
        qualitative = line.cells[3] in natures.qualitative
        adjusted = line.scored is not None and line.scored.adjusted
        note = str(line.cells[9])
        if qualitative or adjusted:
            _cell(sheet, r, 9, score)
            if adjusted:
                sheet.comment(sheet.ws.cell(row=r, column=9), f"调整得分：{note}")
            high = weight.value if isinstance(weight, Num) else Decimal(100)
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=rules.n(high))
            dv.allow_blank, dv.showErrorMessage, dv.errorTitle = True, True, "输入有误"
            dv.error = f"得分应在 0 至 {rules.n(high)} 之间"
            dv.add(f"I{r}")
            sheet.ws.add_data_validation(dv)
        else:
            cached = score.value if isinstance(score, Num) else (score if isinstance(score, str) else None)
            sheet.formula(r, 9, rules.row_score(rule, r), "0.00", cached=cached, bold=False)
        if qualitative and not adjusted:
            # the tier named follows the 得分, then the row's own reason
            said = line.scored.note if line.scored is not None else ""
            sheet.formula(r, 10, rules.row_remark(rule, r, said), None, cached=note, bold=False, wrap=True)
        else:
            sheet.text(r, 10, note)
        data.append(r)
        names.append((str(line.cells[0]), str(line.cells[1])))
        r += 1
    if data:
        sheet.merge_levels(data, names)
    total = t.rows[-1]
    last = r - 1
    sheet.text(r, 1, str(total.cells[0]), BOLD)
    sheet.merge(r, r, 1, 7)
    weight_cached = total.cells[7].value if isinstance(total.cells[7], Num) else None
    sheet.formula(r, 8, f"=E{funds_total}+SUM(H{first}:H{last})", "0.##", cached=weight_cached)
    score = total.cells[8]
    blanks = f'COUNTBLANK(I{first}:I{last})+(G{funds_total}="")'
    words = framework.rows.not_applicable.words if framework.rows.not_applicable else []
    dropped = "+".join(f"SUMIF(G{first}:G{last},{rules.s(w)},H{first}:H{last})" for w in words) or "0"
    summed = f"(G{funds_total}+SUM(I{first}:I{last}))"
    totalled = rules.total(framework, summed, f"({dropped})", f"F{funds_total}").removeprefix("=")
    cell = sheet.formula(
        r,
        9,
        f'=IF({blanks}>0,"",{totalled})',
        "0.00",
        cached=score.value if isinstance(score, Num) else None,
    )
    if isinstance(score, Gap):
        cell.fill = GAP_FILL
    stated = str(total.cells[9])
    sheet.formula(
        r, 10, f'=IF(I{r}="","","等级："&{rules.grade_formula(f"I{r}", list(grades))})', None, cached=stated
    )
    return r + 1


def target_sheet(sheet: Sheet, attachment: Attachment, report: Report) -> None:
    """The 自评表's blocks, one under another, from row 2 (the title is row 1)."""
    funds, *rest = attachment.tables
    row, funds_total = _funds(sheet, 2, funds)
    for t in rest:
        if t.natures is not None:
            row = _rows(sheet, row, t, funds_total, report.grades or GRADE_DEFAULT)
        else:
            row = _goals(sheet, row, t)
