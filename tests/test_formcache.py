"""The disk cache of validated forms: used when nothing changed, ignored when anything did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from framework_of import framework_of

from zjeval.errors import FormError
from zjeval.form import cache as formcache
from zjeval.form import loader as forms
from zjeval.form.models import DEFERRED

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def form_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in form and its framework, and an empty cache folder."""
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    monkeypatch.setenv("ZJEVAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ZJEVAL_NO_CACHE", raising=False)
    monkeypatch.setattr(forms, "_cache", {})  # only the disk cache, not this process's memory
    return tmp_path / "forms" / "zhanjiang.yaml"


def test_second_load_comes_from_the_cache(form_copy: Path) -> None:
    first = forms.load(str(form_copy))
    assert formcache.get(form_copy.resolve()) is not None
    forms._cache.clear()
    second = forms.load(str(form_copy))
    assert second is not first and second == first
    assert framework_of(second).name == framework_of(first).name
    assert [q.id for _, q in second.walk()] == [q.id for _, q in first.walk()]


def test_a_cached_forms_other_parts_are_unpickled_when_first_read(form_copy: Path) -> None:
    """The import spec, attachments and exported tables (models.DEFERRED) stay pickled apart
    until read; read, they are the validated form's."""
    first = forms.load(str(form_copy))
    forms._cache.clear()
    second = forms.load(str(form_copy))
    assert set(second.__dict__) == set(first.__dict__) - set(DEFERRED)
    assert second.attachments == first.attachments and second.attachments
    assert second.import_ == first.import_ and second.import_ is not None
    assert second.tables == first.tables
    assert set(second.__dict__) == set(first.__dict__)
    assert second.title == first.title  # and the other fields as they were


def test_a_cached_form_copies_and_dumps_whole(form_copy: Path) -> None:
    """A copy of a cached form reads the parts it shares with the original (each reads them once,
    neither takes them from the other); a dump holds them."""
    first = forms.load(str(form_copy))
    dumped = first.model_dump()
    forms._cache.clear()
    cached = forms.load(str(form_copy))
    copy = cached.model_copy()
    assert copy.attachments == first.attachments and cached.attachments == first.attachments
    assert cached.import_ == first.import_ and copy.import_ == first.import_
    forms._cache.clear()
    assert forms.load(str(form_copy)).model_dump() == dumped
    forms._cache.clear()
    assert forms.load(str(form_copy)).model_dump_json() == first.model_dump_json()


def test_a_changed_framework_misses_the_cache(form_copy: Path) -> None:
    forms.load(str(form_copy))
    framework = form_copy.parent / "frameworks" / "zhanjiang.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace(
            "name: 部门整体支出绩效评价指标体系(示例权重)", "name: 改过的评分表"
        ),
        encoding="utf-8",
    )
    forms._cache.clear()
    assert formcache.get(form_copy.resolve()) is None
    assert framework_of(forms.load(str(form_copy))).name == "改过的评分表"


def test_a_changed_form_misses_and_a_broken_one_is_still_reported(form_copy: Path) -> None:
    forms.load(str(form_copy))
    form_copy.write_text(
        form_copy.read_text(encoding="utf-8").replace(
            "    help: 写单位的法定全称", "    hlep: 写单位的法定全称", 1
        ),
        encoding="utf-8",
    )
    forms._cache.clear()
    with pytest.raises(FormError):
        forms.load(str(form_copy))


def test_a_corrupt_cache_entry_is_ignored(form_copy: Path, tmp_path: Path) -> None:
    forms.load(str(form_copy))
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    forms._cache.clear()
    assert forms.load(str(form_copy)).id == "zhanjiang"


def test_the_cache_can_be_turned_off(
    form_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZJEVAL_NO_CACHE", "1")
    forms.load(str(form_copy))
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_folder_does_not_matter(
    form_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ZJEVAL_CACHE_DIR", str(blocker / "sub"))
    assert forms.load(str(form_copy)).id == "zhanjiang"


def test_the_cache_key_covers_the_code_outside_the_form_package() -> None:
    """How the form's YAML is read and how values are validated change what a cached form is."""
    files = formcache.code_files()
    package = ROOT / "zjeval"
    for name in formcache.OUTSIDE:
        assert (package / name).resolve() in files
    assert (package / "form" / "loader.py").resolve() in files
    assert all(f.is_file() for f in files)


def test_a_changed_byte_in_any_code_file_changes_the_key(
    form_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = []
    for i, source in enumerate(formcache.code_files()):
        copy = tmp_path / "code" / f"{i}-{source.name}"
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, copy)
        copies.append(copy)
    monkeypatch.setattr(formcache, "code_files", lambda: copies)
    forms.load(str(form_copy))
    forms._cache.clear()
    assert formcache.get(form_copy.resolve()) is not None
    key = formcache._digest([form_copy])
    for copy in copies:
        original = copy.read_bytes()
        copy.write_bytes(original + b" ")  # one byte more, at the end
        assert formcache._digest([form_copy]) != key, copy.name
        assert formcache.get(form_copy.resolve()) is None, copy.name
        copy.write_bytes(original)
    assert formcache._digest([form_copy]) == key
