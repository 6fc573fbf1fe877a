"""The indicator rows of a published 自评表, cut from its stream of cells by their structure. Pure.

Each row ends in its 分值 and 得分 (two numbers, the second not above the first; without a 得分
column, the last number of a run); the cells before them are read back to front in the header's
column order (实际完成值, 计量单位 when it is one, 年度指标值, 指标性质 when it is one, 三级指标,
then 一级/二级 when the cell names one, else the row above's); what stands between one row's 得分
and the next row is the first row's 偏差原因. Which fields receive them is the framework's.
"""

from __future__ import annotations

import re

from zjeval import numerals
from zjeval.answers.kinds import Record, as_records
from zjeval.answers.values import InvalidValue, validate
from zjeval.form.target_rows import number as row_number
from zjeval.importing.cells import AMOUNT_UNIT, TIER, UNIT, Words, norm, number
from zjeval.importing.state import Line, State
from zjeval.importing.table import record_from


def read_rows(
    st: State, tokens: list[str], header: tuple[int, int, list[str]], words: Words, part: list[Line]
) -> int:
    _, end, order = header
    stop = next((k for k in range(end, len(tokens)) if words.ends(tokens[k])), len(tokens))
    body = _without_heads(tokens[end:stop], words)
    rf = words.rf
    f_name, f_weight = rf.name, rf.weight
    scored = order.index(f_weight) + 1 < len(order) and order[order.index(f_weight) + 1] == ""
    anchors = _anchors(body, scored)
    between = order[order.index(f_name) + 1 : order.index(f_weight)]
    levels = order[: order.index(f_name)]
    reason_f = rf.reason if rf.reason in order else None
    out: list[dict[str, str]] = []
    carried: dict[str, str] = {}
    stray: list[str] = []
    prev_end = 0
    for n, w in enumerate(anchors):
        cell: dict[str, str] = {f_weight: body[w]}
        j = w - 1
        for f in reversed(between):
            if j < prev_end:
                break
            t = body[j]
            if f == rf.unit and not (UNIT.match(t) and j > prev_end and re.search(r"\d", body[j - 1])):
                continue
            if f == rf.nature and norm(t) not in words.natures:
                continue
            if f:
                cell[f] = t
            j -= 1
        if j < prev_end:
            break
        cell[f_name] = body[j]
        j -= 1
        for f in reversed(levels):
            if f and j >= prev_end and norm(body[j]) in words.levels.get(f, {}):
                cell[f] = words.levels[f][norm(body[j])]
                j -= 1
        gap = " ".join(body[prev_end : j + 1])
        if gap and n and reason_f and out:
            out[-1][reason_f] = gap
        elif gap:
            stray.append(gap)  # no row's cell: kept for the unplaced text, never dropped
        for f in levels:
            if f in cell:
                carried[f] = cell[f]
            elif f in carried:
                cell[f] = carried[f]
        out.append(cell)
        prev_end = w + (2 if scored else 1)
    rest = " ".join(body[prev_end:])
    if out and reason_f and rest:
        out[-1][reason_f] = rest
    elif rest:
        stray.append(rest)
    if stray and out:
        st.keep(part[-1].index, " ".join(stray))
    return _put_rows(st, out, words, part) if out else 0


def _without_heads(body: list[str], words: Words) -> list[str]:
    """The rows without the header repeated on a new page (a run of three or more column heads)."""
    out: list[str] = []
    k = 0
    while k < len(body):
        j = k
        while j < len(body) and words.is_head(body[j]):
            j += 1
        if j - k >= 3:
            k = j
            continue
        out.extend(body[k : max(j, k + 1)])
        k = max(j, k + 1)
    return out


def _anchors(body: list[str], scored: bool) -> list[int]:
    """The positions of each row's 分值: the last pair (分值, 得分 not above it) of a run of numbers,
    or without a 得分 column the last number of a run."""
    out: list[int] = []
    k = 0
    while k < len(body):
        if number(body[k]) is None:
            k += 1
            continue
        run = k
        while run < len(body) and number(body[run]) is not None:
            run += 1
        last = run - 1
        if scored:
            w, s = last - 1, last
            wn, sn = (number(body[w]) if w >= k else None), number(body[s])
            if w >= 1 and w >= k and wn is not None and sn is not None and sn <= wn <= 100:
                out.append(w)
        elif last >= 1:
            out.append(last)
        k = run
    return out


def _in_digits(cell: str) -> str:
    """A cell written in words, in digits: '十七个' -> '17个', '≥百分之九十五' -> '≥95%'; anything
    else ('一般', '十几个', '较好') as it was (zjeval/numerals.py reads exact numerals only)."""
    m = re.match(r"^(?P<sign>[≥≤=<>＞＜]?\s*)(?P<rest>.+)$", cell.strip())
    if m is None or not numerals.in_words(m["rest"]):
        return cell
    digits = numerals.amount_digits(m["rest"].strip())
    return cell if digits is None else m["sign"] + digits


def _put_rows(st: State, rows: list[dict[str, str]], words: Words, part: list[Line]) -> int:
    spec = words.spec
    question = st.questions[spec.question]
    rf = words.rf
    tier_f, reason_f, unit_f = rf.tier, rf.reason, rf.unit
    records: list[Record] = []
    defaulted: list[str] = []
    for cell in rows:
        record = record_from(cell, spec)
        for f in (rf.target, rf.actual):  # '40个' / '≥40个': the unit split off
            if f not in record:
                continue
            record[f] = _in_digits(str(record[f]))
            m = AMOUNT_UNIT.match(str(record[f]))
            if m and UNIT.match(m["u"]) and record.get(unit_f, m["u"]) == m["u"]:
                record[f], record[unit_f] = m["n"].replace(" ", ""), m["u"]
        if rf.nature not in record and row_number(record.get(rf.target)) is not None:
            record[rf.nature] = words.up  # a number with no sign: the usual 正向
            defaulted.append(str(record.get(rf.name, "")))
        if tier_f and reason_f and (m := TIER.match(str(record.get(reason_f, "")))):
            record[tier_f] = m["tier"]
            record[reason_f] = m["rest"]
        try:
            checked = validate(question, [record])
        except InvalidValue as exc:
            st.found.append((spec.question, f"自评表中一行未导入({exc.path}{exc.message}):{record}"))
            st.keep(part[0].index, " ".join(str(v) for v in cell.values()))
            continue
        records.append(as_records(checked)[0])
    existing = list(st.answers.records(spec.question))
    if records and st.put(spec.question, existing + records, [], f"绩效指标:{len(records)}行(取自自评表)"):
        st.source(spec.question, f"自评表 {len(records)} 行")
        if defaulted:
            names = "、".join(defaulted[:3]) + ("等" if len(defaulted) > 3 else "")
            st.doubt(spec.question, f"{names}的指标性质表中没有写,按 {words.up} 导入")
        return len(records)
    return 0
