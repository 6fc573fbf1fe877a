"""The interview as a state machine: no terminal, a FakeAsker where a conversation is needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zjeval.answers import store
from zjeval.answers.kinds import Record, Value
from zjeval.answers.model import Answers
from zjeval.answers.values import InvalidValue
from zjeval.errors import Interrupted
from zjeval.form import loader as forms
from zjeval.form.models import Form, Question
from zjeval.interview.dialogue import drive
from zjeval.interview.engine import Back, Interview, Step, judge
from zjeval.interview.session import section_status, session

MINI = Path(__file__).parent / "fixtures" / "mini_form.yaml"
ENGINE = Path(__file__).parent / "fixtures" / "engine_form.yaml"  # optional questions, records


@pytest.fixture
def form() -> Form:
    return forms.load(str(MINI))


@pytest.fixture
def big() -> Form:
    return forms.load(str(ENGINE))


def fresh(form: Form) -> Answers:
    return Answers(year=2019, form_id=form.id)


def now(engine: Interview) -> Step:
    """The step the engine is at (a test that expects one)."""
    step = engine.current()
    assert step is not None
    return step


def ids(engine: Interview, answers: list[Any]) -> list[str]:
    """Answer each step in turn and return the question ids asked."""
    asked = []
    for raw in answers:
        step = now(engine)
        asked.append(step.question.id)
        assert engine.answer(raw) is None, step.question.id
    return asked


class FakeAsker:
    """Scripted answers per question id (a list: one per time asked); records every call."""

    def __init__(self, script: dict[str, list[Any]], menu: list[str] | None = None, confirm: bool = False):
        self.script = {k: list(v) for k, v in script.items()}
        self.menu = list(menu or [])
        self.asked: list[str] = []
        self.steps: list[Step] = []
        self.shown: list[Any] = []
        self.confirms: list[str] = []
        self.confirm_answer = confirm

    def ask(self, step: Step) -> Any:
        self.asked.append(step.question.id)
        self.steps.append(step)
        queue = self.script.get(step.question.id)
        if not queue:
            raise KeyboardInterrupt
        raw = queue.pop(0)
        if raw is Back:
            raise Back
        if raw is KeyboardInterrupt:
            raise KeyboardInterrupt
        return raw

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str:
        values = [v for v, _ in choices]
        pick = self.menu.pop(0)
        assert pick in values, (pick, values)
        return pick

    def text(self, message: str, names: list[str]) -> str:
        """A typed line: the script's "text" queue (none left: the user pressed Ctrl-C)."""
        queue = self.script.get("text")
        if not queue:
            raise KeyboardInterrupt
        return str(queue.pop(0))

    def confirm(self, message: str, default: bool = True) -> bool:
        self.confirms.append(message)
        return self.confirm_answer

    def show(self, markup: Any) -> None:
        self.shown.append(markup)

    def keep(self, *_args: Any) -> None:
        """A list saved mid-way: nothing to save in this fake."""

    def record(self, q: Question, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
        raise AssertionError(f"this fake types no records ({q.id})")


# ---------------------------------------------------------------- the engine


def test_walks_in_order_skipping_when_conditions(form: Form) -> None:
    answers = fresh(form)
    engine = Interview(form, answers)
    asked = ids(engine, ["湛江市科学技术局", "12,552.67", "一致", ["问题一"], "2020年9月2日"])
    assert asked == ["unit_name", "income_total", "consistent", "problems", "report_date"]
    assert engine.finished and engine.current() is None
    assert answers.get("income_total") == Decimal("12552.67")
    assert answers.get("report_date") == dt.date(2020, 9, 2)


def test_when_condition_holds_asks_follow_up(form: Form) -> None:
    engine = Interview(form, fresh(form))
    ids(engine, ["单位", "1", "不一致"])
    assert now(engine).question.id == "reason"


def test_step_heading_progress_and_default(form: Form) -> None:
    engine = Interview(form, fresh(form))
    step = now(engine)
    assert (step.heading, step.progress, step.can_back) == ("报告基本信息", "1/2", False)
    ids(engine, ["单位", "1"])
    step = now(engine)
    assert step.heading == "一、自评工作开展情况"
    assert step.progress == "1/3"  # reason does not apply while nothing is chosen
    assert step.default == "一致"  # the form's default
    assert step.can_back


def test_progress_counts_applicable_questions(form: Form) -> None:
    answers = fresh(form)
    answers.set("consistent", "不一致")
    answers.set("unit_name", "单位")
    engine = Interview(form, answers)
    assert now(engine).question.id == "income_total"
    engine.answer("1")
    step = now(engine)
    assert step.question.id == "reason" and step.progress == "2/4"


def test_invalid_answer_returns_message_and_reasks(form: Form) -> None:
    saves = []
    answers = fresh(form)
    engine = Interview(form, answers, lambda: saves.append(dict(answers.values)))
    engine.answer("单位")
    message = engine.answer("abc")
    assert message is not None and "金额" in message
    step = now(engine)
    assert step.question.id == "income_total"
    assert step.error == message and step.default == "abc"  # prefilled with what was typed
    assert len(saves) == 1  # nothing saved for the rejected answer
    assert engine.answer("１２５５２．６７") is None
    assert answers.get("income_total") == Decimal("12552.67")
    assert now(engine).error is None


def test_required_empty_is_refused_optional_empty_is_skipped(big: Form) -> None:
    answers = fresh(big)
    engine = Interview(big, answers)
    step = now(engine)
    assert step.intro == "先填写单位名称和成文日期。"
    assert engine.answer("") == "此项必填"
    assert engine.answer("湛江市科学技术局") is None
    assert now(engine).intro == ""
    assert engine.answer("湛财评【2020】06号") is None
    assert answers.get("notice_no") == "湛财评〔2020〕6号"
    step = now(engine)
    assert step.question.id == "lead_text" and step.default == "我单位及时布置自评。"
    engine.answer(step.default)
    engine.answer("2020-09-02")
    step = now(engine)
    assert (step.heading, step.subheading, step.progress) == ("一、单位基本情况", "（一）单位机构设置", "1/5")
    assert engine.answer("") is None  # optional basis_issuer: skipped
    assert engine.answer(["1、办公室", "(二)科技科"]) is None
    assert answers.strings("departments") == ["办公室", "科技科"]
    assert now(engine).question.id == "duties_intro"
    assert engine.answer("") is None  # optional: skipped
    assert now(engine).question.id == "duties"
    assert engine.answer([]) == "此项必填,至少 1 项"


def test_save_callback_after_each_accepted_answer(form: Form) -> None:
    answers = fresh(form)
    saved: list[dict[str, Any]] = []
    engine = Interview(form, answers, lambda: saved.append(dict(answers.values)))
    ids(engine, ["单位", "100"])
    assert saved == [{"unit_name": "单位"}, {"unit_name": "单位", "income_total": Decimal(100)}]


def test_back_and_forward_again(form: Form) -> None:
    answers = fresh(form)
    engine = Interview(form, answers)
    ids(engine, ["单位", "100", "一致"])
    assert now(engine).question.id == "problems"
    assert engine.back() and now(engine).question.id == "consistent"
    assert engine.back() and now(engine).question.id == "income_total"
    assert now(engine).default == Decimal(100)
    assert engine.answer("200") is None
    # after revising, the questions stepped back over come again, then the interview moves on
    assert now(engine).question.id == "consistent"
    assert engine.answer("不一致") is None
    assert now(engine).question.id == "reason"  # now applies
    ids(engine, ["原因", ["问题"], "2020-09-02"])
    assert engine.finished
    assert answers.get("income_total") == Decimal(200)


def test_back_at_start_is_refused(form: Form) -> None:
    engine = Interview(form, fresh(form))
    assert not engine.back()
    assert now(engine).question.id == "unit_name"


def test_resume_from_partly_filled_answers(form: Form) -> None:
    answers = fresh(form)
    answers.set("unit_name", "单位")
    answers.set("income_total", Decimal(1))
    answers.set("consistent", "一致")
    assert now(Interview(form, answers)).question.id == "problems"


def test_resume_at_invalid_value_from_file(tmp_path: Path, form: Form) -> None:
    path = tmp_path / "2019.yaml"
    path.write_text(
        "form: mini\nyear: 2019\nanswers:\n  unit_name: 单位\n  income_total: abc\n  consistent: 一致\n",
        encoding="utf-8",
    )
    _, answers = store.load(path, str(MINI))
    engine = Interview(form, answers)
    step = now(engine)
    assert step.question.id == "income_total"
    assert step.default == "abc" and "金额" in (step.error or "")
    engine.answer("5")
    assert now(engine).question.id == "problems"  # consistent is answered already


COVER: dict[str, Value] = {
    "unit_name": "单位",
    "notice_no": "湛财评〔2020〕6号",
    "lead_text": "导语",
    "report_date": dt.date(2020, 9, 2),
}


def test_resume_does_not_trap_on_skipped_optional(big: Form) -> None:
    answers = fresh(big)
    engine = Interview(big, answers)
    for raw in ["单位", "湛财评〔2020〕6号", "导语", "2020-09-02", "", ["办公室"]]:
        assert engine.answer(raw) is None
    assert now(engine).question.id == "duties_intro"
    engine.answer("")  # optional, skipped
    assert now(engine).question.id == "duties"
    # a new run: the optional questions before the stopping point are not asked again
    assert now(Interview(big, answers)).question.id == "duties"


def test_resume_starts_at_first_required_unanswered(big: Form) -> None:
    answers = fresh(big)
    for qid, value in COVER.items():
        answers.set(qid, value)
    # basis_issuer (optional) comes before departments (required): not asked on resume
    assert now(Interview(big, answers)).question.id == "departments"


def test_resume_asks_optional_after_last_answer_when_nothing_required_is_missing(big: Form) -> None:
    answers = fresh(big)
    given: dict[str, Value] = {**COVER, "departments": ["办公室"], "duties": ["职责"]}
    for qid, value in given.items():
        answers.set(qid, value)
    team: list[Record] = [{"role": "组长", "name": "张三", "post": "局长"}]
    answers.set("team", team)
    assert Interview(big, answers).finished  # all required answered, nothing after the last answer
    answers.set("team", None)
    engine = Interview(big, answers)
    assert now(engine).question.id == "team"  # required; optional ones before it stay skipped
    engine.answer([{"role": "组长", "name": "张三", "post": "局长"}])
    assert engine.finished


def test_fresh_file_starts_at_top_even_if_first_question_is_optional(big: Form) -> None:
    answers = fresh(big)
    assert now(Interview(big, answers, section_id="basic")).question.id == "basis_issuer"
    assert now(Interview(big, answers)).question.id == "unit_name"


def test_revise_section_asks_every_applicable_question_with_defaults(form: Form) -> None:
    answers = fresh(form)
    given: dict[str, Value] = {
        "unit_name": "单位",
        "income_total": Decimal(1),
        "consistent": "一致",
        "problems": ["问题"],
        "report_date": dt.date(2020, 9, 2),
    }
    for qid, value in given.items():
        answers.set(qid, value)
    assert Interview(form, answers).finished
    engine = Interview(form, answers, section_id="process")
    step = now(engine)
    assert step.question.id == "consistent" and step.default == "一致"
    asked = ids(engine, ["一致", ["问题", "问题二"], "2020-09-03"])
    assert asked == ["consistent", "problems", "report_date"]
    assert engine.finished
    assert answers.get("problems") == ["问题", "问题二"]


def test_judge_records_message_names_item_and_field(big: Form) -> None:
    team = big.questions()["team"]
    with pytest.raises(InvalidValue) as exc:
        judge(team, [{"role": "组长", "name": "张三", "post": "局长"}, {"role": "组长", "post": "科长"}])
    assert exc.value.message == "第 2 项「姓名」:缺少「姓名」"
    assert judge(team, [{"role": "组长", "name": "张三", "dept": "", "post": "局长"}]) == [
        {"role": "组长", "name": "张三", "post": "局长"}
    ]


# ---------------------------------------------------------------- the session with a FakeAsker


def test_drive_with_fake_asker_back_and_rejection(form: Form) -> None:
    answers = fresh(form)
    asker = FakeAsker(
        {
            "unit_name": ["单位"],
            "income_total": ["abc", "100", "300"],
            "consistent": [Back, "一致"],
            "problems": [["问题"]],
            "report_date": ["2020-09-02"],
        }
    )
    drive(Interview(form, answers), asker)
    assert asker.asked == [
        "unit_name",
        "income_total",
        "income_total",
        "consistent",
        "income_total",
        "consistent",
        "problems",
        "report_date",
    ]
    assert asker.steps[2].error is not None  # re-asked with the message
    assert answers.get("income_total") == Decimal(300)


def test_session_saves_and_interrupt_keeps_everything(tmp_path: Path, form: Form) -> None:
    path = tmp_path / "2019.yaml"
    answers = fresh(form)
    asker = FakeAsker({"unit_name": ["湛江市科学技术局"], "income_total": ["12,552.67"]})
    with pytest.raises(Interrupted) as exc:
        session(form, answers, path, asker, "zjeval new 2019")
    assert exc.value.exit_code == 130
    assert "已保存 2 项回答" in exc.value.message and "zjeval new 2019" in exc.value.message
    _, loaded = store.load(path, str(MINI))
    assert loaded.values == {"unit_name": "湛江市科学技术局", "income_total": Decimal("12552.67")}
    # run again: the menu offers to continue, and it resumes at the first unanswered question
    asker = FakeAsker(
        {"consistent": ["一致"], "problems": [["问题"]], "report_date": ["2020-09-02"]}, menu=["continue"]
    )
    assert session(form, loaded, path, asker, "zjeval new 2019") == 0
    assert asker.asked == ["consistent", "problems", "report_date"]
    assert asker.confirms  # the offer to write the report


def test_session_revise_then_review(tmp_path: Path, form: Form) -> None:
    path = tmp_path / "2019.yaml"
    answers = fresh(form)
    given: dict[str, Value] = {
        "unit_name": "单位",
        "income_total": Decimal(1),
        "consistent": "一致",
        "problems": ["问题"],
        "report_date": dt.date(2020, 9, 2),
    }
    for qid, value in given.items():
        answers.set(qid, value)
    asker = FakeAsker({"unit_name": ["新单位"], "income_total": ["2"]}, menu=["revise", "cover", "review"])
    assert session(form, answers, path, asker, "zjeval new 2019") == 0
    assert asker.asked == ["unit_name", "income_total"]
    _, loaded = store.load(path, str(MINI))
    assert loaded.get("unit_name") == "新单位"


def test_section_status_counts_missing(form: Form) -> None:
    answers = fresh(form)
    answers.set("unit_name", "单位")
    rows, complete, _messages = section_status(form, answers)
    status = {heading: (missing, problems) for heading, missing, problems in rows}
    assert not complete
    assert status["报告基本信息"][0] == 1
    assert status["一、自评工作开展情况"][0] == 3  # consistent, problems, report_date


def test_review_writes_the_report_when_confirmed(tmp_path: Path, form: Form) -> None:
    path = tmp_path / "2019.yaml"
    answers = fresh(form)
    given: dict[str, Value] = {
        "unit_name": "湛江市科学技术局",
        "income_total": Decimal(1),
        "consistent": "一致",
        "problems": ["问题"],
        "report_date": dt.date(2020, 9, 2),
    }
    for qid, value in given.items():
        answers.set(qid, value)
    asker = FakeAsker({}, menu=["review"], confirm=True)
    assert session(form, answers, path, asker, "zjeval new 2019") == 0
    assert asker.confirms == [f"生成报告到 {tmp_path / '2019.txt'}?"]
    text = (tmp_path / "2019.txt").read_text(encoding="utf-8")
    assert "湛江市科学技术局" in text
