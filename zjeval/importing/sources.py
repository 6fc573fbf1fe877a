"""Read a published report (text, Markdown or Word) into a list of paragraphs.

Pure except for reading the file. Text is decoded as UTF-8, falling back to GB18030 (what
Windows tools in China save by default). Markdown loses its heading marks, emphasis, list
bullets and table pipes; a Word file gives its paragraphs and table rows in document order,
each row as one line "cell1 cell2 …" (some reports put the 评价小组 in a table).
python-docx is imported only when a .docx is read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from zjeval.errors import StorageError, ZjevalError
from zjeval.importing import limits

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docx.table import _Cell

SUFFIXES = (".txt", ".md", ".docx", ".xlsx", ".pdf", ".xls", ".ods", ".doc", ".wps")

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CJK_ONLY = re.compile(r"^[\u3400-\u9fff\s]+$")


@limits.text
def read(path: Path) -> list[str]:
    """The paragraphs of a report file, in order (blank lines kept out)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ZjevalError(
            f"不支持的文件类型 {path.suffix or '(无扩展名)'}:{path.name}",
            "可以导入的文件类型:.txt(网页另存的文本)、.md(Markdown)、.docx/.doc/.wps(Word、WPS 文档)、"
            ".xlsx/.xls/.ods(数据表、评分表、自评表)、.pdf(有文字层的 PDF)",
        )
    if not path.is_file():
        raise StorageError(f"找不到文件 {path}", "请检查路径是否正确")
    limits.check_file(path)
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".xlsx":
        return _xlsx(path)
    from zjeval.importing import office

    if suffix in office.WORD:
        return office.with_docx(path, _docx)
    if suffix in office.SHEETS:
        return [
            line
            for _, rows in office.sheets(path)
            for row in rows
            if (line := row_text([cell_value(v) for v in row], merged_repeat=False))
        ]
    if suffix == ".pdf":
        from zjeval.importing import pdf

        return pdf.read(path)
    text = _decode(path.read_bytes(), path)
    return _markdown(text) if suffix == ".md" else _text(text)


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StorageError(f"无法识别 {path.name} 的文字编码", "请用记事本或 WPS 另存为 UTF-8 编码后再导入")


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _text(text: str) -> list[str]:
    return [line.rstrip() for line in _lines(text) if line.strip()]


def cell_text(text: str) -> str:
    """One table cell as a single token: '组  长' -> '组长', '陈  铖' -> '陈铖' (CJK padding removed)."""
    text = " ".join(text.split())
    return text.replace(" ", "") if _CJK_ONLY.match(text) else text


def row_text(cells: list[str], merged_repeat: bool = True) -> str:
    """A table row as one line. Word repeats a merged cell's text in each cell it spans, so equal
    neighbours count once (`merged_repeat`); a workbook leaves them empty, so equal neighbours
    there are two cells (a 分值 of 15 and a 得分 of 15)."""
    out: list[str] = []
    for cell in cells:
        text = cell_text(cell)
        if text and (not merged_repeat or not out or out[-1] != text):
            out.append(text)
    return " ".join(out)


def _markdown(text: str) -> list[str]:
    out: list[str] = []
    for raw in _lines(text):
        line = raw.rstrip()
        if not line.strip() or _MD_RULE.match(line) or _TABLE_SEPARATOR.match(line):
            continue
        if line.lstrip().startswith("|"):
            out.append(row_text(line.strip().strip("|").split("|"), merged_repeat=False))
            continue
        line = _MD_HEADING.sub("", line)
        line = _MD_BULLET.sub("", line)
        line = line.lstrip(">").strip() if line.lstrip().startswith(">") else line
        line = _MD_EMPHASIS.sub(r"\2", line)
        if line.strip():
            out.append(line.rstrip())
    return out


@limits.guarded("Word 文档")
def _docx(path: Path) -> list[str]:
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise ZjevalError("读取 .docx 需要 python-docx", "请先安装:pip install python-docx") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        hint = "请确认文件是 .docx 格式且未损坏"
        raise StorageError(f"无法打开 Word 文档 {path.name}:{exc}", hint) from None
    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text
            if paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER:
                text = text.replace("\n", "")  # a title broken into lines by meaning is one title
            out.extend(line.rstrip() for line in _lines(text) if line.strip())
        elif tag == "tbl":
            for row in Table(child, document).rows:
                line = row_text(_distinct_cells(row.cells), merged_repeat=False)
                if line:
                    out.append(line)
    return out


def _distinct_cells(cells: Sequence[_Cell]) -> list[str]:
    """A Word row's cells, a merged cell once: python-docx gives a cell spanning columns (or
    continuing a vertical merge) once per grid column, as the same element. Two cells that only
    hold equal text (分值 150.00, 执行数 150.00) are different fields and both stay."""
    out: list[str] = []
    seen: set[int] = set()
    for cell in cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append(cell.text)
    return out


@limits.guarded("Excel 文件")
def _xlsx(path: Path) -> list[str]:
    """Each sheet's rows as lines 'cell cell …' (the 数据表 and 评分表 of a workbook)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        hint = "请确认文件是 .xlsx 格式且未损坏"
        raise StorageError(f"无法打开 Excel 文件 {path.name}:{exc}", hint) from None
    out: list[str] = []
    for sheet in book.worksheets:
        for row in limits.sheet_rows(path, sheet):
            line = row_text(
                [cell_value(c.value, getattr(c, "number_format", "")) for c in row], merged_repeat=False
            )
            if line:
                out.append(line)
    book.close()
    return out


_LITERAL = re.compile(r'"([^"]*)"')


def cell_value(value: object, number_format: str = "") -> str:
    """A cell as a reader sees it: a number with the Chinese words its format shows after it
    (1 formatted 0"处问题" reads 1处问题; a unit such as "%" has its own column and is left out)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # a workbook keeps 4480.45 as a float: print it as written
        text = repr(value) if isinstance(value, float) and value != int(value) else str(int(value))
        words = [w for w in _LITERAL.findall(number_format or "") if re.search(r"[\u4e00-\u9fff]", w)]
        return text + "".join(words)
    return str(value)
