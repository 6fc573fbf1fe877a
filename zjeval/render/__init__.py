"""Output formats behind one registry; a format's module is imported only when it is asked for."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from zjeval.errors import ZjevalError
from zjeval.report import Report


class Renderer(Protocol):
    def render(self, report: Report) -> str | bytes: ...


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # a module with render(report) -> str | bytes
    suffixes: tuple[str, ...]
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("text", "zjeval.render.text", (".txt", ".text"), "纯文本,按正式提纲编号"),
    ]
}


def names() -> str:
    return "、".join(FORMATS)


def pick(fmt: str | None, output: Path | None) -> Renderer:
    """The renderer for --format, else for the output file's suffix, else text."""
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
    module: Renderer = importlib.import_module(chosen.module)
    return module
