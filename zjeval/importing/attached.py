"""Rows of the attached tables (数据表, 评分表 / 自评表) read back into their questions. Pure.

A row is one line 'cell cell …' (see sources.row_text). A 数据表 row is 'label unit value'
where the label is a figure question's label; a 评分表 row names one of the framework's judged
indicators and gives its 评价结果 (a tier), or the checklist / deduction count, and the reason.
Which questions receive them comes from the form and its framework, never from here.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zjeval.importing.state import Line, State
from zjeval.report.build import UNIT_SUFFIX
from zjeval.report.typeset import fullwidth

DATA_ROW = re.compile(r"^(?P<label>\S.*?)\s+(?P<unit>万元|元|人|个|项|%)\s+(?P<value>-?[\d,.]+)$")
_FIGURES = ("money", "integer", "percent", "number")


def data_row(st: State, line: Line) -> bool:
    """'收入总预算 万元 4480.45' -> the figure question labelled 收入总预算(万元); True when taken."""
    m = DATA_ROW.match(line.text)
    if not m:
        return False
    labels = {
        fullwidth(UNIT_SUFFIX.sub("", q.label)): q.id for q in st.questions.values() if q.type in _FIGURES
    }
    qid = labels.get(m["label"])
    if qid is None:
        return False
    if st.answers.get(qid) is None:
        st.put(qid, m["value"], [line], f"{m['label']}:{m['value']}(取自数据表)")
        st.source(qid, line.text)
    return True


def score_row(st: State, line: Line) -> bool:
    """'过程 预算管理 资金使用合规性 3 1处问题 2.00 1处问题,每处扣1分:理由' -> count and reason."""
    framework = st.form.scoring
    if framework is None:
        return False
    from zjeval.form import framework as fw

    # a score and its mark may sit on two lines of one cell: '0.75 （调整）' is one token
    tokens = re.sub(r"\s+([(（]调整[)）])", r"\1", line.text).split(" ")
    for ind in framework.indicators:
        if ind.name not in tokens:
            continue
        at = tokens.index(ind.name)
        rest = tokens[at + 1 :]
        if len(rest) < 3:
            return False
        value, score, why = rest[1], rest[2], " ".join(rest[3:])
        adjusted = re.match(r"^(\d+(?:\.\d+)?)(?:[(（]调整[)）])?$", score)
        if adjusted and not ("调整" in score or re.match(r"^由计算得分[\d.]+调整[:：]", why)):
            adjusted = None  # a workbook keeps the mark only in the reason (由计算得分0.65调整:…)
        if adjusted:  # the evaluator's adjusted score: '0.75(调整) 由计算得分0.65调整:理由'
            reason = re.split(r"调整[:：]", why, maxsplit=1)
            # the answers file's overrides entry: {score, reason} (see answers/model.py)
            st.answers.overrides[ind.id] = dict(score=Decimal(adjusted[1]), reason=reason[-1].strip())
            st.found.append(("", f"{ind.name}:调整后得分 {adjusted[1]}(取自评分表)"))
        if not isinstance(ind.rule, fw.JUDGED):
            return bool(adjusted)
        if isinstance(ind.rule, fw.Qualitative):
            if value not in [t.name for t in ind.rule.tiers]:
                return False
            st.put(fw.tier_question(ind), value, [], f"{ind.name}:{value}(取自评分表)")
            if why.startswith("评为"):  # 评为部分达成，按权重的65%计：理由
                why = re.split(r"[:：]", why, maxsplit=1)[1] if re.search(r"[:：]", why) else ""
        else:
            cm = re.match(r"^(\d+)/(\d+)项达到$", value) if isinstance(ind.rule, fw.Checklist) else None
            dm = re.match(r"^(\d+)处问题$", value)
            if cm:
                count = int(cm[2]) - int(cm[1])
            elif dm:
                count = int(dm[1])
            else:
                return False
            st.put(fw.count_question(ind), count, [], f"{ind.name}:{value}(取自评分表)")
            why = re.split(r"[:：]", why, maxsplit=1)[1] if re.search(r"[:：]", why) else ""
        if why and not adjusted:  # an adjusted score's reason is the adjustment's own
            st.put(fw.reason_question(ind), why.strip(), [], f"{ind.name}:理由(取自评分表)")
        return True
    return False


def row_key(text: str) -> tuple[str, ...]:
    """A row's cells for comparison: numbers as values (3.00 = 3, 95.56% = 95.56), letters and
    digits only (，= ,)."""
    from zjeval.importing.patterns import plain

    out = []
    for token in text.split():
        bare = token.rstrip("%％")
        if re.fullmatch(r"-?\d+(?:\.\d+)?", bare):
            token = format(Decimal(bare).normalize(), "f")
        if plain(token):
            out.append(plain(token))
    return tuple(out)


def generated_rows(st: State) -> set[tuple[str, ...]]:
    """The attachments' rows as the form prints them from the answers read: every run of two or
    more cells of a row (a workbook leaves merged cells and formulas' values empty), and each
    row's first cell alone."""
    from zjeval.importing.sources import row_text
    from zjeval.report import build

    out: set[tuple[str, ...]] = set()
    for attachment in build.build(st.form, st.answers).attachments:
        out.add(row_key(attachment.title))
        for table in attachment.tables:
            rows = [table.columns, *(row.texts for row in table.rows), (table.caption,)]
            for cells in rows:
                key = row_key(row_text(list(cells)))
                out.update(key[i:j] for i in range(len(key)) for j in range(i + 2, len(key) + 1))
                out.add(key[:1])
    return out


def any_row(st: State, line: Line) -> bool:
    """A row of any attached table the form knows, read back into its questions."""
    from zjeval.importing import attached_target

    return (
        data_row(st, line)
        or score_row(st, line)
        or attached_target.funds_row(st, line)
        or attached_target.indicator_row(st, line)
    )
