"""Output formats behind one registry; a format's module is imported only when it is asked for."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from zjeval.errors import ZjevalError
from zjeval.report.model import Report


class Renderer(Protocol):
    def render(self, report: Report) -> str | bytes: ...


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # a module with render(report) -> str | bytes
    suffixes: tuple[str, ...]
    description: str
    binary: bool = False  # written to a file only, never to the terminal


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("text", "zjeval.report.render.text", (".txt", ".text"), "纯文本,按正式提纲编号"),
        Format("md", "zjeval.report.render.markdown", (".md", ".markdown"), "Markdown,便于审阅和比较版本"),
        Format("docx", "zjeval.report.render.docx", (".docx",), "Word 文档,公文格式(GB/T 9704)", binary=True),
        Format("xlsx", "zjeval.report.render.xlsx", (".xlsx",), "Excel 工作簿:数据表和评分表", binary=True),
        Format(
            "pdf", "zjeval.report.render.pdf", (".pdf",), "PDF,由 LibreOffice 从 Word 文档转换", binary=True
        ),
    ]
}


def names() -> str:
    return "、".join(FORMATS)


def pick(fmt: str | None, output: Path | None) -> Renderer:
    """The renderer for --format, else for the output file's suffix, else text.

    A binary format (DOCX, XLSX) needs an output file: it is never written to the terminal.
    """
    if fmt is None and output is not None and output.suffix:
        suffix = output.suffix.lower()
        matches = [f for f in FORMATS.values() if suffix in f.suffixes]
        if not matches:
            raise ZjevalError(
                f"无法从扩展名 {output.suffix} 判断输出格式", f"请用 --format 指定,可用格式:{names()}"
            )
        fmt = matches[0].name
    chosen = FORMATS.get(fmt or "text")
    if chosen is None:
        raise ZjevalError(f"未知的输出格式 {fmt}", f"可用格式:{names()}")
    if chosen.binary and output is None:
        raise ZjevalError(
            f"{chosen.name} 格式需要输出到文件",
            f"请加 -o,例如:zjeval render 2019 -o 报告{chosen.suffixes[0]}",
        )
    module: Renderer = importlib.import_module(chosen.module)
    return module
