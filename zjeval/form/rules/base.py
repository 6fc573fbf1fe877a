"""What every rule kind shares: the Context a rule checks against, the base class, formatting."""


import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol

from zjeval.form.question import NUMBER_TYPES, Id, Question, Strict

if TYPE_CHECKING:
    from zjeval.form.framework import Framework, Indicator
    from zjeval.form.target_rows import RowResult

Severity = Literal["error", "warning"]
NUMERIC = tuple(sorted(NUMBER_TYPES))
TEXTS = ("text", "paragraphs")


class ScoredItem(Protocol):
    """One indicator's score as a rule reads it (assess.scoring's IndicatorScore)."""

    @property
    def indicator(self) -> "Indicator": ...
    @property
    def score(self) -> Decimal | None: ...


class Card(Protocol):
    """The scorecard as a rule reads it (assess.scoring's Scorecard, which sits above form/)."""

    @property
    def framework(self) -> "Framework": ...
    @property
    def items(self) -> Sequence[ScoredItem]: ...
    @property
    def rows(self) -> "Sequence[RowResult]": ...
    @property
    def total(self) -> Decimal | None: ...


class Context(Protocol):
    """What a rule sees: the answers (and last year's), the form's questions, a way to report."""

    questions: dict[str, Question]
    year: int  # the evaluated year
    previous_year: int | None  # last year's, when its answers are there to compare with

    def value(self, qid: str) -> object: ...  # the validated answer, narrowed by the rule that reads it
    def number(self, qid: str) -> Decimal | None: ...
    def previous_number(self, qid: str) -> Decimal | None: ...
    def answered(self, qid: str) -> bool: ...
    def label(self, qid: str) -> str: ...
    def date_text(self, value: dt.date) -> str: ...  # a date as the report writes it: 2020年9月2日
    def texts(self) -> Iterator[tuple[Question, list[str]]]: ...
    def scorecard(self) -> Card | None: ...  # None for a form without a 评分表
    def add(self, qid: str | None, severity: Severity, message: str, field: str | None = None) -> None: ...


Ref = tuple[str, str, tuple[str, ...]]  # (key in the rule, question id, the types it may have)


def fmt(value: Decimal) -> str:
    """A figure as entered, without exponent."""
    return format(value, "f")


def pct(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


class RuleBase(Strict):
    """What every kind has: an id (for messages and overrides) and a severity."""

    id: Id
    severity: Severity = "error"

    def reads(self) -> Iterator[Ref]:
        """The questions this rule reads, with the types each may have (empty: any type)."""
        return iter(())

    def shape_problems(self, questions: dict[str, Question]) -> Iterator[tuple[str, str]]:
        """Problems of the rule's shape beyond question types: (key, message)."""
        return iter(())

    @property
    def reason_id(self) -> str | None:
        """The question whose answer excuses a violation, if the kind has one."""
        return getattr(self, "reason", None)

    def violated(self, ctx: Context) -> bool:
        """Whether the answers break the rule, a reason aside (False while inputs are missing)."""
        return False

    def check(self, ctx: Context) -> None:
        raise NotImplementedError


def reason_hint(ctx: Context, reason: str | None) -> str:
    return f",请在「{ctx.label(reason)}」中说明原因" if reason else ""
