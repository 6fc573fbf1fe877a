"""Report -> PDF: the DOCX converted by LibreOffice (`soffice --headless --convert-to pdf`).

LibreOffice is not a Python dependency: without `soffice` on PATH this says which package to
install. The conversion runs in a temporary directory with its own LibreOffice profile, so it
neither collides with a LibreOffice the user has open nor leaves files behind.

Official fonts missing on this machine are replaced, for the conversion only, by installed
Simplified-Chinese faces, and the user is told so on stderr (pdf_fonts). The same answers give
the same bytes: the PDF's dates are the 成文日期 and its /ID is a digest of its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from zjeval.errors import ZjevalError
from zjeval.report.model import Report
from zjeval.report.render import docx, pdf_fonts
from zjeval.report.render.reproducible import document_time

TIMEOUT = 180  # seconds; a first start of LibreOffice builds its profile


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render(report: Report) -> bytes:
    program = soffice()
    if program is None:
        raise ZjevalError(
            "未找到 LibreOffice（soffice），无法生成 PDF",
            "请安装 LibreOffice 的文字处理组件（软件包 libreoffice-writer，例如 "
            "sudo apt-get install libreoffice-writer），或改为 -o 报告.docx 生成 Word 文档后自行转换",
        )
    with tempfile.TemporaryDirectory(prefix="zjeval-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        families, chinese = pdf_fonts.installed()
        mapping, missing = pdf_fonts.substitutes(families, chinese)
        source.write_bytes(pdf_fonts.rename_fonts(docx.render(report), mapping))
        for line in pdf_fonts.note(mapping, missing):
            tell(line)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ZjevalError(
                f"LibreOffice 转换 PDF 失败：{exc}", "请确认 LibreOffice 能正常启动后重试"
            ) from None
        result = work / "report.pdf"
        if done.returncode != 0 or not result.exists():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise ZjevalError(
                f"LibreOffice 转换 PDF 失败（退出码 {done.returncode}）：{detail}",
                "请确认 LibreOffice 能正常启动后重试",
            )
        return reproducible(pdf_fonts.face_names(result.read_bytes(), mapping), report.date)


def tell(line: str) -> None:
    """A note for the user on stderr (the PDF itself may be going to stdout)."""
    from zjeval import ui

    ui.err().print(line, markup=False, soft_wrap=True)


_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def reproducible(pdf: bytes, day: dt.date | None) -> bytes:
    """The PDF's dates set to the report's 成文日期 and its /ID to a digest of the rest, each
    the same length as LibreOffice wrote it (the cross-reference offsets stay right)."""
    stamp = document_time(day).strftime("%Y%m%d%H%M%S").encode("ascii")
    pdf = _DATE.sub(lambda m: m[1] + stamp, pdf)
    # LibreOffice's /DocChecksum covers the conversion time too: a digest of the rest instead
    pdf = _CHECKSUM.sub(lambda m: m[1] + b"0" * len(m[2]), pdf)
    digest = hashlib.sha256(_ID.sub(b"/ID[]", pdf)).hexdigest().upper().encode("ascii")
    pdf = _CHECKSUM.sub(lambda m: m[1] + digest[: len(m[2])], pdf)

    def same_length(m: re.Match[bytes]) -> bytes:
        whole, at = m[0], m.start()
        a, b = m.span(1), m.span(2)
        first, second = digest[: a[1] - a[0]], digest[-(b[1] - b[0]) :]
        return whole[: a[0] - at] + first + whole[a[1] - at : b[0] - at] + second + whole[b[1] - at :]

    return _ID.sub(same_length, pdf)
