"""The checker on the seed report and on variants of it: rules, conditions and badly written content."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from need import need

from zjeval.answers import values
from zjeval.answers.model import Answers, applies
from zjeval.assess import check
from zjeval.assess.check import Problem, is_complete
from zjeval.form import numbering
from zjeval.form.models import Form

Seed = tuple[Form, Answers]


def put(form: Form, answers: Answers, qid: str, raw: Any) -> None:
    """Answer `qid` as if typed: validated by the form's own question."""
    answers.set(qid, values.validate(form.questions()[qid], raw))


def problems_of(
    form: Form, answers: Answers, qid: str | None = None, severity: str | None = None
) -> list[Problem]:
    return [
        p
        for p in check.check(form, answers)
        if (qid is None or p.qid == qid) and (severity is None or p.severity == severity)
    ]


# ---------------------------------------------------------------- the seed as shipped


def unanswered_required(form: Form, answers: Answers) -> set[str]:
    return {q.id for _, q in form.walk() if q.required and applies(q, answers) and not answers.answered(q.id)}


def fill_required(form: Form, answers: Answers) -> None:
    """Answer every required, applicable, unanswered question with a plain valid value (0 for numbers)."""
    samples = {
        "text": "已填写",
        "paragraphs": "已填写。",
        "money": "0",
        "integer": "0",
        "percent": "0",
        "number": "0",
        "date": "2020年9月2日",
        "docno": "湛财评〔2020〕6号",
        "strings": ["已填写"],
    }
    for _ in range(5):  # answering a choice can make a `when` question apply
        for qid in sorted(unanswered_required(form, answers)):
            q = form.questions()[qid]
            raw = q.choices[0] if q.type == "choice" else samples[q.type]
            answers.set(qid, values.validate(q, raw))


def test_seed_errors_are_exactly_the_unanswered_questions(seed: Seed) -> None:
    form, answers = seed
    errors = problems_of(form, answers, severity="error")
    missing = unanswered_required(form, answers)
    # The published report had neither attachment: exactly the 数据表 and the evaluator's 评分表
    # judgements are missing, and every one of them is an error.
    parts = {numbering.question_sections(form)[qid].split(" / ")[0] for qid in missing}
    assert parts == {"数据表", "评分表:需要评价人判断的指标"}
    assert sorted(p.qid or "" for p in errors) == sorted(missing)  # one error each, and no other error
    for p in errors:
        assert p.message.startswith("未填写"), p
        assert p.line is None  # not in the file at all
        assert p.section  # located in the outline


def test_seed_missing_error_offers_example(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "unit_name", "")
    (err,) = problems_of(form, answers, "unit_name")
    assert err.severity == "error"
    assert err.message == "未填写(表单 zhanjiang 的示例:湛江市科学技术局)"
    assert err.section == "报告基本信息"
    assert err.line == answers.lines["unit_name"] or err.line is None


def test_seed_warnings(seed: Seed) -> None:
    form, answers = seed
    warnings = problems_of(form, answers, severity="warning")
    assert len(warnings) == 2
    assert {p.qid for p in warnings} == {"expense_general"}
    decimals = [p for p in warnings if "位小数" in p.message]
    assert len(decimals) == 1 and "1198.0978" in decimals[0].message and "4 位小数" in decimals[0].message
    over = [p for p in warnings if "超过" in p.message]
    assert len(over) == 1
    assert "1198.0978" in over[0].message and "852.67" in over[0].message
    assert "345.4278" in over[0].message  # by how much
    assert "支出超过预算拨款的原因" in over[0].message  # where to explain it
    assert all(p.line == answers.lines["expense_general"] for p in warnings)


def test_seed_income_balances(seed: Seed) -> None:
    form, answers = seed
    assert answers.decimal("income_total") == need(answers.decimal("income_general")) + need(answers.decimal("income_fund"))
    assert problems_of(form, answers, "income_total") == []


def test_seed_not_complete_until_everything_required_is_answered(seed: Seed) -> None:
    form, answers = seed
    assert not is_complete(check.check(form, answers))
    fill_required(form, answers)
    problems = check.check(form, answers)
    assert [p for p in problems if p.severity == "error"] == []
    assert is_complete(problems)
    assert {p.qid for p in problems if p.severity == "warning"} >= {
        "expense_general"
    }  # warnings remain, not blocking


def test_is_complete_semantics() -> None:
    warning = Problem(section="", field="x", severity="warning", message="w")
    error = Problem(section="", field="x", severity="error", message="e")
    assert is_complete([])
    assert is_complete([warning, warning])
    assert not is_complete([warning, error])


def test_problems_follow_outline_order(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "unit_name", "")
    put(form, answers, "problems", ["无"])
    order = {q.id: i for i, (_, q) in enumerate(form.walk())}
    qids = [p.qid or "" for p in check.check(form, answers)]
    assert qids[0] == "unit_name"
    assert [order[q] for q in qids] == sorted(order[q] for q in qids)


# ---------------------------------------------------------------- sum rule


def test_income_not_balanced_names_figures_and_difference(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "income_total", "12552.75")
    errs = problems_of(form, answers, "income_total", "error")
    assert len(errs) == 1
    msg = errs[0].message
    assert "12552.75" in msg and "12552.67" in msg
    assert "852.67" in msg and "11700" in msg
    assert "相差 0.08 万元" in msg
    assert not is_complete(check.check(form, answers))


@pytest.mark.parametrize(
    ("total", "ok"), [("12552.68", True), ("12552.66", True), ("12552.69", False), ("12552.65", False)]
)
def test_income_tolerance_one_cent(seed: Seed, total: str, ok: bool) -> None:
    form, answers = seed
    put(form, answers, "income_total", total)
    assert (problems_of(form, answers, "income_total") == []) is ok


def test_optional_part_counts(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "income_other", "0.08")
    errs = problems_of(form, answers, "income_total", "error")
    assert len(errs) == 1 and "相差 0.08 万元" in errs[0].message
    put(form, answers, "income_total", "12552.75")
    assert problems_of(form, answers, "income_total") == []


def test_yuan_input_balances(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "income_total", "125526700元")
    put(form, answers, "income_general", "8526700元")
    put(form, answers, "income_fund", "1.17亿元")
    assert problems_of(form, answers, "income_total") == []


def test_missing_required_part_skips_sum(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "income_general", "")
    found = problems_of(form, answers, "income_general")
    assert [p.message for p in found] == ["未填写(表单 zhanjiang 的示例:852.67)"]
    assert problems_of(form, answers, "income_total") == []


# ---------------------------------------------------------------- not_above rule


def test_reason_removes_overspend_warning(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "expense_over_reason", "使用上年结转资金345.43万元。")
    warnings = problems_of(form, answers, "expense_general", "warning")
    assert len(warnings) == 1
    assert "超过" not in warnings[0].message and "位小数" in warnings[0].message


def test_expense_within_budget_no_warning(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "expense_general", "852.67")
    assert problems_of(form, answers, "expense_general") == []


def test_two_decimals_no_warning(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "expense_general", "1198.10")
    warnings = problems_of(form, answers, "expense_general")
    assert len(warnings) == 1 and "超过" in warnings[0].message


def test_three_decimals_warned(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "income_fund", "11700.001")
    msgs = [p.message for p in problems_of(form, answers, "income_fund")]
    assert msgs == ["11700.001 万元有 3 位小数;金额一般保留两位小数"]


# ---------------------------------------------------------------- member_of rule


def test_team_department_not_in_departments(seed: Seed) -> None:
    form, answers = seed
    team = copy.deepcopy(answers.records("team"))
    team[3]["dept"] = "农村科技科"  # the seed's 农业农村科技科, abbreviated
    put(form, answers, "team", team)
    found = problems_of(form, answers, "team")
    assert len(found) == 1
    (p,) = found
    assert p.severity == "warning"
    assert "农村科技科" in p.message
    assert "第 4 项" in p.message and "陈建中" in p.message
    assert "内设机构" in p.message
    assert is_complete([p])


def test_team_without_dept_is_fine(seed: Seed) -> None:
    form, answers = seed
    team = copy.deepcopy(answers.records("team"))
    for member in team:
        member.pop("dept", None)
    put(form, answers, "team", team)
    assert problems_of(form, answers, "team") == []


def test_seed_team_departments_all_listed(seed: Seed) -> None:
    _, answers = seed
    departments = set(answers.strings("departments"))
    assert {m["dept"] for m in answers.records("team") if "dept" in m} <= departments


# ---------------------------------------------------------------- `when` conditions


def test_inconsistent_disclosure_needs_reason(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "disclosure_consistent", "不一致")
    errs = problems_of(form, answers, "disclosure_reason", "error")
    assert len(errs) == 1 and errs[0].message == "未填写"
    assert errs[0].field == "不一致的内容和原因"
    put(form, answers, "disclosure_reason", "公开版本未附评分表，已于9月补充公开。")
    assert problems_of(form, answers, "disclosure_reason") == []


def test_consistent_disclosure_needs_no_reason(seed: Seed) -> None:
    form, answers = seed
    assert answers.get("disclosure_consistent") == "一致"
    assert not answers.answered("disclosure_reason")
    assert problems_of(form, answers, "disclosure_reason") == []


def test_not_equals_condition(seed: Seed) -> None:
    form, answers = seed
    assert problems_of(form, answers, "submit_note") == []  # optional even when it applies
    put(form, answers, "submit_quality", "未按时报送")
    put(form, answers, "submit_note", "无")
    # it applies now, and its content is checked (optional, so 无 is not a placeholder warning)
    assert problems_of(form, answers, "submit_note") == []


def test_invalid_answer_of_inapplicable_question_ignored(seed: Seed) -> None:
    form, answers = seed
    from zjeval.answers.model import Invalid

    answers.invalid["disclosure_reason"] = Invalid(raw=["x", {"y": 1}], message="应为文字,可分多段", line=99)
    assert problems_of(form, answers, "disclosure_reason") == []
    put(form, answers, "disclosure_consistent", "不一致")
    errs = problems_of(form, answers, "disclosure_reason")
    assert [p.message for p in errs] == ["第 99 行 应为文字,可分多段"]


# ---------------------------------------------------------------- content warnings


@pytest.mark.parametrize("placeholder", ["无", "暂无", "略", "待补充"])
def test_placeholder_problems(seed: Seed, placeholder: str) -> None:
    form, answers = seed
    put(form, answers, "problems", [placeholder])
    found = problems_of(form, answers, "problems")
    assert len(found) == 1 and found[0].severity == "warning"
    assert f"「{placeholder}」" in found[0].message


def test_placeholder_in_paragraphs(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "score_summary", "无")
    found = problems_of(form, answers, "score_summary")
    assert len(found) == 1 and found[0].severity == "warning" and "「无」" in found[0].message


def test_real_problem_mentioning_none_is_fine(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "problems", ["无", "预算编制的合理性有待提高"])
    assert problems_of(form, answers, "problems") == []


def test_bad_docno_brackets_in_paragraph(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "process_text", "我局按照湛财绩【2020】6号通知的要求，制定了工作方案。")
    found = problems_of(form, answers, "process_text")
    assert len(found) == 1 and found[0].severity == "warning"
    assert "湛财绩【2020】6号" in found[0].message
    assert "〔" in found[0].message  # says how to write it


@pytest.mark.parametrize("lead", ["我局按照", "根据", "依据", "见"])
def test_bad_docno_warning_quotes_only_the_docno(seed: Seed, lead: str) -> None:
    form, answers = seed
    put(form, answers, "process_text", f"{lead}湛财绩【2020】6号通知的要求，制定了工作方案。")
    (p,) = problems_of(form, answers, "process_text")
    assert "「湛财绩【2020】6号」" in p.message


@pytest.mark.parametrize("text", ["依据湛财评[2020]6号开展。", "见湛财评(2019)12号。", "见湛财评【20】6号。"])
def test_other_bad_brackets(seed: Seed, text: str) -> None:
    form, answers = seed
    put(form, answers, "process_text", text)
    found = problems_of(form, answers, "process_text")
    assert len(found) == 1 and "写法不规范" in found[0].message


def test_good_docno_in_text_not_warned(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "process_text", "我局按照湛财评〔2020〕6号通知的要求，制定了工作方案（2020年9月）。")
    assert problems_of(form, answers, "process_text") == []


def test_bad_docno_in_records_and_lists(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "improvements", ["落实湛财绩【2020】6号文件要求。"])
    put(form, answers, "goals", [{"title": "落实湛办发[2019]17号", "points": []}])
    assert len(problems_of(form, answers, "improvements")) == 1
    assert len(problems_of(form, answers, "goals")) == 1


def test_outline_question_left_in_text(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "process_text", "我局制定了工作方案。本单位所报送的自评报告是否与公开的一致。")
    found = problems_of(form, answers, "process_text")
    assert len(found) == 1 and found[0].severity == "warning"
    assert "本单位所报送的自评报告是否与公开的一致。" in found[0].message
    assert "提纲" in found[0].message


@pytest.mark.parametrize("text", ["自评材料是否按时报送？", "是否存在问题?"])
def test_question_marks(seed: Seed, text: str) -> None:
    form, answers = seed
    put(form, answers, "score_summary", text)
    assert len(problems_of(form, answers, "score_summary")) == 1


def test_answered_outline_question_not_warned(seed: Seed) -> None:
    form, answers = seed
    put(
        form,
        answers,
        "process_text",
        "本单位所报送的自评报告、数据表、评分表与公开的一致。经核对，是否存在差异已逐项说明。",
    )
    assert problems_of(form, answers, "process_text") == []


def test_seed_content_is_clean(seed: Seed) -> None:
    form, answers = seed
    noisy = {"process_text", "score_summary", "problems", "improvements", "goals", "duties", "team"}
    assert [p for p in check.check(form, answers) if p.qid in noisy] == []


def test_problem_as_dict(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "income_total", "12552.75")
    (err,) = problems_of(form, answers, "income_total")
    d = err.as_dict()
    assert d["qid"] == "income_total" and d["severity"] == "error"
    assert d["line"] == answers.lines["income_total"]
    assert d["field"] == "收入总预算(万元)"
    assert set(d) == {"section", "field", "severity", "message", "qid", "line", "sources"}


def test_an_answer_to_a_question_that_does_not_apply_is_a_warning(seed: Seed) -> None:
    form, answers = seed
    put(form, answers, "disclosure_consistent", "一致")
    put(form, answers, "disclosure_reason", "内容有出入。")  # only asked when 不一致
    (p,) = problems_of(form, answers, "disclosure_reason")
    assert p.severity == "warning" and "不适用" in p.message
