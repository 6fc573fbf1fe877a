"""Hostile import files, built small in a test's folder: entity-bearing and large-dimension XLSX,
a DOCX of many empty paragraphs, a PDF of nested XObjects (used by the reliability and fuzz tests)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

TABLES = Path(__file__).parent / "fixtures" / "tables"
DECLARED = TABLES / "申报表-一体化系统.xlsx"


def xlsx(path: Path, edit: Callable[[str], str], source: Path = DECLARED) -> Path:
    """A copy of a workbook whose first sheet's XML is `edit`ed."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(name, data)
    return path


def entities(depth: int = 9, width: int = 10) -> str:
    """A DTD whose last entity expands to width**depth copies of a word ("billion laughs")."""
    defs = ['<!ENTITY a0 "lol">']
    defs += [f'<!ENTITY a{i} "{f"&a{i - 1};" * width}">' for i in range(1, depth)]
    return f"<!DOCTYPE worksheet [{''.join(defs)}]>"


def entity_xlsx(path: Path, depth: int = 9) -> Path:
    return xlsx(path, lambda s: entities(depth) + s.replace("<t>2025", f"<t>&a{depth - 1};2025", 1))


def dtd_xlsx(path: Path) -> Path:
    return xlsx(path, lambda s: '<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">' + s)


def undefined_entity_xlsx(path: Path) -> Path:
    return xlsx(path, lambda s: s.replace("<t>2025", "<t>&nope;2025", 1))


def dimension_xlsx(path: Path, rows: int = 30, ref: str = "A1:XFD1048576") -> Path:
    """A sheet that claims `ref` as its dimension but holds `rows` one-cell rows."""

    def edit(s: str) -> str:
        body = "".join(
            f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>第{i}行</t></is></c></row>'
            for i in range(1, rows + 1)
        )
        start, end = s.index("<sheetData>"), s.index("</sheetData>") + len("</sheetData>")
        s = s[:start] + f"<sheetData>{body}</sheetData>" + s[end:]
        return s.replace('<dimension ref="A1:G13"/>', f'<dimension ref="{ref}"/>')

    return xlsx(path, edit)


def paragraphs_docx(path: Path, count: int) -> Path:
    """A Word document of a title and `count` empty paragraphs."""
    import docx

    base = path.with_name("base.docx")
    document = docx.Document()
    document.add_paragraph("湛江市某局2019年度部门整体支出绩效自评报告")
    document.save(str(base))
    with zipfile.ZipFile(base) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p/>" * count + b"</w:body>")
            out.writestr(name, data)
    return path


def nested_xobjects_pdf(path: Path, depth: int = 12) -> Path:
    """A 3 KB PDF whose page draws a form XObject that draws the one below it ten times, `depth` deep."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(head: bytes, content: bytes) -> bytes:
        return head + b" /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources"
    x = add(
        stream(form + b" << /Font << /F1 %d 0 R >> >>" % font, b"BT /F1 12 Tf 10 10 Td (Hello text) Tj ET")
    )
    for _ in range(depth):
        x = add(stream(form + b" << /XObject << /X %d 0 R >> >>" % x, b" ".join([b"/X Do"] * 10)))
    contents = add(stream(b"<<", b"/X Do"))
    page = add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 600 800] /Resources << /XObject << /X %d 0 R >> >>"
        b" /Contents %d 0 R >>" % (len(objs) + 2, x, contents)
    )
    pages = add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    path.write_bytes(out)
    return path
