"""The XLSX workbook: numbers where the report has figures, live formulas where it has sums.

Rendered through the real CLI and read back with openpyxl. openpyxl does not calculate, so a
mini evaluator below computes the =SUM(...) and grade formulas the way Excel would; the results
are checked against what the text report states, before and after editing a score.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from goldens import golden
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.errors import ZjevalError
from zjeval.report import build as report
from zjeval.report import render
from zjeval.report.build import GAP, Attachment, Figure, Num, Report, Row, Table
from zjeval.report.render import xlsx
from zjeval.report.render import xlsx_rules as rules
from zjeval.report.render import xlsx_sheet as sheet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "answers" / "examples"
DEMO = EXAMPLES / "2024-示例数据.yaml"
SEED = EXAMPLES / "2019-湛江市科学技术局.yaml"
CENT = Decimal("0.01")

runner = CliRunner()


def cli_render(source: Path, out: Path, *args: str) -> Path:
    result = runner.invoke(app, ["render", str(source), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def cli_text(source: Path, *args: str) -> str:
    result = runner.invoke(app, ["render", str(source), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_render(DEMO, tmp_path_factory.mktemp("xlsx") / "数据.xlsx")


@pytest.fixture(scope="module")
def demo_text() -> str:
    return cli_text(DEMO)


@pytest.fixture
def demo(demo_file: Path) -> Any:
    """A fresh workbook each test: tests may edit it."""
    return openpyxl.load_workbook(demo_file)


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_render(SEED, tmp_path_factory.mktemp("xlsx") / "草稿.xlsx", "--draft")


# ------------------------------------------------------------ helpers


def num(value: Any) -> Decimal:
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return Decimal(str(value))


def row_of(ws: Any, text: str, col: int = 1) -> int:
    rows = [c.row for c in ws[openpyxl.utils.get_column_letter(col)] if c.value == text]
    assert len(rows) == 1, (text, rows)
    return int(rows[0])


def stated(text: str) -> tuple[Decimal, str, dict[str, Decimal]]:
    """Total, grade and subtotals as the text report states them."""
    m = re.search(r"自评得分为(\d+\.\d\d)分，等级为“(.)”。其中：(.*?)。", text)
    assert m
    subs = re.findall(r"(投入|过程|产出|效果)指标得分(\d+\.\d\d)分", m[3])
    return Decimal(m[1]), m[2], {name: Decimal(score) for name, score in subs}


def dump(wb: Any) -> str:
    """Every non-empty cell (value or formula, number format, comment), one per line, per sheet."""
    out: list[str] = []
    for ws in wb:
        out.append(f"[{ws.title}]")
        out.append("merged: " + " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        for line in ws.iter_rows():
            for c in line:
                if c.value is None and c.comment is None:
                    continue
                parts = [c.coordinate, "" if c.value is None else str(c.value)]
                if c.number_format != "General":
                    parts.append(f"fmt={c.number_format}")
                if c.comment is not None:
                    parts.append(f"note={c.comment.text}")
                out.append("\t".join(parts))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------ structure


def test_sheets_titles_and_headers(demo: Any) -> None:
    assert demo.sheetnames == ["数据表", "评分表"]
    data, score = demo["数据表"], demo["评分表"]
    assert (
        data["A1"].value.replace("\n", "") == "示例市科学技术局（示例数据）2024年度部门整体支出绩效自评数据表"
    )
    assert score["A1"].value.endswith("2024年度部门整体支出绩效自评评分表")
    assert [c.value for c in data[2]] == ["项目", "单位", "数值"]
    assert [c.value for c in score[2]] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "权重",
        "指标值",
        "得分",
        "扣分原因",
    ]
    assert "A1:C1" in {str(r) for r in data.merged_cells.ranges}
    assert "A1:G1" in {str(r) for r in score.merged_cells.ranges}
    for ws in (data, score):
        assert all(c.font.b and c.fill.fill_type == "solid" for c in ws[2])
        assert all(c.border.left.style == "thin" for c in ws[2])


def test_groups_are_bold_section_rows(demo: Any) -> None:
    ws = demo["数据表"]
    row = row_of(ws, "部门整体支出情况")
    assert ws.cell(row=row, column=1).font.b
    assert f"A{row}:C{row}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(row=row + 1, column=1).value == "收入总预算"


def test_frozen_header_print_setup_and_widths(demo: Any) -> None:
    for name, orientation in (("数据表", "portrait"), ("评分表", "landscape")):
        ws = demo[name]
        assert ws.freeze_panes == "A3"
        assert ws.print_title_rows == "$2:$2"
        assert ws.page_setup.orientation == orientation
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_area == f"'{name}'!$A$1:${'C' if name == '数据表' else 'G'}${ws.max_row}"
    ws = demo["数据表"]
    # CJK counts double: the longest 项目 label (17 characters) needs 34 cells
    assert ws.column_dimensions["A"].width >= sheet.cells("公务用车购置及运行维护费—本年预算")
    score = demo["评分表"]
    assert score.column_dimensions["G"].width <= sheet.MAX_WIDTH + 2
    long_reason = score[f"G{row_of(score, '资产管理安全性', 3)}"]
    assert sheet.cells(long_reason.value) > sheet.MAX_WIDTH and long_reason.alignment.wrap_text
    assert score.row_dimensions[long_reason.row].height >= 2 * sheet.LINE_HEIGHT


def test_print_breaks_keep_groups_together(demo: Any) -> None:
    """A page break only ever falls before a group (a 一级指标, a 数据表 section), never inside
    one, and 合计 is never alone on the last page."""
    for name, starts in (
        ("评分表", {row_of(demo["评分表"], n) for n in ("投入", "过程", "产出", "效果")}),
        (
            "数据表",
            {r for r in range(3, demo["数据表"].max_row + 1) if demo["数据表"][f"B{r}"].value is None},
        ),
    ):
        ws = demo[name]
        breaks = [b.id for b in ws.row_breaks.brk]
        assert all(b + 1 in starts for b in breaks), (name, breaks)
    score = demo["评分表"]
    assert row_of(score, "合计") - 1 not in [b.id for b in score.row_breaks.brk]


def test_core_properties_come_from_the_report(demo: Any) -> None:
    props = demo.properties
    assert props.title == "示例市科学技术局（示例数据）2024年度部门整体支出绩效自评报告"
    assert props.creator == "示例市科学技术局（示例数据）"
    form, answers = store.load(DEMO)
    date = report.build(form, answers).date
    assert date is not None
    assert props.created == props.modified == dt.datetime(date.year, date.month, date.day)


# ------------------------------------------------------------ 数据表 values


def text_figures(text: str) -> dict[str, tuple[str, str]]:
    """label -> (unit, value) from the text report's 附件1 数据表."""
    table = text.split("附件1")[1].split("附件2")[0]
    out = {}
    for line in table.splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 3 and parts[0] != "项目":
            out[parts[0]] = (parts[1], parts[2])
    return out


def test_every_figure_is_the_number_the_text_report_shows(demo: Any, demo_text: str) -> None:
    ws = demo["数据表"]
    figures = text_figures(demo_text)
    assert len(figures) == 46  # with the stated totals the demo gives (追加, 调减, 基本支出, “三公”合计)
    for label, (unit, value) in figures.items():
        row = row_of(ws, label)
        assert ws.cell(row=row, column=2).value == unit
        cell = ws.cell(row=row, column=3)
        assert num(cell.value) == Decimal(value), label
        kind = {"万元": "money", "%": "percent"}.get(unit, "count")
        assert cell.number_format == sheet.number_format(kind, unit_column=bool(unit)), label
        assert "%" not in cell.number_format, label  # the unit is in its own column, once


def test_money_percent_and_integer_cells(demo: Any) -> None:
    ws = demo["数据表"]
    income = ws[f"C{row_of(ws, '收入总预算')}"]
    assert num(income.value).quantize(CENT) == Decimal("4480.45")
    assert income.number_format == "0.00"  # as the text shows money: 4480.45, no separators
    paid = ws[f"C{row_of(ws, '实际支付进度')}"]
    assert num(paid.value) == Decimal("95.6") and paid.number_format == "0.00"  # "%" is in column B
    assert ws[f"B{row_of(ws, '实际支付进度')}"].value == "%"
    staff = ws[f"C{row_of(ws, '编制数')}"]
    assert staff.value == 45 and staff.number_format == "0"


def test_money_keeps_the_precision_it_was_entered_with(seed_file: Path) -> None:
    ws = openpyxl.load_workbook(seed_file)["数据表"]
    assert num(ws[f"C{row_of(ws, '收入总预算')}"].value) == Decimal("12552.67")
    spent = ws[f"C{row_of(ws, '一般公共预算支出')}"]
    assert num(spent.value) == Decimal("1198.0978")  # kept exact, shown with 2 places as in the text
    assert spent.number_format == sheet.FORMATS["money"]


def test_inputs_are_validated(demo: Any) -> None:
    data, score = demo["数据表"], demo["评分表"]
    covered = {str(c) for dv in data.data_validations.dataValidation for c in dv.sqref.ranges}
    for r in range(3, data.max_row + 1):
        if isinstance(data[f"C{r}"].value, int | float):
            assert f"C{r}" in covered, data[f"A{r}"].value
    by_cell = {str(c): dv for dv in score.data_validations.dataValidation for c in dv.sqref.ranges}
    row = row_of(score, "预算完成率", 3)
    dv = by_cell[f"F{row}"]  # a score between 0 and its weight
    assert dv.type == "decimal" and dv.operator == "between" and (dv.formula1, dv.formula2) == ("0", "6")
    assert dv.showErrorMessage and "0 至 6" in dv.error
    tier = by_cell[f"E{row_of(score, '绩效目标合理性', 3)}"]
    assert tier.type == "list" and tier.formula1 == '"达成,部分达成,未达成"'
    checklist = by_cell[f"E{row_of(score, '管理制度健全性', 3)}"]
    assert checklist.type == "whole" and (checklist.formula1, checklist.formula2) == ("0", "4")


# ------------------------------------------------------------ 评分表


def indicator_rows(ws: Any) -> dict[str, list[int]]:
    """一级 name -> the rows of its indicators (from its first row to the row above its 小计)."""
    out: dict[str, list[int]] = {}
    first = 3
    for name in ("投入", "过程", "产出", "效果"):
        sub = row_of(ws, f"{name}小计")
        out[name] = list(range(first, sub))
        first = sub + 1
    return out


def test_values_scores_and_reasons_are_formulas_of_the_data(demo: Any) -> None:
    ws = demo["评分表"]
    row = row_of(ws, "预算完成率", 3)
    # "General", not "0.##" (which shows "6." in Excel and WPS)
    assert num(ws[f"D{row}"].value) == 6 and ws[f"D{row}"].number_format == "General"
    value, score, reason = (ws[f"{c}{row}"].value for c in "EFG")
    assert value.startswith("=IF(") and "'数据表'!$C$" in value and value.endswith("*100))")
    assert score == (
        f'=IF(E{row}="","",ROUND(ROUND(IF(ISNUMBER(E{row}),MIN(6,MAX(0,6*ROUND(E{row},10)/100)),6),10),2))'
    )
    assert reason.startswith(f'=IF(OR(E{row}="",F{row}=""),"",')
    assert ws[f"E{row}"].number_format == '0.00"%"' and ws[f"F{row}"].number_format == "0.00"
    checklist = row_of(ws, "管理制度健全性", 3)
    assert ws[f"E{checklist}"].value == 4 and ws[f"E{checklist}"].number_format == '0"/4项达到"'


def cached(path: Path) -> Any:
    return openpyxl.load_workbook(path, data_only=True)["评分表"]


def test_formula_cells_carry_the_reports_values(demo_file: Path, demo_text: str) -> None:
    """What a preview shows without recalculating: every formula cell's cached value is the
    value the report states, so totals are never blank."""
    form, answers = store.load(DEMO)
    table = report.build(form, answers).attachments[1].table
    ws = cached(demo_file)
    for r in table.rows:
        if r.kind != "data":
            continue
        row = row_of(ws, r.texts[2], 3)
        value, score = r.cells[4], r.cells[5]
        if isinstance(value, report.Num):
            assert num(ws[f"E{row}"].value) == value.value
        else:
            assert ws[f"E{row}"].value == str(value)
        assert isinstance(score, report.Num) and num(ws[f"F{row}"].value) == score.value
        assert (ws[f"G{row}"].value or "") == r.texts[6]
    total, grade, subtotals = stated(demo_text)
    for name, subtotal in subtotals.items():
        assert num(ws[f"F{row_of(ws, name + '小计')}"].value) == subtotal
    t = row_of(ws, "合计")
    assert num(ws[f"F{t}"].value) == total == Decimal("88.05")
    assert num(ws[f"D{t}"].value) == 100
    assert ws[f"G{t}"].value == f"等级：{grade}" == "等级：良"


def test_level1_cells_merged_over_their_indicators(demo: Any) -> None:
    ws = demo["评分表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for name, rows in indicator_rows(ws).items():
        assert ws[f"A{rows[0]}"].value == name
        assert f"A{rows[0]}:A{rows[-1]}" in merged
        assert ws[f"A{rows[0]}"].alignment.vertical == "center"
    assert "B3:B4" in merged  # 二级 目标设定 over its two indicators


def test_subtotals_total_and_grade_are_formulas(demo: Any) -> None:
    ws = demo["评分表"]
    for rows in indicator_rows(ws).values():
        sub = rows[-1] + 1
        rng = f"F{rows[0]}:F{rows[-1]}"
        assert ws[f"F{sub}"].value == f'=IF(COUNTBLANK({rng})>0,"",SUM({rng}))'
        assert ws[f"D{sub}"].value == f"=SUM(D{rows[0]}:D{rows[-1]})"
    t = row_of(ws, "合计")
    assert ws[f"F{t}"].value.endswith(")") and "SUM(F" in ws[f"F{t}"].value
    assert (
        ws[f"G{t}"].value
        == f'=IF(F{t}="","","等级："&IF(ROUND(F{t},2)>=90,"优",IF(ROUND(F{t},2)>=80,"良",IF(ROUND(F{t},2)>=60,"中","差"))))'
    )


def test_overridden_score_is_a_number_with_its_reason_in_a_comment(demo: Any) -> None:
    ws = demo["评分表"]
    cell = ws[f"F{row_of(ws, '资产管理安全性', 3)}"]
    assert num(cell.value) == Decimal("0.75")
    assert cell.comment.text.startswith("调整得分（计算得分0.65）：3台报废电脑")
    # a constant among formulas is told apart on sight: marked as the text marks it, and shaded
    assert cell.number_format == sheet.ADJUSTED and "调整" in cell.number_format
    computed = ws[f"F{row_of(ws, '预算完成率', 3)}"]
    assert cell.fill.fgColor.rgb != computed.fill.fgColor.rgb
    assert cell.fill.fgColor.rgb.endswith(sheet.ADJUSTED_FILL.fgColor.rgb[-6:])


def test_grade_formula_uses_the_forms_bands() -> None:
    bands = [("合格", Decimal(60)), ("优秀", Decimal("85.5")), ("不合格", Decimal(0))]
    assert rules.grade_formula("F9", bands) == (
        'IF(ROUND(F9,2)>=85.5,"优秀",IF(ROUND(F9,2)>=60,"合格","不合格"))'
    )
    # no band from 0: below the lowest band there is no grade
    assert rules.grade_formula("F9", [("达标", Decimal(60))]) == 'IF(ROUND(F9,2)>=60,"达标","")'
    form, answers = store.load(DEMO)
    assert report.build(form, answers).grades == (
        ("优", Decimal(90)),
        ("良", Decimal(80)),
        ("中", Decimal(60)),
        ("差", Decimal(0)),
    )


# ------------------------------------------------------------ drafts, safety, reproducibility


def test_seed_draft_leaves_gaps_empty_and_highlighted(seed_file: Path) -> None:
    text = cli_text(SEED, "--draft")
    wb = openpyxl.load_workbook(seed_file)
    data, score = wb["数据表"], wb["评分表"]
    assert data["A1"].value.startswith("【草稿】")
    figures = text_figures(text)
    gaps = [label for label, (_, value) in figures.items() if value == GAP]
    assert len(gaps) > 30
    for label in gaps:
        cell = data[f"C{row_of(data, label)}"]
        assert cell.value is None
        assert cell.fill.fgColor.rgb.endswith("FFFF00")
        assert cell.comment.text.startswith(f"待填写：{label}")
    assert data[f"C{row_of(data, '年初预算数')}"].number_format == sheet.FORMATS["money"]
    assert data[f"C{row_of(data, '收入总预算')}"].fill.fill_type is None
    # the 评分表: no score is claimed while its figures or judgments are missing
    values = openpyxl.load_workbook(seed_file, data_only=True)["评分表"]
    indicators = [r for r in range(3, score.max_row) if score[f"C{r}"].value]
    assert len(indicators) == 28
    assert all(values[f"F{r}"].value in (None, "") for r in indicators)
    sub = score[f"F{row_of(score, '过程小计')}"]
    assert sub.comment.text == "含待填写的指标，小计尚不完整"
    t = row_of(score, "合计")
    assert values[f"G{t}"].value in (None, "")
    assert score[f"G{t}"].comment.text == "尚有待填写的得分，暂无等级"


def test_text_from_answers_never_becomes_a_formula(tmp_path: Path) -> None:
    evil = "=cmd|' /C calc'!A0 <b>&amp;</b>"
    source = DEMO.read_text(encoding="utf-8")
    source = re.sub(r"(?m)^  goal_clear__reason: .*$", f'  goal_clear__reason: "{evil}"', source)
    source = re.sub(r"(?m)^  ecological__reason: .*$", '  ecological__reason: "@SUM(1+1)\\""', source)
    answers = tmp_path / "2024.yaml"
    answers.write_text(source, encoding="utf-8")
    out = cli_render(answers, tmp_path / "evil.xlsx")
    values = openpyxl.load_workbook(out, data_only=True)["评分表"]
    formulas = openpyxl.load_workbook(out)["评分表"]
    for name, text in (("绩效指标明确性", evil), ("生态效益", '@SUM(1+1)"')):
        row = row_of(values, name, 3)
        assert values[f"G{row}"].value == "评为部分达成，按权重的65%计：" + text  # shown as typed
        literal = '"：' + text.replace('"', '""') + '"'
        assert literal in formulas[f"G{row}"].value  # only ever inside a quoted string
    with zipfile.ZipFile(out) as z:
        sheet_xml = z.read("xl/worksheets/sheet2.xml").decode()
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in sheet_xml


def unit_report(attachments: tuple[Attachment, ...]) -> Report:
    return Report(
        title="=报告",
        lead=(),
        sections=(),
        signature_unit="-某单位",
        signature_date="2025年1月1日",
        year=2024,
        attachments=attachments,
    )


def test_data_sheet_only_and_formula_like_labels() -> None:
    table = Table(
        ("项目", "单位", "数值"),
        (
            Row(("=1+1", "", ""), "group"),
            Row(("+收入", "万元", Num(Decimal("1.5"), "money")), figure=Figure("a", "money", True)),
            Row(("-支出", "人", Num(Decimal(3), "count")), figure=Figure("b", "count", True)),
        ),
        numeric=(2,),
    )
    data = xlsx.render(unit_report((Attachment(1, "data_table", "数据表", "@标题", table),)))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["数据表"]  # a form without a framework: no 评分表
    ws = wb["数据表"]
    assert [ws[c].value for c in ("A1", "A3", "A4", "A5")] == ["@标题", "=1+1", "+收入", "-支出"]
    assert all(ws[c].data_type == "s" for c in ("A1", "A3", "A4", "A5"))
    assert ws["C4"].value == 1.5 and ws["C5"].value == 3
    assert wb.properties.title == "=报告" and wb.properties.creator == "-某单位"


def test_report_without_attachments_is_refused() -> None:
    with pytest.raises(ZjevalError, match="没有数据表或评分表") as exc:
        xlsx.render(unit_report(()))
    assert "text" in exc.value.hint


def test_registry_needs_an_output_file_for_xlsx() -> None:
    assert render.pick(None, Path("r.xlsx")) is xlsx
    with pytest.raises(ZjevalError, match="需要输出到文件"):
        render.pick("xlsx", None)


@pytest.mark.slow
def test_same_report_same_bytes_across_processes(demo_file: Path, tmp_path: Path) -> None:
    outs = []
    for n in (1, 2):
        out = tmp_path / f"{n}.xlsx"
        subprocess.run(
            [sys.executable, "-m", "zjeval", "render", str(DEMO), "-o", str(out)],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(n)},
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == demo_file.read_bytes()
    with zipfile.ZipFile(demo_file) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_demo_matches_golden(demo: Any) -> None:
    golden("demo-2024.xlsx.txt", dump(demo))
