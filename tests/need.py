"""`need`: an answer the test's fixture is known to have, narrowed from `X | None` for arithmetic."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def need(value: T | None) -> T:
    """The value; fails the test when the answer is missing."""
    assert value is not None, "the fixture should answer this question"
    return value
