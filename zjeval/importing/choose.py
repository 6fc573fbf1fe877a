"""Which built-in form fits a report best, with no code naming any form.

Each built-in form with an `import:` block scores its heading aliases against the report (a
point for each heading line it recognises, two for each of its sections found). The forms that
recognise anything are then tried: the report is imported into each, and the form that places
the largest share of the paragraphs wins; the heading score breaks a tie, then the default
form. A new built-in form with its own `import:` block takes part with no code change.
"""

from __future__ import annotations

from zjeval.errors import ZjevalError
from zjeval.form import loader
from zjeval.form.models import Form
from zjeval.importing import patterns as P
from zjeval.importing.state import headings


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


def placed_share(form: Form, paragraphs: list[str], year: int | None) -> float:
    from zjeval.importing.mapping import import_paragraphs

    try:
        result = import_paragraphs(form, paragraphs, year if year is not None else 2000)
    except ZjevalError:
        return 0.0
    total = sum(b for _, _, b in result.placed)
    return sum(a for _, a, _ in result.placed) / total if total else 0.0


def best_form(paragraphs: list[str], year: int | None = None) -> str:
    default = loader.DEFAULT_FORM
    table = {name: score for name, score in scores(paragraphs).items() if score > 0}
    if len(table) <= 1:
        return next(iter(table), default)
    forms = _forms()
    ranked = {
        name: (round(placed_share(forms[name], paragraphs, year), 3), score, name == default)
        for name, score in table.items()
    }
    return max(ranked, key=lambda name: ranked[name])
