"""`zjeval new YEAR --from LAST`: carry last year's answers forward, and record where each came from."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pty_helpers import spawn

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.errors import ZjevalError
from zjeval.form import loader as forms
from zjeval.interview.engine import Interview
from zjeval.interview.session import last_year

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"


@pytest.fixture()
def last() -> Answers:
    return store.load(DEMO)[1]


def engine_for(last: Answers) -> tuple[Interview, Answers]:
    form = forms.load()
    answers = Answers(year=2025, form_id=form.id, carried_from=2024)
    return Interview(form, answers, previous=last), answers


def test_policy_from_the_form() -> None:
    q = forms.load().questions()
    assert q["unit_name"].carry_policy == "default"
    assert q["team"].carry_policy == "default"
    assert q["income_total"].carry_policy == "reference"  # figures: shown, never pre-filled
    assert q["score_summary"].carry_policy == "never"  # this year's narrative


def test_carried_answer_is_the_default_and_confirming_records_carried(last: Answers) -> None:
    engine, answers = engine_for(last)
    step = engine.current()
    assert step is not None and step.question.id == "unit_name"
    assert step.default == last.get("unit_name")
    assert step.reference == last.get("unit_name")
    assert engine.answer(step.default) is None
    assert answers.provenance == {"unit_name": "carried"}


def test_edited_and_typed(last: Answers) -> None:
    engine, answers = engine_for(last)
    engine.answer("示例市科学技术局")  # changed from last year's name
    step = engine.current()
    assert step is not None and step.question.id == "notice_issuer"
    engine.answer(step.default)
    step = engine.current()
    assert step is not None and step.question.id == "notice_name"
    assert step.default is None and step.reference == ""  # "never": not offered, not shown
    engine.answer("关于开展2026年度绩效自评工作的通知")
    assert answers.provenance == {"unit_name": "edited", "notice_issuer": "carried", "notice_name": "typed"}


def test_figures_are_shown_not_prefilled(last: Answers) -> None:
    engine, _ = engine_for(last)
    income = forms.load().questions()["income_total"]
    assert engine.carried(income) is None
    assert engine.reference(income) == "4480.45万元"
    team = forms.load().questions()["team"]
    assert engine.carried(team) == last.records("team")
    assert engine.reference(team) == f"{len(last.records('team'))} 项"


def test_provenance_and_origin_round_trip(tmp_path: Path, last: Answers) -> None:
    form = forms.load()
    answers = Answers(year=2025, form_id=form.id, carried_from=2024)
    engine = Interview(form, answers, previous=last)
    engine.answer(engine.current().default)  # type: ignore[union-attr]
    path = tmp_path / "2025.yaml"
    store.save(path, form, answers)
    text = path.read_text(encoding="utf-8")
    assert "carried_from: 2024" in text and "provenance:\n  unit_name: carried" in text
    again = store.load(path)[1]
    assert again.carried_from == 2024 and again.provenance == {"unit_name": "carried"}
    assert store.dumps(form, again, str(path)) == text


def test_bad_provenance_in_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "2025.yaml"
    path.write_text("year: 2025\nprovenance: {unit_name: stolen}\n", encoding="utf-8")
    with pytest.raises(ZjevalError, match="carried/edited/typed"):
        store.load(path)


def test_last_year_must_be_earlier(tmp_path: Path) -> None:
    shutil.copy(DEMO, tmp_path / "2024.yaml")
    form = forms.load()
    with pytest.raises(ZjevalError, match="应早于"):
        last_year(form, Answers(year=2024, form_id=form.id), tmp_path, "2024")
    previous = last_year(form, Answers(year=2025, form_id=form.id), tmp_path, "2024")
    assert previous is not None and previous.get("income_total") == Decimal("4480.45")


@pytest.mark.slow
def test_new_from_in_a_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    shutil.copy(DEMO, tmp_path / "2024.yaml")
    child = spawn("new", "2025", "--from", "2024", "--dir", str(tmp_path))
    child.expect_exact("上年:示例市科学技术局（示例数据）")
    child.expect_exact("单位全称:")
    child.send("\r")  # keep last year's name
    child.expect_exact("通知的发文机关:")
    child.send("\x15新的财政局\r")  # Ctrl-U clears the carried default
    child.expect_exact("通知名称:")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = store.load(tmp_path / "2025.yaml")[1]
    assert saved.carried_from == 2024
    assert saved.provenance == {"unit_name": "carried", "notice_issuer": "edited"}
    assert saved.get("notice_issuer") == "新的财政局"
