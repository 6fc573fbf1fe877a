"""Load a form definition and validate it whole, once, before any question is asked."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zjeval import yamlio
from zjeval.errors import FormError
from zjeval.models import (
    TEMPLATE_FIELD,
    TEMPLATE_FILTERS,
    Block,
    Condition,
    FieldBlock,
    Form,
    ListBlock,
    MemberOfRule,
    NotAboveRule,
    Question,
    Section,
    SumRule,
    TextBlock,
)

DEFAULT_FORM = "zhanjiang"
BUILTIN_NAMES = {"year", "grade"}  # template names that are not questions


def builtin_dir() -> Path:
    """Where the built-in forms are: inside the wheel, or forms/ beside the package in a checkout."""
    packaged = Path(str(resources.files("zjeval"))) / "_forms"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "forms"


def builtin_forms() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def resolve(name_or_path: str) -> Path:
    """A built-in form's id, or a path to a form file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise FormError(f"找不到表单文件 {path}", "请检查路径,或使用内置表单:" + "、".join(builtin_forms()))
        return path
    builtin = builtin_dir() / f"{name_or_path}.yaml"
    if not builtin.is_file():
        raise FormError(
            f"没有名为 {name_or_path} 的内置表单", "可用的内置表单:" + "、".join(builtin_forms())
        )
    return builtin


_cache: dict[Path, Form] = {}


def load(name_or_path: str = DEFAULT_FORM) -> Form:
    """The validated form; a mistake anywhere in it is a FormError naming file, line and path."""
    path = resolve(name_or_path).resolve()
    if path in _cache:
        return _cache[path]
    try:
        text = yamlio.read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"无法读取表单文件 {path}:{exc}") from None
    try:
        data, lines = yamlio.parse(text)
    except yamlio.YamlSyntaxError as exc:
        raise FormError(f"{path}:{exc.line} {exc.message}", "请修正表单文件的 YAML 格式") from None
    if not isinstance(data, dict):
        raise FormError(f"{path}:1 表单文件应为 YAML 映射(id、name、sections …)")
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        raise FormError(
            f"表单文件 {path} 有 {exc.error_count()} 处错误",
            "请按提示修改表单文件",
            lines=[_describe(path, lines, err) for err in exc.errors()],
        ) from None
    problems = cross_check(form)
    if problems:
        raise FormError(
            f"表单文件 {path} 有 {len(problems)} 处错误", "请按提示修改表单文件", lines=problems
        )
    _cache[path] = form
    return form


def _describe(path: Path, lines: dict[yamlio.Loc, int], err: Any) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper()))
    line = yamlio.line_of(lines, loc)
    where = ".".join(str(p) for p in loc) or "(根)"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "未知的键(拼写错误?)"
    elif err["type"] == "missing":
        msg = "缺少此项"
    return f"{path}:{line or 1} {where}: {msg}"


def cross_check(form: Form) -> list[str]:
    """References between parts of the form: ids unique, templates and rules name real questions."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    section_ids: set[str] = set()
    questions: dict[str, Question] = {}

    def visit(section: Section, where: str) -> None:
        if section.id in section_ids:
            problems.append(f"{where}: 章节 id {section.id} 重复")
        section_ids.add(section.id)
        for q in section.questions:
            if q.id in seen:
                problems.append(f"{where}.{q.id}: 问题 id 重复(已在 {seen[q.id]} 中)")
            seen[q.id] = where
            questions[q.id] = q
        for child in section.sections:
            visit(child, f"{where}.{child.id}")

    for s in form.sections:
        visit(s, s.id)

    def need(qid: str, where: str, types: tuple[str, ...] = ()) -> None:
        if qid in BUILTIN_NAMES and not types:
            return
        q = questions.get(qid)
        if q is None:
            problems.append(f"{where}: 引用了不存在的问题 {qid}")
        elif types and q.type not in types:
            problems.append(f"{where}: {qid} 的类型应为 {'/'.join(types)},实为 {q.type}")

    def template(text: str, where: str, scope: dict[str, Question] | None = None) -> None:
        for m in TEMPLATE_FIELD.finditer(text):
            name, flt = m[1], m[2]
            if flt and flt not in TEMPLATE_FILTERS:
                problems.append(f"{where}: 未知的过滤器 |{flt}")
            if scope is not None and name in scope:
                continue
            need(name, where)

    def condition(cond: Condition | None, where: str) -> None:
        if cond is None:
            return
        need(cond.field, f"{where}.when")
        q = questions.get(cond.field)
        for value in (cond.equals, cond.not_equals):
            if q is not None and value is not None and q.choices and value not in q.choices:
                problems.append(f"{where}.when: {value!r} 不是 {cond.field} 的选项")

    def blocks(items: list[Block], where: str) -> None:
        for i, b in enumerate(items):
            w = f"{where}.blocks[{i}]"
            condition(b.when, w)
            if isinstance(b, TextBlock):
                template(b.text, w)
            elif isinstance(b, FieldBlock):
                need(b.field, w)
            elif isinstance(b, ListBlock):
                need(b.list, w, ("records",))
                q = questions.get(b.list)
                if q is not None and q.type == "records":
                    scope = {f.id: f for f in q.fields}
                    template(b.item, w, scope)
                    if b.sub is not None and (b.sub not in scope or scope[b.sub].type != "strings"):
                        problems.append(f"{w}: sub {b.sub} 应为 {b.list} 中 strings 类型的字段")

    def walk(section: Section, where: str) -> None:
        for q in section.questions:
            condition(q.when, f"{where}.{q.id}")
        blocks(section.blocks, where)
        for child in section.sections:
            walk(child, f"{where}.{child.id}")

    template(form.title, "title")
    blocks(form.lead, "lead")
    for s in form.sections:
        walk(s, s.id)
    need(form.signature.unit, "signature.unit", ("text",))
    need(form.signature.date, "signature.date", ("date",))
    if form.score_field is not None:
        need(form.score_field, "score_field", ("number", "integer"))
        if not form.grades:
            problems.append("score_field: 给出了 score_field 就必须给出 grades")
    for i, rule in enumerate(form.rules):
        w = f"rules[{i}]({rule.id})"
        if isinstance(rule, SumRule):
            for qid in (rule.total, *rule.parts):
                need(qid, w, ("money",))
        elif isinstance(rule, MemberOfRule):
            need(rule.list, w, ("records",))
            need(rule.within, w, ("strings",))
            q = questions.get(rule.list)
            if q is not None and q.type == "records" and rule.field not in {f.id for f in q.fields}:
                problems.append(f"{w}: {rule.list} 中没有字段 {rule.field}")
        elif isinstance(rule, NotAboveRule):
            need(rule.value, w, ("money", "integer", "percent", "number"))
            need(rule.limit, w, ("money", "integer", "percent", "number"))
            if rule.reason is not None:
                need(rule.reason, w, ("text", "paragraphs"))
    return problems
