"""The question: one item of the interview, the validation of its answer, and the shared
pieces of every form model (strict models, ids, labels, conditions)."""


import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from zjeval.form import template

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

    def holds_for(self, value: object) -> bool:
        """Whether the condition holds when `field` has this value (None or empty: unanswered)."""
        blank = isinstance(value, str) and not value.strip()
        if value is None or blank or (isinstance(value, (list, dict)) and not value):
            return False
        if self.equals is not None and str(value) != self.equals:
            return False
        return not (self.not_equals is not None and str(value) == self.not_equals)


class Signed(Strict):
    """Figures added and subtracted, by question id (a formula's operand, a carry_calc)."""

    add: list[Id] = Field(min_length=1)
    sub: list[Id] = Field(default_factory=list)


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
    fields: "list[Question]" = Field(default_factory=list)
    # a records field's `when` names an earlier field of the same record: asked only when that holds
    when: Condition | None = None
    # records: the field shown as the item's title in lists, reviews and prompts
    title_field: Id | None = None
    # `new YEAR --from LAST`: "default" offers last year's answer to confirm or edit; "reference"
    # shows it beside the prompt; "never" ignores it. Unset: figures are shown, the rest ignored.
    carry: Literal["default", "reference", "never"] | None = None
    # a records field with carry reference: how last year's value is shown beside it when a carried
    # record is edited, a template over the record's fields ("{actual}{unit}"); unset: the value
    reference: str = ""
    # a figure `new --from` works out from last year's answers (the sum of `add` less the sum of
    # `sub`, e.g. what was left unspent) and offers as a suggestion to confirm; left empty when a
    # figure is missing or the result is negative
    carry_calc: Signed | None = Field(
        default=None,
        description="沿用上年时由上年的数字推算本题的建议值:add 各项之和减去 sub 各项之和"
        "(如上年结转资金 = 上年全年预算数 − 全年执行数);上年数字缺失或结果为负时不预填",
    )
    # false: filled by import only, never asked in an interview
    ask: bool = True
    # an optional figure left blank: "zero" counts and lists it as 0 (an 其他收入 not received);
    # "omit" leaves it out of the data table (a figure a report states only sometimes, such as a
    # subtotal whose parts are asked too, or a 年中追加: blank means not stated, not 0)
    blank: Literal["zero", "omit"] = "zero"
    # a title the report puts in 《》 itself: 《》 typed around the answer are removed
    strip_quotes: bool = False

    @property
    def short_label(self) -> str:
        """The label as messages name it: without the unit in brackets that ends it ('(万元)'; a
        bracket inside stays: '因公出国(境)费') and without a leading '其中:'."""
        return re.sub(r"\s*[(（][^()（）]*[)）]$", "", self.label).removeprefix("其中:")

    @property
    def carry_policy(self) -> str:
        if self.carry_calc is not None:
            return "default"  # a suggestion worked out from last year, offered to confirm
        if self.carry is not None:
            return self.carry
        return "reference" if self.type in NUMBER_TYPES else "never"

    @model_validator(mode="after")
    def _type_specific(self) -> "Question":
        if self.type == "choice" and not self.choices:
            raise ValueError("choice 类型必须给出 choices")
        if self.type != "choice" and self.choices:
            raise ValueError(f"只有 choice 类型可以有 choices(本题类型为 {self.type})")
        if self.strip_quotes and self.type not in ("text", "paragraphs"):
            raise ValueError(f"只有 text / paragraphs 类型可以有 strip_quotes(本题类型为 {self.type})")
        if self.type == "records":
            if not self.fields:
                raise ValueError("records 类型必须给出 fields")
            ids = [f.id for f in self.fields]
            if len(ids) != len(set(ids)):
                raise ValueError(f"fields 中有重复的 id: {ids}")
            for f in self.fields:
                if f.type == "records":
                    raise ValueError(f"fields.{f.id}: records 不能再嵌套 records")
                if f.carry_calc is not None:
                    raise ValueError(f"fields.{f.id}: carry_calc 只用于问题,不用于记录中的字段")
                before = ids[: ids.index(f.id)]
                if f.when is not None and f.when.field not in before:
                    raise ValueError(
                        f"fields.{f.id}: 记录内字段的 when 只能引用同一记录中排在前面的字段(可用:{before})"
                    )
                if f.when is not None:
                    given = self.field(f.when.field)
                    for value in (f.when.equals, f.when.not_equals):
                        if value is not None and given.choices and value not in given.choices:
                            raise ValueError(f"fields.{f.id}.when: {value!r} 不是 {given.id} 的选项")
                named = [name for name, _ in template.fields(f.reference) if name not in ids]
                if named:
                    raise ValueError(f"fields.{f.id}.reference: {named[0]} 不是本记录的字段(可用:{ids})")
            if self.title_field is not None and self.title_field not in ids:
                raise ValueError(f"title_field {self.title_field!r} 不在 fields 中")
        elif self.fields or self.title_field:
            raise ValueError("只有 records 类型可以有 fields / title_field")
        if self.carry_calc is not None and self.type not in NUMBER_TYPES:
            raise ValueError("只有数值类型(money/integer/percent/number)可以有 carry_calc")
        if self.carry_calc is not None and self.carry is not None:
            raise ValueError("carry_calc 与 carry 不能同时使用(carry_calc 的推算值即作为默认值供确认)")
        if self.reference and self.carry != "reference":
            raise ValueError("reference 只用于 carry: reference 的记录字段")
        if (self.min is not None or self.max is not None) and self.type not in NUMBER_TYPES:
            raise ValueError("只有数值类型(money/integer/percent/number)可以有 min/max")
        if self.blank != "zero" and (self.type not in NUMBER_TYPES or self.required):
            raise ValueError("只有选填(required: false)的数值类型可以有 blank: omit")
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

    def field(self, field_id: str) -> "Question":
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)
