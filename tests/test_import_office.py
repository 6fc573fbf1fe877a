"""The formats budget systems and offices produce (issue 20): a Word table whose neighbouring
cells are equal, .xls/.ods through python-calamine, .doc/.wps through LibreOffice, for `import`
and `table` alike; and a folder of reports imported at once."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.errors import ZjevalError
from zjeval.importing import office, run, sources

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ROOT / "tests" / "fixtures" / "import" / "classes"
TABLES = ROOT / "tests" / "fixtures" / "tables"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
runner = CliRunner()

LEAD = (
    "根据县财政局《关于开展2023年度部门整体支出绩效自评工作的通知》（武财绩〔2024〕2号）的要求，"
    "我局开展了部门整体支出绩效自评，现将有关情况报告如下："
)
TABLE = [
    ["资金来源", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", "1650.00", "1650.00", "1580.40", "10", "95.78%", "9.58"],
    ["当年财政拨款", "1500.00", "1500.00", "1500.00", "—", "—", "—"],  # equal neighbours: three fields
    ["上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"],
    ["其他资金", "150.00", "150.00", "80.40", "—", "—", "—"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "道路养护里程", "≥120公里", "126公里", "15", "15"],
    ["产出指标", "质量指标", "养护工程合格率", "≥95%", "98%", "15", "15"],  # 分值 = 得分
    ["效益指标", "社会效益指标", "道路优良率", "≥80%", "82%", "30", "30"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", "10", "10"],
    ["总分", "", "", "", "", "70", "69.58"],
]


def word_report(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("武定县公路管理段2023年度部门整体支出绩效自评报告")
    document.add_paragraph(LEAD)
    document.add_paragraph("一、部门基本情况")
    document.add_paragraph("武定县公路管理段2023年末编制40个，在职人员38人。")
    document.add_paragraph("武定县公路管理段2023年度部门整体支出绩效自评表")
    table = document.add_table(rows=len(TABLE), cols=7)
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(len(TABLE) - 1, 0).merge(table.cell(len(TABLE) - 1, 4))  # 总分 spans five columns
    document.save(str(path))
    return path


def workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["武定县公路管理段2023年度部门整体支出绩效自评表"])
    for row in TABLE:
        sheet.append([float(x) if x.replace(".", "").isdigit() else x for x in row])
    book.save(str(path))
    return path


def convert(source: Path, to: str, out: Path) -> Path:
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--convert-to", to, "--outdir", str(out), str(source)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    converted = out / f"{source.stem}.{to.split(':')[0]}"
    assert converted.is_file()
    return converted


def check_table(answers: object) -> None:
    a = answers
    budget = [a.get(q) for q in ("fund_current_initial", "fund_current_budget", "fund_current_exec")]  # type: ignore[attr-defined]
    assert budget == [Decimal("1500.00")] * 3
    assert a.get("fund_total_exec") == Decimal("1580.40")  # type: ignore[attr-defined]
    rows = a.records("indicators")  # type: ignore[attr-defined]
    assert [r["name"] for r in rows] == ["道路养护里程", "养护工程合格率", "道路优良率", "群众满意度"]
    assert rows[1]["weight"] == Decimal("15") and rows[1]["actual"] == "98"


def test_word_table_keeps_equal_neighbouring_cells_apart(tmp_path: Path) -> None:
    path = word_report(tmp_path / "报告.docx")
    lines = sources.read(path)
    assert "当年财政拨款 1500.00 1500.00 1500.00 — — —" in lines
    assert lines[-1] == "总分 70 69.58"  # a merged cell once
    form, result = run.report(path, None, None)
    assert form.id == "target" and result.answers.year == 2023
    check_table(result.answers)


def test_doc_without_libreoffice_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "报告.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ZjevalError) as exc:
        sources.read(path)
    assert "LibreOffice" in exc.value.message and "另存为 .docx" in exc.value.hint


def test_a_damaged_xls_is_a_chinese_error(tmp_path: Path) -> None:
    path = tmp_path / "自评表.xls"
    path.write_bytes(b"not a workbook")
    result = runner.invoke(app, ["import", str(path), "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "自评表.xls" in result.output


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_are_imported(tmp_path: Path, suffix: str) -> None:
    converted = convert(workbook(tmp_path / "自评表.xlsx"), suffix, tmp_path)
    _, result = run.report(converted, 2023, "target")
    check_table(result.answers)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_table_reads_xls_and_ods(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "申报表.xlsx"
    shutil.copy(TABLES / "申报表-一体化系统.xlsx", source)
    converted = convert(source, suffix, tmp_path)
    result = runner.invoke(app, ["table", str(converted), "2025", "--form", "target", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    _, answers = store.load(tmp_path / "2025.yaml")
    from_xlsx = runner.invoke(app, ["table", str(source), "2026", "--form", "target", "--dir", str(tmp_path)])
    assert from_xlsx.exit_code == 0
    _, expected = store.load(tmp_path / "2026.yaml")
    assert answers.records("indicators") == expected.records("indicators") and answers.records("indicators")


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_are_imported_through_libreoffice(tmp_path: Path, suffix: str) -> None:
    from zjeval.report import build
    from zjeval.report.render import docx

    form, demo = store.load(ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml")
    word = tmp_path / "报告.docx"
    word.write_bytes(docx.render(build.build(form, demo)))
    doc = convert(word, "doc:MS Word 97", tmp_path)
    path = doc.with_suffix(suffix)
    if path != doc:
        doc.rename(path)  # a .wps file as WPS saves it in Word 97 format
    chosen, result = run.report(path, None, None)
    assert chosen.id == "target" and result.answers.get("unit_name") == demo.get("unit_name")
    assert result.answers.records("indicators") == demo.records("indicators")
    assert result.answers.get("fund_current_exec") == demo.get("fund_current_exec")


def test_a_folder_of_reports_is_imported_one_file_each(tmp_path: Path) -> None:
    folder = tmp_path / "旧报告"
    folder.mkdir()
    for name in ("table-pipes.md", "unit-masked.txt", "year-conflict.txt"):
        shutil.copy(CLASSES / name, folder / name)
    out = tmp_path / "answers"
    result = runner.invoke(app, ["import", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output  # one report could not be imported: said, not fatal
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["table-pipes.yaml", "unit-masked.yaml"]
    form, answers = store.load(out / "table-pipes.yaml")
    assert form.id == "target" and answers.get("unit_name") == "罗平县交通运输局"
    assert "3 份报告,导入 2 份,未导入 1 份" in result.output
    assert "year-conflict.txt" in result.output and "不同的年度" in result.output
    assert "石屏县水务局" in result.output
    again = runner.invoke(app, ["import", str(folder), "-o", str(out)])
    assert again.exit_code == 1 and "已存在" in again.output  # nothing overwritten without --force
