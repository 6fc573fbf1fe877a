"""The target-based 自评表 form (forms/target.yaml): scoring recomputed by hand, and every check that
finance bureaus apply, each on a realistic bad answers file with its exact Chinese message."""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, cast

import pytest
from framework_of import framework_of
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.assess import check, scoring
from zjeval.cli import app
from zjeval.form import loader
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
runner = CliRunner()


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture()
def demo() -> tuple[Form, Answers]:
    return store.load(DEMO)


def rows(answers: Answers) -> list[dict[str, Any]]:
    return cast("list[dict[str, Any]]", answers.records("indicators"))


def found(form: Form, answers: Answers) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in check.check(form, answers)]


# ---------------------------------------------------------------- the demo, scored by hand


def test_demo_is_complete_and_checks_clean() -> None:
    result = runner.invoke(app, ["check", str(DEMO)])
    assert result.exit_code == 0, result.output


def test_demo_scores_recomputed_by_hand() -> None:
    result = runner.invoke(app, ["score", str(DEMO), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    items = {i["name"]: i for i in data["indicators"]}
    execution = items["预算执行率"]
    assert execution["weight"] == "10" and execution["level1"] == "预算执行率"
    # 执行率 = 全年执行数 ÷ 全年预算数; 得分 = 10 × 执行率, at most 10
    rate = Decimal("4430.41") / Decimal("4626.80")
    assert execution["score"] == str(q2(10 * rate)) == "9.58"
    by_hand = {
        "老旧小区改造完成数": ("产出指标", Decimal(15)),  # 42 ≥ 40: full
        "保障性住房筹集套数": ("产出指标", q2(Decimal(15) * 1080 / 1200)),  # 正向, short: 13.50
        "工程质量抽检合格率": ("产出指标", Decimal(10)),  # 99.2 ≥ 98
        "建设工程投诉平均办结时长": ("产出指标", Decimal(10)),  # 反向: 12 ≤ 15
        "老旧小区改造受益居民户数": ("效益指标", Decimal(10)),
        "新建建筑中绿色建筑占比": ("效益指标", Decimal(10)),
        "城市更新长效管理机制": ("效益指标", q2(Decimal(10) * Decimal("0.65"))),  # 定性, 部分达成
        "改造小区居民满意度": ("满意度指标", Decimal(10)),
    }
    for name, (level1, score) in by_hand.items():
        assert items[name]["level1"] == level1
        assert Decimal(items[name]["score"]) == score, name
    assert items["保障性住房筹集套数"]["reason"].startswith(
        "未达到指标值，按1080÷1200×15分计；两个集中建设项目"
    )
    subtotals = {s["level1"]: (s["weight"], s["score"]) for s in data["subtotals"]}
    assert subtotals == {
        "预算执行率": ("10", "9.58"),
        "产出指标": ("50", "48.50"),
        "效益指标": ("30", "26.50"),
        "满意度指标": ("10", "10.00"),
    }
    total = sum((Decimal(i["score"]) for i in data["indicators"]), Decimal(0))
    assert data["total"] == str(total) == "94.58"
    assert data["grade"] == "优"


def test_reverse_row_scored_by_ratio_when_over(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    rows(answers)[3]["actual"] = "20"  # 办结时长 20 天 against ≤ 15: 10 × 15 ÷ 20
    card = scoring.score(framework_of(form), form.questions(), answers)
    item = next(i for i in card.items if i.indicator.name == "建设工程投诉平均办结时长")
    assert item.score == Decimal("7.50")
    assert item.reason == "超过指标值，按15÷20×10分计"


def test_equal_row_met_or_not(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    rows(answers)[0]["nature"] = "="
    card = scoring.score(framework_of(form), form.questions(), answers)
    item = next(i for i in card.items if i.indicator.name == "老旧小区改造完成数")
    assert item.score == Decimal("0.00") and item.reason.startswith("实际42与指标值40不符，不得分")


# ---------------------------------------------------------------- checks (DOMAIN.md §6)


def test_execution_rate_below_90_needs_a_reason(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    answers.set("fund_current_exec", Decimal("3598.72"))
    answers.set("fund_total_exec", Decimal("4030.41"))
    assert found(form, answers) == [
        (
            "error",
            "资金合计—全年执行数÷资金合计—全年预算数 = 87.11%,低于 90%,"
            "请在「预算执行率低于90%或高于100%的原因」中说明原因(不超过100字)",
        )
    ]
    assert check.reasons_needed(form, answers) == {"exec_reason"}
    answers.set("exec_reason", "两个项目因用地调整延期开工,资金未能按计划支出。")
    assert found(form, answers) == []


def test_execution_rate_above_100_needs_a_reason(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    answers.set("fund_current_exec", Decimal("4318.72"))
    answers.set("fund_total_exec", Decimal("4750.41"))
    assert found(form, answers) == [
        (
            "error",
            "资金合计—全年执行数÷资金合计—全年预算数 = 102.67%,高于 100%,"
            "请在「预算执行率低于90%或高于100%的原因」中说明原因(不超过100字)",
        )
    ]


def test_execution_reason_at_most_100_characters(tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8").replace(
        "  fund_total_exec: 4430.41\n", "  fund_total_exec: 4430.41\n  exec_reason: " + "原因" * 51 + "\n"
    )
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    form, answers = store.load(path)
    line = answers.invalid["exec_reason"].line
    assert any(
        severity == "error"
        and m.startswith(f"第 {line} 行 「原因原因")
        and m.endswith("不超过 100 字(现有 102 字)")
        for severity, m in found(form, answers)
    )


def test_row_below_target_needs_its_reason(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    del rows(answers)[1]["reason"]
    assert found(form, answers) == [
        ("error", "第 2 行「保障性住房筹集套数」未达到年度指标值,请填写偏差原因分析及改进措施")
    ]


def test_problems_cannot_be_none_while_a_row_falls_short(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    answers.set("problems", "无")
    answers.set("improvements", "暂无")
    assert found(form, answers) == [
        ("error", "2 个指标未达到年度指标值,存在问题不能只写「无」;请写出具体内容"),
        ("warning", "只写了「无」;请写出具体内容"),
        ("error", "2 个指标未达到年度指标值,改进措施不能只写「暂无」;请写出具体内容"),
        ("warning", "只写了「暂无」;请写出具体内容"),
    ]


def test_quantitative_row_needs_a_number_and_a_unit(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    rows(answers)[0]["actual"] = "完成"
    del rows(answers)[2]["unit"]
    messages = found(form, answers)
    assert ("error", "第 1 行「老旧小区改造完成数」是定量指标,实际完成值应为数字(现为「完成」)") in messages
    assert ("error", "第 3 行「工程质量抽检合格率」是定量指标,请填写计量单位(如 个、%、万元)") in messages


def test_qualitative_row_needs_its_judgment(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    del rows(answers)[6]["tier"]
    assert (
        "error",
        "第 7 行「城市更新长效管理机制」是定性指标,请选择定性评价(达成、部分达成或未达成)",
    ) in found(form, answers)


def test_a_count_written_backwards_is_a_warning(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    rows(answers)[0]["nature"] = "≤"
    rows(answers)[0]["actual"] = "38"
    assert found(form, answers) == [
        (
            "warning",
            "第 1 行「老旧小区改造完成数」以「个」计数却写成「≤」(越少越好),请核对指标性质是否应为正向",
        )
    ]


def test_every_row_at_full_marks_while_one_falls_short(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    answers.overrides = {
        "row_2": {"score": 15, "reason": "筹集任务已于次年一月补足"},
        "row_7": {"score": 10, "reason": "机制已建立"},
    }
    assert ("error", "所有指标行都是满分,但第 2 行的实际完成值未达到年度指标值,请核对得分") in found(
        form, answers
    )


def test_row_weights_must_add_up_to_the_group(demo: tuple[Form, Answers]) -> None:
    form, answers = demo
    rows(answers)[0]["weight"] = Decimal(10)
    assert ("error", "产出指标各行分值之和为 45,应为 50;请调整各行的分值") in found(form, answers)


def test_row_in_an_unknown_group_is_named(demo: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = demo
    card = scoring.score(framework_of(form), form.questions(), answers)
    assert card.problems == ()
    rows(answers)[0]["level1"] = "成本指标"
    card = scoring.score(framework_of(form), form.questions(), answers)
    assert (
        "row_1",
        "第 1 行「老旧小区改造完成数」的一级指标「成本指标」不在评分表的分组中(产出指标、效益指标、满意度指标)",
    ) in card.problems


def test_text_limits_from_the_form(tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8")
    start = text.index("  problems: ")
    end = text.index("\n", start)
    text = text[:start] + "  problems: " + "问题" * 101 + text[end:]
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    form, answers = store.load(path)
    line = answers.invalid["problems"].line
    assert any(
        m.startswith(f"第 {line} 行 「问题问题") and m.endswith("不超过 200 字(现有 202 字)")
        for _, m in found(form, answers)
    )


def test_grade_words_come_from_the_framework(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    framework = tmp_path / "forms" / "frameworks" / "target.yaml"
    text = framework.read_text(encoding="utf-8")
    text = text.replace("{name: 优, min: 90}", "{name: 优秀, min: 90}").replace(
        "{name: 良, min: 80}", "{name: 良好, min: 80}"
    )
    framework.write_text(text, encoding="utf-8")
    form = loader.load(str(tmp_path / "forms" / "target.yaml"))
    _, answers = store.load(DEMO)
    card = scoring.score(framework_of(form), form.questions(), answers)
    assert card.grade == "优秀"


def test_framework_rows_checked_against_the_form_at_load(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    framework = tmp_path / "forms" / "frameworks" / "target.yaml"
    text = framework.read_text(encoding="utf-8").replace("    actual: actual\n", "    actual: actual_value\n")
    framework.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as info:
        loader.load(str(tmp_path / "forms" / "target.yaml"))
    assert any("rows.fields.actual: indicators 中没有字段 actual_value" in line for line in info.value.lines)  # type: ignore[attr-defined]


def test_group_weights_must_reach_the_total(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    framework = tmp_path / "forms" / "frameworks" / "target.yaml"
    text = framework.read_text(encoding="utf-8").replace(
        "{level1: 效益指标, weight: 30,", "{level1: 效益指标, weight: 25,"
    )
    framework.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as info:
        loader.load(str(tmp_path / "forms" / "target.yaml"))
    assert any("各指标权重与各组分值之和为 95,应为 100" in line for line in info.value.lines)  # type: ignore[attr-defined]


def test_interview_of_the_target_form_is_headless_drivable() -> None:
    """Every question of the form can be answered through the engine (the pty run is in test_interview_full)."""
    form = loader.load("target")
    _, demo_answers = store.load(DEMO)
    from zjeval.interview.engine import Interview

    answers = Answers(year=2025, form_id=form.id)
    engine = Interview(form, answers)
    asked = 0
    while True:
        step = engine.current()
        if step is None:
            break
        asked += 1
        value = demo_answers.get(step.question.id)
        engine.answer(value)
        assert asked < 500
    assert check.check(form, answers) == check.check(form, demo_answers)
