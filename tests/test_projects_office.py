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
