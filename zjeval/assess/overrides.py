"""An answers file's `overrides:` (an indicator's score set by hand, with the reason) judged on
its own: a key that names no indicator, an override that is malformed or out of range. Pure.

Scoring applies the overrides that are sound (scoring.py); what is wrong with one never depends
on a computed score, so `check` can report it without scoring a form that has no target rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from zjeval.answers.parsing import strip_control
from zjeval.form.decimals import num

if TYPE_CHECKING:
    from zjeval.form.framework import Indicator


def judged(weight: Decimal, raw: object) -> tuple[Decimal, str] | str:
    """An override's (score, reason), or why it is refused (Chinese, for the user)."""
    if not isinstance(raw, dict) or set(raw) - {"score", "reason"}:
        return "应写为 {score: 得分, reason: 理由}"
    if not isinstance(raw.get("reason"), (str, type(None))):
        return "reason 应为一段文字(调整得分的理由)"
    reason = " ".join(strip_control(raw.get("reason") or "").split())
    try:
        score = Decimal(str(raw.get("score")).strip())
    except ArithmeticError:
        return f"score 应为 0 至 {num(weight)} 之间的数字"
    if not score.is_finite() or not 0 <= score <= weight:
        return f"score 应为 0 至 {num(weight)} 之间的数字"
    if not reason:
        return "调整得分必须写明理由(reason)"
    return score, reason


def unknown(overrides: Mapping[str, object], known: Iterable[str]) -> list[tuple[str, str]]:
    """(key, message) for each override whose key names no indicator."""
    ids = set(known)
    return [(str(key), f"评分框架中没有指标 {key}") for key in overrides if key not in ids]


def refusal(name: str, problem: str) -> str:
    return f"「{name}」的得分调整无效:{problem}"


def problems(indicators: Iterable[Indicator], overrides: Mapping[str, object]) -> list[tuple[str, str]]:
    """What is wrong with the overrides, as the scorecard lists it (unknown keys first, then the
    refused ones in the indicators' order), for a framework whose indicators are all fixed (no
    target rows)."""
    indicators = list(indicators)
    found = unknown(overrides, (ind.id for ind in indicators))
    for ind in indicators:
        if ind.id in overrides:
            verdict = judged(ind.weight, overrides[ind.id])
            if isinstance(verdict, str):
                found.append((ind.id, refusal(ind.name, verdict)))
    return found
