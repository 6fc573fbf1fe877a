"""The one character filter: what no output format can hold and no user ever means. Pure.

Removed from every answer when it is read, from every report before a renderer sees it, and from
every line zjeval prints to a terminal:
- control characters other than tab, newline and carriage return (C0, DEL, C1 — ESC among them,
  so no escape sequence reaches a terminal);
- non-characters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF
  among them), which XLSX refuses and DOCX drops;
- lone surrogates (a "\\ud800" escape in a YAML string), which cannot be written as UTF-8.
"""

from __future__ import annotations

import functools
import re

_PLANES = range(0, 0x110000, 0x10000)
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in _PLANES)
_C0_C1_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
# The same, and any character beyond the BMP: a class of a few ranges is searched some 20 times
# faster than one listing the 34 non-characters, and nearly all text has none of these at all.
_SUSPECT = re.compile(f"[{_C0_C1_BMP}\ufffe\uffff-\U0010ffff]")


@functools.cache
def _filtered() -> re.Pattern[str]:
    """The exact class, compiled when some text first needs it (compiling it costs more than a
    whole answers file's cleaning, and nearly no run needs it)."""
    return re.compile(f"[{_C0_C1_BMP}{_NONCHARACTERS}]")


def clean(text: str) -> str:
    """The text without the characters listed above (tab, newline and carriage return stay)."""
    return _filtered().sub("", text) if _SUSPECT.search(text) else text
