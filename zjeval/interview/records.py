"""The record prompts of the interview: one record field by field, a list of records, and what
the framework's rows tell them while a target row is typed (interview/rows.py): number and unit
apart, percent sense, a reason at once when the row falls short, 二级 by 一级, the groups' 分值.
Each record field is saved as it is typed (`keep`), and each item of a list field as it is typed (the
file then names the field, and `new` goes on in it after its last item); `<` goes back one field.
`RecordPrompts` is a part of QuestionaryAsker (prompts.py), which supplies the scalar prompts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from zjeval import ui
from zjeval.answers.tidy import tidy
from zjeval.form.models import Question
from zjeval.interview import carry
from zjeval.interview.carry import Draft
from zjeval.interview.engine import Back
from zjeval.interview.lists import Item, ListEditor, drafts_of, lacking
from zjeval.interview.rows import RowHelp
from zjeval.interview.terminal import as_text

if TYPE_CHECKING:
    from rich.console import Console


class RecordPrompts:
    """Records, field by field; the scalar prompts come from the class this is mixed into."""

    console: Console
    words: frozenset[str]
    lists: ListEditor
    keep: Callable[..., None]
    rows: RowHelp | None
    others: list[Draft] | None
    doubted: set[tuple[str, str]]

    if TYPE_CHECKING:  # supplied by QuestionaryAsker (prompts.py)

        def confirm(self, message: str, default: bool = True) -> bool: ...

        def _notes(self, q: Question) -> None: ...

        def _scalar(
            self, q: Question, default: object, can_back: bool, names: list[str] | None = None
        ) -> str: ...

        def _strings(
            self,
            q: Question,
            default: object,
            can_back: bool,
            label: str = "",
            resume: bool = False,
            save: Callable[[list[str]], None] = ...,
        ) -> list[str]: ...

    def record(
        self,
        q: Question,
        default: Mapping[str, object] | None,
        back: bool,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, str] | None = None,
        *,
        keep: Callable[[Draft, str | None], None] = lambda _record, _field: None,
        start: Draft | None = None,
        resume_field: str | None = None,
    ) -> Draft:
        """One record, field by field (defaults from `default` when editing one). A field whose
        `when` does not hold for the fields typed before it is not asked; `refs` are last year's
        values of fields a carried record left empty, shown beside them. `start`: the fields of a
        record left mid-way (or a carried row), kept, asking only the fields it lacks and the list
        field `resume_field` whose items were being typed (on after its last item). `keep` gets the
        record after each field (field None), and after each item of a list field (with its id).
        `<` alone goes back to the previous field (at the first: to the previous question)."""
        record: Draft = dict(start or {})
        asked: list[int] = []
        self.doubted = set()  # the percent questions asked of this record
        n = 0
        while n < len(q.fields):
            f = q.fields[n]
            if not carry.applies(f, record):
                record.pop(f.id, None)
                n += 1
                continue
            resuming = f.id == resume_field and f.type == "strings"
            if start and f.id in start and not resuming:
                n += 1
                continue
            old = record.get(f.id, (default or {}).get(f.id))
            wanted = self._row_wants(f, record, old)
            if wanted is None:
                record.pop(f.id, None)
                n += 1
                continue
            f = wanted
            self._notes(f)
            if self.rows is not None and f.id == self.rows.fields.weight and self.others is not None:
                totals = self.rows.totals(self.others)
                self.console.print(f"[cyan]各组分值合计(不含本行):{ui.escape(totals)}[/]")
            if refs and f.id in refs:
                self.console.print(f"[magenta]{ui.escape(refs[f.id])}[/]")
            try:
                value = self._field(
                    q, f, old, record, suggest, back and not asked, bool(asked), keep, resume=resuming
                )
            except Back:
                if not asked:
                    raise
                n = asked.pop()
                start = None
                continue
            typed: object = value
            if isinstance(value, str) and f.type in ("number", "integer"):
                typed, notes = tidy(f, value, self.words)  # '十分' -> 10, said at once
                for note in notes:
                    self.console.print(f"[green]✓[/] [dim]{ui.escape(f.label)}:{ui.escape(note)}[/]")
            record[f.id] = typed
            resume_field = None
            self._row_after(f, record)
            keep(record, None)
            asked.append(n)
            n += 1
        return record

    def _field(
        self,
        q: Question,
        f: Question,
        old: object,
        record: Draft,
        suggest: dict[str, tuple[str, list[str]]],
        to_question: bool,
        to_field: bool,
        keep: Callable[[Draft, str | None], None],
        resume: bool = False,
    ) -> str | list[str]:
        """One field of a record: a list (the record saved with each item typed), a name from a
        list, a choice (二级 following 一级), a value."""
        if f.type == "strings":

            def save(items: list[str]) -> None:
                keep({**record, f.id: list(items)}, f.id)

            label = f"{f.label} "
            return self._strings(f, old, to_question or to_field, label=label, resume=resume, save=save)
        if f.id in suggest:
            return self._picked(f, old, suggest[f.id])
        if self.rows is not None and f.id == self.rows.fields.level2 and f.type == "choice":
            allowed = self.rows.level2_choices(record)
            if allowed:
                f = f.model_copy(update={"choices": [c for c in f.choices if c in allowed] or allowed})
        return self._scalar(f, old, to_question or to_field)

    def _row_wants(self, f: Question, record: Draft, old: object) -> Question | None:
        """A target row's 偏差原因: asked at once (and required) when the row falls short; not asked
        when it does not and there is none to keep. None: do not ask f."""
        rows = self.rows
        if rows is None or f.id != rows.fields.reason:
            return f
        why = rows.shortfall(record)
        if why:
            self.console.print(f"[yellow]这一行{ui.escape(why)},请写明{ui.escape(f.label)}。[/]")
            return f.model_copy(update={"required": True})
        return f if old not in (None, "") else None

    def _row_after(self, f: Question, record: Draft) -> None:
        """A target row's checks as each field is typed: number and unit apart, percent sense,
        the groups' 分值 so far."""
        rows = self.rows
        if rows is None:
            return
        text, unit, note = rows.split(f.id, str(record.get(f.id) or ""), record)
        if unit is not None:
            record[f.id] = text
            record.setdefault(rows.fields.unit, unit)
            self.console.print(f"[green]✓[/] [dim]{ui.escape(note)}[/]")
        if f.id in (rows.fields.unit, rows.fields.actual, rows.fields.target):
            for fid, question, meant in rows.percent_doubts(record):
                if (fid, str(record.get(fid))) in self.doubted:
                    continue  # asked already, and the answer was no
                self.doubted.add((fid, str(record.get(fid))))
                if self.confirm(question, default=True):
                    record[fid] = meant
                    self.console.print(f"[green]✓[/] [dim]已记为 {ui.escape(meant)}%[/]")

    def _picked(self, f: Question, default: object, names: tuple[str, list[str]]) -> str:
        """A name picked from a list (with completion); one outside it only when confirmed."""
        what, allowed = names
        text = as_text(f, default)
        while True:
            text = str(self._scalar(f, text, False, names=allowed)).strip()
            if not text or text in allowed:
                return text
            if self.confirm(f"「{text}」不在「{what}」名单中,仍然使用吗?", default=False):
                return text

    def _records(
        self,
        q: Question,
        default: object,
        can_back: bool,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, dict[str, str]] | None = None,
        resume: bool = False,
        resume_item: int | None = None,
        resume_field: str | None = None,
    ) -> list[Draft]:
        records: list[Draft] = []
        partial: Draft | None = None
        more = False  # left after a finished record: ask whether to add one before asking it
        items: list[Item]
        if isinstance(default, list) and default and all(isinstance(r, dict) for r in default):
            if resume:  # left mid-way: on from the half-typed row's first missing field
                records = list(default)
                at = resume_item - 1 if resume_item is not None and 0 < resume_item <= len(records) else None
                if at is not None and at == len(records) - 1:
                    partial = records.pop()
                elif at is not None or any(lacking(q, r) for r in records):  # left going through the rows
                    self.lists.fill_rows(
                        q, records, suggest, refs or {}, only_lacking=True, at=at, field=resume_field
                    )
                    action, items = self.lists.manage(q, list(records), can_back, suggest, save=self.keep)
                    records = drafts_of(items)
                    if action == "keep":
                        return records
                    if action == "redo":
                        records = []
                else:
                    more = True
                    self.console.print(f"[dim]已填 {len(records)} 项:[/]")
                    for i, r in enumerate(records, 1):
                        self.console.print(f"  {i}. {ui.escape(self.lists.title(q, r))}")
            else:
                action, items = self.lists.manage(q, list(default), can_back, suggest, refs, save=self.keep)
                records = drafts_of(items)
                if action == "keep":
                    return records
                if action == "redo":
                    records = []
        while q.max_items is None or len(records) < q.max_items:
            if more and len(records) >= q.min_items and not self.confirm("再添加一项?", default=False):
                break
            more = False
            self.console.print(f"[bold]{ui.escape(q.label)} 第 {len(records) + 1} 项[/]")
            done = list(records)
            self.others = done

            def keep_record(row: Draft, field: str | None, done: list[Draft] = done) -> None:
                self.keep([*done, row], len(done) + 1, field)  # the list so far and this row, half typed

            within = resume_field if partial is not None else None
            if partial:
                self.console.print(f"[dim]已填:{ui.escape(typed_fields(q, partial))}[/]")
            record = self.record(
                q, None, can_back and not records, suggest, keep=keep_record, start=partial,
                resume_field=within,
            )
            partial = None
            records.append(record)
            self.keep(records)
            if self.rows is not None:
                self.console.print(f"[cyan]各组分值合计:{ui.escape(self.rows.totals(records))}[/]")
            if len(records) >= q.min_items and not self.confirm("再添加一项?", default=False):
                break
        return records


def typed_fields(q: Question, record: Draft) -> str:
    """The fields of a half-typed record, as shown when the interview goes on in it."""
    shown = []
    for f in q.fields:
        value = record.get(f.id)
        if value is None:
            continue
        text = "、".join(str(v) for v in value) if isinstance(value, list) else as_text(f, value)
        shown.append(f"{f.label}:{text}")
    return ";".join(shown)
