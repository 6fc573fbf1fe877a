"""The terminal side of the interview: QuestionaryAsker asks a Step with questionary/prompt_toolkit.

Every prompt validates as the user types Enter, with the same `accept` the interview engine
uses, so a bad value is refused on the spot with the Chinese message and asked again.
Long texts get their own editor (`editor`): the label above, the text on its own lines across
the whole width, Enter to finish (Enter on an empty optional answer skips it), Ctrl-J for a
new paragraph. Key hints are shown once a session. questionary and prompt_toolkit are imported
here only, and only when a prompt is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zjeval import ui
from zjeval.answers.formatting import format_date
from zjeval.answers.tidy import tidy
from zjeval.answers.values import InvalidValue
from zjeval.form.models import Question
from zjeval.interview import carry
from zjeval.interview.engine import BACK_WORDS, NAVIGATION, Back, Step, accept
from zjeval.interview.lists import ListEditor
from zjeval.interview.rows import RowHelp

_BACK = "\0back"  # the value of the "go back" entry in select prompts

TYPE_HINTS = {
    "money": (
        "金额以万元为单位;可以输入 12,552.67、12552.67万元、１２５５２．６７ 或 125526700元(自动换算为万元)。"
    ),
    "date": "可以写 2020年9月2日、2020-09-02 或 2020/9/2。",
    "percent": "百分数,可以写 95.5 或 95.5%。",
    "integer": "整数,例如 8。",
    "docno": "按「机关代字〔年份〕序号号」填写;写成【2020】、[2020] 也可以,会统一为〔〕。",
}
# Key hints, each shown the first time it applies in a session.
KEYS = {
    "select": "用上下方向键选择,回车确认。",
    "long": "长文字:写完按回车结束;需要分段时按 Ctrl-J 换段(粘贴的多段文字原样保留)。",
    "back": "任何一题只输入 < 并回车,即返回上一题。",
    "skip": "标有(可选)的题目,没有的直接回车跳过。",
    "list": "列表逐项填写,每项回车;直接回车结束。不要自己编号。只输入 < 返回上一项(或上一栏)。",
    "pick": "按 Tab 或输入几个字,从名单中选择。",
}
SELECT_HINT = " "  # questionary shows English words for an empty instruction
LONG_AT = 60  # one-line answers allowed this many characters or more get a line of their own


def as_text(question: Question, value: Any) -> str:
    """A value as the text to prefill in a prompt."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _validator(question: Question, can_back: bool, words: frozenset[str]) -> Callable[[str], Any]:
    def check(text: str) -> Any:
        if can_back and text.strip() in BACK_WORDS:
            return True
        try:
            accept(question, text, words)
        except InvalidValue as exc:
            return exc.message
        return True

    return check


def _ask(prompt: Any) -> Any:
    """Run a questionary prompt; Ctrl-C (or a cancelled prompt) is KeyboardInterrupt."""
    answer = prompt.unsafe_ask()
    if answer is None:
        raise KeyboardInterrupt
    return answer


def editor(
    message: str,
    default: str = "",
    validate: Callable[[str], Any] = lambda _: True,
    multiline: bool = True,
    names: list[str] | None = None,
) -> str:
    """A prompt whose text starts on its own line and uses the whole width.

    Enter finishes (validated); Ctrl-J inserts a line break in a multiline editor; Esc Enter
    also finishes, as it used to. `names` offers completion from a list while typing.
    """
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import FuzzyWordCompleter
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.validation import ValidationError, Validator

    class Check(Validator):
        def validate(self, document: Any) -> None:
            result = validate(document.text)
            if result is not True:
                raise ValidationError(message=str(result), cursor_position=len(document.text))

    keys = KeyBindings()
    if multiline:

        @keys.add("enter")
        def _finish(event: Any) -> None:
            event.current_buffer.validate_and_handle()

        @keys.add("c-j")
        def _newline(event: Any) -> None:
            event.current_buffer.insert_text("\n")

    session: Any = PromptSession(
        message,
        multiline=multiline,
        key_bindings=keys,
        validator=Check(),
        validate_while_typing=False,
        wrap_lines=True,
        prompt_continuation="",
        completer=FuzzyWordCompleter(names) if names else None,
        complete_while_typing=bool(names),
        reserve_space_for_menu=min(len(names), 6) if names else 0,
    )
    try:
        return str(session.prompt(default=default))
    except EOFError:
        raise KeyboardInterrupt from None


def yes_no(message: str, default: bool) -> bool:
    """A 是/否 question: y or n answers at once, Enter takes the default; the answer is echoed
    in Chinese (questionary's confirm says "(y/N)" and "Yes")."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    def done(event: Any, answer: bool) -> None:
        event.app.exit(result=answer)

    for key, answer in (("y", True), ("Y", True), ("n", False), ("N", False)):
        keys.add(key, eager=True)(lambda event, answer=answer: done(event, answer))
    keys.add("enter", eager=True)(lambda event: done(event, default))
    keys.add("<any>")(lambda event: None)  # other keys type nothing
    keys.add("c-c", eager=True)(lambda event: event.app.exit(exception=KeyboardInterrupt))
    keys.add("c-d", eager=True)(lambda event: event.app.exit(exception=KeyboardInterrupt))
    hint = "(是 y / 否 n,回车为「是」)" if default else "(是 y / 否 n,回车为「否」)"
    session: Any = PromptSession(
        FormattedText([("class:qmark", "? "), ("bold", message), ("", " "), ("fg:ansibrightblack", hint)]),
        key_bindings=keys,
    )
    answer = bool(session.prompt())
    ui.out().print(f"[dim]  → {'是' if answer else '否'}[/]")
    return answer


class QuestionaryAsker:
    """The Asker for a real terminal."""

    def __init__(self) -> None:
        import questionary

        self.q = questionary
        self.console = ui.out()
        self.hinted: set[str] = set()
        self.words: frozenset[str] = frozenset()  # the current question's placeholder words
        self.lists = ListEditor(self)
        self.keep: Callable[..., None] = lambda _items, _item=None: None  # save a list mid-way (Step.keep)
        self.rows: RowHelp | None = None
        self.others: list[dict[str, Any]] | None = None  # the rows entered before this one
        self.doubted: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ Asker protocol

    def show(self, markup: Any) -> None:
        self.console.print(markup)

    def confirm(self, message: str, default: bool = True) -> bool:
        return yes_no(message, default)

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str:
        self.hint("select")
        options = [self.q.Choice(title, value=value) for value, title in choices]
        return str(_ask(self.q.select(message, choices=options, default=default, instruction=SELECT_HINT)))

    def text(self, message: str, names: list[str]) -> str:
        self.hint("pick")
        return editor(f"{message}\n", multiline=False, names=names)

    def ask(self, step: Step) -> Any:
        self.words, self.keep, self.rows = step.placeholders, step.keep, step.rows
        self.others = None
        self._header(step)
        q = step.question
        if q.type == "strings":
            return self._strings(q, step.default, step.can_back, resume=step.resume)
        if q.type == "records":
            return self._records(
                q, step.default, step.can_back, step.suggest, step.item_refs, step.resume, step.resume_item
            )
        return self._scalar(q, step.default, step.can_back)

    # ------------------------------------------------------------ pieces

    def hint(self, key: str) -> None:
        """A key hint, the first time it applies in this session."""
        if key not in self.hinted:
            self.hinted.add(key)
            self.console.print(f"[dim]{ui.escape(KEYS[key])}[/]")

    def _header(self, step: Step) -> None:
        q, esc = step.question, ui.escape
        self.console.print()
        if step.intro:
            self.console.print(f"[cyan]{esc(step.intro)}[/]")
        if step.preface:
            self.console.print(f"[bold cyan]按评分表计算:{esc(step.preface)}[/]")
        where = step.heading + (f" / {step.subheading}" if step.subheading else "")
        place = f"[blue]第 {step.progress} 题[/]  [dim]{step.overall}[/]"
        self.console.print(f"[bold blue]{esc(where)}[/]  {place}")
        optional = not q.required and not step.why  # a reason the rules call for now is not optional
        self.console.print(f"[bold]{esc(q.label)}[/]" + (" [dim](可选)[/]" if optional else ""))
        if step.why:
            self.console.print(f"[yellow]需要说明:{esc(step.why)}[/]")
        self._notes(q)
        if step.reference:
            self.console.print(f"[magenta]上年:{esc(step.reference)}[/]")
        if step.can_back:
            self.hint("back")
        if step.resume:
            self.console.print("[yellow]上次在这里中断,接着填写:[/]")
        elif step.error:
            self.console.print(f"[red]原答案需要修改:{esc(step.error)}[/]")

    def _notes(self, q: Question) -> None:
        esc = ui.escape
        if q.help:
            self.console.print(f"[dim]{esc(q.help.strip())}[/]")
        if q.type in TYPE_HINTS:
            self.console.print(f"[dim]{esc(TYPE_HINTS[q.type])}[/]")
        if q.example:
            self.console.print(f"[dim]例如:{esc(q.example)}[/]")
        if not q.required and q.type not in ("strings", "records", "choice"):
            self.hint("skip")
        if q.is_list:
            self.hint("list")

    def _scalar(self, q: Question, default: Any, can_back: bool, names: list[str] | None = None) -> Any:
        if q.type == "choice":
            return self._choice(q, default, can_back)
        long = q.type == "paragraphs" or (q.type == "text" and (q.max_chars or 0) >= LONG_AT)
        if long or names:
            self.hint(
                "pick"
                if names
                else "long"
                if q.type == "paragraphs"
                else "skip"
                if not q.required
                else "back"
            )
            text = editor(
                f"{q.label}:\n",
                as_text(q, default),
                _validator(q, can_back, self.words),
                multiline=q.type == "paragraphs",
                names=names,
            )
        else:
            check = _validator(q, can_back, self.words)
            text = _ask(self.q.text(f"{q.label}:", default=as_text(q, default), validate=check))
        if can_back and text.strip() in BACK_WORDS:
            raise Back
        return text

    def _choice(self, q: Question, default: Any, can_back: bool) -> Any:
        self.hint("select")
        options = [self.q.Choice(c, value=c) for c in q.choices]
        if not q.required:
            options.append(self.q.Choice("(不填)", value=""))
        if can_back:
            options.append(self.q.Choice("← 返回上一题", value=_BACK))
        chosen = _ask(
            self.q.select(
                f"{q.label}:",
                choices=options,
                default=default if default in q.choices else None,
                instruction=SELECT_HINT,
            )
        )
        if chosen == _BACK:
            raise Back
        return chosen

    def _strings(
        self,
        q: Question,
        default: Any,
        can_back: bool,
        label: str = "",
        top: bool = True,
        resume: bool = False,
    ) -> list[str]:
        """One prompt per item, each saved as typed (`top`: the question itself, not a record's
        field); `<` alone goes back to the previous item (or, at the first, to the previous question)."""
        items: list[str] = []
        if isinstance(default, list) and default and all(isinstance(x, str) for x in default):
            if resume:
                items = list(default)
            else:
                action, items = self.lists.manage(q, list(default), can_back)
                if action == "keep":
                    return items
                if action == "redo":
                    items = []

        def check(text: str) -> Any:
            if not text.strip():
                short = q.required and len(items) < max(q.min_items, 1)
                return f"至少 {max(q.min_items, 1)} 项,请继续填写" if short else True
            if text.strip() in BACK_WORDS:
                return True if items or can_back else NAVIGATION
            try:
                tidy(q, [*items, text], self.words)
            except InvalidValue as exc:
                return exc.message
            return True

        again = ""
        while q.max_items is None or len(items) < q.max_items:
            prompt = f"{label}第 {len(items) + 1} 项(直接回车结束):"
            text = _ask(self.q.text(prompt, default=again, validate=check))
            again = ""
            if not text.strip():
                break
            if text.strip() in BACK_WORDS:
                if not items:
                    raise Back
                again = items.pop()  # the previous item again, to change
                continue
            items.append(text)
            if top:
                self.keep(items)
        return items

    def record(
        self,
        q: Question,
        default: dict[str, Any] | None,
        back: bool,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, str] | None = None,
        *,
        keep: Callable[[dict[str, Any]], None] = lambda _record: None,
        start: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One record, field by field (defaults from `default` when editing one). A field whose
        `when` does not hold for the fields typed before it is not asked; `refs` are last year's
        values of fields a carried record left empty, shown beside them. `start`: the fields of a
        record left mid-way (or a carried row), kept, asking only the fields it lacks. `keep` gets
        the record after each field.
        `<` alone goes back to the previous field (at the first: to the previous question)."""
        record: dict[str, Any] = dict(start or {})
        asked: list[int] = []
        self.doubted = set()  # the percent questions asked of this record
        n = 0
        while n < len(q.fields):
            f = q.fields[n]
            if not carry.applies(f, record):
                record.pop(f.id, None)
                n += 1
                continue
            if start and f.id in start:
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
                value = self._field(q, f, old, record, suggest, back and not asked, bool(asked))
            except Back:
                if not asked:
                    raise
                n = asked.pop()
                start = None
                continue
            if isinstance(value, str) and f.type in ("number", "integer"):
                value, notes = tidy(f, value, self.words)  # '十分' -> 10, said at once
                for note in notes:
                    self.console.print(f"[green]✓[/] [dim]{ui.escape(f.label)}:{ui.escape(note)}[/]")
            record[f.id] = value
            self._row_after(f, record)
            keep(record)
            asked.append(n)
            n += 1
        return record

    def _field(
        self,
        q: Question,
        f: Question,
        old: Any,
        record: dict[str, Any],
        suggest: dict[str, tuple[str, list[str]]],
        to_question: bool,
        to_field: bool,
    ) -> Any:
        """One field of a record: a list, a name from a list, a choice (二级 following 一级), a value."""
        if f.type == "strings":
            return self._strings(f, old, to_question or to_field, label=f"{f.label} ", top=False)
        if f.id in suggest:
            return self._picked(f, old, suggest[f.id])
        if self.rows is not None and f.id == self.rows.fields.level2 and f.type == "choice":
            allowed = self.rows.level2_choices(record)
            if allowed:
                f = f.model_copy(update={"choices": [c for c in f.choices if c in allowed] or allowed})
        return self._scalar(f, old, to_question or to_field)

    def _row_wants(self, f: Question, record: dict[str, Any], old: Any) -> Question | None:
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

    def _row_after(self, f: Question, record: dict[str, Any]) -> None:
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

    def _picked(self, f: Question, default: Any, names: tuple[str, list[str]]) -> str:
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
        default: Any,
        can_back: bool,
        suggest: dict[str, tuple[str, list[str]]],
        refs: dict[str, dict[str, str]] | None = None,
        resume: bool = False,
        resume_item: int | None = None,
    ) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        partial: dict[str, Any] | None = None
        if isinstance(default, list) and default and all(isinstance(r, dict) for r in default):
            if resume:  # left mid-way: on from the last row's first missing field
                records = list(default)
                if resume_item is not None and resume_item == len(records):
                    partial = records.pop()
            else:
                action, records = self.lists.manage(q, list(default), can_back, suggest, refs)
                if action == "keep":
                    return records
                if action == "redo":
                    records = []
        while q.max_items is None or len(records) < q.max_items:
            self.console.print(f"[bold]{ui.escape(q.label)} 第 {len(records) + 1} 项[/]")
            done = list(records)
            self.others = done
            record = self.record(
                q,
                None,
                can_back and not records,
                suggest,
                keep=lambda r, done=done: self.keep([*done, r], len(done) + 1),  # type: ignore[misc]
                start=partial,
            )
            partial = None
            records.append(record)
            self.keep(records)
            if self.rows is not None:
                self.console.print(f"[cyan]各组分值合计:{ui.escape(self.rows.totals(records))}[/]")
            if len(records) >= q.min_items and not self.confirm("再添加一项?", default=False):
                break
        return records

