"""All terminal styling in one place: consoles, error display, tables.

rich honours NO_COLOR and drops styling when output is not a terminal; widths are
measured in terminal cells, so CJK text lines up.
"""

from __future__ import annotations

import contextlib
import sys
from functools import cache
from typing import TYPE_CHECKING

from zjeval import textsafe
from zjeval.errors import AnswersError, FormError, Interrupted, ZjevalError

if TYPE_CHECKING:
    from rich.console import Console


def _utf8(stream: object) -> None:
    """UTF-8 out, whatever the locale says.

    Windows consoles and some CI runners default to a legacy code page, and our text is Chinese.
    In an ASCII locale a Chinese file name reaches Python as surrogate escapes; writing them back
    with surrogateescape prints the name's own bytes instead of failing.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    with contextlib.suppress(ValueError, OSError):  # a stream that cannot change keeps its own
        reconfigure(encoding="utf-8", errors="surrogateescape")


def is_terminal(stream: object) -> bool:
    """Whether output goes to a person's terminal (not a pipe, a file or a test runner)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed or odd stream
        return False


def setup_streams() -> None:
    """Called once at start-up, before anything is printed."""
    _utf8(sys.stdout)
    _utf8(sys.stderr)


def discard(stream: object) -> None:
    """What is still to be written to `stream` goes to the null device: the reader closed the pipe
    (`zjeval score | head`), which is the reader's choice, not an error (nor a message at exit)."""
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):  # a stream without a descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())  # type: ignore[attr-defined]


@cache
def out() -> Console:
    from rich.console import Console

    _utf8(sys.stdout)
    console = Console(highlight=False, soft_wrap=False)
    console.on_broken_pipe = lambda: discard(sys.stdout)  # type: ignore[method-assign]  # rich exits 1
    return console


@cache
def err() -> Console:
    from rich.console import Console

    _utf8(sys.stderr)
    return Console(stderr=True, highlight=False)


def show_error(exc: ZjevalError) -> None:
    """Message, the detail lines, then the hint: what, where, what to do next."""
    console = err()
    label = "[yellow]已中断:[/]" if isinstance(exc, Interrupted) else "[bold red]错误:[/]"
    console.print(f"{label}{escape(exc.message)}", soft_wrap=True)
    lines = exc.lines if isinstance(exc, (FormError, AnswersError)) else []
    for line in lines:
        console.print(f"  • {textsafe.clean(line)}", markup=False, soft_wrap=True)
    if exc.hint:
        console.print(f"[yellow]提示:[/]{escape(exc.hint)}", soft_wrap=True)


def escape(text: str) -> str:
    """User text for rich: no markup, and no control characters (no escape sequence) on the terminal."""
    from rich.markup import escape as _escape

    return _escape(textsafe.clean(text))
