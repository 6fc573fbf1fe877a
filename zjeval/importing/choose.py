"""Which built-in form fits a report best, with no code naming any form.

Each built-in form with an `import:` block scores its heading aliases against the report (a
point for each heading line it recognises, two for each of its sections found). The forms that
recognise anything are then tried: the report is imported into each, and the form that places
the largest share of the paragraphs wins; the heading score breaks a tie, then the default
form. A new built-in form with its own `import:` block takes part with no code change.
"""

from __future__ import annotations

import re

from zjeval.errors import ZjevalError
from zjeval.form import loader
from zjeval.form.models import Form
from zjeval.importing import page
from zjeval.importing import patterns as P
from zjeval.importing.state import headings

TABLE_ORIGINS = ("自评表", "附件表格")  # State.origin while the attached tables are read


def _forms() -> dict[str, Form]:
    out: dict[str, Form] = {}
    for name in loader.builtin_forms():
        try:
            form = loader.load(name)
        except ZjevalError:  # a broken built-in form simply does not compete
            continue
        if form.import_ is not None:
            out[name] = form
    return out


def scores(paragraphs: list[str]) -> dict[str, int]:
    """Heading score of each built-in form that has an `import:` block."""
    lines = [P.clean(x) for p in paragraphs for x in p.splitlines()]
    lines = [x for x in lines if x and len(P.strip_number(x)) <= P.HEADING_MAX + 10]
    out: dict[str, int] = {}
    for name, form in _forms().items():
        assert form.import_ is not None
        heads = headings(form.import_)
        hits = [h for line in lines if (h := P.heading_key(line, heads)) is not None]
        out[name] = len({sid for sid, _ in hits}) * 2 + len(hits)
    return out


def trial(form: Form, paragraphs: list[str], year: int | None) -> tuple[int, float]:
    """(values read from the attached tables, share of the paragraphs placed) of a trial import."""
    from zjeval.importing.mapping import import_paragraphs

    try:
        result = import_paragraphs(form, paragraphs, year if year is not None else 2000)
    except ZjevalError:
        return 0, 0.0
    total = sum(b for _, _, b in result.placed)
    tables = sum(o.get("from") in TABLE_ORIGINS for o in result.answers.origins.values())
    return tables, sum(a for _, a, _ in result.placed) / total if total else 0.0


def placed_share(form: Form, paragraphs: list[str], year: int | None) -> float:
    return trial(form, paragraphs, year)[1]


def best_form(paragraphs: list[str], year: int | None = None) -> str:
    """The form whose `report: titles:` the report's title says (部门整体 / 项目支出), then the one
    reading most from the tables the text holds (a 自评表's header, funds and rows into its
    fields), then the one placing most of the text, the one recognising most headings, the default."""
    default = loader.DEFAULT_FORM
    table = scores(paragraphs)
    if len(table) <= 1:
        return next(iter(table), default)
    forms = _forms()
    title = page.trim_portal([P.clean(x) for p in paragraphs for x in p.splitlines() if x.strip()])[0]
    ranked = {}
    for name, score in table.items():
        spec = forms[name].import_
        titled = spec is not None and any(re.search(t, title) for t in spec.report.titles)
        tables, share = trial(forms[name], paragraphs, year)
        ranked[name] = (titled, tables, round(share, 3), score, name == default)
    return max(ranked, key=lambda name: ranked[name])
