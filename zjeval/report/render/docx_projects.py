"""A year's projects as one Word document: each project's 自评表 on landscape pages of its own.

The pages, fonts, page numbers and tables are the report's own DOCX (docx.py, docx_table.py):
each project is its 自评表 attachment's title and blocks, as the report prints it as an 附件,
without the 附件N mark. Reproducible like the report: fixed properties and zip times.
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from zjeval.report.model import ProjectBook
from zjeval.report.render import docx
from zjeval.report.render.docx_base import clean, end_section, page, set_format
from zjeval.report.render.reproducible import stable_zip


def render(book: ProjectBook) -> bytes:
    doc = Document()
    docx.setup(doc, book.projects[0].report)
    core = doc.core_properties
    core.title = core.subject = clean(book.title)
    page(doc.sections[0], landscape=True)
    last = None
    for p in book.projects:
        if last is not None:
            page(end_section(last, doc), landscape=True)
        docx.tables(doc, p.attachment)
        last = doc.add_paragraph()  # carries the section's end: one point high, never a page
        set_format(last, first_line=None, line=Pt(1), grid=False)
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())
