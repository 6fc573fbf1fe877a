"""Import from workbooks and PDFs (issue 11): tables into their questions, text layers read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zjeval.answers import store
from zjeval.errors import ZjevalError
from zjeval.importing import mapping, page, pdf, sources
from zjeval.report import build as report
from zjeval.report.render import text as text_renderer

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")


def minimal_pdf(content: str) -> bytes:
    """A one-page PDF whose page draws `content` (PDF operators), with a correct xref table."""
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------- workbooks


def test_xlsx_tables_come_back_into_their_questions(tmp_path: Path) -> None:
    from zjeval.report.render import xlsx

    form, demo = store.load(DEMO)
    path = tmp_path / "demo.xlsx"
    path.write_bytes(xlsx.render(report.build(form, demo)))
    lines = sources.read(path)
    assert "收入总预算 万元 4480.45" in lines  # numbers as written, not as floats
    result = mapping.import_paragraphs(form, lines)
    a = result.answers
    assert a.year == 2024 and a.get("unit_name") == demo.get("unit_name")  # from the sheet's title
    figures = {q.id for q in form.questions().values() if q.type in ("money", "integer", "percent")}
    assert {k: a.get(k) for k in figures if demo.get(k) is not None} == {
        k: demo.get(k) for k in figures if demo.get(k) is not None
    }
    tiers = {k for k in form.questions() if k.endswith(("__tier", "__count"))}
    assert {k: a.get(k) for k in tiers} == {k: demo.get(k) for k in tiers}
    assert a.overrides == demo.overrides
    assert a.sources["income_total"].startswith("收入总预算 万元")  # the row it came from


def test_docx_round_trip_reads_the_attached_tables(tmp_path: Path) -> None:
    from zjeval.report.render import docx as docx_renderer

    form, demo = store.load(DEMO)
    path = tmp_path / "demo.docx"
    path.write_bytes(docx_renderer.render(report.build(form, demo)))
    result = mapping.import_paragraphs(form, sources.read(path))
    assert result.answers.year == 2024
    original = text_renderer.render(report.build(form, demo))
    assert text_renderer.render(report.build(form, result.answers)) == original
    assert result.leftovers == []


# ---------------------------------------------------------------- PDF


@needs_pdftotext
def test_pdf_with_a_text_layer_is_read(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(minimal_pdf("BT /F1 12 Tf 72 760 Td (Annual report 2019 of the unit) Tj ET"))
    assert sources.read(path) == ["Annual report 2019 of the unit"]


@needs_pdftotext
def test_scanned_pdf_is_a_chinese_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(minimal_pdf("0 0 0 rg 72 72 200 200 re f"))  # a drawing, no text
    with pytest.raises(ZjevalError) as exc:
        sources.read(path)
    assert "没有文字层" in exc.value.message and "OCR" in exc.value.hint


@needs_pdftotext
def test_damaged_pdf_is_a_chinese_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really")
    with pytest.raises(ZjevalError) as exc:
        sources.read(path)
    assert "PDF" in exc.value.message


def test_pdf_page_lines_are_joined_into_paragraphs() -> None:
    text = (
        "湛江市科学技术局2019年度部门整体支出绩效自评报告\n"
        "　　根据湛江市财政局的要求，我单位及时布置自评，成立\n"
        "自评工作小组，形成本评价报告。\n"
        "一、单位基本情况\n"
        "— 1 —\n\f"
        "1.办公室负责机关日常运转工作，承担文电、会务、机要、档\n"
        "案等工作。\n"
        "2.人事科负责人事管理。\n"
    )
    assert pdf.paragraphs(text) == [
        "湛江市科学技术局2019年度部门整体支出绩效自评报告",
        "根据湛江市财政局的要求，我单位及时布置自评，成立自评工作小组，形成本评价报告。",
        "一、单位基本情况",
        "1.办公室负责机关日常运转工作，承担文电、会务、机要、档案等工作。",
        "2.人事科负责人事管理。",
    ]


def test_pdf_letter_spaced_line_and_a_figure_at_a_line_start_continue_the_paragraph() -> None:
    """A justified line whose next word did not fit comes out with a space after every character;
    the figure that starts the next line ('4480.45 万元') is no list number ('1.')."""
    text = (
        "（四）部门整体支出情况\n"
        "2024 年 ， 示 例 市 科 学 技 术 局 （ 示 例 数 据 ） 收 入 总 预 算\n"
        "4480.45 万元，其中：一般公共预算拨款 2860.45 万元，政府性基\n"
        "金预算拨款 1500.00 万元。\n"
        "组长 张三 副局长\n"
    )
    assert pdf.paragraphs(text) == [
        "（四）部门整体支出情况",
        "2024年，示例市科学技术局（示例数据）收入总预算4480.45万元，其中：一般公共预算拨款2860.45万元，"
        "政府性基金预算拨款1500.00万元。",
        "组长 张三 副局长",  # a few spaced words are not a spread line
    ]


def test_a_title_wrapped_under_the_unit_name_is_read_whole() -> None:
    """A centred title in two lines, the unit's name first (a PDF's text layer): one title."""
    title, body, _ = page.trim_portal(
        ["示例市科学技术局（示例数据）", "2024年度部门整体支出绩效自评报告", "根据……的要求，……报告如下："]
    )
    assert title == "示例市科学技术局（示例数据）2024年度部门整体支出绩效自评报告"
    assert body == ["根据……的要求，……报告如下："]
    # a title that names its unit keeps the line above it out
    title, _, _ = page.trim_portal(["政务公开", "湛江市科学技术局2019年度部门整体支出绩效自评报告"])
    assert title == "湛江市科学技术局2019年度部门整体支出绩效自评报告"


@pytest.mark.slow
@needs_pdftotext
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_made_by_libreoffice_round_trips(tmp_path: Path) -> None:
    from zjeval.report.render import docx as docx_renderer

    form, demo = store.load(DEMO)
    docx_path = tmp_path / "demo.docx"
    docx_path.write_bytes(docx_renderer.render(report.build(form, demo)))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    result = mapping.import_paragraphs(form, sources.read(tmp_path / "demo.pdf"))
    a = result.answers
    assert a.year == 2024 and a.get("unit_name") == demo.get("unit_name")
    assert a.strings("departments") == demo.strings("departments")
    assert a.get("income_total") == demo.get("income_total")
    placed = sum(p for _, p, _ in result.placed)
    assert placed / sum(t for _, _, t in result.placed) >= 0.8
