"""PyYAML, imported without compiling at once the pattern its pure-Python reader checks text with.

Importing PyYAML compiles `yaml.reader.Reader.NON_PRINTABLE`, a character class over nearly all
of Unicode whose compilation is a Python loop over each code point of the BMP: ~57M instructions
(~15 ms), a fifth of what `check` costs on top of a bare typer command. zjeval reads through
libyaml (CSafeLoader), which checks the characters itself and never uses that pattern; only the
pure-Python SafeLoader (PyYAML without libyaml) does. Here that one pattern is compiled when a
reader first uses it: the same pattern and the same matches, later. Every other pattern PyYAML
compiles is compiled as before. If PyYAML is already imported, or spells the pattern differently,
nothing changes (tests/test_pyyaml.py says when the spelling no longer matches).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

# yaml/reader.py's Reader.NON_PRINTABLE, as PyYAML 5.1-6.0 writes it
NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"

_compile = re.compile


class OnFirstUse:
    """Stands for `re.compile(pattern, flags)`, compiled when one of its attributes is first read."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> object:
        if self._compiled is None:
            self._compiled = _compile(*self._args)
        return getattr(self._compiled, name)


@contextlib.contextmanager
def _reader_pattern_deferred() -> Iterator[None]:
    def compile_(pattern: object, flags: int = 0) -> object:
        if pattern == NON_PRINTABLE and flags == 0:
            return OnFirstUse(NON_PRINTABLE, flags)
        return _compile(pattern, flags)  # type: ignore[call-overload]

    setattr(re, "compile", compile_)  # noqa: B010 (mypy: a module's function is not assignable)
    try:
        yield
    finally:
        setattr(re, "compile", _compile)  # noqa: B010


with _reader_pattern_deferred():
    import yaml

__all__ = ["yaml"]
