"""The older office formats budget systems and offices still produce, read through well-kept tools.

- `.xls` (Excel 97–2003, what the 一体化 systems export) and `.ods`: their sheets' cells through
  python-calamine, imported only here and only when such a file is read;
- `.doc` (Word 97–2003) and `.wps`: converted to .docx by LibreOffice (`soffice --headless
  --convert-to docx`) in a temporary directory, within a bounded time, then read as a .docx.

Disk and subprocess at the edge; every failure a Chinese message saying what to do instead.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from zjeval.errors import StorageError, ZjevalError

SHEETS = (".xls", ".ods")
WORD = (".doc", ".wps")
CONVERT_SECONDS = 120  # LibreOffice's first start on a busy machine takes a while

T = TypeVar("T")


def sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    """Each sheet of an .xls/.ods (or .xlsx) as (name, rows of raw cell values)."""
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency
        raise ZjevalError(
            f"读取 {path.suffix} 需要 python-calamine", "请先安装:pip install python-calamine"
        ) from None
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        out: list[tuple[str, list[list[object]]]] = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            out.append((name, [list(r) for r in rows]))
        return out
    except OSError as exc:
        raise StorageError(
            f"无法读取 {path}:{exc.strerror or exc}", "请检查文件是否存在、是否有权限"
        ) from None
    except Exception as exc:  # calamine raises its own kinds for a damaged or disguised file
        raise StorageError(
            f"无法打开表格文件 {path.name}({type(exc).__name__})",
            f"请确认文件是 {path.suffix} 格式且未损坏,或在 Excel/WPS 中另存为 .xlsx",
        ) from None


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def with_docx(path: Path, read: Callable[[Path], T]) -> T:
    """`read` applied to a .docx converted from a .doc/.wps by LibreOffice (in a temporary folder)."""
    exe = soffice()
    if exe is None:
        raise ZjevalError(
            f"读取 {path.suffix} 文件需要 LibreOffice,本机没有安装:{path.name}",
            "请安装 LibreOffice(软件包 libreoffice-writer),或在 Word/WPS 中把它另存为 .docx 后再导入",
        )
    if not path.is_file():
        raise StorageError(f"找不到文件 {path}", "请检查路径是否正确")
    with tempfile.TemporaryDirectory(prefix="zjeval-doc-") as tmp:
        work = Path(tmp)
        source = work / ("source" + path.suffix.lower())  # a name LibreOffice cannot misread
        shutil.copyfile(path, source)
        command = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",  # never the user's own profile
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise StorageError(
                f"LibreOffice 转换 {path.name} 超过 {CONVERT_SECONDS} 秒未完成",
                "请在 Word/WPS 中把它另存为 .docx 后再导入",
            ) from None
        converted = work / "source.docx"
        if not converted.is_file():
            raise StorageError(
                f"LibreOffice 无法转换 {path.name}(文件可能已损坏或不是 Word 文档)",
                "请在 Word/WPS 中打开后另存为 .docx 再导入",
            )
        return read(converted)
