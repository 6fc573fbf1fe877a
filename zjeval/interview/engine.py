"""The interview: a pure state machine over a form's questions (the terminal session is session.py).

`Interview` knows nothing of terminals: it yields the next `Step`, takes an answer, validates
it with values.validate (the same code the answers-file loader and check use) and calls a save
callback after every accepted answer. The terminal side is an `Asker` (prompts.py).

Resume rule ("continue" mode). A file with no answers starts at the top. Otherwise the
interview starts at the first applicable question that is required and unanswered, or invalid
in the file (if there is none: after the last answered question), and from there asks every
applicable question that is unanswered or invalid. So an optional question is asked again on
a later run only if it comes after that point; the ones before it stay as they are (reach them
with "修改某一部分"). Within a session every question asked is "visited" and never asked twice,
whatever the answer, so skipping an optional question never traps the loop. "Revise" mode asks
every applicable question of one top-level section, with the current answers as defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from zjeval import ui
from zjeval.answers.model import Answers, applies
from zjeval.answers.values import InvalidValue, Value, format_value, validate
from zjeval.form import numbering
from zjeval.form.models import Form, Question, Section


class Back(Exception):
    """Raised by an Asker when the user asks to go back to the previous question."""


@dataclass(frozen=True)
class Step:
    """One question to ask, with everything the prompt shows around it."""

    chain: tuple[Section, ...]
    question: Question
    heading: str  # the top-level section as numbered in the report: "二、自评工作开展情况"
    subheading: str  # the innermost section if nested: "（一）评价小组情况", else ""
    position: int  # among the applicable questions of the top-level section, 1-based
    total: int
    default: Any  # the current answer (typed), the rejected/invalid raw text, or the form default
    error: str | None = None  # why the default is not accepted (invalid in file, or just rejected)
    intro: str = ""  # shown when the question opens a section
    can_back: bool = False
    reference: str = ""  # last year's answer, shown beside the prompt (`new --from`)

    @property
    def progress(self) -> str:
        return f"{self.position}/{self.total}"


def judge(question: Question, raw: Any) -> Value:
    """The typed answer, or InvalidValue with a Chinese message (an item's path folded in)."""
    try:
        value = validate(question, raw)
    except InvalidValue as exc:
        raise InvalidValue(_with_path(question, exc), exc.path) from None
    if value is None and question.required:
        more = f",至少 {question.min_items} 项" if question.is_list and question.min_items else ""
        raise InvalidValue(f"此项必填{more}")
    return value


def _with_path(question: Question, exc: InvalidValue) -> str:
    """'[2].name' -> '第 2 项「姓名」:…' so the user knows which item to fix."""
    if not exc.path.startswith("["):
        return exc.message
    index, _, rest = exc.path[1:].partition("]")
    field = rest.lstrip(".").split("[")[0]
    where = f"第 {index} 项"
    if field and question.type == "records":
        where += f"「{question.field(field).label}」"
    return f"{where}:{exc.message}"


class Interview:
    """Which question comes next, and what happens to an answer."""

    def __init__(
        self,
        form: Form,
        answers: Answers,
        on_save: Callable[[], None] = lambda: None,
        *,
        section_id: str | None = None,
        previous: Answers | None = None,
    ) -> None:
        self.form, self.answers, self.on_save = form, answers, on_save
        self.previous = previous  # last year's answers (`new --from`)
        self.items = form.walk()
        self.labels = numbering.section_labels(form)
        self.revise = section_id is not None
        self.scope = [i for i, (c, _) in enumerate(self.items) if section_id in (None, c[0].id)]
        self.visited: set[int] = set()
        self.history: list[int] = []  # indices answered this session, for back()
        self.redo: list[int] = []  # indices stepped back over, asked again before moving on
        self.rejected: tuple[int, Any, str] | None = None
        self.start = self.resume_index() if not self.revise else (self.scope or [0])[0]
        self.index: int | None = self._next()

    # ------------------------------------------------------------ queries

    def resume_index(self) -> int:
        """Where "continue" starts (see the module docstring)."""
        blocking = last = None
        for i in self.scope:
            q = self.items[i][1]
            if self.answers.answered(q.id):
                last = i
            unanswered = q.id in self.answers.invalid or (q.required and not self.answers.answered(q.id))
            if blocking is None and applies(q, self.answers) and unanswered:
                blocking = i
        if last is None:
            return (self.scope or [0])[0]
        return blocking if blocking is not None else last + 1

    def pending(self, i: int) -> bool:
        q = self.items[i][1]
        if i in self.visited or not applies(q, self.answers):
            return False
        return self.revise or q.id in self.answers.invalid or not self.answers.answered(q.id)

    def _next(self) -> int | None:
        """The first pending question, or a question stepped back over if that comes first."""
        scan = next((i for i in self.scope if i >= self.start and self.pending(i)), None)
        while self.redo:
            i = self.redo[-1]
            if scan is not None and scan < i:
                return scan
            self.redo.pop()
            if applies(self.items[i][1], self.answers):
                self.visited.discard(i)
                return i
        return scan

    @property
    def finished(self) -> bool:
        return self.index is None

    def current(self) -> Step | None:
        if self.index is None:
            return None
        chain, q = self.items[self.index]
        top = chain[0]
        same = [i for i, (c, x) in enumerate(self.items) if c[0] is top and applies(x, self.answers)]
        default: Any = self.answers.get(q.id)
        error = None
        if self.rejected is not None and self.rejected[0] == self.index:
            default, error = self.rejected[1], self.rejected[2]
        elif q.id in self.answers.invalid:
            default, error = self.answers.invalid[q.id].raw, self.answers.invalid[q.id].message
        elif default is None and self.carried(q) is not None:
            default = self.carried(q)
        elif default is None:
            default = q.default
        intro = next((s.intro for s in reversed(chain) if s.intro and s.questions[:1] == [q]), "")
        return Step(
            chain=chain,
            question=q,
            heading=numbering.heading(self.form, top),
            subheading=numbering.heading(self.form, chain[-1]) if len(chain) > 1 else "",
            position=same.index(self.index) + 1 if self.index in same else 1,
            total=len(same),
            default=default,
            error=error,
            intro=intro,
            can_back=bool(self.history),
            reference=self.reference(q),
        )

    def carried(self, q: Question) -> Value:
        """Last year's answer offered as this year's default, when the form says to carry it."""
        if self.previous is None or q.carry_policy != "default":
            return None
        return self.previous.get(q.id)

    def reference(self, q: Question) -> str:
        """Last year's answer as text shown beside the prompt ('' when there is none)."""
        if self.previous is None or q.carry_policy == "never":
            return ""
        value = self.previous.get(q.id)
        if value is None:
            return ""
        if q.type in ("strings", "records"):
            return f"{len(value)} 项"
        text = format_value(q, value)
        return text if len(text) <= 40 else text[:40] + "…"

    # ------------------------------------------------------------ transitions

    def answer(self, raw: Any) -> str | None:
        """Accept and save an answer (None) or return the Chinese message saying what is wrong."""
        if self.index is None:
            raise RuntimeError("interview finished")
        q = self.items[self.index][1]
        try:
            value = judge(q, raw)
        except InvalidValue as exc:
            self.rejected = (self.index, raw, exc.message)
            return exc.message
        self.rejected = None
        self.answers.set(q.id, value)
        if self.previous is not None and value is not None:
            last = self.carried(q)
            self.answers.provenance[q.id] = (
                "typed" if last is None else "carried" if value == last else "edited"
            )
        self.on_save()
        self.visited.add(self.index)
        self.history.append(self.index)
        self.index = self._next()
        return None

    def back(self) -> bool:
        """Return to the previous question answered this session; False if there is none."""
        if not self.history:
            return False
        if self.index is not None:
            self.redo.append(self.index)
        self.rejected = None
        self.index = self.history.pop()
        self.visited.discard(self.index)
        return True


# ---------------------------------------------------------------- the terminal side


class Asker(Protocol):
    """What the interview needs from a terminal; each call may raise KeyboardInterrupt."""

    def ask(self, step: Step) -> Any:
        """The raw answer to step (Back to go back); the prompt may validate with `judge`."""

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str:
        """One of the (value, title) choices' value."""

    def confirm(self, message: str, default: bool = True) -> bool: ...

    def show(self, markup: Any) -> None:
        """Print rich markup (or a renderable) to the user."""


NORMALIZED_TYPES = frozenset({"money", "percent", "number", "integer", "date", "docno"})


def recorded_as(question: Question, raw: Any, value: Value) -> str | None:
    """'已记为:湛财评〔2020〕6号' when what was stored reads differently from what was typed."""
    if question.type not in NORMALIZED_TYPES or value is None:
        return None
    shown = format_value(question, value)
    return None if str(raw).strip() == shown else f"已记为:{shown}"


def drive(engine: Interview, asker: Asker) -> None:
    """Ask until the engine has nothing left; answers are saved by the engine's callback."""
    while (step := engine.current()) is not None:
        try:
            raw = asker.ask(step)
        except Back:
            engine.back()
            continue
        if engine.answer(raw) is None:
            note = recorded_as(step.question, raw, engine.answers.get(step.question.id))
            if note:
                asker.show(f"[green]✓[/] [dim]{ui.escape(note)}[/]")
