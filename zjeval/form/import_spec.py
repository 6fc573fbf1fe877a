"""The `import:` block of a form: what `zjeval import` needs to know about this form's outline.

Pure data, validated whole when the form loads (see `cross_check`, called by the loader):
heading aliases per section, the phrases that locate each figure, the wordings that map to a
choice, and which question each extractor kind fills. The importer (zjeval/importing/) is
generic code keyed by these kinds; it never names a question of any form.

    import:
      unplaced: unclassified          # receives every paragraph that has no home
      front: [{kind: lead, field: lead_text}, {kind: docno_citation, docno: notice_no, ...}]
      sections:                       # checked in this order: the specific ones first
        score:
          headings: [自评结果, 评价结论]  # regular expressions, searched in a heading
          fill: [{kind: paragraphs, field: score_summary, stated_score: true}]
        basic: {headings: [基本情况], text_to: org}
      figures:
        income_total: [收入总预算, 收入总计]
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


def _compiles(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"正则表达式 {value!r} 有误:{exc}") from None
    return value


def _all_compile(v: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every pattern of every list in the mapping compiles (else a ValueError naming it)."""
    for patterns in v.values():
        for p in patterns:
            _compiles(p)
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class LeadFill(_Strict):
    """The 导语: '根据《通知》(文号)的要求,……现将……报告如下:' — the words in between."""

    kind: Literal["lead"]
    field: Id


class NoticeFill(_Strict):
    """The notice cited in the 导语 (or the first 评价/绩效 notice): 文号, name, issuer."""

    kind: Literal["docno_citation"]
    docno: Id
    name: Id | None = None
    issuer: Id | None = None


class BasisFill(_Strict):
    """'根据<机关>印发的《<规定>》(<文号>),<单位>为<性质>。' (the “三定” sentence)."""

    kind: Literal["basis_sentence"]
    issuer: Id
    name: Id
    docno: Id
    nature: Id


class DepartmentsFill(_Strict):
    """'<单位>设N个内设机构:A、B、C。' -> a strings answer."""

    kind: Literal["department_list"]
    field: Id


class IntroListFill(_Strict):
    """A list announced by a line ending in a colon ('主要职责是:'), wherever it appears; the
    section's paragraphs before it are its intro."""

    kind: Literal["intro_list"]
    marker: str
    field: Id
    intro: Id | None = None

    @field_validator("marker")
    @classmethod
    def _marker(cls, v: str) -> str:
        return _compiles(v)


class FiguresFill(_Strict):
    """Lines of this section that state figures (see `figures`) and that the form's own
    sentences reproduce are taken; the others go on to the next fill."""

    kind: Literal["figures"]


class NumberedFill(_Strict):
    """Numbered lines -> a strings answer."""

    kind: Literal["numbered"]
    field: Id


class ReasonFill(_Strict):
    """Lines matching `words` (e.g. '超' and '原因') -> a paragraphs answer."""

    kind: Literal["reason"]
    field: Id
    words: list[str] = Field(min_length=1)  # each must be found in the line

    @field_validator("words")
    @classmethod
    def _words(cls, v: list[str]) -> list[str]:
        return [_compiles(x) for x in v]


class ParagraphsFill(_Strict):
    """All remaining lines -> a paragraphs answer. `stated_score`: note a score the text states."""

    kind: Literal["paragraphs"]
    field: Id
    stated_score: bool = False


class ItemsFill(_Strict):
    """Numbered items in any style -> a strings answer."""

    kind: Literal["list_items"]
    field: Id


class GoalsFill(_Strict):
    """Numbered goals with their points (一是……二是…… or sub-numbers) -> a records answer."""

    kind: Literal["numbered_goals"]
    field: Id
    title: str = "title"  # the record's fields that receive the goal and its points
    points: str = "points"


class TeamFill(_Strict):
    """组长/副组长/成员 lines or table rows -> a records answer."""

    kind: Literal["team_members"]
    field: Id
    role: str = "role"
    name: str = "name"
    dept: str = "dept"
    post: str = "post"


class TemplateItemsFill(_Strict):
    """Numbered lines the form's own list template printed ('{declared}。完成情况：{achieved}'):
    each line matching the template of the list block for `field` becomes a record."""

    kind: Literal["template_items"]
    field: Id


class ChoiceFill(_Strict):
    """A choice read from the wording of the section's lines (first wording found wins)."""

    kind: Literal["choice"]
    field: Id
    wordings: dict[str, list[str]] = Field(min_length=1)  # choice -> patterns
    date: Id | None = None  # '于2020年9月2日' in the lines
    detail: Id | None = None  # what the form's own sentence does not say
    unanswered: str | None = None  # the outline's question pasted in unanswered ('是否')

    @field_validator("wordings")
    @classmethod
    def _patterns(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        return _all_compile(v)


Fill = Annotated[
    LeadFill
    | NoticeFill
    | BasisFill
    | DepartmentsFill
    | IntroListFill
    | FiguresFill
    | NumberedFill
    | ReasonFill
    | ParagraphsFill
    | ItemsFill
    | GoalsFill
    | TeamFill
    | ChoiceFill
    | TemplateItemsFill,
    Field(discriminator="kind"),
]


class SectionSpec(_Strict):
    headings: list[str] = Field(default_factory=list)  # patterns searched in a heading line
    text_to: Id | None = None  # text right under this heading belongs to that section
    fill: list[Fill] = Field(default_factory=list)

    @field_validator("headings")
    @classmethod
    def _headings(cls, v: list[str]) -> list[str]:
        return [_compiles(x) for x in v]


class ReportWords(_Strict):
    """How reports of this form name their unit and year, beyond the common wordings import knows:
    patterns searched in the title, in table cells and in the page around the report."""

    title_tails: list[str] = Field(default_factory=list)  # what follows the unit in a title
    unit_labels: list[str] = Field(default_factory=list)  # a cell or cover label before the unit's name
    publisher_labels: list[str] = Field(default_factory=list)  # a portal's field naming who published it
    masked: list[str] = Field(default_factory=list)  # a name masked for publishing (XX单位, ***)
    regulations: list[str] = Field(default_factory=list)  # a cited document that is no notice
    projects: list[str] = Field(default_factory=list)  # a project's name in a title, not the unit's
    titles: list[str] = Field(default_factory=list)  # what the title of a report of this form says

    @field_validator(
        "title_tails", "unit_labels", "publisher_labels", "masked", "regulations", "projects", "titles"
    )
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_compiles(x) for x in v]


class SelfTable(_Strict):
    """The 自评表 as units publish it (funds block, 年度总体目标, indicator rows), in any layout:
    a table's rows, 'cell | cell |', one cell per line, or flattened onto one line. The indicator
    rows' columns are the form's `tables:` spec; these are the words of the rest."""

    funds: dict[str, list[str]] = Field(default_factory=dict)  # funding row label -> other wordings
    goals: list[str] = Field(default_factory=list)  # the 年度总体目标 block's own label
    goal_heads: list[str] = Field(default_factory=list)  # its column heads: 预期目标, 实际完成情况
    heads: list[str] = Field(default_factory=list)  # other column heads to pass over (得分, 执行率)
    end: list[str] = Field(default_factory=list)  # what closes the table (总分)


class ImportSpec(_Strict):
    unplaced: Id | None = None
    report: ReportWords = Field(default_factory=ReportWords)
    self_table: SelfTable | None = None
    front: list[Fill] = Field(default_factory=list)  # before the first heading
    sections: dict[Id, SectionSpec] = Field(default_factory=dict)
    figures: dict[Id, list[str]] = Field(default_factory=dict)  # question -> phrases before it

    @field_validator("figures")
    @classmethod
    def _phrases(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        return _all_compile(v)


# ---------------------------------------------------------------- cross-check against the form

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

# the types each extractor can fill, by the fill's key (None: any)
_TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "lead": {"field": ("paragraphs", "text")},
    "docno_citation": {"docno": ("docno",), "name": ("text",), "issuer": ("text",)},
    "basis_sentence": {"issuer": ("text",), "name": ("text",), "docno": ("docno",), "nature": ("text",)},
    "department_list": {"field": ("strings",)},
    "intro_list": {"field": ("strings",), "intro": ("paragraphs", "text")},
    "numbered": {"field": ("strings",)},
    "reason": {"field": ("paragraphs", "text")},
    "paragraphs": {"field": ("paragraphs", "text")},
    "list_items": {"field": ("strings",)},
    "numbered_goals": {"field": ("records",)},
    "team_members": {"field": ("records",)},
    "choice": {"field": ("choice",), "date": ("date",), "detail": ("paragraphs", "text")},
    "template_items": {"field": ("records",)},
}
_FIGURE_TYPES = ("money", "integer", "percent", "number")


def cross_check(spec: ImportSpec, questions: dict[str, object], section_ids: set[str]) -> list[Problem]:
    """Every id the import block names is a section or a question of the right type."""
    problems: list[Problem] = []
    base: Loc = ("import",)

    def need(qid: str | None, loc: Loc, types: tuple[str, ...]) -> None:
        if qid is None:
            return
        q = questions.get(qid)
        if q is None:
            problems.append((loc, f"导入设置引用了不存在的问题 {qid}"))
            return
        qtype = getattr(q, "type", None)
        if types and qtype not in types:
            problems.append((loc, f"{qid} 的类型应为 {'/'.join(types)},实为 {qtype}"))

    def fills(items: list[Fill], loc: Loc) -> None:
        for i, f in enumerate(items):
            for key, types in _TYPES.get(f.kind, {}).items():
                need(getattr(f, key), (*loc, i, key), types)
            if isinstance(f, GoalsFill | TeamFill):
                q = questions.get(f.field)
                ids = {x.id for x in getattr(q, "fields", [])}
                keys = ("title", "points") if isinstance(f, GoalsFill) else ("role", "name", "dept", "post")
                for key in keys:
                    if q is not None and getattr(f, key) not in ids:
                        msg = f"{f.field} 中没有字段 {getattr(f, key)}(可用 {key}: 指定)"
                        problems.append(((*loc, i, key), msg))
            if isinstance(f, ChoiceFill):
                choices = getattr(questions.get(f.field), "choices", None) or []
                for choice in f.wordings:
                    if choices and choice not in choices:
                        problems.append(((*loc, i, "wordings", choice), f"{choice!r} 不是 {f.field} 的选项"))

    need(spec.unplaced, (*base, "unplaced"), ("paragraphs",))
    fills(spec.front, (*base, "front"))
    for sid, section in spec.sections.items():
        at: Loc = (*base, "sections", sid)
        if sid not in section_ids:
            problems.append((at, f"导入设置引用了不存在的章节 {sid}"))
        if section.text_to is not None and section.text_to not in section_ids:
            problems.append(((*at, "text_to"), f"导入设置引用了不存在的章节 {section.text_to}"))
        fills(section.fill, (*at, "fill"))
    for qid in spec.figures:
        need(qid, (*base, "figures", qid), _FIGURE_TYPES)
    return problems
