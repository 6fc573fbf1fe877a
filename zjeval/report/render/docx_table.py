"""Tables of the DOCX: widths fitted to content, padded cells, rows that never split, and a long
table kept in groups: a 一级指标's rows, or a group row (“三公”经费) and the rows it heads, stay on
one page (keep-with-next) and move to the next page together when they do not fit; the header
row repeats on each page; label columns (一级/二级指标) merge within a group's part planned for
one page, so a continuation page always shows its labels. No hard page breaks: the application
breaks the pages with the real fonts. Row heights are estimated on the safe side."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell

from zjeval.report.model import Num, Row, Table
from zjeval.report.render.docx_base import BODY_FONT, TABLE_SIZE, add_run, set_format
from zjeval.report.typeset import show

CELL_MARGIN_X = Twips(85)  # 0.15 cm left and right inside a cell
CELL_MARGIN_Y = Twips(40)  # 2 pt above and below
TABLE_LINE = Pt(16)  # exact line spacing in cells: heights are known, whatever the font's metrics


def text_width(text: str, size: Length) -> int:
    """Printed width in twips of the widest line: CJK and full-width characters one em, others half."""
    em = int(size.twips)
    return max(
        sum(em if unicodedata.east_asian_width(c) in "WF" else em // 2 for c in line)
        for line in text.split("\n")
    )


def shown(row: Row) -> tuple[str, ...]:
    """The row's cells as printed: an adjusted score puts its （调整） mark on a line of its own,
    so the 得分 column stays narrow and the reasons get the room."""
    return tuple(
        f"{show(c.value, c.kind)}{c.suffix}\n（调整）" if isinstance(c, Num) and c.adjusted else str(c)
        for c in row.cells
    )


def spans(row_cells: tuple[str, ...], kind: str, numeric: Sequence[int]) -> list[tuple[int, int]]:
    """(first column, columns spanned) of each printed cell of a row.

    A group row spans the table; a subtotal or total row's label runs over the empty cells
    after it, up to the first figure (投入小计 across 一级/二级/三级指标).
    """
    n = len(row_cells)
    if kind == "group":
        return [(0, n)]
    out: list[tuple[int, int]] = []
    col = 0
    while col < n:
        width = 1
        if kind in ("subtotal", "total") and col == 0:
            while col + width < n and not row_cells[col + width] and col + width not in numeric:
                width += 1
        out.append((col, width))
        col += width
    return out


def column_widths(t: Table, total: int, size: Length = TABLE_SIZE) -> list[int]:
    """Column widths in twips adding up to `total`, fitted to their contents.

    Each column wants its widest single-column cell (a header may wrap to two characters a
    line). When all fit, short columns keep what they need and the spare width goes to the
    free-text last column (扣分原因) and to the label columns; when not, the widest columns
    are capped at one level (the free-text column at twice that level) and wrap.
    """
    n = len(t.columns)
    pad = 2 * CELL_MARGIN_X.twips + 40 + size.twips // 2  # cell margins, borders, half an em of slack
    natural = [2 * size.twips + pad] * n
    for row in t.rows:
        texts = shown(row)
        for col, width in spans(texts, row.kind, t.numeric):
            if width == 1:
                natural[col] = max(natural[col], text_width(texts[col], size) + pad)
    free_text = n - 1 not in t.numeric  # the last column holds sentences (扣分原因)
    if free_text:
        natural[-1] = max(natural[-1], 8 * size.twips + pad)  # room to write, even when empty
    if free_text and sum(natural[:-1]) + natural[-1] > total >= sum(natural[:-1]) + 10 * size.twips:
        widths = [float(w) for w in natural[:-1]] + [float(total - sum(natural[:-1]))]
    elif sum(natural) <= total:
        widths = [float(w) for w in natural]
        spare = total - sum(natural)
        grow = [n - 1] if free_text and n > 1 else [i for i in range(n) if i not in t.numeric]
        for i in grow:
            widths[i] += spare / len(grow)
    else:
        weight = [1.0] * n
        if free_text:
            weight[-1] = 2.5

        def used(level: float) -> float:
            return sum(min(float(natural[i]), weight[i] * level) for i in range(n))

        low, high = 0.0, float(max(natural))
        for _ in range(60):
            mid = (low + high) / 2
            low, high = (mid, high) if used(mid) < total else (low, mid)
        widths = [min(natural[i], weight[i] * low) for i in range(n)]
    out = [int(w) for w in widths]
    out[out.index(max(out))] += total - sum(out)  # rounding goes to the widest column
    return out


def wrapped(line: str, room: int, size: Length = TABLE_SIZE) -> int:
    """How many lines a line of text takes in `room` twips: it breaks between whole characters,
    so a column 5.5 characters wide holds 5 a line (dividing the widths would say 5.5)."""
    em = int(size.twips)
    lines, used = 1, 0
    for c in line:
        width = em if unicodedata.east_asian_width(c) in "WF" else em // 2
        if used and used + width > room:
            lines, used = lines + 1, 0
        used += width
    return lines


def row_lines(texts: tuple[str, ...], widths: list[int], kind: str, numeric: Sequence[int]) -> int:
    """How many lines the row's tallest cell wraps to (an estimate, on the safe side)."""
    tallest = 1
    pad = 2 * CELL_MARGIN_X.twips + 40
    for col, span in spans(texts, kind, numeric):
        room = max(1, sum(widths[col : col + span]) - pad)
        lines = texts[col].split("\n")
        tallest = max(tallest, sum(wrapped(line, room) for line in lines))
    return tallest


def table_properties(t: DocxTable, widths: list[int]) -> None:
    """Fixed layout at the text width, centred, padded cells."""
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.insert_element_before(tbl_w, *tbl_pr._tag_seq[tbl_pr._tag_seq.index("w:jc") :])
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout", {qn("w:type"): "fixed"})
    tbl_pr.insert_element_before(layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    margins = OxmlElement("w:tblCellMar")
    for side, size in (
        ("top", CELL_MARGIN_Y),
        ("left", CELL_MARGIN_X),
        ("bottom", CELL_MARGIN_Y),
        ("right", CELL_MARGIN_X),
    ):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(size.twips), qn("w:type"): "dxa"}))
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for grid_col, width in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=False):
        grid_col.w = Twips(width)
    # straight to the XML: python-docx's row.cells and table.cell(r, c) re-walk the whole table
    # on every call (the DOCX took seconds for two attachments)
    for tr in t._tbl.tr_lst:
        row_pr = tr.get_or_add_trPr()
        row_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for tc, width in zip(tr.tc_lst, widths, strict=False):
            tc.width = Twips(width)


def grid_cells(t: DocxTable) -> list[list[_Cell]]:
    """Every cell of a table not yet merged, by row and column, read once from the XML."""
    return [[_Cell(tc, t) for tc in tr.tc_lst] for tr in t._tbl.tr_lst]


def fill(cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH) -> None:
    # w:vAlign is last but one in w:tcPr, which holds only its width (w:tcW) so far
    cell._tc.get_or_add_tcPr().append(OxmlElement("w:vAlign", {qn("w:val"): "center"}))
    paragraph = cell.paragraphs[0]
    set_format(paragraph, align=align, first_line=None, line=TABLE_LINE, grid=False)
    if text:
        add_run(paragraph, text, BODY_FONT, TABLE_SIZE, bold=bold)


def merged_runs(t: Table, col: int, rows: list[int]) -> dict[int, int]:
    """Among `rows` (one page's part), first -> last position of each run of data rows sharing
    the label in `col` (and in every column before it: a 二级指标 merges within its 一级指标)."""
    out: dict[int, int] = {}
    start = None
    for i, index in enumerate(rows):
        row = t.rows[index]
        first = t.rows[rows[start]] if start is not None else None
        same = (
            first is not None
            and row.kind == "data"
            and first.kind == "data"
            and row.texts[col] != ""
            and row.texts[: col + 1] == first.texts[: col + 1]
        )
        if not same:
            start = i
        assert start is not None
        out[start] = i
    return {a: b for a, b in out.items() if b > a}


def row_groups(t: Table) -> list[list[int]]:
    """Rows that belong on one page: a group row (“三公”经费) with the rows it heads, a run of
    rows sharing a 一级 label with its 小计, the 合计 with the group before it."""
    groups: list[list[int]] = []
    for i, row in enumerate(t.rows):
        key = row.texts[0] if t.merge and row.kind == "data" else None
        head = t.rows[groups[-1][0]] if groups else None
        joins = head is not None and (
            row.kind in ("subtotal", "total")
            or (row.kind == "data" and head.kind == "group")
            or (key is not None and head.kind == "data" and head.texts[0] == key)
        )
        if joins:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def row_height(lines: int) -> float:
    """A row's estimated height in points when its tallest cell has `lines` lines: the lines,
    the cell's margins above and below, and a border."""
    return float(lines * TABLE_LINE.pt + (2 * CELL_MARGIN_Y.pt + 1.5))


def paginate(t: Table, widths: list[int], page_height: Length, above: float = 0) -> list[int]:
    """The page each row should land on (an estimate, on the safe side): a group of rows moves
    to the next page whole when it does not fit, unless it is taller than a page; then it
    starts a page of its own when fewer than three of its rows would fit below what is there."""
    heights = [row_height(row_lines(shown(r), widths, r.kind, t.numeric)) for r in t.rows]
    header = row_height(row_lines(t.columns, widths, "data", ()))
    room = (page_height.pt - header) * 0.97
    first_room = room - above  # 附件N, a blank line, the title, a blank line
    pages = [0] * len(t.rows)
    page, used, capacity = 0, 0.0, first_room
    for group in row_groups(t):
        need = sum(heights[i] for i in group)
        head = sum(heights[i] for i in group[:3])
        if used and used + need > capacity and (need <= room or used + head > capacity):
            page, used, capacity = page + 1, 0.0, room
        for i in group:
            if used and used + heights[i] > capacity:
                page, used, capacity = page + 1, 0.0, room
            pages[i] = page
            used += heights[i]
    return pages


def page_break(doc: DocxDocument) -> None:
    """A one-point paragraph that starts a new page: the table goes on below it."""
    paragraph = doc.add_paragraph()
    set_format(paragraph, first_line=None, line=Pt(1), grid=False)
    paragraph.paragraph_format.page_break_before = True


def chunks(t: Table, pages: list[int]) -> list[list[int]]:
    """The rows kept together: each group, cut where it is planned to go on to the next page."""
    out: list[list[int]] = []
    for group in row_groups(t):
        for i in group:
            if out and out[-1][-1] in group and pages[out[-1][-1]] == pages[i]:
                out[-1].append(i)
            else:
                out.append([i])
    return out


def table(doc: DocxDocument, t: Table, width: Length, page_height: Length, above: float) -> float:
    """The table as one table: its header row repeated on each page, rows that never split,
    and each group of rows kept on one page (keep-with-next), so the page breaks fall where
    the application lays them out, never a hard break that leaves a gap; a label merges only
    within a group's part planned for one page, so every page shows its labels. `above` is
    the height in points the page's first lines take above the table. Returns how far down
    its last page the table ends (points, estimated), for what follows it on that page."""
    widths = column_widths(t, int(width.twips))
    pages = paginate(t, widths, page_height, above)
    part(doc, t, list(range(len(t.rows))), widths, chunks(t, pages))
    last = max(pages, default=0)
    height = row_height(row_lines(t.columns, widths, "data", ()))
    height += sum(
        row_height(row_lines(shown(r), widths, r.kind, t.numeric))
        for r, p in zip(t.rows, pages, strict=True)
        if p == last
    )
    return float((above if last == 0 else 0.0) + height)


def keep_with_next(row_cells: list[_Cell]) -> None:
    """Every paragraph of the row kept with the next paragraph: the row stays with the next row."""
    for cell in row_cells:
        for p in cell._tc.iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True


def part(
    doc: DocxDocument, t: Table, rows: list[int], widths: list[int], together: list[list[int]] | None = None
) -> None:
    """A table of `rows`; `together`: runs of those rows kept on one page (labels merge within
    each run), by default the whole part (one page's rows)."""
    n = len(t.columns)
    grid = doc.add_table(rows=len(rows) + 1, cols=n)
    grid.style = doc.styles["Table Grid"]
    table_properties(grid, widths)

    cells = grid_cells(grid)  # before any merge: row r, column c is cells[r][c]
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on each page
    for i, name in enumerate(t.columns):
        fill(cells[0][i], name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    # label columns merged down over their runs (a part is one page: each page shows its labels)
    continued: set[tuple[int, int]] = set()  # (row, column) of cells merged into the one above
    vertical: list[tuple[int, int, int]] = []
    position = {index: r for r, index in enumerate(rows)}
    runs = together if together is not None else [rows]
    for col in t.merge:
        for run in runs:
            at = position[run[0]]
            for first, last in merged_runs(t, col, run).items():
                vertical.append((at + first + 1, at + last + 1, col))
                continued.update((r, col) for r in range(at + first + 1, at + last + 1))

    horizontal: list[tuple[int, int, int]] = []
    for r, i in enumerate(rows):
        row = t.rows[i]
        texts = shown(row)
        strong = row.kind != "data"
        for col, span in spans(texts, row.kind, t.numeric):
            if (r, col) in continued:
                continue
            cell = cells[r + 1][col]
            if span > 1:
                horizontal.append((r + 1, col, col + span - 1))
            if row.kind == "group":
                align = WD_ALIGN_PARAGRAPH.LEFT
            elif col in t.numeric:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            elif span > 1 or col in t.merge:
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            fill(cell, texts[col], bold=strong, align=align)
    if together is not None:
        keep_with_next(cells[0])  # the header row never alone at a page's foot
        for run in together:
            for index in run[:-1]:
                keep_with_next(cells[position[index] + 1])
    # merged last, in the XML (python-docx's merge measures the whole grid each time)
    for r, first, last in horizontal:
        span_right(cells[r][first : last + 1], widths[first : last + 1])
    for top, bottom, col in vertical:
        span_down([cells[r][col] for r in range(top, bottom + 1)])


def span_right(row_cells: list[_Cell], widths: list[int]) -> None:
    """One cell over several columns (w:gridSpan); the others, empty, leave the row."""
    first = row_cells[0]._tc
    first.width = Twips(sum(widths))
    first.grid_span = len(row_cells)
    for cell in row_cells[1:]:
        cell._tc.getparent().remove(cell._tc)


def span_down(column_cells: list[_Cell]) -> None:
    """One cell over several rows (w:vMerge restart, then continue); the first holds the text."""
    column_cells[0]._tc.vMerge = "restart"
    for cell in column_cells[1:]:
        cell._tc.vMerge = "continue"
