"""Report -> PDF: the DOCX converted by LibreOffice (`soffice --headless --convert-to pdf`).

LibreOffice is not a Python dependency: without `soffice` on PATH this says which package to
install. The conversion runs in a temporary directory with its own LibreOffice profile, so it
neither collides with a LibreOffice the user has open nor leaves files behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from zjeval.errors import ZjevalError
from zjeval.report.model import Report
from zjeval.report.render import docx

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
        source.write_bytes(docx.render(report))
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
        return result.read_bytes()
