"""A list field inside a record (绩效目标's 具体内容) headless: each item saved as it is typed, the
half-typed record resumed in that field, and `check` saying which record is unfinished.

The real prompts (QuestionaryAsker, records.py) run with the keyboard replaced by a script: the
questionary/prompt_toolkit calls return the next scripted line, or raise KeyboardInterrupt as
Ctrl-C does. The pty tests of the same are in test_crash_safety.py.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.answers.kinds import Record
from zjeval.answers.model import Answers
from zjeval.assess import check
from zjeval.cli import app
from zjeval.errors import Interrupted
from zjeval.form.models import Form
from zjeval.interview import prompts, session
from zjeval.interview.dialogue import drive
from zjeval.interview.engine import Interview

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
CTRL_C = object()  # in a script: the user presses Ctrl-C at this prompt


class Keyboard:
    """Scripted answers to the prompts, in order; the messages of the prompts shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *lines: object) -> None:
        self.lines = list(lines)
        self.shown: list[str] = []
        monkeypatch.setattr(prompts, "ask", lambda prompt: self.type(str(prompt)))
        monkeypatch.setattr(prompts, "editor", lambda message, *_a, **_k: self.type(message))
        monkeypatch.setattr(prompts, "yes_no", lambda message, _default: self.type(message) == "y")

    def type(self, message: str) -> str:
        self.shown.append(message)
        line = self.lines.pop(0)
        if line is CTRL_C:
            raise KeyboardInterrupt
        return str(line)

    def asker(self) -> prompts.QuestionaryAsker:
        asker = prompts.QuestionaryAsker()
        asker.q = SimpleNamespace(  # type: ignore[assignment]
            text=lambda message, **_k: message, select=lambda message, **_k: message, Choice=lambda *_a, **_k: None
        )
        return asker


def without_goals(directory: Path) -> Path:
    """The 2024 demo answers without 绩效目标: `new` starts there (the last question it asks)."""
    form, answers = store.load(DEMO)
    answers.values.pop("goals")
    path = directory / "2024.yaml"
    store.save(path, form, answers)
    return path


def run(path: Path, keyboard: Keyboard) -> int:
    form, answers = store.load(path)
    return session.session(form, answers, path, keyboard.asker(), "zjeval new 2024")


def saved(path: Path) -> tuple[Form, Answers]:
    return store.load(path)


def test_items_of_a_records_list_field_are_saved_as_typed_and_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = without_goals(tmp_path)
    keys = Keyboard(monkeypatch, "continue", "加强科技创新", "措施一", "措施二", CTRL_C)
    with pytest.raises(Interrupted):
        run(path, keys)
    assert keys.shown[-1] == "具体内容 第 3 项(直接回车结束):"
    _, answers = saved(path)
    assert answers.values["goals"] == [{"title": "加强科技创新", "points": ["措施一", "措施二"]}]
    assert (answers.unfinished, answers.unfinished_item, answers.unfinished_field) == ("goals", 1, "points")
    assert "field: points" in path.read_text(encoding="utf-8")

    keys = Keyboard(monkeypatch, "continue", "措施三", "", "n", "n")
    assert run(path, keys) == 0
    assert not any(m.startswith("目标") for m in keys.shown)  # the title typed is kept, not asked again
    assert keys.shown[1] == "具体内容 第 3 项(直接回车结束):"  # on after the items typed
    _, answers = saved(path)
    assert answers.values["goals"] == [{"title": "加强科技创新", "points": ["措施一", "措施二", "措施三"]}]
    assert answers.unfinished is None and answers.unfinished_field is None
    assert "unfinished" not in path.read_text(encoding="utf-8")


def test_a_second_record_left_in_its_list_field_resumes_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = without_goals(tmp_path)
    keys = Keyboard(monkeypatch, "continue", "目标一", "措施一", "", "y", "目标二", "措施甲", CTRL_C)
    with pytest.raises(Interrupted):
        run(path, keys)
    _, answers = saved(path)
    assert answers.values["goals"] == [
        {"title": "目标一", "points": ["措施一"]},
        {"title": "目标二", "points": ["措施甲"]},
    ]
    assert (answers.unfinished_item, answers.unfinished_field) == (2, "points")

    keys = Keyboard(monkeypatch, "continue", "", "n", "n")
    assert run(path, keys) == 0
    assert keys.shown[1] == "具体内容 第 2 项(直接回车结束):"
    assert saved(path)[1].records("goals")[1] == {"title": "目标二", "points": ["措施甲"]}


def test_left_after_a_whole_record_the_resume_asks_before_adding_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C at 「再添加一项?」: the next run does not force a new record on the user."""
    path = without_goals(tmp_path)
    keys = Keyboard(monkeypatch, "continue", "目标一", "措施一", "", CTRL_C)
    with pytest.raises(Interrupted):
        run(path, keys)
    assert keys.shown[-1] == "再添加一项?"
    _, answers = saved(path)
    assert (answers.unfinished, answers.unfinished_item) == ("goals", None)

    keys = Keyboard(monkeypatch, "continue", "n", "n")
    assert run(path, keys) == 0
    assert keys.shown[1] == "再添加一项?"
    _, answers = saved(path)
    assert answers.values["goals"] == [{"title": "目标一", "points": ["措施一"]}]
    assert answers.unfinished is None


def test_the_engine_keeps_the_field_and_offers_it_on_resume(tmp_path: Path) -> None:
    path = without_goals(tmp_path)
    form, answers = store.load(path)
    engine = Interview(form, answers, lambda: store.save(path, form, answers))
    step = engine.current()
    assert step is not None and step.question.id == "goals" and not step.resume
    step.keep([{"title": "目标一", "points": ["措施一"]}], 1, "points")
    _, again = store.load(path)
    step = Interview(form, again, lambda: store.save(path, form, again)).current()
    assert step is not None and step.question.id == "goals"
    assert (step.resume, step.resume_item, step.resume_field) == (True, 1, "points")
    assert step.default == [{"title": "目标一", "points": ["措施一"]}]
    step.keep([{"title": "目标一", "points": ["措施一"]}], 1, None)  # the field finished
    assert store.load(path)[1].unfinished_field is None


def test_check_names_the_unfinished_record_and_field(tmp_path: Path) -> None:
    path = without_goals(tmp_path)
    form, answers = store.load(path)
    goal: Record = {"title": "目标一", "points": ["措施一"]}
    answers.set("goals", [goal])
    store.save(path, form, answers)
    assert check.is_complete(check.check(form, answers))  # a valid list, as far as its values go

    answers.unfinished, answers.unfinished_item, answers.unfinished_field = "goals", 1, "points"
    store.save(path, form, answers)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert "第 1 项「具体内容」没有填完" in out
    assert "zjeval new 2024" in out and "从第一个未答的问题继续" in out

    answers.unfinished_item = answers.unfinished_field = None  # the list itself left mid-way
    problems = [p for p in check.check(form, answers) if p.qid == "goals"]
    assert [p.message.split("(")[0] for p in problems] == ["没有填完"]


def test_a_carried_row_filled_in_turn_is_saved_field_by_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """「逐项填写本年的值」 over last year's rows: Ctrl-C inside the 2nd row keeps its 实际完成值, and
    the next run goes on in that row (its 偏差原因), not at the rows after it."""
    target = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
    (tmp_path / "2025.yaml").write_bytes(target.read_bytes())
    form, this = store.load(target)
    this.year, this.carried_from = 2026, 2025
    this.set("indicators", None)
    path = tmp_path / "2026.yaml"
    store.save(path, form, this)

    def run_rows(keyboard: Keyboard) -> int:
        form, answers = store.load(path)
        previous = session.last_year(form, answers, tmp_path, None)
        return session.session(form, answers, path, keyboard.asker(), "zjeval new 2026", previous=previous)

    keys = Keyboard(monkeypatch, "continue", "each", "41", "1000", CTRL_C)
    with pytest.raises(Interrupted):
        run_rows(keys)
    assert keys.shown[-1].startswith("偏差原因分析及改进措施")  # asked at once: 1000 of 1200
    _, answers = saved(path)
    rows = answers.records("indicators")
    assert (rows[0]["actual"], rows[1]["actual"]) == ("41", "1000")
    assert "actual" not in rows[2]
    assert (answers.unfinished, answers.unfinished_item) == ("indicators", 2)

    keys = Keyboard(monkeypatch, "continue", "两个项目延期开工。", CTRL_C)
    with pytest.raises(Interrupted):
        run_rows(keys)
    assert keys.shown[1].startswith("偏差原因分析及改进措施")  # on in the 2nd row
    assert keys.shown[2].startswith("实际完成值")  # then the 3rd row
    rows = saved(path)[1].records("indicators")
    assert rows[1]["actual"] == "1000" and rows[1]["reason"] == "两个项目延期开工。"
    assert rows[0]["actual"] == "41"


def test_changes_to_a_list_are_saved_as_made_and_an_edit_resumes_in_its_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revising 绩效目标: a deleted goal and an edited one (its title, an item added to its 具体内容)
    are in the file before the list is finished; the next run goes on in that 具体内容."""
    form, answers = store.load(DEMO)
    path = tmp_path / "2024.yaml"
    store.save(path, form, answers)
    goals = answers.records("goals")
    points = list(goals[1]["points"])  # type: ignore[arg-type]
    keys = Keyboard(monkeypatch, "delete", "0", "edit", "0", "新目标", "append", "新措施", CTRL_C)
    engine = Interview(form, answers, lambda: store.save(path, form, answers), question_id="goals")
    with pytest.raises(KeyboardInterrupt):
        drive(engine, keys.asker())
    assert keys.shown[-1] == f"具体内容 第 {len(points) + 2} 项(直接回车结束):"
    _, again = saved(path)
    assert again.values["goals"] == [{"title": "新目标", "points": [*points, "新措施"]}, goals[2]]
    assert (again.unfinished, again.unfinished_item, again.unfinished_field) == ("goals", 1, "points")

    keys = Keyboard(monkeypatch, "continue", "", "keep", "n")
    assert run(path, keys) == 0
    assert keys.shown[1] == f"具体内容 第 {len(points) + 2} 项(直接回车结束):"
    _, again = saved(path)
    assert again.values["goals"] == [{"title": "新目标", "points": [*points, "新措施"]}, goals[2]]
    assert again.unfinished is None
