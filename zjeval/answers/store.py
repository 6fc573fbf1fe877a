"""Answers files on disk: find, load, and save atomically (temp file + rename)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from zjeval.answers import yamlio
from zjeval.answers.model import Answers, check_year, from_data, to_data
from zjeval.errors import AnswersError, FormError, StorageError, ZjevalError
from zjeval.form import loader as forms
from zjeval.form import numbering
from zjeval.form.models import Form

DEFAULT_DIR = Path("answers")

HEADER = """\
# zjeval 答案文件:{year}年度部门整体支出绩效自评报告
# 可以直接编辑;改完运行 `zjeval check {target}` 检查,`zjeval new {year}` 继续访谈。
# 金额单位为万元;列表中每项一行,以"- "开头,不要自己编号。
"""


def year_path(year: int, directory: Path = DEFAULT_DIR) -> Path:
    return directory / f"{year}.yaml"


def resolve(target: str | None, directory: Path = DEFAULT_DIR) -> Path:
    """YEAR (four digits) -> answers/YEAR.yaml; a path stays a path; nothing -> the latest year."""
    if target is None:
        years = sorted(p for p in directory.glob("*.yaml") if p.stem.isdigit() and len(p.stem) == 4)
        if not years:
            raise AnswersError(
                f"{directory}/ 中还没有答案文件", "先运行 zjeval new 2019 开始填写(2019 换成评价年度)"
            )
        return years[-1]
    if target.isdigit():
        return year_path(check_year(target, "参数 YEAR:"), directory)
    path = Path(target)
    if path.suffix not in (".yaml", ".yml"):
        raise AnswersError(
            f"参数应为年度(如 2019)或答案文件(.yaml),而不是 {target!r}",
            "例如:zjeval check 2019 或 zjeval check answers/2019.yaml",
        )
    return path


GLOB_CHARS = frozenset("*?[")


def expand(targets: list[str], directory: Path = DEFAULT_DIR) -> list[Path]:
    """Several [YEAR|FILE|GLOB] arguments -> the answers files they name, in order, without repeats.

    Globs are expanded here so that they work the same in every shell (Windows' included).
    """
    out: dict[Path, None] = {}
    for target in targets:
        if GLOB_CHARS & set(target):
            import glob

            matches = sorted(glob.glob(target, recursive=True))
            if not matches:
                raise AnswersError(f"没有与 {target} 匹配的文件", "请检查通配符和目录")
            out.update((Path(m), None) for m in matches if m.endswith((".yaml", ".yml")))
        else:
            out[resolve(target, directory)] = None
    return list(out)


def read(path: Path) -> tuple[Any, dict[yamlio.Loc, int]]:
    """Parsed YAML and its line map; a missing, unreadable or broken file is an AnswersError."""
    if not path.is_file():
        raise AnswersError(f"找不到答案文件 {path}", "运行 zjeval new YEAR 开始填写,或检查路径")
    try:
        text = yamlio.read_text(path)
    except UnicodeDecodeError:
        raise AnswersError(f"{path}: 不是 UTF-8 编码的文本", "请用 UTF-8 编码保存此文件") from None
    except OSError as exc:
        raise StorageError(f"无法读取 {path}:{exc.strerror or exc}") from None
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
            forms.resolve(name)  # an unknown name in the file is the file's mistake, not the form's
        except FormError as exc:
            raise AnswersError(
                f"{path}:{lines.get(('form',), 1)} form: {exc.message}",
                exc.hint or "请改为内置表单名称,或用 --form 指定表单文件",
            ) from None
    form = forms.load(name)
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


@contextmanager
def editing(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` while an interview edits it.

    The lock is an OS file lock on a hidden file beside the answers: it is released when the
    process ends however it ends (Ctrl-C, a crash, SIGKILL), so it can never be left stuck.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path.parent / f".{path.name}.lock", "a+b")  # noqa: SIM115 - held until the with-block ends
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise StorageError(
            f"{path} 正在被另一个 zjeval new 编辑,为免互相覆盖,本次不能同时打开",
            "请先在另一个窗口中结束那次访谈(Ctrl-C 会保存已答的内容),然后再运行",
        ) from None
    try:
        yield
    finally:
        handle.close()


def refuse_overwrite(path: Path, force: bool) -> None:
    """An output file that exists is only replaced when the user said --force."""
    if path.exists() and not force:
        raise ZjevalError(f"{path} 已存在,未覆盖", "加 --force 覆盖,或用 -o 指定其他文件名")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temp file in the same folder and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(path: Path, form: Form, answers: Answers) -> None:
    """Save the answers; on failure the old file is intact and the error says so."""
    try:
        write_atomic(path, dumps(form, answers, str(path)))
    except OSError as exc:
        raise StorageError(
            f"无法写入 {path}:{exc.strerror or exc}", "原文件未被改动;请检查目录权限和磁盘空间"
        ) from None


def new_answers(form: Form, year: int) -> Answers:
    return Answers(year=year, form_id=form.id)


def open_or_create(path: Path, year: int, form_name: str | None) -> tuple[Form, Answers]:
    """Existing answers (resumed) or a new empty set for `year`; a broken file is never overwritten."""
    if path.exists():
        form, answers = load(path, form_name)
        if answers.year != year:
            raise ZjevalError(
                f"{path} 中的年度是 {answers.year},不是 {year}", f"请运行 zjeval new {answers.year}"
            )
        return form, answers
    form = forms.load(form_name or forms.DEFAULT_FORM)
    return form, new_answers(form, year)
