"""Two years' answers -> what changed, section by section. Pure.

Figures get their change and percentage (新增 when last year's was zero), money always written
one way (万元, two decimals unless more were entered); a target form's indicator rows are compared
row by row (matched by indicator: both years' 指标值 and 实际完成值, and the change); lists say which items
came and went (joined with 、, without the items' own end punctuation); text says that it changed
and shows both, shortened. A question answered in one year only is not a change: it is listed
apart as 未填 (kind "unfilled"), so a half-filled year does not read as everything removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from zjeval.answers.formatting import format_value
from zjeval.answers.model import Answers
from zjeval.answers.parsing import Value
from zjeval.assess.scoring import NEW, pct, q2
from zjeval.form import numbering
from zjeval.form.models import NUMBER_TYPES, Form, Question
from zjeval.form.target_rows import Rows

Kind = Literal["added", "removed", "changed", "unfilled"]
END_PUNCTUATION = "。；;，,、.!！"
UNFILLED = "未填"
SHORT = 40


@dataclass(frozen=True)
class Change:
    section: str
    qid: str
    label: str
    kind: Kind
    old: str
    new: str
    delta: str = ""  # figures: the change with its sign and unit
    percent: str = ""  # figures: the change in % of last year's, or 新增

    def as_dict(self) -> dict[str, str]:
        return {
            "section": self.section,
            "id": self.qid,
            "label": self.label,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "percent": self.percent,
        }


def short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHORT else text[:SHORT] + "…"


def money(value: Decimal) -> str:
    """万元 with two decimals (more only when more were entered): one way in every diff line."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return format(value, "f")
    return format(value.quantize(Decimal("0.01")), "f")


def _signed(value: Decimal, unit: str, as_money: bool = False) -> str:
    return f"{'+' if value > 0 else ''}{money(value) if as_money else format(value, 'f')}{unit}"


def _figure_value(value: Value) -> Decimal:
    """A money, percent, number or integer answer as a Decimal."""
    assert isinstance(value, (Decimal, int)), f"a figure's answer is a number, not {value!r}"
    return Decimal(value)


def _shown(q: Question, value: Value) -> str:
    return f"{money(_figure_value(value))}万元" if q.type == "money" else format_value(q, value)


def _figure(q: Question, old: Value, new: Value) -> tuple[str, str]:
    unit = "万元" if q.type == "money" else "个百分点" if q.type == "percent" else ""
    before, after = _figure_value(old), _figure_value(new)
    delta = _signed(after - before, unit, q.type == "money")
    if before == 0:
        return delta, NEW if after != 0 else ""
    change = (after - before) / before * 100
    return delta, f"{'+' if change > 0 else ''}{pct(q2(change))}"


def _records(value: Value) -> list[Mapping[str, object]]:
    """A records answer's rows (none when unanswered)."""
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _items(q: Question, value: Value) -> list[str]:
    if value is None:
        return []
    if q.type == "strings":
        return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []
    key = q.title_field or q.fields[0].id
    return [str(r.get(key, "")) for r in _records(value)]


def joined(items: list[str]) -> str:
    """Items joined with 、 as one phrase: '甲。' '乙。' -> '甲、乙'."""
    return "、".join(item.strip().rstrip(END_PUNCTUATION) for item in items)


def _list_change(q: Question, old: Value, new: Value) -> tuple[str, str]:
    before, after = _items(q, old), _items(q, new)
    gone = [x for x in before if x not in after]
    came = [x for x in after if x not in before]
    old_text = f"{len(before)}项" + (f",去掉:{short(joined(gone))}" if gone else "")
    new_text = f"{len(after)}项" + (f",新增:{short(joined(came))}" if came else "")
    if not gone and not came:
        new_text += "(内容或顺序有修改)"
    return old_text, new_text


def compare(form: Form, old: Answers, new: Answers) -> list[Change]:
    """Every question whose answer differs between the two years, in the order of the outline."""
    sections = numbering.question_sections(form)
    out: list[Change] = []
    for _, q in form.walk():
        before, after = old.get(q.id), new.get(q.id)
        if before == after:
            continue
        section = sections.get(q.id, "")
        if before is None or after is None:  # answered in one year only: not a change
            out.append(Change(section, q.id, q.label, "unfilled", _text(q, before), _text(q, after)))
        elif q.type in NUMBER_TYPES:
            delta, percent = _figure(q, before, after)
            out.append(
                Change(
                    section,
                    q.id,
                    q.label,
                    "changed",
                    _shown(q, before),
                    _shown(q, after),
                    delta,
                    percent,
                )
            )
        elif rows_spec(form, q.id) is not None:
            out += _row_changes(form, q, before, after, section)
        elif q.is_list:
            old_text, new_text = _list_change(q, before, after)
            out.append(Change(section, q.id, q.label, "changed", old_text, new_text))
        else:
            old_text, new_text = short(format_value(q, before)), short(format_value(q, after))
            out.append(Change(section, q.id, q.label, "changed", old_text, new_text))
    return out + _score_change(form, old, new)


def rows_spec(form: Form, qid: str) -> Rows | None:
    """The framework's rows spec when qid is its rows question (the target form's 绩效指标)."""
    rows = form.scoring.rows if form.scoring is not None else None
    return rows if rows is not None and rows.question == qid else None


def _row_changes(form: Form, q: Question, before: Value, after: Value, section: str) -> list[Change]:
    """Row by row, matched by indicator: both years' 指标值 and 实际完成值, and the change."""
    from zjeval.form.target_rows import number

    spec = rows_spec(form, q.id)
    assert spec is not None  # the caller asked
    f = spec.fields
    label = f.labels(q)
    key = q.title_field or f.name

    def text(r: Mapping[str, object]) -> str:
        unit = str(r.get(f.unit) or "")
        target = f"{label.target} {r.get(f.nature, '')}{r.get(f.target, '')}{unit}"
        actual = r.get(f.tier) or r.get(f.actual)
        if not actual:
            return target
        return f"{target};{label.actual} {actual}{unit if r.get(f.actual) == actual else ''}"

    old = {str(r.get(key, "")): r for r in _records(before)}
    new = {str(r.get(key, "")): r for r in _records(after)}
    out = []
    for name in [*new, *(n for n in old if n not in new)]:
        a, b = old.get(name), new.get(name)
        where = name
        if a is None or b is None:
            kind: Kind = "added" if a is None else "removed"
            was, now = text(a) if a else "(新增)", text(b) if b else "(删去)"
            out.append(Change(section, q.id, where, kind, was, now))
            continue
        if a == b:
            continue
        delta = percent = ""
        x, y = number(a.get(f.actual)), number(b.get(f.actual))
        if x is not None and y is not None and x != y:
            delta = _signed(y - x, str(b.get(f.unit) or ""))
            percent = NEW if x == 0 else f"{'+' if y > x else ''}{pct(q2((y - x) / x * 100))}"
        out.append(Change(section, q.id, where, "changed", text(a), text(b), delta, percent))
    return out


def _text(q: Question, value: Value) -> str:
    """One year's answer, shortened; 未填 when there is none."""
    if value is None:
        return UNFILLED
    if q.is_list:
        items = _items(q, value)
        return f"{len(items)}项:{short(joined(items))}"
    return short(format_value(q, value))


def _score_change(form: Form, old: Answers, new: Answers) -> list[Change]:
    """The 评分表's total and grade, when both years can be scored."""
    if form.scoring is None:
        return []
    from zjeval.assess import scoring

    questions = form.questions()
    before = scoring.score(form.scoring, questions, old)
    after = scoring.score(form.scoring, questions, new)
    if before.total is None or after.total is None or before.total == after.total:
        return []
    delta = after.total - before.total
    return [
        Change(
            "评分表",
            "total",
            "总分(等级)",
            "changed",
            f"{before.total}分({before.grade})",
            f"{after.total}分({after.grade})",
            f"{'+' if delta > 0 else ''}{delta}分",
        )
    ]
