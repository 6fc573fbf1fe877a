"""`zjeval forms check FILE` and `zjeval forms --schema`: every problem of a form and its 评分表 in one
pass, each at its own file:line (issue 17.3); shared fragments through include, confined to the forms
folder, a fragment's mistake reported at the fragment's own line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.errors import FormError
from zjeval.form import loader

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture()
def forms(tmp_path: Path) -> Path:
    """A copy of the built-in forms folder (forms, fragments, frameworks)."""
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    return tmp_path / "forms"


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("name", loader.builtin_forms())
def test_every_built_in_form_passes_forms_check(name: str) -> None:
    code, out = run("forms", "check", name)
    assert code == 0 and out.startswith("✓ ") and "没有问题" in out, out


def test_all_problems_of_form_and_framework_in_one_pass(forms: Path) -> None:
    form = forms / "project.yaml"
    framework = forms / "frameworks" / "project.yaml"
    form.write_text(
        form.read_text(encoding="utf-8").replace(
            "        help: 与预算系统中的项目名称一致。", "        hlep: x", 1
        ),
        encoding="utf-8",
    )
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("    weight: 10\n", "    wieght: 10\n", 1),
        encoding="utf-8",
    )
    code, out = run("forms", "check", str(form))
    assert code == 4
    assert f"{form}:{line_of(form, 'hlep: x')} sections.0.questions.0.hlep: 未知的键" in out
    assert f"{framework}:{line_of(framework, 'wieght: 10')} indicators.0.wieght: 未知的键" in out


def test_a_mismatch_with_the_framework_is_reported_in_the_framework(forms: Path) -> None:
    framework = forms / "frameworks" / "project.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("    unit: unit\n", "    unit: units\n", 1),
        encoding="utf-8",
    )
    code, out = run("forms", "check", str(forms / "project.yaml"))
    assert code == 4
    assert (
        f"{framework}:{line_of(framework, 'unit: units')} rows.fields.unit: 评分框架 rows.fields.unit: indicators 中没有字段 units"
        in out
    )


def test_schema_is_json_schema_of_the_form_file() -> None:
    code, out = run("forms", "--schema")
    assert code == 0
    schema = json.loads(out)
    assert (
        schema["title"] == "Form" and "sections" in schema["properties"] and "import" in schema["properties"]
    )
    assert "RowsBlock" in schema["$defs"] and schema["additionalProperties"] is False
    # any part may be written as an include of a fragment
    assert schema["$defs"]["Section"]["anyOf"][1] == {"$ref": "#/$defs/Include"}
    assert schema["$defs"]["Include"]["required"] == ["include"]


# ---------------------------------------------------------------- include


def test_built_in_forms_share_the_indicator_rows_fragment() -> None:
    text = {
        name: (ROOT / "forms" / f"{name}.yaml").read_text(encoding="utf-8") for name in ("target", "project")
    }
    assert all("include: fragments/indicator_rows.yaml" in t for t in text.values())
    rows = [loader.load(name).questions()["indicators"] for name in ("target", "project")]
    assert rows[0] == rows[1] and [f.id for f in rows[0].fields][:3] == ["level1", "level2", "name"]


def test_a_mistake_in_a_fragment_is_reported_at_the_fragment(forms: Path) -> None:
    fragment = forms / "fragments" / "indicator_rows.yaml"
    fragment.write_text(
        fragment.read_text(encoding="utf-8").replace("max_chars: 60", "max_chars: sixty", 1), encoding="utf-8"
    )
    code, out = run("forms", "check", str(forms / "project.yaml"))
    assert code == 4
    assert f"{fragment}:{line_of(fragment, 'max_chars: sixty')} " in out


def test_an_include_outside_the_forms_folder_is_refused(forms: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("id: x\n", encoding="utf-8")
    form = forms / "project.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(
        text.replace("include: fragments/indicator_rows.yaml", "include: ../outside.yaml", 1),
        encoding="utf-8",
    )
    with pytest.raises(FormError) as caught:
        loader.load(str(form))
    line = line_of(form, "include: ../outside.yaml")
    assert caught.value.message.startswith(
        f"{form.resolve()}:{line} include: ../outside.yaml 不在表单所在的目录"
    )
