"""Form + Answers -> Report: the document's structure and words, numbered, but not formatted.

Every renderer (text now; Markdown, DOCX later) walks the same Report, so numbering, the
notice citation and the figures cannot differ between formats. Pure: no clock, no disk.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zjeval.answers.model import Answers, holds
from zjeval.answers.values import Value, format_date, format_value, is_empty
from zjeval.assess import scoring
from zjeval.assess.scoring import Scorecard
from zjeval.form import numbering
from zjeval.form import template as tpl
from zjeval.form.models import (
    NUMBER_TYPES,
    Block,
    FieldBlock,
    Form,
    ListBlock,
    Question,
    Section,
    TextBlock,
)

GAP = "【待填写】"
UNIT_SUFFIX = re.compile(r"\((万元|人|项|%)\)$")  # the unit a figure's label ends with


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Item:
    """A list item: its number ('1.' or '（1）', or '' when unnumbered), text and sub-items."""

    label: str
    text: str
    children: tuple[Item, ...] = ()


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    kind: str = "data"  # data | group (a heading row) | subtotal | total


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Attachment:
    """附件N: a titled table on its own page."""

    number: int
    name: str  # 数据表, 评分表
    title: str  # the full title printed above the table
    table: Table


Content = Paragraph | ItemList
Scope = tuple[dict[str, Value], dict[str, Question]]  # a record and its fields' questions


@dataclass(frozen=True)
class SectionNode:
    label: str  # '一、' or '（一）' ('' for an unnumbered section)
    title: str
    level: int  # 0 for 一、, 1 for （一）
    content: tuple[Content, ...] = ()
    sections: tuple[SectionNode, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}"


@dataclass(frozen=True)
class Report:
    title: str
    lead: tuple[Paragraph, ...]
    sections: tuple[SectionNode, ...]
    signature_unit: str
    signature_date: str
    year: int
    date: dt.date | None = None  # the 成文日期, for document metadata (renderers never read the clock)
    draft: bool = False
    gaps: int = 0  # how many 【待填写】 marks a draft carries
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    # the 评分表's grade bands (name, inclusive lower bound), highest first; empty without a framework
    grades: tuple[tuple[str, Decimal], ...] = ()


class _Builder:
    def __init__(self, form: Form, answers: Answers, draft: bool) -> None:
        self.form = form
        self.answers = answers
        self.draft = draft
        self.questions = form.questions()
        self.gaps = 0
        self.card: Scorecard | None = None
        if form.scoring is not None:
            self.card = scoring.score(form.scoring, self.questions, answers)

    # ------------------------------------------------------------ values

    def gap(self) -> str:
        self.gaps += 1
        return GAP

    def lookup(self, name: str, flt: str | None, scope: Scope | None) -> str | None:
        """The text of one template field, or None when it has no answer."""
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
        return format_value(q, value)

    def score_text(self, name: str) -> str | None:
        card = self.card
        if card is None or card.total is None:
            return None
        if name == "score":
            return str(card.total)
        if name == "grade":
            return card.grade
        return "，".join(
            f"{t.name.removesuffix('指标')}指标得分{t.score}分（满分{scoring.num(t.weight)}分）"
            for t in card.subtotals
        )

    def expand(self, template: str, scope: Scope | None = None) -> str:
        """Fill a template; an optional [[…]] part is dropped when any answer in it is missing."""
        return tpl.expand(template, lambda name, flt: self.lookup(name, flt, scope), self.gap)

    # ------------------------------------------------------------ blocks

    def items(self, values: list[str], level: int) -> tuple[Item, ...]:
        return tuple(Item(numbering.label(level, i), text) for i, text in enumerate(values, 1))

    def block(self, block: Block, level: int) -> list[Content]:
        if not holds(block.when, self.answers):
            return []
        if isinstance(block, TextBlock):
            return [Paragraph(self.expand(block.text).strip())]
        if isinstance(block, FieldBlock):
            return self.field(self.questions[block.field], level)
        assert isinstance(block, ListBlock)
        q = self.questions[block.list]
        records: list[dict[str, Value]] = self.answers.get(q.id) or []
        if not records:
            return [Paragraph(self.gap())] if q.required else []
        fields = {f.id: f for f in q.fields}
        out: list[Item] = []
        for i, record in enumerate(records, 1):
            text = self.expand(block.item, (record, fields))
            subs = record.get(block.sub, []) if block.sub else []
            out.append(
                Item(
                    numbering.label(level, i) if block.numbered else "",
                    text,
                    self.items(subs, level + 1),
                )
            )
        return [ItemList(tuple(out))]

    def field(self, q: Question, level: int) -> list[Content]:
        value: Any = self.answers.get(q.id)
        if is_empty(value):
            return [Paragraph(self.gap())] if q.required else []
        if q.type == "paragraphs":
            return [Paragraph(line) for line in value.split("\n")]
        if q.type == "strings":
            return [ItemList(self.items(value, level))]
        if q.type == "records":
            key = q.title_field or q.fields[0].id
            return [ItemList(self.items([str(r.get(key, "")) for r in value], level))]
        return [Paragraph(format_value(q, value))]

    def _has_answers(self, section: Section) -> bool:
        return any(self.answers.answered(q.id) for q in section.questions)

    def section(self, section: Section, labels: dict[str, tuple[int, str]]) -> SectionNode:
        depth, label = labels[section.id]
        content: list[Content] = []
        for block in section.blocks:
            content.extend(self.block(block, depth + 1))
        return SectionNode(
            label=label,
            title=section.title,
            level=depth,
            content=tuple(content),
            sections=tuple(self.section(child, labels) for child in section.sections),
        )

    def build(self) -> Report:
        labels = numbering.section_labels(self.form)
        title = self.expand(self.form.title)
        lead: list[Paragraph] = []
        for block in self.form.lead:
            lead.extend(c for c in self.block(block, 0) if isinstance(c, Paragraph))
        # An unnumbered section with blocks (e.g. what an import could not place) shows in drafts only.
        sections = tuple(
            self.section(s, labels)
            for s in self.form.sections
            if s.numbered or (self.draft and s.blocks and self._has_answers(s))
        )
        attachments = self.attachments(title)
        unit = self.answers.get(self.form.signature.unit)
        date = self.answers.get(self.form.signature.date)
        return Report(
            title=title,
            lead=tuple(lead),
            sections=sections,
            signature_unit=unit if unit else self.gap(),
            signature_date=format_date(date) if date else self.gap(),
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

    def attachments(self, title: str) -> tuple[Attachment, ...]:
        makers = {"数据表": self.data_table, "评分表": self.score_table}
        out = []
        for n, name in enumerate(self.form.attachments, 1):
            table = makers[name]() if name in makers else None
            if table is not None:
                out.append(Attachment(n, name, f"{title.removesuffix('报告')}{name}", table))
        return tuple(out)

    def data_table(self) -> Table:
        """Every figure the form asks for, grouped by section, with its unit."""
        rows: list[Row] = []
        current = None
        for chain, q in self.form.walk():
            if q.type not in NUMBER_TYPES or any(c.generated for c in chain):
                continue
            if chain[-1].title != current:
                current = chain[-1].title
                rows.append(Row((current, "", ""), "group"))
            m = UNIT_SUFFIX.search(q.label)
            label = q.label[: m.start()] if m else q.label
            unit = m[1] if m else ("万元" if q.type == "money" else "")
            value = self.answers.get(q.id)
            if value is None:
                text = "0" if not q.required else self.gap()
            else:
                text = format(value, "f") if not isinstance(value, int) else str(value)
            rows.append(Row((label, unit, text)))
        return Table(("项目", "单位", "数值"), tuple(rows), numeric=(2,))

    def score_table(self) -> Table | None:
        card = self.card
        if card is None:
            return None
        rows: list[Row] = []
        for sub in card.subtotals:
            for item in (i for i in card.items if i.indicator.level1 == sub.name):
                ind = item.indicator
                score = self.gap() if item.score is None else str(item.score)
                reason = item.reason
                if item.overridden:
                    score += "(调整)"
                    reason = (
                        f"由计算得分{item.computed}调整:{reason}" if item.computed is not None else reason
                    )
                value = self.gap() if item.value_text == scoring.PENDING else item.value_text
                rows.append(
                    Row((ind.level1, ind.level2, ind.name, scoring.num(ind.weight), value, score, reason))
                )
            subtotal = self.gap() if sub.score is None else str(sub.score)
            rows.append(
                Row((f"{sub.name}小计", "", "", scoring.num(sub.weight), "", subtotal, ""), "subtotal")
            )
        total = self.gap() if card.total is None else str(card.total)
        grade = f"等级:{card.grade}" if card.grade else ""
        rows.append(Row(("合计", "", "", scoring.num(card.framework.total), "", total, grade), "total"))
        return Table(
            ("一级指标", "二级指标", "三级指标", "权重", "指标值", "得分", "扣分原因"),
            tuple(rows),
            numeric=(3, 4, 5),
        )


def build(form: Form, answers: Answers, draft: bool = False) -> Report:
    """The report for these answers; gaps read 【待填写】 (callers refuse gaps unless drafting)."""
    return _Builder(form, answers, draft).build()
