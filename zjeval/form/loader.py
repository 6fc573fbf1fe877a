"""Load a form definition and validate it whole, once, before any question is asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zjeval.answers import yamlio
from zjeval.answers.files import describe
from zjeval.errors import FormError, StorageError
from zjeval.form import cache as formcache
from zjeval.form import import_spec
from zjeval.form import template as tpl
from zjeval.form.models import (
    Block,
    Condition,
    FieldBlock,
    Form,
    ListBlock,
    Question,
    Section,
    TextBlock,
    section_tree,
)

DEFAULT_FORM = "zhanjiang"
BUILTIN_NAMES = {"year"}  # template names that are not questions
SCORE_NAMES = {"score", "grade", "subtotals"}  # template names a form with a framework may use


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


USER_FOLDER = "forms"  # answers/forms/: a unit's own copies of forms, found before the built-in ones


def user_form(name: str, beside: Path | None) -> Path | None:
    """The unit's own form NAME.yaml in the forms/ folder beside its answers files, if there is one."""
    if beside is None or Path(name).suffix in (".yaml", ".yml") or "/" in name:
        return None
    mine = beside / USER_FOLDER / f"{name}.yaml"
    return mine if mine.is_file() else None


def resolve(name_or_path: str, beside: Path | None = None) -> Path:
    """A form's id — the unit's own copy in `beside`/forms/ first, else the built-in one — or a
    path to a form file."""
    mine = user_form(name_or_path, beside)
    if mine is not None:
        return mine
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise FormError(
                f"找不到表单文件 {path}", "请检查路径,或使用内置表单:" + "、".join(builtin_forms())
            )
        return path
    builtin = builtin_dir() / f"{name_or_path}.yaml"
    if not builtin.is_file():
        raise FormError(f"没有名为 {name_or_path} 的内置表单", "可用的内置表单:" + "、".join(builtin_forms()))
    return builtin


def unreadable(what: str, path: Path, exc: OSError | UnicodeDecodeError) -> FormError | StorageError:
    """Why a form or framework file could not be read, in Chinese (not the system's English).

    A file that is not a form (not UTF-8, far too large) is a FormError; an OS error (permission,
    a failing disk) a StorageError, as for an answers file.
    """
    if isinstance(exc, UnicodeDecodeError):
        return FormError(f"{what} {path} 不是 UTF-8 编码的文本", f"请用 UTF-8 编码保存{what}")
    if isinstance(exc, yamlio.TooLarge):  # our own message
        return FormError(f"无法读取{what} {path}:{exc}", f"{what}通常不超过几百 KB;请检查是否选错了文件")
    return StorageError(f"无法读取{what} {path}:{describe(exc)}")


_cache: dict[Path, Form] = {}


def load(name_or_path: str = DEFAULT_FORM, beside: Path | None = None) -> Form:
    """The validated form; a mistake anywhere in it is a FormError naming file, line and path.
    `beside`: the answers' directory, whose forms/ folder may hold the unit's own copy."""
    path = resolve(name_or_path, beside).resolve()
    if path in _cache:
        return _cache[path]
    cached = formcache.get(path)
    if isinstance(cached, Form):
        _cache[path] = cached
        return cached
    try:
        text = yamlio.read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable("表单文件", path, exc) from None
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
            lines=[yamlio.describe_error(path, lines, err) for err in exc.errors()],
        ) from None
    sources: list[Path] = []
    if form.framework is not None:
        form, framework_path = _with_framework(form, path)
        sources.append(framework_path.resolve())
    problems = cross_check(form)
    if problems:
        raise FormError(
            f"表单文件 {path} 有 {len(problems)} 处错误",
            "请按提示修改表单文件",
            lines=[f"{path}:{yamlio.line_of(lines, loc) or 1} {dotted(loc)}: {msg}" for loc, msg in problems],
        )
    _cache[path] = form
    formcache.put(path, sources, form)
    return form


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


def _with_framework(form: Form, path: Path) -> tuple[Form, Path]:
    """The form with its framework loaded and the judgment questions put in their section."""
    from zjeval.form import framework as fw

    assert form.framework is not None
    framework_path = _resolve_framework(form.framework, path)
    loaded = fw.load_file(framework_path)
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
    return out, framework_path


Problem = tuple[yamlio.Loc, str]


def dotted(loc: yamlio.Loc) -> str:
    """('sections', 1, 'questions', 0, 'id') -> 'sections[1].questions[0].id'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(根)"


def cross_check(form: Form) -> list[Problem]:
    """References between parts of the form: ids unique, templates and rules name real questions.

    Each problem carries the YAML location of the offending key, so it can be shown as file:line.
    """
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    section_ids: set[str] = set()
    questions: dict[str, Question] = {}

    tree = section_tree(form.sections)
    for loc, chain in tree:
        section = chain[-1]
        if section.id in section_ids:
            problems.append(((*loc, "id"), f"章节 id {section.id} 重复"))
        section_ids.add(section.id)
        for k, q in enumerate(section.questions):
            if q.id in seen:
                problems.append(
                    ((*loc, "questions", k, "id"), f"问题 id {q.id} 重复(已在章节 {seen[q.id]} 中)")
                )
            seen[q.id] = section.id
            questions[q.id] = q

    builtins = BUILTIN_NAMES | (SCORE_NAMES if form.scoring is not None else set())

    def need(qid: str, loc: yamlio.Loc, types: tuple[str, ...] = ()) -> None:
        if qid in builtins and not types:
            return
        q = questions.get(qid)
        if q is None:
            problems.append((loc, f"引用了不存在的问题 {qid}"))
        elif types and q.type not in types:
            problems.append((loc, f"{qid} 的类型应为 {'/'.join(types)},实为 {q.type}"))

    def template(text: str, loc: yamlio.Loc, scope: dict[str, Question] | None = None) -> None:
        for name, flt in tpl.fields(text):
            if flt and flt not in tpl.FILTERS:
                problems.append((loc, f"未知的过滤器 |{flt}"))
            if scope is not None and name in scope:
                continue
            need(name, loc)

    def condition(cond: Condition | None, loc: yamlio.Loc) -> None:
        if cond is None:
            return
        need(cond.field, (*loc, "when", "field"))
        q = questions.get(cond.field)
        for key, value in (("equals", cond.equals), ("not_equals", cond.not_equals)):
            if q is not None and value is not None and q.choices and value not in q.choices:
                problems.append(((*loc, "when", key), f"{value!r} 不是 {cond.field} 的选项"))

    def blocks(items: list[Block], loc: yamlio.Loc) -> None:
        for i, b in enumerate(items):
            at = (*loc, i)
            condition(b.when, at)
            if isinstance(b, TextBlock):
                template(b.text, (*at, "text"))
            elif isinstance(b, FieldBlock):
                need(b.field, (*at, "field"))
            elif isinstance(b, ListBlock):
                need(b.list, (*at, "list"), ("records",))
                q = questions.get(b.list)
                if q is not None and q.type == "records":
                    scope = {f.id: f for f in q.fields}
                    template(b.item, (*at, "item"), scope)
                    if b.sub is not None and (b.sub not in scope or scope[b.sub].type != "strings"):
                        problems.append(((*at, "sub"), f"sub {b.sub} 应为 {b.list} 中 strings 类型的字段"))

    template(form.title, ("title",))
    for i, a in enumerate(form.attachments):  # attachment titles are templates like the title
        template(a.title, ("attachments", i, "title"))
        if a.kind == "scorecard" and form.scoring is None:
            problems.append((("attachments", i, "kind"), "评分表附件需要表单指定 framework"))
        problems.extend(_attachment_problems(form, a, ("attachments", i), need, questions))
    blocks(form.lead, ("lead",))
    for loc, chain in tree:
        for k, q in enumerate(chain[-1].questions):
            condition(q.when, (*loc, "questions", k))
        blocks(chain[-1].blocks, (*loc, "blocks"))
    need(form.signature.unit, ("signature", "unit"), ("text",))
    need(form.signature.date, ("signature", "date"), ("date",))
    numeric = ("money", "integer", "percent", "number")
    if form.scoring is not None:
        from zjeval.form.framework import operand_ids

        for ind in form.scoring.indicators:
            f = ind.formula
            if f is None:
                continue
            operands = (
                [f.num, f.den] if f.kind == "ratio" else [f.this, f.last] if f.kind == "change" else [f.of]
            )
            for op in operands:
                for qid in operand_ids(op):
                    need(qid, ("framework",), numeric)
                    if problems and problems[-1][0] == ("framework",) and qid in problems[-1][1]:
                        problems[-1] = (("framework",), f"评分框架指标 {ind.id} 的公式:{problems[-1][1]}")
    if form.scoring is not None and form.scoring.rows is not None:
        problems.extend(_rows_problems(form.scoring, questions))
    for i, table in enumerate(form.tables):
        problems.extend((("tables", i, *loc), msg) for loc, msg in table.problems(questions))
    rule_ids: set[str] = set()
    for i, rule in enumerate(form.rules):
        at: yamlio.Loc = ("rules", i)
        if rule.id in rule_ids:
            problems.append(((*at, "id"), f"规则 id {rule.id} 重复"))
        rule_ids.add(rule.id)
        for key, qid, types in rule.reads():
            need(qid, (*at, key), types)
        for key, message in rule.shape_problems(questions):
            problems.append(((*at, key), message))
    if form.import_ is not None:  # the import block: its own check, in its own module
        problems += import_spec.cross_check(form.import_, dict(questions), section_ids)
    return problems


def _rows_problems(framework: Any, questions: dict[str, Question]) -> list[Problem]:
    """The framework's target rows against the form: the rows question and each field it names."""
    rows = framework.rows
    at: yamlio.Loc = ("framework",)
    q = questions.get(rows.question)
    if q is None or q.type != "records":
        return [
            (at, f"评分框架 {framework.id} 的 rows.question {rows.question} 应为表单中 records 类型的问题")
        ]
    fields = {f.id: f for f in q.fields}
    out: list[Problem] = []
    for role, fid in rows.fields.model_dump().items():
        if fid not in fields:
            out.append((at, f"评分框架 rows.fields.{role}: {rows.question} 中没有字段 {fid}"))
    if out:
        return out

    def choices(fid: str, allowed: list[str], what: str) -> None:
        field = fields[fid]
        extra = sorted(set(field.choices) - set(allowed))
        if field.type != "choice" or extra:
            shown = "、".join(extra) if extra else "(不是 choice)"
            out.append(
                (at, f"评分框架 rows: 字段 {field.id} 的选项应取自{what}({'、'.join(allowed)}),多出 {shown}")
            )

    choices(rows.fields.nature, rows.natures.words(), " natures")
    choices(rows.fields.level1, [g.level1 for g in rows.groups], " groups 的一级指标")
    choices(rows.fields.tier, [t.name for t in framework.tiers], " tiers")
    if fields[rows.fields.weight].type != "number":
        out.append((at, f"评分框架 rows: 分值字段 {rows.fields.weight} 应为 number 类型"))
    return out


def _attachment_problems(
    form: Form, a: Any, at: yamlio.Loc, need: Any, questions: dict[str, Question]
) -> list[Problem]:
    """A target_table's blocks against the form and its framework (other kinds name nothing)."""
    out: list[Problem] = []
    if a.kind != "target_table":
        return out
    scoring = form.scoring
    if scoring is None or scoring.rows is None:
        out.append(((*at, "kind"), "target_table 附件需要表单的评分框架有 rows(指标行)"))
    if not a.funding:
        out.append(((*at, "funding"), "target_table 附件需要 funding(资金情况的各行)"))
    for j, row in enumerate(a.funding):
        for key, qid in row.model_dump(exclude={"label"}).items():
            need(qid, (*at, "funding", j, key), ("money",))
    ids = {ind.id for ind in scoring.indicators} if scoring is not None else set()
    if a.funding_indicator is not None and a.funding_indicator not in ids:
        out.append(((*at, "funding_indicator"), f"评分框架中没有指标 {a.funding_indicator}"))
    if a.objectives is not None:
        need(a.objectives.list, (*at, "objectives", "list"), ("records",))
        q = questions.get(a.objectives.list)
        fields = {f.id for f in q.fields} if q is not None else set()
        for key, fid in a.objectives.model_dump(exclude={"list"}).items():
            if q is not None and fid not in fields:
                out.append(((*at, "objectives", key), f"{a.objectives.list} 中没有字段 {fid}"))
    return out
