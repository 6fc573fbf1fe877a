"""A year's projects as one workbook: a 汇总 sheet, then one live 自评表 sheet per project (the
same sheet `render -o 自评表.xlsx` writes for one project: scores, totals and grades as formulas).

The 汇总 points at the projects' sheets: each line's 全年预算数, 全年执行数 and 得分 are references
to that project's cells, its 执行率 and 等级 formulas over them, and the 合计 and the count and
money of each grade (COUNTIF / SUMIF) follow, with their shares rounded as the 预算绩效情况说明
rounds them (largest remainder, exactly 100.00% in all: see share_formula). Edit an 实际完成值 on
a project's sheet and its line in the 汇总, the sums, the grade counts and shares move with it.
Every formula carries its cached value; the same book gives the same bytes.
"""

from __future__ import annotations

import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from zjeval.form.decimals import q2
from zjeval.projects.statement import shares
from zjeval.report.model import ProjectBook, ProjectTable
from zjeval.report.render import xlsx_rules as rules
from zjeval.report.render.reproducible import document_time
from zjeval.report.render.xlsx import DEFAULT_GRADES
from zjeval.report.render.xlsx_sheet import BOLD, FIRST_ROW, Sheet, number_format
from zjeval.report.render.xlsx_target import TargetCells, target_sheet
from zjeval.report.render.xlsx_values import workbook_bytes

SUMMARY = "汇总"
COLUMNS = ("序号", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "预算执行率", "得分", "等级")
GRADE_COLUMNS = ("等级", "项目数", "项目数占比", "全年预算数（万元）", "全年预算数占比")
_UNSAFE = re.compile(r"[\[\]:*?/\\]")
MAX_TAB = 31  # Excel's limit on a sheet name


def sheet_names(names: list[str]) -> list[str]:
    """A tab per project: its name without the characters Excel refuses, at most 31, all distinct."""
    used = {SUMMARY}
    out = []
    for name in names:
        base = _UNSAFE.sub("_", name).strip("'") or "项目"
        tab = base[:MAX_TAB]
        n = 2
        while tab in used:
            suffix = f"({n})"
            tab = base[: MAX_TAB - len(suffix)] + suffix
            n += 1
        used.add(tab)
        out.append(tab)
    return out


def _ref(tab: str, cell: str) -> str:
    return "'" + tab.replace("'", "''") + "'!" + cell


def _project_sheet(wb: Workbook, tab: str, p: ProjectTable, draft: bool) -> tuple[Sheet, TargetCells]:
    a = p.attachment
    ws: Worksheet = wb.create_sheet(title=tab)
    widest = max(a.tables, key=lambda t: len(t.columns))
    sheet = Sheet(ws, widest.columns)
    title = f"【草稿】{a.title}" if draft else a.title
    sheet.title(title)
    cells = target_sheet(sheet, a, p.report)
    sheet.finish(title, landscape=True, header=False)
    return sheet, cells


def share_formula(col: str, row: int, first: int, last: int, whole: str) -> str:
    """The share (%, two decimals) of the grade in `row` of the grade lines first..last: its figure
    in `col` over `whole`, rounded as the 预算绩效情况说明 rounds it (statement.shares).

    Largest remainder, live: in units of 0.01% each line gets the whole part of its exact share,
    and the units left over (10000 less the sum of the whole parts, when the lines make the whole)
    go one each to the lines with the largest remainders, a tie to the earlier line, as in the
    statement, which lists the grades in the same order. So the column adds up to exactly 100.00
    and each line equals the statement's, whatever the sheets' figures become. A formula of the
    line alone (SUMPRODUCT over the grade lines, no helper cells): a line knows its rank among the
    remainders. Shares are rounded to 9 places first so that a float's 2499.9999999999995 is 2500
    (figures in 0.01 万元 whose shares differ differ by far more than 1e-9 up to 1000 亿元).
    """
    lines = f"${col}${first}:${col}${last}"

    def units(ref: str) -> str:  # the share in 0.01%, exact to 9 places
        return f"ROUND({ref}*10000/{whole},9)"

    mine = f"MOD({units(f'{col}{row}')},1)"
    above = f"SUMPRODUCT((MOD({units(lines)},1)>{mine})*1)"
    if row > first:  # the earlier lines with the same remainder come first
        above += f"+SUMPRODUCT((MOD({units(f'${col}${first}:{col}{row - 1}')},1)={mine})*1)"
    left = f"IF(ROUND(SUM({lines})-{whole},6)=0,10000-SUMPRODUCT(INT({units(lines)})),0)"
    return f'=IF(N({whole})=0,"",(INT({units(f"{col}{row}")})+IF({above}<{left},1,0))/100)'


def _summary(sheet: Sheet, book: ProjectBook, tabs: list[str], where: list[TargetCells]) -> None:
    grades = list(book.grades or DEFAULT_GRADES)
    sheet.header(COLUMNS)
    money, pct = number_format("money"), '0.00"%"'
    row = FIRST_ROW
    for n, (p, tab, cells) in enumerate(zip(book.projects, tabs, where, strict=True), 1):
        sheet.number(row, 1, Decimal(n), "0")
        link = sheet.text(row, 2, p.name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=_ref(tab, "A1"))
        sheet.formula(row, 3, "=" + _ref(tab, cells.budget), money, cached=p.budget, bold=False)
        sheet.formula(row, 4, "=" + _ref(tab, cells.exec), money, cached=p.exec, bold=False)
        rate = q2(p.exec / p.budget * 100) if p.budget and p.exec is not None else None
        sheet.formula(row, 5, f'=IF(N(C{row})=0,"",D{row}/C{row}*100)', pct, cached=rate, bold=False)
        if cells.total is not None:
            sheet.formula(row, 6, "=" + _ref(tab, cells.total), "0.00", cached=p.total, bold=False)
        grade = f'=IF(F{row}="","",{rules.grade_formula(f"F{row}", grades)})'
        sheet.formula(row, 7, grade, None, cached=p.grade or "", bold=False)
        row += 1
    first, last = FIRST_ROW, row - 1
    sheet.text(row, 1, "合计", BOLD)
    sheet.merge(row, row, 1, 2)
    budget = sum((p.budget or Decimal(0) for p in book.projects), Decimal(0))
    spent = sum((p.exec or Decimal(0) for p in book.projects), Decimal(0))
    sheet.formula(row, 3, f"=SUM(C{first}:C{last})", money, cached=budget)
    sheet.formula(row, 4, f"=SUM(D{first}:D{last})", money, cached=spent)
    rate = q2(spent / budget * 100) if budget else None
    sheet.formula(row, 5, f'=IF(C{row}=0,"",D{row}/C{row}*100)', pct, cached=rate)
    total_row = row
    row += 2
    for col, name in enumerate(GRADE_COLUMNS, 1):
        sheet.text(row, col, name, BOLD, measure=False)
    row += 1
    members = [[p for p in book.projects if p.grade == name] for name, _low in grades]
    counts = [Decimal(len(m)) for m in members]
    moneys = [sum((p.budget or Decimal(0) for p in m), Decimal(0)) for m in members]
    # cached as the statement words them: the same largest-remainder shares, summing to 100.00
    count_shares = shares(counts, Decimal(len(book.projects)))
    money_shares = shares(moneys, budget)
    span = (row, row + len(grades) - 1)  # the grade lines
    for k, (name, _low) in enumerate(grades):
        grade_range, quoted = f"$G${first}:$G${last}", rules.s(name)
        sheet.text(row, 1, name)
        sheet.formula(row, 2, f"=COUNTIF({grade_range},{quoted})", "0", cached=len(members[k]), bold=False)
        count_share = share_formula("B", row, *span, str(len(book.projects)))
        sheet.formula(row, 3, count_share, pct, cached=count_shares[k] if book.projects else "", bold=False)
        money_in = f"=SUMIF({grade_range},{quoted},$C${first}:$C${last})"
        sheet.formula(row, 4, money_in, money, cached=moneys[k], bold=False)
        money_share = share_formula("D", row, *span, f"$C${total_row}")
        sheet.formula(row, 5, money_share, pct, cached=money_shares[k] if budget else "", bold=False)
        row += 1


def render(book: ProjectBook) -> bytes:
    """The 汇总 and one 自评表 sheet per project, in the book's order."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    summary_ws: Worksheet = wb.create_sheet(title=SUMMARY)
    summary = Sheet(summary_ws, COLUMNS)
    title = f"【草稿】{book.title}" if book.draft else book.title
    summary.title(title)
    tabs = sheet_names([p.name for p in book.projects])
    sheets: list[Sheet] = []
    where: list[TargetCells] = []
    for p, tab in zip(book.projects, tabs, strict=True):
        sheet, cells = _project_sheet(wb, tab, p, book.draft)
        sheets.append(sheet)
        where.append(cells)
    _summary(summary, book, tabs, where)
    summary.finish(title, landscape=False)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True

    when = document_time(book.date).replace(tzinfo=None)
    cached = {s.ws.title: s.cached for s in (summary, *sheets)}
    return workbook_bytes(wb, book.title, None, when, cached)
