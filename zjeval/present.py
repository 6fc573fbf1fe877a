"""Presenting results on the terminal and writing output files (the CLI's edge)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from zjeval import textsafe, ui
from zjeval.assess.check import is_complete

if TYPE_CHECKING:  # each command imports only what it presents
    from zjeval.assess.check import FileResult, Problem
    from zjeval.assess.diff import Change
    from zjeval.assess.scoring import Scorecard

SEVERITY = {"error": "[red]错误[/]", "warning": "[yellow]提醒[/]"}
SOURCE_WIDTH = 60  # characters of an imported source sentence shown beside a problem


def short_source(sentence: str, width: int = SOURCE_WIDTH) -> str:
    """A source sentence cut to about `width` characters, at a clause's end when one is near."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= width:
        return sentence
    head = sentence[: width - 1]
    cut = max(head.rfind(c) for c in "，,；;。：:")
    return (head[: cut + 1] if cut >= width // 2 else head) + "…"


def _source_note(p: Problem) -> str:
    """'(原文:…)' with the sentences the problem's figures were imported from, or ''."""
    if not p.sources:
        return ""
    return "(原文:" + " / ".join(short_source(s) for s in p.sources) + ")"


def problems_table(
    path: Path, problems: list[Problem], to_stderr: bool = False, compared_with: Path | None = None
) -> None:
    """The check's findings: a table by section on a terminal, one line per finding elsewhere."""
    stream = sys.stderr if to_stderr else sys.stdout
    if not ui.is_terminal(stream):
        _problem_lines(stream, path, problems, compared_with)
        return
    from rich.table import Table

    console = ui.err() if to_stderr else ui.out()
    if compared_with is not None:
        console.print(f"[dim]已与上年的 {ui.escape(str(compared_with))} 比较。[/]")
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
        note = _source_note(p)
        message = ui.escape(p.message) + (f"\n[dim]{ui.escape(note)}[/]" if note else "")
        table.add_row(ui.escape(where), SEVERITY[p.severity], message)
    console.print(table)
    console.print(_summary(problems, markup=True))


def _counts(problems: tuple[Problem, ...] | list[Problem], markup: bool) -> list[str]:
    """'N 处需要补全或改正', 'M 处提醒' (coloured for rich when markup), leaving out zeros."""
    errors = sum(p.severity == "error" for p in problems)
    parts = []
    if errors:
        parts.append(f"[red]{errors} 处需要补全或改正[/]" if markup else f"{errors} 处需要补全或改正")
    if len(problems) > errors:
        warnings = len(problems) - errors
        parts.append(f"[yellow]{warnings} 处提醒[/]" if markup else f"{warnings} 处提醒")
    return parts


def _summary(problems: list[Problem], markup: bool = False) -> str:
    state = "已完整" if is_complete(problems) else "尚不完整"
    return f"{state}:" + ",".join(_counts(problems, markup)) + "。"


def _json(data: object) -> None:
    import json  # only --json needs it

    emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _problem_lines(stream: TextIO, path: Path, problems: list[Problem], compared_with: Path | None) -> None:
    """Compiler-style lines for logs, pipes and grep: FILE:LINE: 级别: 章节 › 项目: 说明.

    (rich is not even imported on this path: checks run from scripts stay fast.)
    """
    out: list[str] = []
    if compared_with is not None:
        out.append(f"已与上年的 {compared_with} 比较。")
    if not problems:
        out.append(f"✓ {path}:已完整,没有发现问题。")
    for p in problems:
        where = f"{path}:{p.line}" if p.line else str(path)
        section = f"{p.section} › " if p.section else ""
        level = "错误" if p.severity == "error" else "提醒"
        out.append(f"{where}: {level}: {section}{p.field}: {p.message}{_source_note(p)}")
    if problems:
        out.append(_summary(problems))
    emit(textsafe.clean("\n".join(out)) + "\n", stream)


def problems_json(problems: list[Problem]) -> None:
    _json({"complete": is_complete(problems), "problems": [p.as_dict() for p in problems]})


def emit(data: str | bytes, stream: TextIO | None = None) -> None:
    """Output, flushed here: a full device is an error naming the stream; a pipe the reader
    closed (`zjeval render | head`) is not an error: the rest goes nowhere and the command ends
    with its own exit code (check's 1 for an incomplete report stays 1)."""
    stream = stream or sys.stdout
    try:
        if isinstance(data, bytes):
            stream.buffer.write(data)
        else:
            stream.write(data)  # UTF-8: main() set up the streams
        stream.flush()
    except BrokenPipeError:
        ui.discard(stream)
    except OSError as exc:
        from zjeval.errors import os_error

        name = "标准错误" if stream is sys.stderr else "标准输出"
        raise os_error(name, exc, "写入", "输出没有写完;请改用 -o 写到文件,或检查磁盘空间") from None


def written(path: Path) -> None:
    """Say where an output file went (to stderr: stdout may be the document itself)."""
    ui.err().print(f"已写入 {ui.escape(str(path))}")


def scorecard_table(card: Scorecard, title: str) -> None:
    """The 评分表: indicator, weight, value, standard, score and the reason for every deduction."""
    from rich.table import Table

    from zjeval import present_score
    from zjeval.assess.scoring import num

    console = ui.out()
    if console.width < present_score.WIDE:  # an 80-column terminal: one line per indicator
        present_score.print_narrow(card, title, console.width)
        _score_summary(card)
        return
    profile = card.framework.active
    if profile is not None:
        title += f"\n评分办法：{profile.name}"
    # the text columns get fixed widths and are wrapped here, where a number is never broken
    free = console.width - 4 - 8 - 19  # 权重, 得分, and the borders and padding of six columns
    w_name, w_value, w_standard, w_reason = (max(6, free * r // 12) for r in (3, 2, 3, 4))

    def fit(text: str, width: int) -> str:
        return "\n".join(ui.escape(line) for line in present_score.wrap(text, width))

    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("指标", width=w_name, no_wrap=True)
    table.add_column("权重", justify="right", no_wrap=True)
    table.add_column("指标值", justify="right", width=w_value, no_wrap=True)
    table.add_column("评分标准", width=w_standard, no_wrap=True)
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("扣分原因", width=w_reason, no_wrap=True)
    for sub in card.subtotals:
        table.add_row(f"[bold]{ui.escape(sub.name)}[/]", "", "", "", "", "")
        for item in (i for i in card.items if i.indicator.level1 == sub.name):
            ind = item.indicator
            score = "[yellow]待填写[/]" if item.score is None else str(item.score)
            if not item.applicable:
                score = "不适用"
            if item.overridden:
                score += "[magenta]*[/]"
            reason = item.reason
            if item.overridden:
                reason = f"已调整（计算得分 {item.computed}）：{reason}"
            table.add_row(
                fit(f"  {ind.level2} / {ind.name}", w_name),
                num(ind.weight),
                fit(item.value_text, w_value),
                fit(ind.standard, w_standard),
                score,
                fit(reason, w_reason),
            )
        subtotal = "待填写" if sub.score is None else str(sub.score)
        table.add_row(
            f"  [bold]{ui.escape(sub.name)}小计[/]",
            num(sub.weight),
            "",
            "",
            f"[bold]{subtotal}[/]",
            "",
            end_section=True,
        )
    total = "待填写" if card.total is None else str(card.total)
    table.add_row(
        "[bold]合计[/]",
        num(card.framework.total),
        "",
        "",
        f"[bold]{total}[/]",
        f"等级:{card.grade}" if card.grade else "",
    )
    for adj in card.adjustments:
        word = present_score.ADJUSTMENT_WORDS[adj.kind]
        table.add_row(f"  {word}", "", "", fit(adj.source, w_standard), "", fit(adj.text, w_reason))
    console.print(table)
    _score_summary(card)


def _score_summary(card: Scorecard) -> None:
    console = ui.out()
    for _, message in card.problems:
        console.print(f"[red]问题[/]：{ui.escape(message)}", soft_wrap=True)
    if card.total is None:
        console.print(
            f"[yellow]还有 {len(card.pending)} 项指标待填写[/]:"
            + "、".join(card.pending)
            + "。补全数据表后即可计算总分和等级。"
        )
    else:
        console.print(f"总分 [bold]{card.total}[/] 分,等级「{card.grade}」。")


def scorecard_json(card: Scorecard) -> None:
    from zjeval.assess.scoring import num

    profile = card.framework.active
    data = {
        "total": None if card.total is None else str(card.total),
        "grade": card.grade,
        "subtotals": [
            {"level1": s.name, "weight": num(s.weight), "score": None if s.score is None else str(s.score)}
            for s in card.subtotals
        ],
        "indicators": [
            {
                "id": i.indicator.id,
                "name": i.indicator.name,
                "level1": i.indicator.level1,
                "level2": i.indicator.level2,
                "weight": num(i.indicator.weight),
                "value": i.value_text if i.value is None else str(i.value),
                "score": None if i.score is None else str(i.score),
                "reason": i.reason,
                "overridden": i.overridden,
                "applicable": i.applicable,
            }
            for i in card.items
        ],
        "problems": [{"indicator": k, "message": m} for k, m in card.problems],
        "profile": None if profile is None else {"id": card.framework.profile, "name": profile.name},
        "sum": None if card.raw_total is None else str(card.raw_total),
        "adjustments": [{"kind": a.kind, "text": a.text, "source": a.source} for a in card.adjustments],
    }
    _json(data)


def changes_table(old: str, new: str, changes: list[Change]) -> None:
    """What changed between two years, grouped by the report's sections; the questions answered
    in one year only are listed apart as 未填. Not on a terminal: one change per line."""
    changed = [c for c in changes if c.kind != "unfilled"]
    unfilled = [c for c in changes if c.kind == "unfilled"]
    if not ui.is_terminal(sys.stdout):
        _change_lines(sys.stdout, changed, unfilled)
        return
    from rich.table import Table

    console = ui.out()
    if not changes:
        console.print(f"{ui.escape(old)} 与 {ui.escape(new)} 的回答完全相同。")
        return
    if changed:
        table = Table(title=f"{old} → {new} 的变化", title_justify="left")
        table.add_column("项目", overflow="fold", ratio=3)
        table.add_column("上年", overflow="fold", ratio=3)
        table.add_column("本年", overflow="fold", ratio=3)
        table.add_column("变化", justify="right", no_wrap=True)
        table.add_column("幅度", justify="right", no_wrap=True)
        current = None
        for c in changed:
            if c.section != current:
                table.add_row(f"[bold]{ui.escape(c.section)}[/]", "", "", "", "")
                current = c.section
            esc = ui.escape
            table.add_row(f"  {esc(c.label)}", esc(c.old), esc(c.new), c.delta, c.percent)
        console.print(table)
    console.print(f"共 {len(changed)} 项变化。")
    if unfilled:
        console.print(f"[dim]另有 {len(unfilled)} 项只在一年中填写,不作比较:[/]")
        for which in ("上年未填", "本年未填"):
            labels = [c.label for c in unfilled if (c.old if which == "上年未填" else c.new) == "未填"]
            if labels:
                shown = "、".join(labels[:12]) + (f" 等 {len(labels)} 项" if len(labels) > 12 else "")
                console.print(f"[dim]  {which}:{ui.escape(shown)}[/]")


def _unfilled_text(c: Change) -> str:
    which = "上年未填" if c.old == "未填" else "本年未填"
    return f"{c.section} › {c.label}:{which}"


def _change_lines(stream: TextIO, changed: list[Change], unfilled: list[Change]) -> None:
    """One change a line: 章节 › 项目: 上年 → 本年(变化,幅度); then the 未填 ones."""
    out: list[str] = []
    for c in changed:
        extra = ",".join(x for x in (c.delta, c.percent) if x)
        out.append(f"{c.section} › {c.label}: {c.old} → {c.new}" + (f"({extra})" if extra else ""))
    out.append(f"共 {len(changed)} 项变化。")
    out.extend(f"未填: {_unfilled_text(c)}" for c in unfilled)
    if unfilled:
        out.append(f"另有 {len(unfilled)} 项只在一年中填写,不作比较。")
    emit(textsafe.clean("\n".join(out)) + "\n", stream)


def changes_json(changes: list[Change]) -> None:
    _json({"changes": [c.as_dict() for c in changes]})


def batch(results: list[FileResult], as_json: bool) -> None:
    """A batch check: one line per file, then the totals."""
    if as_json:
        data = {
            "complete": all(r.complete for r in results),
            "files": [
                {
                    "path": str(r.path),
                    "complete": r.complete,
                    "error": r.error,
                    "problems": [p.as_dict() for p in r.problems],
                }
                for r in results
            ],
        }
        _json(data)
        return
    done = sum(r.complete for r in results)
    summary = f"{done} 个已完整,{len(results) - done} 个尚不完整或无法读取。逐个查看:zjeval check 文件名"
    if not ui.is_terminal(sys.stdout):  # a pipe or a log: each file's lines, as one file's check writes them
        for r in results:
            if r.error is not None:
                sys.stdout.write(f"{r.path}: 错误: 无法读取:{r.error}\n")
            else:
                _problem_lines(sys.stdout, r.path, list(r.problems), None)
        sys.stdout.write(summary + "\n")
        return
    from rich.table import Table

    table = Table(title=f"检查了 {len(results)} 个答案文件", title_justify="left")
    table.add_column("文件", overflow="fold")
    table.add_column("状态", overflow="fold")
    for r in results:
        if r.error is not None:
            status = f"[red]无法读取[/]:{ui.escape(r.error)}"
        else:
            # complete: only warnings can be counted, after the word 已完整
            counts = _counts(r.problems, markup=True)
            status = ",".join(["[green]已完整[/]", *counts] if r.complete else counts)
        table.add_row(ui.escape(str(r.path)), status)
    console = ui.out()
    console.print(table)
    console.print(summary)
