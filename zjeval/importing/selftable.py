"""A published 自评表 read into the form, whatever its layout. Pure.

Units publish the table as a Word table, as 'cell | cell |' text, one cell per line (a web page
copied, a PDF's text layer) or flattened onto one line (OCR). All of these are read as one
stream of cells, and the stream is cut by its structure, not by its line breaks:

- the funds block: a funds row's label (the form's attachment names them, the `import:
  self_table: funds:` block gives other wordings) and the amounts after it, in column order;
- 年度总体目标: the texts between its column heads and the indicator rows' header, in pairs;
- the indicator rows, after their header (the form's `tables:` columns): each row ends in its
  分值 and 得分 (two numbers, the second not above the first); the cells before them are read
  back to front in the header's column order (实际完成值, 计量单位 when it is one, 年度指标值,
  指标性质 when it is one, 三级指标, then 一级/二级 when the cell names one, else the row above's);
  what stands between one row's 得分 and the next row is the first row's 偏差原因.

Which questions and fields receive them is the form's; nothing here names one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from zjeval.answers.values import InvalidValue, validate
from zjeval.form.import_spec import SelfTable
from zjeval.form.table_spec import TableSpec
from zjeval.form.target_rows import number
from zjeval.importing import patterns as P
from zjeval.importing.state import Line, State
from zjeval.importing.table import record_from

_NUM = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_AMOUNT_UNIT = re.compile(r"^(?P<n>[≥≤=<>＞＜]?\s*-?\d[\d,]*(?:\.\d+)?)\s*(?P<u>[^\d\s.,].{0,5})$")
_UNIT = re.compile(r"^[%％‰a-zA-Z/\u4e00-\u9fff·]{1,5}$")
_TIER = re.compile(r"^评为(?P<tier>[^。]+)。(?P<rest>.*)$")
_RULE = re.compile(r"^[-=─━_:：]{3,}$")  # a text table's rule line ('-----', '|---|')
_YEAR_LINE = re.compile(r"^[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）]$")
_SUB = re.compile(r"^其中\s*[:：]\s*")


def cells(line: str) -> list[str]:
    """A line's cells: split at '|' when the line is written as a table, else at spaces."""
    if line.count("|") + line.count("｜") >= 2:
        parts = [c.strip() for c in re.split(r"[|｜]", line)]
    else:
        parts = line.split()
    return [c for c in parts if c and not _RULE.match(c)]


def _norm(text: str) -> str:
    return re.sub(r"\s+|[（(][^)）]*[)）]$", "", _SUB.sub("", text))


def _number(text: str) -> Decimal | None:
    raw = text.replace(",", "").strip()
    if not _NUM.match(raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


@dataclass
class _Words:
    """What the form says its 自评表's cells can be."""

    table: SelfTable
    spec: TableSpec
    fields: dict[str, Any]  # field id -> the records question's field
    rf: Any  # the framework's row fields (framework.RowFields): which field is the 分值, the 三级指标 …
    up: str = ""  # the framework's first wording of 正向 (≥): a number with no sign is taken as it
    heads: dict[str, str] = field(default_factory=dict)  # a column head -> field id ('' : no field)
    levels: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> word -> choice
    natures: set[str] = field(default_factory=set)
    funds: dict[str, str] = field(default_factory=dict)  # a wording -> the form's funding label
    labels: set[str] = field(default_factory=set)  # the header rows' labels (项目名称, 实施单位)

    def __post_init__(self) -> None:
        for fid, words in self.spec.columns.items():
            for w in words:
                self.heads.setdefault(_norm(w), fid)
        for w in [*self.table.heads, *self.table.goal_heads, *self.table.goals]:
            self.heads.setdefault(_norm(w), "")
        for fid in (self.rf.level1, self.rf.level2):  # the merged, filled-down columns
            options: list[str] = getattr(self.fields.get(fid), "choices", None) or []
            known = {_norm(c): c for c in options}
            for choice, aliases in self.spec.values.get(fid, {}).items():
                known.update({_norm(a): choice for a in aliases})
            self.levels[fid] = known
        nature = self.rf.nature
        self.natures = {_norm(c) for c in getattr(self.fields.get(nature), "choices", None) or []}
        for aliases in self.spec.values.get(nature, {}).values():
            self.natures.update(_norm(a) for a in aliases)
        for label, aliases in self.table.funds.items():
            for w in [label, *aliases]:
                self.funds[_norm(w)] = label

    def is_head(self, token: str) -> bool:
        return _norm(token) in self.heads

    def ends(self, token: str) -> bool:
        t = _norm(token)
        return any(t.startswith(_norm(w)) for w in [*self.table.end, *self.spec.skip])


def _words(st: State) -> _Words | None:
    table = st.spec.self_table
    framework: Any = st.form.scoring
    rows = framework.rows if framework is not None else None
    spec = next((t for t in st.form.tables if rows is not None and t.question == rows.question), None)
    if table is None or spec is None or rows is None or spec.question not in st.questions:
        return None
    fields = {f.id: f for f in st.questions[spec.question].fields}
    words = _Words(table, spec, fields, rows.fields, rows.natures.up[0])
    words.labels = {_norm(h.label) for a in st.form.attachments for h in a.header}
    return words


def read(st: State, lines: list[Line]) -> set[int]:
    """Every 自评表 in these lines read into the answers; the indices of the lines it used."""
    words = _words(st)
    if words is None:
        return set()
    used: set[int] = set()
    start = 0
    while (region := _region(lines, start, words)) is not None:
        a, b = region
        part = lines[a:b]
        if _read_region(st, part, words):
            used.update(x.index for x in part)
        start = b
    return used


def _region(lines: list[Line], start: int, words: _Words) -> tuple[int, int] | None:
    """The next run of lines that is a 自评表: from a line with three column heads, a funding row
    or the 年度总体目标 label, to the line that closes it (总分) or the end."""
    begin = None
    for i in range(start, len(lines)):
        toks = cells(lines[i].text)
        heads = sum(words.is_head(t) for t in toks)
        funded = any(_norm(t) in words.funds for t in toks)
        labelled = bool(toks) and _norm(toks[0]) in words.labels
        if (
            heads >= 3
            or funded
            or labelled
            or (toks and _norm(toks[0]) in {_norm(g) for g in words.table.goals})
        ):
            begin = i
            break
        if begin is None and lines[i].text.endswith("自评表") and len(lines[i].text) <= 60:
            begin = i
            break
    if begin is None:
        return None
    while begin > start and _YEAR_LINE.match(lines[begin - 1].text):
        begin -= 1  # '(2024年度)' under the table's title
    for j in range(begin, len(lines)):
        if j > begin and P.enumerator_style(lines[j].text) in ("cn", "pcn"):
            return begin, j  # the report's outline goes on: '三、存在问题'
        if any(words.ends(t) and t not in words.funds for t in cells(lines[j].text)[:2]) and j > begin:
            k = j + 1
            while k < len(lines) and len(lines[k].text) <= 12 and not _number(lines[k].text):
                k += 1  # '等级：优' on its own line(s)
            return begin, k
    return begin, len(lines)


def _read_region(st: State, part: list[Line], words: _Words) -> bool:
    tokens = [t for x in part for t in cells(x.text)]
    header = _header(tokens, words)
    before = tokens[: header[0]] if header else tokens
    read = _header_cells(st, before)
    read += _funds(st, before, words)
    read += _goals(st, before, words)
    if header is not None:
        read += _rows(st, tokens, header, words, part)
    return read > 0


def _header(tokens: list[str], words: _Words) -> tuple[int, int, list[str]] | None:
    """(start, end, the fields of the columns in order) of the indicator rows' header."""
    for i in range(len(tokens)):
        j = i
        while j < len(tokens) and words.is_head(tokens[j]):
            j += 1
        order = [words.heads[_norm(t)] for t in tokens[i:j]]
        if j - i >= 3 and all(f in order for f in (words.rf.name, words.rf.weight)):
            return i, j, order
    return None


def _header_cells(st: State, tokens: list[str]) -> int:
    """The table's header rows ('项目名称 | … | 主管部门 | … | 实施单位 | …'): the cell after each of
    the attachment's header labels, into that label's field."""
    fields = {_norm(h.label): h.field for a in st.form.attachments for h in a.header}
    read = 0
    for i, token in enumerate(tokens[:-1]):
        qid = fields.get(_norm(token))
        value = tokens[i + 1]
        if qid is None or _norm(value) in fields or st.answers.get(qid) is not None:
            continue
        if st.put(qid, value, [], f"{token}:{value}(取自自评表)"):
            read += 1
    return read


def _funds(st: State, tokens: list[str], words: _Words) -> int:
    rows = {_norm(row.label): row for a in st.form.attachments if a.funds for row in a.funds.lines()}
    read = 0
    for i, token in enumerate(tokens):
        label = words.funds.get(_norm(token))
        if label is None or _norm(label) not in rows:
            continue
        row = rows[_norm(label)]
        amounts = []
        for t in tokens[i + 1 : i + 4]:
            n = _number(t)
            if n is None:
                break
            amounts.append(t.replace(",", ""))
        if len(amounts) < 3:
            continue
        qids = [row.initial, row.budget, row.exec]
        for qid, raw in zip(qids, amounts, strict=False):
            if st.answers.get(qid) is None and st.put(qid, raw, [], f"{row.label}:{raw}(取自自评表)"):
                st.source(qid, " ".join(tokens[i : i + 4]))
                read += 1
    return read


def _goals(st: State, tokens: list[str], words: _Words) -> int:
    goals = {_norm(g) for g in words.table.goals}
    at = next((i for i, t in enumerate(tokens) if _norm(t) in goals), None)
    objectives = next((a.objectives for a in st.form.attachments if a.objectives), None)
    if at is None or objectives is None or st.answers.get(objectives.list) is not None:
        return 0
    texts = [t for t in tokens[at + 1 :] if not words.is_head(t)]
    if len(texts) % 2:
        texts = ["".join(texts[: len(texts) // 2 + 1]), "".join(texts[len(texts) // 2 + 1 :])]
    pairs = [
        {objectives.declared: texts[k], objectives.achieved: texts[k + 1]}
        for k in range(0, len(texts) - 1, 2)
    ]
    if pairs and st.put(objectives.list, pairs, [], f"年度总体目标:{len(pairs)}项(取自自评表)"):
        return len(pairs)
    return 0


def _rows(
    st: State, tokens: list[str], header: tuple[int, int, list[str]], words: _Words, part: list[Line]
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
    prev_end = 0
    for n, w in enumerate(anchors):
        cell: dict[str, str] = {f_weight: body[w]}
        j = w - 1
        for f in reversed(between):
            if j < prev_end:
                break
            t = body[j]
            if f == rf.unit and not (_UNIT.match(t) and j > prev_end and re.search(r"\d", body[j - 1])):
                continue
            if f == rf.nature and _norm(t) not in words.natures:
                continue
            if f:
                cell[f] = t
            j -= 1
        if j < prev_end:
            break
        cell[f_name] = body[j]
        j -= 1
        for f in reversed(levels):
            if f and j >= prev_end and _norm(body[j]) in words.levels.get(f, {}):
                cell[f] = words.levels[f][_norm(body[j])]
                j -= 1
        if n and reason_f:
            text = " ".join(body[prev_end : j + 1])
            if text and out:
                out[-1][reason_f] = text
        for f in levels:
            if f in cell:
                carried[f] = cell[f]
            elif f in carried:
                cell[f] = carried[f]
        out.append(cell)
        prev_end = w + (2 if scored else 1)
    if out and reason_f and prev_end < len(body):
        out[-1][reason_f] = " ".join(body[prev_end:])
    return _put_rows(st, out, words, part)


def _without_heads(body: list[str], words: _Words) -> list[str]:
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
        if _number(body[k]) is None:
            k += 1
            continue
        run = k
        while run < len(body) and _number(body[run]) is not None:
            run += 1
        last = run - 1
        if scored:
            w, s = last - 1, last
            wn, sn = (_number(body[w]) if w >= k else None), _number(body[s])
            if w >= 1 and w >= k and wn is not None and sn is not None and sn <= wn <= 100:
                out.append(w)
        elif last >= 1:
            out.append(last)
        k = run
    return out


def _put_rows(st: State, rows: list[dict[str, str]], words: _Words, part: list[Line]) -> int:
    spec = words.spec
    question = st.questions[spec.question]
    rf = words.rf
    tier_f, reason_f, unit_f = rf.tier, rf.reason, rf.unit
    records: list[dict[str, Any]] = []
    defaulted: list[str] = []
    for cell in rows:
        record = record_from(cell, spec)
        for f in (rf.target, rf.actual):  # '40个' / '≥40个': the unit split off
            if f not in record:
                continue
            m = _AMOUNT_UNIT.match(str(record[f]))
            if m and _UNIT.match(m["u"]) and record.get(unit_f, m["u"]) == m["u"]:
                record[f], record[unit_f] = m["n"].replace(" ", ""), m["u"]
        if rf.nature not in record and number(record.get(rf.target)) is not None:
            record[rf.nature] = words.up  # a number with no sign: the usual 正向
            defaulted.append(str(record.get(rf.name, "")))
        if tier_f and reason_f and (m := _TIER.match(str(record.get(reason_f, "")))):
            record[tier_f] = m["tier"]
            record[reason_f] = m["rest"]
        try:
            checked = validate(question, [record])
        except InvalidValue as exc:
            st.found.append((spec.question, f"自评表中一行未导入({exc.path}{exc.message}):{record}"))
            st.keep(part[0].index, " ".join(str(v) for v in cell.values()))
            continue
        assert isinstance(checked, list)
        records.append(checked[0])
    existing = list(st.answers.get(spec.question) or [])
    if records and st.put(spec.question, existing + records, [], f"绩效指标:{len(records)}行(取自自评表)"):
        st.source(spec.question, f"自评表 {len(records)} 行")
        if defaulted:
            names = "、".join(defaulted[:3]) + ("等" if len(defaulted) > 3 else "")
            st.doubt(spec.question, f"{names}的指标性质表中没有写,按 {words.up} 导入")
        return len(records)
    return 0
