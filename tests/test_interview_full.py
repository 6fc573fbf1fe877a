"""`zjeval new` through the WHOLE built-in form in a pseudo-terminal, typing the 2024 demo answers.

The test walks the form in order, skips the questions whose `when` does not hold for the
answers typed so far, and types each demo value as a person would: numbers as text, dates as
2025年6月30日, paragraphs line by line, choices with the arrow keys, lists item by item and
records field by field. Each prompt is awaited by its label before anything is typed, so a
question asked out of order fails with the id of the question the test expected.

pexpect settings as in test_interview_pty.py: TERM=xterm-256color, PROMPT_TOOLKIT_NO_CPR=1.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import CLEAR, DOWN, NEWLINE, ROOT, TIMEOUT, UP
from pty_helpers import spawn as pty_spawn

from zjeval.answers import store
from zjeval.answers.model import Answers, applies
from zjeval.form.models import Question
from zjeval.interview import followup

pytestmark = pytest.mark.slow  # pty sessions: `pytest -m 'not slow'` leaves them to the full run

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow  # a real terminal (pty) per test

DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")


# ---------------------------------------------------------------- the terminal


class Counting:
    """The child, counting the Enter presses sent to it and what the budget allows."""

    def __init__(self, child: Any) -> None:
        self.child = child
        self.enters = 0
        self.questions = 0  # questions asked (a records question counts once)
        self.items = 0  # list items typed: strings items, and each field of each record

    def send(self, text: str) -> None:
        self.enters += text.count("\r")
        self.child.send(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.child, name)


def spawn(directory: Path) -> Any:
    return Counting(pty_spawn("new", "2024", "--dir", str(directory)))


def expect(child: Any, text: str, where: str) -> None:
    """expect_exact, failing with the question we were at and what the screen showed last."""
    try:
        child.expect_exact(text)
        return
    except (pexpect.TIMEOUT, pexpect.EOF) as exc:
        why = type(exc).__name__
    tail = ANSI.sub("", str(child.before or ""))[-1500:]
    pytest.fail(f"[{where}] 等待 {text!r} 未出现({why})。最后的输出:\n{tail}", pytrace=False)


# ---------------------------------------------------------------- typing one answer


def as_typed(value: Any) -> str:
    """A scalar value as a person types it."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def prefilled(q: Question) -> bool:
    """The form prefills a default into text prompts (a fresh interview has no other default)."""
    return q.type not in ("choice", "strings", "records") and q.default not in (None, "")


def type_line(child: Any, q: Question, value: Any, where: str) -> None:
    """text, docno, money, percent, number, integer, date: one line, Enter."""
    expect(child, f"{q.label}:", where)
    text = "" if value is None else as_typed(value)
    child.send((CLEAR if prefilled(q) else "") + text + "\r")


def type_paragraphs(child: Any, q: Question, value: str | None, where: str) -> None:
    """Each paragraph on its own line (Ctrl-J between them), then Enter."""
    expect(child, f"{q.label}:", where)
    if prefilled(q):
        assert "\n" not in str(q.default), "Ctrl-U clears one line only"
    text = "" if value is None else value.replace("\n", NEWLINE)
    child.send((CLEAR if prefilled(q) else "") + text + "\r")


def pointer_moves(q: Question, value: str | None) -> str:
    """The arrow keys from where the pointer starts (the default, else the first entry) to value.

    The entries are the choices, then "(不填)" if the question is optional (value None),
    then possibly "← 返回上一题".
    """
    start = q.choices.index(q.default) if q.default in q.choices else 0
    target = len(q.choices) if value is None else q.choices.index(value)
    assert value is not None or not q.required, f"{q.id}: a required choice needs a value"
    return DOWN * (target - start) if target >= start else UP * (start - target)


def type_choice(child: Any, q: Question, value: str | None, where: str) -> None:
    expect(child, f"{q.label}:", where)
    child.send(pointer_moves(q, value) + "\r")


def type_strings(child: Any, q: Question, value: list[str] | None, where: str, prefix: str = "") -> None:
    """One prompt per item; an empty Enter ends the list (not asked once max_items is reached)."""
    items = value or []
    child.items += len(items)
    for n, item in enumerate(items, 1):
        expect(child, f"{prefix}第 {n} 项(直接回车结束):", f"{where} 第 {n} 项")
        child.send(item + "\r")
    if q.max_items is None or len(items) < q.max_items:
        expect(child, f"{prefix}第 {len(items) + 1} 项(直接回车结束):", f"{where} 结束")
        child.send("\r")


def type_records(child: Any, q: Question, value: list[dict[str, Any]] | None, where: str) -> None:
    """Each record field by field, then "再添加一项?" (asked once min_items are in)."""
    records = value or []
    child.items += len(records) * len(q.fields)
    for n, record in enumerate(records, 1):
        expect(child, f"{q.label} 第 {n} 项", where)
        for f in q.fields:
            type_value(child, f, record.get(f.id), f"{where} 第 {n} 项.{f.id}", prefix=f"{f.label} ")
        if n >= q.min_items:
            expect(child, "再添加一项?", f"{where} 第 {n} 项之后")
            child.send("y" if n < len(records) else "n")


def type_value(child: Any, q: Question, value: Any, where: str, prefix: str = "") -> None:
    """Answer the prompt(s) of question q with value (None: leave it empty)."""
    if not prefix:
        child.questions += 1
    if q.type == "strings":
        if not prefix:
            expect(child, q.label, where)  # the header above the item prompts
        type_strings(child, q, value, where, prefix)
    elif q.type == "records":
        type_records(child, q, value, where)
    elif q.type == "choice":
        type_choice(child, q, value, where)
    elif q.type == "paragraphs":
        type_paragraphs(child, q, value, where)
    else:
        type_line(child, q, value, where)


# ---------------------------------------------------------------- the test


def exact(values: dict[str, Any]) -> dict[str, str]:
    """Values compared by type and repr: Decimal('1500.00') is not Decimal('1500')."""
    return {k: f"{type(v).__name__}:{v!r}" for k, v in values.items()}


def test_whole_builtin_form_with_the_demo_answers(tmp_path: Path) -> None:
    form, demo = store.load(DEMO)
    typed = Answers(year=demo.year, form_id=demo.form_id)  # what the interview has seen so far

    reasons = followup.reason_ids(form)
    skipped: set[str] = set()
    child = spawn(tmp_path)
    for _chain, q in form.walk():
        if not applies(q, typed) or not q.ask:
            continue
        needed = followup.reasons_needed(form, typed, None)
        if q.id in reasons and q.id not in needed:
            skipped.add(q.id)  # no rule calls for it: not asked
            continue
        value = demo.get(q.id)
        type_value(child, q, value, q.id)
        typed.set(q.id, value)

    budget = child.questions + child.items
    print(
        f"\nEnter 键 {child.enters} 次:{child.questions} 题,{child.items} 个列表项"
        f"(字符串列表的各项和记录的各字段),上限 {budget}"
    )
    assert child.enters <= budget
    expect(child, "完成情况", "review")
    expect(child, "生成报告到", "review")  # not "生成报告草稿…": the answers are complete
    child.send("y")
    expect(child, "已生成", "review")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    # Every value typed was stored as the demo has it (Decimals and dates included).
    _form, saved = store.load(tmp_path / "2024.yaml")
    assert saved.invalid == {}
    assert saved.values == typed.values
    assert exact(saved.values) == exact(typed.values)
    # Every one of the demo's values was asked (check warns about answers to questions that don't
    # apply), but the reasons no rule called for (the demo explains its 93% 执行率 all the same).
    for qid in skipped:
        demo.set(qid, None)
    assert exact(saved.values) == exact(demo.values)

    check = run_zjeval("check", str(tmp_path / "2024.yaml"))
    assert check.returncode == 0, check.stdout + check.stderr

    # The report written by the review is the demo's report without its score overrides
    # (which the interview does not ask).
    written = (tmp_path / "2024.txt").read_text(encoding="utf-8")
    assert written.startswith("示例市科学技术局（示例数据）2024年度部门整体支出绩效自评报告")
    assert "附件：1．示例市科学技术局（示例数据）2024年度部门整体支出绩效自评数据表" in written
    demo.overrides = {}
    store.save(tmp_path / "demo.yaml", form, demo)
    rendered = run_zjeval("render", str(tmp_path / "demo.yaml"))
    assert rendered.returncode == 0, rendered.stderr
    assert written == rendered.stdout


def run_zjeval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zjeval", *args],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
