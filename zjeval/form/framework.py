"""The indicator framework (评分表) as data: indicators, weights, formulas and rule kinds.

A framework file lives in forms/frameworks/. It is validated whole when it loads: weights
add up to the total, formulas name figures the form asks for, rule parameters are sane.
Formulas are fixed kinds over question ids (ratio, change, value), never evaluated code.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from zjeval.answers import yamlio
from zjeval.answers.yamlio import describe_error
from zjeval.errors import FormError
from zjeval.form.models import Condition, GradeBand, Id, Label, Question, Strict

# An operand: a question id, or a list of ids that are added, or {add: [...], sub: [...]}.


class Signed(Strict):
    add: list[Id] = Field(min_length=1)
    sub: list[Id] = Field(default_factory=list)


Operand = Id | list[Id] | Signed


def operand_ids(op: Operand) -> list[str]:
    if isinstance(op, str):
        return [op]
    if isinstance(op, list):
        return list(op)
    return [*op.add, *op.sub]


class Ratio(Strict):
    """value = num / den × 100 (%)."""

    kind: Literal["ratio"]
    num: Operand
    den: Operand


class Change(Strict):
    """value = (this − last) / last × 100 (%); a zero base reads 新增."""

    kind: Literal["change"]
    this: Operand
    last: Operand


class Direct(Strict):
    """value = a figure as it is (e.g. a survey's satisfaction %)."""

    kind: Literal["value"]
    of: Id


Formula = Annotated[Ratio | Change | Direct, Field(discriminator="kind")]


class Threshold(Strict):
    """Full marks while the value stays within the limit; minus `per_point` per point beyond, floor 0."""

    kind: Literal["threshold"]
    max: Decimal | None = None
    min: Decimal | None = None
    per_point: Decimal = Field(gt=0)

    @model_validator(mode="after")
    def _one_side(self) -> Threshold:
        if (self.max is None) == (self.min is None):
            raise ValueError("threshold 需要且只能给出 max 或 min 之一")
        return self


class Band(Strict):
    min: Decimal
    score: Decimal = Field(ge=0)


class Bands(Strict):
    """Banded steps: the first band whose lower bound (inclusive) the value reaches gives the score."""

    kind: Literal["bands"]
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending(self) -> Bands:
        mins = [b.min for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("bands 应按 min 从高到低排列,且不重复")
        return self


class Proportional(Strict):
    """weight × value / 100, capped at the weight."""

    kind: Literal["proportional"]


class Target(Strict):
    """正向 (up: the more the better) weight × B/A; 反向 (down) weight × A/B; capped at the weight."""

    kind: Literal["target"]
    target: Decimal = Field(gt=0)
    direction: Literal["up", "down"] = "up"


class Tier(Strict):
    name: Label
    min: Decimal = Field(ge=0, le=1)  # share of the weight
    max: Decimal = Field(ge=0, le=1)
    default: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _within(self) -> Tier:
        if not self.min <= self.default <= self.max:
            raise ValueError(f"{self.name}: default 应在 min 与 max 之间")
        return self


# as data: building models at import time would build their validators on every start-up
DEFAULT_TIERS = [
    {"name": "达成", "min": Decimal("0.8"), "max": Decimal(1), "default": Decimal(1)},
    {"name": "部分达成", "min": Decimal("0.5"), "max": Decimal("0.8"), "default": Decimal("0.65")},
    {"name": "未达成", "min": Decimal(0), "max": Decimal("0.5"), "default": Decimal("0.25")},
]


def default_tiers() -> list[Tier]:
    return [Tier(**tier) for tier in DEFAULT_TIERS]


class Qualitative(Strict):
    """The evaluator picks a tier and gives a reason; the score is the tier's default share."""

    kind: Literal["qualitative"]
    tiers: list[Tier] = Field(default_factory=default_tiers, min_length=2)


class Checklist(Strict):
    """Check points of equal value; the evaluator counts those not met."""

    kind: Literal["checklist"]
    items: list[Label] = Field(min_length=1)


class Deduction(Strict):
    """Minus `per_violation` for each violation the evaluator records, floor 0."""

    kind: Literal["deduction"]
    per_violation: Decimal = Field(gt=0)


Rule = Annotated[
    Threshold | Bands | Proportional | Target | Qualitative | Checklist | Deduction,
    Field(discriminator="kind"),
]
JUDGED = (Qualitative, Checklist, Deduction)  # rules the evaluator answers, not the figures


class Indicator(Strict):
    id: Id
    level1: Label
    level2: Label
    name: Label
    weight: Decimal = Field(gt=0)
    formula: Formula | None = None
    rule: Rule
    standard: str = ""  # 评分标准, shown in the 评分表

    @model_validator(mode="after")
    def _formula_fits_rule(self) -> Indicator:
        judged = isinstance(self.rule, JUDGED)
        if judged and self.formula is not None:
            raise ValueError(f"{self.rule.kind} 指标由评价人判断,不能有 formula")
        if not judged and self.formula is None:
            raise ValueError(f"{self.rule.kind} 指标需要 formula")
        if isinstance(self.rule, Bands) and any(b.score > self.weight for b in self.rule.bands):
            raise ValueError("bands 中的 score 不能超过 weight")
        return self


class Framework(Strict):
    id: Id
    name: Label
    basis: str = ""
    total: Decimal = Decimal(100)
    grades: list[GradeBand] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights(self) -> Framework:
        ids = [i.id for i in self.indicators]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"指标 id 重复:{'、'.join(dupes)}")
        total = sum((i.weight for i in self.indicators), Decimal(0))
        if total != self.total:
            raise ValueError(f"各指标权重之和为 {total},应为 {self.total}")
        return self

    def level1_names(self) -> list[str]:
        return list(dict.fromkeys(i.level1 for i in self.indicators))

    def grade_for(self, score: Decimal) -> str:
        for band in sorted(self.grades, key=lambda b: b.min, reverse=True):
            if score >= band.min:
                return band.name
        return self.grades[-1].name


def tier_question(ind: Indicator) -> str:
    return f"{ind.id}__tier"


def count_question(ind: Indicator) -> str:
    return f"{ind.id}__count"


def reason_question(ind: Indicator) -> str:
    return f"{ind.id}__reason"


def judgment_questions(framework: Framework) -> list[Question]:
    """The questions the evaluator answers for indicators that figures cannot score."""
    out: list[Question] = []
    for ind in framework.indicators:
        rule = ind.rule
        if not isinstance(rule, JUDGED):
            continue
        where = f"{ind.level1} / {ind.level2},权重 {ind.weight} 分。评分标准:{ind.standard}"
        if isinstance(rule, Qualitative):
            tiers = ";".join(f"{t.name}得{t.default * 100:.0f}%" for t in rule.tiers)
            out.append(
                Question(
                    id=tier_question(ind),
                    label=f"{ind.name}:评价结果",
                    type="choice",
                    choices=[t.name for t in rule.tiers],
                    help=f"{where}\n各档得分:{tiers}(占权重的比例)。",
                )
            )
            reason_when = None
        else:
            if isinstance(rule, Checklist):
                items = " ".join(f"{i}.{text}" for i, text in enumerate(rule.items, 1))
                label, help_ = f"{ind.name}:未达到的检查要点数", f"{where}\n检查要点:{items}\n全部达到填 0。"
                limit: Decimal | None = Decimal(len(rule.items))
            else:
                assert isinstance(rule, Deduction)
                label, help_ = f"{ind.name}:发现的问题数", f"{where}\n没有发现问题填 0。"
                limit = None
            out.append(
                Question(
                    id=count_question(ind), label=label, type="integer", min=Decimal(0), max=limit, help=help_
                )
            )
            reason_when = Condition(field=count_question(ind), not_equals="0")
        out.append(
            Question(
                id=reason_question(ind),
                label=f"{ind.name}:理由",
                type="paragraphs",
                max_chars=200,
                when=reason_when,
                help="写明判断的依据(不超过200字),它会写进评分表的扣分原因。",
            )
        )
    return out


def load_file(path: Path) -> Framework:
    """A validated framework; any mistake is a FormError naming file, line and path."""
    try:
        data, lines = yamlio.parse(yamlio.read_text(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"无法读取评分框架 {path}:{exc}") from None
    except yamlio.YamlSyntaxError as exc:
        raise FormError(f"{path}:{exc.line} {exc.message}", "请修正评分框架文件的 YAML 格式") from None
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        raise FormError(
            f"评分框架 {path} 有 {exc.error_count()} 处错误",
            "请按提示修改评分框架文件",
            lines=[describe_error(path, lines, e) for e in exc.errors()],
        ) from None
