"""What an attachment's table builders read from the report being built: the form, the answers,
the scorecard, and a way to mark a gap. A Protocol below the builder, so the table modules need not
import the builder that calls them (no cycle)."""

from __future__ import annotations

from typing import Protocol

from zjeval.answers.kinds import Record
from zjeval.answers.model import Answers
from zjeval.assess.scoring import Scorecard
from zjeval.form.models import Attachment as FormAttachment
from zjeval.form.models import Form
from zjeval.form.question import Question
from zjeval.report.model import Gap

Scope = tuple[Record, dict[str, Question]]  # a record and its fields' questions


class Context(Protocol):
    """The builder as its table builders see it."""

    form: Form
    answers: Answers
    questions: dict[str, Question]
    card: Scorecard | None
    attachment_spec: FormAttachment | None  # the form's entry of the attachment being built

    def gap(self, what: str = "") -> Gap: ...

    def lookup(self, name: str, flt: str | None, scope: Scope | None) -> str | None: ...
