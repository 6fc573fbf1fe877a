"""A disk cache of validated forms, so each command does not validate the same form again.

Validating a form (and building pydantic's validators for it) costs more than anything else a
`check` does. The cache holds the validated Form pickled, keyed by the bytes of the form file,
of every file it read (its framework) and of the zjeval code that builds it (`code_files`), so
any change to any of them misses the cache. The cache lives in the user's cache folder
(ZJEVAL_CACHE_DIR, or XDG_CACHE_HOME/zjeval, or ~/.cache/zjeval); ZJEVAL_NO_CACHE=1 turns it off.
Anything that goes wrong with the cache only means the form is validated as if there were none.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Protocol

_PACKAGE = Path(__file__).resolve().parent.parent  # zjeval/
# the modules outside zjeval/form/ whose behaviour a cached form depends on: how its YAML is read
# (yamlio) and how answer values are parsed, cleaned and validated (parsing, textsafe, values)
OUTSIDE = ("yamlio.py", "answers/parsing.py", "textsafe.py", "answers/values.py")
_VERSION = 1


def code_files() -> list[Path]:
    """The code whose output is cached: every module of the form package (models, rules, loader …)
    and the OUTSIDE modules it relies on."""
    form = sorted(Path(__file__).resolve().parent.rglob("*.py"))
    return [*form, *(_PACKAGE / name for name in OUTSIDE)]


def cache_dir() -> Path | None:
    if os.environ.get("ZJEVAL_NO_CACHE"):
        return None
    if os.environ.get("ZJEVAL_CACHE_DIR"):
        return Path(os.environ["ZJEVAL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zjeval"


class _Hash(Protocol):
    """hashlib's object, as far as the keys use it."""

    def update(self, data: bytes, /) -> None: ...
    def copy(self) -> _Hash: ...
    def hexdigest(self) -> str: ...


def _code() -> _Hash:
    """The hash of the code, to be continued with the files a key names (hashlib's object)."""
    h = hashlib.sha256(f"zjeval-form-cache-{_VERSION}".encode())
    _update(h, code_files())
    return h


def _update(h: _Hash, paths: list[Path]) -> None:
    for path in paths:
        h.update(str(path).encode("utf-8", "surrogateescape"))
        h.update(path.read_bytes())


def _digest(paths: list[Path], code: _Hash | None = None) -> str:
    """The key of these files and the code (`code`: _code() when the caller has it already: a
    lookup makes two keys, and reads the code once)."""
    h = (code if code is not None else _code()).copy()
    _update(h, paths)
    return str(h.hexdigest())


def get(form_path: Path) -> object:
    """What was cached for this file (the caller checks it is a Form), or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        code = _code()
        entry = folder / f"{_digest([form_path], code)}.pickle"
        with open(entry, "rb") as f:
            sources, form = pickle.load(f)  # our own file, written by put() below
        # the form's other sources (its framework) must be unchanged too
        if sources and not (folder / f"{_digest([form_path, *sources], code)}.ok").exists():
            return None
        return form
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None


def put(form_path: Path, sources: list[Path], form: object) -> None:
    """Remember a validated form and the other files it was built from."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        code = _code()
        entry = folder / f"{_digest([form_path], code)}.pickle"
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps((sources, form), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, entry)
        (folder / f"{_digest([form_path, *sources], code)}.ok").touch()
    except (OSError, pickle.PickleError):
        pass
