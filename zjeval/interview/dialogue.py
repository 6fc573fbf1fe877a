"""The interview as a conversation: what it needs from a terminal (`Asker`) and `drive`, which
asks the engine's steps until none is left (the engine is engine.py, the terminal prompts.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from zjeval import ui
from zjeval.answers.formatting import format_value
from zjeval.answers.kinds import Value
from zjeval.answers.tidy import doubt
from zjeval.form.models import Question
from zjeval.interview.engine import Back, Interview, Step

if TYPE_CHECKING:
    from rich.console import RenderableType


class Asker(Protocol):
    """What the interview needs from a terminal; each call may raise KeyboardInterrupt."""

    def ask(self, step: Step) -> object:
        """The raw answer to step (Back to go back): text, a list's items or records as typed; the
        engine validates it (the prompt may already have, with `judge`)."""

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str:
        """One of the (value, title) choices' value."""

    def confirm(self, message: str, default: bool = True) -> bool: ...

    def text(self, message: str, names: list[str]) -> str:
        """One line of text, with completion from names."""

    def show(self, markup: RenderableType) -> None:
        """Print rich markup (or a renderable) to the user."""


NORMALIZED_TYPES = frozenset({"money", "percent", "number", "integer", "date", "docno"})


def recorded_as(question: Question, raw: object, value: Value) -> str | None:
    """'已记为:湛财评〔2020〕6号' when what was stored reads differently from what was typed."""
    if question.type not in NORMALIZED_TYPES or value is None:
        return None
    shown = format_value(question, value)
    return None if str(raw).strip() == shown else f"已记为:{shown}"


def drive(engine: Interview, asker: Asker) -> None:
    """Ask until the engine has nothing left; answers are saved by the engine's callback.

    A percent that looks like a fraction is asked back; what tidy changed is echoed; a problem
    the answer brought up is shown with the offer to go back and fix it.
    """
    while (step := engine.current()) is not None:
        try:
            raw = asker.ask(step)
        except Back:
            engine.back()
            continue
        question = doubt(step.question, raw)
        if question is not None and asker.confirm(question[0], default=True):
            raw = question[1]
        if engine.answer(raw) is not None:
            continue
        for note in engine.notes:
            asker.show(f"[green]✓[/] [dim]{ui.escape(note)}[/]")
        recorded = recorded_as(step.question, raw, engine.answers.get(step.question.id))
        if recorded:
            asker.show(f"[green]✓[/] [dim]{ui.escape(recorded)}[/]")
        for finding in engine.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            asker.show(f"[{colour}]发现问题[/] {ui.escape(finding.field)}:{ui.escape(finding.message)}")
            options = [("", "继续下一题")] + [(qid, f"返回修改「{label}」") for qid, label in finding.fix]
            chosen = asker.choose("现在修改吗?", options, default="")
            if chosen and engine.goto(chosen):
                break
