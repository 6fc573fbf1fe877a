"""The interview following the help and the form's rules (no terminal: the engine, FakeAsker).

Validation that follows the help (《》, 一是, 无, percent as a fraction), rule problems at the
question that completes them, reasons asked only when a rule needs them, import-only
questions never asked, overall progress, the score before the questions on it, jumping to a
question, and editing one item of a list.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from need import need
from test_interview_engine import FakeAsker, now

from zjeval.answers import store
from zjeval.answers.kinds import Value
from zjeval.answers.model import Answers
from zjeval.answers.tidy import doubt, tidy
from zjeval.answers.values import InvalidValue
from zjeval.assess import check
from zjeval.form import loader as forms
from zjeval.form.models import Form
from zjeval.interview import followup
from zjeval.interview.dialogue import drive
from zjeval.interview.engine import Interview
from zjeval.interview.lists import ListEditor
from zjeval.interview.session import find_question, section_status

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini_form.yaml"
SCREEN = ROOT / "tests" / "fixtures" / "screen_form.yaml"


@pytest.fixture(scope="module")
def demo() -> tuple[Form, Answers]:
    return store.load(DEMO)


def fresh_demo(demo: tuple[Form, Answers]) -> Answers:
    return copy.deepcopy(demo[1])


class TextAsker(FakeAsker):
    """FakeAsker that also answers the one-line text prompt (修改某一题)."""

    def __init__(self, *args: Any, texts: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts = list(texts or [])
        self.doubts: list[str] = []

    def text(self, message: str, names: list[str]) -> str:
        return self.texts.pop(0)

    def confirm(self, message: str, default: bool = True) -> bool:
        self.doubts.append(message)
        return super().confirm(message, default)


# ---------------------------------------------------------------- what the help forbids


def test_title_quotes_removed_with_a_note() -> None:
    q = forms.load().questions()["notice_name"]
    assert q.strip_quotes
    assert tidy(q, "《关于开展2021年度绩效自评工作的通知》") == (
        "关于开展2021年度绩效自评工作的通知",
        ["已去掉书名号《》,报告中会自动加上:关于开展2021年度绩效自评工作的通知"],
    )
    # two titles side by side are not one title in 《》: left alone
    two = "《关于A的通知》和《关于B的通知》"
    assert tidy(q, two) == (two, [])


def test_list_items_lose_their_spoken_numbers() -> None:
    q = forms.load().questions()["problems"]
    items, notes = tidy(q, ["一是预算编制不够细化", "2、绩效目标不够量化", "第三，资产管理不规范", "整改"])
    assert items == ["预算编制不够细化", "绩效目标不够量化", "资产管理不规范", "整改"]
    assert notes == [
        "已去掉第 1 项开头的「一是」(报告会自动编号),记为:预算编制不够细化",
        "已去掉第 2 项开头的「2、」(报告会自动编号),记为:绩效目标不够量化",
        "已去掉第 3 项开头的「第三，」(报告会自动编号),记为:资产管理不规范",
    ]


def test_nothing_where_an_answer_is_needed_is_refused() -> None:
    form = forms.load()
    questions = form.questions()
    words = followup.placeholders(form, "problems")  # the form's placeholder rule
    assert "无" in words and "暂无" in words
    with pytest.raises(InvalidValue) as exc:
        tidy(questions["problems"], ["无"], words)
    assert exc.value.message == "第 1 项只写了「无」:请写出具体内容;没有更多的直接回车结束"
    with pytest.raises(InvalidValue) as exc:
        tidy(questions["process_text"], "暂无", words)
    assert exc.value.message == "不能只写「暂无」:请写出具体内容"
    assert tidy(questions["duties_intro"], "无", words) == ("无", [])  # optional: not refused here
    assert tidy(questions["process_text"], "无") == ("无", [])  # a form without the rule refuses nothing
    engine = Interview(form, Answers(year=2024, form_id=form.id), question_id="problems")
    assert engine.answer(["无"]) == "第 1 项只写了「无」:请写出具体内容;没有更多的直接回车结束"


def test_records_fields_are_tidied_with_the_item_named() -> None:
    q = forms.load().questions()["goals"]
    records, notes = tidy(q, [{"title": "加快平台建设", "points": ["一是完善机制", "二是引进人才"]}])
    assert records == [{"title": "加快平台建设", "points": ["完善机制", "引进人才"]}]
    assert notes[0] == "第 1 项「具体内容」:已去掉第 1 项开头的「一是」(报告会自动编号),记为:完善机制"


def test_percent_typed_as_a_fraction_is_asked_back() -> None:
    q = forms.load().questions()["satisfaction"]
    assert doubt(q, "0.95") == ("填的是 0.95%,是指 95% 吗?", "95")
    assert doubt(q, "1") == ("填的是 1%,是指 100% 吗?", "100")
    assert doubt(q, "0.955") == ("填的是 0.955%,是指 95.5% 吗?", "95.5")
    assert doubt(q, "95") is None and doubt(q, "1%") is None and doubt(q, "0") is None


def test_drive_stores_the_percent_meant(demo: tuple[Any, Answers]) -> None:
    form, _ = demo
    answers = fresh_demo(demo)
    asker = TextAsker({"satisfaction": ["0.95"]}, confirm=True)
    drive(Interview(form, answers, question_id="satisfaction"), asker)
    assert asker.doubts == ["填的是 0.95%,是指 95% 吗?"]
    assert answers.get("satisfaction") == Decimal(95)
    asker = TextAsker({"satisfaction": ["1"]}, confirm=False)  # no: 1% it is
    drive(Interview(form, answers, question_id="satisfaction"), asker)
    assert answers.get("satisfaction") == Decimal(1)


# ---------------------------------------------------------------- rules as soon as their inputs are in

SUM_MESSAGE = "收入总预算 100 万元不等于各项之和 90 万元(一般公共预算拨款 60 + 其他收入 30),相差 10 万元"


def test_sum_is_said_at_the_question_that_completes_it(demo: tuple[Any, Answers]) -> None:
    form, _ = demo
    answers = fresh_demo(demo)
    for qid in ("income_total", "income_general", "income_fund", "income_other"):
        answers.set(qid, None)
    engine = Interview(form, answers)
    assert now(engine).question.id == "income_total"
    for raw in ("100", "60", ""):  # income_other is still to come: nothing said yet
        assert engine.answer(raw) is None and engine.findings == []
    assert now(engine).question.id == "income_other"
    assert engine.answer("30") is None
    (finding,) = engine.findings
    assert finding.message == SUM_MESSAGE and finding.severity == "error"
    assert [qid for qid, _ in finding.fix] == [
        "income_other",
        "income_total",
        "income_fund",
        "income_general",
    ]
    assert engine.goto("income_general")
    assert now(engine).question.id == "income_general"
    assert engine.answer("70") is None and engine.findings == []  # fixed


def test_a_stated_adjustment_is_checked_once_the_adjusted_budget_is_typed(demo: tuple[Any, Answers]) -> None:
    """年中追加 and 调减 are optional: skipped, nothing is said; typed, the 调整后预算数 after them is
    checked against 年初预算数 + 追加 − 调减, with the numbers, at the question that completes it."""
    form, _ = demo
    answers = fresh_demo(demo)
    for qid in ("budget_initial", "budget_added", "budget_cut", "budget_adjusted"):
        answers.set(qid, None)
    engine = Interview(form, answers)
    assert now(engine).question.id == "budget_initial"
    for raw in ("3900", "", ""):  # neither stated
        assert engine.answer(raw) is None and engine.findings == []
    assert now(engine).question.id == "budget_adjusted"
    assert engine.answer("4480.45") is None and engine.findings == []  # not checked: nothing stated
    assert engine.goto("budget_added")
    assert engine.answer("600") is None
    (finding,) = engine.findings
    assert finding.severity == "warning"
    assert finding.message == (
        "调整后预算数 4480.45 万元不等于计算结果 4500 万元(年初预算数 3900 + 年中追加预算数 600),相差 19.55 万元"
    )
    assert "budget_adjusted" in [qid for qid, _ in finding.fix]


def test_drive_offers_to_go_back_and_fix(demo: tuple[Any, Answers]) -> None:
    form, _ = demo
    answers = fresh_demo(demo)
    for qid in ("income_total", "income_general", "income_fund", "income_other"):
        answers.set(qid, None)
    unanswered = ["spend_change_reason", "sangong_change_reason", "spend_over_reason", "staff_over_reason"]
    unanswered += ["budget_added", "budget_cut", "spend_basic", "sg_total_actual"]  # stated totals, blank
    asker = TextAsker(
        {
            "income_total": ["100"],
            "income_general": ["60", "70"],
            "income_fund": [""],
            "income_other": ["30"],
            **{qid: [""] for qid in unanswered},  # optional, blank in the demo
        },
        menu=["income_general"],
    )
    drive(Interview(form, answers), asker)
    assert asker.asked[:5] == [
        "income_total",
        "income_general",
        "income_fund",
        "income_other",
        "income_general",  # went back to fix it, then on from where the interview was
    ]
    assert any(SUM_MESSAGE in str(s) for s in asker.shown)
    assert answers.get("income_general") == Decimal(70)
    assert not [p for p in check.check(form, answers) if "收入总预算" in p.message]


def test_reason_asked_only_when_the_rule_needs_it(
    demo: tuple[Form, Answers], monkeypatch: pytest.MonkeyPatch
) -> None:
    form, _ = demo
    answers = fresh_demo(demo)
    reasons = {"exec_reason", "spend_over_reason", "staff_over_reason", "expense_over_reason"}
    for qid in reasons:
        answers.set(qid, None)

    def asked(needed: set[str]) -> list[str]:
        monkeypatch.setattr(check, "reasons_needed", lambda *a: set(needed))
        engine = Interview(form, answers, section_id="data")
        out = []
        while (step := engine.current()) is not None:
            out.append(step.question.id)
            if engine.answer(answers.get(step.question.id)) is not None:
                assert step.question.id in reasons  # a reason the rule calls for cannot be left empty
                assert engine.answer("原因说明") is None
        return out

    assert not reasons & set(asked(set()))  # no rule broken: no reason asked
    assert reasons & set(asked({"exec_reason"})) == {"exec_reason"}


def test_reason_question_says_why(demo: tuple[Form, Answers], monkeypatch: pytest.MonkeyPatch) -> None:
    form, _ = demo
    answers = fresh_demo(demo)
    answers.set("exec_reason", None)
    answers.set("budget_adjusted", need(answers.decimal("spend_total")) * 2)
    monkeypatch.setattr(check, "reasons_needed", lambda *a: {"exec_reason"})
    step = now(Interview(form, answers, question_id="exec_reason"))
    assert step.question.id == "exec_reason"
    assert step.why.startswith(
        "本年支出合计÷调整后预算数 = 50.00%,低于 90%,请在「预算执行率低于90%的原因」中说明原因"
    )


def test_import_only_questions_are_never_asked(demo: tuple[Any, Answers]) -> None:
    form, _ = demo
    assert not form.questions()["unclassified"].ask
    answers = fresh_demo(demo)
    assert Interview(form, answers).finished  # everything else is answered
    assert Interview(form, answers, section_id="imported").finished


# ---------------------------------------------------------------- what the prompt shows


def test_overall_progress(demo: tuple[Any, Answers]) -> None:
    form, _ = demo
    answers = Answers(year=2024, form_id=form.id)
    engine = Interview(form, answers)
    step = now(engine)
    assert step.overall == "第 1/6 部分"  # no global 第 n/N 题: its N grew as reasons came up
    assert step.progress == f"1/{step.total}"
    for raw in ("单位", "财政局", "通知", "湛财评〔2020〕6号", "我局", None, "2021-03-05"):
        engine.answer(raw if raw is not None else now(engine).default)
    assert engine.answers.text("lead_text").startswith("我局及时布置自评")  # the 自称 asked before it
    step = now(engine)
    assert step.heading == "一、单位基本情况"
    assert step.overall == "第 2/6 部分" and step.progress.startswith("1/")


def test_score_and_grade_shown_before_the_questions_on_them(demo: tuple[Any, Answers]) -> None:
    form, _ = demo
    step = now(Interview(form, fresh_demo(demo), section_id="results"))
    assert step.question.id == "score_summary"
    assert "自评得分为88.05分，等级为“良”" in step.preface
    assert now(Interview(form, fresh_demo(demo), section_id="cover")).preface == ""


def test_departments_offered_for_the_team(demo: tuple[Any, Answers]) -> None:
    form, answers = demo
    step = now(Interview(form, fresh_demo(demo), question_id="team"))
    assert step.suggest == {"dept": ("内设机构", answers.strings("departments"))}


# ---------------------------------------------------------------- revising


def test_jump_to_a_question_by_number_or_label() -> None:
    form = forms.load(str(MINI))
    answers = Answers(year=2019, form_id=form.id)
    asker = TextAsker({}, texts=["4"])
    assert find_question(form, answers, asker) == "problems"
    asker = TextAsker({}, texts=["5 成文日期"])
    assert find_question(form, answers, asker) == "report_date"
    asker = TextAsker({}, texts=["没有这题", "收入"])
    assert find_question(form, answers, asker) == "income_total"
    assert "没有找到「没有这题」" in str(asker.shown[0])
    assert find_question(form, answers, TextAsker({}, texts=[""])) is None  # Enter: back to the menu


def test_session_jump_asks_one_question(tmp_path: Path) -> None:
    from zjeval.interview.session import session

    form = forms.load(str(MINI))
    answers = Answers(year=2019, form_id=form.id)
    given: dict[str, Value] = {"unit_name": "单位", "income_total": Decimal(1), "consistent": "一致"}
    for qid, raw in given.items():
        answers.set(qid, raw)
    answers.set("problems", ["问题"])
    asker = TextAsker({"problems": [["问题", "新问题"]]}, menu=["jump", "review"], texts=["存在"])
    assert session(form, answers, tmp_path / "2019.yaml", asker, "zjeval new 2019") == 0
    assert asker.asked == ["problems"]
    assert answers.get("problems") == ["问题", "新问题"]


def test_one_list_item_deleted_moved_and_edited() -> None:
    q = forms.load().questions()["problems"]
    asker = TextAsker({}, menu=["delete", "0", "move", "1", "0", "keep"])
    action, items = ListEditor(asker).manage(q, ["甲", "乙", "丙"], can_back=False)
    assert (action, items) == ("keep", ["丙", "乙"])
    assert "已删除第 1 项:甲" in " ".join(str(s) for s in asker.shown)


def test_review_lists_the_problems_of_each_section() -> None:
    form = forms.load(str(SCREEN))
    answers = Answers(year=2019, form_id=form.id)
    given: dict[str, Value] = {"income_total": Decimal(100), "income_general": Decimal(60)}
    for qid, value in given.items():
        answers.set(qid, value)
    _rows, complete, messages = section_status(form, answers)
    assert not complete
    assert (
        "收入总预算(万元):收入总预算 100 万元不等于各项之和 60 万元(一般公共预算拨款 60),相差 40 万元"
        in messages["数据表"]
    )


def test_date_sense_said_at_the_date(demo: tuple[Any, Answers]) -> None:
    """成文日期 in the year reported on: said at once; before the 报送日期: said when that comes."""
    form, _ = demo
    answers = Answers(year=2021, form_id=form.id)
    engine = Interview(form, answers, question_id="report_date")
    assert engine.answer("2021-03-05") is None
    (finding,) = engine.findings
    assert finding.message == (
        "成文日期 2021年3月5日 不晚于评价年度 2021 年年底;2021年度的报告一般在 2022 年写成,请核对年份"
    )
    assert need(answers.date("report_date")).year == 2021  # kept: a warning, not a refusal
    answers.set("report_date", None)
    engine = Interview(form, answers, question_id="report_date")
    assert engine.answer("2022-02-20") is None and engine.findings == []
    engine = Interview(form, answers, question_id="submit_date")
    assert engine.answer("2022-02-28") is None
    assert [f.message for f in engine.findings] == [
        "成文日期 2022年2月20日 早于自评材料报送日期 2022年2月28日,请核对"
    ]
    assert [qid for qid, _ in engine.findings[0].fix] == ["submit_date", "report_date"]


def test_strip_quotes_only_on_text() -> None:
    from pydantic import ValidationError

    from zjeval.form.question import Question

    with pytest.raises(ValidationError, match="只有 text / paragraphs 类型可以有 strip_quotes"):
        Question(id="total", label="合计", type="money", strip_quotes=True)
