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

import openpyxl  # type: ignore[import-untyped]
import pytest
from goldens import golden
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.errors import ZjevalError
from zjeval.report import build as report
from zjeval.report import render
from zjeval.report.build import GAP, Attachment, Report, Row, Table
from zjeval.report.render import xlsx

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


def evaluate(ws: Any, coord: str) -> Decimal:
    """A cell's number as Excel computes it; only the formulas the renderer writes are known."""
    value = ws[coord].value
    if value is None:
        return Decimal(0)
    if isinstance(value, str) and value.startswith("="):
        m = re.fullmatch(r"=SUM\(([A-Z]+\d+(?::[A-Z]+\d+)?(?:,[A-Z]+\d+(?::[A-Z]+\d+)?)*)\)", value)
        assert m, f"{coord}: unexpected formula {value}"
        total = Decimal(0)
        for arg in m[1].split(","):
            refs = [c.coordinate for line in ws[arg] for c in line] if ":" in arg else [arg]
            total += sum((evaluate(ws, r) for r in refs), Decimal(0))
        return total
    return num(value)


def evaluate_grade(ws: Any, coord: str) -> str:
    """The grade formula: '' while a score is blank, else 等级:<band of the rounded total>."""
    formula = ws[coord].value
    m = re.fullmatch(r'=IF\(COUNTBLANK\(([A-Z]+\d+:[A-Z]+\d+)\)>0,"","等级:"&(.*)\)', formula)
    assert m, formula
    if any(c.value is None for line in ws[m[1]] for c in line):
        return ""
    expr = m[2]
    while expr.startswith("IF("):
        b = re.match(r'IF\(ROUND\(([A-Z]+\d+),2\)>=([\d.]+),"([^"]*)",(.*)\)$', expr)
        assert b, expr
        if evaluate(ws, b[1]).quantize(CENT) >= Decimal(b[2]):
            return f"等级:{b[3]}"
        expr = b[4]
    return "等级:" + expr.strip('"')


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
    assert data["A1"].value == "示例市科学技术局(示例数据)2024年度部门整体支出绩效自评数据表"
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
    ws = demo["数据表"]
    # CJK counts double: the longest 项目 label (17 characters) needs 34 cells
    assert ws.column_dimensions["A"].width >= xlsx.cells("公务用车购置及运行维护费—本年预算")
    score = demo["评分表"]
    assert score.column_dimensions["G"].width <= xlsx.MAX_WIDTH + 2
    long_reason = score[f"G{row_of(score, '资产管理安全性', 3)}"]
    assert xlsx.cells(long_reason.value) > xlsx.MAX_WIDTH and long_reason.alignment.wrap_text
    assert score.row_dimensions[long_reason.row].height >= 2 * xlsx.LINE_HEIGHT


def test_core_properties_come_from_the_report(demo: Any) -> None:
    props = demo.properties
    assert props.title == "示例市科学技术局(示例数据)2024年度部门整体支出绩效自评报告"
    assert props.creator == "示例市科学技术局(示例数据)"
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
    assert len(figures) == 42
    for label, (unit, value) in figures.items():
        row = row_of(ws, label)
        assert ws.cell(row=row, column=2).value == unit
        cell = ws.cell(row=row, column=3)
        assert num(cell.value) == Decimal(value), label
        expected = {"万元": xlsx.MONEY, "%": xlsx.PERCENT_FIGURE}.get(unit, xlsx.INTEGER)
        assert cell.number_format == expected, label


def test_money_percent_and_integer_cells(demo: Any) -> None:
    ws = demo["数据表"]
    income = ws[f"C{row_of(ws, '收入总预算')}"]
    assert num(income.value).quantize(CENT) == Decimal("4480.45")
    assert income.number_format == "#,##0.00##"
    paid = ws[f"C{row_of(ws, '实际支付进度')}"]
    assert num(paid.value) == Decimal("95.6") and paid.number_format == '0.00##"%"'
    staff = ws[f"C{row_of(ws, '编制数')}"]
    assert staff.value == 45 and staff.number_format == "0"


def test_money_keeps_the_precision_it_was_entered_with(seed_file: Path) -> None:
    ws = openpyxl.load_workbook(seed_file)["数据表"]
    assert num(ws[f"C{row_of(ws, '收入总预算')}"].value) == Decimal("12552.67")
    spent = ws[f"C{row_of(ws, '一般公共预算支出')}"]
    assert num(spent.value) == Decimal("1198.0978")  # 4 places shown by 0.00##
    assert spent.number_format == xlsx.MONEY


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


def test_scores_weights_and_values_are_numbers(demo: Any) -> None:
    ws = demo["评分表"]
    row = row_of(ws, "预算完成率", 3)
    assert num(ws[f"D{row}"].value) == 6 and ws[f"D{row}"].number_format == "0.00"
    assert num(ws[f"E{row}"].value) == Decimal("93.00") and ws[f"E{row}"].number_format == '0.00"%"'
    assert num(ws[f"F{row}"].value) == Decimal("5.58") and ws[f"F{row}"].number_format == "0.00"
    assert ws[f"G{row}"].value == "按93.00%×6分计"
    row = row_of(ws, "管理制度健全性", 3)
    assert ws[f"E{row}"].value == "4/4项达到"  # words stay words


def test_level1_cells_merged_over_their_indicators(demo: Any) -> None:
    ws = demo["评分表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for name, rows in indicator_rows(ws).items():
        assert ws[f"A{rows[0]}"].value == name
        assert f"A{rows[0]}:A{rows[-1]}" in merged
        assert ws[f"A{rows[0]}"].alignment.vertical == "center"
    assert "B3:B4" in merged  # 二级 目标设定 over its two indicators


def test_subtotal_and_total_formulas_recompute_to_the_stated_scores(demo: Any, demo_text: str) -> None:
    ws = demo["评分表"]
    total, grade, subtotals = stated(demo_text)
    for name, rows in indicator_rows(ws).items():
        sub = rows[-1] + 1
        assert ws[f"F{sub}"].value == f"=SUM(F{rows[0]}:F{rows[-1]})"
        assert ws[f"D{sub}"].value.startswith("=SUM(")
        assert evaluate(ws, f"F{sub}") == subtotals[name]
    t = row_of(ws, "合计")
    assert ws[f"F{t}"].value.startswith("=SUM(") and ws[f"D{t}"].value.startswith("=SUM(")
    assert evaluate(ws, f"D{t}") == 100
    assert evaluate(ws, f"F{t}") == total == Decimal("88.05")
    assert evaluate_grade(ws, f"G{t}") == f"等级:{grade}" == "等级:良"
    assert ws[f"G{t}"].comment.text == "报告所述等级:良"


def test_editing_a_score_updates_subtotal_total_and_grade(demo: Any, tmp_path: Path) -> None:
    ws = demo["评分表"]
    total_row, process_row = row_of(ws, "合计"), row_of(ws, "过程小计")
    before_total, before_process = evaluate(ws, f"F{total_row}"), evaluate(ws, f"F{process_row}")
    ws[f"F{row_of(ws, '预算完成率', 3)}"] = 6  # was 5.58
    path = tmp_path / "edited.xlsx"
    demo.save(path)  # the formulas survive a save: what Excel would recompute
    ws = openpyxl.load_workbook(path)["评分表"]
    assert evaluate(ws, f"F{process_row}") == before_process + Decimal("0.42")
    assert evaluate(ws, f"F{total_row}") == before_total + Decimal("0.42") == Decimal("88.47")
    assert evaluate_grade(ws, f"G{total_row}") == "等级:良"
    ws[f"F{row_of(ws, '预算调整率', 3)}"] = 4  # was 2.87: +1.13 -> 89.60
    assert evaluate_grade(ws, f"G{total_row}") == "等级:良"
    ws[f"F{row_of(ws, '绩效指标明确性', 3)}"] = 2.35  # was 1.95: +0.40 -> exactly 90.00
    assert evaluate(ws, f"F{total_row}") == Decimal("90.00")
    assert evaluate_grade(ws, f"G{total_row}") == "等级:优"
    ws[f"F{row_of(ws, '社会效益', 3)}"] = None  # a blank score: no grade is claimed
    assert evaluate_grade(ws, f"G{total_row}") == ""


def test_overridden_score_is_a_number_with_its_reason_in_a_comment(demo: Any) -> None:
    ws = demo["评分表"]
    cell = ws[f"F{row_of(ws, '资产管理安全性', 3)}"]
    assert num(cell.value) == Decimal("0.75")
    assert cell.comment.text.startswith("调整得分。由计算得分0.65调整:3台报废电脑")


def test_grade_formula_uses_the_forms_bands() -> None:
    bands = (("合格", Decimal(60)), ("优秀", Decimal("85.5")), ("不合格", Decimal(0)))
    assert xlsx.grade_formula("F9", bands) == (
        'IF(ROUND(F9,2)>=85.5,"优秀",IF(ROUND(F9,2)>=60,"合格","不合格"))'
    )
    # no band from 0: below the lowest band there is no grade
    assert xlsx.grade_formula("F9", (("达标", Decimal(60)),)) == 'IF(ROUND(F9,2)>=60,"达标","")'
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
        assert cell.comment.text.startswith(f"待填写:{label}")
    assert data[f"C{row_of(data, '年初预算数')}"].number_format == xlsx.MONEY  # ready for the figure
    # filled figures are not highlighted
    assert data[f"C{row_of(data, '收入总预算')}"].fill.fill_type is None
    # the 评分表: pending scores empty and yellow; no grade while any is blank
    indicators = [r for r in range(3, score.max_row) if score[f"C{r}"].value]
    pending = [r for r in indicators if score[f"F{r}"].value is None]
    assert len(indicators) == 28 and pending == indicators  # the seed gives no figures or judgments
    for r in indicators:
        cell = score[f"F{r}"]
        assert (cell.fill.fill_type == "solid") == (r in pending)
        assert (cell.comment is not None and cell.comment.text == "待填写") == (r in pending)
    # subtotals over pending scores say so
    sub = score[f"F{row_of(score, '过程小计')}"]
    assert sub.value.startswith("=SUM(") and sub.comment.text == "含待填写的指标,小计尚不完整"
    t = row_of(score, "合计")
    assert evaluate_grade(score, f"G{t}") == ""
    assert score[f"G{t}"].comment.text == "尚有待填写的得分,暂无等级"


def test_text_from_answers_never_becomes_a_formula(tmp_path: Path) -> None:
    evil = "=cmd|' /C calc'!A0 <b>&amp;</b>"
    source = DEMO.read_text(encoding="utf-8")
    source = re.sub(r"(?m)^  goal_clear__reason: .*$", f'  goal_clear__reason: "{evil}"', source)
    source = re.sub(r"(?m)^  ecological__reason: .*$", '  ecological__reason: "@SUM(1+1)"', source)
    answers = tmp_path / "2024.yaml"
    answers.write_text(source, encoding="utf-8")
    out = cli_render(answers, tmp_path / "evil.xlsx")
    ws = openpyxl.load_workbook(out)["评分表"]
    for name, text in (("绩效指标明确性", evil), ("生态效益", "@SUM(1+1)")):
        cell = ws[f"G{row_of(ws, name, 3)}"]
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    assert "cmd|" not in "".join(re.findall(r"<f>(.*?)</f>", sheet))
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in sheet


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
        (Row(("=1+1", "", ""), "group"), Row(("+收入", "万元", "1.5")), Row(("-支出", "人", "3"))),
        numeric=(2,),
    )
    data = xlsx.render(unit_report((Attachment(1, "数据表", "@标题", table),)))
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
