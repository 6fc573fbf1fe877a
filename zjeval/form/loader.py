"""Load a form definition and validate it whole, once, before any question is asked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from zjeval import yamlio
from zjeval.errors import FormError
from zjeval.form import cache as formcache
from zjeval.form.models import (
    Form,
    Section,
    section_tree,
)
from zjeval.form.reading import unreadable

if TYPE_CHECKING:
    from zjeval.form.cross_check import Problem

DEFAULT_FORM = "zhanjiang"


def builtin_dir() -> Path:
    """Where the built-in forms are: inside the wheel, or forms/ beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_forms"  # the wheel carries forms/ here (pyproject: force-include)
    return packaged if packaged.is_dir() else package.parent / "forms"


def builtin_forms() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def catalog() -> list[Form]:
    """Every built-in form, validated, in the order of their ids."""
    return [load(name) for name in builtin_forms()]


def looks_like_path(name: str) -> bool:
    """Whether a form name (--form, or a file's `form:`) is a path: it holds a folder separator or
    ends in .yaml/.yml. Anything else is a form's id, whatever the current folder holds (a build
    folder `target/`, a file named `zhanjiang`)."""
    separators = {"/", "\\", os.sep, os.altsep or "/"}
    return any(s in name for s in separators) or name.lower().endswith((".yaml", ".yml"))


USER_FOLDER = "forms"  # answers/forms/: a unit's own copies of forms, found before the built-in ones


def user_form(name: str, beside: Path | None) -> Path | None:
    """The unit's own form NAME.yaml in the forms/ folder beside its answers files, if there is one."""
    if beside is None or looks_like_path(name):
        return None
    mine = beside / USER_FOLDER / f"{name}.yaml"
    return mine if mine.is_file() else None


def resolve(name_or_path: str, base: Path | None = None) -> Path:
    """A form's id — the unit's own copy in `base`/forms/ first, else the built-in one — or a path
    to a form file (relative to `base`, the answers' folder)."""
    mine = user_form(name_or_path, base)
    if mine is not None:
        return mine
    builtin = builtin_dir() / f"{name_or_path}.yaml"
    if not looks_like_path(name_or_path):
        if builtin.is_file():
            return builtin
        raise FormError(
            f"没有名为 {name_or_path} 的内置表单",
            "可用的内置表单:" + "、".join(builtin_forms()) + ";自己的表单文件请写路径(如 ./我的表单.yaml)",
        )
    path = Path(name_or_path)
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.is_file():
        raise FormError(f"找不到表单文件 {path}", "请检查路径,或使用内置表单:" + "、".join(builtin_forms()))
    return path


def is_builtin(form: Form) -> bool:
    """Whether the form was loaded from the built-in forms folder."""
    source = form.source
    return source is None or source.parent == builtin_dir().resolve()


_cache: dict[Path, Form] = {}


def load(name_or_path: str = DEFAULT_FORM, base: Path | None = None) -> Form:
    """The validated form; a mistake anywhere in it is a FormError naming file, line and path.
    `base`: the answers' folder (its forms/ may hold the unit's own copy; a path is relative to it)."""
    path = resolve(name_or_path, base).resolve()
    if path in _cache:
        return _cache[path]
    cached = formcache.get(path)
    if isinstance(cached, Form):
        cached._source = path
        _cache[path] = cached
        return cached
    form, sources = _load_file(path)
    form._source = path
    _cache[path] = form
    formcache.put(path, sources, form)
    return form


def _load_file(path: Path) -> tuple[Form, list[Path]]:
    """The form in `path` and the other files it read; every problem found, in one FormError.

    The form and its 评分表 are validated side by side, so the mistakes of both come in one
    pass; their cross-references are checked when both are sound. Each problem names its own
    file and line: the form's, a fragment's (include) or the framework's."""
    try:
        text = yamlio.read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable("表单文件", path, exc) from None
    try:
        raw, lines = yamlio.parse(text)
    except yamlio.YamlSyntaxError as exc:
        raise FormError(f"{path}:{exc.line} {exc.message}", "请修正表单文件的 YAML 格式") from None
    if not isinstance(raw, dict):
        raise FormError(f"{path}:1 表单文件应为 YAML 映射(id、name、sections …)")
    from zjeval.form import include

    root = builtin_dir() if path.parent == builtin_dir().resolve() else path.parent
    data, origins = include.expand(raw, lines, path, root)
    problems: list[str] = []
    hints: list[str] = []  # of a problem that is not a file:line (a framework file not UTF-8 …)
    form: Form | None = None
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            where, where_lines, rest = include.locate(origins, loc)
            problems.append(yamlio.describe_error(where, where_lines, {**err, "loc": rest}))
    framework = None
    framework_path: Path | None = None
    name = data.get("framework")
    if isinstance(name, str):
        from zjeval.form import framework as fw

        try:
            framework_path = _resolve_framework(name, path)
            framework = fw.load_file(framework_path)
        except FormError as exc:
            problems.extend(exc.lines or [exc.message])
            hints.extend([exc.hint] if not exc.lines and exc.hint else [])
    sources = [*include.files(origins), *([framework_path.resolve()] if framework_path is not None else [])]
    if form is not None and (form.framework is None or framework is not None):
        try:
            if framework is not None and framework_path is not None:
                form = _with_framework(form, path, framework)
        except FormError as exc:
            problems.append(exc.message)
        else:
            from zjeval.form.cross_check import cross_check  # only for a form not in the cache

            problems.extend(_located(cross_check(form), origins, framework_path))
    if problems:
        raise FormError(
            f"表单文件 {path} 有 {len(problems)} 处错误",
            ";".join([*hints, "请按提示修改表单文件或评分表"]),
            lines=problems,
        )
    assert form is not None
    return form, sources


def _located(problems: list[Problem], origins: Any, framework_path: Path | None) -> list[str]:
    """Problems as 'file:line path: message', each in the file it is in."""
    from zjeval.form import include
    from zjeval.form.cross_check import FRAMEWORK, dotted

    out: list[str] = []
    framework_lines: dict[yamlio.Loc, int] | None = None
    for loc, msg in problems:
        if loc[:1] == (FRAMEWORK,) and framework_path is not None:
            if framework_lines is None:
                framework_lines = yamlio.parse(yamlio.read_text(framework_path))[1]
            rest = loc[1:]
            out.append(f"{framework_path}:{yamlio.line_of(framework_lines, rest) or 1} {dotted(rest)}: {msg}")
            continue
        where, lines, rest = include.locate(origins, loc)
        out.append(f"{where}:{yamlio.line_of(lines, rest) or 1} {dotted(rest)}: {msg}")
    return out


def _resolve_framework(name: str, form_path: Path) -> Path:
    """A framework path beside the form (frameworks/NAME.yaml or a relative path), or a built-in one."""
    candidates = (
        [form_path.parent / name]
        if name.endswith((".yaml", ".yml"))
        else [
            form_path.parent / "frameworks" / f"{name}.yaml",
            builtin_dir() / "frameworks" / f"{name}.yaml",
        ]
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FormError(
        f"{form_path}: 找不到评分框架 {name}",
        "framework 应为 forms/frameworks/ 中的文件名(不带 .yaml),或相对于表单文件的路径",
    )


def _with_framework(form: Form, path: Path, loaded: Any) -> Form:
    """The form with its framework attached and the judgment questions put in their section."""
    from zjeval.form import framework as fw

    judged = fw.judgment_questions(loaded)

    def fill(sections: list[Section]) -> list[Section]:
        return [
            s.model_copy(
                update={
                    "questions": [*s.questions, *judged] if s.generated == "judgments" else s.questions,
                    "sections": fill(s.sections),
                }
            )
            for s in sections
        ]

    targets = [chain[-1] for _, chain in section_tree(form.sections) if chain[-1].generated == "judgments"]
    if len(targets) > 1 or (judged and not targets):
        raise FormError(
            f"{path}: 评分框架中有需要评价人判断的指标,表单需要且只能有一个 generated: judgments 的章节"
        )
    out = form.model_copy(update={"sections": fill(form.sections)})
    out._framework = loaded
    out._walk = out._questions = None  # the copy has new sections: nothing cached may survive
    return out
