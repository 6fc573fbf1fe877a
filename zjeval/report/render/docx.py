"""Report -> DOCX in the 党政机关公文格式 (GB/T 9704-2012).

A4, margins 37/35/28/26 mm, a 28 × 22 character grid; the title in 方正小标宋简体 二号 broken
into lines by meaning; body in 仿宋_GB2312 三号 on fixed 28.95 pt lines; headings 一、 in 黑体
and （一） in 楷体_GB2312; page numbers 「— N —」. The 附件说明 (7.3.4) follows the body, one
name a line aligned under the first, each name the attachment's own title; then the 署名 and
成文日期 as 7.3.5.1 (with a seal) or 7.3.5.2 (without). Each 附件 starts a section of its own,
landscape where its table is wide, with its title the size of the main title.

Every font is named directly, no theme font anywhere (docx_fonts); the font table gives each
Chinese font a fallback (w:altName), so Word without 仿宋_GB2312 uses 仿宋 rather than whatever
it likes. The file is reproducible: fixed core properties and zip
entry times, no random ids. python-docx is imported here only (the registry imports this module
when DOCX is asked for).
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from zjeval.report.model import Attachment, Content, Item, ItemList, Paragraph, Report, SectionNode
from zjeval.report.render import docx_form_table, docx_table
from zjeval.report.render.docx_base import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONTS,
    INDENT,
    LANDSCAPE_TEXT_HEIGHT,
    LANDSCAPE_TEXT_WIDTH,
    LINE,
    MARK_FONT,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_SIZE,
    RED,
    TEXT_WIDTH,
    TITLE_FONT,
    TITLE_SIZE,
    add_run,
    autospace_off,
    blank,
    body,
    chars,
    clean,
    end_section,
    lines,
    outline_level,
    page,
    set_fonts,
    set_format,
)
from zjeval.report.render.docx_fonts import fonts_named_directly
from zjeval.report.render.reproducible import document_time, stable_zip
from zjeval.report.typeset import signature_starts, width

TEXT_HEIGHT = Pt(22 * 28.95)
NOTE_LEAD = "附件："

# ------------------------------------------------------------------ the document


def setup(doc: DocxDocument, report: Report) -> None:
    page(doc.sections[0])

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
    autospace_off(normal.element.get_or_add_pPr())  # no extra space between Chinese and digits
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    footers(doc)
    properties(doc, report)


def footers(doc: DocxDocument) -> None:
    """「— N —」 placed as GB/T 9704 asks for printing on both sides: odd pages at the right and
    even pages at the left, each one character (四号) in from the text block's edge."""
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
            grid=False,
        )
        page_number(paragraph)


def page_number(paragraph: object) -> None:
    """— PAGE — as a complex field (begin, instruction, separate, shown value, end)."""

    def run(text: str = "", field: str | None = None, instruction: str | None = None) -> None:
        r = paragraph.add_run()  # type: ignore[attr-defined]
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
    core.subject = clean(report.subject)
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


def title(doc: DocxDocument, texts: tuple[str, ...]) -> None:
    """A title centred in 二号, its lines broken by meaning; off the character grid."""
    paragraph = doc.add_paragraph()
    set_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=None, grid=False)
    lines(paragraph, texts, TITLE_FONT, TITLE_SIZE)


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


def attachment_note(doc: DocxDocument, report: Report) -> None:
    """「附件：1．名称」 左空二字, one name a line: later numbers under the first, a wrapped name
    under its own first character (GB/T 9704 7.3.4); a single attachment 「附件：名称」."""
    blank(doc)
    several = len(report.attachments) > 1  # a single attachment is not numbered
    for i, entry in enumerate(report.attachment_note):
        number = entry.split("．", 1)[0] + "．" if several else ""
        paragraph = doc.add_paragraph()
        lead = width(NOTE_LEAD) if i == 0 else 0
        name_at = 2 + width(NOTE_LEAD) + width(number)
        hang = lead + width(number)
        set_format(paragraph, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=None, left=chars(name_at))
        paragraph.paragraph_format.first_line_indent = -chars(hang)
        add_run(paragraph, (NOTE_LEAD if i == 0 else "") + entry, BODY_FONT, BODY_SIZE)


def signature(doc: DocxDocument, report: Report) -> object:
    """The 署名 and 成文日期 one blank line below, placed as GB/T 9704 7.3.5.1 or 7.3.5.2."""
    blank(doc)
    unit_at, date_at = signature_starts(report.signature_unit, report.signature_date, report.seal)
    last = None
    for text, start in ((report.signature_unit, unit_at), (report.signature_date, date_at)):
        last = doc.add_paragraph()
        set_format(last, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=None, left=chars(start))
        add_run(last, text, BODY_FONT, BODY_SIZE)
    return last


def attachment(doc: DocxDocument, a: Attachment) -> None:
    """附件N (黑体, top left), a blank line, the centred title on the third line, a blank line,
    the table; a wide table on landscape pages."""
    mark = doc.add_paragraph()
    set_format(mark, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=None)
    add_run(mark, a.mark, MARK_FONT, BODY_SIZE)
    blank(doc)
    tables(doc, a, 2)


def tables(doc: DocxDocument, a: Attachment, above_lines: int = 0) -> None:
    """The attachment's centred title, a blank line, then its table(s), below `above_lines` lines."""
    title(doc, a.title_lines or (a.title,))
    blank(doc)
    wide = a.table.wide
    height = LANDSCAPE_TEXT_HEIGHT if wide else TEXT_HEIGHT
    above = (above_lines + 1 + len(a.title_lines or (a.title,))) * LINE.pt
    if len(a.tables) > 1:  # an attachment of several blocks (the 自评表): one continuous table
        docx_form_table.table(doc, a.tables, LANDSCAPE_TEXT_WIDTH if wide else TEXT_WIDTH, height, above)
        return
    docx_table.table(doc, a.table, LANDSCAPE_TEXT_WIDTH if wide else TEXT_WIDTH, height, above)


# ------------------------------------------------------------------ entry point


def render(report: Report) -> bytes:
    doc = Document()
    setup(doc, report)
    if report.draft:
        mark = doc.add_paragraph()
        set_format(mark, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=None)
        text = f"【草稿：尚有{report.gaps}处待填写】" if report.gaps else "【草稿】"
        add_run(mark, text, MARK_FONT, BODY_SIZE, color=RED)
        blank(doc)
    title(doc, report.title_lines or (report.title,))
    blank(doc)
    for paragraph in report.lead:
        body(doc, paragraph.text)
    for node in report.sections:
        section(doc, node)
    if report.attachments:
        attachment_note(doc, report)
    last = signature(doc, report)
    for a in report.attachments:
        page(end_section(last, doc), landscape=a.table.wide)  # type: ignore[arg-type]
        attachment(doc, a)
        last = doc.add_paragraph()  # carries the section's end: one point high, never a page
        set_format(last, first_line=None, line=Pt(1), grid=False)
    fonts_named_directly(doc)
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())


__all__ = ["INDENT", "render"]
