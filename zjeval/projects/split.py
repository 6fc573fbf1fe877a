"""A budget system's export holding many projects, split into one set of indicator rows each.

Two shapes are read: one sheet with a 项目名称 column (the rows grouped by it; a merged name cell
is filled down), or one sheet per project (named by a 项目名称 cell above its header, else by the
sheet's tab). Which header words name the project is the form's (`projects.name_columns`); each
project's rows are read by the single-table reader (importing.table.read_rows), so its column
words, skipped rows and reasons are the same as for `zjeval table`. Pure apart from reading the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zjeval.form.question import Question
from zjeval.form.table_spec import TableSpec
from zjeval.importing.table import HEADER_SCAN, TableRead, missing_header, read_cells, read_rows

_LABEL_END = re.compile(r"^\s*[:：]\s*")


@dataclass
class ProjectRows:
    name: str
    read: TableRead
    how: str  # where the name came from: 项目名称列 / 表头上方 / 工作表名


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _name_column(row: list[str], words: list[str]) -> int | None:
    cells = [_norm(c) for c in row]
    for word in sorted(words, key=len, reverse=True):
        if _norm(word) in cells:
            return cells.index(_norm(word))
    return None


def _label_above(rows: list[list[str]], header: int, words: list[str]) -> str | None:
    """'项目名称：X' in one cell, or '项目名称' and X in the next non-empty cell, above the header."""
    for row in rows[: max(0, header - 1)]:
        for i, cell in enumerate(row):
            plain = cell.strip()
            for word in sorted(words, key=len, reverse=True):
                if not plain.startswith(word):
                    continue
                rest = _LABEL_END.sub("", plain[len(word) :], count=1).strip()
                if rest and plain[len(word) :].lstrip()[:1] in (":", "："):
                    return rest
                if not rest:
                    after = next((c.strip() for c in row[i + 1 :] if c.strip()), "")
                    if after:
                        return after
    return None


def split(path: Path, spec: TableSpec, question: Question, words: list[str]) -> list[ProjectRows]:
    """Every project the export holds, in the order met, with its rows as the single reader reads them."""
    out: list[ProjectRows] = []
    for sheet, rows in read_cells(path):
        whole = read_rows(sheet, rows, spec, question)
        if whole is None:
            continue
        header = whole.header_row - 1
        column = next(
            (
                c
                for r in (header, header - 1)
                if r >= 0
                for c in [_name_column(rows[r], words)]
                if c is not None
            ),
            None,
        )
        if column is not None:
            out.extend(_by_column(sheet, rows, header, column, spec, question))
            continue
        name = _label_above(rows, header, words)
        out.append(ProjectRows(name or sheet, whole, "表头上方" if name else "工作表名"))
    if not out:
        raise missing_header(path, spec, question)
    return out


def _by_column(
    sheet: str, rows: list[list[str]], header: int, column: int, spec: TableSpec, question: Question
) -> list[ProjectRows]:
    """One sheet's rows grouped by the project column: each project reads the sheet with the other
    projects' rows blanked (so row numbers in what it says stay the sheet's own)."""
    owner: list[str] = []
    current = ""
    for row in rows[header + 1 :]:
        cell = row[column].strip() if column < len(row) else ""
        if cell:
            current = cell
        owner.append(current if any(c.strip() for c in row) else "")
    names = [n for n in dict.fromkeys(owner) if n]
    out = []
    for name in names:
        mine = rows[: header + 1] + [
            row if who == name else [] for row, who in zip(rows[header + 1 :], owner, strict=True)
        ]
        read = read_rows(sheet, mine, spec, question)
        if read is not None:
            out.append(ProjectRows(name, read, "项目名称列"))
    return out


__all__ = ["HEADER_SCAN", "ProjectRows", "split"]
