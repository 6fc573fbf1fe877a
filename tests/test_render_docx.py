"""The report as DOCX (GB/T 9704 公文格式): read back with python-docx, through the real CLI."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from goldens import golden
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.report import build as report
from zjeval.report import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "answers" / "examples"
DEMO = EXAMPLES / "2024-示例数据.yaml"
SEED = EXAMPLES / "2019-湛江市科学技术局.yaml"

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ------------------------------------------------------------------ helpers


def cli_render(out: Path, *args: str) -> None:
    result = runner.invoke(app, ["render", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "tmp" / "报告.docx"
    out.parent.mkdir()
    cli_render(out, str(DEMO))
    return out


@pytest.fixture(scope="module")
def demo(demo_path: Path) -> DocxDocument:
    return Document(str(demo_path))


@pytest.fixture(scope="module")
def demo_report() -> report.Report:
    form, answers = store.load(DEMO)
    return report.build(form, answers, draft=False)


def docx_render(rep: report.Report) -> bytes:
    data = render.pick("docx", Path("x.docx")).render(rep)
    assert isinstance(data, bytes)
    return data


def east_asian(paragraph: DocxParagraph) -> str | None:
    runs = paragraph._p.findall(f"{W}r")
    if not runs:
        return None
    rfonts = runs[0].find(f"{W}rPr/{W}rFonts")
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


def size(paragraph: DocxParagraph) -> float | None:
    sizes = {r.font.size.pt for r in paragraph.runs if r.font.size is not None}
    assert len(sizes) <= 1, paragraph.text
    return sizes.pop() if sizes else None


def find(doc: DocxDocument, text: str) -> DocxParagraph:
    matches = [p for p in doc.paragraphs if p.text == text]
    assert matches, f"no paragraph {text!r}"
    return matches[0]


HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def text_headings(rep: report.Report) -> list[str]:
    text = render.pick("text", None).render(rep)
    assert isinstance(text, str)
    return [line.strip() for line in text.splitlines() if HEADING.match(line.strip("\u3000"))]


# ------------------------------------------------------------------ golden dump

ALIGN = {
    WD_ALIGN_PARAGRAPH.LEFT: "L",
    WD_ALIGN_PARAGRAPH.CENTER: "C",
    WD_ALIGN_PARAGRAPH.RIGHT: "R",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "J",
    None: "-",
}


def describe(p: DocxParagraph) -> str:
    """One paragraph as a line: alignment, indents, fonts, size, emphasis, then the text."""
    fmt = p.paragraph_format
    facts = [ALIGN[fmt.alignment]]
    for name, value in (
        ("first", fmt.first_line_indent),
        ("left", fmt.left_indent),
        ("right", fmt.right_indent),
    ):
        if value:
            facts.append(f"{name}={value.pt:g}")
    if fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing is not None:
        facts.append(f"line={fmt.line_spacing.pt:g}")
    if fmt.page_break_before:
        facts.append("new-page")
    fonts = sorted({f for r in p._p.findall(f"{W}r/{W}rPr/{W}rFonts") if (f := r.get(qn("w:eastAsia")))})
    facts.extend(fonts)
    if (pt := size(p)) is not None:
        facts.append(f"{pt:g}pt")
    if any(r.font.bold for r in p.runs):
        facts.append("bold")
    if any(r.font.color.rgb is not None for r in p.runs):
        facts.append("color")
    return f"[{' '.join(facts)}] {p.text}"


def cell_text(tc: object) -> str:
    """A table cell: its text, «>n» when it spans n columns, «^» when merged into the cell above."""
    element = tc  # a w:tc
    tc_pr = element.find(f"{W}tcPr")  # type: ignore[attr-defined]  # lxml element
    text = "".join(t.text or "" for t in element.iter(f"{W}t"))  # type: ignore[attr-defined]  # likewise
    marks = ""
    if tc_pr is not None:
        span = tc_pr.find(f"{W}gridSpan")
        if span is not None:
            marks += f"»{span.get(qn('w:val'))}"
        vmerge = tc_pr.find(f"{W}vMerge")
        if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
            return "^"
    bold = element.find(f".//{W}rPr/{W}b") is not None  # type: ignore[attr-defined]  # likewise
    right = element.find(f".//{W}pPr/{W}jc[@{W}val='right']") is not None  # type: ignore[attr-defined]  # likewise
    return ("*" if bold else "") + text + (" →" if right else "") + marks


def dump(doc: DocxDocument) -> str:
    """The document as text for a golden file: page setup, paragraphs with their style facts,
    tables as tab-separated rows, and the footers."""
    section = doc.sections[0]
    out = [
        "page {:.1f}x{:.1f}mm margins t{:.1f} b{:.1f} l{:.1f} r{:.1f}".format(
            *(
                length.mm  # type: ignore[union-attr]  # all set
                for length in (
                    section.page_width,
                    section.page_height,
                    section.top_margin,
                    section.bottom_margin,
                    section.left_margin,
                    section.right_margin,
                )
            )
        )
    ]
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            out.append(describe(DocxParagraph(child, doc)))
        elif child.tag == f"{W}tbl":
            table = DocxTable(child, doc)
            widths = [str(col.width.twips) if col.width else "?" for col in table.columns]
            out.append(f"<table {table.style.name if table.style else '-'} widths={','.join(widths)}>")
            for tr in child.iter(f"{W}tr"):
                out.append("\t".join(cell_text(tc) for tc in tr.iter(f"{W}tc")))
            out.append("</table>")
    for name, footer in (("odd", section.footer), ("even", section.even_page_footer)):
        out.extend(f"footer {name}: {describe(p)}" for p in footer.paragraphs)
    return "\n".join(out) + "\n"


def test_demo_matches_golden(demo: DocxDocument) -> None:
    golden("demo-2024.docx.txt", dump(demo))


# ------------------------------------------------------------------ page and text


def test_a4_with_gbt_9704_margins(demo: DocxDocument) -> None:
    section = demo.sections[0]
    for actual, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert actual is not None and abs(actual.mm - mm) < 0.1


def test_title_in_xiaobiaosong_erhao_centred(demo: DocxDocument, demo_report: report.Report) -> None:
    first = demo.paragraphs[0]
    assert first.text == demo_report.title
    assert east_asian(first) == "方正小标宋简体"
    assert size(first) == 22
    assert first.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert demo.paragraphs[1].text == ""  # a blank line below the title
    assert demo.core_properties.title == demo_report.title
    assert demo.core_properties.author == demo_report.signature_unit


def test_body_in_fangsong_sanhao_fixed_lines(demo: DocxDocument, demo_report: report.Report) -> None:
    lead = find(demo, demo_report.lead[0].text)
    body = [lead, *(p for p in demo.paragraphs if p.text.startswith(("1.拟订", "组长：")))]
    assert len(body) == 3
    for p in body:
        fmt = p.paragraph_format
        assert east_asian(p) == "仿宋_GB2312"
        assert size(p) == 16
        assert fmt.first_line_indent is not None and fmt.first_line_indent.pt == 32
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing == Pt(28.95)
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert fmt.space_before == 0 and fmt.space_after == 0
        for run in p._p.findall(f"{W}r"):
            rfonts = run.find(f"{W}rPr/{W}rFonts")
            assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == "Times New Roman"


def all_rprs(doc: DocxDocument) -> list[tuple[str, object]]:
    """Every w:rPr of the body, the footers and the Normal style, with where it is."""
    section = doc.sections[0]
    parts = [
        ("body", doc.element.body),
        ("footer", section.footer._element),
        ("even footer", section.even_page_footer._element),
        ("Normal", doc.styles["Normal"].element),
    ]
    return [(where, rpr) for where, root in parts for rpr in root.iter(f"{W}rPr")]


def test_every_run_names_its_east_asian_font(demo: DocxDocument) -> None:
    rprs = all_rprs(demo)
    assert len(rprs) > 300  # body, tables, footers
    for where, rpr in rprs:
        rfonts = rpr.find(f"{W}rFonts")  # type: ignore[attr-defined]  # lxml element
        assert rfonts is not None, where
        assert rfonts.get(qn("w:eastAsia")), where
        assert not any(k.endswith("Theme") for k in rfonts.attrib), where  # a theme font would win
    # table cells are runs too: every cell's text sits in runs that name 仿宋_GB2312
    for table in demo.tables:
        for tc in table._tbl.iter(f"{W}tc"):
            for run in tc.iter(f"{W}r"):
                assert run.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "仿宋_GB2312"
    # and the document defaults, for anything without runs
    defaults = demo.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.get(qn("w:ascii")) == "Times New Roman"


def test_headings_in_order_with_their_fonts(demo: DocxDocument, demo_report: report.Report) -> None:
    expected = text_headings(demo_report)
    found = [p for p in demo.paragraphs if HEADING.match(p.text)]
    assert [p.text for p in found] == expected
    assert len(expected) > 10
    for p in found:
        level0 = "、" in p.text[:4]
        assert east_asian(p) == ("黑体" if level0 else "楷体_GB2312"), p.text
        assert size(p) == 16
        assert not any(r.font.bold for r in p.runs)
        assert p.paragraph_format.first_line_indent == Pt(32)
        assert p.paragraph_format.keep_with_next
    # 黑体 is for 一、 headings and the 附件N marks only
    heiti = [p.text for p in demo.paragraphs if east_asian(p) == "黑体"]
    assert [t for t in heiti if not HEADING.match(t)] == ["附件1", "附件2"]


def test_footer_has_page_field_between_dashes(demo: DocxDocument) -> None:
    section = demo.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        xml = footer._element.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        instr = [t.text for t in footer._element.iter(f"{W}instrText")]
        assert [i.strip() for i in instr] == ["PAGE"]
        (p,) = footer.paragraphs
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert size(p) == 14 and east_asian(p) == "宋体"
        assert p.paragraph_format.alignment == align
    assert demo.settings.odd_and_even_pages_header_footer


def test_signature_right_aligned_four_characters_in(demo: DocxDocument, demo_report: report.Report) -> None:
    texts = [p.text for p in demo.paragraphs]
    i = texts.index(demo_report.signature_unit)
    assert texts[i - 1] == ""  # one blank line above
    assert texts[i + 1] == demo_report.signature_date == "2025年6月30日"
    for p in demo.paragraphs[i : i + 2]:
        assert p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert p.paragraph_format.right_indent == Pt(64)
        assert east_asian(p) == "仿宋_GB2312"
    note = demo.paragraphs[i + 3]
    assert note.text == "附件:1.数据表 2.评分表"
    assert note.paragraph_format.left_indent == Pt(32)


def test_each_attachment_on_a_new_page(demo: DocxDocument, demo_report: report.Report) -> None:
    for a in demo_report.attachments:
        mark = find(demo, f"附件{a.number}")
        assert mark.paragraph_format.page_break_before
        assert mark.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert not mark.paragraph_format.first_line_indent
        title = find(demo, a.title)
        assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert east_asian(title) == "方正小标宋简体" and size(title) == 18


# ------------------------------------------------------------------ tables


def test_two_tables_with_repeating_bold_headers(demo: DocxDocument) -> None:
    data, scores = demo.tables
    assert [c.text for c in data.rows[0].cells] == ["项目", "单位", "数值"]
    assert [c.text for c in scores.rows[0].cells] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "权重",
        "指标值",
        "得分",
        "扣分原因",
    ]
    for table in (data, scores):
        assert table.style is not None and table.style.name == "Table Grid"
        first, second = table._tbl.tr_lst[:2]
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert second.find(f"{W}trPr/{W}tblHeader") is None
        for cell in table.rows[0].cells:
            assert all(r.font.bold for r in cell.paragraphs[0].runs)
        # text width: 156 mm
        widths = [c.width for c in table.columns]
        assert all(w is not None for w in widths)
        assert abs(sum(w for w in widths if w is not None) - Mm(156)) < Mm(0.1)
        assert table._tbl.tblPr.find(f"{W}tblLayout").get(qn("w:type")) == "fixed"
        # 小四, single spacing, no first-line indent
        for p in (p for row in table.rows for cell in row.cells for p in cell.paragraphs if p.text):
            assert size(p) == 12
            assert p.paragraph_format.line_spacing == 1.0
            assert not p.paragraph_format.first_line_indent
    # figures are right-aligned; a group heading spans the whole row in bold
    row = next(r for r in data.rows if r.cells[0].text == "收入总预算")
    assert row.cells[2].text == "4480.45"
    assert row.cells[2].paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    group = data._tbl.tr_lst[1]
    (tc,) = group.tc_lst
    assert tc.find(f"{W}tcPr/{W}gridSpan").get(qn("w:val")) == "3"
    assert "".join(t.text for t in tc.iter(f"{W}t")) == "部门整体支出情况"
    assert tc.find(f".//{W}b") is not None


def test_score_table_merges_level1_cells(demo: DocxDocument, demo_report: report.Report) -> None:
    scores = demo.tables[1]
    rows = scores._tbl.tr_lst[1:]
    starts, continued = [], 0
    for tr in rows:
        first = tr.tc_lst[0]
        vmerge = first.tcPr.find(f"{W}vMerge") if first.tcPr is not None else None
        if vmerge is not None and vmerge.get(qn("w:val")) == "restart":
            starts.append("".join(t.text for t in first.iter(f"{W}t")))
        elif vmerge is not None:
            continued += 1
            assert not "".join(t.text for t in first.iter(f"{W}t"))  # the label appears once
    assert starts == ["投入", "过程", "产出", "效果"]
    data_rows = [r for r in demo_report.attachments[1].table.rows if r.kind == "data"]
    assert continued == len(data_rows) - 4
    # subtotal rows stay outside the merge, bold, their label over the empty indicator columns
    subtotal = next(tr for tr in rows if "投入小计" in "".join(t.text for t in tr.iter(f"{W}t")))
    first = subtotal.tc_lst[0]
    assert first.find(f"{W}tcPr/{W}vMerge") is None
    assert first.find(f"{W}tcPr/{W}gridSpan").get(qn("w:val")) == "3"
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in subtotal.iter(f"{W}r"))


def test_total_row_has_score_and_grade(demo: DocxDocument) -> None:
    total = demo.tables[1]._tbl.tr_lst[-1]
    cells = ["".join(t.text for t in tc.iter(f"{W}t")) for tc in total.tc_lst]
    assert cells[0] == "合计"
    assert "88.05" in cells and "等级:良" in cells
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in total.iter(f"{W}r"))


# ------------------------------------------------------------------ reproducible, draft, hostile text


@pytest.mark.slow
def test_same_report_gives_the_same_bytes(demo_path: Path, tmp_path: Path) -> None:
    """Two renders in fresh processes (no shared state) and the CLI's file: byte-identical."""
    code = (
        "import sys; from pathlib import Path; from zjeval.report import render; from zjeval.report import build as report; from zjeval.answers import store;"
        "form, answers = store.load(Path(sys.argv[1]));"
        "sys.stdout.buffer.write(render.pick('docx', Path('x.docx')).render(report.build(form, answers)))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code, str(DEMO)], capture_output=True, check=True, cwd=ROOT
        ).stdout
        for _ in range(2)
    ]
    assert outputs[0] == outputs[1] == demo_path.read_bytes()
    again = tmp_path / "again.docx"
    cli_render(again, str(DEMO))
    assert again.read_bytes() == outputs[0]


def test_seed_draft_carries_the_draft_mark(tmp_path: Path) -> None:
    out = tmp_path / "草稿.docx"
    cli_render(out, str(SEED), "--draft")
    form, answers = store.load(SEED)
    rep = report.build(form, answers, draft=True)
    doc = Document(str(out))
    mark = doc.paragraphs[0]
    assert rep.gaps > 0
    assert mark.text == f"【草稿:尚有 {rep.gaps} 处待填写】"
    assert all(r.font.color.rgb == (0xFF, 0x00, 0x00) for r in mark.runs)
    assert find(doc, rep.title).paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body_text = "\n".join(p.text for p in doc.paragraphs)
    table_text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "【待填写】" in body_text and "【待填写】" in table_text


def test_answer_text_is_never_interpreted(demo_report: report.Report) -> None:
    hostile = "<b>&{{x}}</b>\x00\x01\x0b\x0c\x1f&amp;"
    table = demo_report.attachments[0].table
    rep = dataclasses.replace(
        demo_report,
        title=f"标题{hostile}",
        lead=(report.Paragraph(f"正文{hostile}"),),
        signature_unit=f"单位{hostile}",
        attachments=(
            dataclasses.replace(
                demo_report.attachments[0],
                table=dataclasses.replace(table, rows=(report.Row((f"项目{hostile}", "万元", "1.00")),)),
            ),
        ),
    )
    doc = Document(io.BytesIO(docx_render(rep)))
    survived = "<b>&{{x}}</b>&amp;"
    texts = [p.text for p in doc.paragraphs]
    assert f"标题{survived}" in texts and f"正文{survived}" in texts and f"单位{survived}" in texts
    assert doc.tables[0].rows[1].cells[0].text == f"项目{survived}"
    assert doc.core_properties.title == f"标题{survived}"


def test_docx_needs_an_output_file() -> None:
    result = runner.invoke(app, ["render", str(DEMO), "-t", "docx"])
    assert result.exit_code != 0
    assert "docx 格式需要输出到文件" in result.output
    assert "-o" in result.output
