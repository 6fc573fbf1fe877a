"""The one way from answers to a document on disk: answers → Report → format → bytes → file.

`document` builds the (cleaned) Report and renders it in one format; `write` puts the result in
place atomically (answers.files' promises: through links, mode kept, never half a file). `zjeval
render`, the end of `zjeval new` and `zjeval projects render` all write through here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from zjeval.answers.files import refuse_overwrite, write_atomic

if TYPE_CHECKING:
    from zjeval.answers.model import Answers
    from zjeval.form.models import Form
    from zjeval.report.render import Renderer


def document(renderer: Renderer, form: Form, answers: Answers, draft: bool = False) -> str | bytes:
    """The report for these answers in the renderer's format (text as str, DOCX/XLSX/PDF as bytes)."""
    from zjeval.report import build

    return renderer.render(build.build(form, answers, draft=draft))


def write(path: Path, data: str | bytes, force: bool) -> None:
    """Write an output file; one that exists is only replaced with `force` (a StorageError in Chinese
    when it cannot be written)."""
    refuse_overwrite(path, force)
    write_atomic(path, data)
