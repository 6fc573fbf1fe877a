"""Revising a list answer one item at a time: keep it, add to it, edit, delete or move one item,
or go through every record in turn (each field prefilled; last year's values of the fields a carried
record leaves empty shown beside them).

Used by the prompts when a list question already has items (resume, revise, `new --from`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol, TypeGuard

from zjeval import ui
from zjeval.form.models import Question
from zjeval.interview import carry
from zjeval.interview.carry import Draft

if TYPE_CHECKING:
    from rich.console import RenderableType

_BACK = "\0back"

# An item of a list answer while it is edited: a strings answer's item, or a records answer's record.
Item = str | Draft


def _all_drafts(items: list[Item]) -> TypeGuard[list[Draft]]:
    return all(isinstance(item, dict) for item in items)


def _all_strings(items: list[Item]) -> TypeGuard[list[str]]:
    return all(isinstance(item, str) for item in items)


def drafts_of(items: list[Item]) -> list[Draft]:
    """The items of a records answer (the same list); TypeError if one is not a record (a bug)."""
    if _all_drafts(items):
        return items
    raise TypeError("a records answer holds an item that is not a record")


def strings_of(items: list[Item]) -> list[str]:
    """The items of a strings answer (the same list); TypeError if one is not text (a bug)."""
    if _all_strings(items):
        return items
    raise TypeError("a strings answer holds an item that is not text")


class ListAsker(Protocol):
    """What the list editor needs of the prompts (interview/prompts.QuestionaryAsker has it)."""

    # save the list mid-way (Step.keep): the list, the record half typed (1-based), its list field
    def keep(self, items: object, item: int | None = None, field: str | None = None) -> None: ...

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str: ...

    def show(self, markup: RenderableType) -> None: ...

    def record(
        self,
        q: Question,
        default: Mapping[str, object] | None,
        back: bool,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, str] | None = None,
        *,
        keep: Callable[[Draft, str | None], None] = ...,
        start: Draft | None = None,
        resume_field: str | None = None,
    ) -> Draft: ...


class ListEditor:
    """Works through an asker that has `choose`, `show`, `editor`-backed prompts and `record`."""

    def __init__(self, asker: ListAsker) -> None:
        self.asker = asker

    def title(self, q: Question, item: object) -> str:
        return carry.title(q, item)

    def manage(
        self,
        q: Question,
        items: list[Item],
        can_back: bool,
        suggest: dict[str, tuple[str, list[str]]] | None = None,
        refs: dict[str, dict[str, str]] | None = None,
        save: Callable[[list[Item]], None] = lambda _items: None,
    ) -> tuple[str, list[Item]]:
        """('keep' | 'append' | 'redo', the items as edited). `refs`: last year's values of the
        fields a carried record left empty, by record title (then going through each is the default).
        `save` gets the items after each change (a record edited: saved field by field, as typed)."""
        from zjeval.interview.engine import Back

        changed = False
        while True:
            self.asker.show(f"[dim]现有 {len(items)} 项:[/]")
            for i, item in enumerate(items, 1):
                self.asker.show(f"  {i}. {ui.escape(self.title(q, item))}")
            options = [("keep", "完成,保存修改" if changed else "保留,不修改"), ("append", "继续添加")]
            each = q.type == "records" and bool(items)
            if each:
                options.append(("each", "逐项填写本年的值(带入的各栏保留,只问缺的)"))
            if items:
                options += [("edit", "修改其中一项"), ("delete", "删除其中一项")]
            if len(items) > 1:
                options.append(("move", "调整某一项的位置"))
            options.append(("redo", "全部重新填写"))
            if can_back and not changed:
                options.append((_BACK, "← 返回上一题"))
            # rows read by `zjeval table` (or carried) whose results are still to fill in
            first = "each" if each and (refs or any(lacking(q, i) for i in items)) and not changed else "keep"
            action = self.asker.choose("如何处理?", options, default=first)
            if action == _BACK:
                raise Back
            if action in ("keep", "append", "redo"):
                return action, items
            if action == "each":
                self.fill_rows(q, drafts_of(items), suggest or {}, refs or {}, only_lacking=False)
                changed = True
                continue
            n = self.pick(
                q, items, {"edit": "修改哪一项?", "delete": "删除哪一项?", "move": "移动哪一项?"}[action]
            )
            changed = True
            if action == "delete":
                gone = items.pop(n)
                self.asker.show(f"[green]✓[/] 已删除第 {n + 1} 项:{ui.escape(self.title(q, gone))}")
            elif action == "move":
                to = int(
                    self.asker.choose(
                        "移到第几项?", [(str(i), f"第 {i + 1} 项") for i in range(len(items)) if i != n]
                    )
                )
                items.insert(to, items.pop(n))
            else:
                items[n] = self.edit(q, items[n], suggest or {}, refs or {}, self._keeping(items, n))
            save(items)

    def fill_rows(
        self,
        q: Question,
        items: list[Draft],
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, dict[str, str]],
        only_lacking: bool,
        at: int | None = None,
        field: str | None = None,
    ) -> None:
        """Each record (or each still lacking this year's results, and the record `at` (0-based) left
        half typed, in its list `field`: resuming) asked what it lacks, saved field by field."""
        for i, item in enumerate(items):
            if only_lacking and not lacking(q, item) and i != at:
                continue
            where = f"{q.label} 第 {i + 1}/{len(items)} 项:{self.title(q, item)}"
            self.asker.show(f"[bold]{ui.escape(where)}[/]")

            def keep(row: Draft, within: str | None, i: int = i) -> None:
                self.asker.keep([*items[:i], row, *items[i + 1 :]], i + 1, within)

            items[i] = self.fill(q, item, suggest, refs, keep, field if i == at else None)
            self.asker.keep(items)

    def fill(
        self,
        q: Question,
        item: Draft,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, dict[str, str]],
        keep: Callable[[Draft, str | None], None] = lambda _record, _field: None,
        field: str | None = None,
    ) -> Draft:
        """A carried record: only the fields it lacks are asked (this year's 实际完成值 and the
        like; the list `field` left mid-way, on after its items), what it carried is kept as it
        is; change the rest with 「修改其中一项」. `keep` saves it as each field is typed."""
        shown = "、".join(
            f"{f.label}:{item[f.id]}" for f in q.fields if f.id in item and f.id != q.title_field
        )
        self.asker.show(f"[dim]{ui.escape(shown)}[/]")
        return self.asker.record(
            q, None, False, suggest, refs.get(self.title(q, item), {}), keep=keep, start=item,
            resume_field=field,
        )

    def _keeping(self, items: list[Item], n: int) -> Callable[[Draft, str | None], None]:
        """Save a records answer while its record n (0-based) is edited: the fields typed so far
        over the record as it was (so one Ctrl-C in the middle drops none of its other fields)."""
        was = items[n]

        def keep(row: Draft, within: str | None) -> None:
            edited = {**was, **row} if isinstance(was, dict) else row
            self.asker.keep([*items[:n], edited, *items[n + 1 :]], n + 1, within)

        return keep

    def pick(self, q: Question, items: list[Item], message: str) -> int:
        options = [(str(i), f"{i + 1}. {self.title(q, item)[:40]}") for i, item in enumerate(items)]
        return int(self.asker.choose(message, options))

    def edit(
        self,
        q: Question,
        item: Item,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, dict[str, str]] | None = None,
        keep: Callable[[Draft, str | None], None] = lambda _record, _field: None,
    ) -> Item:
        if isinstance(item, dict):  # a records answer's record
            last_year = (refs or {}).get(self.title(q, item), {})
            return self.asker.record(q, item, False, suggest, last_year, keep=keep)
        from zjeval.interview.terminal import editor

        def check(text: str) -> bool | str:
            return True if text.strip() else "请填写内容;要删除这一项请选「删除其中一项」"

        return editor(f"{q.label}(修改这一项):\n", str(item), check, multiline=False).strip()


def lacking(q: Question, item: object) -> bool:
    """A record still without this year's result (a `carry: reference` field such as 实际完成值)."""
    return isinstance(item, dict) and any(
        f.carry == "reference" and f.id not in item and carry.applies(f, item) for f in q.fields
    )
