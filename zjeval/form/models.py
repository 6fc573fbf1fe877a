"""Pydantic models of a form definition (forms/*.yaml).

A form is data: sections in the order of the official outline, the questions asked in each,
the blocks that render each section, and the rules between fields. Everything here is
validated once, whole, when the form loads (see forms.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

QuestionType = Literal[
    "text",  # one line
    "paragraphs",  # long text; one paragraph a line
    "money",  # Decimal, 万元
    "integer",
    "percent",  # Decimal, 95.5 means 95.5%
    "number",  # Decimal, e.g. a score
    "date",
    "choice",
    "docno",  # 发文字号: 机关代字〔年份〕序号号
    "strings",  # a list of one-line items
    "records",  # a list of records, each with its own fields
]
NUMBER_TYPES = frozenset({"money", "integer", "percent", "number"})



class Strict(BaseModel):
    """Form models reject unknown keys so a typo in a form file is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Condition(Strict):
    """A question or block applies only when `field` is answered (and equals a value, if given)."""

    field: Id
    equals: str | None = None
    not_equals: str | None = None


class Question(Strict):
    """One question of the interview, and the validation of its answer."""

    id: Id
    label: Label
    type: QuestionType
    help: str = ""
    example: str = ""
    required: bool = True
    default: str | int | list[str] | None = None
    choices: list[Label] = Field(default_factory=list)
    min: Decimal | None = None
    max: Decimal | None = None
    max_chars: int | None = Field(default=None, gt=0)
    min_items: int = Field(default=0, ge=0)
    max_items: int | None = Field(default=None, gt=0)
    fields: list[Question] = Field(default_factory=list)
    when: Condition | None = None
    # records: the field shown as the item's title in lists, reviews and prompts
    title_field: Id | None = None
    # `new YEAR --from LAST`: "default" offers last year's answer to confirm or edit; "reference"
    # shows it beside the prompt; "never" ignores it. Unset: figures are shown, the rest ignored.
    carry: Literal["default", "reference", "never"] | None = None
    # false: filled by import only, never asked in an interview
    ask: bool = True
    # a title the report puts in 《》 itself: 《》 typed around the answer are removed
    strip_quotes: bool = False

    @property
    def carry_policy(self) -> str:
        if self.carry is not None:
            return self.carry
        return "reference" if self.type in NUMBER_TYPES else "never"

    @model_validator(mode="after")
    def _type_specific(self) -> Question:
        if self.type == "choice" and not self.choices:
            raise ValueError("choice 类型必须给出 choices")
        if self.type != "choice" and self.choices:
            raise ValueError(f"只有 choice 类型可以有 choices(本题类型为 {self.type})")
        if self.type == "records":
            if not self.fields:
                raise ValueError("records 类型必须给出 fields")
            ids = [f.id for f in self.fields]
            if len(ids) != len(set(ids)):
                raise ValueError(f"fields 中有重复的 id: {ids}")
            for f in self.fields:
                if f.type == "records":
                    raise ValueError(f"fields.{f.id}: records 不能再嵌套 records")
                if f.when is not None:
                    raise ValueError(f"fields.{f.id}: 记录内的字段不支持 when")
            if self.title_field is not None and self.title_field not in ids:
                raise ValueError(f"title_field {self.title_field!r} 不在 fields 中")
        elif self.fields or self.title_field:
            raise ValueError("只有 records 类型可以有 fields / title_field")
        if (self.min is not None or self.max is not None) and self.type not in NUMBER_TYPES:
            raise ValueError("只有数值类型(money/integer/percent/number)可以有 min/max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min 不能大于 max")
        if self.max_items is not None and self.max_items < self.min_items:
            raise ValueError("max_items 不能小于 min_items")
        if self.type == "choice" and isinstance(self.default, str) and self.default not in self.choices:
            raise ValueError(f"default {self.default!r} 不在 choices 中")
        return self

    @property
    def is_list(self) -> bool:
        return self.type in ("strings", "records")

    def field(self, field_id: str) -> Question:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)


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
    sections: list[Section] = Field(default_factory=list)


class SumRule(Strict):
    """total = sum(parts) − sum(minus), within a tolerance in 万元."""

    kind: Literal["sum"]
    id: Id
    total: Id
    parts: list[Id] = Field(min_length=1)
    minus: list[Id] = Field(default_factory=list)
    tolerance: Decimal = Decimal("0.01")
    severity: Literal["error", "warning"] = "error"


class MemberOfRule(Strict):
    """Each record's `field` in `list` should be one of the items of `within` (a strings answer)."""

    kind: Literal["member_of"]
    id: Id
    list: Id
    field: Id
    within: Id
    severity: Literal["error", "warning"] = "warning"


class NotAboveRule(Strict):
    """`value` should not exceed `limit`, unless `reason` (a text answer) explains it."""

    kind: Literal["not_above"]
    id: Id
    value: Id
    limit: Id
    reason: Id | None = None
    severity: Literal["error", "warning"] = "warning"


class MinRatioRule(Strict):
    """num / den × 100 should reach `min` (%), unless `reason` explains why not."""

    kind: Literal["min_ratio"]
    id: Id
    num: Id
    den: Id
    min: Decimal
    reason: Id | None = None
    severity: Literal["error", "warning"] = "error"


class MustBeEmptyRule(Strict):
    """An answer that must be cleared before the report is complete (e.g. imported leftovers)."""

    kind: Literal["must_be_empty"]
    id: Id
    field: Id
    message: Label
    severity: Literal["error", "warning"] = "error"


class ChangeLimitRule(Strict):
    """Against last year's answers: a figure (or a sum of figures) that moves more than this
    many percent needs a reason. Checked only when last year's answers file exists."""

    kind: Literal["change_limit"]
    id: Id
    value: list[Id] = Field(min_length=1)  # summed
    label: Label  # how the message names the figure, e.g. “三公”经费
    max_increase: Decimal | None = Field(default=None, gt=0)
    max_decrease: Decimal | None = Field(default=None, gt=0, le=100)
    reason: Id
    severity: Literal["error", "warning"] = "error"


Rule = Annotated[
    SumRule | MemberOfRule | NotAboveRule | MinRatioRule | MustBeEmptyRule | ChangeLimitRule,
    Field(discriminator="kind"),
]


class GradeBand(Strict):
    """A grade and its inclusive lower bound."""

    name: Label
    min: Decimal


class Signature(Strict):
    """The 落款: which answers give the unit and the date."""

    unit: Id
    date: Id


class Form(Strict):
    """A whole report form: cover questions, outline, rules and render templates."""

    id: Id
    name: Label
    version: int = 1
    title: str  # template of the report title
    lead: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)
    signature: Signature
    rules: list[Rule] = Field(default_factory=list)
    framework: str | None = None  # the 评分表: a built-in framework id or a path beside the form
    attachments: list[Label] = Field(default_factory=list)  # 附件 named in the report

    _framework: Any = PrivateAttr(default=None)  # the loaded Framework (see forms.load)

    @property
    def scoring(self) -> Any:
        """The loaded Framework, or None for a form without a 评分表."""
        return self._framework

    _walk: Any = PrivateAttr(default=None)  # computed once: the form never changes after loading
    _questions: Any = PrivateAttr(default=None)

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
        out: list[tuple[tuple[Section, ...], Question]] = []

        def visit(chain: tuple[Section, ...], section: Section) -> None:
            chain = (*chain, section)
            for q in section.questions:
                out.append((chain, q))
            for child in section.sections:
                visit(chain, child)

        for s in self.sections:
            visit((), s)
        return out
