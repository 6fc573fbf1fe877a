"""Which built-in form fits a report best: each form's heading aliases scored against it.

A form scores one point for each of its sections whose heading the report has, and a point for
each heading line it recognises; a form without an `import:` block scores nothing. Ties go to
the default form. A new built-in form with its own `import:` block takes part with no code change.
"""

from __future__ import annotations

from zjeval.form import loader
from zjeval.importing import patterns as P
from zjeval.importing.state import headings


def scores(paragraphs: list[str]) -> dict[str, int]:
    lines = [P.clean(x) for p in paragraphs for x in p.splitlines()]
    lines = [x for x in lines if x and len(P.strip_number(x)) <= P.HEADING_MAX + 10]
    out: dict[str, int] = {}
    for name in loader.builtin_forms():
        try:
            form = loader.load(name)
        except Exception:
            continue
        if form.import_ is None:
            continue
        heads = headings(form.import_)
        hits = [h for line in lines if (h := P.heading_key(line, heads)) is not None]
        out[name] = len({sid for sid, _ in hits}) * 2 + len(hits)
    return out


def best_form(paragraphs: list[str]) -> str:
    table = scores(paragraphs)
    default = loader.DEFAULT_FORM
    if not table:
        return default
    top = max(table.values())
    return default if table.get(default) == top else max(table, key=lambda k: table[k])
