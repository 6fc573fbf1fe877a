"""Cached values for formula cells: openpyxl writes a formula without its result, so a preview
(or any reader that does not calculate) shows blanks. The report already knows each result;
this writes it into the sheet XML as the cell's <v>, as Excel itself would have saved it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from openpyxl import Workbook

    from zjeval.report.render.xlsx_sheet import Cached

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', re.S)


def _sheet_paths(wb: Workbook) -> dict[str, str]:
    """Sheet title -> its part in the zip (openpyxl numbers them in order)."""
    return {ws.title: f"xl/worksheets/sheet{i}.xml" for i, ws in enumerate(wb.worksheets, 1)}


def _fill(xml: str, cached: dict[str, Cached]) -> str:
    def one(m: re.Match[str]) -> str:
        ref, attrs, formula = m[1], m[2], m[3]
        value = cached.get(ref)
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        if value is None or value == "":
            return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v></v></c>'
        if isinstance(value, (Decimal, int, float)):
            return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{format(Decimal(value).normalize(), "f")}</v></c>'
        return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v>{escape(str(value))}</v></c>'

    return _CELL.sub(one, xml)


def with_cached_values(data: bytes, wb: Workbook, cached: dict[str, dict[str, Cached]]) -> bytes:
    paths = {path: cached.get(title, {}) for title, path in _sheet_paths(wb).items()}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in paths:
                body = _fill(body.decode("utf-8"), paths[info.filename]).encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def workbook_bytes(
    wb: Workbook,
    title: str,
    creator: str | None,
    when: dt.datetime,
    cached: dict[str, dict[str, Cached]] | None = None,
) -> bytes:
    """A workbook's bytes, the same for the same content: its properties dated `when` (naive UTC,
    as core.xml wants), written by ExcelWriter (Workbook.save stamps the clock's time), formula
    cells given their `cached` values, the zip's own times fixed."""
    from openpyxl.writer.excel import ExcelWriter

    from zjeval.report.render.reproducible import stable_zip

    props = wb.properties
    props.title = title
    props.creator = creator
    props.lastModifiedBy = None
    props.created = when
    props.modified = when
    props.language = "zh-CN"
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # closes the archive
    data = buffer.getvalue()
    return stable_zip(with_cached_values(data, wb, cached) if cached is not None else data)
