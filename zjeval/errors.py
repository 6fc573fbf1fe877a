"""One error hierarchy: every user mistake is a ZjevalError with a message, a hint and an exit code."""

from __future__ import annotations

import errno
from enum import IntEnum
from pathlib import Path


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


# ---------------------------------------------------------------- OS errors in Chinese

_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "位于只读的文件系统上",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EEXIST: "已存在同名的文件",
    errno.ELOOP: "符号链接层数过多(可能循环)",
    errno.EBUSY: "文件正被占用",
    errno.EIO: "读写设备出错",
    errno.EMFILE: "打开的文件过多",
    errno.EFBIG: "文件过大",
    errno.EINVAL: "文件名无效",
    errno.EXDEV: "不能跨文件系统移动",
}


def describe(exc: OSError) -> str:
    """The reason for an OS error in Chinese (strerror follows the system locale, often English)."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    code = errno.errorcode.get(exc.errno or 0)
    return f"系统错误 {code}" if code else "系统错误"


def os_error(path: Path | str, exc: OSError, action: str = "写入", hint: str = "") -> StorageError:
    """An OSError on `path` as the tool's error: 无法写入 PATH:原因."""
    return StorageError(f"无法{action} {path}:{describe(exc)}", hint)
