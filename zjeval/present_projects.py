"""Presenting a year's projects: the one table (项目, 全年预算数, 全年执行数, 执行率, 得分, 等级,
open problems), the problems under it, what a split export or a carry made (the CLI's edge)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from zjeval import ui
from zjeval.form.decimals import q2

if TYPE_CHECKING:
    from zjeval.projects.create import Made
    from zjeval.projects.export import Outcome
    from zjeval.projects.statement import GradeLine
    from zjeval.projects.summary import ProjectResult

COLUMNS = ("项目", "全年预算数(万元)", "全年执行数(万元)", "预算执行率", "得分", "等级", "待处理")


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(q2(value))


def _open(r: ProjectResult) -> str:
    if r.error is not None:
        return f"无法读取:{r.error}"
    parts = []
    if r.errors:
        parts.append(f"{r.errors} 处需要补全或改正")
    if r.warnings:
        parts.append(f"{r.warnings} 处提醒")
    return ",".join(parts) or "无"


def cells(r: ProjectResult) -> tuple[str, ...]:
    rate = r.rate
    return (
        r.name,
        _money(r.budget),
        _money(r.exec),
        "" if rate is None else f"{rate}%",
        "" if r.total is None else str(r.total),
        r.grade or "",
        _open(r),
    )


def table(place: Path, results: list[ProjectResult], as_json: bool) -> None:
    """The year's projects, one line each, then the sums; each project's problems below."""
    from zjeval.projects.summary import totals

    sums = totals(results)
    if as_json:
        data = {
            "folder": str(place),
            "complete": all(r.complete and r.total is not None for r in results),
            "count": sums.count,
            "budget": format(q2(sums.budget), "f"),
            "exec": format(q2(sums.exec), "f"),
            "rate": None if sums.rate is None else format(sums.rate, "f"),
            "projects": [r.as_dict() for r in results],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    total_row = ("合计", _money(sums.budget), _money(sums.exec), "" if sums.rate is None else f"{sums.rate}%")
    done = sum(r.complete and r.total is not None for r in results)
    summary = f"{len(results)} 个项目:{done} 个已完整并已评分,{len(results) - done} 个尚不完整或无法读取。"
    if not ui.is_terminal(sys.stdout):
        lines = ["\t".join(COLUMNS)]
        lines += ["\t".join(cells(r)) for r in results]
        lines.append("\t".join(total_row))
        lines += _problem_lines(results)
        lines.append(summary)
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.table import Table

    t = Table(title=f"{place} 的项目", title_justify="left")
    for i, name in enumerate(COLUMNS):
        t.add_column(name, justify="right" if 0 < i < 5 else "left", overflow="fold")
    for r in results:
        t.add_row(*(ui.escape(c) for c in cells(r)))
    t.add_row(*(f"[bold]{c}[/]" for c in total_row), "", "", "")
    console = ui.out()
    console.print(t)
    for line in _problem_lines(results):
        console.print(ui.escape(line), soft_wrap=True)
    console.print(summary)


def _problem_lines(results: list[ProjectResult]) -> list[str]:
    """FILE:LINE: 级别: 章节 › 项目: 说明, for every open problem of every project."""
    out = []
    for r in results:
        for p in r.problems:
            where = f"{r.path}:{p.line}" if p.line else str(r.path)
            section = f"{p.section} › " if p.section else ""
            level = "错误" if p.severity == "error" else "提醒"
            out.append(f"{where}: {level}: {section}{p.field}: {p.message}")
    return out


def created(made: Made) -> None:
    """What `projects new` made and left alone, and how to go on."""
    console = ui.err()
    if made.source is not None:
        cleared = "、".join(made.cleared)
        console.print(
            ui.escape(
                f"沿用 {made.source} 中的项目" + (f"(各指标行的{cleared}已清空)" if cleared else "") + ":"
            ),
            soft_wrap=True,
        )
    for path in made.made:
        console.print(f"已建立 {ui.escape(str(path))}", soft_wrap=True)
    for path in made.kept:
        console.print(f"[yellow]已存在,未改动:[/]{ui.escape(str(path))}", soft_wrap=True)
    if made.made:
        first = made.made[0].stem
        console.print(
            ui.escape(
                f"逐个填写:直接编辑这些文件,或运行 zjeval new {made.year} --project {first};"
                f"填完运行 zjeval projects check {made.year}"
            ),
            soft_wrap=True,
        )


def statement(text: str, lines: list[GradeLine], results: list[ProjectResult], as_json: bool) -> None:
    if as_json:
        data = {
            "text": text,
            "count": len(results),
            "grades": [
                {
                    "grade": g.grade,
                    "count": g.count,
                    "count_share": format(g.count_share, "f"),
                    "budget": format(q2(g.budget), "f"),
                    "budget_share": format(g.budget_share, "f"),
                }
                for g in lines
            ],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write(text + "\n")


def exported(source: Path, outcomes: list[Outcome]) -> None:
    """What `projects table` found: each project, where its name came from, its rows and its file."""
    console = ui.err()
    console.print(f"{ui.escape(str(source))} 中找到 {len(outcomes)} 个项目:", soft_wrap=True)
    for o in outcomes:
        read = o.project.read
        where = f"工作表「{read.sheet}」,{o.project.how}"
        rows = f"{len(read.records)} 行指标"
        if read.skipped:
            rows += (
                f",跳过 {len(read.skipped)} 行("
                + ";".join(f"第 {n} 行{why}" for n, why in read.skipped[:3])
                + ")"
            )
        state = o.status + (f"(已有 {o.existing} 行,加 --force 替换)" if o.status == "未改动" else "")
        line = f"  • {o.project.name}({where}):{rows} → {o.path} {state}"
        console.print(ui.escape(line), soft_wrap=True)
    columns = outcomes[0].project.read if outcomes else None
    if columns is not None:
        found = "、".join(f"{columns.labels.get(f, f)}「{h}」" for f, h in columns.columns.items())
        console.print(f"识别的列:{ui.escape(found)}", soft_wrap=True)
    console.print("下一步:zjeval projects check 年度")
