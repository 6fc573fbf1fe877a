"""The terminal side of the interview: QuestionaryAsker asks a Step with questionary.

Every prompt validates as the user types Enter, with the same `judge` the interview engine
uses, so a bad value is refused on the spot with the Chinese message and asked again.
questionary is imported here only, and only when a prompt is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zjeval import ui
from zjeval.answers.values import InvalidValue, format_date
from zjeval.form.models import Question
from zjeval.interview.engine import Back, Step, judge

BACK_WORDS = ("<", "＜")
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
SELECT_HINT = "(用上下方向键选择,回车确认)"
MULTILINE_HINT = "(每段一行,回车换段;写完按 Esc 再按 Enter,或按 Alt+Enter 结束)"


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


def _validator(question: Question, can_back: bool) -> Callable[[str], Any]:
    def check(text: str) -> Any:
        if can_back and text.strip() in BACK_WORDS:
            return True
        try:
            judge(question, text)
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


class QuestionaryAsker:
    """The Asker for a real terminal."""

    def __init__(self) -> None:
        import questionary

        self.q = questionary
        self.console = ui.out()

    # ------------------------------------------------------------ Asker protocol

    def show(self, markup: Any) -> None:
        self.console.print(markup)

    def confirm(self, message: str, default: bool = True) -> bool:
        return bool(_ask(self.q.confirm(message, default=default)))

    def choose(self, message: str, choices: list[tuple[str, str]], default: str | None = None) -> str:
        options = [self.q.Choice(title, value=value) for value, title in choices]
        return str(_ask(self.q.select(message, choices=options, default=default, instruction=SELECT_HINT)))

    def ask(self, step: Step) -> Any:
        self._header(step)
        q = step.question
        if q.type == "strings":
            return self._strings(q, step.default, step.can_back)
        if q.type == "records":
            return self._records(q, step.default, step.can_back)
        return self._scalar(q, step.default, step.can_back)

    # ------------------------------------------------------------ pieces

    def _header(self, step: Step) -> None:
        q, esc = step.question, ui.escape
        self.console.print()
        if step.intro:
            self.console.print(f"[cyan]{esc(step.intro)}[/]")
        where = step.heading + (f" / {step.subheading}" if step.subheading else "")
        self.console.print(f"[bold blue]{esc(where)}[/]  [blue]{step.progress}[/]")
        self.console.print(f"[bold]{esc(q.label)}[/]" + ("" if q.required else " [dim](可选)[/]"))
        self._notes(q)
        if step.reference:
            self.console.print(f"[magenta]上年:{esc(step.reference)}[/]")
        if step.can_back:
            self.console.print("[dim]只输入 < 即返回上一题。[/]")
        if step.error:
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
            self.console.print("[dim]没有的可以直接回车跳过。[/]")

    def _scalar(self, q: Question, default: Any, can_back: bool) -> Any:
        if q.type == "choice":
            return self._choice(q, default, can_back)
        text = _ask(
            self.q.text(
                f"{q.label}:",
                default=as_text(q, default),
                validate=_validator(q, can_back),
                multiline=q.type == "paragraphs",
                instruction=MULTILINE_HINT if q.type == "paragraphs" else None,
            )
        )
        if can_back and text.strip() in BACK_WORDS:
            raise Back
        return text

    def _choice(self, q: Question, default: Any, can_back: bool) -> Any:
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

    def _keep(self, what: str, lines: list[str], can_back: bool) -> str:
        """For a list that has items already: keep, append or re-enter."""
        self.console.print(f"[dim]现有 {len(lines)} 项:[/]")
        for i, line in enumerate(lines, 1):
            self.console.print(f"  {i}. {ui.escape(line)}")
        options = [("keep", "保留,不修改"), ("append", f"保留并继续添加{what}"), ("redo", "全部重新填写")]
        if can_back:
            options.append((_BACK, "← 返回上一题"))
        action = self.choose("如何处理?", options, default="keep")
        if action == _BACK:
            raise Back
        return action

    def _strings(self, q: Question, default: Any, can_back: bool, label: str = "") -> list[str]:
        items: list[str] = []
        if isinstance(default, list) and default and all(isinstance(x, str) for x in default):
            action = self._keep("条目", default, can_back)
            if action == "keep":
                return list(default)
            if action == "append":
                items = list(default)

        def check(text: str) -> Any:
            if not text.strip():
                short = q.required and len(items) < max(q.min_items, 1)
                return f"至少 {max(q.min_items, 1)} 项,请继续填写" if short else True
            return True

        while q.max_items is None or len(items) < q.max_items:
            text = _ask(self.q.text(f"{label}第 {len(items) + 1} 项(直接回车结束):", validate=check))
            if not text.strip():
                break
            if can_back and not items and text.strip() in BACK_WORDS:
                raise Back
            items.append(text)
        return items

    def _records(self, q: Question, default: Any, can_back: bool) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        key = q.title_field or q.fields[0].id
        if isinstance(default, list) and default and all(isinstance(r, dict) for r in default):
            action = self._keep("", [as_text(q.field(key), r.get(key)) for r in default], can_back)
            if action == "keep":
                return list(default)
            if action == "append":
                records = list(default)
        while q.max_items is None or len(records) < q.max_items:
            self.console.print(f"[bold]{ui.escape(q.label)} 第 {len(records) + 1} 项[/]")
            record: dict[str, Any] = {}
            for n, f in enumerate(q.fields):
                back = can_back and not records and n == 0
                self._notes(f)
                if f.type == "strings":
                    record[f.id] = self._strings(f, None, False, label=f"{f.label} ")
                else:
                    record[f.id] = self._scalar(f, None, back)
            records.append(record)
            if len(records) >= q.min_items and not self.confirm("再添加一项?", default=False):
                break
        return records
