"""An attachment of several blocks (the 自评表: header rows, funds, 年度总体目标, indicator rows)
printed as the official ONE continuous table: the indicator block's columns are the grid (widths
fitted to content by docx_table.column_widths), every other block's columns span runs of grid
columns fitted to their own contents (report.grid), a block's caption is a row across the table.
In the file it is two tables on that grid, the indicator block a table of its own right under the
others (a hidden paragraph between them), so its caption and column header lead a table and
repeat on every page its rows run onto. No page break is forced: rows never split, and Word or
LibreOffice carry the table over pages."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row

from zjeval.report import grid as fitting
from zjeval.report.model import Num, Table
from zjeval.report.render import docx_table
from zjeval.report.render.docx_base import TABLE_SIZE, set_format

Span = fitting.Span


def _needs(t: Table) -> list[float]:
    """Each column's natural width in twips: its widest cell, its caption on at most two lines."""
    pad = 2 * docx_table.CELL_MARGIN_X.twips + 40 + TABLE_SIZE.twips // 2
    out = [float(2 * TABLE_SIZE.twips + pad)] * len(t.columns)
    if not t.headless:
        out = [
            max(o, docx_table.text_width(c, TABLE_SIZE) / 2 + pad)
            for o, c in zip(out, t.columns, strict=True)
        ]
    for row in t.rows:
        if row.kind != "data" and t.block == "rows":
            continue  # the 总分 and grade labels run over the empty cells after them
        for i, text in enumerate(docx_table.shown(row)):
            slack = TABLE_SIZE.twips if isinstance(row.cells[i], Num) else 0  # a figure never wraps
            out[i] = max(out[i], float(docx_table.text_width(text, TABLE_SIZE) + pad + slack))
    return out


def _the_grid(tables: tuple[Table, ...]) -> Table:
    """The block whose columns are the grid: the one with the most columns (the indicator rows)."""
    return max(tables, key=lambda t: len(t.columns))


def grid_widths(tables: tuple[Table, ...], total: int) -> tuple[list[int], dict[int, list[Span]]]:
    """The grid's column widths (twips, adding up to `total`) and each block's spans over it.

    Short columns (numbers, 指标性质, 单位) keep their natural width; the wordy ones share the
    rest in proportion to their natural width (the free-text last column counted at most 24
    characters), so a 三级指标 is not squeezed to three lines while a 一级指标 idles. Then a
    block whose column falls short (a funds figure under a narrow grid column) gets room taken
    from the widest column."""
    main = _the_grid(tables)
    natural = _needs(main)
    short = 6 * TABLE_SIZE.twips
    em = TABLE_SIZE.twips
    cap = [min(w, (24.0 if i == len(natural) - 1 else 10.0) * em) for i, w in enumerate(natural)]
    fixed = sum(w for w in cap if w <= short)
    wordy = [i for i, w in enumerate(cap) if w > short]
    room = total - fixed
    widths = [float(w) for w in cap]
    want = sum(cap[i] for i in wordy)
    if wordy:
        for i in wordy:
            widths[i] = cap[i] * room / want
    else:
        widths = [w * total / sum(cap) for w in cap]
    spans: dict[int, list[Span]] = {}
    for t in tables:
        if t is main:
            spans[id(t)] = [(i, 1) for i in range(len(widths))]
            continue
        need = [min(x, 14.0 * em) for x in _needs(t)]  # words wrap (two lines or so); figures fit
        spans[id(t)] = fitting.fit_spans(need, widths)
        before = sum(widths)
        fitting.widen(widths, spans[id(t)], need)
        widest = widths.index(max(widths))
        widths[widest] -= sum(widths) - before
    out = [int(w) for w in widths]
    out[out.index(max(out))] += total - sum(out)
    return out, spans


def table(
    doc: DocxDocument, tables: tuple[Table, ...], width: Length, page_height: Length, above: float
) -> None:
    """The blocks one under another, on one grid: the blocks above the indicator rows in one
    table, the indicator block (its caption, column header, rows) in a second table right under
    it, joined by a hidden paragraph, so on paper they read as one table while the caption and
    the column header repeat at the top of every page the indicator rows run onto (Word repeats
    only a table's leading rows). The indicator rows are kept in groups and their 一级/二级
    labels merged within a group's part planned for one page, as in docx_table, so every page
    shows its labels; `above` is the height in points the title takes above the table."""
    main = _the_grid(tables)
    widths, spans_of = grid_widths(tables, int(width.twips))
    n = len(widths)
    at = tables.index(main)
    above += sum(_block_height(t, widths, spans_of[id(t)]) for t in tables[:at])
    runs = _plan(main, widths, page_height, above)
    upper = sum(_height(t) for t in tables[:at])
    lower = sum(_height(t) for t in tables[at:])
    rows: list[_Row] = []
    last: list[_Row] = []  # the indicator rows' table
    for count in (upper, lower):
        if not count:
            continue
        if rows:
            _joint(doc)
        grid = doc.add_table(rows=count, cols=n)
        grid.style = doc.styles["Table Grid"]
        docx_table.table_properties(grid, widths)
        last = list(grid.rows)  # python-docx's grid.rows[i] lists every row each time
        rows.extend(last)
    # the indicator rows' table (the last), its data rows after the column header
    first = bool(main.caption) + int(not main.headless)
    r = 0
    for t in tables:
        spans = spans_of[id(t)]
        if t.caption:
            cell = rows[r].cells[0].merge(rows[r].cells[n - 1])
            docx_table.fill(cell, t.caption, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            _keep_with_next(rows[r])
            if t is main:
                _repeat(rows[r])
            r += 1
        if not t.headless:
            _line(rows[r], t.columns, spans, bold=True, center=True, numeric=())
            _keep_with_next(rows[r])  # a block's captions never end a page alone
            if t is main:
                _repeat(rows[r])
            r += 1
        continued = _merge_labels(grid, t, first, runs) if t is main else set()
        for i, row in enumerate(t.rows):
            texts = docx_table.shown(row)
            if t is main:
                figures = tuple(i for i, role in enumerate(t.roles) if role in ("weight", "score"))
                cells = docx_table.spans(texts, row.kind, figures or t.numeric)  # 总分 runs up to 分值
                line_spans = [(c, w) for c, w in cells]
                values = [texts[c] for c, _ in cells]
                numeric = tuple(k for k, (c, _) in enumerate(cells) if isinstance(row.cells[c], Num))
                skip = {k for k, (c, _) in enumerate(cells) if (i, c) in continued}
            else:
                line_spans, values = spans, list(texts)
                numeric = tuple(k for k, c in enumerate(row.cells) if isinstance(c, Num))
                skip = set()
            _line(
                rows[r], values, line_spans, bold=row.kind != "data", center=False, numeric=numeric, skip=skip
            )
            if t.headless:  # a header row's caption in bold
                for p in rows[r].cells[0].paragraphs:
                    for run in p.runs:
                        run.font.bold = True
            r += 1
    for run in runs:  # a group's part planned for one page stays on one page
        for index in run[:-1]:
            _keep_with_next(last[first + index])


def _plan(main: Table, widths: list[int], page_height: Length, above: float) -> list[list[int]]:
    """The indicator rows kept together (docx_table.paginate's estimate): a group's part planned
    for one page. The caption repeats with the column header, a line is kept spare for a header
    cell that wraps once more than estimated, and when not even the first row fits below the
    blocks above, the rows are planned from the next page."""
    spare = (docx_table.row_height(1) if main.caption else 0.0) + docx_table.TABLE_LINE.pt
    height = Length(int(page_height - Pt(spare)))
    pages = docx_table.paginate(main, widths, height, above)
    header = docx_table.row_height(docx_table.row_lines(main.columns, widths, "data", ()))
    first = docx_table.row_height(docx_table.row_lines(docx_table.shown(main.rows[0]), widths, "data", ()))
    if above + header + first > (height.pt - header) * 0.97 + header:
        pages = [p + 1 for p in docx_table.paginate(main, widths, height, 0)]
    return docx_table.chunks(main, pages)


def _block_height(t: Table, widths: list[int], spans: list[Span]) -> float:
    """The block's estimated height in points: its caption, column header and rows."""
    room = [sum(widths[first : first + count]) for first, count in spans]
    lines = [docx_table.row_lines(tuple(t.columns), room, "data", ())] if not t.headless else []
    lines += [docx_table.row_lines(docx_table.shown(row), room, "data", ()) for row in t.rows]
    return sum(docx_table.row_height(k) for k in lines) + (docx_table.row_height(1) if t.caption else 0.0)


def _repeat(row: _Row) -> None:
    """A leading row of its table repeated at the top of each page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _height(t: Table) -> int:
    """The block's rows in the DOCX: its caption, its column header, its rows."""
    return bool(t.caption) + (not t.headless) + len(t.rows)


def _joint(doc: DocxDocument) -> None:
    """What stands between two tables that print as one: a paragraph with its mark hidden and a
    near-zero exact height (Word joins two tables with nothing between them into one)."""
    paragraph = doc.add_paragraph()
    set_format(paragraph, first_line=None, line=Twips(2), grid=False)
    mark = OxmlElement("w:rPr")  # the paragraph mark's run properties, last in w:pPr
    paragraph._p.get_or_add_pPr().append(mark)
    mark.append(OxmlElement("w:vanish"))
    mark.append(OxmlElement("w:sz", {qn("w:val"): "2"}))
    mark.append(OxmlElement("w:szCs", {qn("w:val"): "2"}))


def _keep_with_next(row: _Row) -> None:
    """Every paragraph of the row kept with the next, also in the cells merged into the one
    above (python-docx's row.cells shows the merged cell in their place)."""
    for p in row._tr.iter(qn("w:p")):
        p.get_or_add_pPr().keepNext_val = True


def _merge_labels(grid: DocxTable, t: Table, first_row: int, runs: list[list[int]]) -> set[tuple[int, int]]:
    """一级/二级 cells merged down over their runs within each of `runs` (a group's part planned
    for one page), in the XML (python-docx's merge measures the whole grid each time); returns
    (row index in t, column) of the cells merged into the one above."""
    continued: set[tuple[int, int]] = set()
    trs = grid._tbl.tr_lst
    for col in t.merge:
        for run in runs:
            for a, b in docx_table.merged_runs(t, col, run).items():
                column = [_Cell(trs[first_row + run[k]].tc_lst[col], grid) for k in range(a, b + 1)]
                docx_table.span_down(column)
                for cell in column[1:]:  # its empty paragraph one table line high, like the rest
                    docx_table.fill(cell, "", bold=False, align=WD_ALIGN_PARAGRAPH.LEFT)
                continued.update((run[k], col) for k in range(a + 1, b + 1))
    return continued


def _line(
    row: object,
    values: object,
    spans: list[Span],
    *,
    bold: bool,
    center: bool,
    numeric: tuple[int, ...],
    skip: set[int] | None = None,
) -> None:
    cells = row.cells  # type: ignore[attr-defined]
    for k, ((first, count), text) in enumerate(zip(spans, values, strict=True)):  # type: ignore[call-overload]
        if skip and k in skip:
            continue
        cell = cells[first]
        if count > 1:
            cell = cell.merge(cells[first + count - 1])
        if center or len(str(text)) == 1:  # a caption, or a mark like "—" or a grade
            align = WD_ALIGN_PARAGRAPH.CENTER
        elif k in numeric:
            align = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            align = WD_ALIGN_PARAGRAPH.LEFT
        docx_table.fill(cell, str(text), bold=bold, align=align)
