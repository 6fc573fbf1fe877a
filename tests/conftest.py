"""Shared fixtures: the built-in form, the seed report (2019, 湛江市科学技术局) and a YAML writer.

Every test runs with its own HOME and form cache (never the developer's), and hypothesis runs
derandomised when CI is set (the same examples on every run, so a red build is reproducible).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.form import loader as forms
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test (and each zjeval it starts) gets its own HOME and form cache folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))  # Windows' idea of home
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("ZJEVAL_CACHE_DIR", str(home / ".cache" / "zjeval"))
    monkeypatch.delenv("ZJEVAL_NO_CACHE", raising=False)
    return home


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
