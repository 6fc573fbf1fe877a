"""`--help` in Chinese, wrapped by display width (a CJK character is two columns wide).

typer's help is click's: English headings ("Usage", "Options"), "Show this message and exit.",
"[required]", and lines wrapped by character count, which breaks Chinese mid-word ("L / AST")
and overruns the terminal. `Command` and `group_help` write the same information in Chinese,
through typer's public objects only (a command's params and their help records).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from typing import Any

from typer.core import TyperCommand, TyperGroup

# The click Context typer hands to a command: typer names its class only in its private vendored
# click module, which zjeval does not import (tests/test_help_chinese.py), so it has no name here.
ClickContext = Any  # Any: typer's click Context, unnameable through typer's public API

MAX_WIDTH = 100
_WORD = re.compile(r"[A-Za-z0-9_./\\:*'\"%@+=<>\[\]{}|-]+|\s+|.", re.S)
_NO_LINE_START = set("，。、；：:;,.)）》」』】〕!！?？%")
_NO_LINE_END = set("(（《「『【〔")
_TERMS = [
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("[required]", "[必填]"),
    ("<str>", "<文字>"),
    ("<path>", "<路径>"),
    ("<int>", "<整数>"),
    ("<float>", "<数字>"),
]
_DEFAULT = re.compile(r"\[default: ([^\]]*)\]")


def cells(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; Latin words and numbers stay whole, no line starts with
    closing punctuation."""
    lines: list[str] = []
    line = ""
    for token in _WORD.findall(text.replace("\n", " ")):
        if token.isspace():
            token = " "
        hangs = token in _NO_LINE_START and cells(line) + cells(token) <= width + 2
        if line and cells(line) + cells(token) > width and not hangs:
            carry = ""
            while line and line[-1] in _NO_LINE_END:  # an opening bracket goes down with what it opens
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + ("" if token == " " else token)
            continue
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def chinese(text: str) -> str:
    for english, ours in _TERMS:
        text = text.replace(english, ours)
    return _DEFAULT.sub(lambda m: f"[默认:{m[1]}]", text)


def width(ctx: object) -> int:
    given = getattr(ctx, "terminal_width", None) or shutil.get_terminal_size((80, 24)).columns
    return max(40, min(int(given), MAX_WIDTH))


def table(rows: list[tuple[str, str]], total: int, indent: int = 2) -> list[str]:
    """Two columns: the names, then the help wrapped beside them (under it when names are long)."""
    if not rows:
        return []
    left = min(max(cells(name) for name, _ in rows), 24) + 2
    out = []
    for name, text in rows:
        body = wrap(text, max(20, total - indent - left - 2)) if text else [""]  # room for a hanging 。
        if cells(name) + 2 > left:
            out.append(" " * indent + name)
            out += [" " * (indent + left) + b for b in body if b]
            continue
        pad = " " * (left - cells(name))
        out.append(" " * indent + name + pad + body[0])
        out += [" " * (indent + left) + b for b in body[1:]]
    return out


def paragraphs(text: str, total: int) -> list[str]:
    out: list[str] = []
    for para in (text or "").strip().split("\n\n"):
        if para.strip():
            out += ["  " + line for line in wrap(" ".join(para.split()), total - 4)]
            out.append("")
    return out


def _piece(piece: str) -> str:
    """typer brackets an optional argument whose metavar is bracketed already: [[YEAR|FILE]]."""
    if not piece.startswith("[["):
        return piece
    inner = piece[1:]
    cut = inner.rfind("]")
    return (inner[:cut] + inner[cut + 1 :]).replace("......", "...")


def usage(ctx: ClickContext, command: TyperCommand | TyperGroup) -> str:
    pieces = " ".join(_piece(p) for p in command.collect_usage_pieces(ctx))
    pieces = pieces.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
    pieces = re.sub(r"\{([^{}]*)\}", r"\1", pieces)
    return f"用法:{ctx.command_path} {pieces}".rstrip()


def params(
    ctx: ClickContext, command: TyperCommand | TyperGroup
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(arguments, options) as (names, help) in Chinese."""
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = chinese(record[0]), chinese(record[1]).replace("  [", " [")
        (arguments if getattr(param, "param_type_name", "") == "argument" else options).append((names, text))
    return arguments, options


def command_help(ctx: ClickContext, command: TyperCommand | TyperGroup) -> str:
    total = width(ctx)
    lines = [usage(ctx, command), ""]
    lines += paragraphs(command.help or "", total)
    arguments, options = params(ctx, command)
    if arguments:
        lines += ["参数:", *table(arguments, total), ""]
    if options:
        lines += ["选项:", *table(options, total), ""]
    if isinstance(command, TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, (sub.help or "").strip().split("\n")[0]))
        lines += ["命令:", *table(rows, total), ""]
    if command.epilog:
        lines += paragraphs(command.epilog, total)
    return "\n".join(lines).rstrip() + "\n"


class Command(TyperCommand):
    """A command whose --help is Chinese and wrapped by display width."""

    def get_help(self, ctx: ClickContext) -> str:
        return command_help(ctx, self).rstrip("\n")

    def get_usage(self, ctx: ClickContext) -> str:
        return usage(ctx, self)
