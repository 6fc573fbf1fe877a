"""The one template mini-language of forms, used by the loader, the report and import. Pure.

    {id}          an answer, formatted by its question's type
    {id|count}    a list answer's number of items
    {id|join}     a list answer's items joined with 、
    [[ … ]]       an optional part: dropped when any answer in it is missing

The caller supplies how a name becomes text (`lookup`), so the same template serves the report
(answers formatted, gaps marked), import (what a sentence would read with the answers so far)
and the loader (which names a template uses).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\|([a-z]+))?\}")
OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)
FILTERS = frozenset({"count", "join"})
# an optional part or a field, whichever comes first: expand() goes through a template once
_TOKEN = re.compile(f"{OPTIONAL.pattern}|{FIELD.pattern}", re.S)

Lookup = Callable[[str, "str | None"], "str | None"]  # (name, filter) -> text, or None when unanswered


def fields(template: str) -> Iterator[tuple[str, str | None]]:
    """Every (name, filter) a template uses, optional parts included, in order."""
    for m in FIELD.finditer(template):
        yield m[1], m[2]


def expand(template: str, lookup: Lookup, missing: Callable[[], str] = lambda: "") -> str:
    """Fill a template: an optional part goes when any of its answers is missing; any other
    missing answer becomes `missing()` (the report's 【待填写】, import's nothing).

    The template is read once, left to right: what a field is filled with is never read again, so
    an answer that happens to contain {name} or [[…]] stays the user's text."""

    def one(name: str, flt: str | None) -> str:
        value = lookup(name, flt)
        return missing() if value is None else value

    def token(m: re.Match[str]) -> str:
        if m[1] is None:  # a field
            return one(m[2], m[3])
        inner = m[1]  # an optional part
        if any(lookup(name, flt) is None for name, flt in fields(inner)):
            return ""
        return FIELD.sub(lambda f: one(f[1], f[2]), inner)

    return _TOKEN.sub(token, template)


def literal_parts(template: str) -> list[str]:
    """The fixed words of a template (between its fields), optional parts included.

    '经自评，{unit}得分为{score}分' -> ['经自评，', '得分为', '分'].
    """
    flat = OPTIONAL.sub(lambda m: m[1], template)
    return [part for part in FIELD.split(flat)[::3] if part]


def pattern(template: str, known: dict[str, str] | None = None) -> re.Pattern[str]:
    """A regex that matches what the template generates, each field as a named group (the first
    use of a name; optional parts may be absent). Used by import to recognise generated sentences.
    `known` fields match their text literally, so the groups left are the fields still unknown."""
    known = known or {}
    seen: set[str] = set()
    out: list[str] = []
    pos = 0

    def literal(text: str) -> str:
        return re.escape(text)

    def group(m: re.Match[str]) -> str:
        name = m[1]
        if m[0] in known or name in known:
            return re.escape(known.get(m[0], known.get(name, "")))
        if name in seen:
            return ".+?"
        seen.add(name)
        return f"(?P<{name}>.+?)"

    def piece(text: str) -> str:
        parts: list[str] = []
        last = 0
        for m in FIELD.finditer(text):
            parts.append(literal(text[last : m.start()]))
            parts.append(group(m))
            last = m.end()
        parts.append(literal(text[last:]))
        return "".join(parts)

    for m in OPTIONAL.finditer(template):
        out.append(piece(template[pos : m.start()]))
        out.append(f"(?:{piece(m[1])})?")
        pos = m.end()
    out.append(piece(template[pos:]))
    return re.compile("^" + "".join(out) + "$", re.S)
