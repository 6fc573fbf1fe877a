"""`zjeval projects`: a year's projects, one answers file each in answers/YEAR-项目/: made, carried,
read from a many-project export, checked and scored in one table, rendered into one workbook and
one DOCX, and summed up for the 决算's 预算绩效情况说明."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.projects.statement import shares

ROOT = Path(__file__).resolve().parent.parent
FORM = str(ROOT / "tests" / "fixtures" / "project_like.yaml")
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
runner = CliRunner()


def project(folder: Path, name: str, **figures: str) -> Path:
    """A complete project file: the target demo's answers under another name (and other money)."""
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace("form: target", "form: project_like")
    text = re.sub(r"(?m)^  unit_name: .*$", f"  unit_name: {name}", text)
    for qid, value in figures.items():
        text = re.sub(rf"(?m)^  {qid}: .*$", f"  {qid}: {value}", text)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> object:
    return runner.invoke(app, [*args, "--form", FORM])


@pytest.fixture
def year(tmp_path: Path) -> Path:
    place = tmp_path / "answers" / "2025-项目"
    project(place, "老旧小区改造")
    project(place, "保障房筹集")
    # execution lowered: 3998.72 -> 3000.00 in 当年财政拨款 and the total (执行率 74.17%)
    project(place, "城市更新", fund_current_exec="3000.00", fund_total_exec="3431.69")
    return tmp_path


def test_new_makes_one_file_per_project_named_after_it(tmp_path: Path) -> None:
    result = run("projects", "new", "2025", "老旧小区改造", "智慧工地/二期", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    place = tmp_path / "2025-项目"
    assert sorted(p.name for p in place.iterdir()) == ["智慧工地_二期.yaml", "老旧小区改造.yaml"]
    _, answers = store.load(place / "智慧工地_二期.yaml", FORM)
    assert answers.year == 2025 and answers.get("unit_name") == "智慧工地/二期"
    again = run("projects", "new", "2025", "老旧小区改造", "--dir", str(tmp_path))
    assert again.exit_code == 0 and "已存在" in again.output


def test_new_needs_names_or_from(tmp_path: Path) -> None:
    result = run("projects", "new", "2025", "--dir", str(tmp_path))
    assert result.exit_code == 2 and "项目名称" in result.output


def test_check_scores_every_project_in_one_table(year: Path) -> None:
    result = run("projects", "check", "2025", "--dir", str(year / "answers"))
    lines = result.output.splitlines()
    assert lines[0].split("\t") == ["项目", "全年预算数(万元)", "全年执行数(万元)", "执行率", "得分", "等级", "待处理"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:4]}
    assert rows["老旧小区改造"][1:6] == ["4626.80", "4430.41", "95.76%", "94.58", "优"]
    assert rows["城市更新"][1:4] == ["4626.80", "3431.69", "74.17%"]
    assert "城市更新.yaml" in result.output and "执行率" in result.output  # its problem listed below
    assert lines[4].split("\t")[:3] == ["合计", "13880.40", "12292.51"]
    assert result.exit_code == 1  # 城市更新 needs its reason


def test_check_json(year: Path) -> None:
    result = run("projects", "check", "2025", "--json", "--dir", str(year / "answers"))
    data = json.loads(result.output)
    assert data["count"] == 3 and data["budget"] == "13880.40" and not data["complete"]
    first = next(p for p in data["projects"] if p["name"] == "老旧小区改造")
    assert (first["total"], first["grade"], first["rate"], first["complete"]) == ("94.58", "优", "95.76", True)


def test_a_department_form_is_no_project_form(tmp_path: Path) -> None:
    place = tmp_path / "2025-项目"
    place.mkdir()
    (place / "x.yaml").write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["projects", "check", "2025", "--dir", str(tmp_path)])
    assert result.exit_code == 4 and "不是按项目填写的表单" in result.output


def test_no_folder_says_how_to_start(tmp_path: Path) -> None:
    result = run("projects", "check", "2025", "--dir", str(tmp_path))
    assert result.exit_code == 3 and "zjeval projects new" in result.output


def test_shares_add_up_to_exactly_100() -> None:
    assert sum(shares([Decimal(1)] * 3, Decimal(3))) == Decimal("100.00")
    assert shares([Decimal(1)] * 3, Decimal(3)) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert shares([Decimal("0.01"), Decimal("999.99")], Decimal(1000)) == [Decimal("0.00"), Decimal("100.00")]
    assert shares([Decimal(0), Decimal(0)], Decimal(0)) == [Decimal("0.00"), Decimal("0.00")]


def test_statement_counts_projects_and_money_by_grade(year: Path) -> None:
    place = year / "answers" / "2025-项目"
    (place / "城市更新.yaml").unlink()
    project(place, "城市更新", fund_total_budget="4626.80")
    result = run("projects", "statement", "2025", "--json", "--dir", str(year / "answers"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["grades"] == [
        {"grade": "优", "count": 3, "count_share": "100.00", "budget": "13880.40", "budget_share": "100.00"}
    ]
    text = run("projects", "statement", "2025", "--dir", str(year / "answers")).output
    assert text.startswith("2025年度，对3个项目开展绩效自评，涉及全年预算数13880.40万元")
    assert "自评等级为“优”的项目3个，占100.00%" in text


def test_statement_refuses_ungraded_projects(year: Path) -> None:
    place = year / "answers" / "2025-项目"
    text = (place / "保障房筹集.yaml").read_text(encoding="utf-8")
    (place / "保障房筹集.yaml").write_text(text.replace("    actual: '42'\n", ""), encoding="utf-8")
    result = run("projects", "statement", "2025", "--dir", str(year / "answers"))
    assert result.exit_code == 1 and "保障房筹集还没有得分和等级" in result.output
