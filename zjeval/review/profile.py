"""Review profiles: the rules a place's reviewers apply, as data (forms/review/*.yaml).

Each rule is a generic kind with its parameters, its level (P0 must fix, P1 should fix, P2
note), its source (the notice or practice it comes from) and the advice a finding carries.
Nothing here knows one form's question ids: whatever a rule needs from a form comes from the
form's own data (its 评分表's rows spec, its attachment's funding indicator, its labels).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from zjeval import yamlio
from zjeval.errors import FormError
from zjeval.form.question import Id, Label, Strict

Level = Literal["P0", "P1", "P2"]
LEVELS: tuple[Level, ...] = ("P0", "P1", "P2")
Words = Annotated[list[Label], Field(min_length=1)]


class Rule(Strict):
    id: Id
    level: Level
    source: Label  # 依据: the notice, rule or practice the finding rests on
    advice: str = ""  # 建议: what the unit should do; each kind has its own when empty


class Cap(Strict):
    below: Decimal  # 执行率 (%) under this …
    max: Decimal  # … caps the total at this


class ExecutionCap(Rule):
    """执行率 caps the total (§9): the lowest band the rate falls under applies."""

    kind: Literal["execution_cap"]
    caps: list[Cap] = Field(min_length=1)


class OverTarget(Rule):
    """An actual beyond its target by `percent` % or more: the target was set too low."""

    kind: Literal["over_target"]
    percent: Decimal = Field(gt=0)
    points: Decimal = Field(ge=0)


class ScoreGap(Rule):
    """The total and the 执行率 (as points of 100) may not differ by more than `max_gap`."""

    kind: Literal["score_execution_gap"]
    max_gap: Decimal = Field(gt=0)


class AllFull(Rule):
    """Every indicator row at full marks (`of: rows`), or every project of a unit at full marks."""

    kind: Literal["all_full"]
    of: Literal["rows", "projects"] = "rows"
    min_count: int = Field(default=3, ge=1)


class FullWhileShort(Rule):
    """A row at full marks although it falls short: its actual below the target (a raised score), or
    words of failure in its actual or its 偏差原因 (达成 but 尚未验收)."""

    kind: Literal["full_while_short"]
    words: Words  # words in a row's actual or 偏差原因 that say it was not (fully) done


class TextActual(Rule):
    """A 定量 row (≥ ≤ =) whose 实际完成值 is words."""

    kind: Literal["text_actual"]


class CostUp(Rule):
    """A cost indicator written ≥ (cost control runs the other way)."""

    kind: Literal["cost_written_up"]
    level2: Words  # 二级指标 that are costs
    names: list[Label] = Field(default_factory=list)  # words in a 三级指标 that make it a cost


class BarePercent(Rule):
    """Every row of a group a bare high percentage (≥95%): quantitative in form, with no basis."""

    kind: Literal["bare_percent"]
    groups: Words  # 二级指标 (or 一级指标) checked, each on its own
    min: Decimal = Decimal(90)
    min_rows: int = Field(default=2, ge=1)


class SurveyStated(Rule):
    """A satisfaction row with no survey named anywhere in the unit's text."""

    kind: Literal["survey_stated"]
    rows: Words  # words of a row's 一级/二级/三级指标 that make it a satisfaction row
    words: Words  # words that name a survey


class EmptyWhenShort(Rule):
    """存在问题 / 改进措施 only "无" while anything falls short."""

    kind: Literal["empty_when_short"]
    labels: Words  # the questions, by the words of their labels
    words: Words  # what counts as saying nothing


class DateAfterYear(Rule):
    """A 时效 row whose target or actual names a date after the fiscal year."""

    kind: Literal["date_after_year"]
    level2: Words


class IdleMoney(Rule):
    """执行率 near zero while output rows are at full marks."""

    kind: Literal["idle_money_full_output"]
    below: Decimal  # 执行率 (%) under this is "near zero"
    level1: Words  # the output groups


class ProseFigures(Rule):
    """Money and 执行率 stated in the text against the unit's own figures."""

    kind: Literal["prose_figures"]
    tolerance: Decimal = Decimal("0.01")


class ProseCounts(Rule):
    """Counts in the text (指标个数, "N个指标中M个未完成", 项目个数) against the rows and the batch;
    the shortfalls a text counts must be named."""

    kind: Literal["prose_counts"]


class ShortfallsNamed(Rule):
    """Every row that falls short named somewhere in the unit's text (outside the table)."""

    kind: Literal["shortfalls_named"]


class ProseAllMet(Rule):
    """ "均已完成" / "全部达到" while rows fall short."""

    kind: Literal["prose_all_met"]
    words: Words


class OtherUnitName(Rule):
    """Another unit of the batch named in a unit's text."""

    kind: Literal["other_unit_name"]


class SharedParagraphs(Rule):
    """Paragraphs shared nearly word for word between units (character shingles, Jaccard)."""

    kind: Literal["shared_paragraphs"]
    min_chars: int = Field(default=40, ge=5)
    shingle: int = Field(default=5, ge=2)
    similarity: Decimal = Field(default=Decimal("0.8"), gt=0, le=1)


class SameAsLastYear(Rule):
    """This year's answers equal to last year's (both in the batch)."""

    kind: Literal["same_as_last_year"]
    labels: Words


class FormCheck(Rule):
    """What `zjeval check` finds with the unit's own form: errors at `level`, warnings at `warnings`."""

    kind: Literal["form_check"]
    warnings: Level = "P2"


class Unreadable(Rule):
    """A file that cannot be read."""

    kind: Literal["unreadable"]


AnyRule = Annotated[
    ExecutionCap
    | OverTarget
    | ScoreGap
    | AllFull
    | FullWhileShort
    | TextActual
    | CostUp
    | BarePercent
    | SurveyStated
    | EmptyWhenShort
    | DateAfterYear
    | IdleMoney
    | ProseFigures
    | ProseCounts
    | ShortfallsNamed
    | ProseAllMet
    | OtherUnitName
    | SharedParagraphs
    | SameAsLastYear
    | FormCheck
    | Unreadable,
    Field(discriminator="kind"),
]


class Profile(Strict):
    id: Id
    name: Label
    description: str = ""
    # the 评分表 indicators that give 执行率 when a form's attachment names no funding indicator
    execution_indicators: list[Id] = Field(default_factory=list)
    rules: list[AnyRule] = Field(min_length=1)

    def of(self, kind: type[Rule]) -> list[Rule]:
        return [r for r in self.rules if isinstance(r, kind)]


def builtin_dir() -> Path:
    from zjeval.form.loader import builtin_dir as forms_dir

    return forms_dir() / "review"


def resolve(name_or_path: str) -> Path:
    """A profile's file: a built-in profile's name, or a path."""
    if name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path:
        return Path(name_or_path)
    path = builtin_dir() / f"{name_or_path}.yaml"
    if not path.is_file():
        names = "、".join(sorted(p.stem for p in builtin_dir().glob("*.yaml")))
        raise FormError(f"没有名为 {name_or_path} 的复核规则", f"内置的有:{names};也可用 --profile 路径.yaml")
    return path


def _untagged(loc: tuple[int | str, ...]) -> yamlio.Loc:
    """A pydantic error's path without the rule kind it names (rules.0.over_target.percent)."""
    kinds = {getattr(r.model_fields["kind"].annotation, "__args__", ("",))[0] for r in Rule.__subclasses__()}
    return tuple(p for p in loc if p not in kinds)


def load(name_or_path: str = "default") -> Profile:
    """The validated profile; a mistake is a FormError naming file, line and field."""
    path = resolve(name_or_path)
    try:
        data, lines = yamlio.parse(yamlio.read_text(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"无法读取复核规则文件 {path}:{exc}", "请检查路径和文件编码(UTF-8)") from None
    except yamlio.YamlSyntaxError as exc:
        raise FormError(f"{path}:{exc.line} {exc.message}", "请修正复核规则文件的 YAML 格式") from None
    if not isinstance(data, dict):
        raise FormError(f"{path}:1 复核规则文件应为 YAML 映射(id、name、rules …)")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise FormError(
            f"复核规则文件 {path} 有 {exc.error_count()} 处错误",
            "请按提示修改复核规则文件",
            lines=[yamlio.describe_error(path, lines, err, _untagged(err["loc"])) for err in exc.errors()],
        ) from None
    ids = [r.id for r in profile.rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise FormError(f"{path}: 复核规则 id 重复:{'、'.join(dupes)}", "每条规则的 id 应各不相同")
    return profile
