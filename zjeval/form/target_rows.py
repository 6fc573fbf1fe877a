"""The target-based 自评表 (FY2021 onward): a unit's own indicator rows, scored against the
targets it declared. Pure.

A framework's `rows:` block says which records question holds the rows, which field of a row
is which (一级/二级/三级指标, 指标性质, 年度指标值, 计量单位, 实际完成值, 分值, 定性评价,
偏差原因), how the form words the 指标性质 choices, and the weight of each 一级 group. The
scoring follows ../shared/DOMAIN.md §6: 正向 (≥) 分值 × 实际 ÷ 指标值 and 反向 (≤) 分值 ×
指标值 ÷ 实际, both capped at 分值; = full when met, else 0; 定性 a tier's share of 分值.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import Field, model_validator

from zjeval.form.decimals import num, q2
from zjeval.form.question import Id, Label, Strict

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

    def labels(self, rows_question: Any) -> RowFields:
        """The same roles, each holding its field's label in the form (for messages)."""
        return RowFields.model_construct(
            **{role: rows_question.field(fid).label for role, fid in self.model_dump().items()}
        )


class Natures(Strict):
    """The form's wordings of 指标性质, by meaning."""

    up: list[Label] = Field(min_length=1)  # 正向: the more the better (≥)
    down: list[Label] = Field(min_length=1)  # 反向: the less the better (≤)
    equal: list[Label] = Field(min_length=1)  # met or not (=)
    qualitative: list[Label] = Field(min_length=1)  # 定性: judged in tiers

    def of(self, word: Any) -> Nature | None:
        for nature in ("up", "down", "equal", "qualitative"):
            if word in getattr(self, nature):
                return nature
        return None

    def words(self) -> list[str]:
        return [*self.up, *self.down, *self.equal, *self.qualitative]


class RowGroup(Strict):
    level1: Label
    weight: Decimal = Field(gt=0)
    # the 二级指标 a row of this group may have (the interview offers only these; check holds to them)
    level2: list[Label] = Field(default_factory=list)


class Rows(Strict):
    """Where the rows are and how they are weighed."""

    question: Id
    fields: RowFields
    natures: Natures
    groups: list[RowGroup] = Field(min_length=1)
    # the words a row's 计量单位 uses for counts (个, 人, 项 …): a count written 反向 (≤) looks backwards
    count_units: list[Label] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_groups(self) -> Rows:
        names = [g.level1 for g in self.groups]
        if len(names) != len(set(names)):
            raise ValueError(f"groups 中的一级指标重复:{'、'.join(names)}")
        return self


def number(text: Any) -> Decimal | None:
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

    @property
    def quantitative(self) -> bool:
        return self.nature in ("up", "down", "equal")

    @property
    def full(self) -> bool:
        return self.score is not None and self.weight is not None and self.score >= self.weight


def evaluate(rows: Rows, index: int, record: dict[str, Any], tiers: list[Any]) -> RowResult:
    """Score one row. `tiers` are the framework's (name, default share) tiers for 定性 rows."""
    f = rows.fields

    def text(key: str) -> str:
        value = record.get(key)
        return "" if value is None else str(value).strip()

    raw_weight = record.get(f.weight)
    weight = Decimal(raw_weight) if isinstance(raw_weight, (Decimal, int)) else None
    word = text(f.nature)
    nature = rows.natures.of(word)
    target, actual = number(record.get(f.target)), number(record.get(f.actual))
    base = dict(
        index=index,
        name=text(f.name),
        level1=text(f.level1),
        level2=text(f.level2),
        nature=nature,
        nature_word=word,
        target_text=text(f.target),
        unit=text(f.unit),
        actual_text=text(f.actual),
        target=target,
        actual=actual,
        weight=weight,
        reason=text(f.reason),
        tier=text(f.tier) if nature == "qualitative" else "",
    )
    score, why, short = _score(nature, target, actual, weight, text(f.tier), tiers)
    return RowResult(**base, score=score, why=why, shortfall=short)  # type: ignore[arg-type]


def _score(
    nature: Nature | None,
    target: Decimal | None,
    actual: Decimal | None,
    w: Decimal | None,
    tier_name: str,
    tiers: list[Any],
) -> tuple[Decimal | None, str, bool]:
    """(score, why points were lost, whether the row falls short)."""
    if nature == "qualitative":
        tier = next((t for t in tiers if t.name == tier_name), None)
        if tier is None or w is None:
            return None, "", False
        short = tier.default < 1
        return (
            q2(w * tier.default),
            (f"评为{tier.name}，按分值的{num(tier.default * 100)}%计" if short else ""),
            short,
        )
    if nature is None or w is None or target is None or actual is None:
        return None, "", False
    if nature == "equal":
        if actual == target:
            return q2(w), "", False
        return Decimal("0.00"), f"实际{num(actual)}与指标值{num(target)}不符，不得分", True
    if nature == "up":
        if actual >= target or target == 0:
            return q2(w), "", False
        return (
            q2(max(Decimal(0), w * actual / target)),
            f"未达到指标值，按{num(actual)}÷{num(target)}×{num(w)}分计",
            True,
        )
    if actual <= target or actual == 0:
        return q2(w), "", False
    return q2(w * target / actual), f"超过指标值，按{num(target)}÷{num(actual)}×{num(w)}分计", True
