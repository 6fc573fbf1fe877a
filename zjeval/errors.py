"""One error hierarchy: every user mistake is a ZjevalError with a message, a hint and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses; each error class owns one."""

    OK = 0
    INCOMPLETE = 1  # check found problems, or render refused an incomplete report
    USAGE = 2  # bad command-line arguments (typer's own code for usage errors)
    BAD_ANSWERS = 3  # the answers file cannot be read or has the wrong shape
    BAD_FORM = 4  # the form definition is invalid
    NO_TERMINAL = 5  # an interactive command without a terminal
    IO = 6  # a file cannot be read or written
    INTERRUPTED = 130  # Ctrl-C, like a shell


class ZjevalError(Exception):
    """A mistake the user can fix: printed as message + hint, never as a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class FormError(ZjevalError):
    """The form definition (forms/*.yaml) is invalid."""

    exit_code = ExitCode.BAD_FORM

    def __init__(self, message: str, hint: str = "", *, lines: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.lines = lines or []


class AnswersError(ZjevalError):
    """The answers file cannot be parsed or has the wrong shape."""

    exit_code = ExitCode.BAD_ANSWERS

    def __init__(self, message: str, hint: str = "", *, lines: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.lines = lines or []


class IncompleteError(ZjevalError):
    """The report still has problems that block the requested action."""

    exit_code = ExitCode.INCOMPLETE


class NoTerminalError(ZjevalError):
    """An interactive command was started without a terminal on standard input."""

    exit_code = ExitCode.NO_TERMINAL


class StorageError(ZjevalError):
    """A file could not be read or written; the old file is left intact."""

    exit_code = ExitCode.IO


class Interrupted(ZjevalError):
    """Ctrl-C during the interview; everything answered so far is already saved."""

    exit_code = ExitCode.INTERRUPTED
