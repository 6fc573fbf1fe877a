"""The target-based 自评表 as an attachment: its three blocks in text, Markdown and DOCX, and a live
worksheet whose scores follow the 实际完成值 and 执行数 (recalculated by LibreOffice where it is
installed; the formulas' references are checked everywhere)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.report import build
from zjeval.report.render import markdown, text
from zjeval.report.render.xlsx_sheet import cells

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
SOFFICE = shutil.which("soffice")
runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> Any:
    form, answers = store.load(DEMO)
    return build.build(form, answers)


def test_one_attachment_in_four_blocks(report: Any) -> None:
    (a,) = report.attachments
    assert a.kind == "target_table" and a.title.endswith("2025年度部门整体支出绩效自评表")
    assert [t.block for t in a.tables] == ["header", "funds", "objectives", "rows"]
    assert [t.caption for t in a.tables] == ["", "一、资金情况", "二、年度总体目标", "三、绩效指标"]
    assert report.attachment_note == (a.title,)  # a single attachment is not numbered


def test_text_shows_funds_goals_and_rows(report: Any) -> None:
    out = text.render(report)
    attachment = out[out.index("\f\n附件\n") :]
    assert "一、资金情况" in attachment and "二、年度总体目标" in attachment and "三、绩效指标" in attachment
    lines = attachment.splitlines()
    assert next(line for line in lines if line.startswith("单位名称")).split() == [
        "单位名称",
        "示例市住房和城乡建设局（示例数据）",
    ]
    total = lines.index(next(line for line in lines if line.startswith("年度资金总额")))
    assert lines[total].split() == ["年度资金总额", "3950.00", "4626.80", "4430.41", "10", "95.76%", "9.58"]
    # the total first, then its sources with "—" where only the total is scored
    assert lines[total + 1].split() == ["其中：当年财政拨款", "3800.00", "4120.50", "3998.72", "—", "—", "—"]
    row = next(line for line in lines if "保障性住房筹集套数" in line)
    assert row.split()[:9] == [
        "产出指标",
        "数量指标",
        "保障性住房筹集套数",
        "≥",
        "1200",
        "套",
        "1080",
        "15",
        "13.50",
    ]
    qualitative = next(line for line in lines if "城市更新长效管理机制" in line)
    assert "定性" in qualitative and "建立并运行" in qualitative and "评为部分达成。" in qualitative
    assert [line.split() for line in attachment.rstrip().splitlines()[-2:]] == [
        ["总分", "100", "94.58"],
        ["评价等级", "优"],
    ]


def test_markdown_captions(report: Any) -> None:
    out = markdown.render(report)
    assert "### 一、资金情况" in out and "### 三、绩效指标" in out
    assert "| 产出指标 | 数量指标 | 保障性住房筹集套数 | ≥ | 1200 | 套 | 1080 | 15 | 13.50 |" in out
    assert "| 单位名称 | 示例市住房和城乡建设局（示例数据） |" in out


def _cells(row: Any) -> list[str]:
    """A DOCX row's cells as printed: a merged cell once."""
    out: list[str] = []
    seen: list[Any] = []  # the cells' XML elements (kept alive, so compared by identity)
    for cell in row.cells:
        if not any(cell._tc is tc for tc in seen):
            seen.append(cell._tc)
            out.append(cell.text)
    return out


def test_docx_holds_one_continuous_table(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(path)])
    assert result.exit_code == 0, result.output
    doc = Document(str(path))
    # the 自评表 is two tables on one grid, read as one: the blocks above the indicator rows, and
    # the indicator rows, whose caption and column header repeat on each page
    assert len(doc.tables) == 2
    rows = [_cells(r) for t in doc.tables for r in t.rows]
    assert rows[0] == ["单位名称", "示例市住房和城乡建设局（示例数据）"]
    assert [
        "资金来源",
        "年初预算数（万元）",
        "全年预算数（万元）",
        "全年执行数（万元）",
        "分值",
        "执行率",
        "得分",
    ] in rows
    first = next(i for i, r in enumerate(rows) if r[0] == "年度资金总额")
    assert rows[first] == ["年度资金总额", "3950.00", "4626.80", "4430.41", "10", "95.76%", "9.58"]
    assert rows[first + 1] == ["其中：当年财政拨款", "3800.00", "4120.50", "3998.72", "—", "—", "—"]
    assert ["预期目标", "实际完成情况"] in rows
    assert ["三、绩效指标"] in rows
    total = next(r for r in rows if r[0] == "总分")
    assert total[-3:] == ["100", "94.58", ""]
    grade = next(r for r in rows if r[0] == "评价等级")
    assert grade[-2:] == ["优", ""]  # the grade in a cell of its own, not in the 偏差原因 column
    assert not any("等级：" in c for r in rows for c in r)
    # the 自评表 is printed across the page
    assert (doc.sections[-1].page_width or 0) > (doc.sections[-1].page_height or 0)


def test_docx_aligns_text_left_and_numbers_right(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    assert runner.invoke(app, ["render", str(DEMO), "-o", str(path)]).exit_code == 0
    table = Document(str(path)).tables[-1]
    row = next(r for r in table.rows if any(c.text == "城市更新长效管理机制" for c in r.cells))
    cells = {c.text: c.paragraphs[0].alignment for c in row.cells}
    assert cells["建立并运行"] == WD_ALIGN_PARAGRAPH.LEFT  # a 定性 row's words
    assert cells["6.50"] == WD_ALIGN_PARAGRAPH.RIGHT


def _workbook(tmp_path: Path, answers: Path = DEMO) -> Path:
    path = tmp_path / "自评表.xlsx"
    result = runner.invoke(app, ["render", str(answers), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _row(ws: Any, text: str, col: str = "C") -> int:
    (row,) = [c.row for c in ws[col] if c.value == text]
    return int(row)


def columns(ws: Any, caption: str) -> dict[str, str]:
    """The header row holding `caption`: each caption -> its column letter."""
    (row,) = [c.row for line in ws.iter_rows() for c in line if c.value == caption]
    return {c.value: c.column_letter for c in ws[row] if c.value}


def test_xlsx_scores_are_formulas_of_the_row(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_workbook(tmp_path))["自评表"]
    col = columns(ws, "偏差原因分析及改进措施")
    assert [col[k] for k in ("指标性质", "年度指标值", "实际完成值", "分值", "得分")] == [
        "D",
        "E",
        "G",
        "H",
        "I",
    ]
    r = _row(ws, "保障性住房筹集套数")
    assert ws[f"E{r}"].value == 1200 and ws[f"G{r}"].value == 1080 and ws[f"H{r}"].value == 15
    formula = ws[f"I{r}"].value
    assert f'IF(OR(H{r}="",NOT(ISNUMBER(E{r})),NOT(ISNUMBER(G{r}))),"",' in formula
    assert f"MAX(0,H{r}*G{r}/E{r})" in formula and f"H{r}*E{r}/G{r}" in formula
    # a 定性 row's 偏差原因 names the tier its 得分 falls in: edit the 得分 and the words follow
    remark = ws[f"J{_row(ws, '城市更新长效管理机制')}"].value
    assert remark.startswith("=IF(") and '"部分达成"' in remark and '"未达成"' in remark
    q = _row(ws, "城市更新长效管理机制")
    assert ws[f"I{q}"].value == Decimal("6.50") or ws[f"I{q}"].value == 6.5  # a 定性 score is an input
    funds = columns(ws, "全年执行数（万元）")
    total = _row(ws, "年度资金总额", "A")
    budget, execd, rate, score = (
        funds[k] for k in ("全年预算数（万元）", "全年执行数（万元）", "执行率", "得分")
    )
    # the total comes first and sums the sources under it
    assert ws[f"{execd}{total}"].value == f"=SUM({execd}{total + 1}:{execd}{total + 3})"
    assert ws[f"{rate}{total}"].value == f'=IF({budget}{total}=0,"不适用",{execd}{total}/{budget}{total}*100)'
    assert ws[f"{funds['分值']}{total + 1}"].value == "—"
    rows_total = _row(ws, "总分", "A")
    assert f"({score}{total}+SUM(I{r - 1}:I{rows_total - 1}))" in ws[f"I{rows_total}"].value
    grade_row = _row(ws, "评价等级", "A")
    assert ws[f"I{grade_row}"].value.startswith(f'=IF(I{rows_total}="","",IF(ROUND(I{rows_total},2)>=90')


def test_xlsx_is_one_table_with_validated_inputs(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_workbook(tmp_path))["自评表"]
    assert not ws.row_breaks.brk  # no page break forced inside the 自评表
    header = _row(ws, "一级指标", "A")
    assert ws.print_title_rows == f"${header}:${header}"
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    nature = next(dv for where, dv in checks.items() if where.startswith("D"))
    assert nature.type == "list" and "定性" in nature.formula1
    actual = [dv for where, dv in checks.items() if where.startswith("G")]
    assert actual and all(dv.type == "decimal" for dv in actual)
    # every cell of the table has its borders, merged ones included
    total = _row(ws, "年度资金总额", "A")
    for r in (total + 1, _row(ws, "总分", "A") - 1):
        assert all(ws.cell(row=r, column=c).border.top.style == "thin" for c in range(1, 11))
        assert all(ws.cell(row=r, column=c).border.bottom.style == "thin" for c in range(1, 11))
    # captions are not clipped: each fits its (merged) cell's width times the lines of its row
    funds_header = total - 1
    lines = (ws.row_dimensions[funds_header].height or 15) / 15
    for cell in ws[funds_header]:
        if not cell.value:
            continue
        span = next((m for m in ws.merged_cells.ranges if cell.coordinate in m), None)
        last = span.max_col if span is not None else cell.column
        room = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(cell.column, last + 1))
        assert (room - 1) * lines >= cells(str(cell.value)), cell.value


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_editing_an_actual_rescores_the_sheet(tmp_path: Path) -> None:
    source = _workbook(tmp_path)

    def recalculated(path: Path, out: Path) -> Any:
        subprocess.run(
            [
                SOFFICE or "soffice",
                f"-env:UserInstallation={(out / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(path),
            ],
            capture_output=True,
            check=True,
            timeout=180,
        )
        return openpyxl.load_workbook(out / path.name, data_only=True)["自评表"]

    before = recalculated(source, tmp_path / "before")
    rows_total = _row(before, "总分", "A")
    grade_row = _row(before, "评价等级", "A")
    assert round(before[f"I{rows_total}"].value, 2) == 94.58 and before[f"I{grade_row}"].value == "优"

    wb = openpyxl.load_workbook(source)
    ws = wb["自评表"]
    ws[f"G{_row(ws, '保障性住房筹集套数')}"] = 600  # half the target: 15 × 600 ÷ 1200
    ws[f"G{_row(ws, '建设工程投诉平均办结时长')}"] = 30  # 反向: 10 × 15 ÷ 30
    funds_total = _row(ws, "年度资金总额", "A")
    funds = columns(ws, "全年执行数（万元）")
    execd, rate_col, score_col = funds["全年执行数（万元）"], funds["执行率"], funds["得分"]
    ws[f"{execd}{funds_total + 1}"] = 2000  # 当年财政拨款 执行数: the total and 执行率 follow
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    after = recalculated(edited, tmp_path / "after")
    assert after[f"I{_row(after, '保障性住房筹集套数')}"].value == 7.5
    assert after[f"I{_row(after, '建设工程投诉平均办结时长')}"].value == 5
    executed = Decimal("2000") + Decimal("301.15") + Decimal("130.54")
    assert round(Decimal(str(after[f"{execd}{funds_total}"].value)), 2) == executed
    rate = executed / Decimal("4626.80") * 100
    assert round(after[f"{rate_col}{funds_total}"].value, 2) == float(rate.quantize(Decimal("0.01")))
    score = round(after[f"{score_col}{funds_total}"].value, 2)
    assert score == float((10 * rate / 100).quantize(Decimal("0.01")))
    expected = Decimal(str(score)) + Decimal("15") + Decimal("7.5") + 10 + 5 + 10 + 10 + Decimal("6.5") + 10
    assert round(after[f"I{rows_total}"].value, 2) == float(expected)
    assert after[f"I{grade_row}"].value == "中"  # 79.26: the executed share fell to 52.56%


@pytest.mark.slow
@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or pdftotext is not installed"
)
def test_the_pdf_prints_one_continuous_table(tmp_path: Path) -> None:
    """Read back as a reader sees it: the 自评表 starts on the attachment's page and goes on without
    a forced break (the 年度总体目标 on the same page as the funds), the total row first."""
    pdf = tmp_path / "报告.pdf"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    pages = text.stdout.split("\f")
    first = next(i for i, page in enumerate(pages) if "单位名称" in page and "自评表" in page)
    page = pages[first]
    assert page.index("年度资金总额") < page.index("其中：当年财政拨款") < page.index("预期目标")
    rest = "".join(pages[first:])
    assert "总分" in rest and "评价等级" in rest and "合计" not in rest and "等级：" not in rest
