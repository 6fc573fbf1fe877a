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
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.report import build
from zjeval.report.render import markdown, text

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
SOFFICE = shutil.which("soffice")
runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> Any:
    form, answers = store.load(DEMO)
    return build.build(form, answers)


def test_one_attachment_in_three_blocks(report: Any) -> None:
    (a,) = report.attachments
    assert a.kind == "target_table" and a.title.endswith("2025年度部门整体支出绩效自评表")
    assert [t.caption for t in a.tables] == ["一、资金情况", "二、年度总体目标", "三、绩效指标"]
    assert report.attachment_note == (f"1．{a.title}",)


def test_text_shows_funds_goals_and_rows(report: Any) -> None:
    out = text.render(report)
    attachment = out[out.index("附件1") :]
    assert "一、资金情况" in attachment and "二、年度总体目标" in attachment and "三、绩效指标" in attachment
    total = next(line for line in attachment.splitlines() if line.startswith("合计") and "95.76%" in line)
    assert total.split() == ["合计", "3950.00", "4626.80", "4430.41", "10", "95.76%", "9.58"]
    row = next(line for line in attachment.splitlines() if "保障性住房筹集套数" in line)
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
    qualitative = next(line for line in attachment.splitlines() if "城市更新长效管理机制" in line)
    assert "定性" in qualitative and "建立并运行" in qualitative and "评为部分达成。" in qualitative
    assert attachment.rstrip().splitlines()[-1].split() == ["合计", "100", "94.58", "等级：优"]


def test_markdown_captions(report: Any) -> None:
    out = markdown.render(report)
    assert "### 一、资金情况" in out and "### 三、绩效指标" in out
    assert "| 产出指标 | 数量指标 | 保障性住房筹集套数 | ≥ | 1200 | 套 | 1080 | 15 | 13.50 |" in out


def test_docx_holds_the_three_tables(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(path)])
    assert result.exit_code == 0, result.output
    doc = Document(str(path))
    headers = [tuple(c.text for c in t.rows[0].cells) for t in doc.tables]
    assert headers[0][:4] == ("资金来源", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）")
    assert headers[1] == ("预期目标", "实际完成情况")
    assert all(h[:4] == ("一级指标", "二级指标", "三级指标", "指标性质") for h in headers[2:])
    texts = [p.text for p in doc.paragraphs]
    for caption in ("一、资金情况", "二、年度总体目标", "三、绩效指标"):
        assert caption in texts
    last = doc.tables[-1].rows[-1].cells
    assert last[0].text == "合计" and last[-1].text == "等级：优" and last[-2].text == "94.58"
    # the 自评表 is printed across the page
    assert doc.sections[-1].page_width > doc.sections[-1].page_height


def _workbook(tmp_path: Path) -> Path:
    path = tmp_path / "自评表.xlsx"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _row(ws: Any, text: str, col: str = "C") -> int:
    (row,) = [c.row for c in ws[col] if c.value == text]
    return int(row)


def test_xlsx_scores_are_formulas_of_the_row(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_workbook(tmp_path))["自评表"]
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
    funds_total = min(c.row for c in ws["A"] if c.value == "合计")
    assert ws[f"F{funds_total}"].value == f'=IF(C{funds_total}=0,"不适用",D{funds_total}/C{funds_total}*100)'
    rows_total = max(c.row for c in ws["A"] if c.value == "合计")
    assert f"(G{funds_total}+SUM(I{r - 1}:I{rows_total - 1}))" in ws[f"I{rows_total}"].value
    assert "等级：" in ws[f"J{rows_total}"].value


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
    rows_total = max(c.row for c in before["A"] if c.value == "合计")
    assert round(before[f"I{rows_total}"].value, 2) == 94.58 and before[f"J{rows_total}"].value == "等级：优"

    wb = openpyxl.load_workbook(source)
    ws = wb["自评表"]
    ws[f"G{_row(ws, '保障性住房筹集套数')}"] = 600  # half the target: 15 × 600 ÷ 1200
    ws[f"G{_row(ws, '建设工程投诉平均办结时长')}"] = 30  # 反向: 10 × 15 ÷ 30
    funds_total = min(c.row for c in ws["A"] if c.value == "合计")
    ws[f"D{funds_total - 3}"] = 2000  # 当年财政拨款 执行数: the total and 执行率 follow
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    after = recalculated(edited, tmp_path / "after")
    assert after[f"I{_row(after, '保障性住房筹集套数')}"].value == 7.5
    assert after[f"I{_row(after, '建设工程投诉平均办结时长')}"].value == 5
    executed = Decimal("2000") + Decimal("301.15") + Decimal("130.54")
    assert round(Decimal(str(after[f"D{funds_total}"].value)), 2) == executed
    rate = executed / Decimal("4626.80") * 100
    assert round(after[f"F{funds_total}"].value, 2) == float(rate.quantize(Decimal("0.01")))
    score = round(after[f"G{funds_total}"].value, 2)
    assert score == float((10 * rate / 100).quantize(Decimal("0.01")))
    expected = Decimal(str(score)) + Decimal("15") + Decimal("7.5") + 10 + 5 + 10 + 10 + Decimal("6.5") + 10
    assert round(after[f"I{rows_total}"].value, 2) == float(expected)
    assert after[f"J{rows_total}"].value == "等级：中"  # 79.26: the executed share fell to 52.56%
