"""Report -> DOCX in the 党政机关公文格式 (GB/T 9704-2012).

A4, margins 37/35/28/26 mm (text block 156 × 225 mm), 22 lines of 28 characters: title in
方正小标宋简体 二号, body in 仿宋_GB2312 三号 with fixed 28.95 pt lines, headings 一、 in 黑体 and
（一） in 楷体_GB2312, digits and Latin letters in Times New Roman, page numbers 「— N —」 at the
foot, each 附件 on a new page with its table.

Every run names its East-Asian font (``w:rFonts/@w:eastAsia``), and so do the document
defaults and the Normal style: without it Word and WPS fall back to a Latin or theme font.
The file is reproducible: fixed core properties and zip entry times, no random ids.

python-docx is imported here only; the registry imports this module when DOCX is asked for.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_Fonts, CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from zjeval.report.build import Attachment, Content, Item, ItemList, Paragraph, Report, SectionNode, Table
from zjeval.report.render.reproducible import document_time, stable_zip

# ------------------------------------------------------------------ the standard's numbers

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = Mm(156)
FOOTER_DISTANCE = Mm(21)  # 「— N —」 sits about 7 mm below the text block

LATIN = "Times New Roman"  # digits and Latin letters
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = ("黑体", "楷体_GB2312")  # 一、 and （一）; deeper levels use the body font
MARK_FONT = "黑体"  # 附件N, the draft mark
PAGE_NUMBER_FONT = "宋体"  # 4号半角宋体阿拉伯数字

TITLE_SIZE = Pt(22)  # 二号
ATTACHMENT_TITLE_SIZE = Pt(18)  # 小二
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四

LINE = Pt(28.95)  # fixed line spacing: 22 lines in the 225 mm text block
INDENT = Pt(32)  # two characters of 三号
SIGNATURE_INDENT = Pt(64)  # 落款右空四字
CELL_MARGIN = Twips(57)  # 0.1 cm left and right inside a table cell
RED = RGBColor(0xFF, 0x00, 0x00)

# characters XML 1.0 cannot hold (lxml refuses them): dropped, never a crash
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# ------------------------------------------------------------------ runs and paragraphs


def clean(text: str) -> str:
    """Answer text as plain characters: XML-invalid control characters removed."""
    return _INVALID_XML.sub("", text)


def set_fonts(rpr_owner: BaseOxmlElement, east_asian: str, latin: str = LATIN) -> None:
    """Name the fonts on a w:rPr's owner (a w:r, or a style/docDefaults rPr itself)."""
    rpr = rpr_owner if isinstance(rpr_owner, CT_RPr) else rpr_owner.get_or_add_rPr()  # w:r, w:style
    rfonts: CT_Fonts = rpr.get_or_add_rFonts()
    for name in list(rfonts.attrib):
        if name.endswith("Theme"):  # a theme font would win over the named one
            del rfonts.attrib[name]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    # quotes “”, dashes — and ‧ take the Chinese font, as typed in Chinese text
    rfonts.set(qn("w:hint"), "eastAsia")


def add_run(
    paragraph: DocxParagraph,
    text: str,
    font: str,
    size: Length,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
    latin: str = LATIN,
) -> None:
    run = paragraph.add_run(clean(text))
    set_fonts(run._r, font, latin)
    run.font.size = size
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color


def set_format(
    paragraph: DocxParagraph,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line: Length | None = INDENT,
    left: Length | None = None,
    right: Length | None = None,
    line: Length | None = LINE,
) -> None:
    """Paragraph facts set directly, so they hold whatever the styles say."""
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.first_line_indent = first_line if first_line is not None else Pt(0)
    fmt.widow_control = False  # keep the 22-line page: no line pushed over by 孤行控制
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right


def body(doc: DocxDocument, text: str) -> DocxParagraph:
    paragraph = doc.add_paragraph()
    set_format(paragraph)
    add_run(paragraph, text, BODY_FONT, BODY_SIZE)
    return paragraph


def blank(doc: DocxDocument) -> None:
    set_format(doc.add_paragraph(), first_line=None)


def outline_level(paragraph: DocxParagraph, level: int) -> None:
    """w:outlineLvl: the heading shows in Word's navigation pane without a Heading style."""
    ppr = paragraph._p.get_or_add_pPr()
    element = OxmlElement("w:outlineLvl", {qn("w:val"): str(level)})
    ppr.insert_element_before(element, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# ------------------------------------------------------------------ the document


def setup(doc: DocxDocument, report: Report) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE

    # document defaults and Normal: empty paragraphs and table cells never fall back to a theme font
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        set_fonts(rpr_default, BODY_FONT)
        lang = rpr_default.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
    if ppr_default is not None:
        spacing = ppr_default.find(qn("w:spacing"))
        if spacing is not None:
            ppr_default.remove(spacing)
    normal = doc.styles["Normal"]
    set_fonts(normal.element, BODY_FONT)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    footers(doc)
    properties(doc, report)


def footers(doc: DocxDocument) -> None:
    """「— N —」 placed as GB/T 9704 asks for printing on both sides: odd pages at the right and
    even pages at the left, each one character (四号) in from the text block's edge. (Centred is
    the other common choice; this follows the standard.)"""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        one = PAGE_NUMBER_SIZE
        set_format(
            paragraph,
            align=align,
            first_line=None,
            left=one if align == WD_ALIGN_PARAGRAPH.LEFT else None,
            right=one if align == WD_ALIGN_PARAGRAPH.RIGHT else None,
            line=None,
        )
        page_number(paragraph)


def page_number(paragraph: DocxParagraph) -> None:
    """— PAGE — as a complex field (begin, instruction, separate, shown value, end)."""

    def run(text: str = "", field: str | None = None, instruction: str | None = None) -> None:
        r = paragraph.add_run()
        set_fonts(r._r, PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)
        r.font.size = PAGE_NUMBER_SIZE
        if field is not None:
            r._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): field}))
        elif instruction is not None:
            instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
            instr.text = instruction
            r._r.append(instr)
        else:
            r.text = text

    run("— ")
    run(field="begin")
    run(instruction=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def properties(doc: DocxDocument, report: Report) -> None:
    """Core properties from the report itself, never the clock; no python-docx thumbnail."""
    core = doc.core_properties
    core.title = clean(report.title)
    core.author = clean(report.signature_unit)
    core.last_modified_by = clean(report.signature_unit)
    core.subject = "部门整体支出绩效自评报告"
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    when = document_time(report.date)
    core.created = when
    core.modified = when
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)


# ------------------------------------------------------------------ the report's parts


def items(doc: DocxDocument, entries: tuple[Item, ...]) -> None:
    for item in entries:
        body(doc, f"{item.label}{item.text}")
        items(doc, item.children)


def content(doc: DocxDocument, parts: tuple[Content, ...]) -> None:
    for part in parts:
        if isinstance(part, Paragraph):
            body(doc, part.text)
        elif isinstance(part, ItemList):
            items(doc, part.items)


def section(doc: DocxDocument, node: SectionNode) -> None:
    paragraph = doc.add_paragraph()
    set_format(paragraph)
    paragraph.paragraph_format.keep_with_next = True
    outline_level(paragraph, node.level)
    font = HEADING_FONTS[node.level] if node.level < len(HEADING_FONTS) else BODY_FONT
    add_run(paragraph, node.heading, font, BODY_SIZE)
    content(doc, node.content)
    for child in node.sections:
        section(doc, child)


def signature(doc: DocxDocument, report: Report) -> None:
    """落款: one blank line below the text, unit and date right-aligned, 右空四字."""
    blank(doc)
    for text in (report.signature_unit, report.signature_date):
        paragraph = doc.add_paragraph()
        set_format(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=None, right=SIGNATURE_INDENT)
        add_run(paragraph, text, BODY_FONT, BODY_SIZE)


def attachment_note(doc: DocxDocument, report: Report) -> None:
    """「附件:1.数据表 2.评分表」, 左空二字; a wrapped line stays under the first."""
    blank(doc)
    paragraph = doc.add_paragraph()
    set_format(paragraph, first_line=None, left=INDENT)
    text = "附件:" + " ".join(f"{a.number}.{a.name}" for a in report.attachments)
    add_run(paragraph, text, BODY_FONT, BODY_SIZE)


def attachment(doc: DocxDocument, a: Attachment) -> None:
    """附件N (黑体, top left) on a new page, a blank line, the centred title, a blank line, the table."""
    mark = doc.add_paragraph()
    set_format(mark, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=None)
    mark.paragraph_format.page_break_before = True
    add_run(mark, f"附件{a.number}", MARK_FONT, BODY_SIZE)
    blank(doc)
    title = doc.add_paragraph()
    set_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=None)
    add_run(title, a.title, TITLE_FONT, ATTACHMENT_TITLE_SIZE)
    blank(doc)
    table(doc, a.table, merge_labels=a.table.columns[:1] == ("一级指标",))


# ------------------------------------------------------------------ tables


def text_width(text: str, size: Length) -> int:
    """Printed width in twips: CJK and full-width characters one em, others half an em."""
    em = size.twips
    return sum(em if unicodedata.east_asian_width(c) in "WF" else em // 2 for c in text)


def spans(row_cells: tuple[str, ...], kind: str, numeric: Sequence[int]) -> list[tuple[int, int]]:
    """(first column, columns spanned) of each printed cell of a row.

    A group row spans the table; a subtotal or total row's label runs over the empty cells
    after it, up to the first figure (投入小计 across 一级/二级/三级指标).
    """
    n = len(row_cells)
    if kind == "group":
        return [(0, n)]
    out: list[tuple[int, int]] = []
    col = 0
    while col < n:
        width = 1
        if kind in ("subtotal", "total") and col == 0:
            while col + width < n and not row_cells[col + width] and col + width not in numeric:
                width += 1
        out.append((col, width))
        col += width
    return out


def column_widths(t: Table, total: int, size: Length = TABLE_SIZE) -> list[int]:
    """Column widths in twips adding up to `total`, sized to their contents.

    Each column wants its widest single-column cell (headers may wrap, so they only ask for
    two characters). When all fit, the spare width is shared in proportion; when not, the
    widest columns are capped at one level (the last, free-text column at twice that level)
    so short columns keep their text on one line and long ones wrap.
    """
    n = len(t.columns)
    pad = 2 * CELL_MARGIN.twips + 20 + size.twips // 2  # cell margins, border, half an em of slack
    natural = [2 * size.twips + pad] * n
    for row in t.rows:
        for col, width in spans(row.cells, row.kind, t.numeric):
            if width == 1:
                natural[col] = max(natural[col], text_width(row.cells[col], size) + pad)
    free_text = n - 1 not in t.numeric  # the last column holds sentences (扣分原因)
    if free_text:
        natural[-1] = max(natural[-1], 6 * size.twips + pad)  # room to write, even when empty
    if sum(natural) <= total:
        widths = [w * total / sum(natural) for w in natural]
    else:
        weight = [1.0] * n
        if free_text:
            weight[-1] = 2.0

        def used(level: float) -> float:
            return sum(min(float(natural[i]), weight[i] * level) for i in range(n))

        low, high = 0.0, float(max(natural))
        for _ in range(60):
            mid = (low + high) / 2
            low, high = (mid, high) if used(mid) < total else (low, mid)
        widths = [min(natural[i], weight[i] * low) for i in range(n)]
    out = [int(w) for w in widths]
    out[out.index(max(out))] += total - sum(out)  # rounding goes to the widest column
    return out


def table_properties(t: DocxTable, widths: list[int]) -> None:
    """Fixed layout at the text width, centred, narrow cell margins."""
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.insert_element_before(tbl_w, *tbl_pr._tag_seq[tbl_pr._tag_seq.index("w:jc") :])
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(CELL_MARGIN.twips), qn("w:type"): "dxa"}))
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for i, width in enumerate(widths):
        t.columns[i].width = Twips(width)
    for row in t.rows:
        row_pr = row._tr.get_or_add_trPr()
        row_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for i, cell in enumerate(row.cells):
            cell.width = Twips(widths[i])


def fill(cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    set_format(paragraph, align=align, first_line=None, line=None)
    if text:
        add_run(paragraph, text, BODY_FONT, TABLE_SIZE, bold=bold)


def merged_runs(t: Table, col: int) -> dict[int, int]:
    """First row -> last row of each run of data rows sharing the label in `col` (and in every
    column before it: a 二级指标 merges only within its 一级指标)."""
    out: dict[int, int] = {}
    start = None
    for i, row in enumerate(t.rows):
        same = (
            start is not None
            and row.kind == "data"
            and t.rows[start].kind == "data"
            and row.cells[col] != ""
            and row.cells[: col + 1] == t.rows[start].cells[: col + 1]
        )
        if not same:
            start = i
        assert start is not None
        out[start] = i
    return {a: b for a, b in out.items() if b > a}


def table(doc: DocxDocument, t: Table, *, merge_labels: bool) -> None:
    n = len(t.columns)
    widths = column_widths(t, int(TEXT_WIDTH.twips))
    grid = doc.add_table(rows=len(t.rows) + 1, cols=n)
    grid.style = doc.styles["Table Grid"]
    table_properties(grid, widths)

    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on each page
    for i, name in enumerate(t.columns):
        fill(header.cells[i], name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    # the 评分表's 一级指标 (and 二级指标 within it) once per run, merged down over its rows
    continued: set[tuple[int, int]] = set()  # (row, column) of cells merged into the one above
    for col in (0, 1) if merge_labels and n > 1 else ():
        for first, last in merged_runs(t, col).items():
            grid.cell(first + 1, col).merge(grid.cell(last + 1, col))
            continued.update((r, col) for r in range(first + 1, last + 1))

    for r, row in enumerate(t.rows):
        strong = row.kind != "data"
        for col, width in spans(row.cells, row.kind, t.numeric):
            if (r, col) in continued:
                continue
            cell = grid.cell(r + 1, col)
            if width > 1:
                cell = cell.merge(grid.cell(r + 1, col + width - 1))
            if row.kind == "group":
                align = WD_ALIGN_PARAGRAPH.LEFT
            elif col in t.numeric:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            elif width > 1 or (col < 2 and merge_labels):
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            fill(cell, row.cells[col], bold=strong, align=align)


# ------------------------------------------------------------------ entry point


def render(report: Report) -> bytes:
    doc = Document()
    setup(doc, report)
    if report.draft:
        mark = doc.add_paragraph()
        set_format(mark, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=None)
        text = f"【草稿:尚有 {report.gaps} 处待填写】" if report.gaps else "【草稿】"
        add_run(mark, text, MARK_FONT, BODY_SIZE, color=RED)
        blank(doc)
    title = doc.add_paragraph()
    set_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=None)
    add_run(title, report.title, TITLE_FONT, TITLE_SIZE)
    blank(doc)
    for paragraph in report.lead:
        body(doc, paragraph.text)
    for node in report.sections:
        section(doc, node)
    signature(doc, report)
    if report.attachments:
        attachment_note(doc, report)
        for a in report.attachments:
            attachment(doc, a)
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())
