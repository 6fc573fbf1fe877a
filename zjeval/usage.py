"""Command-line usage errors (typer's own, in English) as Chinese messages with a hint.

typer vendors its own click since 0.26, under a private module: the classes are reached from
typer's public `typer.BadParameter` (its bases) and recognised by name, never imported from
its private module (cli.py imports this module in its error path only).
"""

from __future__ import annotations

import re
from typing import Any

import typer


def _base(name: str) -> type[Exception]:
    """One of typer's usage error bases (ClickException, UsageError), from its public BadParameter."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


ClickException = _base("ClickException")


def kind_of(exc: BaseException, name: str) -> bool:
    """Whether exc is of typer's error class `name` (NoSuchOption, MissingParameter …)."""
    return any(c.__name__ == name for c in type(exc).__mro__)

COMMANDS = "new、check、score、render、import、diff"

_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:File|Directory|Path) '(.*)' does not exist", re.S), "{0} 不存在"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' is a directory", re.S), "{0} 是目录"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' is a file", re.S), "{0} 是文件"),
    (re.compile(r"integer", re.I), "应为整数"),
    (re.compile(r"float|number|decimal", re.I), "应为数字"),
    (re.compile(r"boolean|bool", re.I), "应为 true 或 false"),
    (re.compile(r"is not one of (.*)\.|should be (.*)", re.S), "应为以下之一:{0}"),
]


def _param_name(param: object) -> str:
    """--year / -y for an option, FILE for an argument."""
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(getattr(param, "metavar", None) or (getattr(param, "name", None) or "").upper())
    return " / ".join(getattr(param, "opts", None) or [])


def _kind(param: object) -> str:
    return "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"


def _reason(text: str) -> str:
    for pattern, template in _REASONS:
        m = pattern.search(text)
        if m:
            return template.format(*(g.replace("'", "") for g in m.groups() if g))
    return "格式不对"


def message(exc: Exception) -> str:
    """What went wrong, in Chinese (never itself an error: the classes' details vary by version)."""
    try:
        return _message(exc)
    except Exception:  # pragma: no cover - a typer whose exceptions look different
        return "命令行参数有误"


def _message(exc: Any) -> str:  # Any: a typer usage error, known by its class name only (see above)
    text = getattr(exc, "message", "") or str(exc)
    if kind_of(exc, "NoSuchOption"):
        possible = sorted(exc.possibilities or [])
        maybe = f",是否想用 {'、'.join(possible)}?" if possible else ""
        return f"没有选项 {exc.option_name}{maybe}"
    if kind_of(exc, "MissingParameter"):
        if exc.param is None:
            return "缺少必需的参数"
        return f"缺少{_kind(exc.param)} {_param_name(exc.param)}"
    if kind_of(exc, "BadParameter"):
        name = _param_name(exc.param) or (exc.param_hint if isinstance(exc.param_hint, str) else "")
        return f"{_kind(exc.param)} {name} 的值无效:{_reason(text)}"
    if kind_of(exc, "BadOptionUsage"):
        if "requires" in text:
            return f"选项 {exc.option_name} 后面需要一个值"
        if "does not take a value" in text:
            return f"选项 {exc.option_name} 不接受值"
        return f"选项 {exc.option_name} 的用法不对"
    m = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text, re.S)
    if m:
        return f"多余的参数:{m[1]}"
    m = re.match(r"No such command '(.*)'", text, re.S)
    if m:
        return f"没有命令 {m[1]},可用的命令:{COMMANDS}"
    if text.startswith("Missing command"):
        return f"缺少命令,可用的命令:{COMMANDS}"
    return "命令行参数有误"


def usage_line(exc: Exception) -> str | None:
    """'用法:zjeval check [OPTIONS] ...' for the command the error is about, if known."""
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return None
    try:
        return str(ctx.get_usage()).replace("Usage:", "用法:", 1)
    except Exception:  # pragma: no cover - the usage line is a courtesy
        return None


def help_hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "zjeval"
    return f"运行 {command} --help 查看用法"
