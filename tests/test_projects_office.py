"""The year's workbook recalculated by LibreOffice: the 汇总 follows the projects' sheets (slow)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from test_render_office import recalculated
from typer.testing import CliRunner

from zjeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-项目"
NAME = "建筑工地扬尘在线监测系统运维"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]


def test_editing_a_projects_execution_moves_its_line_the_sums_and_the_grade_counts(tmp_path: Path) -> None:
    source = tmp_path / "项目.xlsx"
    result = CliRunner().invoke(app, ["projects", "render", str(DEMO), "-o", str(source)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(source)
    summary = book["汇总"]
    (line,) = [r for r in range(3, 9) if summary.cell(row=r, column=2).value == NAME]
    exec_ref = str(summary.cell(row=line, column=4).value).split("!")[1]  # the project's 全年执行数 total
    sheet = book[NAME]
    total_cell = sheet[exec_ref]
    part = sheet.cell(row=total_cell.row + 1, column=total_cell.column)  # 其中：当年财政拨款
    assert Decimal(str(part.value)) == Decimal(208)

    before = recalculated(source, tmp_path / "before")["汇总"]
    assert round(before.cell(row=line, column=6).value, 2) == 79.70
    assert before.cell(row=line, column=7).value == "中"

    part.value = 260  # 执行率 (260 + 24) / 300 = 94.67%: 9.47 instead of 7.73
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    after = recalculated(edited, tmp_path / "after")["汇总"]
    assert round(after.cell(row=line, column=5).value, 2) == 94.67
    assert round(after.cell(row=line, column=6).value, 2) == 81.44  # 79.70 - 7.73 + 9.47
    assert after.cell(row=line, column=7).value == "良"
    assert round(after["D9"].value, 2) == 3435.90  # 3383.90 + 52
    counts = {after.cell(row=r, column=1).value: after.cell(row=r, column=2).value for r in range(12, 16)}
    assert counts == {"优": 3, "良": 3, "中": 0, "差": 0}


def test_grade_shares_recalculated_are_the_statements_and_add_up_to_100(tmp_path: Path) -> None:
    """LibreOffice's figures for the grade shares: the statement's, exactly 100.00% in all, and
    still so after an edit that plain rounding would leave at 99.99%."""
    from test_projects_shares import grade_lines, one_of_each_grade, render, statement_shares

    from zjeval.form.decimals import q2
    from zjeval.projects.statement import shares

    place = one_of_each_grade(tmp_path)
    source = render(place, tmp_path)
    before = grade_lines(recalculated(source, tmp_path / "before")["汇总"])
    wanted = statement_shares(place)
    assert {g: (q2(Decimal(str(c))), q2(Decimal(str(m)))) for g, (c, m) in before.items() if g in wanted} == wanted
    assert sum(q2(Decimal(str(c))) for c, _ in before.values()) == Decimal("100.00")  # 33.34 + 33.33 + 33.33

    book = openpyxl.load_workbook(source)
    summary = book["汇总"]
    (line,) = [r for r in range(3, 6) if summary.cell(row=r, column=2).value == "城市更新专项规划编制"]
    total_ref = str(summary.cell(row=line, column=3).value).split("!")[1]  # the project's 全年预算数 total
    sheet = book["城市更新专项规划编制"]
    budget = sheet.cell(row=sheet[total_ref].row + 1, column=sheet[total_ref].column)  # 其中：当年财政拨款
    assert budget.value == 120
    budget.value = 123  # money 1820 : 123 : 300, plain rounding 81.14 + 5.48 + 13.37 = 99.99 (13.38 the statement)
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    after = recalculated(edited, tmp_path / "after")["汇总"]
    lines = grade_lines(after)
    (head,) = [c.row for c in after["A"] if c.value == "等级"]
    money = [q2(Decimal(str(after.cell(row=r, column=4).value))) for r in range(head + 1, head + 5)]
    assert money == [Decimal(1820), Decimal(123), Decimal(300), Decimal(0)]
    got = [q2(Decimal(str(m))) for _, m in lines.values()]
    assert got == shares(money, sum(money, Decimal(0))) == [Decimal(s) for s in ("81.14", "5.48", "13.38", "0")]
    assert sum(got) == Decimal("100.00")
