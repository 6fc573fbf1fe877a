"""`--form NAME|PATH` for every command, with forms other than the built-in one, and `zjeval forms`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.form import loader

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_form.yaml"
runner = CliRunner()

MINI_ANSWERS = """\
zjeval: 1
form: mini
year: {year}
answers:
  unit_name: 测试单位
  income_total: {income}
  consistent: 一致
  problems:
  - 资金拨付进度偏慢
  report_date: {year_after}-03-01
"""


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    # a user's mistake ends in SystemExit with our code; anything else would be a crash
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture()
def mini_years(tmp_path: Path) -> Path:
    for year, income in ((2023, "100"), (2024, "120.5")):
        (tmp_path / f"{year}.yaml").write_text(
            MINI_ANSWERS.format(year=year, income=income, year_after=year + 1), encoding="utf-8"
        )
    return tmp_path


def test_forms_lists_every_builtin_form() -> None:
    code, out = run("forms", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == loader.builtin_forms()
    for row in rows:
        assert row["name"] and row["used_in"], row


def test_forms_plain_lines_when_piped() -> None:
    code, out = run("forms")
    assert code == 0
    first = out.splitlines()[0].split("\t")
    assert first[0] in loader.builtin_forms() and len(first) == 4


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["check", "2024"], 0, "已完整"),
        (["render", "2024"], 0, "测试单位2024年度部门整体支出绩效自评报告"),
        (["render", "2024", "-t", "md"], 0, "资金拨付进度偏慢"),
        (["diff", "2023", "2024"], 0, "收入总预算"),
        (["score", "2024"], None, "没有评分表"),  # a usage error, not "incomplete"
    ],
)
def test_every_command_with_a_form_path(
    mini_years: Path, args: list[str], code: int | None, expected: str
) -> None:
    got, out = run(*args, "--form", str(MINI), "--dir", str(mini_years))
    assert got == code if code is not None else got not in (0, 1), out
    assert expected in out


def test_render_docx_and_xlsx_with_a_form_path(mini_years: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    code, out = run("render", "2024", "--form", str(MINI), "--dir", str(mini_years), "-o", str(target))
    assert code == 0, out
    assert target.stat().st_size > 1000
    # a form without attachments has nothing for a workbook: said in Chinese, no file written
    target = tmp_path / "out.xlsx"
    code, out = run("render", "2024", "--form", str(MINI), "--dir", str(mini_years), "-o", str(target))
    assert code not in (0, 1) and "没有数据表或评分表" in out
    assert not target.exists()


def test_unknown_form_name_is_a_chinese_error(mini_years: Path) -> None:
    code, out = run("check", "2024", "--form", "nosuchform", "--dir", str(mini_years))
    assert code != 0
    assert "没有名为 nosuchform 的内置表单" in out and "zhanjiang" in out


YUNNAN_FORM = ROOT / "tests" / "fixtures" / "yunnan_form.yaml"
YUNNAN_PAGE = ROOT / "tests" / "fixtures" / "import" / "regions" / "yunnan-xundian-2021.txt"


@pytest.fixture()
def yunnan_years(tmp_path: Path) -> Path:
    """A Yunnan-outline report imported with the second test form, twice (two years to compare)."""
    for year in ("2020", "2021"):
        code, out = run(
            "import", str(YUNNAN_PAGE), "--year", year, "--form", str(YUNNAN_FORM), "--dir", str(tmp_path)
        )
        assert code == 0, out
    return tmp_path


@pytest.mark.parametrize(
    ("args", "codes", "expected"),
    [
        (["check", "2021"], (0, 1), "2021.yaml"),
        (["render", "2021", "--draft"], (0,), "寻甸回族彝族自治县档案馆2021年度"),
        (["render", "2021", "--draft", "-t", "md"], (0,), "# 寻甸回族彝族自治县档案馆"),
        (["diff", "2020", "2021"], (0,), ""),
        (["score", "2021"], (2, 3, 4), "没有评分表"),
        (
            ["table", str(ROOT / "tests" / "fixtures" / "tables" / "申报表-GBK.csv"), "2021"],
            (2, 3, 4),
            "没有可读入的表格",
        ),
    ],
)
def test_every_command_with_a_form_in_another_outline(
    yunnan_years: Path, args: list[str], codes: tuple[int, ...], expected: str
) -> None:
    got, out = run(*args, "--form", str(YUNNAN_FORM), "--dir", str(yunnan_years))
    assert got in codes, out
    assert expected in out
