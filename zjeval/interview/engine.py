"""The interview: a pure state machine over a form's questions (the terminal session is session.py).

`Interview` knows nothing of terminals: it yields the next `Step`, takes an answer, validates
it with values.validate (the same code the answers-file loader and check use) and calls a save
callback after every accepted answer. The terminal side is an `Asker` and `drive` (dialogue.py).

Resume rule ("continue" mode). A file with no answers starts at the top. Otherwise the
interview starts at the first applicable question that is required and unanswered, or invalid
in the file (if there is none: after the last answered question), and from there asks every
applicable question that is unanswered or invalid. So an optional question is asked again on
a later run only if it comes after that point; the ones before it stay as they are (reach them
with "修改某一部分" or "修改某一题"). Questions with `ask: false` (filled by import) are never
asked, and a rule's reason question only when the rule is broken (`reasons_needed`).
Within a session every question asked is "visited" and never asked twice,
whatever the answer, so skipping an optional question never traps the loop. "Revise" mode asks
every applicable question of one top-level section (or one question), with the current
answers as defaults.

After each answer the form's checks run again: a rule problem that appears once all the
rule's inputs have been answered (or passed over) is a `Finding`, shown at that question with
the questions it names, so the user can go back and fix it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from zjeval.answers.formatting import format_value
from zjeval.answers.kinds import Value
from zjeval.answers.model import SUGGESTED, Answers, Invalid, applies
from zjeval.answers.tidy import tidy
from zjeval.answers.values import InvalidValue, validate
from zjeval.form import numbering
from zjeval.form.models import Form, Question, Section
from zjeval.interview import carry, followup, rows
from zjeval.interview.rows import RowHelp

# `<` alone goes back (to the previous question, list item or record field): never an answer
BACK_WORDS = ("<", "＜")
NAVIGATION = "「<」用于返回上一步,不能作为回答"


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
    default: object  # the current answer (typed), the rejected/invalid raw text, or the form default
    error: str | None = None  # why the default is not accepted (invalid in file, or just rejected)
    intro: str = ""  # shown when the question opens a section
    can_back: bool = False
    reference: str = ""  # last year's answer, shown beside the prompt (`new --from`)
    part: int = 1  # the top-level section among those with questions to ask, 1-based
    parts: int = 1
    number: int = 1  # the question among all questions to ask, 1-based
    count: int = 1
    # record field -> (what the list is called, the names to pick from)
    suggest: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    preface: str = ""  # the report's sentence with the computed score, before the questions on it
    why: str = ""  # a reason question: the rule problem it explains
    placeholders: frozenset[str] = frozenset()  # words that are no answer (the form's rules)
    # a carried records answer: per record title, field id -> last year's value of a cleared field
    item_refs: dict[str, dict[str, str]] = field(default_factory=dict)
    # a list question: save the items typed so far (each item, record field and item of a record's
    # list field as it is typed): (the list, the record being typed, its list field being typed)
    keep: Callable[[object, int | None, str | None], None] = lambda _items, _item, _field: None
    resume: bool = False  # the list was left mid-way (Ctrl-C): go on from its last row and field
    resume_item: int | None = None  # the record (1-based) that was being typed
    resume_field: str | None = None  # the list field of that record whose items were being typed
    rows: RowHelp | None = None  # the target rows question: what the framework says of a row

    @property
    def progress(self) -> str:
        return f"{self.position}/{self.total}"

    @property
    def overall(self) -> str:
        """Where in the whole interview: the part only (the questions' total grows and shrinks as
        answers call for reasons, so a global 第 n/N 题 would move under the user's feet)."""
        return f"第 {self.part}/{self.parts} 部分"


def navigation(raw: object) -> bool:
    """Whether an answer (or any item of a list answer) is only a navigation word."""
    if isinstance(raw, str):
        return raw.strip() in BACK_WORDS
    if isinstance(raw, list):
        return any(navigation(x) for x in raw)
    if isinstance(raw, dict):
        return any(navigation(x) for x in raw.values())
    return False


@dataclass(frozen=True)
class Finding:
    """A problem that the last answer brought up, and the questions to go back to."""

    field: str
    message: str
    severity: str
    fix: tuple[tuple[str, str], ...]  # (question id, label)


def judge(question: Question, raw: object) -> Value:
    """The typed answer, or InvalidValue with a Chinese message (an item's path folded in)."""
    try:
        value = validate(question, raw)
    except InvalidValue as exc:
        raise InvalidValue(_with_path(question, exc), exc.path) from None
    if value is None and question.required:
        more = f",至少 {question.min_items} 项" if question.is_list and question.min_items else ""
        raise InvalidValue(f"此项必填{more}")
    return value


def accept(question: Question, raw: object, words: frozenset[str] = frozenset()) -> tuple[Value, list[str]]:
    """What the help forbids taken out (tidy), then judged: (typed answer, notes on changes).

    `words` say nothing (无, 暂无 …): refused where an answer is needed; a navigation word
    (`<`) is refused everywhere, list items and record fields included."""
    if navigation(raw):
        raise InvalidValue(NAVIGATION)
    try:
        clean, notes = tidy(question, raw, words)
    except InvalidValue as exc:
        raise InvalidValue(exc.message) from None
    return judge(question, clean), notes


def _names(reason: Question, message: str) -> bool:
    """Whether a rule's message asks for this reason question (check names it 「label」)."""
    return f"「{reason.short_label}」" in message or "原因" in message


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
        question_id: str | None = None,
        previous: Answers | None = None,
    ) -> None:
        self.form, self.answers, self.on_save = form, answers, on_save
        self.previous = previous  # last year's answers (`new --from`)
        self.items = form.walk()
        self.labels = numbering.section_labels(form)
        self.revise = section_id is not None or question_id is not None
        self.scope = [
            i
            for i, (c, q) in enumerate(self.items)
            if section_id in (None, c[0].id) and question_id in (None, q.id)
        ]
        self.reasons = followup.reason_ids(form)
        self.inputs = followup.rule_inputs(form)
        self.needed: set[str] = set()  # the reason questions the rules call for now
        self._refresh()
        self.visited: set[int] = set()
        self.history: list[int] = []  # indices answered this session, for back()
        self.redo: list[int] = []  # indices stepped back over, asked again before moving on
        self.rejected: tuple[int, object, str] | None = None  # (index, the raw answer, why)
        self.notes: list[str] = []  # what tidy changed in the last answer
        self.findings: list[Finding] = []  # problems the last answer brought up
        self.start = self.resume_index() if not self.revise else (self.scope or [0])[0]
        self.index: int | None = self._next()

    def _refresh(self) -> None:
        """Recompute what depends on all the answers (the reasons the rules need now)."""
        if self.reasons:
            self.needed = followup.reasons_needed(self.form, self.answers, self.previous)
        self._problems = self._check()

    def _check(self) -> set[tuple[str | None, str]]:
        from zjeval.assess import check

        self.last_problems = check.check(self.form, self.answers, self.previous)
        return {(p.qid, p.message) for p in self.last_problems}

    # ------------------------------------------------------------ queries

    def askable(self, q: Question) -> bool:
        """Whether the interview asks q at all: not import-only, its `when` holds, its rule needs it."""
        if not q.ask or not applies(q, self.answers):
            return False
        if q.id in self.reasons and q.id not in self.needed:
            return self.answers.answered(q.id) and self.revise  # an old reason can still be cleared
        return True

    def resume_index(self) -> int:
        """Where "continue" starts (see the module docstring)."""
        blocking = last = None
        for i in self.scope:
            q = self.items[i][1]
            if self.answers.answered(q.id):
                last = i
            unanswered = (
                q.id in self.answers.invalid
                or (q.required and not self.answers.answered(q.id))
                or self.to_confirm(q)
            )
            if blocking is None and self.askable(q) and unanswered:
                blocking = i
        unfinished = next(
            (i for i in self.scope if self.items[i][1].id == self.answers.unfinished), None
        )
        if unfinished is not None and self.askable(self.items[unfinished][1]):
            return unfinished  # a list left mid-way: resume on its row
        if last is None:
            return (self.scope or [0])[0]
        return blocking if blocking is not None else last + 1

    def pending(self, i: int) -> bool:
        q = self.items[i][1]
        if i in self.visited or not self.askable(q):
            return False
        return (
            self.revise
            or q.id in self.answers.invalid
            or q.id == self.answers.unfinished
            or not self.answers.answered(q.id)
            or self.to_confirm(q)
        )

    def to_confirm(self, q: Question) -> bool:
        """A figure worked out from last year and written as a suggestion (`projects new --from`):
        asked, with it as the default, until the user confirms or changes it."""
        return self.answers.provenance.get(q.id) == SUGGESTED

    def _next(self) -> int | None:
        """The first pending question, or a question stepped back over if that comes first."""
        scan = next((i for i in self.scope if i >= self.start and self.pending(i)), None)
        while self.redo:
            i = self.redo[-1]
            if scan is not None and scan < i:
                return scan
            self.redo.pop()
            if self.askable(self.items[i][1]):
                self.visited.discard(i)
                return i
        return scan

    @property
    def finished(self) -> bool:
        return self.index is None

    def numbered(self) -> list[int]:
        """The indices of every question the interview would ask, for 第 i/N 题 and jumps."""
        return [i for i, (_, q) in enumerate(self.items) if self.askable(q) or i == self.index]

    def current(self) -> Step | None:
        if self.index is None:
            return None
        chain, q = self.items[self.index]
        top = chain[0]
        everything = self.numbered()
        same = [i for i in everything if self.items[i][0][0] is top]
        tops = list(dict.fromkeys(id(self.items[i][0][0]) for i in everything))
        default: object = self.answers.get(q.id)
        error = None
        if self.rejected is not None and self.rejected[0] == self.index:
            default, error = self.rejected[1], self.rejected[2]
        elif q.id in self.answers.invalid:
            default, error = self.answers.invalid[q.id].raw, self.answers.invalid[q.id].message
        elif default is None and self.carried(q) is not None:
            default = self.carried(q)
        elif default is None:
            default = self.default_of(q)
        opens = [s for s in chain if s.questions[:1] == [q]]
        intro = next((s.intro for s in reversed(opens) if s.intro), "")
        preface = "".join(followup.score_preface(self.form, self.answers, s) for s in opens)
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
            part=tops.index(id(top)) + 1 if id(top) in tops else 1,
            parts=len(tops),
            number=everything.index(self.index) + 1,
            count=len(everything),
            suggest=followup.suggestions(self.form, self.answers, q.id) if q.type == "records" else {},
            preface=preface,
            why=self.why(q),
            placeholders=followup.placeholders(self.form, q.id),
            item_refs=self.item_references(q),
            keep=self.keep,
            resume=q.id == self.answers.unfinished and not self.revise,
            resume_item=self.answers.unfinished_item if q.id == self.answers.unfinished else None,
            resume_field=self.answers.unfinished_field if q.id == self.answers.unfinished else None,
            rows=rows.helper(self.form, q.id) if q.type == "records" else None,
        )

    def default_of(self, q: Question) -> str | int | list[str] | None:
        """The form's default; a text default may name earlier answers ("{self_ref}及时布置……"),
        filled in with them (or their own defaults), so the report speaks of itself one way."""
        if not isinstance(q.default, str) or "{" not in q.default:
            return q.default
        from zjeval.form import template

        questions = self.form.questions()

        def lookup(name: str, _flt: str | None) -> str | None:
            other = questions.get(name)
            if other is None:
                return None
            value = self.answers.get(name)
            return format_value(other, value) if value is not None else str(other.default or "") or None

        return template.expand(q.default, lookup)

    def why(self, q: Question) -> str:
        """For a rule's reason question: the problem that makes the reason needed now."""
        rules = [ids for ids, reason in self.inputs if reason == q.id]
        found = [
            p.message
            for p in self.last_problems
            if any(p.qid in ids for ids in rules) and _names(q, p.message)
        ]
        return ";".join(dict.fromkeys(found))

    def carried(self, q: Question) -> Value:
        """Last year's answer offered as this year's default, when the form says to carry it."""
        if self.previous is None or q.carry_policy != "default":
            return None
        worked = carry.worked_out(q, self.form.questions(), self.previous)
        if worked is not None:  # carry_calc: a figure worked out from last year's, or nothing
            return worked.value
        return carry.carried(q, self.previous.get(q.id))

    def item_references(self, q: Question) -> dict[str, dict[str, str]]:
        """For a carried records answer: last year's values of the fields it clears, by record title."""
        if self.previous is None or q.carry_policy != "default":
            return {}
        return carry.references(q, self.previous.get(q.id))

    def reference(self, q: Question) -> str:
        """Last year's answer as text shown beside the prompt ('' when there is none)."""
        if self.previous is None or q.carry_policy == "never":
            return self.answers.origins.get(q.id, {}).get("from", "") if self.to_confirm(q) else ""
        worked = carry.worked_out(q, self.form.questions(), self.previous)
        if worked is not None:
            return worked.how  # how the suggestion was worked out, or why there is none
        value = self.previous.get(q.id)
        if value is None:
            return ""
        if isinstance(value, list):  # strings, records
            cleared = [f.label for f in carry.cleared_fields(q)] if q.carry_policy == "default" else []
            return f"{len(value)} 项" + (f"(各项的{'、'.join(cleared)}不带入,逐项填写)" if cleared else "")
        text = format_value(q, value)
        return text if len(text) <= 40 else text[:40] + "…"

    # ------------------------------------------------------------ transitions

    def answer(self, raw: object) -> str | None:
        """Accept and save an answer (None) or return the Chinese message saying what is wrong."""
        if self.index is None:
            raise RuntimeError("interview finished")
        q = self.items[self.index][1]
        if q.id in self.needed and not q.required:
            q = q.model_copy(update={"required": True})  # a reason the rule calls for now: not optional
        try:
            value, self.notes = accept(q, raw, followup.placeholders(self.form, q.id))
        except InvalidValue as exc:
            self.rejected = (self.index, raw, exc.message)
            self.notes, self.findings = [], []
            return exc.message
        self.rejected = None
        suggested = self.answers.get(q.id) if self.to_confirm(q) else None
        self.answers.set(q.id, value)
        if self.answers.unfinished == q.id:
            self.answers.unfinished = self.answers.unfinished_item = self.answers.unfinished_field = None
        if self.previous is not None and value is not None:
            last = self.carried(q)
            self.answers.provenance[q.id] = (
                "typed" if last is None else "carried" if value == last else "edited"
            )
        elif suggested is not None:  # a suggestion in the file, confirmed or changed
            self.answers.provenance[q.id] = "carried" if value == suggested else "edited"
        if value is None and self.to_confirm(q):
            del self.answers.provenance[q.id]  # the suggestion cleared: nothing left to confirm
        if q.carry_calc is not None and self.answers.provenance.get(q.id) != "carried":
            self.answers.origins.pop(q.id, None)  # no longer the figure worked out from last year
        self.on_save()
        self.visited.add(self.index)
        self.history.append(self.index)
        before = self._problems
        self._refresh()
        self.findings = self._findings(q, before)
        self.index = self._next()
        return None

    def keep(self, raw: object, item: int | None = None, field: str | None = None) -> None:
        """Save a list answer mid-way (every item, record field and item of a record's list field as
        it is typed): valid items as values, a half-typed record (`item`, 1-based) as written, with
        the list `field` of it whose items are being typed; the question stays unfinished until
        answered, and `new` resumes on that record (and in that field, after its last item)."""
        if self.index is None:
            return
        q = self.items[self.index][1]
        self.answers.unfinished, self.answers.unfinished_item = q.id, item
        self.answers.unfinished_field = field if item is not None else None
        try:
            value = validate(q, raw)
        except InvalidValue as exc:
            self.answers.values.pop(q.id, None)
            self.answers.invalid[q.id] = Invalid(raw, exc.message, exc.path)
        else:
            self.answers.set(q.id, value)
        self.on_save()

    def reached(self, qid: str) -> bool:
        """Answered, or at or before the current question: a place one can go back to."""
        i = next((n for n, (_, q) in enumerate(self.items) if q.id == qid), None)
        return i is not None and (self.answers.answered(qid) or self.index is None or i <= self.index)

    def settled(self, qid: str) -> bool:
        """Answered, or passed over: a rule reading it can be judged now."""
        i = next((n for n, (_, q) in enumerate(self.items) if q.id == qid), None)
        if i is None or self.answers.answered(qid) or i in self.visited or i < self.start:
            return True
        return not self.askable(self.items[i][1])

    def _findings(self, q: Question, before: set[tuple[str | None, str]]) -> list[Finding]:
        """Problems that are new since the last answer and concern it: its own, or a rule's whose
        inputs it completes (the exact message, at the question that completes the sum)."""
        questions = self.form.questions()
        out = []
        for p in self.last_problems:
            if (p.qid, p.message) in before or p.qid is None or p.message.startswith("未填写"):
                continue
            if any(
                p.qid in ids and reason and not self.settled(reason) and _names(questions[reason], p.message)
                for ids, reason in self.inputs
            ):
                continue  # the rule's reason question comes next and says why (Step.why)
            rules = [ids for ids, _ in self.inputs if q.id in ids and p.qid in ids]
            if p.qid != q.id and not any(all(self.settled(x) for x in ids) for ids in rules):
                continue
            fix = [q.id, p.qid, *sorted(x for ids in rules for x in ids)]
            ask = [x for x in dict.fromkeys(fix) if questions[x].ask and self.reached(x)][:4]
            out.append(Finding(p.field, p.message, p.severity, tuple((x, questions[x].label) for x in ask)))
        return out

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

    def goto(self, qid: str) -> bool:
        """Ask qid now (to fix what a finding says); afterwards the interview goes on from here."""
        target = next((n for n, (_, q) in enumerate(self.items) if q.id == qid), None)
        if target is None or not self.askable(self.items[target][1]):
            return False
        if self.index is not None and self.index != target:
            self.redo.append(self.index)
        self.rejected = None
        self.visited.discard(target)
        self.index = target
        return True
