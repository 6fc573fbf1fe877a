"""Fonts of the DOCX named directly, everywhere: WPS reports 缺失字体 for a theme font, and a
converter falls back to whatever face the theme's script list names (a Japanese one, in
python-docx's template).

Every w:rFonts of the styles loses its theme attributes (asciiTheme, eastAsiaTheme …) for the
named fonts; the theme's own major/minor fonts name the official faces and list no per-script
faces; the Word 2010 copy of the styles (stylesWithEffects) is dropped; the font table holds the
fonts the document names, each Chinese one with its fallback (w:altName) and the GB2312 charset.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from zjeval.report.render.docx_base import BODY_FONT, FALLBACKS, HEADING_FONTS, LATIN, TITLE_FONT

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NAME_ATTRIBUTES = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def named_fonts(element: BaseOxmlElement) -> None:
    """Every w:rFonts under `element` names its fonts: theme attributes replaced by the names."""
    for rfonts in element.iter(qn("w:rFonts")):
        themed = [name for name in rfonts.attrib if name.endswith(("Theme", "theme"))]
        if not themed:
            continue
        for name in themed:
            del rfonts.attrib[name]
        for attr, font in zip(NAME_ATTRIBUTES, (LATIN, LATIN, BODY_FONT, LATIN), strict=True):
            if rfonts.get(qn(attr)) is None:
                rfonts.set(qn(attr), font)


def _theme(doc: DocxDocument) -> None:
    """The theme's heading (major) and body (minor) fonts: the official faces, no script list."""
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.THEME), None)
    if part is None:
        return
    theme = parse_xml(part.blob)
    for which, east_asian in (("majorFont", HEADING_FONTS[0]), ("minorFont", BODY_FONT)):
        for fonts in theme.iter(f"{A}{which}"):
            for child in list(fonts):
                tag = child.tag.removeprefix(A)
                if tag == "latin":
                    child.set("typeface", LATIN)
                elif tag == "ea":
                    child.set("typeface", east_asian)
                elif tag == "cs":
                    child.set("typeface", LATIN)
                elif tag == "font":  # a face per script (Jpan, Hang …): none is wanted
                    fonts.remove(child)
    part._blob = serialize_part_xml(theme)


def _font_table(doc: DocxDocument, used: set[str]) -> None:
    """The fonts the document names; each Chinese font with GB2312 charset and its fallback."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    fonts = parse_xml(part.blob)
    for font in list(fonts):
        if font.get(qn("w:name")) not in used or font.get(qn("w:name")) in FALLBACKS:
            fonts.remove(font)
    for name, alt in FALLBACKS.items():
        font = OxmlElement("w:font", {qn("w:name"): name})
        font.append(OxmlElement("w:altName", {qn("w:val"): alt}))
        font.append(OxmlElement("w:charset", {qn("w:val"): "86"}))
        font.append(OxmlElement("w:family", {qn("w:val"): "modern" if name != TITLE_FONT else "script"}))
        font.append(OxmlElement("w:pitch", {qn("w:val"): "fixed" if name != TITLE_FONT else "variable"}))
        fonts.append(font)
    part._blob = serialize_part_xml(fonts)


def _names(element: BaseOxmlElement) -> set[str]:
    return {
        value
        for rfonts in element.iter(qn("w:rFonts"))
        for attr in NAME_ATTRIBUTES
        if (value := rfonts.get(qn(attr)))
    }


def fonts_named_directly(doc: DocxDocument) -> None:
    """Run when the document is complete: no theme font anywhere, a font table of what is used."""
    package = doc.part
    for rid, rel in list(package.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            package.rels.pop(rid)  # Word 2010's copy of the styles, with theme fonts of its own
    named_fonts(doc.styles.element)
    used = _names(doc.styles.element) | _names(doc.element)
    numbering = next((r.target_part for r in package.rels.values() if r.reltype == RT.NUMBERING), None)
    if numbering is not None:
        named_fonts(numbering.element)
        used |= _names(numbering.element)
    for section in doc.sections:
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            if not footer.is_linked_to_previous:
                used |= _names(footer._element)
    _theme(doc)
    _font_table(doc, used | {LATIN})
