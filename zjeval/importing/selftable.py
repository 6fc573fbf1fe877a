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

from zjeval.importing import patterns as P
from zjeval.importing.cells import YEAR_LINE, Words, cells, norm, number, words_of
from zjeval.importing.selfrows import read_rows
from zjeval.importing.state import Line, State


def read(st: State, lines: list[Line]) -> set[int]:
    """Every 自评表 in these lines read into the answers; the indices of the lines it used."""
    words = words_of(st)
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


PROSE = 15  # characters: a sentence this long, alone on its line after a table's rows, is the text going on


def _region(lines: list[Line], start: int, words: Words) -> tuple[int, int] | None:
    """The next run of lines that is a 自评表: from a line with three column heads, a funding row
    or the 年度总体目标 label, to the line that closes it (总分) or the end."""
    begin = None
    for i in range(start, len(lines)):
        toks = cells(lines[i].text)
        heads = sum(words.is_head(t) for t in toks)
        funded = any(norm(t) in words.funds for t in toks)
        labelled = bool(toks) and norm(toks[0]) in words.labels
        if (
            heads >= 3
            or funded
            or labelled
            or (toks and norm(toks[0]) in {norm(g) for g in words.table.goals})
        ):
            begin = i
            break
        if begin is None and lines[i].text.endswith("自评表") and len(lines[i].text) <= 60:
            begin = i
            break
    if begin is None:
        return None
    while begin > start and YEAR_LINE.match(lines[begin - 1].text):
        begin -= 1  # '(2024年度)' under the table's title
    rows = False  # the table so far is written a row a line (a Word table, 'cell | cell |')
    for j in range(begin, len(lines)):
        here = cells(lines[j].text)
        if j > begin and P.enumerator_style(lines[j].text) in ("cn", "pcn"):
            return begin, j  # the report's outline goes on: '三、存在问题'
        if rows and len(here) == 1 and len(lines[j].text) > PROSE and P.ENDS_SENTENCE.search(lines[j].text):
            return begin, j  # a paragraph after a table written a row a line: the text goes on
        rows = rows or len(here) >= 4
        if any(words.ends(t) and t not in words.funds for t in cells(lines[j].text)[:2]) and j > begin:
            k = j + 1
            while k < len(lines) and len(lines[k].text) <= 12 and not number(lines[k].text):
                k += 1  # '等级：优' on its own line(s)
            return begin, k
    return begin, len(lines)


def _read_region(st: State, part: list[Line], words: Words) -> bool:
    tokens = [t for x in part for t in cells(x.text)]
    header = _header(tokens, words)
    before = tokens[: header[0]] if header else tokens
    read = _header_cells(st, before)
    read += _funds(st, before, words)
    read += _goals(st, before, words)
    if header is not None:
        read += read_rows(st, tokens, header, words, part)
    return read > 0


def _header(tokens: list[str], words: Words) -> tuple[int, int, list[str]] | None:
    """(start, end, the fields of the columns in order) of the indicator rows' header."""
    for i in range(len(tokens)):
        j = i
        while j < len(tokens) and words.is_head(tokens[j]):
            j += 1
        order = [words.heads[norm(t)] for t in tokens[i:j]]
        if j - i >= 3 and all(f in order for f in (words.rf.name, words.rf.weight)):
            return i, j, order
    return None


def _header_cells(st: State, tokens: list[str]) -> int:
    """The table's header rows ('项目名称 | … | 主管部门 | … | 实施单位 | …'): the cell after each of
    the attachment's header labels, into that label's field."""
    fields = {norm(h.label): h.field for a in st.form.attachments for h in a.header}
    read = 0
    for i, token in enumerate(tokens[:-1]):
        qid = fields.get(norm(token))
        value = tokens[i + 1]
        if qid is None or norm(value) in fields or st.answers.get(qid) is not None:
            continue
        if st.put(qid, value, [], f"{token}:{value}(取自自评表)"):
            read += 1
    return read


def _funds(st: State, tokens: list[str], words: Words) -> int:
    rows = {norm(row.label): row for a in st.form.attachments if a.funds for row in a.funds.lines()}
    read = 0
    for i, token in enumerate(tokens):
        label = words.funds.get(norm(token))
        if label is None or norm(label) not in rows:
            continue
        row = rows[norm(label)]
        amounts = []
        for t in tokens[i + 1 : i + 4]:
            n = number(t)
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


def _goals(st: State, tokens: list[str], words: Words) -> int:
    goals = {norm(g) for g in words.table.goals}
    at = next((i for i, t in enumerate(tokens) if norm(t) in goals), None)
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
