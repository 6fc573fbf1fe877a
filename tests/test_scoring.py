"""The 评分表: every rule kind at its edges, framework validation, overrides, a property over the
built-in framework, the demo answers file (2024-示例数据) and the seed report (2019)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from framework_of import framework_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from need import need
from pydantic import ValidationError

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.assess import check, overrides, scoring
from zjeval.assess.scoring import IndicatorScore, Scorecard
from zjeval.form import loader as forms
from zjeval.form.framework import (
    Checklist,
    Deduction,
    Framework,
    Qualitative,
    count_question,
    tier_question,
)
from zjeval.form.models import Question

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
DEMO_PATH = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
SEED_PATH = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"

GRADES = [
    {"name": "优", "min": 90},
    {"name": "良", "min": 80},
    {"name": "中", "min": 60},
    {"name": "差", "min": 0},
]


# ---------------------------------------------------------------- helpers


def indicator(
    id: str = "x",
    weight: Any = 3,
    rule: dict[str, Any] | None = None,
    formula: dict[str, Any] | None = None,
    level1: str = "投入",
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": id,
        "level1": level1,
        "level2": "二级",
        "name": f"指标{id}",
        "weight": weight,
        "rule": rule or {"kind": "proportional"},
    }
    if formula is not None:
        out["formula"] = formula
    return out


def framework(*indicators: dict[str, Any], total: Any = None) -> Framework:
    """A small framework; total defaults to the sum of the weights (so it validates)."""
    if total is None:
        total = sum((D(str(i["weight"])) for i in indicators), D(0))
    return Framework.model_validate(
        {
            "id": "t",
            "name": "测试框架",
            "total": total,
            "grades": GRADES,
            # the built-in framework's default tiers and question wording (data, not code)
            "tiers": BUILTIN_FRAMEWORK["tiers"],
            "questions": BUILTIN_FRAMEWORK["questions"],
            "indicators": list(indicators),
        }
    ).with_tiers()


BUILTIN_FRAMEWORK = yaml.safe_load(
    (ROOT / "forms" / "frameworks" / "zhanjiang.yaml").read_text(encoding="utf-8")
)
RATIO = {"kind": "ratio", "num": "n", "den": "d"}
CHANGE = {"kind": "change", "this": "n", "last": "d"}
THRESHOLD_ZERO = {"kind": "threshold", "max": 0, "per_point": "0.3"}


def q2(value: Decimal) -> Decimal:
    """Rounded half-up to 0.01, as the 评分表 rounds each score (computed here independently)."""
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def money_questions(*ids: str, optional: tuple[str, ...] = ()) -> dict[str, Question]:
    qs = {i: Question(id=i, label=i, type="money") for i in ids}
    qs.update({i: Question(id=i, label=i, type="money", required=False) for i in optional})
    return qs


def answers(overrides: dict[str, Any] | None = None, **values: Any) -> Answers:
    # figures given as text become Decimal; judgments (x__tier, x__reason) stay as they are
    vals = {k: (D(v) if isinstance(v, str) and "__" not in k else v) for k, v in values.items()}
    return Answers(year=2024, form_id="t", values=vals, overrides=dict(overrides or {}))


def one(
    rule: dict[str, Any],
    n: str,
    d: str = "100",
    weight: Any = 3,
    formula: dict[str, Any] = RATIO,
) -> IndicatorScore:
    """The single item of a one-indicator framework scoring n / d."""
    fw = framework(indicator(weight=weight, rule=rule, formula=formula))
    card = scoring.score(fw, money_questions("n", "d"), answers(n=n, d=d))
    assert len(card.items) == 1
    return card.items[0]


def judged(rule: dict[str, Any], weight: Any = 3, **values: Any) -> Scorecard:
    return scoring.score(framework(indicator(weight=weight, rule=rule)), {}, answers(**values))


# ---------------------------------------------------------------- threshold


THRESHOLD_MAX = {"kind": "threshold", "max": 100, "per_point": "0.3"}


def test_threshold_max_exactly_at_limit_is_full() -> None:
    item = one(THRESHOLD_MAX, "100")
    assert item.value == D("100.00")
    assert item.value_text == "100.00%"
    assert item.score == D("3")
    assert item.reason == ""


def test_threshold_max_just_over_rounds_back_to_full_with_no_reason() -> None:
    item = one(THRESHOLD_MAX, "10001", "10000")  # 100.01%: 3 − 0.01 × 0.3 = 2.997 -> 3.00
    assert item.value_text == "100.01%"
    assert item.score == D("3.00")
    assert item.reason == ""  # nothing deducted once rounded, so no 扣分原因


def test_threshold_max_just_over_enough_to_lose_a_cent() -> None:
    item = one(THRESHOLD_MAX, "10002", "10000")  # 100.02%: 3 − 0.006 = 2.994 -> 2.99
    assert item.score == D("2.99")
    assert "超过100%共0.02个百分点" in item.reason and "0.3" in item.reason


def test_threshold_max_ten_points_over_takes_the_whole_weight() -> None:
    item = one(THRESHOLD_MAX, "110")
    assert item.score == D("0.00")
    assert "共10.00个百分点" in item.reason


def test_threshold_max_floor_is_zero() -> None:
    item = one(THRESHOLD_MAX, "120")
    assert item.score == D("0")
    assert item.score >= 0


def test_threshold_max_partial() -> None:
    assert one(THRESHOLD_MAX, "102.5").score == D("2.25")  # 3 − 2.5 × 0.3


def test_threshold_min() -> None:
    rule = {"kind": "threshold", "min": 60, "per_point": "0.5"}
    assert one(rule, "60", weight=4).score == D("4")
    assert one(rule, "75", weight=4).reason == ""
    below = one(rule, "59", weight=4)
    assert below.score == D("3.50")
    assert "低于60%共1.00个百分点" in below.reason
    assert one(rule, "0", weight=4).score == D("0")  # 4 − 30, floor 0


# ---------------------------------------------------------------- bands


BANDS = {
    "kind": "bands",
    "bands": [{"min": 90, "score": 7}, {"min": 80, "score": "5.6"}, {"min": 70, "score": "4.2"}],
}


@pytest.mark.parametrize(
    ("n", "d", "expected", "reason_part"),
    [
        ("90", "100", "7", ""),  # the lower bound belongs to its band
        ("100", "100", "7", ""),
        ("8999", "10000", "5.6", "89.99%不低于80%，该档得5.6分"),
        ("80", "100", "5.6", "不低于80%"),
        ("7999", "10000", "4.2", "不低于70%"),
        ("6999", "10000", "0", "69.99%低于最低档70%，不得分"),
        ("0", "100", "0", "低于最低档70%"),
    ],
)
def test_bands_edges(n: str, d: str, expected: str, reason_part: str) -> None:
    item = one(BANDS, n, d, weight=7)
    assert item.score == D(expected)
    if reason_part:
        assert reason_part in item.reason
    else:
        assert item.reason == ""


# ---------------------------------------------------------------- proportional


def test_proportional_full_at_100() -> None:
    item = one({"kind": "proportional"}, "100")
    assert item.score == D("3")
    assert item.reason == ""


def test_proportional_below_is_weight_times_rate_rounded_half_up() -> None:
    item = one({"kind": "proportional"}, "8999", "10000")
    assert item.value == D("89.99")
    assert item.score == q2(D(3) * D("0.8999")) == D("2.70")
    assert item.reason == "按89.99%×3分计"


def test_proportional_rounds_an_exact_half_up() -> None:
    item = one({"kind": "proportional"}, "1", "8", weight=1)  # 12.5% × 1 = 0.125
    assert item.score == D("0.13")


def test_proportional_is_capped_at_the_weight() -> None:
    item = one({"kind": "proportional"}, "150")
    assert item.value_text == "150.00%"
    assert item.score == D("3")
    assert item.reason == ""


# ---------------------------------------------------------------- target


def test_target_up() -> None:
    rule = {"kind": "target", "target": 90, "direction": "up"}
    assert one(rule, "90", weight=2).score == D("2")
    assert one(rule, "95", weight=2).score == D("2")
    short = one(rule, "45", weight=2)
    assert short.score == D("1.00")
    assert "未达到目标90%" in short.reason
    assert one(rule, "0", weight=2).score == D("0")


def test_target_down() -> None:
    rule = {"kind": "target", "target": 50, "direction": "down"}
    assert one(rule, "50", weight=2).score == D("2")
    assert one(rule, "10", weight=2).score == D("2")
    assert one(rule, "0", weight=2).score == D("2")
    over = one(rule, "80", weight=2)
    assert over.score == D("1.25")  # 2 × 50 / 80
    assert "超过目标50%" in over.reason


# ---------------------------------------------------------------- judged rules


QUAL = {"kind": "qualitative"}


def test_qualitative_reached_is_full_without_reason_in_table() -> None:
    card = judged(QUAL, x__tier="达成", x__reason="目标依据充分")
    item = card.items[0]
    assert item.value_text == "达成"
    assert item.score == D("3.00")
    assert item.reason == ""


def test_qualitative_partly_reached_is_065_of_weight_with_reason() -> None:
    card = judged(QUAL, x__tier="部分达成", x__reason="部分指标不可衡量")
    item = card.items[0]
    assert item.score == D("1.95")
    assert item.reason == "评为部分达成，按权重的65%计：部分指标不可衡量"
    assert judged(QUAL, x__tier="未达成").items[0].score == D("0.75")
    # the words follow the tier: 未达成 says so, and 达成 (full marks) says nothing
    assert judged(QUAL, x__tier="未达成", x__reason="无").items[0].reason == "评为未达成，按权重的25%计：无"
    assert judged(QUAL, x__tier="达成", x__reason="好").items[0].reason == ""


def test_qualitative_missing_tier_is_pending() -> None:
    card = judged(QUAL)
    item = card.items[0]
    assert item.score is None
    assert item.value_text == "待填写"
    assert card.total is None and card.grade is None
    assert card.pending == ["指标x"]


CHECK4 = {"kind": "checklist", "items": ["甲", "乙", "丙", "丁"]}


def test_checklist_one_unmet_of_four() -> None:
    item = judged(CHECK4, weight=2, x__count=1, x__reason="决算公开晚了12天").items[0]
    assert item.value_text == "3/4项达到"
    assert item.score == D("1.50")
    assert item.reason == "1项未达到，每项0.5分：决算公开晚了12天"


def test_checklist_all_met_and_count_beyond_items() -> None:
    assert judged(CHECK4, weight=2, x__count=0).items[0].reason == ""
    assert judged(CHECK4, weight=2, x__count=0).items[0].score == D("2")
    over = judged(CHECK4, weight=2, x__count=9).items[0]
    assert over.score == D("0")
    assert over.value_text == "0/4项达到"


def test_checklist_missing_count_is_pending() -> None:
    assert judged(CHECK4, weight=2).items[0].value_text == "待填写"


DEDUCT = {"kind": "deduction", "per_violation": 1}


def test_deduction() -> None:
    assert judged(DEDUCT, x__count=0).items[0].score == D("3")
    two = judged(DEDUCT, x__count=2, x__reason="两笔费用超标准").items[0]
    assert two.score == D("1.00")
    assert two.value_text == "2处问题"
    assert two.reason == "2处问题，每处扣1分：两笔费用超标准"


def test_deduction_floor_is_zero() -> None:
    item = judged(DEDUCT, x__count=5).items[0]
    assert item.score == D("0")


# ---------------------------------------------------------------- not applicable, new, missing


def test_zero_denominator_is_not_applicable_and_full() -> None:
    item = one(THRESHOLD_MAX, "5", "0")
    assert item.value is None
    assert item.value_text == "不适用"
    assert item.score == D("3")
    assert "分母为0" in item.reason


def test_not_applicable_score_is_rounded_like_the_others() -> None:
    # the 评分表 prints 3.00 here as it does for every other score, not a bare 3
    assert str(one(THRESHOLD_MAX, "5", "0").score) == "3.00"
    assert str(one(THRESHOLD_ZERO, "12", "0", formula=CHANGE).score) == "3.00"


def test_change_rate() -> None:
    up = one(THRESHOLD_ZERO, "105", "100", formula=CHANGE)
    assert up.value_text == "5.00%"
    assert up.score == D("1.50")
    down = one(THRESHOLD_ZERO, "90", "100", formula=CHANGE)
    assert down.value_text == "-10.00%"
    assert down.score == D("3")


def test_change_from_zero_base_is_new() -> None:
    item = one(THRESHOLD_ZERO, "12", "0", formula=CHANGE)
    assert item.value is None
    assert item.value_text == "新增"
    assert item.score == D("3")
    assert "上年为0" in item.reason


def test_change_both_zero_is_not_applicable() -> None:
    item = one(THRESHOLD_ZERO, "0", "0", formula=CHANGE)
    assert item.value_text == "不适用"
    assert item.score == D("3")


def test_missing_figure_is_pending_and_leaves_total_open() -> None:
    fw = framework(indicator("a", 3, formula=RATIO), indicator("b", 2, rule=DEDUCT))
    card = scoring.score(fw, money_questions("n", "d"), answers(n="50", b__count=0))
    a, b = card.items
    assert a.value_text == "待填写" and a.score is None and a.value is None
    assert b.score == D("2")
    assert card.total is None
    assert card.grade is None
    assert card.subtotals[0].score is None
    assert card.pending == ["指标a"]


def test_missing_required_figure_not_in_questions_is_pending() -> None:
    card = scoring.score(framework(indicator(formula=RATIO)), {}, answers(d="100"))
    assert card.items[0].value_text == "待填写"


def test_optional_figure_missing_counts_as_zero() -> None:
    signed = {"kind": "ratio", "num": {"add": ["n"], "sub": ["p"]}, "den": "d"}
    fw = framework(indicator(formula=signed))
    qs = money_questions("n", "d", optional=("p",))
    item = scoring.score(fw, qs, answers(n="80", d="100")).items[0]
    assert item.value == D("80.00")
    assert item.score == D("2.40")
    given_p = scoring.score(fw, qs, answers(n="80", d="100", p="30"))
    assert given_p.items[0].value == D("50.00")


def test_list_operand_adds() -> None:
    fw = framework(indicator(formula={"kind": "ratio", "num": ["a", "b"], "den": ["c", "d"]}))
    qs = money_questions("a", "b", "c", "d")
    item = scoring.score(fw, qs, answers(a="1", b="2", c="3", d="1")).items[0]
    assert item.value == D("75.00")


def test_direct_value() -> None:
    fw = framework(indicator(weight=7, rule=BANDS, formula={"kind": "value", "of": "s"}))
    qs = {"s": Question(id="s", label="s", type="percent")}
    item = scoring.score(fw, qs, answers(s="88")).items[0]
    assert item.value_text == "88.00%"
    assert item.score == D("5.6")


def test_subtotals_total_and_grade() -> None:
    fw = framework(
        indicator("a", 60, level1="投入", formula=RATIO),
        indicator("b", 40, level1="产出", rule=DEDUCT),
    )
    card = scoring.score(fw, money_questions("n", "d"), answers(n="90", d="100", b__count=5))
    assert [(s.name, s.weight, s.score) for s in card.subtotals] == [
        ("投入", D(60), D("54.00")),
        ("产出", D(40), D("35.00")),
    ]
    assert card.total == D("89.00")
    assert card.grade == "良"
    card = scoring.score(fw, money_questions("n", "d"), answers(n="90", d="100", b__count=4))
    assert card.total == D("90.00")
    assert card.grade == "优"  # the lower bound belongs to the grade


# ---------------------------------------------------------------- framework validation


def test_weights_must_add_up_to_total() -> None:
    with pytest.raises(ValidationError) as exc:
        framework(indicator("a", 3, formula=RATIO), indicator("b", 2, formula=RATIO), total=100)
    assert "权重之和" in str(exc.value)
    assert "5" in str(exc.value) and "100" in str(exc.value)


def test_duplicate_indicator_id() -> None:
    with pytest.raises(ValidationError) as exc:
        framework(indicator("a", 3, formula=RATIO), indicator("a", 2, formula=RATIO))
    assert "重复" in str(exc.value) and "a" in str(exc.value)


@pytest.mark.parametrize(
    "bands",
    [
        [{"min": 60, "score": 1}, {"min": 80, "score": 3}],  # ascending
        [{"min": 80, "score": 3}, {"min": 80, "score": 2}],  # repeated
    ],
)
def test_bands_must_descend(bands: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationError) as exc:
        framework(indicator(rule={"kind": "bands", "bands": bands}, formula=RATIO))
    assert "从高到低" in str(exc.value)


def test_band_score_above_weight_is_refused() -> None:
    with pytest.raises(ValidationError, match="不能超过 weight"):
        rule = {"kind": "bands", "bands": [{"min": 80, "score": 4}]}
        framework(indicator(weight=3, rule=rule, formula=RATIO))


def test_qualitative_with_formula_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        framework(indicator(rule=QUAL, formula=RATIO))
    assert "不能有 formula" in str(exc.value)


def test_computed_rule_without_formula_is_refused() -> None:
    with pytest.raises(ValidationError, match="需要 formula"):
        framework(indicator(rule={"kind": "proportional"}))


def test_threshold_needs_exactly_one_side() -> None:
    with pytest.raises(ValidationError) as exc:
        rule = {"kind": "threshold", "max": 100, "min": 50, "per_point": 1}
        framework(indicator(rule=rule, formula=RATIO))
    assert "只能给出 max 或 min 之一" in str(exc.value)
    with pytest.raises(ValidationError):
        framework(indicator(rule={"kind": "threshold", "per_point": 1}, formula=RATIO))


def test_unknown_rule_kind_and_extra_keys_are_refused() -> None:
    with pytest.raises(ValidationError):
        framework(indicator(rule={"kind": "magic"}, formula=RATIO))
    with pytest.raises(ValidationError):
        framework(indicator(rule={"kind": "proportional", "cap": 2}, formula=RATIO))


# ---------------------------------------------------------------- overrides


def two_indicators() -> Framework:
    return framework(indicator("q", 3, rule=QUAL), indicator("r", 2, formula=RATIO))


TWO_ANSWERS = {"q__tier": "部分达成", "q__reason": "部分指标不可衡量", "n": D("50"), "d": D("100")}


def test_override_replaces_score_and_keeps_computed() -> None:
    ov = {"q": {"score": 2.4, "reason": "问题已整改,按部分达成档上限计"}}
    card = scoring.score(two_indicators(), money_questions("n", "d"), answers(ov, **TWO_ANSWERS))
    q, r = card.items
    assert q.overridden is True
    assert q.score == D("2.40")
    assert q.computed == D("1.95")
    assert q.reason == "问题已整改,按部分达成档上限计"
    assert q.value_text == "部分达成"
    assert r.overridden is False and r.computed is None
    assert card.total == D("3.40")  # 2.40 + 1.00
    assert card.problems == ()


def test_override_may_be_zero_or_the_full_weight() -> None:
    for value, expected in ((0, D("0.00")), ("3", D("3.00"))):
        ans = answers({"q": {"score": value, "reason": "调整"}}, **TWO_ANSWERS)
        card = scoring.score(two_indicators(), money_questions("n", "d"), ans)
        assert card.items[0].score == expected and card.problems == ()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"score": 3.5, "reason": "超过权重"}, "0 至 3 之间"),
        ({"score": -1, "reason": "负数"}, "0 至 3 之间"),
        ({"score": "很高", "reason": "不是数字"}, "0 至 3 之间"),
        ({"score": "NaN", "reason": "非数"}, "0 至 3 之间"),
        ({"score": 2}, "必须写明理由"),
        ({"score": 2, "reason": "  "}, "必须写明理由"),
        ({"score": 2, "reason": "x", "note": "多余"}, "{score: 得分, reason: 理由}"),
        (2.5, "{score: 得分, reason: 理由}"),
    ],
)
def test_invalid_override_is_a_problem_and_computed_score_stays(raw: Any, fragment: str) -> None:
    ans = answers({"q": raw}, **TWO_ANSWERS)
    card = scoring.score(two_indicators(), money_questions("n", "d"), ans)
    q = card.items[0]
    assert q.overridden is False
    assert q.score == D("1.95")
    assert len(card.problems) == 1
    ind, message = card.problems[0]
    assert ind == "q"
    assert "得分调整无效" in message and fragment in message


def test_override_for_unknown_indicator_is_a_problem() -> None:
    ans = answers({"nope": {"score": 1, "reason": "x"}}, **TWO_ANSWERS)
    card = scoring.score(two_indicators(), money_questions("n", "d"), ans)
    assert card.problems == (("nope", "评分框架中没有指标 nope"),)
    assert card.items[0].score == D("1.95")
    assert not any(i.overridden for i in card.items)


@pytest.mark.parametrize(
    "given",
    [
        {"q": {"score": 3.5, "reason": "超过权重"}},
        {"q": {"score": 2}, "nope": {"score": 1, "reason": "x"}},
        {"q": 2.5, "p": {"score": "很高", "reason": "不是数字"}},
        {"p": {"score": 1, "reason": " "}, "q": {"score": 2, "reason": "x", "note": "多余"}},
        {"q": {"score": "3", "reason": "调整"}, "p": {"score": 0, "reason": "调整"}},
    ],
)
def test_overrides_are_judged_as_the_scorecard_judges_them(given: dict[str, Any]) -> None:
    """check reports a form's overrides without scoring (when it has no target rows): the same
    problems, in the same order, as the scorecard's."""
    framework = two_indicators()
    card = scoring.score(framework, money_questions("n", "d"), answers(given, **TWO_ANSWERS))
    assert overrides.problems(framework.indicators, given) == list(card.problems)


def test_check_reports_override_problems_without_scoring(monkeypatch: pytest.MonkeyPatch) -> None:
    form, ans = store.load(DEMO_PATH)
    ans.overrides["asset_safety"] = {"score": 5, "reason": "超过权重"}
    ans.overrides["nope"] = {"score": 1, "reason": "x"}
    expected = [(p.field, p.message) for p in check.check(form, ans) if p.field.startswith("评分表")]
    monkeypatch.setattr(scoring, "score", None)  # a form without target rows needs no scorecard here
    got = [(p.field, p.message) for p in check.check(form, ans) if p.field.startswith("评分表")]
    assert got == expected and len(got) == 2


def test_check_reports_invalid_override_as_error() -> None:
    form, ans = store.load(DEMO_PATH)
    ans.overrides["asset_safety"] = {"score": 5, "reason": "超过权重"}
    errors = [p for p in check.check(form, ans) if p.severity == "error"]
    assert len(errors) == 1
    assert errors[0].field == "评分表 overrides.asset_safety"


# ---------------------------------------------------------------- property: the built-in framework


FORM = forms.load("zhanjiang")
FW = framework_of(FORM)
assert FW is not None
QUESTIONS = FORM.questions()


def figure_ids() -> list[str]:
    from zjeval.form.formulas import Direct, Ratio
    from zjeval.form.framework import operand_ids

    ids: set[str] = set()
    for ind in FW.indicators:
        f = ind.formula
        if f is None:
            continue
        if isinstance(f, Direct):
            ids.add(f.of)
        elif isinstance(f, Ratio):
            ids.update(operand_ids(f.num), operand_ids(f.den))
        else:
            ids.update(operand_ids(f.this), operand_ids(f.last))
    return sorted(ids)


FIGURE_IDS = figure_ids()


def figure_strategy(qid: str) -> st.SearchStrategy[Any]:
    q = QUESTIONS[qid]
    if q.type == "integer":
        return st.one_of(st.just(0), st.integers(min_value=0, max_value=10**24 - 1))
    if q.max is not None:
        return st.one_of(st.just(D(0)), st.decimals(min_value=0, max_value=q.max, places=2))
    usual = st.decimals(min_value=0, max_value=D("1000000000"), places=2)
    huge = st.decimals(min_value=0, max_value=D("9" * 22 + ".99"), places=2)  # parsing.MAX_DIGITS
    return st.one_of(st.just(D(0)), st.just(D("0.01")), usual, huge)


def judgment_strategy() -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for ind in FW.indicators:
        rule = ind.rule
        if isinstance(rule, Qualitative):
            parts[tier_question(ind)] = st.sampled_from([t.name for t in rule.tiers])
        elif isinstance(rule, Checklist):
            parts[count_question(ind)] = st.integers(min_value=0, max_value=len(rule.items))
        elif isinstance(rule, Deduction):
            parts[count_question(ind)] = st.integers(min_value=0, max_value=20)
    return st.fixed_dictionaries(parts)


def expected_grade(total: Decimal) -> str:
    for band in sorted(FW.grades, key=lambda b: b.min, reverse=True):
        if total >= band.min:
            return str(band.name)
    raise AssertionError(total)


def test_property_covers_every_figure_of_the_framework() -> None:
    some = {"spend_total", "budget_adjusted", "satisfaction", "carry_this", "budget_adjust_policy"}
    assert some <= set(FIGURE_IDS)
    assert all(QUESTIONS[q].type in ("money", "integer", "percent") for q in FIGURE_IDS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    figures=st.fixed_dictionaries({q: figure_strategy(q) for q in FIGURE_IDS}),
    judgments=judgment_strategy(),
)
def test_property_scores_within_weights_and_total_adds_up(
    figures: dict[str, Any], judgments: dict[str, Any]
) -> None:
    ans = Answers(year=2024, form_id=FORM.id, values={**figures, **judgments})
    card = scoring.score(FW, QUESTIONS, ans)
    assert card.problems == ()
    assert len(card.items) == len(FW.indicators)
    for item in card.items:
        assert item.score is not None, item.indicator.id
        assert D(0) <= item.score <= item.indicator.weight, (item.indicator.id, item.score)
        # at most two decimals
        assert item.score == item.score.quantize(D("0.01")), item.indicator.id
        assert item.value_text != scoring.PENDING
    assert card.total is not None
    assert card.total == sum((i.score or D(0) for i in card.items), D(0))  # every score asserted above
    assert all(s.score is not None for s in card.subtotals)
    assert sum((s.score or D(0) for s in card.subtotals), D(0)) == card.total
    assert sum((s.weight for s in card.subtotals), D(0)) == FW.total
    assert D(0) <= card.total <= FW.total
    assert card.grade == expected_grade(card.total)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    figures=st.fixed_dictionaries({q: figure_strategy(q) for q in FIGURE_IDS}),
    judgments=judgment_strategy(),
    drop=st.sampled_from(FIGURE_IDS),
)
def test_property_any_missing_required_figure_leaves_total_open(
    figures: dict[str, Any], judgments: dict[str, Any], drop: str
) -> None:
    values = {**figures, **judgments}
    del values[drop]
    card = scoring.score(FW, QUESTIONS, Answers(year=2024, form_id=FORM.id, values=values))
    if QUESTIONS[drop].required:
        assert card.total is None and card.grade is None
        assert any(i.value_text == scoring.PENDING for i in card.items)
    else:
        assert card.total is not None


def test_largest_figures_do_not_crash() -> None:
    # parsing.MAX_DIGITS allows 24 digits; a rate of such figures runs past Decimal's default
    # 28-digit context, which once made q2 raise decimal.InvalidOperation
    big = "9" * 22 + ".99"
    item = one(THRESHOLD_MAX, big, "0.01")
    assert item.score == D("0.00")
    assert item.value == D(big) / D("0.01") * 100
    assert one({"kind": "proportional"}, "0.01", big).score == D("0.00")


# ---------------------------------------------------------------- the demo file


@pytest.fixture(scope="module")
def demo() -> tuple[Any, Answers, Scorecard]:
    form, ans = store.load(DEMO_PATH)
    assert form.scoring is not None
    return form, ans, scoring.score(form.scoring, form.questions(), ans)


def by_id(card: Scorecard) -> dict[str, IndicatorScore]:
    return {i.indicator.id: i for i in card.items}


def test_demo_checks_clean(demo: tuple[Any, Answers, Scorecard]) -> None:
    form, ans, _ = demo
    assert check.check(form, ans) == []
    assert ans.invalid == {} and ans.unknown == {}


def test_demo_is_labelled_and_round_trips(demo: tuple[Any, Answers, Scorecard]) -> None:
    form, ans, _ = demo
    assert ans.year == 2024
    assert "示例数据" in ans.text("unit_name")
    assert "本文件为示例数据" in ans.text("lead_text")
    assert "本文件为示例数据" in ans.text("score_summary")
    text = DEMO_PATH.read_text(encoding="utf-8")
    assert store.dumps(form, ans, "answers/examples/2024-示例数据.yaml") == text


def test_demo_answers_every_applicable_question(demo: tuple[Any, Answers, Scorecard]) -> None:
    from zjeval.answers.model import applies

    form, ans, _ = demo
    missing = [q.id for _, q in form.walk() if applies(q, ans) and not ans.answered(q.id)]
    # only the explanations of situations that do not arise are left blank
    assert set(missing) <= {
        "spend_over_reason",
        "staff_over_reason",
        "unclassified",
        "sangong_change_reason",  # only with last year's answers
        "spend_change_reason",
    }


def test_demo_total_and_grade(demo: tuple[Any, Answers, Scorecard]) -> None:
    _, _, card = demo
    assert card.total == D("88.05")
    assert card.grade == "良"
    assert [(s.name, s.score) for s in card.subtotals] == [
        ("投入", D("12.10")),
        ("过程", D("34.78")),
        ("产出", D("28.27")),
        ("效果", D("12.90")),
    ]
    assert card.problems == ()
    # several kinds of deduction are on show
    kinds = {
        i.indicator.rule.kind for i in card.items if i.score is not None and i.score < i.indicator.weight
    }
    assert kinds >= {"threshold", "bands", "proportional", "target", "qualitative", "checklist", "deduction"}


def test_demo_scores_recomputed_by_hand(demo: tuple[Any, Answers, Scorecard]) -> None:
    _, ans, card = demo
    items = by_id(card)
    def f(qid: str) -> Decimal:
        return need(ans.decimal(qid))

    # 预算完成率: proportional, 6 × 4167.03 / 4480.45
    assert (f("spend_total"), f("budget_adjusted")) == (D("4167.03"), D("4480.45"))
    expected = q2(6 * f("spend_total") / f("budget_adjusted"))
    assert items["budget_completion"].score == expected == D("5.58")
    assert items["budget_completion"].value_text == "93.00%"

    # 预算调整率: (4480.45 − 3900 − 80) / 3900 = 12.83%, 2.83 points over 10 at 0.4 each
    raised = f("budget_adjusted") - f("budget_initial") - f("budget_adjust_policy")
    rate = raised / f("budget_initial") * 100
    assert items["budget_adjust"].score == q2(4 - (rate - 10) * D("0.4")) == D("2.87")

    # 公用经费控制率: 268.40 / 262.00 = 102.44%
    rate = f("spend_public") / f("public_budget") * 100
    assert items["public_control"].score == q2(3 - (rate - 100) * D("0.3")) == D("2.27")

    # “三公经费”变动率: (32.70 − 31.80) / 31.80 = 2.83%
    this = f("sg_abroad_budget") + f("sg_car_budget") + f("sg_recep_budget")
    last = f("sg_abroad_last") + f("sg_car_last") + f("sg_recep_last")
    assert (this, last) == (D("32.70"), D("31.80"))
    expected = q2(3 - (this - last) / last * 100 * D("0.3"))
    assert items["sangong_change"].score == expected == D("2.15")

    # 结转结余变动率: (372.45 − 360.20) / 360.20 = 3.40%
    rate = (f("carry_this") - f("carry_last")) / f("carry_last") * 100
    assert items["carryover_change"].score == q2(2 - rate * D("0.2")) == D("1.32")
    assert f("carry_this") == f("income_actual") + f("carry_last") - f("spend_total")

    # 重点支出安排率: 1800 / 2378.27 = 75.69% -> the [60%, 80%) band
    assert items["key_spend_ratio"].value_text == "75.69%"
    assert items["key_spend_ratio"].score == D("2")

    # 固定资产利用率: target 90, 2 × 85.77% / 90%
    rate = f("assets_in_use") / f("assets_total") * 100
    assert items["asset_use"].score == q2(2 * rate / 90) == D("1.91")

    # 职责履行: proportional
    assert items["work_completion"].score == q2(D(8) * 34 / 36) == D("7.56")
    assert items["key_work"].score == q2(D(8) * 11 / 12) == D("7.33")

    # judged ones
    assert items["goal_clear"].score == D("1.95")  # 部分达成 3 × 0.65
    assert items["ecological"].score == D("1.30")  # 部分达成 2 × 0.65
    assert items["disclosure"].score == D("1.50") and items["disclosure"].value_text == "3/4项达到"
    assert items["funds_compliance"].score == D("2.00")
    assert items["satisfaction"].score == D("5.6")

    # the override
    safety = items["asset_safety"]
    assert safety.overridden and safety.score == D("0.75") and safety.computed == D("0.65")
    assert [i.indicator.id for i in card.items if i.overridden] == ["asset_safety"]


def test_demo_renders_both_attachments_without_gaps() -> None:
    from zjeval.report import build as report
    from zjeval.report.render import text as text_renderer

    form, ans = store.load(DEMO_PATH)
    doc = report.build(form, ans)
    assert doc.gaps == 0
    assert [a.name for a in doc.attachments] == ["数据表", "评分表"]
    rendered = text_renderer.render(doc)
    assert "【待填写】" not in rendered
    assert "示例市科学技术局（示例数据）2024年度部门整体支出绩效自评数据表" in rendered
    assert "示例市科学技术局（示例数据）2024年度部门整体支出绩效自评评分表" in rendered
    assert "0.75（调整）" in rendered and "由计算得分0.65调整" in rendered
    assert "88.05" in rendered and "等级：良" in rendered


# ---------------------------------------------------------------- the seed file


@pytest.fixture
def seed_loaded() -> tuple[Any, Answers]:
    return store.load(SEED_PATH)


def test_seed_income_adds_up(seed_loaded: tuple[Any, Answers]) -> None:
    form, ans = seed_loaded
    assert ans.get("income_total") == D("12552.67")
    assert need(ans.decimal("income_general")) + need(ans.decimal("income_fund")) == D("12552.67")  # 852.67 + 11700
    assert ans.get("income_other") is None  # optional, counts as 0
    assert [p for p in check.check(form, ans) if p.qid == "income_total"] == []


def test_seed_scorecard_is_open(seed_loaded: tuple[Any, Answers]) -> None:
    form, ans = seed_loaded
    card = scoring.score(form.scoring, form.questions(), ans)
    assert card.total is None
    assert card.grade is None
    pending = [i for i in card.items if i.value_text == scoring.PENDING]
    assert len(pending) > len(card.items) / 2
    assert all(i.score is None for i in pending)
    assert all(s.score is None for s in card.subtotals)
    assert card.problems == ()
