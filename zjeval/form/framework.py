"""The indicator framework (评分表) as data: indicators, weights, formulas and rule kinds.

A framework file lives in forms/frameworks/. It is validated whole when it loads: weights
add up to the total, formulas name figures the form asks for, rule parameters are sane.
Formulas are fixed kinds over question ids (ratio, change, value), never evaluated code.
"""


import copy
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from zjeval import yamlio
from zjeval.errors import FormError
from zjeval.form import template as tpl
from zjeval.form.decimals import num
from zjeval.form.formulas import (
    Change,
    Direct,
    Formula,
    Operand,
    Ratio,
    formula_reads,
    operand_ids,
    value_expr,
)
from zjeval.form.question import Condition, Id, Label, Question, Signed, Strict
from zjeval.form.reading import unreadable
from zjeval.form.rule_kinds import (
    JUDGED,
    Band,
    Bands,
    Checklist,
    Deduction,
    Proportional,
    Qualitative,
    Rule,
    Target,
    Threshold,
    Tier,
)
from zjeval.yamlio import describe_error

if TYPE_CHECKING:  # only frameworks that have them read these: imported to validate (_complete())
    from zjeval.form.profile import Profile
    from zjeval.form.target_rows import Rows

# the formula and rule kinds live in formulas.py and rule_kinds.py; re-exported here, where the
# framework's readers look
__all__ = [
    "JUDGED",
    "Band",
    "Bands",
    "Change",
    "Checklist",
    "Deduction",
    "Direct",
    "Formula",
    "Operand",
    "Proportional",
    "Qualitative",
    "Ratio",
    "Rule",
    "Signed",
    "Target",
    "Threshold",
    "Tier",
    "formula_reads",
    "operand_ids",
    "value_expr",
]


Dumped = dict[str, Any]  # Any: a framework's model_dump(), nested data edited before it is validated again


class GradeBand(Strict):
    """A grade and its inclusive lower bound."""

    name: Label
    min: Decimal


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
    def _formula_fits_rule(self) -> "Indicator":
        judged = isinstance(self.rule, JUDGED)
        if judged and self.formula is not None:
            raise ValueError(f"{self.rule.kind} 指标由评价人判断,不能有 formula")
        if not judged and self.formula is None:
            raise ValueError(f"{self.rule.kind} 指标需要 formula")
        if isinstance(self.rule, Bands) and any(b.score > self.weight for b in self.rule.bands):
            raise ValueError("bands 中的 score 不能超过 weight")
        return self


WORDING_NAMES = frozenset({"name", "level1", "level2", "weight", "standard", "where", "tiers", "items"})


class Wording(Strict):
    """How the interview asks about the indicators the evaluator judges: templates over
    {name} {level1} {level2} {weight} {standard}; {where} is the `where` line, {tiers} the
    tiers with their shares, {items} the numbered check points."""

    where: Label
    tier_label: Label
    tier_help: Label
    tier_share: Label  # one tier in {tiers}: over {name} and {share} (a percentage)
    checklist_label: Label
    checklist_help: Label
    deduction_label: Label
    deduction_help: Label
    reason_label: Label
    reason_help: Label
    reason_max_chars: int = Field(default=200, gt=0)

    @model_validator(mode="after")
    def _names(self) -> "Wording":
        for key, text in self.model_dump().items():
            if isinstance(text, str):
                unknown = sorted({n for n, _ in tpl.fields(text)} - WORDING_NAMES - {"share"})
                if unknown:
                    raise ValueError(f"{key}: 不认识的名称 {'、'.join(unknown)}")
        return self


class Framework(Strict):
    id: Id
    name: Label
    basis: str = ""
    total: Decimal = Decimal(100)
    grades: list[GradeBand] = Field(min_length=1)
    # the tiers of qualitative indicators that give none of their own (shares of the weight)
    tiers: list[Tier] = Field(default_factory=list)
    questions: Wording | None = None  # required when any indicator is judged by the evaluator
    indicators: list[Indicator] = Field(min_length=1)
    # the target-based 自评表: the unit's own indicator rows, weighed by 一级 group (target_rows.py)
    rows: "Rows | None" = None
    # 评分办法: the profiles this framework knows, and the one in force (profile.py)
    profile: Id | None = None
    profiles: "dict[Id, Profile]" = Field(default_factory=dict)
    _base: Dumped | None = PrivateAttr(default=None)  # the file's data, before the profile

    @classmethod
    def model_validate(cls, obj: object, **kwargs: Any) -> "Framework":  # Any: pydantic's options, passed on
        _complete()  # the models of rows and profiles, imported when a framework is validated
        return super().model_validate(obj, **kwargs)

    @model_validator(mode="after")
    def _profiles(self) -> "Framework":
        if self.profile is not None and self.profile not in self.profiles:
            known = "、".join(self.profiles) or "(没有 profiles)"
            raise ValueError(f"profile: {self.profile} 不在 profiles 中({known})")
        ids = {i.id: i for i in self.indicators}
        for pid, p in self.profiles.items():
            unknown = sorted((set(p.weights) | set(p.rules)) - set(ids))
            if unknown:
                raise ValueError(f"profiles.{pid}: 没有指标 {'、'.join(unknown)}")
            if p.caps is not None and (p.caps.of not in ids or ids[p.caps.of].formula is None):
                raise ValueError(f"profiles.{pid}.caps.of: {p.caps.of} 应为有 formula 的指标(如预算执行率)")
            if (p.groups or p.over_target or p.not_applicable) and self.rows is None:
                raise ValueError(f"profiles.{pid}: groups、over_target、not_applicable 只用于有 rows 的框架")
        return self

    @property
    def active(self) -> "Profile | None":
        """The scoring profile in force, if the framework names one."""
        return self.profiles[self.profile] if self.profile is not None else None

    def with_profile(self) -> "Framework":
        """The framework with its profile's weights, rules and row settings written in."""
        p = self.active
        if p is None:
            return self
        data = self._base if self._base is not None else self.model_dump()
        out = Framework.model_validate(_applied(p, copy.deepcopy(data)))
        out._base = data  # what the file says, so that another profile can be chosen later
        return out

    def switched(self, profile: str) -> "Framework":
        """The same framework scored by another of its profiles (zjeval score --profile)."""
        if profile not in self.profiles:
            raise FormError(
                f"评分框架 {self.id} 没有评分办法 {profile}",
                f"可用的评分办法:{'、'.join(self.profiles) or '(没有 profiles)'}",
            )
        base = self._base if self._base is not None else self.model_dump()
        return Framework.model_validate({**base, "profile": profile}).with_profile().with_tiers()

    @model_validator(mode="after")
    def _weights(self) -> "Framework":
        ids = [i.id for i in self.indicators]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"指标 id 重复:{'、'.join(dupes)}")
        total = sum((i.weight for i in self.indicators), Decimal(0))
        if self.rows is not None:
            total += sum((g.weight for g in self.rows.groups), Decimal(0))
            if self.rows.natures.qualitative and len(self.tiers) < 2:
                raise ValueError("有定性指标行时,框架须给出至少两档 tiers")
        if total != self.total:
            what = "各指标权重与各组分值" if self.rows is not None else "各指标权重"
            raise ValueError(f"{what}之和为 {total},应为 {self.total}")
        if any(isinstance(i.rule, JUDGED) for i in self.indicators) and self.questions is None:
            raise ValueError("有需要评价人判断的指标时,须用 questions: 写明访谈中如何提问")
        bare = [i.id for i in self.indicators if isinstance(i.rule, Qualitative) and not i.rule.tiers]
        if bare and len(self.tiers) < 2:
            raise ValueError(f"指标 {'、'.join(bare)} 没有自己的 tiers,框架须给出至少两档 tiers")
        return self

    def with_tiers(self) -> "Framework":
        """The framework with its tiers written into each qualitative indicator that has none."""
        indicators = [
            i.model_copy(update={"rule": i.rule.model_copy(update={"tiers": list(self.tiers)})})
            if isinstance(i.rule, Qualitative) and not i.rule.tiers
            else i
            for i in self.indicators
        ]
        return self.model_copy(update={"indicators": indicators})

    def level1_names(self) -> list[str]:
        groups = [g.level1 for g in self.rows.groups] if self.rows is not None else []  # group names
        return list(dict.fromkeys([*(i.level1 for i in self.indicators), *groups]))

    def grade_for(self, score: Decimal) -> str:
        for band in sorted(self.grades, key=lambda b: b.min, reverse=True):
            if score >= band.min:
                return band.name
        return self.grades[-1].name


def _applied(p: "Profile", data: Dumped) -> Dumped:
    """A framework's data with a profile's weights, rules and row settings written in."""
    for ind in data["indicators"]:
        if ind["id"] in p.weights:
            ind["weight"] = p.weights[ind["id"]]
        if ind["id"] in p.rules:
            ind["rule"] = p.rules[ind["id"]].model_dump()
    if data["rows"] is not None:
        if p.groups is not None:
            data["rows"]["groups"] = [g.model_dump() for g in p.groups]
        data["rows"]["over_target"] = p.over_target.model_dump() if p.over_target else None
        data["rows"]["not_applicable"] = p.not_applicable.model_dump() if p.not_applicable else None
    return data


def _complete() -> None:
    """Import the models of target rows and profiles and finish Framework, before validating one.
    A framework read from the cache without rows or profiles (湛江's) needs neither module."""
    if _completed:
        return
    from zjeval.form.profile import Profile
    from zjeval.form.target_rows import Rows

    Framework.model_rebuild(_types_namespace={"Profile": Profile, "Rows": Rows})
    _completed.append(True)


_completed: list[bool] = []  # _complete() has run


def tier_question(ind: Indicator) -> str:
    return f"{ind.id}__tier"


def count_question(ind: Indicator) -> str:
    return f"{ind.id}__count"


def reason_question(ind: Indicator) -> str:
    return f"{ind.id}__reason"


def _say(text: str, names: dict[str, str]) -> str:
    return tpl.expand(text, lambda name, _flt: names.get(name))


def judgment_questions(framework: Framework) -> list[Question]:
    """The questions the evaluator answers for indicators that figures cannot score, worded as
    the framework's `questions:` says."""
    out: list[Question] = []
    words = framework.questions
    for ind in framework.indicators:
        rule = ind.rule
        if not isinstance(rule, JUDGED):
            continue
        assert words is not None  # the framework's validator requires it with judged indicators
        names = {
            "name": ind.name,
            "level1": ind.level1,
            "level2": ind.level2,
            "weight": num(ind.weight),
            "standard": ind.standard,
        }
        names["where"] = _say(words.where, names)
        if isinstance(rule, Qualitative):
            shares = [{"name": t.name, "share": f"{t.default * 100:.0f}%"} for t in rule.tiers]
            names["tiers"] = ";".join(_say(words.tier_share, share) for share in shares)
            out.append(
                Question(
                    id=tier_question(ind),
                    label=_say(words.tier_label, names),
                    type="choice",
                    choices=[t.name for t in rule.tiers],
                    help=_say(words.tier_help, names),
                )
            )
            reason_when = None
        else:
            if isinstance(rule, Checklist):
                names["items"] = " ".join(f"{i}.{text}" for i, text in enumerate(rule.items, 1))
                label, help_ = words.checklist_label, words.checklist_help
                limit: Decimal | None = Decimal(len(rule.items))
            else:
                assert isinstance(rule, Deduction)
                label, help_ = words.deduction_label, words.deduction_help
                limit = None
            out.append(
                Question(
                    id=count_question(ind),
                    label=_say(label, names),
                    type="integer",
                    min=Decimal(0),
                    max=limit,
                    help=_say(help_, names),
                )
            )
            reason_when = Condition(field=count_question(ind), not_equals="0")
        out.append(
            Question(
                id=reason_question(ind),
                label=_say(words.reason_label, names),
                type="paragraphs",
                max_chars=words.reason_max_chars,
                when=reason_when,
                help=_say(words.reason_help, names),
            )
        )
    return out


def load_file(path: Path) -> Framework:
    """A validated framework; any mistake is a FormError naming file, line and path."""
    try:
        data, lines = yamlio.parse(yamlio.read_text(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable("评分框架文件", path, exc) from None
    except yamlio.YamlSyntaxError as exc:
        raise FormError(f"{path}:{exc.line} {exc.message}", "请修正评分框架文件的 YAML 格式") from None
    try:
        return Framework.model_validate(data).with_profile().with_tiers()
    except ValidationError as exc:
        raise FormError(
            f"评分框架 {path} 有 {exc.error_count()} 处错误",
            "请按提示修改评分框架文件",
            lines=[describe_error(path, lines, e) for e in exc.errors()],
        ) from None
