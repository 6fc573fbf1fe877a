"""Rows of an attached target-based 自评表 read back: the funds block into its figures and the
unit's indicator rows into their records question. Pure.

An indicator row reads '一级 二级 三级 性质 指标值 [单位] 实际 分值 得分 [偏差原因]' (a workbook
leaves merged 一级/二级 cells empty: they are taken from the row before). The 指标性质 is found
among the framework's wordings, the 得分 by its two decimals; which fields and questions receive
them is the framework's and the form's, never this module's.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zjeval.answers.kinds import Record
from zjeval.importing.state import Line, State

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")  # a 分值 or 得分 (a workbook gives 13.5 for a printed 13.50)
_MONEY = re.compile(r"^-?[\d,]+(?:\.\d+)?$")
_TIER = re.compile(r"^评为(?P<tier>[^。]+)。(?P<rest>.*)$")


def funds_row(st: State, line: Line) -> bool:
    """'当年财政拨款 3800.00 4120.50 3998.72 …' -> the three figures of that source of funds."""
    tokens = line.text.split(" ")
    if len(tokens) < 4 or not all(_MONEY.match(t) for t in tokens[1:4]):
        return False
    for attachment in st.form.attachments:
        for row in attachment.funds.lines() if attachment.funds is not None else []:
            if row.label != tokens[0]:
                continue
            for qid, raw in zip(row.model_dump(exclude={"label"}).values(), tokens[1:4], strict=True):
                if st.answers.get(qid) is None:
                    st.put(qid, raw.replace(",", ""), [], f"{row.label}:{raw}(取自自评表)")
            return True
    return False


def indicator_row(st: State, line: Line) -> bool:
    """One of the unit's indicator rows -> a record appended to the rows question."""
    framework = st.form.scoring
    spec = framework.rows if framework is not None else None
    if spec is None:
        return False
    tokens = line.text.split(" ")
    words = set(spec.natures.words())
    k = next((i for i, t in enumerate(tokens) if t in words and i >= 1), None)
    if k is None:
        return False
    if _NUMBER.match(tokens[-1]):
        s, reason = len(tokens) - 1, ""
    elif len(tokens) >= 2 and _NUMBER.match(tokens[-2]):
        s, reason = len(tokens) - 2, tokens[-1]
    else:
        return False
    w, a = s - 1, s - 2
    if a <= k + 1 or not _NUMBER.match(tokens[w]):
        return False
    records: list[Record] = list(st.answers.records(spec.question))
    last = records[-1] if records else {}
    f = spec.fields
    labels = tokens[:k]
    record: Record = {
        f.level1: labels[-3] if len(labels) >= 3 else last.get(f.level1, ""),
        f.level2: labels[-2] if len(labels) >= 2 else last.get(f.level2, ""),
        f.name: labels[-1],
        f.nature: tokens[k],
        f.target: tokens[k + 1],
        f.actual: tokens[a],
        f.weight: Decimal(tokens[w]),
    }
    unit = " ".join(tokens[k + 2 : a])
    if unit:
        record[f.unit] = unit
    m = _TIER.match(reason)
    if m and spec.natures.of(tokens[k]) == "qualitative":
        record[f.tier] = m["tier"]
        reason = m["rest"]
    if reason:
        record[f.reason] = reason
    return st.put(spec.question, [*records, record], [line], f"{labels[-1]}(取自自评表)")
