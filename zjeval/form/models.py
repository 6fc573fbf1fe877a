"""Pydantic models of a form definition (forms/*.yaml).

A form is data: sections in the order of the official outline, the questions asked in each,
the blocks that render each section, and the rules between fields. Everything here is
validated once, whole, when the form loads (see loader.py).
"""


import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, PrivateAttr

from zjeval.form.framework import Framework
from zjeval.form.question import NUMBER_TYPES, Condition, Id, Label, Question, QuestionType, Strict
from zjeval.form.rules import Rule

if TYPE_CHECKING:  # the parts only some commands read: imported when a form is validated (complete())
    from zjeval.form.import_spec import ImportSpec
    from zjeval.form.table_layout import FundsBlock, HeaderField, ObjectivesBlock, RowsBlock
    from zjeval.form.table_spec import TableSpec

__all__ = ["NUMBER_TYPES", "Condition", "Id", "Label", "Question", "QuestionType", "Rule", "Strict"]


class TextBlock(Strict):
    """A paragraph from a template: {id} is an answer, {id|count} a list's length, {id|join} its items."""

    text: str
    when: Condition | None = None


class FieldBlock(Strict):
    """An answer rendered by its type: paragraphs as paragraphs, lists as numbered lists."""

    field: Id
    when: Condition | None = None


class ListBlock(Strict):
    """A records answer as a list: each item from a template over the record's fields.

    `sub` names a strings field of the record rendered as a list one level below the item.
    `numbered: false` gives plain lines (e.g. the evaluation team).
    """

    list: Id
    item: str
    sub: Id | None = None
    numbered: bool = True
    when: Condition | None = None


Block = TextBlock | FieldBlock | ListBlock


class Section(Strict):
    """A numbered section of the outline; questions live where they are rendered."""

    id: Id
    title: Label
    numbered: bool = True
    intro: str = ""  # a sentence shown when the interview enters the section
    # "judgments": the questions are made from the framework's judged indicators when the form loads
    generated: Literal["judgments"] | None = None
    questions: list[Question] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    sections: "list[Section]" = Field(default_factory=list)


class Signature(Strict):
    """The 落款: which answers give the unit and the date, and whether a seal goes over them."""

    unit: Id
    date: Id
    # GB/T 9704 7.3.5.1 (true: the date 右空四字, the unit centred over it, room for the seal)
    # or 7.3.5.2 (false: the unit 右空二字, the date two characters right of its start)
    seal: bool = False


AttachmentKind = Literal["data_table", "scorecard", "target_table"]  # the report's registry builds each


class Attachment(Strict):
    """An attachment of the report: what it is and its title (a template, like the report's).

    A `target_table` (the 自评表) also says how it looks (see table_layout): its header rows, the
    funds block, the 年度总体目标 and the indicator rows."""

    kind: AttachmentKind
    title: Label
    header: "list[HeaderField]" = Field(default_factory=list)
    funds: "FundsBlock | None" = None
    objectives: "ObjectivesBlock | None" = None
    rows: "RowsBlock | None" = None


class Statement(Strict):
    """The 决算's 预算绩效情况说明 over a year's projects: the sentence, and one clause per grade.

    `text` may use {year} {count} {budget} {exec} {grades}; `grade` (one clause per grade that has
    projects, joined with ；) {grade} {count} {count_share} {budget} {budget_share}."""

    text: str
    grade: str


class Projects(Strict):
    """A form filled in once per project, many a year (`zjeval projects`): which answers name the
    project and give its money, and how the year's summary sentence reads."""

    name: Id  # the project's name (text): also its file's name in the year's folder
    budget: Id  # 全年预算数 (money)
    exec: Id  # 全年执行数 (money)
    book: str  # title of the year's book (`projects render`): a template over {year}
    # how exports name the project (`projects table`): a column's header, or a label cell above the table
    name_columns: list[Label] = Field(default_factory=list)
    statement: Statement


Loc = tuple[str | int, ...]  # where in the form file: ('sections', 1, 'sections', 0)


def section_tree(sections: list[Section], loc: Loc = ()) -> list[tuple[Loc, tuple[Section, ...]]]:
    """The one walk of the outline: every section in document order, with where it is in the
    form file and the chain of sections it lives in (its depth is len(chain) - 1)."""
    out: list[tuple[Loc, tuple[Section, ...]]] = []

    def visit(section: Section, at: Loc, chain: tuple[Section, ...]) -> None:
        chain = (*chain, section)
        out.append((at, chain))
        for j, child in enumerate(section.sections):
            visit(child, (*at, "sections", j), chain)

    for i, s in enumerate(sections):
        visit(s, (*loc, "sections", i), ())
    return out


class Form(Strict):
    """A whole report form: cover questions, outline, rules and render templates."""

    id: Id
    name: Label
    description: str = ""  # one line: what the form is for (shown by `zjeval forms`)
    used_in: str = ""  # where and since when it is used, as far as known (shown by `zjeval forms`)
    version: int = 1
    title: str  # template of the report title
    # what the document is, in words: the DOCX subject and the answers file's first line
    subject: Label = "绩效自评报告"
    lead: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)
    signature: Signature
    rules: list[Rule] = Field(default_factory=list)
    framework: str | None = None  # the 评分表: a built-in framework id or a path beside the form
    # tables exported from budget systems that `zjeval table` reads into a records question
    tables: "list[TableSpec]" = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)  # 附件, in order
    projects: Projects | None = None  # filled in once per project: `zjeval projects` works on a year of them
    # phrases after which a long title (or attachment title) may break (GB/T 9704 7.3.3)
    title_breaks: list[Label] = Field(default_factory=list)
    import_: "ImportSpec | None" = Field(default=None, alias="import")  # what `zjeval import` needs

    _framework: Framework | None = PrivateAttr(default=None)  # the loaded Framework (see forms.load)
    _source: Path | None = PrivateAttr(default=None)  # the form file it was loaded from

    @property
    def source(self) -> Path | None:
        """The form file, or None for a form not loaded from a file."""
        return self._source

    @property
    def scoring(self) -> Framework | None:
        """The loaded Framework, or None for a form without a 评分表."""
        return self._framework

    # computed once: the form never changes after loading
    _walk: list[tuple[tuple[Section, ...], Question]] | None = PrivateAttr(default=None)
    _questions: dict[str, Question] | None = PrivateAttr(default=None)
    # DEFERRED fields of a form read from the cache, each pickled apart until it is first read
    _deferred: dict[str, bytes] | None = PrivateAttr(default=None)

    @classmethod
    def model_validate(cls, obj: object, **kwargs: Any) -> "Form":  # Any: pydantic's options, passed on
        complete()  # the models of the DEFERRED parts, imported when a form is validated
        return super().model_validate(obj, **kwargs)

    def __getstate__(self) -> dict[str, object]:
        """Pickled with the DEFERRED fields apart: a command that never reads them (check, score)
        neither unpickles them nor imports their models."""
        state = super().__getstate__()
        fields = dict(state["__dict__"])
        deferred = {
            name: pickle.dumps(getattr(self, name), protocol=pickle.HIGHEST_PROTOCOL) for name in DEFERRED
        }
        for name in DEFERRED:
            fields.pop(name, None)
        private = {**(state["__pydantic_private__"] or {}), "_deferred": deferred}
        return {**state, "__dict__": fields, "__pydantic_private__": private}

    if not TYPE_CHECKING:  # (hidden from mypy, which would otherwise allow any attribute of a Form)

        def __getattr__(self, name: str) -> object:
            """A DEFERRED field of an unpickled form, unpickled when it is first read."""
            private = object.__getattribute__(self, "__pydantic_private__") or {}
            deferred = private.get("_deferred")
            if deferred and name in deferred:
                value = pickle.loads(deferred[name])  # our own bytes, from __getstate__
                fields = self.__dict__
                fields[name] = value
                ordered = {k: fields[k] for k in type(self).model_fields if k in fields}
                fields.clear()
                fields.update(ordered)  # in the fields' order, as a validated form has them (dumps)
                # a new dict, never changed in place: a copy of this form (model_copy) shares it
                private["_deferred"] = {k: v for k, v in deferred.items() if k != name} or None
                return value
            return super().__getattr__(name)

    def _undeferred(self) -> "Form":
        """The form with every DEFERRED field read and its class complete (to dump or compare it)."""
        for name in DEFERRED:
            getattr(self, name)
        complete()
        return self

    def model_dump(self, **kwargs: Any) -> dict[str, object]:  # Any: pydantic's options, passed on
        return super(Form, self._undeferred()).model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:  # Any: pydantic's options, passed on
        return super(Form, self._undeferred()).model_dump_json(**kwargs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Form):
            other._undeferred()
        return super(Form, self._undeferred()).__eq__(other)

    def walk(self) -> list[tuple[tuple[Section, ...], Question]]:
        """Every top-level question with the chain of sections it lives in, in interview order."""
        if self._walk is None:
            self._walk = self._compute_walk()
        return list(self._walk)

    def questions(self) -> dict[str, Question]:
        if self._questions is None:
            self._questions = {q.id: q for _, q in self.walk()}
        return dict(self._questions)

    def _compute_walk(self) -> list[tuple[tuple[Section, ...], Question]]:
        return [(chain, q) for _, chain in section_tree(self.sections) for q in chain[-1].questions]


# What only some commands read: the import spec (zjeval import), the attachments' layout (render)
# and the exported tables (zjeval table). Left out of a cached form until read (see Form.__getstate__).
DEFERRED = ("import_", "attachments", "tables")


def complete() -> None:
    """Import the models of the DEFERRED parts and finish the classes that hold them: done before
    a form is validated (Form.model_validate), not to read one from the cache (pickle imports
    what it meets)."""
    if _completed:
        return
    from zjeval.form.import_spec import ImportSpec
    from zjeval.form.table_layout import FundsBlock, HeaderField, ObjectivesBlock, RowsBlock
    from zjeval.form.table_spec import TableSpec

    names = {
        "ImportSpec": ImportSpec,
        "FundsBlock": FundsBlock,
        "HeaderField": HeaderField,
        "ObjectivesBlock": ObjectivesBlock,
        "RowsBlock": RowsBlock,
        "TableSpec": TableSpec,
    }
    Attachment.model_rebuild(_types_namespace=names)
    Form.model_rebuild(_types_namespace=names)
    _completed.append(True)


_completed: list[bool] = []  # complete() has run
