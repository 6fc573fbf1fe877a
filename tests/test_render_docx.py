"""The report as DOCX (GB/T 9704 公文格式): read back with python-docx, through the real CLI."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
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
from zjeval.report.render.docx_base import INDENT, chars
from zjeval.report.typeset import HALF_WIDTH_NEAR_CJK, signature_starts, width

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
    assert first.text == "\n".join(demo_report.title_lines)
    assert "".join(demo_report.title_lines) == demo_report.title
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
        assert fmt.first_line_indent == INDENT  # two characters of the grid
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
        assert p.paragraph_format.first_line_indent == INDENT
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


def test_attachment_note_then_signature_without_seal(demo: DocxDocument, demo_report: report.Report) -> None:
    """GB/T 9704 7.3.4 and 7.3.5.2: the 附件说明 (full-width colon, one name a line, the names
    exactly the attachments' titles) comes before the 署名 and date."""
    texts = [p.text for p in demo.paragraphs]
    i = texts.index("附件：" + demo_report.attachment_note[0])
    assert texts[i - 1] == ""
    names = [a.title for a in demo_report.attachments]
    assert texts[i : i + len(names)] == [
        ("附件：" if k == 0 else "") + f"{k + 1}．{name}" for k, name in enumerate(names)
    ]
    first, second = demo.paragraphs[i], demo.paragraphs[i + 1]
    # the first line starts 2 characters in; later numbers line up under the first number
    assert first.paragraph_format.left_indent == second.paragraph_format.left_indent
    twip = 635  # EMU: indents are whole twips
    assert abs(first.paragraph_format.left_indent + first.paragraph_format.first_line_indent - INDENT) <= twip
    assert (
        abs(second.paragraph_format.left_indent + second.paragraph_format.first_line_indent - chars(5))
        <= twip
    )
    j = i + len(names)
    assert texts[j] == "" and texts[j + 1] == demo_report.signature_unit
    assert texts[j + 2] == demo_report.signature_date == "2025年6月30日"
    unit, date = demo.paragraphs[j + 1], demo.paragraphs[j + 2]
    # 署名 右空二字 (28 − 2 − width), the date two characters right of its first character
    unit_at, date_at = signature_starts(demo_report.signature_unit, demo_report.signature_date, seal=False)
    assert unit_at == 28 - 2 - width(demo_report.signature_unit) and date_at == unit_at + 2
    assert unit.paragraph_format.left_indent == chars(unit_at)
    assert date.paragraph_format.left_indent == chars(date_at)
    assert east_asian(unit) == east_asian(date) == "仿宋_GB2312"


def test_signature_with_seal_centres_the_unit_over_the_date() -> None:
    unit_at, date_at = signature_starts("湛江市科学技术局", "2020年9月2日", seal=True)
    assert date_at == 28 - 4 - width("2020年9月2日")  # 右空四字
    assert unit_at + width("湛江市科学技术局") / 2 == date_at + width("2020年9月2日") / 2
    # without a seal, a date longer than the 署名 ends 2 characters in and the 署名 moves left
    unit_at, date_at = signature_starts("某局", "2020年12月30日", seal=False)
    assert date_at + width("2020年12月30日") == 26 and unit_at == date_at - 2


def test_each_attachment_in_its_own_section(demo: DocxDocument, demo_report: report.Report) -> None:
    sections = demo.sections
    assert len(sections) == 1 + len(demo_report.attachments)
    for a, sec in zip(demo_report.attachments, sections[1:], strict=True):
        mark = find(demo, f"附件{a.number}")
        assert mark.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert not mark.paragraph_format.first_line_indent
        title = find(demo, "\n".join(a.title_lines))
        assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert east_asian(title) == "方正小标宋简体" and size(title) == 22  # as the main title
        assert sec.start_type == WD_SECTION.NEW_PAGE
        landscape = sec.orientation == WD_ORIENT.LANDSCAPE
        assert landscape == a.table.wide
        assert sec.page_width is not None and abs(sec.page_width.mm - (297 if landscape else 210)) < 0.1


# ------------------------------------------------------------------ tables


def parts(doc: DocxDocument, first_header: str) -> list[DocxTable]:
    """The tables of one attachment: a long table is written one part a page."""
    return [t for t in doc.tables if t.rows[0].cells[0].text == first_header]


def test_tables_with_bold_headers_fitted_widths_and_padding(demo: DocxDocument) -> None:
    data, scores = parts(demo, "项目"), parts(demo, "一级指标")
    assert data and scores and len(data) + len(scores) == len(demo.tables)
    assert [c.text for c in scores[0].rows[0].cells] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "权重",
        "指标值",
        "得分",
        "扣分原因",
    ]
    for tables, text_mm in ((data, 156), (scores, 225)):
        for table in tables:
            assert table.style is not None and table.style.name == "Table Grid"
            assert table._tbl.tr_lst[0].find(f"{W}trPr/{W}tblHeader") is not None
            for cell in table.rows[0].cells:
                assert all(r.font.bold for r in cell.paragraphs[0].runs)
            widths = [c.width for c in table.columns]
            assert abs(sum(w for w in widths if w is not None) - Mm(text_mm)) < Mm(0.1)
            assert table._tbl.tblPr.find(f"{W}tblLayout").get(qn("w:type")) == "fixed"
            margins = table._tbl.tblPr.find(f"{W}tblCellMar")
            assert {m.tag.split("}")[1] for m in margins} == {"top", "left", "bottom", "right"}
            for p in (p for row in table.rows for cell in row.cells for p in cell.paragraphs if p.text):
                assert size(p) == 12 and not p.paragraph_format.first_line_indent
    # 权重 is narrow, the reasons get the room; a 三级指标 never wraps
    widths = [c.width for c in scores[0].columns]
    assert widths[3] < widths[2] and widths[6] == max(widths)
    row = next(r for t in data for r in t.rows if r.cells[0].text == "收入总预算")
    assert row.cells[2].text == "4480.45"
    assert row.cells[2].paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_every_score_page_shows_its_level1_label(demo: DocxDocument) -> None:
    """One table; a 一级/二级 label merges only within a run of rows kept on one page, so each
    run (and so each page, which starts with a run) shows its labels."""
    (scores,) = parts(demo, "一级指标")
    seen = []
    starts = []  # rows that begin a run kept together: the row above is not kept with them
    trs = scores._tbl.tr_lst
    for above, tr in itertools.pairwise(trs[1:]):
        if above.find(f"{W}tc/{W}p/{W}pPr/{W}keepNext") is None:
            starts.append(tr)
    for tr in [trs[1], *starts]:
        first = tr.tc_lst[0]
        label = "".join(t.text for t in first.iter(f"{W}t"))
        assert label, "a run's first row has its 一级指标"
        seen.append(label)
    for tr in trs[1:]:
        tc = tr.tc_lst[0]
        vmerge = tc.tcPr.find(f"{W}vMerge") if tc.tcPr is not None else None
        if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
            assert not "".join(t.text for t in tc.iter(f"{W}t"))
    assert {"投入", "过程", "产出", "效果"} <= {s.removesuffix("小计") for s in seen}


def test_total_row_has_score_and_grade(demo: DocxDocument) -> None:
    total = parts(demo, "一级指标")[-1]._tbl.tr_lst[-1]
    cells = ["".join(t.text for t in tc.iter(f"{W}t")) for tc in total.tc_lst]
    assert cells[0] == "合计"
    assert "88.05" in cells and "等级：良" in cells
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in total.iter(f"{W}r"))


def test_character_grid_28_by_22(demo: DocxDocument) -> None:
    grid = demo.sections[0]._sectPr.find(f"{W}docGrid")
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == 579  # 28.95 pt: 22 lines in 225 mm
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # points per character
    assert 28 * pitch <= Mm(156).pt < 29 * pitch
    assert round(Mm(156).pt / pitch, 1) == 28.0
    # body runs are set a little tighter too, so an application that does not snap 三号 text to
    # this grid (LibreOffice) still fits 28 characters a line, and not 29
    spacing = {int(e.get(qn("w:val"))) for e in demo.element.body.iter(f"{W}spacing") if e.get(qn("w:val"))}
    (condense,) = spacing
    advance = 16 + condense / 20
    assert 28 * advance <= Mm(156).pt < 29 * advance


def all_texts(doc: DocxDocument) -> list[str]:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def test_no_half_width_punctuation_beside_chinese(demo: DocxDocument) -> None:
    texts = all_texts(demo)
    assert len(texts) > 200
    bad = [t for t in texts if HALF_WIDTH_NEAR_CJK.search(t)]
    assert bad == []


def test_no_lone_character_on_a_title_line(demo: DocxDocument, demo_report: report.Report) -> None:
    titles = [demo_report.title_lines, *(a.title_lines for a in demo_report.attachments)]
    for lines in titles:
        assert all(width(line) > 1 for line in lines)
        assert all(width(line) <= 20 for line in lines)  # 二号 in 156 mm
    for p in demo.paragraphs:
        if east_asian(p) == "方正小标宋简体":
            assert all(width(line) > 1 for line in p.text.split("\n"))


def test_font_table_names_fallbacks(demo_path: Path) -> None:
    with zipfile.ZipFile(demo_path) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "华文中宋")):
        assert re.search(f'w:name="{name}">\\s*<w:altName w:val="{alt}"', fonts), name


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
    assert mark.text == f"【草稿：尚有{rep.gaps}处待填写】"
    assert all(r.font.color.rgb == (0xFF, 0x00, 0x00) for r in mark.runs)
    assert find(doc, "\n".join(rep.title_lines)).paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body_text = "\n".join(p.text for p in doc.paragraphs)
    table_text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "【待填写】" in body_text and "【待填写】" in table_text


def test_answer_text_is_never_interpreted(demo_report: report.Report) -> None:
    hostile = "<b>&{{x}}</b>\x00\x01\x0b\x0c\x1f&amp;"
    table = demo_report.attachments[0].table
    rep = dataclasses.replace(
        demo_report,
        title=f"标题{hostile}",
        title_lines=(f"标题{hostile}",),
        lead=(report.Paragraph(f"正文{hostile}"),),
        signature_unit=f"单位{hostile}",
        attachments=(
            dataclasses.replace(
                demo_report.attachments[0],
                title_lines=(),
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
