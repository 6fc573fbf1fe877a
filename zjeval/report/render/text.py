"""Report -> plain text in the official outline (GB/T 9704 conventions, as text allows)."""

from __future__ import annotations

import unicodedata

from zjeval.report.build import Attachment, Content, Item, ItemList, Paragraph, Report, SectionNode, Table

INDENT = "\u3000\u3000"  # two ideographic spaces: the 2-character first-line indent
LINE_CELLS = 56  # 28 characters a line, 2 cells each
RIGHT_MARGIN_CELLS = 8  # 落款右空四字


def cells(text: str) -> int:
    """Terminal/page cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def right(text: str) -> str:
    pad = max(0, LINE_CELLS - RIGHT_MARGIN_CELLS - cells(text))
    return " " * pad + text


def center(text: str) -> str:
    return " " * max(0, (LINE_CELLS - cells(text)) // 2) + text


def _items(items: tuple[Item, ...], depth: int, out: list[str]) -> None:
    for item in items:
        out.append(f"{INDENT}{item.label}{item.text}")
        _items(item.children, depth + 1, out)


def _content(content: tuple[Content, ...], out: list[str]) -> None:
    for c in content:
        if isinstance(c, Paragraph):
            out.append(f"{INDENT}{c.text}")
        elif isinstance(c, ItemList):
            _items(c.items, 0, out)


def _section(node: SectionNode, out: list[str]) -> None:
    out.append(f"{INDENT}{node.heading}")
    _content(node.content, out)
    for child in node.sections:
        _section(child, out)


def render(report: Report) -> str:
    out: list[str] = []
    if report.draft:
        out.append(f"【草稿:尚有 {report.gaps} 处待填写】" if report.gaps else "【草稿】")
        out.append("")
    out.append(center(report.title))
    out.append("")
    out.extend(f"{INDENT}{p.text}" for p in report.lead)
    for node in report.sections:
        _section(node, out)
    out.append("")
    out.append(right(report.signature_unit))
    out.append(right(report.signature_date))
    if report.attachments:
        out.append("")
        out.append("附件:" + " ".join(f"{a.number}.{a.name}" for a in report.attachments))
        for attachment in report.attachments:
            out.extend(_attachment(attachment))
    return "\n".join(out) + "\n"


def _attachment(a: Attachment) -> list[str]:
    return ["", "\f", f"附件{a.number}", "", center(a.title), "", *table(a.table)]


def _pad(text: str, width: int, align_right: bool) -> str:
    gap = " " * (width - cells(text))
    return gap + text if align_right else text + gap


def table(t: Table) -> list[str]:
    """A plain-text table: columns sized in cells so CJK lines up; group rows span the table."""
    widths = [cells(c) for c in t.columns]
    for row in t.rows:
        if row.kind == "group":
            continue
        for i, cell in enumerate(row.cells):
            widths[i] = max(widths[i], cells(cell))

    # the last column is free text: it is not padded
    def line(cells_: tuple[str, ...]) -> str:
        parts = [_pad(c, widths[i], i in t.numeric) for i, c in enumerate(cells_[:-1])]
        return "  ".join([*parts, cells_[-1]]).rstrip()

    rule = "-" * (sum(widths[:-1]) + 2 * (len(widths) - 1) + max(4, min(widths[-1], 20)))
    out = [line(t.columns), rule]
    for row in t.rows:
        if row.kind == "group":
            out.append(f"[{row.cells[0]}]")
        else:
            if row.kind == "total":
                out.append(rule)
            out.append(line(row.cells))
    return out
