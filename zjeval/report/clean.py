"""Control characters out of a report before any renderer sees it, the same way for every format.

Answers are cleaned when they are read (answers.values.strip_control); this catches what reaches a
report by other roads (a form's own text, an imported paragraph) so that no format crashes on it
(XLSX refuses control characters, DOCX would drop them silently, text would pass them through).
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar, cast

from zjeval.answers.parsing import strip_control

T = TypeVar("T")


def report(document: T) -> T:
    """The same report (frozen dataclasses, rebuilt only where needed) with no control characters."""
    return cast(T, _clean(document))  # each part is rebuilt as the type it was


def _clean(obj: object) -> object:
    if isinstance(obj, str):
        return strip_control(obj)
    if isinstance(obj, tuple):
        items = tuple(_clean(x) for x in obj)
        return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            if not f.init:
                continue
            old = getattr(obj, f.name)
            new = _clean(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(obj, **changes) if changes else obj
    return obj
