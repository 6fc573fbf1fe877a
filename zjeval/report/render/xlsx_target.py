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
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zjeval.form.row_rule import RowRule
from zjeval.report.model import Attachment, Gap, Num, Report, Table
from zjeval.report.render import xlsx_rules as rules
from zjeval.report.render.xlsx_grid import Layout, Writer
from zjeval.report.render.xlsx_sheet import (
    GAP_FILL,
    LINE_HEIGHT,
    Sheet,
    number_format,
)


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


def _validate(sheet: Sheet, dv: DataValidation, where: str) -> None:
    dv.allow_blank, dv.showErrorMessage, dv.errorTitle = True, True, "输入有误"
    dv.add(where)
    sheet.ws.add_data_validation(dv)


def _rows(
    w: Writer, row: int, t: Table, funds: tuple[int, int, str], grades: Sequence[tuple[str, Decimal]]
) -> tuple[int, int]:
    """The indicator rows, the 总分 and the grade row; returns the next free row and the header's row.
    `funds`: the funds total's row, its score's column and its 执行率 cell (for the profile's caps)."""
    framework = t.framework
    assert framework is not None and framework.rows is not None  # a rows block carries its framework
    natures = framework.rows.natures
    rule = RowRule.of(framework.rows, framework.tiers)
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
        note = str(cell.get("reason", ""))
        if qualitative or adjusted:
            sheet.value(r, score_col, cell["score"], "0.00")
            if adjusted and "reason" in cell:
                sheet.comment(sheet.cell(r, score_col), f"调整得分：{note}")
            high = weight.value if isinstance(weight, Num) else Decimal(100)
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=rules.n(high))
            dv.error = f"得分应在 0 至 {rules.n(high)} 之间"
            _validate(sheet, dv, f"{letter['score']}{r}")
        else:
            score = cell["score"]
            cached = score.value if isinstance(score, Num) else (score if isinstance(score, str) else None)
            sheet.formula(r, score_col, rules.row_score(rule, r, letter), "0.00", cached=cached, bold=False)
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
            dv.error = "定量指标的实际完成值应为数字,单位写在计量单位一栏"
            _validate(sheet, dv, f"{letter['actual']}{r}")
        if "reason" in cell:
            if qualitative and not adjusted:
                # the tier named follows the 得分, then the row's own reason
                said = line.scored.note if line.scored is not None else ""
                formula = rules.row_remark(rule, r, said, letter)
                reason_col = roles.index("reason") + 1
                sheet.formula(r, reason_col, formula, None, cached=note, bold=False, wrap=True)
            else:
                sheet.text(r, roles.index("reason") + 1, note)
        data.append(r)
        names.append((str(cell["level1"]), str(cell.get("level2", ""))))
        row += 1
    last = row - 1
    if data:
        listed = ",".join(natures.words())
        dv = DataValidation(type="list", formula1=f'"{listed}"')
        dv.error = f"指标性质应为 {'、'.join(natures.words())} 之一"
        _validate(sheet, dv, f"{letter['nature']}{first}:{letter['nature']}{last}")
        if "level2" in roles:
            sheet.merge_levels(data, names)
    funds_total, funds_score, funds_rate = funds
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
            scores = f'{letter["score"]}{first}:{letter["score"]}{last}'
            blanks = f'COUNTBLANK({scores})+({sheet_score}="")'
            words = framework.rows.not_applicable.words if framework.rows.not_applicable else []
            weights = f'{letter["weight"]}{first}:{letter["weight"]}{last}'
            actuals = f'{letter["actual"]}{first}:{letter["actual"]}{last}'
            dropped = "+".join(f"SUMIF({actuals},{rules.s(x)},{weights})" for x in words) or "0"
            summed = f"({sheet_score}+SUM({scores}))"
            totalled = rules.total(framework, summed, f"({dropped})", funds_rate).removeprefix("=")
            score = cell["score"]
            formula_cell = sheet.formula(
                row,
                score_col,
                f'=IF({blanks}>0,"",{totalled})',
                "0.00",
                cached=score.value if isinstance(score, Num) else None,
            )
            if isinstance(score, Gap):
                formula_cell.fill = GAP_FILL
            total_ref = w.total = f"{letter['score']}{row}"
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


@dataclass(frozen=True)
class TargetCells:
    """Where a written 自评表 keeps its key figures (A1 references), for a summary to point at."""

    budget: str  # 全年预算数 of the funds total
    exec: str  # 全年执行数 of the funds total
    total: str | None  # 总分 (None: the table has no indicator rows)


def target_sheet(sheet: Sheet, attachment: Attachment, report: Report) -> TargetCells:
    """The 自评表's blocks as one table from row 2 (the title is row 1), no page break forced."""
    tables = attachment.tables
    layout = Layout(tables)
    sheet.widths = [math.ceil(x) - 2 for x in layout.widths]  # finish() adds the 2 back
    w = Writer(sheet, layout)
    row = 2
    funds = (0, 0, "")
    money = ("", "")
    header_row = 0
    for t in tables:
        if t.block == "funds":
            row, total, score_col = _funds(w, row, t)
            funds = (total, score_col, w.ref(t, "rate", total))
            money = (w.ref(t, "budget", total), w.ref(t, "exec", total))
            w.funds_weight = w.ref(t, "weight", total)
        elif t.block == "rows":
            row, header_row = _rows(w, row, t, funds, report.grades)  # a 自评表 has a framework: never empty
        else:
            row = _plain(w, row, t)
    if header_row:
        sheet.ws.row_dimensions[header_row].height = 2 * LINE_HEIGHT
        sheet.ws.print_title_rows = f"{header_row}:{header_row}"
    return TargetCells(*money, w.total or None)
