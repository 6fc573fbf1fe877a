"""Report -> plain text in the official outline, laid out as the printed page is (28 characters
a line, two cells each): the 附件说明 before the 署名 with later names aligned under the first,
the 署名 and date placed as GB/T 9704 7.3.5 places them. Titles stay on one line (centred when
they fit), so the text can be searched and read back by `zjeval import`."""

from __future__ import annotations

import unicodedata

from zjeval.report.model import Attachment, Content, Item, ItemList, Paragraph, Report, SectionNode, Table
from zjeval.report.typeset import LINE_CHARS, signature_starts

INDENT = "\u3000\u3000"  # two ideographic spaces: the 2-character first-line indent
LINE_CELLS = 2 * LINE_CHARS  # 28 characters a line, 2 cells each
NOTE_LEAD = "附件："


def cells(text: str) -> int:
    """Terminal/page cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def center(text: str) -> str:
    return " " * max(0, (LINE_CELLS - cells(text)) // 2) + text


def at(chars: float, text: str) -> str:
    """Text starting `chars` characters from the left margin."""
    return " " * round(2 * chars) + text


def _items(items: tuple[Item, ...], out: list[str]) -> None:
    for item in items:
        out.append(f"{INDENT}{item.label}{item.text}")
        _items(item.children, out)


def _content(content: tuple[Content, ...], out: list[str]) -> None:
    for c in content:
        if isinstance(c, Paragraph):
            out.append(f"{INDENT}{c.text}")
        elif isinstance(c, ItemList):
            _items(c.items, out)


def _section(node: SectionNode, out: list[str]) -> None:
    out.append(f"{INDENT}{node.heading}")
    _content(node.content, out)
    for child in node.sections:
        _section(child, out)


def attachment_note(report: Report) -> list[str]:
    """「附件：1．…」 左空二字; each later name on its own line, aligned with the first."""
    out = []
    for i, entry in enumerate(report.attachment_note):
        lead = NOTE_LEAD if i == 0 else "\u3000" * len(NOTE_LEAD)
        out.append(f"{INDENT}{lead}{entry}")
    return out


def signature(report: Report) -> list[str]:
    unit_at, date_at = signature_starts(report.signature_unit, report.signature_date, report.seal)
    return [at(unit_at, report.signature_unit), at(date_at, report.signature_date)]


def render(report: Report) -> str:
    out: list[str] = []
    if report.draft:
        out.append(f"【草稿：尚有{report.gaps}处待填写】" if report.gaps else "【草稿】")
        out.append("")
    out.append(center(report.title))  # one line: a reviewer greps it, an import reads it back
    out.append("")
    out.extend(f"{INDENT}{p.text}" for p in report.lead)
    for node in report.sections:
        _section(node, out)
    if report.attachments:
        out.append("")
        out.extend(attachment_note(report))
    out.append("")
    out.extend(signature(report))
    for attachment in report.attachments:
        out.extend(_attachment(attachment))
    return "\n".join(out) + "\n"


def _attachment(a: Attachment) -> list[str]:
    out = ["", "\f", a.mark, "", center(a.title), ""]
    for i, t in enumerate(a.tables):
        if i:
            out.append("")
        if t.caption:
            out.extend([t.caption, ""])
        out.extend(table(t))
    return out


def _pad(text: str, width: int, align_right: bool) -> str:
    gap = " " * (width - cells(text))
    return gap + text if align_right else text + gap


def table(t: Table) -> list[str]:
    """A plain-text table: columns sized in cells so CJK lines up; group rows span the table; a
    rule under the captions and above the totals that follow data rows; no captions when headless."""
    widths = [0 if t.headless else cells(c) for c in t.columns]
    for row in t.rows:
        if row.kind == "group":
            continue
        for i, cell in enumerate(row.texts):
            widths[i] = max(widths[i], cells(cell))

    # the last column is free text: it is not padded
    def line(cells_: tuple[str, ...]) -> str:
        parts = [_pad(c, widths[i], i in t.numeric) for i, c in enumerate(cells_[:-1])]
        return "  ".join([*parts, cells_[-1]]).rstrip()

    rule = "-" * (sum(widths[:-1]) + 2 * (len(widths) - 1) + max(4, min(widths[-1], 20)))
    out = [] if t.headless else [line(t.columns), rule]
    previous = "total"
    for row in t.rows:
        if row.kind == "group":
            out.append(f"[{row.texts[0]}]")
        else:
            if row.kind == "total" and previous != "total":
                out.append(rule)
            out.append(line(row.texts))
        previous = row.kind
    return out
