"""`zjeval table` into answers that already have rows: merge, never silently replace. Pure.

Rows are matched by their indicator (the records' title field, e.g. 三级指标, spaces ignored).
A matched row takes the table's declaration and keeps what the user typed this year — the fields
the form does not carry from year to year (`carry: never | reference`: 实际完成值, 定性评价,
偏差原因); a table cell that differs from a typed value is reported, and the typed value kept.
A row that is no longer in the table is dropped only if nothing was typed in it, or when the
user said so (`--force`). The result says which rows were kept, added and dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from zjeval.answers.kinds import Record
from zjeval.form.question import Question

RESULT_POLICIES = frozenset({"never", "reference"})  # a field holding this year's result


@dataclass
class Merged:
    records: list[Record]
    kept: list[str] = field(default_factory=list)  # matched rows whose typed results were kept
    updated: list[str] = field(default_factory=list)  # matched rows, nothing typed to keep
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # rows no longer in the table
    losing: list[str] = field(default_factory=list)  # dropped rows with typed results (needs --force)
    conflicts: list[str] = field(default_factory=list)  # table cells that differ from typed values

    @property
    def safe(self) -> bool:
        """Nothing typed would be lost."""
        return not self.losing


def _key(q: Question, record: Mapping[str, object]) -> str:
    return re.sub(r"\s+", "", str(record.get(q.title_field or q.fields[0].id, "")))


def results(q: Question) -> list[Question]:
    """The fields of a row that hold this year's results (typed, never carried)."""
    return [f for f in q.fields if f.carry in RESULT_POLICIES]


def merge(q: Question, existing: list[Record], read: list[Record]) -> Merged:
    """The table's rows with the existing rows' typed results kept (see the module docstring)."""
    typed = results(q)
    old = {_key(q, r): r for r in existing}
    out = Merged(records=[])
    seen: set[str] = set()
    for row in read:
        key = _key(q, row)
        name = key or "(无名称)"
        before = old.get(key)
        if before is None or key in seen:
            out.records.append(row)
            out.added.append(name)
            continue
        seen.add(key)
        merged = dict(row)
        kept = False
        for f in typed:
            mine = before.get(f.id)
            if mine in (None, ""):
                continue
            theirs = row.get(f.id)
            if theirs not in (None, "") and str(theirs) != str(mine):
                out.conflicts.append(f"「{name}」{f.label}:表格为 {theirs},保留已填的 {mine}")
            merged[f.id] = mine
            kept = True
        out.records.append(merged)
        (out.kept if kept else out.updated).append(name)
    for key, row in old.items():
        if key in seen:
            continue
        name = key or "(无名称)"
        out.dropped.append(name)
        if any(row.get(f.id) not in (None, "") for f in typed):
            out.losing.append(name)
    return out
