"""The projects workbook's grade shares agree with the 预算绩效情况说明: the same largest-remainder
rounding, line by line, adding up to exactly 100.00% (three projects of three grades: 33.34% +
33.33% + 33.33%, where dividing and rounding each gives 99.99%), as live formulas."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from zjeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-项目"
# one project of each of three grades: 优 1820.00, 良 120.00, 中 300.00
ONE_EACH = ("保障性住房筹集补助", "城市更新专项规划编制", "建筑工地扬尘在线监测系统运维")


def one_of_each_grade(tmp_path: Path) -> Path:
    place = tmp_path / "2025-项目"
    place.mkdir()
    for name in ONE_EACH:
        shutil.copy(DEMO / f"{name}.yaml", place / f"{name}.yaml")
    return place


def statement_shares(place: Path) -> dict[str, tuple[Decimal, Decimal]]:
    """grade -> (share of the projects, share of the money) as the statement words them."""
    result = CliRunner().invoke(app, ["projects", "statement", str(place), "--json"])
    assert result.exit_code == 0, result.output
    grades = json.loads(result.output)["grades"]
    return {g["grade"]: (Decimal(g["count_share"]), Decimal(g["budget_share"])) for g in grades}


def grade_lines(ws: Any) -> dict[str, tuple[object, object]]:
    """grade -> (项目数占比, 全年预算数占比) cells' values of the 汇总's grade table."""
    (head,) = [c.row for c in ws["A"] if c.value == "等级"]
    rows = range(head + 1, ws.max_row + 1)
    return {ws.cell(row=r, column=1).value: (ws.cell(row=r, column=3).value, ws.cell(row=r, column=5).value) for r in rows}


def render(place: Path, tmp_path: Path) -> Path:
    out = tmp_path / "项目.xlsx"
    result = CliRunner().invoke(app, ["projects", "render", str(place), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_workbooks_shares_are_the_statements_and_add_up_to_100(tmp_path: Path) -> None:
    place = one_of_each_grade(tmp_path)
    wanted = statement_shares(place)
    assert wanted["优"][0] == Decimal("33.34") and sum(c for c, _ in wanted.values()) == Decimal("100.00")
    out = render(place, tmp_path)
    cached = grade_lines(openpyxl.load_workbook(out, data_only=True)["汇总"])
    got = {g: (Decimal(str(c)), Decimal(str(m))) for g, (c, m) in cached.items() if g in wanted}
    assert got == wanted
    assert sum(c for c, _ in got.values()) == sum(m for _, m in got.values()) == Decimal("100.00")
    assert cached["差"] == (0, 0)
    formulas = grade_lines(openpyxl.load_workbook(out)["汇总"])
    assert all(str(f).startswith("=") and "SUMPRODUCT" in str(f) for pair in formulas.values() for f in pair)
