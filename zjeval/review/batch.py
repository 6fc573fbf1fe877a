"""A batch of submissions: DIR|GLOB|FILE arguments -> files -> each one's form and answers.

Answers files (.yaml) are loaded with their own form; the units' documents (.docx, .xlsx, .pdf,
.txt, .md) are read through import, which picks the best built-in form. A file that cannot be
read becomes a Submission carrying the reason, never a stop.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zjeval.answers.model import Answers
from zjeval.errors import ZjevalError
from zjeval.form.models import Form

ANSWERS = (".yaml", ".yml")
DOCUMENTS = (".txt", ".md", ".docx", ".xlsx", ".pdf")
GLOB_CHARS = frozenset("*?[")
# a total score as a report states it: 自评得分为 94.58 分, 总得分 88 分
STATED_SCORE = re.compile(r"(?:自评)?(?:总)?得分(?:为|是)?\s*(\d{1,3}(?:\.\d+)?)\s*分")


@dataclass(frozen=True)
class Submission:
    """One file of the batch: its form and answers, or why it could not be read."""

    path: Path
    form: Form | None = None
    answers: Answers | None = None
    error: str = ""
    imported: bool = False  # read from a document through import, not from an answers file
    stated: str = ""  # a document's own paragraph stating its total score (import keeps no such sentence)


def expand(targets: list[str]) -> list[Path]:
    """The files the arguments name, in order, without repeats: a directory gives every answers
    file and document under it; a glob what it matches; a file itself."""
    out: dict[Path, None] = {}
    for target in targets:
        path = Path(target)
        if GLOB_CHARS & set(target):
            matches = [Path(m) for m in sorted(glob.glob(target, recursive=True))]
            found = [m for m in matches if m.is_file() and m.suffix.lower() in ANSWERS + DOCUMENTS]
            if not found:
                raise ZjevalError(f"没有与 {target} 匹配的答案文件或报告", "请检查通配符和目录")
            out.update((m, None) for m in found)
        elif path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ANSWERS + DOCUMENTS
            )
            if not found:
                raise ZjevalError(f"目录 {path} 中没有答案文件(.yaml)或报告(.docx、.xlsx、.pdf、.txt)")
            out.update((p, None) for p in found)
        elif path.exists():
            out[path] = None
        else:
            raise ZjevalError(f"找不到 {target}", "请给出目录、文件或通配符,例如 zjeval review 报送材料/")
    return list(out)


def load_one(path: Path) -> Submission:
    """One file as a Submission; anything that stops it from being read is its error."""
    try:
        if path.suffix.lower() in ANSWERS:
            from zjeval.answers import store

            form, answers = store.load(path)
            return Submission(path, form, answers)
        from zjeval.form import loader as forms
        from zjeval.importing import choose, mapping, sources

        paragraphs = sources.read(path)
        form = forms.load(choose.best_form(paragraphs))
        answers = mapping.import_paragraphs(form, paragraphs).answers
        answers.source = path
        stated = next((p for p in paragraphs if STATED_SCORE.search(p)), "")
        return Submission(path, form, answers, imported=True, stated=stated)
    except ZjevalError as exc:
        return Submission(path, error=exc.message + (f"({exc.hint})" if exc.hint else ""))
    except Exception as exc:  # a broken document is a finding, never a stop
        return Submission(path, error=f"无法读取:{type(exc).__name__}: {exc}")


def load(paths: list[Path], progress: Callable[[int, int], None] | None = None) -> list[Submission]:
    out = []
    for i, path in enumerate(paths, 1):
        out.append(load_one(path))
        if progress is not None:
            progress(i, len(paths))
    return out
