"""`zjeval diff` and the year-over-year plausibility rules in `check`."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from need import need
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.answers.kinds import as_text
from zjeval.answers.model import Answers
from zjeval.assess import check, diff
from zjeval.cli import app
from zjeval.form import loader as forms

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"


@pytest.fixture()
def years(tmp_path: Path) -> tuple[Path, Path]:
    """The demo as 2024, and a 2025 copy with a few changes."""
    old, new = tmp_path / "2024.yaml", tmp_path / "2025.yaml"
    shutil.copy(DEMO, old)
    form, answers = store.load(old)
    answers.year = 2025
    answers.set("income_other", None)  # removed
    answers.set("income_general", need(answers.decimal("income_general")) + Decimal("100"))
    answers.set("problems", [*answers.strings("problems")[1:], "新发现的问题"])
    answers.set("process_text", "今年换了写法。")
    store.save(new, form, answers)
    return old, new


def changes(old: Path, new: Path) -> dict[str, diff.Change]:
    form, a = store.load(old)
    _, b = store.load(new)
    return {c.qid: c for c in diff.compare(form, a, b)}


def test_figures_with_change_and_percent(years: tuple[Path, Path]) -> None:
    c = changes(*years)["income_general"]
    assert c.kind == "changed" and c.delta == "+100.00万元"
    old = Decimal(c.old.removesuffix("万元"))
    assert c.percent == f"+{(Decimal(100) / old * 100).quantize(Decimal('0.01'))}%"


def test_removed_figure_and_list_items(years: tuple[Path, Path]) -> None:
    got = changes(*years)
    # answered last year only: not a change, listed apart as 未填
    assert got["income_other"].kind == "unfilled" and got["income_other"].new == "未填"
    problems = got["problems"]
    assert "去掉" in problems.old and "新增:新发现的问题" in problems.new
    assert got["process_text"].new == "今年换了写法。"
    assert "unit_name" not in got  # unchanged answers are not listed


def test_zero_base_reads_new() -> None:
    form = forms.load()
    a, b = Answers(year=2024, form_id=form.id), Answers(year=2025, form_id=form.id)
    a.set("income_fund", Decimal(0))
    b.set("income_fund", Decimal("50"))
    (c,) = diff.compare(form, a, b)
    assert c.percent == "新增" and c.delta == "+50.00万元"


def test_diff_cli_table_and_json(years: tuple[Path, Path]) -> None:
    old, new = years
    result = CliRunner().invoke(app, ["diff", "2024", "2025", "--dir", str(old.parent)])
    assert result.exit_code == 0
    assert "+100.00万元" in result.stdout and "共 3 项变化" in result.stdout
    assert "未填: 一、单位基本情况 / （四）部门整体支出情况 › 其中:其他收入(万元):本年未填" in result.stdout
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "--json"])
    data = json.loads(result.stdout)
    assert {c["id"] for c in data["changes"]} >= {"income_general", "income_other", "problems"}


def test_half_filled_year_lists_unanswered_apart(tmp_path: Path) -> None:
    """A year with only a few answers: no question reads as removed; the rest are 未填."""
    form, demo = store.load(DEMO)
    half = Answers(year=2025, form_id=form.id)
    half.set("unit_name", "新单位")
    half.set("income_total", demo.get("income_total"))
    got = diff.compare(form, demo, half)
    assert [c.qid for c in got if c.kind != "unfilled"] == ["unit_name"]
    assert all(c.kind in ("changed", "unfilled") for c in got)
    assert {c.qid for c in got if c.kind == "unfilled"} == set(demo.values) - {"unit_name", "income_total"}
    store.save(tmp_path / "2024.yaml", form, demo)
    store.save(tmp_path / "2025.yaml", form, half)
    result = CliRunner().invoke(app, ["diff", "2024", "2025", "--dir", str(tmp_path)])
    lines = result.stdout.splitlines()
    assert lines[0] == "报告基本信息 › 单位全称: 示例市科学技术局（示例数据） → 新单位"
    assert lines[1] == "共 1 项变化。"
    assert all(line.startswith("未填: ") for line in lines[2:-1])
    assert lines[-1] == f"另有 {len(lines) - 3} 项只在一年中填写,不作比较。"


def test_piped_diff_is_one_change_per_line(years: tuple[Path, Path]) -> None:
    old, new = years
    result = CliRunner().invoke(app, ["diff", str(old), str(new)])
    lines = result.stdout.splitlines()
    income = "一、单位基本情况 / （四）部门整体支出情况 › 其中:一般公共预算拨款(万元): "
    assert any(line.startswith(income) and line.endswith("万元(+100.00万元,+3.50%)") for line in lines)
    assert not any(set(line) <= set("─━│┃ ") for line in lines)  # no table rules


def test_lists_join_cleanly() -> None:
    form = forms.load()
    a, b = Answers(year=2024, form_id=form.id), Answers(year=2025, form_id=form.id)
    a.set("problems", ["预算编制不够细化。", "绩效目标不够量化；"])
    b.set("problems", ["资产管理不规范。", "信息公开不及时。"])
    (c,) = diff.compare(form, a, b)
    assert c.old == "2项,去掉:预算编制不够细化、绩效目标不够量化"
    assert c.new == "2项,新增:资产管理不规范、信息公开不及时"


def test_diff_of_a_missing_year_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "2019", "2020", "--dir", str(tmp_path)])
    assert result.exit_code == 3 and "找不到答案文件" in result.stderr


# ---------------------------------------------------------------- plausibility


def with_sangong(path: Path, factor: str) -> None:
    form, answers = store.load(path)
    for q in ("sg_abroad_actual", "sg_car_actual", "sg_recep_actual"):
        answers.set(q, need(answers.decimal(q)) * Decimal(factor))
    store.save(path, form, answers)


def test_sangong_up_more_than_30_percent_needs_a_reason(years: tuple[Path, Path]) -> None:
    _, new = years
    with_sangong(new, "1.31")
    form, answers = store.load(new)
    previous = store.previous_of(new, answers, None)
    assert previous is not None and previous.year == 2024
    found = [p for p in check.check(form, answers, previous) if "上年" in p.message]
    assert len(found) == 1 and "增长 31.00%" in found[0].message and "超过 30%" in found[0].message
    answers.set("sangong_change_reason", "新增外事接待任务。")
    assert not [p for p in check.check(form, answers, previous) if "上年" in p.message]


def test_sangong_up_exactly_30_percent_is_fine(years: tuple[Path, Path]) -> None:
    _, new = years
    with_sangong(new, "1.30")
    form, answers = store.load(new)
    problems = check.check(form, answers, store.previous_of(new, answers, None))
    assert not [p for p in problems if "三公" in p.message and "上年" in p.message]


def test_check_cli_compares_with_last_year(years: tuple[Path, Path]) -> None:
    old, new = years
    with_sangong(new, "2")
    result = CliRunner().invoke(app, ["check", "2025", "--dir", str(old.parent)])
    assert result.exit_code == 1
    assert "已与上年" in result.stdout and "增长 100.00%" in result.stdout
    old.unlink()  # without last year's file, no comparison
    result = CliRunner().invoke(app, ["check", "2025", "--dir", str(new.parent), "--json"])
    assert "上年" not in result.stdout


def test_target_rows_compared_row_by_row_and_money_one_way(tmp_path: Path) -> None:
    """Issue 18 item 10: which row's 实际完成值 changed by how much, not "8项 → 8项"."""
    demo = Path(__file__).resolve().parent.parent / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
    form, old = store.load(demo)
    _, new = store.load(demo)
    rows = [dict(r) for r in new.records("indicators")]
    rows[0]["actual"] = "45"
    gone = as_text(rows.pop(3)["name"])
    new.set("indicators", rows)
    new.set("fund_current_budget", Decimal("4200"))
    changes = {c.label: c for c in diff.compare(form, old, new)}
    first = changes["老旧小区改造完成数"]
    assert first.old.endswith("实际完成值 42个") and first.new.endswith("实际完成值 45个")
    assert (first.delta, first.percent) == ("+3个", "+7.14%")
    assert changes[gone].kind == "removed"
    assert not any("项(内容或顺序有修改)" in c.new for c in changes.values())
    money = changes["当年财政拨款—全年预算数(万元)"]
    assert (money.old, money.new, money.delta) == ("4120.50万元", "4200.00万元", "+79.50万元")


def test_diff_of_two_forms_names_the_fix(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parent.parent / "answers" / "examples"
    shutil.copy(demo / "2024-示例数据.yaml", tmp_path / "2024.yaml")
    shutil.copy(demo / "2025-示例数据-目标对照.yaml", tmp_path / "2025.yaml")
    result = CliRunner().invoke(app, ["diff", "2024", "2025", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "用的表单不同" in result.output and "同一表单的两个年度" in result.output
