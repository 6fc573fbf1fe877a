"""Terminal primitives of the interview (prompt_toolkit, imported only when a prompt is shown):
the long-text `editor` and the 是/否 question `yes_no`; `ask` turns a cancelled questionary prompt
into KeyboardInterrupt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from zjeval import ui
from zjeval.answers.formatting import format_date
from zjeval.form.models import Question

if TYPE_CHECKING:  # imported at run time only when a prompt is shown
    from prompt_toolkit.document import Document
    from prompt_toolkit.key_binding import KeyPressEvent
    from questionary import Question as Prompt


def as_text(question: Question, value: object) -> str:
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


def ask(prompt: Prompt) -> str:
    """Run a questionary text or select prompt (whose choices' values are text); Ctrl-C (or a
    cancelled prompt) is KeyboardInterrupt."""
    answer = prompt.unsafe_ask()
    if answer is None:
        raise KeyboardInterrupt
    if not isinstance(answer, str):  # pragma: no cover - our prompts give text
        raise TypeError(f"a prompt answered {type(answer).__name__}")
    return answer


def editor(
    message: str,
    default: str = "",
    validate: Callable[[str], bool | str] = lambda _: True,
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
        def validate(self, document: Document) -> None:
            result = validate(document.text)
            if result is not True:
                raise ValidationError(message=str(result), cursor_position=len(document.text))

    keys = KeyBindings()
    if multiline:

        @keys.add("enter")
        def _finish(event: KeyPressEvent) -> None:
            event.current_buffer.validate_and_handle()

        @keys.add("c-j")
        def _newline(event: KeyPressEvent) -> None:
            event.current_buffer.insert_text("\n")

    session: PromptSession[str] = PromptSession(
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

    def done(event: KeyPressEvent, answer: bool) -> None:
        event.app.exit(result=answer)

    for key, answer in (("y", True), ("Y", True), ("n", False), ("N", False)):
        keys.add(key, eager=True)(lambda event, answer=answer: done(event, answer))
    keys.add("enter", eager=True)(lambda event: done(event, default))
    keys.add("<any>")(lambda event: None)  # other keys type nothing
    keys.add("c-c", eager=True)(lambda event: event.app.exit(exception=KeyboardInterrupt))
    keys.add("c-d", eager=True)(lambda event: event.app.exit(exception=KeyboardInterrupt))
    hint = "(是 y / 否 n,回车为「是」)" if default else "(是 y / 否 n,回车为「否」)"
    session: PromptSession[bool] = PromptSession(
        FormattedText([("class:qmark", "? "), ("bold", message), ("", " "), ("fg:ansibrightblack", hint)]),
        key_bindings=keys,
    )
    answer = bool(session.prompt())
    ui.out().print(f"[dim]  → {'是' if answer else '否'}[/]")
    return answer
