"""The pure pieces of review at their boundaries: 执行率 caps, the over-target test, Chinese
counts, the sentence a finding quotes, character shingles."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zjeval.form.target_rows import RowResult
from zjeval.review import copies, prose, rescore
from zjeval.review.profile import Cap, ExecutionCap

CAPS = ExecutionCap(
    kind="execution_cap",
    id="cap",
    level="P1",
    source="依据",
    caps=[Cap(below=Decimal(b), max=Decimal(m)) for b, m in ((80, 89), (70, 79), (60, 69), (50, 59))],
)


@pytest.mark.parametrize(
    ("rate", "cap"),
    [
        ("80", None),
        ("79.99", "89"),
        ("70", "89"),
        ("69.99", "79"),
        ("60", "79"),
        ("50", "69"),
        ("49.99", "59"),
        ("0", "59"),
    ],
)
def test_execution_cap_bands_take_their_lower_bound(rate: str, cap: str | None) -> None:
    got = rescore.cap_for(CAPS, Decimal(rate))
    assert (None if got is None else got.max) == (None if cap is None else Decimal(cap))


def test_no_execution_no_cap() -> None:
    assert rescore.cap_for(CAPS, None) is None


def row(nature: str, target: str, actual: str) -> Any:
    return RowResult(
        index=1,
        name="x",
        level1="产出指标",
        level2="数量指标",
        nature=nature,  # type: ignore[arg-type]
        nature_word="",
        target_text=target,
        unit="个",
        actual_text=actual,
        target=Decimal(target),
        actual=Decimal(actual),
        weight=Decimal(10),
        score=Decimal(10),
        why="",
        shortfall=False,
        reason="",
    )


@pytest.mark.parametrize(
    ("nature", "target", "actual", "beyond"),
    [
        ("up", "100", "130", True),
        ("up", "100", "129.99", False),
        ("down", "10", "7", True),
        ("down", "10", "7.01", False),
        ("equal", "10", "20", False),
        ("up", "0", "5", False),
    ],
)
def test_beyond_target_by_thirty_percent_or_more(nature: str, target: str, actual: str, beyond: bool) -> None:
    assert rescore.beyond(row(nature, target, actual), Decimal(30)) is beyond


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("17", 17),
        ("十七", 17),
        ("七十", 70),
        ("两", 2),
        ("十", 10),
        ("一百零五", 105),
        ("两百", 200),
        ("一千零三", 1003),
        ("几", None),
        ("一百五", None),  # spoken for 150: not an exact written numeral
        ("²", None),
    ],
)
def test_chinese_counts(text: str, n: int | None) -> None:
    assert prose.cn_number(text) == n


def test_the_sentence_around_a_match() -> None:
    text = "第一句。全年执行率为85%，较上年提高；第三句。"
    assert prose.sentence(text, text.index("85")) == "全年执行率为85%，较上年提高；"


@pytest.mark.parametrize(
    ("said", "matches"),
    [
        ("预算执行率为85%", True),
        ("上年结转资金执行率84.52%", False),
        ("其他资金执行率90%", False),
        ("资金执行率仅为5%", True),
    ],
)
def test_which_rates_are_the_whole_budget(said: str, matches: bool) -> None:
    assert bool(prose.RATE.search(said)) is matches


def test_shingles_of_a_short_text() -> None:
    assert copies._shingles("abc", 5) == frozenset({"abc"})
    assert copies._shingles("abcdef", 5) == frozenset({"abcde", "bcdef"})
