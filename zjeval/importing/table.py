"""Read a table exported from a budget system (.xlsx or .csv) into a records answer, as the form's
`tables:` spec says: find the header row by its words (the common variants of each column's
name), fill merged 一级/二级 cells down, skip total rows and rows that do not validate, and say
which columns were found and which rows were skipped and why. Pure apart from reading the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from zjeval.answers import percent
from zjeval.answers.kinds import Record, as_records
from zjeval.answers.tidy import tidy
from zjeval.answers.values import InvalidValue, validate
from zjeval.errors import AnswersError, ZjevalError
from zjeval.form.question import Question
from zjeval.form.table_spec import TableSpec
from zjeval.form.target_rows import number
from zjeval.importing import limits
from zjeval.importing.sources import cell_value

HEADER_SCAN = 20  # rows searched for the header
_SIGN = re.compile(r"^\s*(≥|≤|>=|<=|＞=|＜=|=|＝|>|<|＞|＜)\s*")
_FILL_DOWN_LIMIT = 2  # the first columns (一级, 二级) are filled down where a merged cell left them blank


@dataclass
class TableRead:
    """What was read: the records, and what the user should know about how."""

    records: list[Record] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field id -> the header text it was found under
    missing: list[str] = field(default_factory=list)  # field ids whose column was not found
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number in the sheet, why)
    sheet: str = ""
    header_row: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # field id -> its label in the form
    derived: dict[str, str] = field(default_factory=dict)  # field id -> the column it was read from
    notes: list[tuple[int, str]] = field(default_factory=list)  # (row number, what was read how)


def _norm(text: object) -> str:
    return re.sub(r"\s+", "", str(text or ""))


@limits.guarded("表格")
def read_cells(path: Path) -> list[tuple[str, list[list[str]]]]:
    """Each sheet's cells as text (a .csv is one sheet); a Chinese error for what cannot be read."""
    suffix = path.suffix.lower()
    limits.check_file(path)
    try:
        if suffix == ".csv":
            data = path.read_bytes()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise AnswersError(f"{path}: 无法识别文件的编码", "请另存为 UTF-8 编码的 CSV 或 .xlsx")
            return [(path.stem, _csv(path, text))]
        if suffix in (".xls", ".ods"):
            from zjeval.importing import office

            return [
                (name, [[cell_value(v).strip() for v in row] for row in rows])
                for name, rows in office.sheets(path)
            ]
        if suffix != ".xlsx":
            raise AnswersError(
                f"{path}: 只能读取 .xlsx、.xls、.ods 或 .csv 表格", "请在 Excel 或 WPS 中另存为 .xlsx"
            )
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise AnswersError(f"无法读取 {path}:{exc.strerror or exc}") from None
    except ZjevalError:  # our own message (a limit, the encoding, a broken CSV)
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or disguised file
        raise AnswersError(
            f"{path} 不是有效的 .xlsx 文件({type(exc).__name__})", "请在 Excel 中打开后另存为 .xlsx"
        ) from None
    sheets = []
    for ws in book.worksheets:
        rows = [[_cell(c) for c in row] for row in limits.sheet_rows(path, ws)]
        sheets.append((ws.title, rows))
    book.close()
    return sheets


def _csv(path: Path, text: str) -> list[list[str]]:
    """A CSV's rows; any line end (CR LF, LF, CR alone) ends a row; a broken file is the file's error."""
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        return [[c.strip() for c in row] for row in limits.rows(path, reader)]
    except csv.Error:
        limit = csv.field_size_limit()
        raise AnswersError(
            f"{path}:{reader.line_num} 不是有效的 CSV 表格:引号没有配对,或一个单元格超过 {limit} 字",
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV",
        ) from None


def _cell(cell: object) -> str:
    """A cell's text; a number formatted as a percent (0.936 shown as 93.6%) as the percent shown."""
    value, fmt = getattr(cell, "value", None), str(getattr(cell, "number_format", "") or "")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return percent.text(percent.from_cell(Decimal(repr(value)), fmt))
    return cell_value(value).strip()


def _match_header(row: list[str], spec: TableSpec) -> dict[str, int]:
    """field id -> column index, for the columns whose header names one of the spec's words."""
    found: dict[str, int] = {}
    cells = [_norm(c) for c in row]
    for fid, words in spec.columns.items():
        # the longest word first, so '偏差原因分析及改进措施' wins over '偏差原因' for its own column
        for word in sorted(words, key=len, reverse=True):
            w = _norm(word)
            hit = next((i for i, c in enumerate(cells) if c == w and i not in found.values()), None)
            if hit is None:
                hit = next((i for i, c in enumerate(cells) if w and w in c and i not in found.values()), None)
            if hit is not None:
                found[fid] = hit
                break
    return found


def _header(rows: list[list[str]], spec: TableSpec) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and its columns: the row naming most of the spec's columns.

    A two-row header (绩效指标 over 一级/二级/三级) is read as its lower row joined to the upper."""
    best: tuple[int, dict[str, int]] | None = None
    for r in range(min(HEADER_SCAN, len(rows))):
        candidates = [rows[r]]
        if r + 1 < len(rows):
            width = max(len(rows[r]), len(rows[r + 1]))
            upper = rows[r] + [""] * (width - len(rows[r]))
            lower = rows[r + 1] + [""] * (width - len(rows[r + 1]))
            candidates.append([lo or up for up, lo in zip(upper, lower, strict=True)])
        for k, cand in enumerate(candidates):
            cols = _match_header(cand, spec)
            if all(f in cols for f in spec.required) and (best is None or len(cols) > len(best[1])):
                best = (r + k, cols)
    return best


def read_table(path: Path, spec: TableSpec, question: Question) -> TableRead:
    """The records a table holds for `question`, or an AnswersError saying which columns are missing."""
    for sheet, rows in read_cells(path):
        out = read_rows(sheet, rows, spec, question)
        if out is not None:
            return out
    raise missing_header(path, spec, question)


def missing_header(path: Path, spec: TableSpec, question: Question) -> AnswersError:
    fields = {f.id: f for f in question.fields}
    wanted = "、".join(
        f"{fields[f].label if f in fields else f}({'/'.join(spec.columns[f])})" for f in spec.required
    )
    return AnswersError(
        f"{path} 中找不到{spec.name}的表头:需要有这些列 {wanted}",
        "请确认导出的是绩效目标申报表(或自评表),表头在前 20 行之内",
    )


def read_rows(sheet: str, rows: list[list[str]], spec: TableSpec, question: Question) -> TableRead | None:
    """The records of one sheet's cells, or None when the sheet has no header the spec knows."""
    fields = {f.id: f for f in question.fields}
    found = _header(rows, spec)
    if found is not None:
        header, cols = found
        out = TableRead(
            columns={
                f: rows[header][i] if i < len(rows[header]) and rows[header][i] else ""
                for f, i in cols.items()
            },
            missing=[f for f in spec.columns if f not in cols],
            sheet=sheet,
            header_row=header + 1,
        )
        for f, i in cols.items():
            if not out.columns[f] and header > 0:
                out.columns[f] = rows[header - 1][i]
        out.labels = {f.id: f.label for f in question.fields}
        sign = spec.sign_in
        if sign is not None and sign.into in out.missing and sign.field in cols:
            out.missing.remove(sign.into)
            out.derived[sign.into] = sign.field
        _rows(rows[header + 1 :], header + 2, spec, cols, fields, question, out)
        return out
    return None


def _rows(
    rows: list[list[str]],
    first: int,
    spec: TableSpec,
    cols: dict[str, int],
    fields: dict[str, Question],
    question: Question,
    out: TableRead,
) -> None:
    carried: dict[str, str] = {}
    order = sorted(cols, key=lambda f: cols[f])
    fill_down = order[:_FILL_DOWN_LIMIT]
    for n, row in enumerate(rows, first):
        cells = {f: (row[i] if i < len(row) else "").strip() for f, i in cols.items()}
        if not any(cells.values()):
            continue
        joined = "".join(cells.values())
        if any(word in "".join(cells[f] for f in order[:3]) for word in spec.skip):
            out.skipped.append((n, f"合计行「{joined[:20]}」"))
            continue
        for f in fill_down:
            if cells[f]:
                carried[f] = cells[f]
            elif f in carried:
                cells[f] = carried[f]
        missing = [f for f in spec.required if not cells.get(f)]
        if missing:
            names = "、".join(fields[f].label if f in fields else f for f in missing)
            out.skipped.append((n, f"缺少{names}"))
            continue
        record = record_from(cells, spec)
        try:
            tidied, notes = tidy(question, [record])  # a 分值 written 十分 is read as 10, and said so
            out.notes += [(n, note.removeprefix("第 1 项")) for note in notes]
            checked = validate(question, tidied)
        except InvalidValue as exc:
            key = re.sub(r"^\[\d+\]\.?", "", exc.path)
            where = f"{fields[key].label}「{record.get(key, '')}」" if key in fields else key
            out.skipped.append((n, f"{where}{exc.message}"))
            continue
        out.records.append(as_records(checked)[0])


def record_from(cells: dict[str, str], spec: TableSpec) -> dict[str, str]:
    record: dict[str, str] = {f: v for f, v in cells.items() if v}
    if spec.sign_in is not None:
        source, into = spec.sign_in.field, spec.sign_in.into
        m = _SIGN.match(record.get(source, ""))
        if m:
            record[source] = record[source][m.end() :].strip()
            if not record.get(into):
                record[into] = m[1]
        elif (
            spec.sign_in.words_mean
            and record.get(source)
            and not record.get(into)
            and number(record[source]) is None
        ):
            record[into] = spec.sign_in.words_mean
    for fid, choices in spec.values.items():
        value = record.get(fid)
        if value is None:
            continue
        plain = _norm(value)
        for choice, words in choices.items():
            if plain == _norm(choice) or plain in {_norm(w) for w in words}:
                record[fid] = choice
                break
    return record
