"""The cells of a published 自评表, whatever its layout, and the words the form gives them. Pure.

A line is cut into cells at '|' when written as a table, else at spaces (a Word row, one cell
per line, a flattened line all become one stream of cells); `Words` gathers what the form says
those cells can be: column heads (its `tables:` spec and `import: self_table:`), the levels'
choices and aliases, the 指标性质 wordings, the funds rows' labels and the header rows' labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from zjeval.form.import_spec import SelfTable
from zjeval.form.question import Question
from zjeval.form.table_spec import TableSpec
from zjeval.form.target_rows import RowFields
from zjeval.importing.state import State

NUM = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
AMOUNT_UNIT = re.compile(r"^(?P<n>[≥≤=<>＞＜]?\s*-?\d[\d,]*(?:\.\d+)?)\s*(?P<u>[^\d\s.,].{0,5})$")
UNIT = re.compile(r"^[%％‰a-zA-Z/\u4e00-\u9fff·]{1,5}$")
TIER = re.compile(r"^评为(?P<tier>[^。]+)。(?P<rest>.*)$")
RULE = re.compile(r"^[-=─━_:：]{3,}$")  # a text table's rule line ('-----', '|---|')
YEAR_LINE = re.compile(r"^[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）]$")
SUB = re.compile(r"^其中\s*[:：]\s*")


def cells(line: str) -> list[str]:
    """A line's cells: split at '|' when the line is written as a table, else at spaces."""
    if line.count("|") + line.count("｜") >= 2:
        parts = [c.strip() for c in re.split(r"[|｜]", line)]
    else:
        parts = line.split()
    return [c for c in parts if c and not RULE.match(c)]


def norm(text: str) -> str:
    return re.sub(r"\s+|[（(][^)）]*[)）]$", "", SUB.sub("", text))


def number(text: str) -> Decimal | None:
    raw = text.replace(",", "").strip()
    if not NUM.match(raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


@dataclass
class Words:
    """What the form says its 自评表's cells can be."""

    table: SelfTable
    spec: TableSpec
    fields: dict[str, Question]  # field id -> the records question's field
    rf: RowFields  # the framework's row fields: which field is the 分值, the 三级指标 …
    up: str = ""  # the framework's first wording of 正向 (≥): a number with no sign is taken as it
    heads: dict[str, str] = field(default_factory=dict)  # a column head -> field id ('' : no field)
    levels: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> word -> choice
    natures: set[str] = field(default_factory=set)
    funds: dict[str, str] = field(default_factory=dict)  # a wording -> the form's funding label
    labels: set[str] = field(default_factory=set)  # the header rows' labels (项目名称, 实施单位)

    def __post_init__(self) -> None:
        for fid, words in self.spec.columns.items():
            for w in words:
                self.heads.setdefault(norm(w), fid)
        for w in [*self.table.heads, *self.table.goal_heads, *self.table.goals]:
            self.heads.setdefault(norm(w), "")
        for fid in (self.rf.level1, self.rf.level2):  # the merged, filled-down columns
            options: list[str] = getattr(self.fields.get(fid), "choices", None) or []
            known = {norm(c): c for c in options}
            for choice, aliases in self.spec.values.get(fid, {}).items():
                known.update({norm(a): choice for a in aliases})
            self.levels[fid] = known
        nature = self.rf.nature
        self.natures = {norm(c) for c in getattr(self.fields.get(nature), "choices", None) or []}
        for aliases in self.spec.values.get(nature, {}).values():
            self.natures.update(norm(a) for a in aliases)
        for label, aliases in self.table.funds.items():
            for w in [label, *aliases]:
                self.funds[norm(w)] = label

    def is_head(self, token: str) -> bool:
        return norm(token) in self.heads

    def ends(self, token: str) -> bool:
        t = norm(token)
        return any(t.startswith(norm(w)) for w in [*self.table.end, *self.spec.skip])


def words_of(st: State) -> Words | None:
    table = st.spec.self_table
    framework = st.form.scoring
    rows = framework.rows if framework is not None else None
    spec = next((t for t in st.form.tables if rows is not None and t.question == rows.question), None)
    if table is None or spec is None or rows is None or spec.question not in st.questions:
        return None
    fields = {f.id: f for f in st.questions[spec.question].fields}
    words = Words(table, spec, fields, rows.fields, rows.natures.up[0])
    words.labels = {norm(h.label) for a in st.form.attachments for h in a.header}
    return words
