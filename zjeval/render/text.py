"""Report -> plain text in the official outline (GB/T 9704 conventions, as text allows)."""

from __future__ import annotations

import unicodedata

from zjeval.report import Content, Item, ItemList, Paragraph, Report, SectionNode

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
        out.append("附件:" + " ".join(f"{i}.{name}" for i, name in enumerate(report.attachments, 1)))
    return "\n".join(out) + "\n"
