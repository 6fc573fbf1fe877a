"""References between the parts of a loaded form and its 评分表: ids unique, templates, rules,
attachments and the framework's rows name real questions and fields. Each problem carries its
YAML location; one inside the framework file starts with FRAMEWORK (see loader._located)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from zjeval import yamlio
from zjeval.form import import_spec
from zjeval.form import template as tpl
from zjeval.form.models import (
    Block,
    Condition,
    FieldBlock,
    Form,
    ListBlock,
    Question,
    TextBlock,
    section_tree,
)

if TYPE_CHECKING:
    from zjeval.form.framework import Framework
    from zjeval.form.models import Attachment, Projects

BUILTIN_NAMES = {"year"}  # template names that are not questions
SCORE_NAMES = {"score", "grade", "subtotals"}  # template names a form with a framework may use
RESERVED = BUILTIN_NAMES | SCORE_NAMES  # never a question's id, and read only by templates
_RESERVED_WHY = "、".join(sorted(RESERVED)) + " 由报告提供,只能在模板中引用"
FRAMEWORK = "@framework"  # a problem's location inside the form's 评分表 file, not the form

Problem = tuple[yamlio.Loc, str]


class Need(Protocol):
    """Report a problem at `loc` unless `qid` is a question of the form (of one of `types`)."""

    def __call__(
        self, qid: str, loc: yamlio.Loc, types: tuple[str, ...] = (), in_template: bool = False
    ) -> None: ...


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
            if q.id in RESERVED:
                where = (*loc, "questions", k, "id")
                problems.append((where, f"问题 id 不能是保留名称 {q.id}({_RESERVED_WHY})"))

    builtins = BUILTIN_NAMES | (SCORE_NAMES if form.scoring is not None else set())

    def need(qid: str, loc: yamlio.Loc, types: tuple[str, ...] = (), in_template: bool = False) -> None:
        if qid in RESERVED:  # a name the report supplies, only ever read by a template
            if not in_template:
                problems.append((loc, f"{qid} 是保留名称,只能在模板中写作 {{{qid}}},不是问题"))
            elif qid not in builtins:
                problems.append((loc, f"模板中的 {{{qid}}} 需要表单指定评分表(framework)"))
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
            need(name, loc, in_template=True)

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
    if form.projects is not None:
        problems.extend(_projects_problems(form.projects, need))
    blocks(form.lead, ("lead",))
    depends: dict[str, tuple[str, yamlio.Loc]] = {}  # question -> the question its when: reads
    for loc, chain in tree:
        for k, q in enumerate(chain[-1].questions):
            condition(q.when, (*loc, "questions", k))
            if q.when is not None:
                depends[q.id] = (q.when.field, (*loc, "questions", k, "when", "field"))
        blocks(chain[-1].blocks, (*loc, "blocks"))
    problems.extend(_condition_cycles(depends))
    need(form.signature.unit, ("signature", "unit"), ("text",))
    need(form.signature.date, ("signature", "date"), ("date",))
    numeric = ("money", "integer", "percent", "number")
    if form.scoring is not None:
        from zjeval.form.framework import operand_ids

        for k, ind in enumerate(form.scoring.indicators):
            f = ind.formula
            if f is None:
                continue
            operands = (
                [f.num, f.den] if f.kind == "ratio" else [f.this, f.last] if f.kind == "change" else [f.of]
            )
            for op in operands:
                for qid in operand_ids(op):
                    in_fw: yamlio.Loc = (FRAMEWORK, "indicators", k, "formula")
                    need(qid, in_fw, numeric)
                    if qid in questions and questions[qid].blank == "omit":
                        unlisted = "是 blank: omit 的数字(未填写时不列入数据表),不能用于评分公式"
                        problems.append((in_fw, f"{qid} {unlisted}"))
                    if problems and problems[-1][0] == in_fw and qid in problems[-1][1]:
                        problems[-1] = (in_fw, f"评分框架指标 {ind.id} 的公式:{problems[-1][1]}")
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


BOOK_NAMES = frozenset({"year"})
STATEMENT_NAMES = {
    "text": frozenset({"year", "count", "budget", "exec", "grades"}),
    "grade": frozenset({"grade", "count", "count_share", "budget", "budget_share"}),
}


def _projects_problems(spec: Projects, need: Need) -> list[Problem]:
    """`projects:` against the form: the answers it names, the names its sentences use."""
    at: yamlio.Loc = ("projects",)
    need(spec.name, (*at, "name"), ("text",))
    need(spec.budget, (*at, "budget"), ("money",))
    need(spec.exec, (*at, "exec"), ("money",))
    out: list[Problem] = []
    texts: list[tuple[yamlio.Loc, str, frozenset[str]]] = [(("book",), spec.book, BOOK_NAMES)]
    texts += [
        (("statement", key), getattr(spec.statement, key), names) for key, names in STATEMENT_NAMES.items()
    ]
    for loc, text, names in texts:
        for name, flt in tpl.fields(text):
            if flt or name not in names:
                out.append(((*at, *loc), f"{{{name}}} 不可用(可用:{'、'.join(sorted(names))})"))
    return out


def _condition_cycles(depends: dict[str, tuple[str, yamlio.Loc]]) -> list[Problem]:
    """Each loop of when: conditions (a question asked only when one that is asked only when the
    first …), once, at the first question in it: such questions could never be asked."""
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in depends:
        path = [start]
        while path[-1] in depends and depends[path[-1]][0] not in path:
            path.append(depends[path[-1]][0])
        if path[-1] in depends and depends[path[-1]][0] in path:
            loop = path[path.index(depends[path[-1]][0]) :]
            if not reported & set(loop):
                reported |= set(loop)
                shown = " → ".join([*loop, loop[0]])
                message = f"when 条件互相依赖,构成循环:{shown}(这些问题永远不会被问到)"
                problems.append((depends[loop[0]][1], message))
    return problems


def _rows_problems(framework: Framework, questions: dict[str, Question]) -> list[Problem]:
    """The framework's target rows against the form: the rows question and each field it names."""
    rows = framework.rows
    assert rows is not None  # the caller asked because it has them
    at: yamlio.Loc = (FRAMEWORK, "rows")
    q = questions.get(rows.question)
    if q is None or q.type != "records":
        return [
            (
                (*at, "question"),
                f"评分框架 {framework.id} 的 rows.question {rows.question} 应为表单中 records 类型的问题",
            )
        ]
    fields = {f.id: f for f in q.fields}
    out: list[Problem] = []
    for role, fid in rows.fields.model_dump().items():
        if fid not in fields:
            out.append(
                ((*at, "fields", role), f"评分框架 rows.fields.{role}: {rows.question} 中没有字段 {fid}")
            )
    if out:
        return out

    def choices(fid: str, allowed: list[str], what: str, where: yamlio.Loc) -> None:
        field = fields[fid]
        extra = sorted(set(field.choices) - set(allowed))
        if field.type != "choice" or extra:
            shown = "、".join(extra) if extra else "(不是 choice)"
            out.append(
                (
                    where,
                    f"评分框架 rows: 字段 {field.id} 的选项应取自{what}({'、'.join(allowed)}),多出 {shown}",
                )
            )

    choices(rows.fields.nature, rows.natures.words(), " natures", (*at, "natures"))
    choices(rows.fields.level1, [g.level1 for g in rows.groups], " groups 的一级指标", (*at, "groups"))
    choices(rows.fields.tier, [t.name for t in framework.tiers], " tiers", (FRAMEWORK, "tiers"))
    if fields[rows.fields.weight].type != "number":
        out.append(
            ((*at, "fields", "weight"), f"评分框架 rows: 分值字段 {rows.fields.weight} 应为 number 类型")
        )
    return out


def _attachment_problems(
    form: Form, a: Attachment, at: yamlio.Loc, need: Need, questions: dict[str, Question]
) -> list[Problem]:
    """A target_table's layout against the form and its framework (other kinds name nothing)."""
    out: list[Problem] = []
    for j, h in enumerate(a.header):
        need(h.field, (*at, "header", j, "field"))
    if a.kind != "target_table":
        for key in ("funds", "objectives", "rows"):
            if getattr(a, key) is not None:
                out.append(((*at, key), f"只有 target_table 附件有 {key}"))
        return out
    scoring = form.scoring
    if scoring is None or scoring.rows is None:
        out.append(((*at, "kind"), "target_table 附件需要表单的评分框架有 rows(指标行)"))
    for key in ("funds", "rows"):
        if getattr(a, key) is None:
            out.append(((*at, "kind"), f"target_table 附件需要 {key}(自评表的这一部分怎样排)"))
    if a.funds is not None:
        lines = [("total", a.funds.total), *((("parts", j), row) for j, row in enumerate(a.funds.parts))]
        for where, row in lines:
            place = (*at, "funds", *(where if isinstance(where, tuple) else (where,)))
            for key, qid in row.model_dump(exclude={"label"}).items():
                need(qid, (*place, key), ("money",))
        ids = {ind.id for ind in scoring.indicators} if scoring is not None else set()
        if a.funds.indicator is not None and a.funds.indicator not in ids:
            out.append(((*at, "funds", "indicator"), f"评分框架中没有指标 {a.funds.indicator}"))
    if a.objectives is not None:
        need(a.objectives.list, (*at, "objectives", "list"), ("records",))
        q = questions.get(a.objectives.list)
        fields = {f.id for f in q.fields} if q is not None else set()
        for key in ("declared", "achieved"):
            fid = getattr(a.objectives, key)
            if q is not None and fid not in fields:
                out.append(((*at, "objectives", key), f"{a.objectives.list} 中没有字段 {fid}"))
    return out
