"""Scoring profiles (评分办法) of forms/frameworks/target.yaml, on the target demo: 折算 of a row
marked 不适用, the 执行率 caps, the over-target −2, 四川's pooled 90 and 执行率 20 by bands —
each total recomputed by hand, in Decimal; the workbook applies them as formulas too."""

from __future__ import annotations

import io
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from framework_of import framework_of
from typer.testing import CliRunner

from zjeval import ui
from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.assess import check, scoring
from zjeval.cli import app
from zjeval.errors import FormError
from zjeval.form.decimals import q2
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
ZHANJIANG_DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
BUDGET = Decimal("4626.80")
ROWS_SUM = Decimal("85.00")  # the demo's eight rows: 15 + 13.50 + 10 × 5 + 6.50
runner = CliRunner()


def load(profile: str | None = None) -> tuple[Form, Answers]:
    form, answers = store.load(DEMO)
    if profile is not None:  # a copy: the loaded form is shared by every later load
        switched = framework_of(form).switched(profile)
        form = form.model_copy()
        form._framework = switched
    return form, answers


def card(form: Form, answers: Answers) -> scoring.Scorecard:
    return scoring.score(framework_of(form), form.questions(), answers)


def set_row(answers: Answers, name: str, **values: Any) -> None:
    rows = [dict(r) for r in answers.records("indicators")]
    for r in rows:
        if r["name"] == name:
            r.update(values)
    answers.set("indicators", rows)


def with_rate(answers: Answers, percent: str) -> Decimal:
    """Set the 全年执行数 so that 执行率 is `percent`; returns the 执行率's score (10 × rate)."""
    answers.set("fund_total_exec", BUDGET * Decimal(percent) / 100)
    return q2(Decimal(percent) / 10)


def test_default_profile_keeps_the_demo_total() -> None:
    c = card(*load())
    assert c.framework.profile == "default" and c.total == Decimal("94.58") and c.adjustments == ()


def test_a_row_marked_not_applicable_is_dropped_and_the_rest_scaled() -> None:
    form, answers = load()
    set_row(answers, "新建建筑中绿色建筑占比", actual="不适用")  # 分值 10, was 10.00
    c = card(form, answers)
    raw = Decimal("94.58") - 10
    assert c.raw_total == raw
    assert c.total == q2(raw * 100 / 90) == Decimal("93.98")
    (adj,) = c.adjustments
    assert adj.kind == "rescale" and "84.58÷90×100" in adj.text and "93.98" in adj.text and adj.source
    row = next(r for r in c.rows if r.name == "新建建筑中绿色建筑占比")
    assert not row.applicable and row.score is None and not row.shortfall
    # check takes 不适用 as an answer, not as a number written in words
    assert not [p for p in check.check(form, answers) if "新建建筑中绿色建筑占比" in p.message]


@pytest.mark.parametrize(
    ("percent", "cap"),
    [
        ("80", None),
        ("79.99", Decimal(89)),
        ("75", Decimal(89)),
        ("70", Decimal(89)),
        ("69.99", Decimal(79)),
        ("65", Decimal(79)),
        ("55", Decimal(69)),
        ("50", Decimal(69)),
        ("45", Decimal(59)),
    ],
)
def test_execution_rate_caps_the_total(percent: str, cap: Decimal | None) -> None:
    form, answers = load("sichuan")
    execution = with_rate(answers, percent)
    c = card(form, answers)
    raw = execution + ROWS_SUM
    assert c.raw_total == raw
    assert c.total == (raw if cap is None else min(raw, cap))
    caps = [a for a in c.adjustments if a.kind == "cap"]
    if cap is None:
        assert caps == []
    else:
        (adj,) = caps
        assert f"总分不超过{cap}分" in adj.text and "执行率" in adj.source
        assert c.grade == c.framework.grade_for(c.total)


def test_the_cap_reads_the_rate_as_computed_not_as_printed() -> None:
    """79.996% prints as 80.00% but is below 80%: capped, as the workbook's unrounded cell is."""
    form, answers = load("sichuan")
    answers.set("fund_total_exec", BUDGET * Decimal("79.996") / 100)
    c = card(form, answers)
    assert c.raw_total == Decimal("8.00") + ROWS_SUM and c.total == 89
    (adj,) = c.adjustments
    assert "79.9960%低于80%" in adj.text


def test_an_actual_30_percent_above_target_loses_2_points() -> None:
    form, answers = load("sichuan")
    set_row(answers, "老旧小区改造完成数", actual=52)  # ≥ 40: 52 is exactly 30% above
    c = card(form, answers)
    row = next(r for r in c.rows if r.name == "老旧小区改造完成数")
    assert row.score == Decimal("13.00") and "扣2分" in row.penalty
    assert c.total == Decimal("94.58") - 2
    (adj,) = c.adjustments
    assert adj.kind == "penalty" and "老旧小区改造完成数" in adj.text and "30%" in adj.source
    set_row(answers, "老旧小区改造完成数", actual="51.99")
    assert card(form, answers).total == Decimal("94.58")


def test_not_applicable_then_cap() -> None:
    """折算 first, then the cap: a row dropped at 执行率 75% cannot lift the total over 89."""
    form, answers = load("sichuan")
    execution = with_rate(answers, "75")
    set_row(answers, "工程质量抽检合格率", actual="不适用")
    c = card(form, answers)
    raw = execution + ROWS_SUM - 10
    assert q2(raw * 100 / 90) > 89 and c.total == Decimal(89)
    assert [a.kind for a in c.adjustments] == ["rescale", "cap"]


def test_sichuan_pools_the_rows_in_one_group_of_90() -> None:
    c = card(*load("sichuan"))
    assert [(s.name, s.weight, s.score) for s in c.subtotals] == [
        ("预算执行率", Decimal(10), Decimal("9.58")),
        ("绩效指标", Decimal(90), ROWS_SUM),
    ]
    assert c.total == Decimal("94.58") and not c.problems


def test_execution_20_by_bands_asks_the_rows_for_40_30_10() -> None:
    form, answers = load("execution20")
    c = card(form, answers)
    execution = next(i for i in c.items if i.indicator.id == "budget_execution")
    assert execution.indicator.weight == 20 and execution.score == Decimal("20.00")  # 95.76% ≥ 95
    assert any("产出指标各行分值之和为 50,应为 40" in m for _, m in c.problems)
    with_rate(answers, "92")
    assert next(i for i in card(form, answers).items if i.indicator.id == "budget_execution").score == 18


def test_unknown_profile_names_the_ones_there_are() -> None:
    form, _ = load()
    with pytest.raises(FormError) as exc:
        framework_of(form).switched("nope")
    assert "default、sichuan、execution20" in (exc.value.hint or "")


def test_score_shows_each_adjustment_in_json_and_table(tmp_path: Path) -> None:
    form, answers = load()
    set_row(answers, "老旧小区改造完成数", actual=60)
    set_row(answers, "新建建筑中绿色建筑占比", actual="不适用")
    path = tmp_path / "2025.yaml"
    store.save(path, form, answers)
    result = runner.invoke(app, ["score", str(path), "--profile", "sichuan", "--json"])
    data = json.loads(result.stdout)
    assert data["profile"]["id"] == "sichuan"
    assert [a["kind"] for a in data["adjustments"]] == ["penalty", "rescale"]
    assert all(a["source"] for a in data["adjustments"])
    assert Decimal(data["total"]) == q2((Decimal("94.58") - 2 - 10) * 100 / 90)
    table = runner.invoke(app, ["score", str(path), "--profile", "sichuan"]).stdout
    assert "扣分：" in table and "折算：" in table and "依据：" in table and "四川式" in table


def test_the_workbook_applies_折算_and_the_cap_as_formulas() -> None:
    from zjeval.report import build
    from zjeval.report.render import xlsx

    form, answers = load("sichuan")
    with_rate(answers, "75")
    set_row(answers, "工程质量抽检合格率", actual="不适用")
    report = build.build(form, answers)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))
    ws = wb["自评表"]
    total_row = max(c.row for c in ws["A"] if c.value == "总分")  # the layout's word for the total
    formula = ws[f"I{total_row}"].value
    assert "SUMIF(G" in formula and '"不适用"' in formula and "MIN(" in formula and ",89," in formula
    cached = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)), data_only=True)["自评表"]
    assert Decimal(str(cached[f"I{total_row}"].value)) == card(form, answers).total == 89
    na_row = next(c.row for c in ws["C"] if c.value == "工程质量抽检合格率")
    assert cached[f"I{na_row}"].value == "不适用"


# ---------------------------------------------------------------- score at 80 columns


def narrow(path: Path, monkeypatch: pytest.MonkeyPatch, width: int = 80) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    ui.out.cache_clear()
    try:
        result = runner.invoke(app, ["score", str(path)])
    finally:
        ui.out.cache_clear()
    return result.stdout.splitlines()


NUMBER_END = re.compile(r"[\d.,]$")
NUMBER_START = re.compile(r"^[\d.,%]")


@pytest.mark.parametrize(("path", "most"), [(DEMO, 30), (ZHANJIANG_DEMO, 70)])
def test_score_fits_80_columns_without_breaking_a_number(
    path: Path, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    lines = narrow(path, monkeypatch)
    assert all(cell_len(line) <= 80 for line in lines), max(lines, key=cell_len)
    assert len(lines) <= most  # was 151 (target demo) and 153 (zhanjiang demo) in the table
    for a, b in itertools.pairwise(lines):
        assert not (NUMBER_END.search(a) and NUMBER_START.search(b.lstrip())), (a, b)
    text = "\n".join(lines)
    data = json.loads(runner.invoke(app, ["score", str(path), "--json"]).stdout)
    for item in data["indicators"]:  # every score and every number in a reason, whole on a line
        if item["score"] is not None:
            assert item["score"] in text
        for number in re.findall(r"\d[\d,.]*%?", item["reason"]):
            assert any(number in line for line in lines), number


@pytest.mark.parametrize("width", [120, 160])
def test_the_wide_table_fits_and_keeps_numbers_whole(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.cells import cell_len

    lines = narrow(ZHANJIANG_DEMO, monkeypatch, width)
    assert any("┃ 指标" in line for line in lines)  # the six-column table, where it fits
    assert all(cell_len(line.rstrip()) <= width for line in lines)
    data = json.loads(runner.invoke(app, ["score", str(ZHANJIANG_DEMO), "--json"]).stdout)
    for item in data["indicators"]:
        for number in re.findall(r"\d[\d,.]*%?", item["reason"]):
            assert any(number in line for line in lines), number


def test_wrap_keeps_numbers_whole_and_no_line_starts_with_a_comma() -> None:
    from zjeval.present_score import wrap

    text = "未达到指标值，按1080÷1200×15分计；两个集中建设项目因用地规划调整延期开工，少筹集120套"
    for width in range(8, 40):
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert all(not line.startswith(("，", "；")) for line in lines)
        for number in ("1080", "1200", "15", "120"):
            assert any(number in line for line in lines)


def test_the_workbook_recalculates_折算_and_the_cap_when_edited(tmp_path: Path) -> None:
    """Edit the rendered 自评表 as a user would (pycel recalculates): a 执行数 that puts 执行率 at
    75% caps the total at 89; an 实际完成值 changed to 不适用 drops the row and scales the rest."""
    pycel = pytest.importorskip("pycel")
    from zjeval.report import build
    from zjeval.report.render import xlsx

    form, answers = load("sichuan")
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(xlsx.render(build.build(form, answers)))
    ws = openpyxl.load_workbook(path)["自评表"]
    funds = next(c.row for c in ws["A"] if c.value == "年度资金总额")  # the layout's funds total
    total = next(c.row for c in ws["A"] if c.value == "总分")
    (header,) = [c.row for line in ws.iter_rows() for c in line if c.value == "全年执行数（万元）"]
    money = {c.value: c.column_letter for c in ws[header] if c.value}
    execd, funds_score = money["全年执行数（万元）"], money["得分"]
    row = next(c.row for c in ws["C"] if c.value == "新建建筑中绿色建筑占比")
    xl = pycel.ExcelCompiler(filename=str(path), plugins=[__name__])  # COUNTBLANK below
    assert xl.evaluate(f"自评表!I{total}") == pytest.approx(94.58)
    part = Decimal("3998.72") - (Decimal("4430.41") - BUDGET * Decimal("0.75"))  # the total sums its parts
    xl.set_value(f"自评表!{execd}{funds + 1}", float(part))
    assert xl.evaluate(f"自评表!{funds_score}{funds}") == pytest.approx(7.5)
    assert xl.evaluate(f"自评表!I{total}") == 89  # 7.50 + 85.00 = 92.50, capped
    xl.set_value(f"自评表!{execd}{funds + 1}", 3998.72)
    xl.set_value(f"自评表!G{row}", "不适用")
    assert xl.evaluate(f"自评表!I{row}") == "不适用"
    assert xl.evaluate(f"自评表!I{total}") == pytest.approx(float(q2((Decimal("94.58") - 10) * 100 / 90)))


def countblank(cells: Any) -> int:
    """COUNTBLANK, which pycel lacks: empty cells and "" both count, as in Excel."""
    return sum(1 for row in cells for value in row if value is None or value == "")
