"""Driving the real `zjeval` in a pseudo-terminal, as a person at a keyboard would.

prompt_toolkit works in a pty with TERM=xterm-256color; PROMPT_TOOLKIT_NO_CPR=1 stops it
asking the (absent) terminal for the cursor position and waiting for an answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20

CLEAR = "\x15"  # Ctrl-U: delete the prefilled text before the cursor
DOWN = "\x1b[B"
UP = "\x1b[A"
ESC_ENTER = "\x1b\r"  # finish a multiline prompt (the old way; Enter does it now)
NEWLINE = "\n"  # Ctrl-J: a new paragraph in a long text
CTRL_C = "\x03"


def terminal_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="120", LINES="40")
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def spawn(*args: str, env: dict[str, str] | None = None, columns: int = 120, rows: int = 40) -> Any:
    """`python -m zjeval ARGS` in a pseudo-terminal (40 lines unless told)."""
    import pexpect  # type: ignore[import-untyped]

    return pexpect.spawn(
        sys.executable,
        ["-m", "zjeval", *args],
        cwd=str(ROOT),
        env=env or terminal_env(),
        dimensions=(rows, columns),
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def finish(child: Any) -> int:
    """Wait for the program to end; its exit status."""
    import pexpect

    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus)
