"""Report -> Markdown, for review on screen and for diffs between versions.

Every piece of answer text is escaped, so what a user typed is shown as typed: never as markup,
a link, HTML or a heading.
"""

from __future__ import annotations

import re

from zjeval.report.model import Attachment, Content, Item, ItemList, Paragraph, Report, SectionNode, Table

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^([ \t]*)(?:([#>+\-=])|([0-9]+)([.)])(?=\s|$))", re.M)


def escape(text: str) -> str:
    """Markdown-inert text: markup characters escaped, HTML special characters as entities, and
    every line's start (not only the first's) unable to begin a heading, a list or a quote; a
    line break in one piece of text becomes <br> (so it cannot end a table row or a heading)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(_inert_start, text.replace("\r", ""))
    return text.replace("\n", "<br>")


def _inert_start(m: re.Match[str]) -> str:
    """'# x' -> '\\# x', '1. x' -> '1\\. x' (a backslash before a digit would show)."""
    if m[2] is not None:
        return f"{m[1]}\\{m[2]}"
    return f"{m[1]}{m[3]}\\{m[4]}"


def paragraphs(text: str) -> list[str]:
    """A piece of text of several lines as Markdown paragraphs, one per line, each escaped."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            out.extend([escape(line), ""])
    return out or ["", ""]


def _items(items: tuple[Item, ...], out: list[str]) -> None:
    for item in items:
        out.extend(paragraphs(item.label + item.text))
        _items(item.children, out)


def _content(content: tuple[Content, ...], out: list[str]) -> None:
    for c in content:
        if isinstance(c, Paragraph):
            out.extend(paragraphs(c.text))
        elif isinstance(c, ItemList):
            _items(c.items, out)


def _section(node: SectionNode, out: list[str]) -> None:
    out.extend([f"{'#' * (node.level + 2)} {escape(node.heading)}", ""])
    _content(node.content, out)
    for child in node.sections:
        _section(child, out)


def table(t: Table) -> list[str]:
    """A GFM table; group rows become a bold first cell, subtotal and total rows are bold."""
    align = ["---:" if i in t.numeric else "---" for i in range(len(t.columns))]
    rows = list(t.rows)
    captions = rows.pop(0).texts if t.headless and rows else t.columns  # headless: the first row leads
    out = ["| " + " | ".join(escape(c) for c in captions) + " |", "| " + " | ".join(align) + " |"]
    for row in rows:
        cells = [escape(c) for c in row.texts]
        if row.kind == "group":
            cells = [f"**{cells[0]}**"] + [""] * (len(t.columns) - 1)
        elif row.kind in ("subtotal", "total"):
            cells = [f"**{c}**" if c else "" for c in cells]
        out.append("| " + " | ".join(cells) + " |")
    return out


def _attachment(a: Attachment) -> list[str]:
    out = ["", f"## {a.mark}", "", f"**{escape(a.title)}**"]
    for t in a.tables:
        out.append("")
        if t.caption:
            out.extend([f"### {escape(t.caption)}", ""])
        out.extend(table(t))
    return out


def _note_rest(entries: list[str]) -> list[str]:
    """Later 附件说明 lines, aligned under the first name (hard line breaks)."""
    return [
        "\u3000\u3000\u3000" + entry + ("  " if i < len(entries) - 1 else "")
        for i, entry in enumerate(entries)
    ]


def render(report: Report) -> str:
    out: list[str] = []
    if report.draft:
        mark = f"【草稿：尚有{report.gaps}处待填写】" if report.gaps else "【草稿】"
        out.extend([f"> {escape(mark)}", ""])
    out.extend([f"# {escape(report.title)}", ""])
    for p in report.lead:
        out.extend(paragraphs(p.text))
    for node in report.sections:
        _section(node, out)
    if report.attachments:  # the 附件说明 comes before the 署名 (GB/T 9704 7.3.4)
        note = [escape(entry) for entry in report.attachment_note]
        out.extend(["附件：" + note[0] + ("  " if len(note) > 1 else ""), *_note_rest(note[1:]), ""])
    out.extend([f"{escape(report.signature_unit)}  ", escape(report.signature_date), ""])
    for attachment in report.attachments:
        out.extend(_attachment(attachment))
    return "\n".join(out).rstrip("\n") + "\n"
