"""The text layer of a PDF, as paragraphs: pdftotext (poppler-utils) run as a subprocess.

Why pdftotext: it is the standard text extractor on Linux (poppler, also on macOS through
Homebrew and on Windows with the poppler builds), reads CJK text through the fonts' ToUnicode
maps, and adds no Python dependency. A page's hard line breaks are joined back into paragraphs;
page numbers ('— 1 —', '- 2 -') go. A scanned PDF has no text layer: a clear error, not an
empty import.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from zjeval.errors import StorageError, ZjevalError
from zjeval.importing import limits

_PAGE_NUMBER = re.compile(r"^[—\-－–\s]*\d{1,3}[—\-－–\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
# the space a PDF puts between Chinese and a number ('2024 年度', '3 号')
_CJK = r"\u3400-\u9fff，。、：；！？（）《》〔〕“”"
_SPACED = re.compile(rf"(?<=[{_CJK}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%.])\s+(?=[{_CJK}])")
_ENDS = '。；;：:！？!?）)》”"'
_STARTS_ITEM = re.compile(
    r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．](?!\d)|[①-⑳]|附件|组\s*长|副组长|成\s*员)"
)


def read(path: Path) -> list[str]:
    if not path.is_file():
        raise StorageError(f"找不到文件 {path}", "请检查路径是否正确")
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ZjevalError(
            "读取 .pdf 需要 pdftotext(poppler-utils)",
            "请先安装:apt-get install poppler-utils(macOS:brew install poppler),或用 WPS 把 PDF 另存为 .docx",
        )
    try:
        done = subprocess.run(
            [exe, "-layout", "-enc", "UTF-8", "-l", str(limits.MAX_PAGES), str(path), "-"],
            capture_output=True,
            timeout=limits.PDF_SECONDS,
            check=False,
            preexec_fn=limits.pdf_child_limits if hasattr(os, "fork") else None,
        )
    except subprocess.TimeoutExpired:
        raise limits.too_much(path, "读取超过了时间上限", f"{limits.PDF_SECONDS} 秒") from None
    except OSError as exc:
        raise StorageError(f"无法读取 PDF 文件 {path.name}:{exc}") from None
    if (killed := limits.pdf_failed(path, done.returncode)) is not None:
        raise killed
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise StorageError(
            f"无法读取 PDF 文件 {path.name}:{message[-1] if message else done.returncode}",
            "请确认文件是 PDF 格式且未损坏、未加密;也可以用 WPS 另存为 .docx 或 .txt 后再导入",
        )
    text = done.stdout.decode("utf-8", "replace")
    if len(re.sub(r"\s", "", text)) < 20:
        raise ZjevalError(
            f"{path.name} 没有文字层(可能是扫描件),无法读出文字",
            "请先用 WPS 或其他 OCR 工具把它识别成文字,另存为 .docx 或 .txt 后再导入",
        )
    return paragraphs(text)


def paragraphs(text: str) -> list[str]:
    """A page's lines joined into paragraphs: a line that fills the width and does not end a
    sentence continues on the next, unless that one starts a numbered item."""
    raw = [x.rstrip() for x in text.replace("\f", "\n").splitlines()]
    raw = [x for x in raw if x.strip() and not _PAGE_NUMBER.match(x.strip())]
    # -layout keeps the page's columns: a paragraph's first line stands further in than the rest,
    # and a table row's cells are apart by runs of spaces (one space between them here)
    margin = min((len(x) - len(x.lstrip()) for x in raw), default=0)
    indented = {i for i, x in enumerate(raw) if x[margin : margin + 1] in (" ", "\u3000")}
    spread = {i for i, x in enumerate(raw) if _letter_spaced(x)}  # justified: as wide as any line
    lines = [" ".join(_cell(c) for c in re.split(r"\s{2,}", x.strip())) for x in raw]
    if not lines:
        return []
    # how far a line reaches across the page, as printed (a justified line is stretched to the edge)
    reach = [_width(x.rstrip()) - margin for x in raw]
    # a full line of body text: the reach most lines have (tables on landscape pages reach further)
    common = Counter(r for r in reach if r >= 20).most_common(1)
    if common and common[0][1] > 1:
        full = common[0][0]
    else:  # too few lines to tell: nearly the widest
        widths = sorted(reach)
        full = widths[int(len(widths) * 0.9)] if len(widths) >= 5 else max(widths)
    out: list[str] = []
    for i, line in enumerate(lines):
        prev = out[-1] if out else ""
        wide = (
            i > 0
            and (reach[i - 1] >= full * 0.85 or i - 1 in spread)
            and i not in indented
            and not prev.endswith("报告")
        )
        if prev and wide and not prev.endswith(tuple(_ENDS)) and not _STARTS_ITEM.match(line):
            out[-1] = prev + line
        else:
            out.append(line)
    return out


def _width(text: str) -> int:
    """Columns a line takes as laid out: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str) -> str:
    """One cell of a laid-out line, its letter spacing (a justified line) and the spaces a PDF
    puts between Chinese and numbers taken out."""
    return _SPACED.sub("", "".join(text.split()) if _letter_spaced(text) else text)


def _letter_spaced(line: str) -> bool:
    """A justified line the PDF spread out, a space after every character ('2024 年 ， 示 例 市 …'):
    the next word did not fit, so the line still runs on into the next."""
    tokens = line.split()
    return len(tokens) >= 8 and sum(len(t) == 1 for t in tokens) >= 0.8 * len(tokens)
