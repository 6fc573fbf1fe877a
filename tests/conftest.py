"""Shared fixtures: the built-in form, the seed report (2019, 湛江市科学技术局) and a YAML writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.form import loader as forms
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"


@pytest.fixture
def form() -> Form:
    """The built-in 湛江 form."""
    return forms.load("zhanjiang")


@pytest.fixture
def seed_path() -> Path:
    """The shipped example answers file (the seed report)."""
    return SEED_PATH


@pytest.fixture
def seed(seed_path: Path) -> tuple[Form, Answers]:
    """(form, answers) of the seed, freshly loaded: tests may modify the answers."""
    return store.load(seed_path)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """write_yaml(text, name="2019.yaml") -> the path of a UTF-8 file holding `text` in tmp_path."""

    def write(text: str, name: str = "2019.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
