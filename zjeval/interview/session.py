"""`zjeval new`: the session around the interview engine — menu, review, locking, last year.

The engine (interview.py) decides what to ask; this module runs it in a terminal: it opens and
locks the answers file, offers to continue or revise, saves after every answer, turns Ctrl-C into
a saved, resumable exit (130), and ends with a review table and the offer to write the report.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zjeval import ui
from zjeval.answers.model import Answers, applies
from zjeval.answers.parsing import is_digits
from zjeval.errors import Interrupted, NoTerminalError, ZjevalError
from zjeval.form import numbering
from zjeval.form.models import Form
from zjeval.interview.dialogue import Asker, drive
from zjeval.interview.engine import Interview


def section_status(
    form: Form, answers: Answers
) -> tuple[list[tuple[str, int, int]], bool, dict[str, list[str]]]:
    """Per top-level section (heading, missing answers, other problems), whether complete, and
    per heading what to fix: the missing questions in one line, then each problem's message.
    Sections with nothing to ask and nothing wrong (import's leftovers, usually) are left out."""
    from zjeval.assess import check as checker

    problems = checker.check(form, answers)
    top_of = {q.id: chain[0].id for chain, q in form.walk()}
    rows = []
    messages: dict[str, list[str]] = {}
    for section in form.sections:
        heading = numbering.heading(form, section)
        qs = [q for chain, q in form.walk() if chain[0] is section and applies(q, answers) and q.ask]
        missing = {
            q.id for q in qs if q.required and not answers.answered(q.id) and q.id not in answers.invalid
        }
        mine = [
            p
            for p in problems
            if top_of.get(p.qid or "") == section.id or (not p.qid and p.section.startswith(heading))
        ]
        others = [p for p in mine if p.qid not in missing]
        if not qs and not mine:
            continue
        labels = [q.label for q in qs if q.id in missing]
        lines = [f"未填写(共{len(labels)}项):" + "、".join(labels)] if labels else []
        messages[heading] = lines + [f"{p.field}:{p.message}" for p in others]
        rows.append((heading, len(missing), len(others)))
    return rows, checker.is_complete(problems), messages


def _status_text(missing: int, problems: int) -> str:
    parts = ([f"缺 {missing} 项"] if missing else []) + ([f"有 {problems} 处问题"] if problems else [])
    return "，".join(parts) or "已完成"


SHOWN = 6  # problems listed per section in the review; the rest are counted


def review(form: Form, answers: Answers, path: Path, asker: Asker) -> None:
    """The status table, each section's problems with their messages, then the offer to write
    the report."""
    from rich.table import Table

    rows, complete, messages = section_status(form, answers)
    table = Table(title=f"{answers.year}年度 完成情况", title_justify="left")
    table.add_column("部分")
    table.add_column("状态")
    for heading, missing, problems in rows:
        style = "green" if not (missing or problems) else "yellow"
        table.add_row(heading, f"[{style}]{_status_text(missing, problems)}[/]")
    asker.show(table)
    for heading, found in messages.items():
        if not found:
            continue
        asker.show(f"[bold]{ui.escape(heading)}[/]")
        for line in found[:SHOWN]:
            asker.show(f"  · {ui.escape(line if len(line) <= 200 else line[:200] + '…')}")
        if len(found) > SHOWN:
            asker.show(f"  …还有 {len(found) - SHOWN} 处,运行 zjeval check {answers.year} 查看全部")
    target = path.with_suffix(".txt")
    what = "报告" if complete else "报告草稿(缺项处标为【待填写】)"
    if target.exists():
        what += "(覆盖原文件)"
    if not asker.confirm(f"生成{what}到 {target}?", default=True):
        asker.show(f"以后可以运行 zjeval check {answers.year} 检查,zjeval render {answers.year} 生成报告。")
        return
    from zjeval.report import output, render

    text = output.document(render.pick("text", target), form, answers, draft=not complete)
    output.write(target, text, force=True)  # the user said yes to replacing it
    asker.show(f"[green]已生成 {ui.escape(str(target))}[/]")


def find_question(form: Form, answers: Answers, asker: Asker) -> str | None:
    """A question picked by its number (第 i 题) or by part of its label; None to give up."""
    engine = Interview(form, answers)
    listed = [(n, engine.items[i][1]) for n, i in enumerate(engine.numbered(), 1)]
    names = [f"{n} {q.label}" for n, q in listed]
    while True:
        typed = asker.text("修改第几题?输入题号,或题目中的几个字(直接回车返回):", names).strip()
        if not typed:
            return None
        number = typed.split()[0]
        if is_digits(number):
            hits = [(n, q) for n, q in listed if n == int(number)]
        else:
            hits = [(n, q) for n, q in listed if typed in q.label]
        if len(hits) == 1:
            return hits[0][1].id
        if hits:
            return asker.choose("是哪一题?", [(q.id, f"{n}. {q.label}") for n, q in hits])
        asker.show(f"[yellow]没有找到「{ui.escape(typed)}」:题号是 1 至 {len(listed)},或输入题目中的字。[/]")


def session(
    form: Form,
    answers: Answers,
    path: Path,
    asker: Asker,
    resume_cmd: str,
    previous: Answers | None = None,
    new_file: bool = False,
) -> int:
    """The whole interview: menu (if resuming), questions, review; Ctrl-C saves and exits 130.
    `new_file`: the file was made for this run (a project's, its name already filled in): no menu."""
    from zjeval.answers import store

    def save() -> None:
        store.save(path, form, answers)

    try:
        fresh = new_file or (not answers.values and not answers.invalid)
        while True:
            engine = Interview(form, answers, save, previous=previous)
            action = "continue"
            if not fresh:
                action = _menu(form, answers, path, asker, has_pending=not engine.finished)
            fresh = False
            if action == "jump":
                qid = find_question(form, answers, asker)
                if qid is not None:
                    drive(Interview(form, answers, save, question_id=qid, previous=previous), asker)
                continue
            if action == "revise":
                sections = [(s.id, numbering.heading(form, s)) for s in form.sections]
                chosen = asker.choose("修改哪一部分?", sections)
                drive(Interview(form, answers, save, section_id=chosen, previous=previous), asker)
                continue
            if action == "continue":
                drive(engine, asker)
            review(form, answers, path, asker)
            return 0
    except KeyboardInterrupt:
        raise Interrupted(
            f"已保存 {len(answers.values)} 项回答到 {path}。再次运行 {resume_cmd} 即可从中断处继续。"
        ) from None


def _menu(form: Form, answers: Answers, path: Path, asker: Asker, has_pending: bool) -> str:
    options = [
        ("jump", "修改某一题(按题号或题目中的字)"),
        ("revise", "修改某一部分"),
        ("review", "查看完成情况、生成报告"),
    ]
    if has_pending:
        options.insert(0, ("continue", "从第一个未答的问题继续"))
    return asker.choose(
        f"{path} 中已有 {len(answers.values)} 项回答。要做什么?", options, default=options[0][0]
    )


def run(
    year: str, form_name: str | None, directory: Path, source: str | None = None, project: str | None = None
) -> int:
    """`zjeval new YEAR [--from LAST] [--project NAME]`: needs a terminal; opens or creates the answers
    file (a project's in answers/YEAR-项目/)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise NoTerminalError(
            "zjeval new 需要在终端中交互运行(标准输入或输出不是终端)。",
            f"不在终端时,可以直接编辑 {directory}/{year}.yaml,再运行 zjeval check {year} 检查。",
        )
    from zjeval.answers import store
    from zjeval.answers.lock import editing
    from zjeval.answers.model import check_year
    from zjeval.answers.paths import DEFAULT_DIR, year_path
    from zjeval.interview.prompts import QuestionaryAsker

    the_year = check_year(year, "参数 YEAR:")
    path = year_path(the_year, directory)
    if project is not None:
        from zjeval.projects import folder

        path = folder.project_path(the_year, project, directory)
        folder.make(path.parent)
    with editing(path):
        new_file = not path.exists()
        if project is None:
            form, answers = store.open_or_create(path, the_year, form_name, source_form(source, directory))
            previous = last_year(form, answers, directory, source, form_name)
        else:
            form, answers, source = _project(path, the_year, project, directory, source, form_name)
            previous = last_year(form, answers, directory, source, form_name) if source else None
        cmd = f"zjeval new {the_year}" + (f" --project {project}" if project is not None else "")
        if directory != DEFAULT_DIR:
            cmd += f" --dir {directory}"
        if form_name is not None:
            cmd += f" --form {form_name}"
        made = new_file and project is not None  # a project's file made just now, its name filled in
        return session(form, answers, path, QuestionaryAsker(), cmd, previous=previous, new_file=made)


def _project(
    path: Path, year: int, name: str, directory: Path, source: str | None, form_name: str | None
) -> tuple[Form, Answers, str | None]:
    """A project's answers (named after it when new) and where last year's of the same project are."""
    from zjeval.answers import store
    from zjeval.projects import folder
    from zjeval.projects.summary import projects_spec

    from_form = source_form(source, directory) if source is not None and not source.isdigit() else None
    form, answers = store.open_or_create(path, year, form_name, from_form or folder.PROJECT_FORM)
    spec = projects_spec(form, path)
    if not answers.answered(spec.name):
        answers.set(spec.name, name)
    if source is not None and source.isdigit():
        source = str(folder.project_path(int(source), name, directory))
    elif source is None and answers.carried_from is not None:
        last = folder.project_path(answers.carried_from, name, directory)
        source = str(last) if last.is_file() else None
    return form, answers, source


def source_form(source: str | None, directory: Path) -> str | None:
    """The form of the answers `--from` names (its id, or its file), for a new year started from it."""
    if source is None:
        return None
    from zjeval.answers import store
    from zjeval.answers.paths import resolve
    from zjeval.form import loader

    path = resolve(source, directory)
    if not path.exists():
        return None  # last_year() says so
    form, _ = store.load(path)
    return form.id if loader.is_builtin(form) else str(form.source)


def last_year(
    form: Form, answers: Answers, directory: Path, source: str | None, form_name: str | None = None
) -> Answers | None:
    """The answers `--from` names (or that an earlier `--from` recorded), checked against this year's."""
    from zjeval.answers import store
    from zjeval.answers.paths import resolve

    if source is None and answers.carried_from is None:
        return None
    target = source if source is not None else str(answers.carried_from)
    path = resolve(target, directory)
    if source is None and not path.exists():
        ui.err().print(f"[yellow]提示:[/]找不到上年的答案文件 {ui.escape(str(path))},本次不显示上年的答案。")
        return None
    _, previous = store.load(path, form_name)
    if previous.form_id != form.id:
        here = answers.source or f"本年的答案文件({answers.year}年度)"
        raise ZjevalError(
            f"{path} 用的是表单 {previous.form_id},而 {here} 用的是表单 {form.id},无法逐项沿用",
            f"本年还没有要保留的回答时,删除或改名 {here} 后重新运行 zjeval new {answers.year} --from {target}"
            f"(新建的答案文件沿用上年的表单 {previous.form_id});否则用同一表单({form.id})的答案作为 --from",
        )
    if previous.year >= answers.year:
        raise ZjevalError(
            f"--from 指定的 {path} 是 {previous.year} 年度,应早于 {answers.year} 年度",
            f"例如:zjeval new {answers.year} --from {answers.year - 1}",
        )
    answers.carried_from = previous.year
    return previous
