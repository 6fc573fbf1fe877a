"""Heavy libraries are imported only by the commands that need them (start-up speed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
PROJECTS = ROOT / "answers" / "examples" / "2025-项目"
HEAVY = ("questionary", "prompt_toolkit", "docx", "openpyxl", "lxml", "ruamel")


def imported(*args: str) -> set[str]:
    """Top-level modules a zjeval command imports, from python -X importtime."""
    return {name.split(".")[0] for name in modules(*args)}


def modules(*args: str) -> set[str]:
    """Every module (dotted name) a zjeval command imports, from python -X importtime."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "zjeval", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=str(ROOT),
        timeout=120,
        check=False,
    )
    # a command that failed (or crashed at import) imports little: that must not pass as "light"
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["check", str(DEMO)],
        ["score", str(DEMO)],
        ["render", str(DEMO), "-t", "md"],
        ["projects", "check", str(PROJECTS)],
        ["projects", "statement", str(PROJECTS)],
    ],
)
def test_light_commands_do_not_import_heavy_libraries(args: list[str]) -> None:
    assert not imported(*args) & set(HEAVY)


@pytest.mark.slow
def test_docx_is_imported_for_docx_only(tmp_path: Path) -> None:
    names = imported("render", str(DEMO), "-o", str(tmp_path / "r.docx"))
    assert "docx" in names and "openpyxl" not in names and "questionary" not in names


# the models of a form's parts that checking and scoring never read (models.DEFERRED)
DEFERRED_MODELS = {"zjeval.form.import_spec", "zjeval.form.table_layout", "zjeval.form.table_spec"}


# what a framework without target rows or profiles (湛江's) never needs
ROWS_AND_PROFILES = {"zjeval.form.target_rows", "zjeval.form.profile"}


@pytest.mark.parametrize("args", [["check", str(DEMO)], ["score", str(DEMO)]])
def test_check_and_score_leave_the_forms_other_parts_unread(args: list[str]) -> None:
    """With the form in the cache (the first run puts it there), neither the import spec, the
    attachments' layout nor the exported tables are unpickled, nor their models imported."""
    modules(*args)  # validates the form (importing all its models) and caches it
    names = modules(*args)
    assert "zjeval.form.models" in names and "zjeval.form.framework" in names
    assert not names & DEFERRED_MODELS
    if args[0] == "check":  # its overrides are judged without scoring; nothing asks for JSON
        assert not names & {"zjeval.assess.scoring", "zjeval.form.row_rule", "json", *ROWS_AND_PROFILES}
        assert "zjeval.form.calc" not in names  # no score expression is built


def test_a_framework_with_target_rows_reads_them_from_the_cache() -> None:
    target = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
    modules("check", str(target))
    assert modules("check", str(target)) >= ROWS_AND_PROFILES  # its rows are read and scored


def test_render_from_the_cache_reads_the_attachments_it_needs(tmp_path: Path) -> None:
    modules("render", str(DEMO), "-o", str(tmp_path / "first.md"))  # validated, then cached
    modules("render", str(DEMO), "-o", str(tmp_path / "cached.md"))  # attachments unpickled when read
    first = (tmp_path / "first.md").read_text(encoding="utf-8")
    assert "附件" in first and (tmp_path / "cached.md").read_text(encoding="utf-8") == first


def test_command_annotations_are_objects_not_strings() -> None:
    """typer reads every command's parameter types on every start, whichever command runs: as
    strings (`from __future__ import annotations`) each is compiled and evaluated again, which
    cost more than the whole check of one file. cli.py and cli_projects.py keep them objects."""
    from zjeval import cli, cli_projects

    apps = [cli.app, cli_projects.app]
    functions = [c.callback for a in apps for c in a.registered_commands]
    functions += [a.registered_callback.callback for a in apps if a.registered_callback is not None]
    assert len(functions) > 10
    for function in functions:
        assert function is not None
        strings = [name for name, hint in function.__annotations__.items() if isinstance(hint, str)]
        assert not strings, (function.__name__, strings)


def test_model_field_types_are_objects_and_every_form_validates() -> None:
    """pydantic reads each model field's type when its class is built, on every start: as a
    string (`from __future__ import annotations`) it is evaluated again each time. The model
    modules on check's path write them as objects; a class naming itself and the parts imported
    only to validate stay strings (resolved then). In a fresh process without the form cache:
    every form module imports, and every built-in form validates (which resolves those strings)."""
    script = """
import importlib, pkgutil, typing
import zjeval.form, zjeval.form.rules
from pydantic import BaseModel
from zjeval.form import loader
names = [m.name for p in (zjeval.form, zjeval.form.rules)
         for m in pkgutil.iter_modules(p.__path__, p.__name__ + '.')]
for name in names:
    importlib.import_module(name)
late = {'Rows', 'Profile', 'ImportSpec', 'HeaderField', 'FundsBlock', 'ObjectivesBlock',
        'RowsBlock', 'TableSpec'}
for short in ('question', 'rule_kinds', 'formulas', 'framework', 'models', 'rules.base',
              'rules.figures', 'rules.text', 'rules.targets'):
    module = importlib.import_module('zjeval.form.' + short)
    for cls in vars(module).values():
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
            for field, hint in vars(cls).get('__annotations__', {}).items():
                if isinstance(hint, str):
                    assert any(n in hint for n in late | {cls.__name__}), (cls.__name__, field, hint)
forms = loader.builtin_forms()
assert len(forms) >= 3, forms
for name in forms:
    assert loader.load(name).id
print(len(names), len(forms))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=str(ROOT),
        env={**os.environ, "ZJEVAL_NO_CACHE": "1"},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules_count, forms_count = map(int, proc.stdout.split())
    assert modules_count > 20 and forms_count >= 3
