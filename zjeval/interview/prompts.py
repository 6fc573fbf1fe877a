"""The terminal side of the interview: QuestionaryAsker asks a Step with questionary/prompt_toolkit.

Every prompt validates as the user types Enter, with the same `accept` the interview engine
uses, so a bad value is refused on the spot with the Chinese message and asked again.
Long texts get their own editor (`editor`): the label above, the text on its own lines across
the whole width, Enter to finish (Enter on an empty optional answer skips it), Ctrl-J for a
new paragraph. Key hints are shown once a session. questionary and prompt_toolkit are imported
here only, and only when a prompt is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from zjeval import ui
from zjeval.answers.tidy import tidy
from zjeval.answers.values import InvalidValue
from zjeval.form.models import Question
from zjeval.interview.carry import Draft
from zjeval.interview.engine import BACK_WORDS, NAVIGATION, Back, Step, accept
from zjeval.interview.lists import Item, ListEditor, strings_of
from zjeval.interview.records import RecordPrompts
from zjeval.interview.rows import RowHelp
from zjeval.interview.terminal import as_text, ask, editor, yes_no

if TYPE_CHECKING:
    from rich.console import RenderableType

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


def _validator(question: Question, can_back: bool, words: frozenset[str]) -> Callable[[str], bool | str]:
    def check(text: str) -> bool | str:
        if can_back and text.strip() in BACK_WORDS:
            return True
        try:
            accept(question, text, words)
        except InvalidValue as exc:
            return exc.message
        return True

    return check


class QuestionaryAsker(RecordPrompts):
    """The Asker for a real terminal."""

    def __init__(self) -> None:
        import questionary

        self.q = questionary
        self.console = ui.out()
        self.hinted: set[str] = set()
        self.words: frozenset[str] = frozenset()  # the current question's placeholder words
        self.lists = ListEditor(self)
        # save a list mid-way (Step.keep)
        self.keep: Callable[..., None] = lambda _items, _item=None, _field=None: None
        self.rows: RowHelp | None = None
        self.others: list[Draft] | None = None  # the rows entered before this one
        self.doubted: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ Asker protocol

    def show(self, markup: RenderableType) -> None:
        self.console.print(markup)

    def confirm(self, message: str, default: bool = True) -> bool:
        return yes_no(message, default)

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str:
        self.hint("select")
        options = [self.q.Choice(title, value=value) for value, title in choices]
        return str(ask(self.q.select(message, choices=options, default=default, instruction=SELECT_HINT)))

    def text(self, message: str, names: list[str]) -> str:
        self.hint("pick")
        return editor(f"{message}\n", multiline=False, names=names)

    def ask(self, step: Step) -> str | list[str] | list[Draft]:
        self.words, self.keep, self.rows = step.placeholders, step.keep, step.rows
        self.others = None
        self._header(step)
        q = step.question
        if q.type == "strings":
            return self._strings(q, step.default, step.can_back, resume=step.resume, save=self._keep_items)
        if q.type == "records":
            return self._records(
                q,
                step.default,
                step.can_back,
                step.suggest,
                step.item_refs,
                step.resume,
                step.resume_item,
                step.resume_field,
            )
        return self._scalar(q, step.default, step.can_back)

    # ------------------------------------------------------------ pieces

    def _keep_items(self, items: list[str]) -> None:
        """Save the question's own list as each item is typed."""
        self.keep(items, None, None)

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

    def _scalar(self, q: Question, default: object, can_back: bool, names: list[str] | None = None) -> str:
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
            text = ask(self.q.text(f"{q.label}:", default=as_text(q, default), validate=check))
        if can_back and text.strip() in BACK_WORDS:
            raise Back
        return text

    def _choice(self, q: Question, default: object, can_back: bool) -> str:
        self.hint("select")
        options = [self.q.Choice(c, value=c) for c in q.choices]
        if not q.required:
            options.append(self.q.Choice("(不填)", value=""))
        if can_back:
            options.append(self.q.Choice("← 返回上一题", value=_BACK))
        chosen = ask(
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
        default: object,
        can_back: bool,
        label: str = "",
        resume: bool = False,
        save: Callable[[list[str]], None] = lambda _items: None,
    ) -> list[str]:
        """One prompt per item, the items so far given to `save` as each is typed (the question's own
        list, or a record's list field); `resume`: go on after the items of `default` (left mid-way).
        `<` alone goes back to the previous item (or, at the first, to the previous question)."""
        items: list[str] = []
        if isinstance(default, list) and default and all(isinstance(x, str) for x in default):
            if resume:
                items = list(default)
                self.console.print(f"[dim]{ui.escape(label)}已填 {len(items)} 项:[/]")
                for i, item in enumerate(items, 1):
                    self.console.print(f"  [dim]{i}. {ui.escape(item)}[/]")
            else:
                given: list[Item] = list(default)
                action, edited = self.lists.manage(q, given, can_back, save=lambda x: save(strings_of(x)))
                items = strings_of(edited)
                if action == "keep":
                    return items
                if action == "redo":
                    items = []

        def check(text: str) -> bool | str:
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
            text = ask(self.q.text(prompt, default=again, validate=check))
            again = ""
            if not text.strip():
                break
            if text.strip() in BACK_WORDS:
                if not items:
                    raise Back
                again = items.pop()  # the previous item again, to change
                continue
            items.append(text)
            save(items)
        return items
