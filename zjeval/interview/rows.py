"""What the framework's `rows:` block tells the record prompt while a target row is typed. Pure.

The interview checks a row as it is entered, not after the whole list: a number typed with its
unit ("42个") is split into the two fields with a note; a fraction against a unit of % is asked
back (answers/percent.py); once the 实际完成值 is in, a row that falls short asks its 偏差原因 at
once (and a row that does not, skips it); each 一级 group's running 分值 total is shown against the
group's weight; the 二级 choices are the ones the framework lists for the 一级 chosen.
Field ids come from the framework (`rows.fields`), never from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zjeval.answers import percent
from zjeval.form.decimals import num
from zjeval.form.models import Form
from zjeval.form.row_rule import evaluate
from zjeval.form.rule_kinds import Tier
from zjeval.form.target_rows import RowFields, Rows, number

_SIGNS = {">=": "≥", ">": "≥", "＞": "≥", "<=": "≤", "<": "≤", "＜": "≤", "＝": "="}
_WITH_UNIT = re.compile(r"^\s*([≥≤=＝<>＜＞]|>=|<=)?\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*([^\d\s.,][^\d]{0,9})\s*$")


@dataclass(frozen=True)
class RowHelp:
    """The framework's rows spec and tiers, as the record prompt uses them."""

    spec: Rows
    tiers: tuple[Tier, ...]

    @property
    def fields(self) -> RowFields:
        return self.spec.fields

    def split(self, fid: str, text: str, record: Mapping[str, object]) -> tuple[str, str | None, str]:
        """(number, unit or None, note) for a 指标值/实际完成值 typed with its unit ('42个')."""
        f = self.fields
        if fid not in (f.target, f.actual) or not isinstance(text, str):
            return text, None, ""
        m = _WITH_UNIT.match(text)
        if m is None:
            return text, None, ""
        sign, figure, unit = m[1], m[2], m[3].strip()
        known = str(record.get(f.unit) or "").strip()
        if known and unit != known:
            return text, None, ""  # a different unit: leave it for the user (and check) to judge
        note = f"已记为 {figure},计量单位「{unit}」" + ("" if known else "填入计量单位一栏")
        nature = str(record.get(f.nature) or "")
        if sign and fid == f.target:
            same = self.spec.natures.of(_SIGNS.get(sign, sign)) == self.spec.natures.of(nature)
            note += f";「{sign}」由指标性质表示" + ("" if same else f",与所选的「{nature}」不同,请核对")
        return figure, unit, note

    def percent_doubts(self, record: Mapping[str, object]) -> list[tuple[str, str, str]]:
        """(field id, question, the value meant) for each figure that reads as a fraction of %."""
        f = self.fields
        target, actual = number(record.get(f.target)), number(record.get(f.actual))
        found = percent.row_fractions(record.get(f.unit), target, actual)
        out = []
        for role, value, meant in found:
            asked = percent.ask_back(value)
            if asked is not None:
                out.append((f.target if role == "target" else f.actual, asked[0], percent.text(meant)))
        return out

    def shortfall(self, record: Mapping[str, object]) -> str:
        """Why the row falls short of its target ('' when it does not, or cannot tell yet)."""
        row = evaluate(self.spec, 1, _typed(record, self.fields.weight), list(self.tiers))
        if not row.shortfall:
            return ""
        if row.nature == "qualitative":
            return f"评为「{row.tier}」"
        target = f"{row.nature_word}{row.target_text}{row.unit}"
        return f"实际完成值 {row.actual_text}{row.unit} 未达到年度指标值 {target}"

    def level2_choices(self, record: Mapping[str, object]) -> list[str]:
        """The 二级 choices the framework lists for the row's 一级 ([] when it lists none)."""
        level1 = record.get(self.fields.level1)
        group = next((g for g in self.spec.groups if g.level1 == level1), None)
        return list(group.level2) if group is not None else []

    def totals(self, records: Sequence[Mapping[str, object]]) -> str:
        """Each group's 分值 so far against its weight: '产出指标 40/50、效益指标 0/30…'."""
        f = self.fields
        parts = []
        for g in self.spec.groups:
            total = sum(
                (_weight(r.get(f.weight)) for r in records if r.get(f.level1) == g.level1), Decimal(0)
            )
            mark = "" if total == g.weight else ("(超出)" if total > g.weight else "")
            parts.append(f"{g.level1} {num(total)}/{num(g.weight)}{mark}")
        return "、".join(parts)


def _weight(value: object) -> Decimal:
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def _typed(record: Mapping[str, object], weight: str) -> dict[str, object]:
    """The record with its 分值 as a number (typed text until validated)."""
    out = dict(record)
    raw = out.get(weight)
    if raw is not None and not isinstance(raw, Decimal):
        out[weight] = _weight(raw) if str(raw).strip() else None
    return out


def helper(form: Form, qid: str) -> RowHelp | None:
    """The RowHelp for the form's rows question, None for any other question (or form)."""
    scoring = form.scoring
    if scoring is None or scoring.rows is None or scoring.rows.question != qid:
        return None
    return RowHelp(scoring.rows, tuple(scoring.tiers))
