"""Byte-identical office files: fixed timestamps inside the zip container.

DOCX and XLSX are zip files whose entries carry the time they were written, and whose
docProps/core.xml carries created/modified dates. Renderers set the core properties from the
report's own date; this rewrites the container so the same answers give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def stable_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed and entries in their original order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def document_time(report_date: dt.date | None) -> dt.datetime:
    """The timestamp written into core properties: the report's date at midnight (UTC)."""
    day = report_date or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
