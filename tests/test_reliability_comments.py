"""Comments a user adds to an answers file survive zjeval saving it again (issue 9 item 5).

Saving used to write the canonical layout from scratch and drop them. ruamel.yaml is used only
when the file holds such comments; reading (check) never imports it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_interview_engine import MINI, FakeAsker

from zjeval.answers import roundtrip, store, values
from zjeval.answers.kinds import Value
from zjeval.answers.model import Answers
from zjeval.form import loader as forms
from zjeval.interview.session import session

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"


def _commented(tmp_path: Path) -> Path:
    """The demo with a comment line of the user's and a comment at the end of one answer's line."""
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace("answers:\n", "answers:\n  # 财务科:以下数字已与决算核对(2025-03-01)\n", 1)
    lines = [
        line + "  # 以决算为准" if line.startswith("  income_total:") else line for line in text.splitlines()
    ]
    path = tmp_path / "2024.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_comments_survive_a_save_and_the_value_is_updated(tmp_path: Path) -> None:
    path = _commented(tmp_path)
    before = path.read_text(encoding="utf-8")
    form, answers = store.load(path)
    answers.set("income_total", values.validate(form.questions()["income_total"], "5000.5"))
    store.save(path, form, answers)
    after = path.read_text(encoding="utf-8")
    assert "  # 财务科:以下数字已与决算核对(2025-03-01)\n" in after
    assert re.search(r"\n  income_total: 5000\.5 +# 以决算为准\n", after)  # (the comment keeps its column)
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert [(a.split(), b.split()) for a, b in changed] == [
        (["income_total:", "4480.45", "#", "以决算为准"], ["income_total:", "5000.5", "#", "以决算为准"])
    ]
    _, again = store.load(path)
    assert again.values == answers.values


def test_new_and_cleared_answers_with_comments_kept(tmp_path: Path) -> None:
    path = _commented(tmp_path)
    form, answers = store.load(path)
    answers.set("income_other", None)  # cleared
    answers.set("unit_name", "改过的单位名称")
    store.save(path, form, answers)
    after = path.read_text(encoding="utf-8")
    assert "# 财务科:以下数字已与决算核对(2025-03-01)" in after and "# 以决算为准" in after
    _, again = store.load(path)
    assert again.values == answers.values
    assert again.get("income_other") is None


def test_an_answer_added_to_a_commented_file_gets_its_question_as_a_comment(tmp_path: Path) -> None:
    form = forms.load(str(MINI))
    path = tmp_path / "2019.yaml"
    path.write_text(
        "# 我的说明:这份是草稿\nzjeval: 1\nform: mini\nyear: 2019\nanswers:\n  unit_name: 单位  # 全称\n",
        encoding="utf-8",
    )
    _, answers = store.load(path, str(MINI))
    answers.set("income_total", Decimal("12.50"))
    store.save(path, form, answers)
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# 我的说明:这份是草稿\n")
    assert "unit_name: 单位  # 全称\n" in after
    label = form.questions()["income_total"].label
    assert f"  # {label}\n  income_total: 12.50\n" in after
    _, again = store.load(path, str(MINI))
    assert again.values == answers.values


def test_comments_survive_a_resumed_interview(tmp_path: Path) -> None:
    form = forms.load(str(MINI))
    path = tmp_path / "2019.yaml"
    answers = Answers(year=2019, form_id=form.id)
    given: dict[str, Value] = {
        "unit_name": "单位",
        "income_total": Decimal(1),
        "consistent": "一致",
        "problems": ["问题"],
        "report_date": dt.date(2020, 9, 2),
    }
    for qid, value in given.items():
        answers.set(qid, value)
    store.save(path, form, answers)
    text = path.read_text(encoding="utf-8").replace("answers:\n", "answers:\n  # 张三 3月1日 改过\n", 1)
    path.write_text(text, encoding="utf-8")
    _, loaded = store.load(path, str(MINI))
    asker = FakeAsker({"unit_name": ["新单位"], "income_total": ["2"]}, menu=["revise", "cover", "review"])
    assert session(form, loaded, path, asker, "zjeval new 2019") == 0
    after = path.read_text(encoding="utf-8")
    assert "  # 张三 3月1日 改过\n" in after
    _, again = store.load(path, str(MINI))
    assert again.get("unit_name") == "新单位" and again.get("income_total") == Decimal(2)


def test_a_file_without_comments_of_its_own_stays_canonical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object) -> str:
        raise AssertionError("ruamel.yaml used for a file without user comments")

    monkeypatch.setattr(roundtrip, "merge", never)
    path = tmp_path / "2024.yaml"
    shutil.copy(DEMO, path)
    form, answers = store.load(path)
    answers.set("unit_name", "另一个单位")
    store.save(path, form, answers)
    assert path.read_text(encoding="utf-8") == store.dumps(form, answers, str(path))


def test_a_broken_old_file_is_replaced_by_the_canonical_text(tmp_path: Path) -> None:
    assert roundtrip.own_comments("a: [\n# mine\n", "a: 1\n")
    with pytest.raises(roundtrip.CannotMerge):
        roundtrip.merge("a: [\n# mine\n", {"a": 1}, {})


TRICKY = [
    "yes",
    "on",
    "True",
    "null",
    "~",
    "0120",
    "0x10",
    "2:00",
    "1_000",
    "12.50",
    "1e5",
    "2020-09-02",
    "- a",
    "a: b",
    "#x",
    "'",
    '"',
    "@x",
    "`x`",
    "[1]",
    "{a: 1}",
    "!x",
    "%x",
    "&a",
    "*a",
    "|",
    ">",
]


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.sampled_from(TRICKY), st.text(min_size=1, max_size=30)))
def test_any_text_answer_survives_a_save_that_keeps_comments(text: str) -> None:
    form = forms.load(str(MINI))
    question = form.questions()["unit_name"]
    try:
        value = values.validate(question, text)
    except values.InvalidValue:
        return
    if value is None:
        return
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "2019.yaml"
        path.write_text(
            "# 我的注释\nzjeval: 1\nform: mini\nyear: 2019\nanswers:\n  income_total: 1\n", encoding="utf-8"
        )
        _, answers = store.load(path, str(MINI))
        answers.set("unit_name", value)
        store.save(path, form, answers)
        assert path.read_text(encoding="utf-8").startswith("# 我的注释\n")
        _, again = store.load(path, str(MINI))
        assert again.get("unit_name") == value
        assert again.values == answers.values


def test_replacing_every_answer_keeps_the_comments_and_reads_back_the_same(tmp_path: Path) -> None:
    """Every answer of the demo replaced by the seed's (lists, records, dates, money; some removed)."""
    path = _commented(tmp_path)
    form, demo = store.load(path)
    _, seed = store.load(ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml")
    seed.year = demo.year
    store.save(path, form, seed)
    after = path.read_text(encoding="utf-8")
    assert "# 财务科:以下数字已与决算核对(2025-03-01)" in after
    _, again = store.load(path)
    assert again.values == seed.values
    assert again.overrides == seed.overrides
