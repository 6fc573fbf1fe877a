"""`zjeval projects`: a year's projects, one answers file each in answers/YEAR-项目/: made, carried,
read from a many-project export, checked and scored in one table, rendered into one workbook and
one DOCX, and summed up for the 决算's 预算绩效情况说明."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from zjeval.answers import store
from zjeval.cli import app
from zjeval.projects.statement import shares

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"  # a department's: no project form
BASE = ROOT / "answers" / "examples" / "2025-项目" / "老旧小区改造补助资金.yaml"  # 800 / 792.40, 99.91 优
runner = CliRunner()


def project(folder: Path, name: str, **figures: str) -> Path:
    """A complete project file: a demo project's answers under another name (and other money)."""
    text = BASE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  project_name: .*$", f"  project_name: {name}", text)
    for qid, value in figures.items():
        text = re.sub(rf"(?m)^  {qid}: .*$", f"  {qid}: {value}", text)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture
def year(tmp_path: Path) -> Path:
    place = tmp_path / "answers" / "2025-项目"
    project(place, "老旧小区改造")
    project(place, "保障房筹集")
    # execution lowered: 792.40 -> 600.00 in 当年财政拨款 and the total (执行率 75.00%, no reason given)
    project(place, "城市更新", fund_current_exec="600.00", fund_total_exec="600.00")
    return tmp_path


def test_new_makes_one_file_per_project_named_after_it(tmp_path: Path) -> None:
    result = run("projects", "new", "2025", "老旧小区改造", "智慧工地/二期", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    place = tmp_path / "2025-项目"
    assert sorted(p.name for p in place.iterdir()) == ["智慧工地_二期.yaml", "老旧小区改造.yaml"]
    _, answers = store.load(place / "智慧工地_二期.yaml")
    assert answers.year == 2025 and answers.get("project_name") == "智慧工地/二期"
    again = run("projects", "new", "2025", "老旧小区改造", "--dir", str(tmp_path))
    assert again.exit_code == 0 and "已存在" in again.output


def test_new_needs_names_or_from(tmp_path: Path) -> None:
    result = run("projects", "new", "2025", "--dir", str(tmp_path))
    assert result.exit_code == 2 and "项目名称" in result.output


def test_check_scores_every_project_in_one_table(year: Path) -> None:
    result = run("projects", "check", "2025", "--dir", str(year / "answers"))
    lines = result.output.splitlines()
    assert lines[0].split("\t") == [
        "项目",
        "全年预算数(万元)",
        "全年执行数(万元)",
        "预算执行率",
        "得分",
        "等级",
        "待处理",
    ]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:4]}
    assert rows["老旧小区改造"][1:6] == ["800.00", "792.40", "99.05%", "99.91", "优"]
    assert rows["城市更新"][1:4] == ["800.00", "600.00", "75.00%"]
    assert "城市更新.yaml" in result.output and "执行率" in result.output  # its problem listed below
    assert lines[4].split("\t")[:3] == ["合计", "2400.00", "2184.80"]
    assert result.exit_code == 1  # 城市更新 needs its reason


def test_check_json(year: Path) -> None:
    result = run("projects", "check", "2025", "--json", "--dir", str(year / "answers"))
    data = json.loads(result.output)
    assert data["count"] == 3 and data["budget"] == "2400.00" and not data["complete"]
    first = next(p for p in data["projects"] if p["name"] == "老旧小区改造")
    assert (first["total"], first["grade"], first["rate"], first["complete"]) == (
        "99.91",
        "优",
        "99.05",
        True,
    )


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
    project(place, "城市更新")
    result = run("projects", "statement", "2025", "--json", "--dir", str(year / "answers"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["grades"] == [
        {"grade": "优", "count": 3, "count_share": "100.00", "budget": "2400.00", "budget_share": "100.00"}
    ]
    text = run("projects", "statement", "2025", "--dir", str(year / "answers")).output
    assert text.startswith("2025年度，本单位对3个项目开展绩效自评，涉及全年预算数2400.00万元")
    assert "自评等级为“优”的项目3个，占项目总数的100.00%" in text


def test_statement_refuses_ungraded_projects(year: Path) -> None:
    place = year / "answers" / "2025-项目"
    text = (place / "保障房筹集.yaml").read_text(encoding="utf-8")
    (place / "保障房筹集.yaml").write_text(text.replace("    actual: '20'\n", ""), encoding="utf-8")
    result = run("projects", "statement", "2025", "--dir", str(year / "answers"))
    assert result.exit_code == 1 and "保障房筹集还没有得分和等级" in result.output


def test_render_one_workbook_with_a_summary_and_a_live_sheet_per_project(year: Path) -> None:
    import openpyxl

    place = year / "answers" / "2025-项目"
    (place / "城市更新.yaml").unlink()
    out = year / "项目.xlsx"
    result = run("projects", "render", "2025", "-o", str(out), "--dir", str(year / "answers"))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "保障房筹集", "老旧小区改造"]
    summary = book["汇总"]
    assert summary["A1"].value == "2025年度项目支出绩效自评表"
    assert [c.value for c in summary[2]] == [
        "序号", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "预算执行率", "得分", "等级",
    ]  # fmt: skip
    assert summary["B3"].value == "保障房筹集" and summary["B3"].hyperlink.location == "'保障房筹集'!A1"
    budget, spent, rate, score, grade = (str(summary.cell(row=3, column=c).value) for c in range(3, 8))
    assert budget.startswith("='保障房筹集'!") and spent.startswith("='保障房筹集'!")
    assert "/C3*100" in rate and score.startswith("='保障房筹集'!") and "优" in grade
    # the references land on the project's funds total (same row, 全年预算数 then 全年执行数) and its 总分
    sheet = book["保障房筹集"]
    budget_cell, spent_cell = sheet[budget.split("!")[1]], sheet[spent.split("!")[1]]
    assert budget_cell.row == spent_cell.row and budget_cell.column < spent_cell.column
    assert budget_cell.value.startswith("=SUM(") and spent_cell.value.startswith("=SUM(")
    assert sheet[score.split("!")[1]].value.startswith("=IF(COUNTBLANK(")
    assert summary["A5"].value == "合计" and summary["C5"].value == "=SUM(C3:C4)"
    counts = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value for r in range(8, 12)}
    assert counts["优"] == '=COUNTIF($G$3:$G$4,"优")'
    # cached values: what a preview shows without recalculating
    cached = openpyxl.load_workbook(out, data_only=True)["汇总"]
    assert [cached.cell(row=3, column=c).value for c in range(3, 8)] == [800, 792.4, 99.05, 99.91, "优"]
    assert cached["C5"].value == 1600 and cached["B8"].value == 2


def test_render_refuses_incomplete_projects_unless_draft(year: Path) -> None:
    out = year / "项目.xlsx"
    result = run("projects", "render", "2025", "-o", str(out), "--dir", str(year / "answers"))
    assert result.exit_code == 1 and "城市更新还不完整" in result.output and not out.exists()
    result = run("projects", "render", "2025", "-o", str(out), "--draft", "--dir", str(year / "answers"))
    assert result.exit_code == 0, result.output
    import openpyxl

    assert openpyxl.load_workbook(out)["汇总"]["A1"].value.startswith("【草稿】")


def test_render_one_docx_with_each_project_on_landscape_pages(year: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT

    out = year / "项目.docx"
    result = run("projects", "render", "2025", "-o", str(out), "--draft", "--dir", str(year / "answers"))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert len(document.sections) == 3
    assert all(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    titles = [p.text for p in document.paragraphs if p.text.endswith("自评表")]
    assert len(titles) == 3
    # two tables per project (the 自评表 on one grid: the blocks above the indicator rows, then
    # the indicator rows with their repeating header), in the folder's order
    assert len(document.tables) == 6
    names = ["保障房筹集", "城市更新", "老旧小区改造"]
    for table, name in zip(document.tables[::2], names, strict=True):
        assert any(name in cell.text for cell in table._cells)
    assert document.core_properties.title == "2025年度项目支出绩效自评表"


def test_render_wants_xlsx_or_docx(year: Path) -> None:
    result = run("projects", "render", "2025", "-o", str(year / "x.txt"), "--dir", str(year / "answers"))
    assert result.exit_code == 2 and ".xlsx 或 .docx" in result.output


def test_from_carries_last_years_projects_without_this_years_results(year: Path) -> None:
    answers = year / "answers"
    result = run("projects", "new", "2026", "--from", "2025", "--dir", str(answers))
    assert result.exit_code == 0, result.output
    place = answers / "2026-项目"
    assert sorted(p.stem for p in place.iterdir()) == ["保障房筹集", "城市更新", "老旧小区改造"]
    _, carried = store.load(place / "城市更新.yaml")
    _, last = store.load(answers / "2025-项目" / "城市更新.yaml")
    assert "各指标行的实际完成值、定性评价、偏差原因分析及改进措施已清空" in result.output
    assert "zjeval new 2026 --project" in result.output
    assert carried.year == 2026 and carried.carried_from == 2025
    assert carried.get("project_name") == "城市更新" and carried.provenance["indicators"] == "carried"
    rows, old = carried.records("indicators"), last.records("indicators")
    assert isinstance(rows, list) and isinstance(old, list) and len(rows) == len(old)
    assert [r["target"] for r in rows] == [r["target"] for r in old]  # targets kept
    assert all("actual" not in r and "reason" not in r and "tier" not in r for r in rows)  # results dropped
    assert carried.get("fund_total_exec") is None and carried.get("goals") is None
    again = run("projects", "new", "2026", "--from", "2025", "城市更新", "--dir", str(answers))
    assert again.exit_code == 0 and "已存在" in again.output
    unknown = run("projects", "new", "2026", "--from", "2025", "没有这个项目", "--dir", str(answers))
    assert unknown.exit_code == 2 and "没有项目 没有这个项目" in unknown.output


def _export_by_column(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目绩效目标"
    ws.append(["2025年度项目绩效目标申报表"])
    ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "计量单位", "分值"])
    ws.append(["老旧小区改造", "产出指标", "数量指标", "改造小区数", "≥40", "个", 30])
    ws.append([None, "产出指标", "质量指标", "验收合格率", "≥98", "%", 20])
    ws.append([None, "满意度指标", "服务对象满意度指标", "居民满意度", "≥90", "%", 10])
    ws.append(["智慧工地", "产出指标", "数量指标", "接入工地数", "≥120", "个", 50])
    ws.append(["智慧工地", "效益指标", "社会效益指标", "监管效能", "明显提升", "", 30])
    ws.append(["智慧工地", "合计", "", "", "", "", 80])
    wb.save(path)


def test_table_splits_an_export_by_its_project_column(tmp_path: Path) -> None:
    source = tmp_path / "导出.xlsx"
    _export_by_column(source)
    result = run("projects", "table", str(source), "2025", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        "找到 2 个项目" in result.output
        and "项目名称列" in result.output
        and "第 8 行合计行" in result.output
    )
    place = tmp_path / "2025-项目"
    _, first = store.load(place / "老旧小区改造.yaml")
    _, second = store.load(place / "智慧工地.yaml")
    assert [r["name"] for r in first.records("indicators")] == ["改造小区数", "验收合格率", "居民满意度"]
    rows = second.records("indicators")
    assert isinstance(rows, list) and [(r["name"], r["nature"]) for r in rows] == [
        ("接入工地数", "≥"),
        ("监管效能", "定性"),
    ]
    assert second.get("project_name") == "智慧工地"
    # read again: the files have rows now, and are left alone
    again = run("projects", "table", str(source), "2025", "--dir", str(tmp_path))
    assert again.exit_code == 0 and again.output.count("未改动") == 2


def test_table_reads_one_sheet_per_project(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for tab, label, name in (("Sheet1", "项目名称：", "污水管网改造"), ("道路照明", None, None)):
        ws = wb.create_sheet(tab)
        ws.append([label, name] if label else ["绩效目标表"])
        ws.append([])
        ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "分值"])
        ws.append(["产出指标", "数量指标", "改造管网长度（公里）", "≥12", 50])
    source = tmp_path / "每个项目一个工作表.xlsx"
    wb.save(source)
    result = run("projects", "table", str(source), "2025", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "表头上方" in result.output and "工作表名" in result.output
    assert sorted(p.stem for p in (tmp_path / "2025-项目").iterdir()) == ["污水管网改造", "道路照明"]


def test_table_without_indicator_header_says_what_it_needs(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("名称,金额\n甲,1\n", encoding="utf-8")
    result = run("projects", "table", str(source), "2025", "--dir", str(tmp_path))
    assert result.exit_code == 3 and "找不到" in result.output and "表头" in result.output


def test_zjeval_table_with_a_project_form_splits_too(tmp_path: Path) -> None:
    source = tmp_path / "导出.xlsx"
    _export_by_column(source)
    result = runner.invoke(app, ["table", str(source), "2025", "--form", "project", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "找到 2 个项目" in result.output
    _, answers = store.load(tmp_path / "2025-项目" / "智慧工地.yaml")
    assert answers.form_id == "project" and answers.get("project_name") == "智慧工地"
    assert not (tmp_path / "2025.yaml").exists()


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("  name: project_name", "  name: no_such_question", "不存在的问题 no_such_question"),
        ("  budget: fund_total_budget", "  budget: project_name", "类型应为 money"),
        ('  book: "{year}年度', '  book: "{unit}年度', "{unit} 不可用"),
        ("占{budget_share}", "占{share}", "{share} 不可用"),
    ],
)
def test_projects_block_mistakes_name_file_and_line(tmp_path: Path, old: str, new: str, reason: str) -> None:
    from zjeval.errors import FormError
    from zjeval.form import loader

    text = (ROOT / "forms" / "project.yaml").read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    import shutil

    shutil.copytree(ROOT / "forms", tmp_path / "forms")  # its include: fragments beside it
    path = tmp_path / "forms" / "my_project.yaml"
    path.write_text(changed.replace("id: project\n", "id: my_project\n", 1), encoding="utf-8")
    with pytest.raises(FormError) as exc:
        loader.load(str(path))
    line = next(n for n, x in enumerate(changed.splitlines(), 1) if new in x)
    assert any(f"{path}:{line}" in x and reason in x for x in exc.value.lines), exc.value.lines


def test_a_broken_file_is_a_line_saying_why_not_the_end(year: Path) -> None:
    place = year / "answers" / "2025-项目"
    (place / "坏文件.yaml").write_text("answers: [\n", encoding="utf-8")
    result = run("projects", "check", "2025", "--dir", str(year / "answers"))
    assert result.exit_code == 3
    broken = next(line for line in result.output.splitlines() if line.startswith("坏文件"))
    assert "无法读取" in broken and "坏文件.yaml:" in broken
    assert "老旧小区改造\t800.00" in result.output  # the others are still checked and scored
    render = run("projects", "render", "2025", "-o", str(year / "x.xlsx"), "--dir", str(year / "answers"))
    assert render.exit_code == 3 and "坏文件.yaml" in render.output and "Traceback" not in render.output


def test_two_projects_of_one_file_name_are_not_mixed(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "分值"])
    ws.append(["智慧工地/二期", "产出指标", "数量指标", "接入工地数", "≥120", 50])
    ws.append(["智慧工地_二期", "产出指标", "数量指标", "监测点位数", "≥300", 50])
    source = tmp_path / "导出.xlsx"
    wb.save(source)
    result = run("projects", "table", str(source), "2025", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "文件名与项目「智慧工地/二期」相同" in result.output
    _, answers = store.load(tmp_path / "2025-项目" / "智慧工地_二期.yaml")
    rows = answers.records("indicators")
    assert answers.get("project_name") == "智慧工地/二期" and isinstance(rows, list)
    assert [r["name"] for r in rows] == ["接入工地数"]
