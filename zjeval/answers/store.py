"""Answers files: load them, and save them (written through answers.files, comments kept).

Finding the file is answers.paths' job, writing bytes safely answers.files', locking answers.lock's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from zjeval import yamlio
from zjeval.answers import files
from zjeval.answers.files import write_atomic
from zjeval.answers.model import Answers, answers_data, from_data, to_data
from zjeval.answers.paths import resolve
from zjeval.errors import AnswersError, FormError, ZjevalError, os_error
from zjeval.form import loader as forms
from zjeval.form import numbering
from zjeval.form.models import Form
from zjeval.pyyaml import yaml

HEADER = """\
# zjeval 答案文件:{year}年度{subject}
# 可以直接编辑;改完运行 `zjeval check {target}` 检查,`{resume}` 继续访谈。
# 金额单位为万元;列表中每项一行,以"- "开头,不要自己编号。
"""


def read(path: Path) -> tuple[object, dict[yamlio.Loc, int]]:
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
    """The form the file names (a built-in id, or a path relative to the file) and its answers.

    `form_name` (--form) may only name the same form; a file naming another one is refused,
    so a command never reads answers against the wrong form.
    """
    data, lines = read(path)
    written = data.get("form") if isinstance(data, dict) else None
    where = f"{path}:{lines.get(('form',), 1)}"
    if written is not None and not isinstance(written, str):
        raise AnswersError(f"{where} form 应为表单名称(如 zhanjiang)或表单文件的路径")
    named: Path | None = None
    by_id_only = (  # a file written before `form:` could be a path names its own form by id
        written is not None
        and form_name is not None
        and not forms.looks_like_path(written)
        and written not in forms.builtin_forms()
    )
    if written is not None and not by_id_only:
        try:  # an unknown name in the file is the file's mistake, not the form's
            named = forms.resolve(written, path.parent).resolve()
        except FormError as exc:
            raise AnswersError(
                f"{where} form: {exc.message}", exc.hint or "请改为内置表单名称,或表单文件的路径"
            ) from None
    if form_name is not None:
        form = chosen_form(form_name, path.parent)
        if written is not None and form.source != named:
            own = (
                forms.load(str(named)).id if named is not None and forms.looks_like_path(written) else written
            )
            if own != form.id:  # another form, not an edited copy of the file's own
                raise ZjevalError(
                    f"{path} 用的是表单 {written}(ID {own}),与 --form {form_name}(ID {form.id})不同",
                    "答案文件记着自己的表单,去掉 --form 即可;确要换表单,请先改文件中的 form:",
                )
    else:
        form = forms.load(str(named) if named is not None else forms.DEFAULT_FORM, path.parent)
    if isinstance(data, dict) and written is not None:
        data = {**data, "form": form.id}
    answers = from_data(form, data, lines, source=path)
    answers.form_ref = form_ref(form, path)
    return form, answers


def chosen_form(name: str, folder: Path) -> Form:
    """The form --form names: a path as given (from the current folder), an id from the answers'
    folder (the unit's own forms/ copy first, then the built-in one)."""
    return forms.load(name) if forms.looks_like_path(name) else forms.load(name, folder)


def form_ref(form: Form, path: Path) -> str:
    """What an answers file at `path` writes as its `form:`: a built-in id, or the form file's path
    relative to the answers file (so the folder can move as a whole)."""
    source = form.source
    if source is None or forms.is_builtin(form):
        return form.id
    try:
        return Path(os.path.relpath(source, path.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return source.as_posix()


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


def _raw_number(dumper: yaml.SafeDumper, text: yamlio.RawNumber) -> yaml.Node:
    """A scalar read as written but refused as a number (0x10, 2:00, .inf) is written back the way
    it was read, so saving never changes or loses what check reports."""
    tag = dumper.resolve(yaml.ScalarNode, str(text), (True, False))  # type: ignore[no-untyped-call]
    return dumper.represent_scalar(tag, str(text))


_Dumper.add_representer(str, _str)
_Dumper.add_representer(yamlio.RawNumber, _raw_number)
_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(dt.date, yaml.SafeDumper.represent_date)


def _yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def dumps(form: Form, answers: Answers, target: str | None = None) -> str:
    """The answers file's text: stable order, a comment naming each question, exact numbers."""
    data = to_data(form, answers)
    del data["answers"]
    body = answers_data(form, answers)
    overrides = data.pop("overrides", None)
    provenance = data.pop("provenance", None)
    imported = data.pop("origins", None)
    resume = f"zjeval new {answers.year}"
    if form.projects is not None:  # one file of a year's projects (answers/YEAR-项目/NAME.yaml)
        name = answers.get(form.projects.name) or (Path(target).stem if target else "")
        resume += f" --project {name}"
    header = HEADER.format(
        year=answers.year, subject=form.subject, target=target or answers.year, resume=resume
    )
    parts = [header, _yaml(data)]
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
            "\n# 各项回答的来源(zjeval new --from 记录):carried 沿用上年,edited 在上年基础上修改,typed 新填,"
            "suggested 由上年数字推算、待确认(访谈中确认,或核对后改为 carried)\n"
        )
        parts.append(_yaml({"provenance": provenance}))
    if imported:
        parts.append(
            "\n# 导入的回答取自报告的哪里(from),存疑的写明原因(doubt);核对后可删除 doubt 或整段删除;"
            "由上年数字推算的回答,from 写明算式\n"
        )
        parts.append(_yaml({"origins": imported}))
    return "".join(parts)


def save(path: Path, form: Form, answers: Answers) -> None:
    """Save the answers; on failure the old file is intact and the error says so.

    A file without comments of the user's own is written in the canonical layout (dumps); one with
    them is edited in place so that they are kept (answers.roundtrip).
    """
    answers.form_ref = form_ref(form, path)
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


def open_or_create(
    path: Path, year: int, form_name: str | None, from_form: str | None = None
) -> tuple[Form, Answers]:
    """Existing answers (resumed) or a new empty set for `year`; a broken file is never overwritten.

    A new file takes --form, else the form of the file it starts from (`from_form`, --from)."""
    if files.exists(path):
        form, answers = load(path, form_name)
        if answers.year != year:
            raise ZjevalError(
                f"{path} 中的年度是 {answers.year},不是 {year}", f"请运行 zjeval new {answers.year}"
            )
        return form, answers
    form = chosen_form(form_name or from_form or forms.DEFAULT_FORM, path.parent)
    return form, new_answers(form, year)
