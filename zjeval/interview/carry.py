"""Last year's answer inside a records answer (`new --from`): what each field's carry policy keeps.

A records question with `carry: default` offers last year's records again. Its fields say, each
for itself, what of last year is this year's: a field without `carry` (or with `default`) is kept,
`carry: never` is cleared, `carry: reference` is cleared and last year's value is shown beside the
field when the record is edited ("上年实际完成值:42个"), as the field's `reference` template says.
A question with `carry_calc` is offered a figure worked out from last year's answers instead
(上年结转资金 = 上年全年预算数 − 全年执行数): a suggestion to confirm, with how it was worked out;
nothing when a figure it needs is missing or the result is negative.
Also here: whether a record field applies to a record (its `when` names an earlier field). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from zjeval.answers.formatting import format_value
from zjeval.answers.kinds import FieldValue, Value
from zjeval.answers.model import Answers
from zjeval.answers.values import InvalidValue, is_empty, validate
from zjeval.form import template
from zjeval.form.formulas import operand_expr
from zjeval.form.models import Question

CLEARED = frozenset({"never", "reference"})

# A record while the interview holds it: field id -> what was typed (text, a list's items) or the
# value it already had (carried, resumed, or as written in the file); the whole answer is validated
# when it is kept. Read-only code takes any record as a Mapping (a validated Record is one too).
Draft = dict[str, object]


def cleared_fields(q: Question) -> list[Question]:
    """The fields of a records question that a carried record leaves empty."""
    return [f for f in q.fields if f.carry in CLEARED] if q.type == "records" else []


def carried(q: Question, value: Value) -> Value:
    """Last year's answer as this year's default: records without their cleared fields."""
    cleared = {f.id for f in cleared_fields(q)}
    if not cleared or not isinstance(value, list):
        return value
    rows = [{k: v for k, v in row.items() if k not in cleared} for row in value if isinstance(row, dict)]
    return [row for row in rows if row] or None


@dataclass(frozen=True)
class Worked:
    """A carry_calc worked out: the suggestion (None: none to offer) and how it came about."""

    value: Value  # a figure, or None
    how: str  # "年度资金总额—全年预算数 1820.00万元 − 年度资金总额—全年执行数 1773.80万元 = 46.20万元"


def worked_out(q: Question, questions: Mapping[str, Question], last: Answers) -> Worked | None:
    """q's carry_calc over last year's answers (None when q has none)."""
    calc = q.carry_calc
    if calc is None:
        return None
    figures: dict[str, Decimal | str | bool | None] = {}
    missing: list[str] = []
    for qid in dict.fromkeys([*calc.add, *calc.sub]):
        value = last.get(qid)
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            figures[qid] = Decimal(value)
        else:
            missing.append(questions[qid].short_label)
    if missing:
        return Worked(None, f"上年未填写{'、'.join(missing)},无法推算,不预填")

    def term(qid: str) -> str:
        return f"{questions[qid].short_label} {format_value(questions[qid], figures[qid])}"

    text = " + ".join(term(qid) for qid in calc.add) + "".join(f" − {term(qid)}" for qid in calc.sub)
    result = operand_expr(calc).eval(figures)
    if not isinstance(result, Decimal):  # a sum of figures is a figure
        return Worked(None, f"{text}:无法推算,不预填")
    shown = format_value(q, result).replace("-", "−")
    if result < 0:
        return Worked(None, f"{text} = {shown},为负数,不预填")
    try:
        value = validate(q, result)
    except InvalidValue as exc:
        return Worked(None, f"{text} = {shown}:{exc.message},不预填")
    return Worked(value, f"{text} = {shown}")


def title(q: Question, item: object) -> str:
    """The record's title (its title_field, else its first field), as lists show it."""
    if isinstance(item, dict):
        return str(item.get(q.title_field or q.fields[0].id, ""))
    return str(item)


def shown(q: Question, record: Mapping[str, FieldValue], f: Question) -> str:
    """A field's value in a record as the reference shows it (its `reference` template, else the value)."""

    def lookup(name: str, _flt: str | None) -> str | None:
        value = record.get(name)
        return None if is_empty(value) else format_value(q.field(name), value)

    if f.reference:
        return template.expand(f.reference, lookup).strip()
    return lookup(f.id, None) or ""


def references(q: Question, last: Value) -> dict[str, dict[str, str]]:
    """For each of last year's records, by title: field id -> '上年实际完成值:42个' for the
    fields shown as reference (only where last year had a value)."""
    fields = [f for f in q.fields if f.carry == "reference"] if q.type == "records" else []
    out: dict[str, dict[str, str]] = {}
    for record in last if fields and isinstance(last, list) else []:
        if not isinstance(record, dict):
            continue
        refs = {
            f.id: f"上年{f.label}:{shown(q, record, f)}" for f in fields if not is_empty(record.get(f.id))
        }
        if refs:
            out.setdefault(title(q, record), refs)
    return out


def applies(f: Question, record: Mapping[str, object]) -> bool:
    """Whether a record field applies, its `when` judged on the record's fields (as typed so far)."""
    return f.when is None or f.when.holds_for(record.get(f.when.field))
