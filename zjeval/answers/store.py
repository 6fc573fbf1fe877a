"""Answers files: load them, and save them (written through answers.files, comments kept).

Finding the file is answers.paths' job, writing bytes safely answers.files', locking answers.lock's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from zjeval.answers import files, yamlio
from zjeval.answers.files import os_error, write_atomic
from zjeval.answers.model import Answers, from_data, to_data
from zjeval.answers.paths import resolve
from zjeval.errors import AnswersError, FormError, ZjevalError
from zjeval.form import loader as forms
from zjeval.form import numbering
from zjeval.form.models import Form

HEADER = """\
# zjeval 答案文件:{year}年度部门整体支出绩效自评报告
# 可以直接编辑;改完运行 `zjeval check {target}` 检查,`zjeval new {year}` 继续访谈。
# 金额单位为万元;列表中每项一行,以"- "开头,不要自己编号。
"""


def read(path: Path) -> tuple[Any, dict[yamlio.Loc, int]]:
    """Parsed YAML and its line map; a missing, unreadable or broken file is an AnswersError."""
    try:
        found = path.is_file()
    except OSError as exc:  # e.g. a name too long for the file system
        raise os_error(path, exc, "读取") from None
    if not found:
        raise AnswersError(f"找不到答案文件 {path}", "运行 zjeval new YEAR 开始填写,或检查路径")
    try:
        text = yamlio.read_text(path)
    except UnicodeDecodeError:
        raise AnswersError(f"{path}: 不是 UTF-8 编码的文本", "请用 UTF-8 编码保存此文件") from None
    except yamlio.TooLarge as exc:
        raise AnswersError(f"{path}: {exc}", "答案文件通常只有几十 KB;请检查是否选错了文件") from None
    except OSError as exc:
        raise os_error(path, exc, "读取") from None
    try:
        return yamlio.parse(text)
    except yamlio.YamlSyntaxError as exc:
        raise AnswersError(
            f"{path}:{exc.line} {exc.message}",
            "请修正该行附近的缩进、冒号或引号;文字中含有冒号时可用引号括起来",
        ) from None


def load(path: Path, form_name: str | None = None) -> tuple[Form, Answers]:
    """The form the file names (or `form_name`) and the answers in it."""
    data, lines = read(path)
    name = form_name
    if name is None:
        name = data.get("form", forms.DEFAULT_FORM) if isinstance(data, dict) else forms.DEFAULT_FORM
        if not isinstance(name, str):
            raise AnswersError(f"{path}:{lines.get(('form',), 1)} form 应为表单名称,如 zhanjiang")
    if form_name is None:
        try:
            forms.resolve(name, path.parent)  # an unknown name in the file is the file's mistake
        except FormError as exc:
            raise AnswersError(
                f"{path}:{lines.get(('form',), 1)} form: {exc.message}",
                exc.hint or "请改为内置表单名称,或用 --form 指定表单文件",
            ) from None
    form = forms.load(name, path.parent)
    if form_name is not None and isinstance(data, dict):
        data = {**data, "form": form.id}
    return form, from_data(form, data, lines, source=path)


def open_target(target: str | None, directory: Path, form_name: str | None) -> tuple[Path, Form, Answers]:
    """What a command's [YEAR|FILE] argument names: the path, its form and its answers."""
    path = resolve(target, directory)
    form, answers = load(path, form_name)
    return path, form, answers


def previous_of(path: Path, answers: Answers, form_name: str | None) -> Answers | None:
    """Last year's answers beside this file (the year `--from` recorded, else YEAR-1), if any.

    Last year's file is only a reference here: when it cannot be read, the check goes on without it.
    """
    year = answers.carried_from or answers.year - 1
    candidate = path.parent / f"{year}.yaml"
    if not candidate.is_file() or candidate.resolve() == path.resolve():
        return None
    try:
        _, previous = load(candidate, form_name)
    except ZjevalError:
        return None
    return previous if previous.form_id == answers.form_id else None


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(dt.date, yaml.SafeDumper.represent_date)


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def dumps(form: Form, answers: Answers, target: str | None = None) -> str:
    """The answers file's text: stable order, a comment naming each question, exact numbers."""
    data = to_data(form, answers)
    body = data.pop("answers")
    overrides = data.pop("overrides", None)
    provenance = data.pop("provenance", None)
    parts = [HEADER.format(year=answers.year, target=target or answers.year), _yaml(data)]
    parts.append("answers:\n" if body else "answers: {}\n")
    headings = numbering.question_sections(form)
    questions = form.questions()
    current = None
    for qid, value in body.items():
        heading = headings.get(qid, "表单中没有的问题(zjeval 原样保留)")
        if heading != current:
            parts.append(f"\n  # ── {heading} ──\n")
            current = heading
        q = questions.get(qid)
        if q is not None:
            parts.append(f"  # {q.label}\n")
        chunk = _yaml({qid: value})
        parts.append("".join(f"  {line}\n" if line else "\n" for line in chunk.splitlines()))
    if overrides:
        parts.append("\n# 评分表得分调整:指标id: {score: 调整后的得分, reason: 理由}\n")
        parts.append(_yaml({"overrides": overrides}))
    if provenance:
        parts.append(
            "\n# 各项回答的来源(zjeval new --from 记录):carried 沿用上年,edited 在上年基础上修改,typed 新填\n"
        )
        parts.append(_yaml({"provenance": provenance}))
    return "".join(parts)


def save(path: Path, form: Form, answers: Answers) -> None:
    """Save the answers; on failure the old file is intact and the error says so.

    A file without comments of the user's own is written in the canonical layout (dumps); one with
    them is edited in place so that they are kept (answers.roundtrip).
    """
    text = dumps(form, answers, str(path))
    old = _old_text(path)
    if old is not None and old != text:
        from zjeval.answers import roundtrip

        labels = {qid: q.label for qid, q in form.questions().items()}
        if roundtrip.own_comments(old, text, labels.values()):
            with contextlib.suppress(roundtrip.CannotMerge):  # else canonical: values before comments
                text = roundtrip.merge(old, to_data(form, answers), labels)
    write_atomic(path, text)


def _old_text(path: Path) -> str | None:
    """The file's current text, if it is there and readable (it is only used to keep comments)."""
    try:
        return yamlio.read_text(path)
    except (OSError, UnicodeDecodeError):
        return None


def new_answers(form: Form, year: int) -> Answers:
    return Answers(year=year, form_id=form.id)


def open_or_create(path: Path, year: int, form_name: str | None) -> tuple[Form, Answers]:
    """Existing answers (resumed) or a new empty set for `year`; a broken file is never overwritten."""
    if files.exists(path):
        form, answers = load(path, form_name)
        if answers.year != year:
            raise ZjevalError(
                f"{path} 中的年度是 {answers.year},不是 {year}", f"请运行 zjeval new {answers.year}"
            )
        return form, answers
    form = forms.load(form_name or forms.DEFAULT_FORM, path.parent)
    return form, new_answers(form, year)
