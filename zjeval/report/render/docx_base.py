"""The GB/T 9704-2012 page for python-docx: the standard's numbers, runs, paragraphs, sections.

Every run names its East-Asian font (``w:rFonts/@w:eastAsia``); the body snaps to a character
grid of 28 characters × 22 lines (``w:docGrid w:type="linesAndChars"``), which titles, tables
and the footer opt out of. python-docx is imported by the DOCX renderer only.
"""

from __future__ import annotations

import copy
import re

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.section import CT_SectPr
from docx.oxml.text.font import CT_Fonts, CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section as DocxSection
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

# ------------------------------------------------------------------ the standard's numbers

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = Mm(156)
LANDSCAPE_TEXT_WIDTH = Mm(225)
LANDSCAPE_TEXT_HEIGHT = Mm(156)
PAGE_NUMBER_BELOW = Mm(7)  # 7.5: the page-number line 7 mm below the text block's lower edge
# the footer's one line of 四号 (single spacing), from its foot to the top of its line
FOOTER_LINE = Mm(6.1)

LATIN = "Times New Roman"  # digits and Latin letters
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = ("黑体", "楷体_GB2312")  # 一、 and （一）; deeper levels use the body font
MARK_FONT = "黑体"  # 附件N, the draft mark
PAGE_NUMBER_FONT = "宋体"  # 4号半角宋体阿拉伯数字
# what Word or WPS should use where a font is not installed (w:altName in the font table)
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}

TITLE_SIZE = Pt(22)  # 二号, the main title and the attachments' titles alike
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四

LINE = Pt(28.95)  # fixed line spacing: 22 lines in the 225 mm text block
LINE_PITCH = 579  # the grid's line pitch in twips (28.95 pt)
CHARS = 28
# the grid's character pitch: 156 mm / 28 = 15.79 pt, given as the difference from the 16 pt
# font in 1/4096 pt (-848), which is how Word writes a 28-character grid for 三号
CHAR_PITCH = TEXT_WIDTH.pt / CHARS
CHAR_SPACE = round((CHAR_PITCH - BODY_SIZE.pt) * 4096)


def chars(n: float) -> Length:
    """n characters of the grid, rounded down to a twip so a line still holds its characters."""
    return Twips(int(n * CHAR_PITCH * 20))


INDENT = chars(2)
# each character of 三号 set 0.4 pt tighter: 28 × 15.6 pt fit the 442 pt line (28 × 16 do not, 29 × 15.6
# do not either);
# the grid does the same in Word, this does it in LibreOffice too (which snaps 16 pt characters
# to two cells of a 15.79 pt grid)
CONDENSE = -8  # twips
RED = RGBColor(0xFF, 0x00, 0x00)

# characters XML 1.0 cannot hold (lxml refuses them): dropped, never a crash
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Answer text as plain characters: XML-invalid control characters removed."""
    return _INVALID_XML.sub("", text)


# ------------------------------------------------------------------ runs and paragraphs


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
    # the text is Simplified Chinese: Word and LibreOffice pick zh-CN glyphs and fonts for it
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:eastAsia"), "zh-CN")


# prototypes of the run and paragraph properties made so far: a run or paragraph like an earlier
# one gets a copy of its properties (python-docx's property setters walk the XML each time,
# which made the DOCX of two attachments take seconds)
_RunKey = tuple[str, int, bool, str, str]  # font, size, bold, colour, Latin font
_ParagraphKey = tuple[WD_ALIGN_PARAGRAPH, Length | None, Length | None, Length | None, Length | None, bool]
_RUNS: dict[_RunKey, BaseOxmlElement] = {}
_PARAGRAPHS: dict[_ParagraphKey, BaseOxmlElement] = {}


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
    text = clean(text)
    key: _RunKey = (font, int(size), bold, str(color), latin)
    proto = _RUNS.get(key)
    if proto is not None and "\t" not in text:
        paragraph._p.append(run_element(proto, text))
        return
    run = paragraph.add_run(text)
    set_fonts(run._r, font, latin)
    run.font.size = size
    if size == BODY_SIZE and CONDENSE:
        rpr = run._r.get_or_add_rPr()
        rpr.insert_element_before(
            OxmlElement("w:spacing", {qn("w:val"): str(CONDENSE)}),
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
        )
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    made = run._r.rPr
    assert made is not None  # set_fonts made it
    _RUNS[key] = copy.deepcopy(made)


def run_element(rpr: BaseOxmlElement, text: str) -> BaseOxmlElement:
    """A w:r with a copy of `rpr` and the text, a line break (w:br) for each newline."""
    run = OxmlElement("w:r")
    run.append(copy.deepcopy(rpr))
    for i, part in enumerate(text.split("\n")):
        if i:
            run.append(OxmlElement("w:br"))
        if part:
            t = OxmlElement("w:t")
            t.text = part
            if part != part.strip():
                t.set(qn("xml:space"), "preserve")
            run.append(t)
    return run


def set_format(
    paragraph: DocxParagraph,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line: Length | None = INDENT,
    left: Length | None = None,
    right: Length | None = None,
    line: Length | None = LINE,
    grid: bool = False,
) -> None:
    """Paragraph facts set directly, so they hold whatever the styles say."""
    p = paragraph._p
    fresh = p.pPr is None or len(p.pPr) == 0  # a footer's paragraph comes with its style
    key: _ParagraphKey = (align, first_line, left, right, line, grid)
    proto = _PARAGRAPHS.get(key)
    if fresh and proto is not None:
        if p.pPr is not None:
            p.remove(p.pPr)
        p.insert(0, copy.deepcopy(proto))
        return
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
    if not grid:
        no_grid(paragraph)
    no_autospace(paragraph)
    if fresh and p.pPr is not None:
        _PARAGRAPHS[key] = copy.deepcopy(p.pPr)


def no_autospace(paragraph: DocxParagraph) -> None:
    """No extra space between Chinese and Latin text or digits (w:autoSpaceDE/DN off): the
    standard's line holds 28 characters, digits included, with nothing added between them."""
    autospace_off(paragraph._p.get_or_add_pPr())


def autospace_off(ppr: BaseOxmlElement) -> None:
    """w:autoSpaceDE/DN off in a paragraph's (or a style's) properties, in schema order."""
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(name, {qn("w:val"): "0"})
        ppr.insert_element_before(
            element,
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:jc",
            "w:outlineLvl",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        )


def no_grid(paragraph: DocxParagraph) -> None:
    """w:snapToGrid off: a title (二号), a table cell (小四) or a footer keeps its own pitch."""
    ppr = paragraph._p.get_or_add_pPr()
    element = OxmlElement("w:snapToGrid", {qn("w:val"): "0"})
    ppr.insert_element_before(
        element, "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange"
    )


def body(doc: DocxDocument, text: str) -> DocxParagraph:
    paragraph = doc.add_paragraph()
    set_format(paragraph)
    add_run(paragraph, text, BODY_FONT, BODY_SIZE)
    return paragraph


def blank(doc: DocxDocument) -> DocxParagraph:
    paragraph = doc.add_paragraph()
    set_format(paragraph, first_line=None)
    return paragraph


def lines(paragraph: DocxParagraph, texts: tuple[str, ...], font: str, size: Length) -> None:
    """Text in lines of one paragraph (w:br between them): a title broken by meaning."""
    add_run(paragraph, "\n".join(texts), font, size)  # each newline a w:br in the one run


def outline_level(paragraph: DocxParagraph, level: int) -> None:
    """w:outlineLvl: the heading shows in Word's navigation pane without a Heading style."""
    ppr = paragraph._p.get_or_add_pPr()
    element = OxmlElement("w:outlineLvl", {qn("w:val"): str(level)})
    ppr.insert_element_before(element, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# ------------------------------------------------------------------ sections


def page(section: DocxSection, landscape: bool = False) -> None:
    """A4 with GB/T 9704 margins; a landscape page turns them with the paper (top to the binding)."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        section.top_margin, section.bottom_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.left_margin, section.right_margin = MARGIN_BOTTOM, MARGIN_TOP
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = footer_distance(section.bottom_margin)
    grid(section._sectPr, chars=not landscape)


def footer_distance(bottom_margin: Length | None) -> Length:
    """From the paper's edge to the footer: the page number's line 7 mm below the text block,
    on portrait and landscape pages alike (their lower margins differ)."""
    margin = bottom_margin if bottom_margin is not None else MARGIN_BOTTOM
    return Length(margin - PAGE_NUMBER_BELOW - FOOTER_LINE)


def grid(sect_pr: CT_SectPr, chars: bool = True) -> None:
    """The 28 × 22 grid: lines of 28.95 pt and (portrait) characters of 15.79 pt."""
    element = sect_pr.find(qn("w:docGrid"))
    if element is None:
        element = OxmlElement("w:docGrid")
        sect_pr.append(element)
    for name in list(element.attrib):
        del element.attrib[name]
    element.set(qn("w:type"), "linesAndChars" if chars else "lines")
    element.set(qn("w:linePitch"), str(LINE_PITCH))
    if chars:
        element.set(qn("w:charSpace"), str(CHAR_SPACE))


def end_section(paragraph: DocxParagraph, doc: DocxDocument) -> DocxSection:
    """End the current section at `paragraph` (no empty paragraph that could spill onto a page of
    its own); the document's last section, returned, is the next one and starts a new page."""
    sentinel = doc.element.body.get_or_add_sectPr()
    paragraph._p.set_sectPr(sentinel.clone())
    for ref in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(ref)  # the next section shows the same page numbers
    return doc.sections[-1]
