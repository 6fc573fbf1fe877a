"""The rule kinds a form may state between its answers: one class per kind, one registry.

Each kind is a pydantic model (the form file's `rules:` entries, validated at load) that says
which questions it reads (`reads`, checked by the loader against the form's questions and
their types) and how it checks a set of answers (`check`, against a small Context that
check.py provides). A rule that a written reason can satisfy says when that reason is
needed (`violated`), so the interview asks for the reason only then. Adding a kind means
one class in a module of this package and one entry in `Rule` below; nothing else changes. Pure.
"""


from typing import Annotated

from pydantic import Field

from zjeval.form.rules.base import Context, RuleBase
from zjeval.form.rules.figures import (
    ChangeLimitRule,
    DateOrderRule,
    MemberOfRule,
    MustBeEmptyRule,
    NotAboveRule,
    RatioRule,
    SumRule,
)
from zjeval.form.rules.targets import ContentWhenShortRule, TargetRowsRule
from zjeval.form.rules.text import PatternRule, PlaceholderRule

__all__ = [
    "ChangeLimitRule",
    "ContentWhenShortRule",
    "Context",
    "DateOrderRule",
    "MemberOfRule",
    "MustBeEmptyRule",
    "NotAboveRule",
    "PatternRule",
    "PlaceholderRule",
    "RatioRule",
    "Rule",
    "RuleBase",
    "SumRule",
    "TargetRowsRule",
]

Rule = Annotated[
    SumRule
    | NotAboveRule
    | RatioRule
    | MemberOfRule
    | MustBeEmptyRule
    | ChangeLimitRule
    | DateOrderRule
    | PlaceholderRule
    | PatternRule
    | TargetRowsRule
    | ContentWhenShortRule,
    Field(discriminator="kind"),
]
