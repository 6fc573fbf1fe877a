"""The target-based 自评表 (FY2021 onward): a unit's own indicator rows, as data. Pure.

A framework's `rows:` block says which records question holds the rows, which field of a row
is which (一级/二级/三级指标, 指标性质, 年度指标值, 计量单位, 实际完成值, 分值, 定性评价,
偏差原因), how the form words the 指标性质 choices, and the weight of each 一级 group; the
profile adds the over-target penalty and the words that mark a row 不适用. How a row is scored
is row_rule.py; RowResult is a row as understood and scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import Field, model_validator

from zjeval.form.question import Id, Label, Question, Strict

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")

Nature = Literal["up", "down", "equal", "qualitative"]


class RowFields(Strict):
    """Which field of a row (a record of the rows question) holds what."""

    level1: Id
    level2: Id
    name: Id
    nature: Id
    target: Id
    unit: Id
    actual: Id
    weight: Id
    tier: Id
    reason: Id

    def labels(self, rows_question: Question) -> RowFields:
        """The same roles, each holding its field's label in the form (for messages)."""
        return RowFields.model_construct(
            None,  # fields_set: the keys given
            **{role: rows_question.field(fid).label for role, fid in self.model_dump().items()}
        )


class Natures(Strict):
    """The form's wordings of 指标性质, by meaning."""

    up: list[Label] = Field(min_length=1)  # 正向: the more the better (≥)
    down: list[Label] = Field(min_length=1)  # 反向: the less the better (≤)
    equal: list[Label] = Field(min_length=1)  # met or not (=)
    qualitative: list[Label] = Field(min_length=1)  # 定性: judged in tiers

    def of(self, word: object) -> Nature | None:
        for nature in ("up", "down", "equal", "qualitative"):
            if word in getattr(self, nature):
                return nature
        return None

    def words(self) -> list[str]:
        return [*self.up, *self.down, *self.equal, *self.qualitative]


class RowGroup(Strict):
    level1: Label  # the group's name, and the 一级指标 of its rows unless `of` lists them
    weight: Decimal = Field(gt=0)
    of: list[Label] = Field(default_factory=list)  # several 一级指标 weighed together (四川: 绩效指标 90)
    # the 二级指标 a row of this group may have (the interview offers only these; check holds to them)
    level2: list[Label] = Field(default_factory=list)

    def members(self) -> list[str]:
        return list(self.of) or [self.level1]


class OverTarget(Strict):
    """A penalty: a 正向 row whose actual exceeds its target by `over` % or more loses `points`
    (the target was set too low), never below 0."""

    over: Decimal = Field(gt=0)
    points: Decimal = Field(gt=0)
    source: str = Field(min_length=1)


class NotApplicable(Strict):
    """A row whose 实际完成值 is one of `words` does not apply: it is dropped and the other
    scores are scaled to the full total (折算)."""

    words: list[Label] = Field(default=["不适用"], min_length=1)
    source: str = Field(min_length=1)


class Rows(Strict):
    """Where the rows are and how they are weighed."""

    question: Id
    fields: RowFields
    natures: Natures
    groups: list[RowGroup] = Field(min_length=1)
    # the words a row's 计量单位 uses for counts (个, 人, 项 …): a count written 反向 (≤) looks backwards
    count_units: list[Label] = Field(default_factory=list)
    # set from the framework's scoring profile when it loads
    over_target: OverTarget | None = None
    not_applicable: NotApplicable | None = None

    @model_validator(mode="after")
    def _unique_groups(self) -> Rows:
        names = self.level1_words()
        if len(names) != len(set(names)):
            raise ValueError(f"groups 中的一级指标重复:{'、'.join(names)}")
        return self

    def level1_words(self) -> list[str]:
        """Every 一级指标 a row may name, group by group."""
        return [m for g in self.groups for m in g.members()]

    def group_of(self, level1: str) -> RowGroup | None:
        return next((g for g in self.groups if level1 in g.members()), None)


def number(text: object) -> Decimal | None:
    """A row's 指标值 or 实际完成值 as a number ('98', '1,200', '95.5%', '≥95'), or None for words."""
    if isinstance(text, (Decimal, int)) and not isinstance(text, bool):
        return Decimal(text)
    if not isinstance(text, str):
        return None
    raw = text.strip().lstrip("≥≤=<>").rstrip("%％").strip()
    if not _NUMBER.match(raw):
        return None
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class RowResult:
    """One row, understood: what it says, whether it met its target, and its score."""

    index: int  # 1-based, as the user counts rows
    name: str
    level1: str
    level2: str
    nature: Nature | None
    nature_word: str
    target_text: str
    unit: str
    actual_text: str
    target: Decimal | None
    actual: Decimal | None
    weight: Decimal | None
    score: Decimal | None  # None: 待填写 (something the score needs is missing)
    why: str  # how points were lost, in the 评分表's words
    shortfall: bool  # the actual falls short of the target (or a 定性 row is not fully 达成)
    reason: str  # the row's 偏差原因分析及改进措施
    tier: str = ""  # a 定性 row's judgment (达成, 部分达成, 未达成)
    applicable: bool = True  # False: marked 不适用, dropped and the rest scaled (折算)
    remark: str = ""  # the 自评表's 偏差原因 cell: a 定性 row's tier, then the reason
    penalty: str = ""  # a penalty applied to the row, in the 评分表's words

    @property
    def quantitative(self) -> bool:
        return self.applicable and self.nature in ("up", "down", "equal")

    @property
    def full(self) -> bool:
        return self.score is not None and self.weight is not None and self.score >= self.weight
