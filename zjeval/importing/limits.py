"""Limits on what import and table read, so a hostile file is refused in Chinese, quickly and in
little memory, instead of running for minutes or crashing.

A published report is a few hundred KB, some hundreds of paragraphs, a few tables and at most a
few dozen pages; each limit is far above that, and the message names the limit it hit:
- the file's size on disk (MAX_FILE_BYTES) and, for .docx and .xlsx (zip archives), what it
  unpacks to (MAX_UNPACKED_BYTES) and how many paragraphs a .docx holds (MAX_PARAGRAPHS), all
  checked before any XML is parsed;
- the text read, whatever the format: paragraphs (MAX_PARAGRAPHS), characters (MAX_TEXT_CHARS)
  and the longest paragraph or cell (MAX_PARAGRAPH_CHARS: an entity the XML parser expanded);
- the cells read from a workbook (MAX_CELLS; a sheet's claimed <dimension> is ignored, so an
  A1:XFD1048576 claim costs nothing) and the rows of a CSV;
- the pages pdftotext reads (MAX_PAGES), its time (PDF_SECONDS) and its memory (PDF_MEMORY, an
  address-space limit set in the child process).
Every parser runs inside `reading()`, so what a damaged or hostile file makes a library raise
(a DTD, an entity loop, a broken zip) is a Chinese error naming the file, never a crash.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from zjeval.errors import StorageError, ZjevalError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARAGRAPHS = 20_000  # a report has some hundreds
MAX_TEXT_CHARS = 500_000  # all the text read from one file (a report has some tens of thousands)
MAX_PARAGRAPH_CHARS = 50_000  # one paragraph, or one cell (a report's longest is a few thousand)
MAX_CELLS = 500_000
MAX_PAGES = 500
PDF_SECONDS = 20
PDF_MEMORY = 512 * 1024 * 1024

T = TypeVar("T")
A = ParamSpec("A")
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")
_MB = 1024 * 1024


def too_much(path: Path, what: str, limit: str) -> StorageError:
    """The error for a limit: the file, what was too much, the limit."""
    return StorageError(
        f"{path.name} {what}(上限 {limit}),不像一份报告或表格,未读取",
        "请确认选对了文件;确是报告时,可在 Word/WPS/Excel 中删去无关内容后另存,再导入",
    )


def check_file(path: Path) -> None:
    """Refuse, before parsing, a file whose size, unpacked size or paragraph count is beyond the limits."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports what is wrong with the path
    if size > MAX_FILE_BYTES:
        raise too_much(path, f"有 {size // _MB} MB", f"{MAX_FILE_BYTES // _MB} MB")
    if path.suffix.lower() not in (".docx", ".xlsx"):
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the reader says the file is damaged, in its own words
    with reading(path, "文件"), archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise too_much(path, f"解压后有 {unpacked // _MB} MB", f"{MAX_UNPACKED_BYTES // _MB} MB")
        if path.suffix.lower() == ".docx" and "word/document.xml" in archive.namelist():
            count = len(_PARAGRAPH.findall(archive.read("word/document.xml")))
            if count > MAX_PARAGRAPHS:
                raise too_much(path, f"有 {count} 个段落", f"{MAX_PARAGRAPHS} 个")


@contextmanager
def reading(path: Path, kind: str) -> Iterator[None]:
    """Whatever a parser raises while reading `path` becomes a Chinese StorageError naming it."""
    try:
        yield
    except ZjevalError:
        raise
    except OSError as exc:
        from zjeval.errors import os_error

        raise os_error(path, exc, "读取") from None
    except (Exception, RecursionError) as exc:  # each library raises its own kinds for a bad file
        raise StorageError(
            f"无法读取 {path.name}({kind}):文件已损坏,或含有不支持的内容(如 DTD、实体)({type(exc).__name__})",
            "请在 Word/WPS/Excel 中打开后另存为新文件,再导入",
        ) from None


def guarded(kind: str) -> Callable[[Callable[Concatenate[Path, A], T]], Callable[Concatenate[Path, A], T]]:
    """A reader `f(path, …)` run inside `reading(path, kind)`: the one-line hook for each parser."""

    def wrap(read: Callable[Concatenate[Path, A], T]) -> Callable[Concatenate[Path, A], T]:
        @wraps(read)
        def guarded_read(path: Path, /, *args: A.args, **kwargs: A.kwargs) -> T:
            with reading(path, kind):
                return read(path, *args, **kwargs)

        return guarded_read

    return wrap


def text(read: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    """A reader of paragraphs whose result is bounded (MAX_TEXT_CHARS, MAX_PARAGRAPH_CHARS): an
    entity the XML parser expanded, or a file of one endless line, stops here."""

    @wraps(read)
    def bounded(path: Path) -> list[str]:
        paragraphs = read(path)
        if len(paragraphs) > MAX_PARAGRAPHS:
            raise too_much(path, f"有 {len(paragraphs)} 个段落", f"{MAX_PARAGRAPHS} 个")
        longest = max((len(p) for p in paragraphs), default=0)
        if longest > MAX_PARAGRAPH_CHARS:
            raise too_much(path, f"有一段长达 {longest} 字", f"每段 {MAX_PARAGRAPH_CHARS} 字")
        total = sum(len(p) for p in paragraphs)
        if total > MAX_TEXT_CHARS:
            raise too_much(path, f"共有 {total} 字", f"{MAX_TEXT_CHARS} 字")
        return paragraphs

    return bounded


def sheet_rows(path: Path, sheet: object) -> Iterator[Sequence[Cell | MergedCell]]:
    """A read-only worksheet's rows, its claimed <dimension> ignored (an A1:XFD1048576 claim
    would pad every row to 16,384 cells), stopped with an error beyond MAX_CELLS cells; a
    chartsheet has none."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    if isinstance(sheet, ReadOnlyWorksheet):
        sheet.reset_dimensions()
        return rows(path, sheet.rows)
    if isinstance(sheet, Worksheet):
        return rows(path, sheet.rows)
    return iter(())


def rows(path: Path, items: Iterator[Sequence[T]]) -> Iterator[Sequence[T]]:
    """Rows of cells, stopped with an error once more than MAX_CELLS cells were read."""
    seen = 0
    for row in items:
        seen += max(1, len(row))
        if seen > MAX_CELLS:
            raise too_much(path, f"有超过 {MAX_CELLS} 个单元格", f"{MAX_CELLS} 个")
        texts = (getattr(c, "value", c) for c in row)  # values, or cells (whose format is read too)
        longest = max((len(v) for v in texts if isinstance(v, str)), default=0)
        if longest > MAX_PARAGRAPH_CHARS:
            raise too_much(path, f"有一个单元格长达 {longest} 字", f"每格 {MAX_PARAGRAPH_CHARS} 字")
        yield row


def pdf_child_limits() -> None:  # pragma: no cover - runs in the pdftotext child process
    """The memory and CPU time pdftotext may use (set in the child before it starts)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (PDF_SECONDS, PDF_SECONDS))


def pdf_failed(path: Path, returncode: int) -> StorageError | None:
    """The error for a pdftotext killed by a limit (a signal), or None for an ordinary failure."""
    if returncode >= 0:
        return None
    return too_much(
        path,
        "读取时超出了内存或时间上限",
        f"内存 {PDF_MEMORY // _MB} MB、{PDF_SECONDS} 秒",
    )
