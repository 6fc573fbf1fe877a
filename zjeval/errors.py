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
    INTERNAL = 70  # a bug in zjeval (sysexits' EX_SOFTWARE): rerun with --debug and report it
    INTERRUPTED = 130  # Ctrl-C, like a shell


EXIT_CODES_HELP = (
    "退出码:0 成功;1 检查发现问题或报告不完整;2 命令行用法错误;3 答案文件无法读取或格式不对;"
    "4 表单定义有误;5 需要终端;6 文件无法读写;70 zjeval 内部错误(请加 --debug 重试并报告);130 已中断。"
)


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
