"""One submission understood once: its unit, scorecard, 执行率, indicator rows and texts. Pure.

Everything comes from the form's own data: the unit from its 落款 (`signature.unit`), the
title from its title template, the 执行率 from the indicator its 自评表 attachment scores the
funds with (or the profile's `execution_indicators`), the rows from its 评分表's rows spec.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from zjeval.answers.model import Answers
from zjeval.assess import scoring
from zjeval.form import numbering, template
from zjeval.form.models import Form, Question
from zjeval.form.target_rows import RowFields, RowResult
from zjeval.review.batch import STATED_SCORE, Submission

TEXT_TYPES = ("text", "paragraphs", "strings")


@dataclass(frozen=True)
class Text:
    """One piece of the unit's own words: where it is and what it says."""

    qid: str
    where: str  # section › label (› 第N项)
    label: str
    text: str
    type: str  # the question's type (or the record field's)
    default: bool  # the text is the form's own default, not the unit's words
    item: bool = False  # an item of a list, or a field of a record (not a whole answer)


@dataclass(frozen=True)
class Facts:
    sub: Submission
    form: Form
    answers: Answers
    unit: str
    title: str
    card: scoring.Scorecard | None  # with the unit's own overrides (None: the form has no 评分表)
    plain: scoring.Scorecard | None  # without the overrides that raise a score above the figures' own
    execution: Decimal | None  # 执行率, %
    stated: Decimal | None  # 自评得分 as the unit states it
    stated_where: str  # where it is stated ("" when it is the scorecard's total)
    texts: tuple[Text, ...]
    rows_label: str  # how the form names its indicator rows
    row_labels: RowFields | None = None  # holding each column's label in the form

    @property
    def file(self) -> str:
        return str(self.sub.path)

    @property
    def rows(self) -> tuple[RowResult, ...]:
        return tuple(self.card.rows) if self.card is not None else ()

    def row_items(self) -> list[scoring.IndicatorScore]:
        """The scorecard items of the rows (their scores, overrides applied)."""
        if self.card is None or not self.card.rows:
            return []
        return list(self.card.items[len(self.card.items) - len(self.card.rows) :])

    def row_where(self, row: RowResult) -> str:
        return f"{self.rows_label}第{row.index}行「{row.name}」"

    def prose(self) -> list[Text]:
        """The unit's own words outside its indicator rows (the rows' words are the table's)."""
        rows = self.card.framework.rows if self.card is not None else None
        question = rows.question if rows is not None else None
        return [t for t in self.texts if not t.default and t.qid != question]

    @cached_property
    def units(self) -> frozenset[str]:
        """The units this submission is filed for: its 落款's, and any its 自评表's header names
        (a project's 主管部门 and 实施单位)."""
        out = {self.unit}
        for att in self.form.attachments:
            for h in att.header:
                value = self.answers.get(h.field)
                if isinstance(value, str) and value.strip():
                    out.add(value.strip())
        return frozenset(out)

    def full_marks(self) -> Decimal:
        return Decimal(self.card.framework.total) if self.card is not None else Decimal(100)


def _texts(form: Form, answers: Answers) -> list[Text]:
    sections = numbering.question_sections(form, " › ")
    out: list[Text] = []
    for _, q in form.walk():
        value = answers.get(q.id)
        if value is None:
            continue
        where = f"{sections.get(q.id, '')} › {q.label}".strip(" ›")
        if q.type in ("text", "paragraphs") and isinstance(value, str):
            default = isinstance(q.default, str) and q.default.strip() == value.strip()
            out.append(Text(q.id, where, q.label, value, q.type, default))
        elif q.type == "strings" and isinstance(value, list):
            out.extend(
                Text(q.id, f"{where} › 第{i}项", q.label, str(v), q.type, False, True)
                for i, v in enumerate(value, 1)
            )
        elif q.type == "records" and isinstance(value, list):
            fields = {f.id: f for f in q.fields}
            for i, record in enumerate(value, 1):
                if not isinstance(record, dict):
                    continue
                for fid, v in record.items():
                    f = fields.get(fid)
                    if f is not None and f.type in TEXT_TYPES and isinstance(v, str) and v.strip():
                        at = f"{where} › 第{i}项 › {f.label}"
                        out.append(Text(q.id, at, f.label, v, f.type, False, True))
    return out


def _lookup(form: Form, answers: Answers) -> template.Lookup:
    questions = form.questions()

    def lookup(name: str, flt: str | None) -> str | None:
        if name == "year":
            return str(answers.year)
        value = answers.get(name)
        if value is None or name not in questions:
            return None
        return str(value)

    return lookup


def _execution(form: Form, card: scoring.Scorecard | None, indicators: list[str]) -> Decimal | None:
    if card is None:
        return None
    names = [a.funds.indicator for a in form.attachments if a.funds and a.funds.indicator] + indicators
    for name in names:
        for item in card.items:
            if item.indicator.id == name and item.value is not None:
                return Decimal(item.value)
    return None


def _raising(card: scoring.Scorecard) -> set[str]:
    """The indicators whose override gives more than the figures do (or a score they cannot give)."""
    return {
        i.indicator.id
        for i in card.items
        if i.overridden and i.score is not None and (i.computed is None or i.score > i.computed)
    }


def understand(sub: Submission, execution_indicators: list[str]) -> Facts:
    form, answers = sub.form, sub.answers
    assert form is not None and answers is not None
    questions: dict[str, Question] = form.questions()
    unit_value = answers.get(form.signature.unit)
    unit = str(unit_value).strip() if unit_value else sub.path.stem
    title = template.expand(form.title, _lookup(form, answers)).strip() or sub.path.stem
    card = plain = None
    if form.scoring is not None:
        card = scoring.score(form.scoring, questions, answers)
        raising = _raising(card)
        if raising:
            kept = {k: v for k, v in answers.overrides.items() if k not in raising}
            plain = scoring.score(form.scoring, questions, replace(answers, overrides=kept))
        else:
            plain = card
    texts = _texts(form, answers)
    stated, stated_where = (card.total if card is not None else None), ""
    said = [(t.text, t.where) for t in texts] + [(sub.stated, "报告正文")]
    for text, where in said:
        m = STATED_SCORE.search(text)
        if m:
            stated, stated_where = Decimal(m[1]), where
            break
    rows_label, row_labels = "", None
    if card is not None and card.framework.rows is not None:
        q = questions.get(card.framework.rows.question)
        rows_label = q.label if q is not None else ""
        row_labels = card.framework.rows.fields.labels(q) if q is not None else None
    return Facts(
        sub=sub,
        form=form,
        answers=answers,
        unit=unit,
        title=title,
        card=card,
        plain=plain,
        execution=_execution(form, card, execution_indicators),
        stated=stated,
        stated_where=stated_where,
        texts=tuple(texts),
        rows_label=rows_label,
        row_labels=row_labels,
    )
