"""Form + Answers -> Report: the document's structure, words and figures, numbered, not formatted.

Every renderer walks the same Report, so numbering, the notice citation and the figures cannot
differ between formats. The form's own words (templates, labels, the scorecard's reasons) are set
with full-width Chinese punctuation here; what the user typed is printed as typed. Pure: no
clock, no disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

from zjeval.answers.formatting import format_date, format_value
from zjeval.answers.kinds import FieldValue, as_strings
from zjeval.answers.model import Answers, holds
from zjeval.answers.parsing import Value
from zjeval.answers.values import is_empty
from zjeval.assess import scoring
from zjeval.assess.scoring import Scorecard
from zjeval.form import numbering
from zjeval.form import template as tpl
from zjeval.form.models import Attachment as FormAttachment
from zjeval.form.models import Block, FieldBlock, Form, ListBlock, Question, Section, TextBlock
from zjeval.report import clean, titles
from zjeval.report.context import Scope
from zjeval.report.model import (
    GAP,
    Attachment,
    Cell,
    Content,
    Figure,
    Gap,
    Item,
    ItemList,
    Num,
    Paragraph,
    Report,
    Row,
    Scored,
    SectionNode,
    Table,
)
from zjeval.report.tables import ATTACHMENT_KINDS, UNIT_SUFFIX
from zjeval.report.typeset import end_sentence, fullwidth, fullwidth_template, show

__all__ = [
    "GAP",
    "UNIT_SUFFIX",
    "Attachment",
    "Cell",
    "Content",
    "Figure",
    "Gap",
    "Item",
    "ItemList",
    "Num",
    "Paragraph",
    "Report",
    "Row",
    "Scored",
    "SectionNode",
    "Table",
    "build",
]

_FIELD_ONLY = re.compile(r"^\{[a-z_][a-z0-9_]*(?:\|[a-z]+)?\}$")


class Builder:
    def __init__(self, form: Form, answers: Answers, draft: bool, card: Scorecard | None = None) -> None:
        self.form = form
        self.answers = answers
        self.draft = draft
        self.questions = form.questions()
        self.gaps = 0
        self.card: Scorecard | None = card
        self.attachment_spec: FormAttachment | None = None  # the form's entry of the attachment being built
        if form.scoring is not None and card is None:
            self.card = scoring.score(form.scoring, self.questions, answers)

    # ------------------------------------------------------------ values

    def gap(self, what: str = "") -> Gap:
        self.gaps += 1
        return Gap(what)

    def gap_text(self) -> str:
        return str(self.gap())

    def lookup(self, name: str, flt: str | None, scope: Scope | None) -> str | None:
        """The text of one template field, or None when it has no answer."""
        value: Value | FieldValue
        if scope is not None and name in scope[1]:
            q, value = scope[1][name], scope[0].get(name)
        elif name == "year":
            return str(self.answers.year)
        elif name in ("score", "grade", "subtotals"):
            return self.score_text(name)
        else:
            q, value = self.questions[name], self.answers.get(name)
            value = q.default if is_empty(value) and not q.required else value  # e.g. 我单位
        if is_empty(value):
            return None
        if flt == "count" and isinstance(value, list):
            return str(len(value))
        return self.value_text(q, value)

    def value_text(self, q: Question, value: Value | FieldValue) -> str:
        """An answer in running text; figures in the one format of their kind (2 decimals …)."""
        return format_value(q, value)

    def score_text(self, name: str) -> str | None:
        card = self.card
        if card is None or card.total is None:
            return None
        if name == "score":
            return show(card.total, "score")
        if name == "grade":
            return card.grade
        return "，".join(
            f"{t.name.removesuffix('指标')}指标得分{show(t.score, 'score')}分"
            f"（满分{show(t.weight, 'weight')}分）"
            for t in card.subtotals
            if t.score is not None
        )

    def expand(self, template: str, scope: Scope | None = None) -> str:
        """Fill a template; an optional [[…]] part is dropped when any answer in it is missing."""
        words = fullwidth_template(template)
        return tpl.expand(words, lambda name, flt: self.lookup(name, flt, scope), self.gap_text)

    def title_lines(self, template: str) -> tuple[str, ...]:
        """A title template's text broken into lines between words (answers kept whole)."""
        pieces = []
        for part in re.split(r"(\{[^{}]*\})", fullwidth_template(template)):
            if part:
                pieces.append(titles.Piece(self.expand(part), breakable=not _FIELD_ONLY.match(part)))
        return titles.break_lines(pieces, self.form.title_breaks)

    # ------------------------------------------------------------ blocks

    def items(self, values: list[str], level: int) -> tuple[Item, ...]:
        return tuple(Item(numbering.label(level, i), text) for i, text in enumerate(values, 1))

    def block(self, block: Block, level: int) -> list[Content]:
        if not holds(block.when, self.answers):
            return []
        if isinstance(block, TextBlock):
            return [Paragraph(end_sentence(self.expand(block.text).strip(), block.text))]
        if isinstance(block, FieldBlock):
            return self.field(self.questions[block.field], level)
        assert isinstance(block, ListBlock)
        q = self.questions[block.list]
        records = self.answers.records(q.id)
        if not records:
            return [Paragraph(self.gap_text())] if q.required else []
        fields = {f.id: f for f in q.fields}
        out: list[Item] = []
        for i, record in enumerate(records, 1):
            text = end_sentence(self.expand(block.item, (record, fields)), block.item)
            subs = as_strings(record.get(block.sub)) if block.sub else []
            out.append(
                Item(
                    numbering.label(level, i) if block.numbered else "",
                    text,
                    self.items(subs, level + 1),
                )
            )
        return [ItemList(tuple(out))]

    def field(self, q: Question, level: int) -> list[Content]:
        value = self.answers.get(q.id)
        if is_empty(value):
            return [Paragraph(self.gap_text())] if q.required else []
        if q.type == "paragraphs" and isinstance(value, str):
            return [Paragraph(line) for line in value.split("\n")]
        if q.type == "strings" and isinstance(value, list):
            return [ItemList(self.items([str(x) for x in value], level))]
        if q.type == "records" and isinstance(value, list):
            key = q.title_field or q.fields[0].id
            rows = [r for r in value if isinstance(r, dict)]
            return [ItemList(self.items([str(r.get(key, "")) for r in rows], level))]
        return [Paragraph(self.value_text(q, value))]

    def _has_answers(self, section: Section) -> bool:
        return any(self.answers.answered(q.id) for q in section.questions)

    def section(self, section: Section, labels: dict[str, tuple[int, str]]) -> SectionNode:
        depth, label = labels[section.id]
        content: list[Content] = []
        for block in section.blocks:
            content.extend(self.block(block, depth + 1))
        return SectionNode(
            label=label,
            title=fullwidth(section.title),
            level=depth,
            content=tuple(content),
            sections=tuple(self.section(child, labels) for child in section.sections),
        )

    def build(self) -> Report:
        labels = numbering.section_labels(self.form)
        title = self.expand(self.form.title)
        title_lines = self.title_lines(self.form.title)
        lead: list[Paragraph] = []
        for block in self.form.lead:
            lead.extend(c for c in self.block(block, 0) if isinstance(c, Paragraph))
        # An unnumbered section with blocks (e.g. what an import could not place) shows in drafts only.
        sections = tuple(
            self.section(s, labels)
            for s in self.form.sections
            if s.numbered or (self.draft and s.blocks and self._has_answers(s))
        )
        attachments = self.attachments()
        unit = self.answers.text(self.form.signature.unit)
        date = self.answers.date(self.form.signature.date)
        return Report(
            title=title,
            title_lines=title_lines,
            lead=tuple(lead),
            sections=sections,
            signature_unit=unit if unit else self.gap_text(),
            signature_date=format_date(date) if date else self.gap_text(),
            seal=self.form.signature.seal,
            subject=self.form.subject,
            date=date if isinstance(date, dt.date) else None,
            grades=self.grades(),
            year=self.answers.year,
            draft=self.draft,
            gaps=self.gaps,
            attachments=attachments,
        )

    # ------------------------------------------------------------ attachments

    def grades(self) -> tuple[tuple[str, Decimal], ...]:
        if self.form.scoring is None:
            return ()
        bands = sorted(self.form.scoring.grades, key=lambda b: b.min, reverse=True)
        return tuple((b.name, b.min) for b in bands)

    def attachments(self) -> tuple[Attachment, ...]:
        """The form's attachments in order, numbered 1, 2, …; each built by its kind's builder."""
        out: list[Attachment] = []
        for spec in self.form.attachments:
            kind = ATTACHMENT_KINDS[spec.kind]
            self.attachment_spec = spec  # what the kind's builder may read of its form entry
            built = kind.build(self)
            if built is None:  # a scorecard without a framework: refused when the form loads
                continue
            tables = built if isinstance(built, tuple) else (built,)
            title = self.expand(spec.title)
            lines = self.title_lines(spec.title)
            out.append(Attachment(len(out) + 1, spec.kind, kind.name, title, tables[0], lines, tables[1:]))
        if len(out) == 1:  # GB/T 9704 7.3.4: only several attachments are numbered
            out[0] = dataclasses.replace(out[0], numbered=False)
        return tuple(out)


def build(form: Form, answers: Answers, draft: bool = False, card: Scorecard | None = None) -> Report:
    """The report for these answers; gaps read 【待填写】 (callers refuse gaps unless drafting).

    The one way from answers to a Report: cleaned of control characters here (report.clean), so every
    format and every caller gets the same document.
    `card`: the scorecard of these answers when the caller has it already (a batch of projects)."""
    return clean.report(Builder(form, answers, draft, card).build())
