"""Presenting results on the terminal and writing output files (the CLI's edge)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zjeval import ui
from zjeval.check import Problem, is_complete
from zjeval.errors import StorageError, ZjevalError
from zjeval.store import write_atomic

SEVERITY = {"error": "[red]错误[/]", "warning": "[yellow]提醒[/]"}


def problems_table(path: Path, problems: list[Problem], to_stderr: bool = False) -> None:
    """The check's findings as a table grouped by the report's sections."""
    from rich.table import Table

    console = ui.err() if to_stderr else ui.out()
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        console.print(f"[green]✓[/] {ui.escape(str(path))}:已完整,没有发现问题。")
        return
    table = Table(title=f"{path} 的检查结果", title_justify="left", show_lines=False)
    table.add_column("项目", overflow="fold", ratio=2)
    table.add_column("级别", no_wrap=True)
    table.add_column("说明", overflow="fold", ratio=5)
    current = None
    for p in problems:
        section = p.section or "其他"
        if section != current:
            table.add_row(f"[bold]{ui.escape(section)}[/]", "", "", end_section=False)
            current = section
        where = f"  {p.field}" + (f"(第{p.line}行)" if p.line else "")
        table.add_row(ui.escape(where), SEVERITY[p.severity], ui.escape(p.message))
    console.print(table)
    summary = []
    if errors:
        summary.append(f"[red]{errors} 处需要补全或改正[/]")
    if warnings:
        summary.append(f"[yellow]{warnings} 处提醒[/]")
    state = "已完整" if is_complete(problems) else "尚不完整"
    console.print(f"{state}:" + ",".join(summary) + "。")


def problems_json(problems: list[Problem]) -> None:
    data = {"complete": is_complete(problems), "problems": [p.as_dict() for p in problems]}
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def emit(data: str | bytes) -> None:
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        ui.out()  # sets UTF-8 on the stream where the platform needs it
        sys.stdout.write(data)


def write_output(path: Path, data: str | bytes, force: bool) -> None:
    if path.exists() and not force:
        raise ZjevalError(f"{path} 已存在,未覆盖", "加 --force 覆盖,或用 -o 指定其他文件名")
    try:
        if isinstance(data, bytes):
            write_atomic(path, data)
        else:
            write_atomic(path, data)
    except OSError as exc:
        raise StorageError(f"无法写入 {path}:{exc.strerror or exc}", "请检查目录权限和磁盘空间") from None
    ui.err().print(f"已写入 {ui.escape(str(path))}")
