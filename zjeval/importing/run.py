"""One import from start to end, for one report or a folder of them: read the file, choose the
form (unless given), map the report into answers. Reading the file is the only disk access;
saving stays with the command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zjeval.errors import ZjevalError
from zjeval.form.models import Form

if TYPE_CHECKING:
    from zjeval.importing.mapping import ImportResult


@dataclass(frozen=True)
class Outcome:
    """One report of a folder import: where its answers went, or why it could not be imported."""

    source: Path
    target: Path | None = None
    form: str = ""
    unit: str = ""
    year: int | None = None
    typed: int = 0  # answers read
    doubtful: int = 0  # of them, marked doubtful
    leftovers: int = 0  # paragraphs left unplaced
    error: str = ""


def report(source: Path, year: int | None, form: str | None) -> tuple[Form, ImportResult]:
    """(form, ImportResult) for one report file."""
    from zjeval.form import loader
    from zjeval.importing import choose, sources
    from zjeval.importing.mapping import import_paragraphs

    paragraphs = sources.read(source)
    the_form = loader.load(form) if form else loader.load(choose.best_form(paragraphs, year))
    return the_form, import_paragraphs(the_form, paragraphs, year)


def folder_files(folder: Path) -> list[Path]:
    """The reports of a folder (not its subfolders), in name order: every file import can read."""
    from zjeval.importing.sources import SUFFIXES

    try:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    except OSError as exc:
        raise ZjevalError(f"无法读取文件夹 {folder}:{exc.strerror or exc}", "请检查路径和权限") from None
    if not files:
        raise ZjevalError(
            f"文件夹 {folder} 中没有可导入的报告",
            "可以导入的文件类型:" + "、".join(SUFFIXES),
        )
    return files


def target_for(source: Path, out_dir: Path, taken: set[Path]) -> Path:
    """One answers file per report, named after it; a second report with the same name (报告.doc
    beside 报告.pdf) keeps its extension in the name."""
    path = out_dir / f"{source.stem}.yaml"
    if path in taken:
        path = out_dir / f"{source.stem}-{source.suffix.lstrip('.').lower()}.yaml"
    taken.add(path)
    return path
