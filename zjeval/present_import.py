"""Presenting what reads material in: an import's findings, the built-in forms, a table read
into the answers (the CLI's edge, like present.py)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zjeval import ui
from zjeval.answers.parsing import is_digits
from zjeval.present import _json

if TYPE_CHECKING:  # each command imports only what it presents
    from zjeval.assess.check import Problem
    from zjeval.form.models import Form
    from zjeval.importing.mapping import ImportResult
    from zjeval.importing.run import Outcome
    from zjeval.importing.table import TableRead
    from zjeval.importing.table_merge import Merged


def imported(source: Path, target: Path, result: ImportResult, problems: list[Problem]) -> None:
    """What an import found, what it could not place, and what check still needs."""
    from rich.table import Table

    console = ui.out()
    table = Table(title=f"从 {source} 找到的内容", title_justify="left")
    table.add_column("项目", overflow="fold", ratio=1)
    table.add_column("内容", overflow="fold", ratio=3)
    for qid, what in result.found:
        table.add_row(ui.escape(qid or "单位与年度"), ui.escape(what))
    console.print(table)
    if result.placed:  # per section of the source: how many paragraphs went into a question
        placed = sum(a for _, a, _ in result.placed)
        total = sum(b for _, _, b in result.placed)
        console.print(f"已归类 {placed}/{total} 段({placed * 100 // max(total, 1)}%):")
        for name, a, b in result.placed:
            console.print(f"  {ui.escape(name)} {a}/{b}" + ("" if a == b else " [yellow]有未归类[/]"))
    console.print(f"已写入 {ui.escape(str(target))}:{len(result.answers.values)} 项回答。")
    if result.leftovers:
        console.print(
            f"[yellow]{len(result.leftovers)} 段未能归类[/],原样放在“未归类的段落”一项中;"
            "请移到相应的问题后删除该项。"
        )
    doubts = result.answers.doubts
    if doubts:
        console.print(
            f"[yellow]{len(doubts)} 项回答存疑[/](答案文件 origins 中写明原因):"
            + "、".join(
                ui.escape(p.field) for p in problems if p.qid in doubts and p.message.startswith("导入存疑")
            )
            + ";zjeval check 把它们列在最前面。"
        )
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        console.print(f"还需要补全或改正 {len(errors)} 处:运行 zjeval check {ui.escape(str(target))} 查看,")
        console.print(
            f"或运行 zjeval new {result.answers.year}"
            + ("" if is_digits(target.stem) else f"(答案文件在 {ui.escape(str(target))})")
            + " 逐项补填。"
        )
    else:
        console.print("[green]check 没有发现需要补全的地方。[/]")


def folder_summary(folder: Path, outcomes: list[Outcome]) -> None:
    """A folder import: one row per report (answers file, form, unit, year, what was read)."""
    ok = [o for o in outcomes if not o.error]
    head = ("报告", "答案文件", "表单", "单位", "年度", "回答", "存疑", "未归类")
    rows = [
        (
            o.source.name,
            str(o.target or ""),
            o.form,
            o.unit or "(未读出)",
            str(o.year or ""),
            str(o.typed),
            str(o.doubtful),
            str(o.leftovers),
        )
        if not o.error
        else (o.source.name, "未导入:" + o.error, "", "", "", "", "", "")
        for o in outcomes
    ]
    summary = f"{folder}:{len(outcomes)} 份报告,导入 {len(ok)} 份,未导入 {len(outcomes) - len(ok)} 份。"
    if not ui.is_terminal(sys.stdout):
        sys.stdout.write("\t".join(head) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(row) + "\n")
        sys.stdout.write(summary + "\n")
        return
    from rich.table import Table

    table = Table(title=f"从 {folder} 导入", title_justify="left")
    for name in head:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(ui.escape(x) for x in row))
    console = ui.out()
    console.print(table)
    console.print(summary + "存疑的回答由 zjeval check 列在最前面。")


def forms_list(forms: list[Form], as_json: bool) -> None:
    """The built-in forms: id, name, framework, where used; a table on a terminal, lines elsewhere."""
    rows = [
        {
            "id": f.id,
            "name": f.name,
            "framework": f.scoring.name if f.scoring is not None else "",
            "description": f.description,
            "used_in": f.used_in,
        }
        for f in forms
    ]
    if as_json:
        _json(rows)
        return
    if not ui.is_terminal(sys.stdout):
        for r in rows:
            sys.stdout.write("\t".join((r["id"], r["name"], r["framework"], r["used_in"])) + "\n")
        return
    from rich.table import Table

    table = Table(title="内置表单(用 --form ID 选用,或 --form 路径 使用自己的表单文件)", title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column("名称与用途", overflow="fold", ratio=3)
    table.add_column("评分表", overflow="fold", ratio=2)
    table.add_column("适用地区", overflow="fold", ratio=3)
    for r in rows:
        about = r["name"] + (f"\n[dim]{ui.escape(r['description'])}[/]" if r["description"] else "")
        table.add_row(r["id"], about, ui.escape(r["framework"] or "(无)"), ui.escape(r["used_in"]))
    ui.out().print(table)


def table_read(source: Path, target: Path, read: TableRead, merged: Merged, form: Form | None = None) -> None:
    """What `zjeval table` read: the columns found, the rows taken and those skipped with why, how
    they were merged with the rows already there, and figures that read as a fraction of %."""
    out = sys.stdout
    where = f"第 {read.header_row} 行为表头"
    if source.suffix.lower() != ".csv":
        where = f"工作表「{read.sheet}」,{where}"
    out.write(f"从 {source}({where})读到 {len(read.records)} 行指标。\n")
    label = read.labels.get
    out.write("找到的列:" + ";".join(f"{label(f, f)}←「{h}」" for f, h in read.columns.items()) + "\n")
    for f, source_field in read.derived.items():
        out.write(f"{label(f, f)}取自{label(source_field, source_field)}中的符号(如 ≥40)。\n")
    if read.missing:
        missing = "、".join(label(f, f) for f in read.missing)
        out.write(f"没有找到的列(需要时请在答案文件或访谈中补填):{missing}\n")
    for row, why in read.skipped:
        out.write(f"  跳过第 {row} 行:{why}\n")
    for row, note in read.notes:
        out.write(f"  第 {row} 行{note}\n")
    for line in _merge_lines(merged):
        out.write(line + "\n")
    for line in _percent_lines(merged.records, form):
        out.write(line + "\n")
    out.write(f"已写入 {target};运行 zjeval check {target} 查看还需要补填什么(如实际完成值)。\n")


def _merge_lines(merged: Merged) -> list[str]:
    if not (merged.kept or merged.updated or merged.dropped):
        return []  # a first read: every row is new
    lines = []
    for what, names in (
        ("保留已填的实际完成值等", merged.kept),
        ("按表格更新", merged.updated),
        ("新增", merged.added),
        ("删除(表格中没有)", merged.dropped),
    ):
        if names:
            lines.append(f"{what} {len(names)} 行:{'、'.join(names)}")
    lines += [f"  {c}" for c in merged.conflicts]
    return lines


def _percent_lines(records: Sequence[Mapping[str, object]], form: Form | None) -> list[str]:
    """Rows whose 指标值 or 实际完成值 reads as a fraction of % (answers/percent.py)."""
    rows = form.scoring.rows if form is not None and form.scoring is not None else None
    if form is None or rows is None:
        return []
    from zjeval.answers import percent
    from zjeval.form.target_rows import number

    f = rows.fields
    label = f.labels(form.questions()[rows.question])
    lines = []
    for n, r in enumerate(records, 1):
        found = percent.row_fractions(r.get(f.unit), number(r.get(f.target)), number(r.get(f.actual)))
        for role, value, meant in found:
            what = label.target if role == "target" else label.actual
            lines.append(
                f"  请核对第 {n} 行「{r.get(f.name, '')}」:{what} {percent.text(value)} 的单位是 %,"
                f"是否指 {percent.text(meant)}%?(按 {percent.text(value)}% 计分会差很多)"
            )
    return lines
