"""The test suite itself: isolated from the developer's home, reproducible in CI, slow tests marked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from zjeval.form import cache as formcache
from zjeval.form import loader as forms

ROOT = Path(__file__).resolve().parent.parent


def test_each_test_has_its_own_home_and_form_cache(isolated_home: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    assert Path.home() == isolated_home
    assert str(isolated_home).startswith(str(tmp_path_factory.getbasetemp()))
    folder = formcache.cache_dir()
    assert folder is not None and folder.is_relative_to(isolated_home)


def test_a_form_loaded_in_a_test_is_cached_in_the_test_home(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms, "_cache", {})
    forms.load("zhanjiang")
    folder = formcache.cache_dir()
    assert folder is not None and any(folder.iterdir())


def test_hypothesis_is_derandomised_when_ci_is_set() -> None:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    assert settings.default is not None and settings.default.derandomize is ci
    assert settings().derandomize is ci  # what a test's own settings(...) inherits


def test_the_slow_marker_is_registered() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '\nmarkers = [\n    "slow: ' in text  # and --strict-markers refuses any unregistered one
