"""Rule kinds as data: each kind read from a form file, checked against answers, and its mistakes
named at load by file and line. Also: renaming a question in a copy of the built-in form either
keeps working or fails at load."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from zjeval.answers import store
from zjeval.answers.kinds import Value
from zjeval.answers.model import Answers
from zjeval.assess import check
from zjeval.errors import FormError
from zjeval.form import loader as forms
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_form.yaml"
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"

EXTRA_QUESTIONS = """
      - id: income_general
        label: 其中:一般公共预算拨款(万元)
        type: money
        required: false
      - id: spent
        label: 本年支出(万元)
        type: money
        required: false
      - id: budget
        label: 调整后预算(万元)
        type: money
        required: false
      - id: exec_reason
        label: 执行率偏离的原因
        type: paragraphs
        required: false
        max_chars: 100
      - id: submit_date
        label: 报送日期
        type: date
        required: false
"""


def form_with(tmp_path: Path, rules: str) -> Form:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace('        example: "12552.67"\n', '        example: "12552.67"\n' + EXTRA_QUESTIONS, 1)
    path = tmp_path / "form.yaml"
    path.write_text(text + "\nrules:\n" + rules, encoding="utf-8")
    return forms.load(str(path))


def answers(**values: Value) -> Answers:
    a = Answers(year=2024, form_id="mini")
    for k, v in values.items():
        a.set(k, D(v) if isinstance(v, str) and re.fullmatch(r"-?[\d.]+", v) else v)
    return a


def messages(form: Form, a: Answers, previous: Answers | None = None) -> list[str]:
    return [p.message for p in check.check(form, a, previous) if not p.message.startswith("未填写")]


def test_sum_rule(tmp_path: Path) -> None:
    form = form_with(
        tmp_path, "  - {kind: sum, id: bal, total: income_total, parts: [income_general, spent]}\n"
    )
    assert messages(form, answers(income_total="10", income_general="4", spent="6")) == []
    assert messages(form, answers(income_total="10", income_general="4", spent="5")) == [
        "收入总预算 10 万元不等于各项之和 9 万元(一般公共预算拨款 4 + 本年支出 5),相差 1 万元"
    ]


def test_sum_rule_when_answered_checks_only_once_a_stated_figure_is_given(tmp_path: Path) -> None:
    """budget = income_total + income_general − spent, where income_general/spent are stated only
    sometimes (a 年中追加 and a 调减): left blank, they are not stated, so nothing is checked."""
    form = form_with(
        tmp_path,
        "  - {kind: sum, id: bal, total: budget, parts: [income_total, income_general], minus: [spent],"
        " when_answered: [income_general, spent]}\n",
    )
    assert messages(form, answers(budget="120", income_total="100")) == []  # neither stated
    assert messages(form, answers(budget="120", income_total="100", income_general="20")) == []
    assert messages(form, answers(budget="120", income_total="100", spent="5")) == [
        "调整后预算 120 万元不等于计算结果 95 万元(收入总预算 100 − 本年支出 5),相差 25 万元"
    ]


def test_sum_rule_when_answered_names_only_its_own_figures(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        form_with(
            tmp_path,
            "  - {kind: sum, id: bal, total: budget, parts: [income_total], when_answered: [spent]}\n",
        )
    assert any("spent 不是本规则的合计或其中一项" in line and "form.yaml:" in line for line in info.value.lines)


def test_ratio_range_needs_reason_below_and_above(tmp_path: Path) -> None:
    form = form_with(
        tmp_path,
        "  - {kind: ratio_range, id: exec, num: spent, den: budget, min: 90, max: 100, reason: exec_reason}\n",
    )
    assert messages(form, answers(spent="95", budget="100")) == []
    assert messages(form, answers(spent="80", budget="100")) == [
        "本年支出÷调整后预算 = 80.00%,低于 90%,请在「执行率偏离的原因」中说明原因(不超过100字)"
    ]
    assert messages(form, answers(spent="101.5", budget="100")) == [
        "本年支出÷调整后预算 = 101.50%,高于 100%,请在「执行率偏离的原因」中说明原因(不超过100字)"
    ]
    assert messages(form, answers(spent="80", budget="100", exec_reason="项目延期。")) == []
    # the interview asks for the reason only while the rule is broken
    assert check.reasons_needed(form, answers(spent="80", budget="100")) == {"exec_reason"}
    assert check.reasons_needed(form, answers(spent="95", budget="100")) == set()
    assert check.reasons_needed(form, answers(spent="95")) == set()  # inputs missing: not yet
    assert check.reason_questions(form) == {"exec_reason"}


def test_ratio_range_without_bounds_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        form_with(tmp_path, "  - {kind: ratio_range, id: exec, num: spent, den: budget}\n")
    assert any("需要给出 min 或 max" in line and "form.yaml:" in line for line in info.value.lines)


def test_date_order(tmp_path: Path) -> None:
    form = form_with(
        tmp_path, "  - {kind: date_order, id: dates, value: report_date, not_before: [submit_date]}\n"
    )
    ok = answers(report_date=dt.date(2025, 3, 5), submit_date=dt.date(2025, 3, 1))
    assert messages(form, ok) == []
    early = answers(report_date=dt.date(2024, 12, 5))
    assert messages(form, early) == [
        "成文日期 2024年12月5日 不晚于评价年度 2024 年年底;2024年度的报告一般在 2025 年写成,请核对年份"
    ]
    before = answers(report_date=dt.date(2025, 3, 5), submit_date=dt.date(2025, 3, 9))
    assert messages(form, before) == ["成文日期 2025年3月5日 早于报送日期 2025年3月9日,请核对"]


def test_placeholder_and_pattern_rules(tmp_path: Path) -> None:
    form = form_with(
        tmp_path,
        "  - {kind: placeholder, id: ph, words: [无, 暂无]}\n"
        "  - kind: pattern\n"
        "    id: docno\n"
        "    pattern: '[\\u4e00-\\u9fff]{1,8}\\s*[【\\[]\\s*(\\d{2,4})\\s*[】\\]]\\s*\\d+\\s*号'\n"
        "    contains: 号\n"
        "    strip: '^.*[据照]'\n"
        "    message: 文号「{match}」写法不规范\n",
    )
    assert messages(form, answers(problems=["暂无"])) == ["只写了「暂无」;请写出具体内容"]
    assert messages(form, answers(problems=["根据湛财绩【2020】6号开展工作"])) == [
        "文号「湛财绩【2020】6号」写法不规范"
    ]
    assert messages(form, answers(problems=["资金拨付较慢"])) == []


def test_pattern_rule_with_bad_regex_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        form_with(tmp_path, "  - {kind: pattern, id: p, pattern: '([', message: 错}\n")
    assert any(
        "正则表达式有误" in line and re.search(r"form\.yaml:\d+ rules\.0\.", line)
        for line in info.value.lines
    )


def test_duplicate_rule_ids(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        form_with(
            tmp_path,
            "  - {kind: placeholder, id: same, words: [无]}\n  - {kind: placeholder, id: same, words: [略]}\n",
        )
    assert any("规则 id same 重复" in line for line in info.value.lines)


def test_rule_naming_question_of_wrong_type_in_any_kind(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        form_with(tmp_path, "  - {kind: date_order, id: d, value: unit_name}\n")
    assert any("unit_name 的类型应为 date,实为 text" in line for line in info.value.lines)


def test_builtin_text_rules_are_data() -> None:
    """The built-in form states its text checks as rules (nothing of them is in check.py)."""
    form = forms.load("zhanjiang")
    kinds = {r.kind for r in form.rules}
    assert {"placeholder", "pattern", "date_order", "sum", "not_above", "change_limit"} <= kinds
    source = (ROOT / "zjeval" / "assess" / "check.py").read_text(encoding="utf-8")
    for word in ("暂无", "是否", "〔"):
        assert word not in source


# ---------------------------------------------------------------- renaming a question


def _question_ids(text: str) -> list[str]:
    data = yaml.safe_load(text)
    out: list[str] = []

    def visit(sections: list[dict[str, object]]) -> None:
        for s in sections:
            questions, subsections = s.get("questions", []), s.get("sections", [])
            assert isinstance(questions, list) and isinstance(subsections, list)
            out.extend(q["id"] for q in questions)
            visit(subsections)

    visit(data["sections"])
    return out


def _renamed(text: str, qid: str) -> str:
    """The form with one question's definition renamed (its references left as they were)."""
    new, n = re.subn(rf"(\n\s*- id: ){qid}\n", rf"\g<1>{qid}_renamed\n", text, count=1)
    assert n == 1, qid
    return new


def test_renaming_any_builtin_question_fails_at_load_or_keeps_working(tmp_path: Path) -> None:
    """Every question of the built-in form, renamed in a copy: the load fails naming file and line,
    or, when nothing refers to the question by id, the demo answers still check without a crash."""
    source = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks").mkdir()
    framework = (ROOT / "forms" / "frameworks" / "zhanjiang.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks" / "zhanjiang.yaml").write_text(framework, encoding="utf-8")
    failed, kept = 0, 0
    for qid in _question_ids(source):
        path = tmp_path / f"renamed_{qid}.yaml"
        path.write_text(_renamed(source, qid), encoding="utf-8")
        try:
            form = forms.load(str(path))
        except FormError as exc:
            failed += 1
            assert exc.lines, qid
            # each at its own file: the form, or the framework file a formula of which names it
            files = f"(?:{re.escape(str(path.resolve()))}|{re.escape(str(tmp_path / 'frameworks' / 'zhanjiang.yaml'))})"
            assert all(re.match(rf"{files}:\d+ ", line) for line in exc.lines), exc.lines
            assert any(qid in line for line in exc.lines), (qid, exc.lines)
            continue
        kept += 1
        _, demo = store.load(DEMO)
        answers_ = Answers(year=demo.year, form_id=form.id, values=dict(demo.values))
        check.check(form, answers_)  # must not raise
    # since the import block names the questions import fills, nearly every rename fails at load
    assert failed >= 40 and failed + kept == len(_question_ids(source)), (failed, kept)


def test_renaming_a_referenced_question_names_every_reference(tmp_path: Path) -> None:
    source = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks").mkdir()
    framework = (ROOT / "forms" / "frameworks" / "zhanjiang.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks" / "zhanjiang.yaml").write_text(framework, encoding="utf-8")
    path = tmp_path / "renamed.yaml"
    path.write_text(_renamed(source, "staff_in_post"), encoding="utf-8")
    with pytest.raises(FormError) as info:
        forms.load(str(path))
    lines = info.value.lines
    # the rule and the framework formula that read it are both named, each with its line
    assert any(
        re.search(r":\d+ rules\[\d+\]\.value: 引用了不存在的问题 staff_in_post", line) for line in lines
    ), lines
    assert any("staff_control" in line and "staff_in_post" in line for line in lines), lines


def test_a_figure_left_out_when_blank_cannot_feed_a_scoring_formula(tmp_path: Path) -> None:
    """blank: omit leaves a figure out of the data table when unanswered; the 评分表's formulas are
    written against the data table, so a formula may not read one (named at its line)."""
    source = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks").mkdir()
    framework = (ROOT / "forms" / "frameworks" / "zhanjiang.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks" / "zhanjiang.yaml").write_text(framework, encoding="utf-8")
    marked = "          - id: budget_adjust_policy\n"
    assert marked in source
    path = tmp_path / "omit.yaml"
    path.write_text(source.replace(marked, marked + "            blank: omit\n"), encoding="utf-8")
    with pytest.raises(FormError) as info:
        forms.load(str(path))
    assert any(
        "budget_adjust" in line and "budget_adjust_policy 是 blank: omit 的数字" in line for line in info.value.lines
    ), info.value.lines
