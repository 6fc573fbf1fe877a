"""The page around an imported report: the portal's own text, the title, the 落款, the 附件.

Pure functions over the lines of a source document (see sources.py); importing.py uses them
before it looks for the outline's sections.
"""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

from zjeval.answers.parsing import parse_date
from zjeval.importing import patterns as P
from zjeval.importing.meta import title_parts

SIGNATURE_END = re.compile(r"(局|委|办|院|中心|所|站|会|部|室|厅|处|馆|队|[)）])$")


def is_portal(line: str) -> bool:
    return len(line) <= P.PORTAL_MAX and not line.endswith(("。", "；")) and bool(P.PORTAL.search(line))


_FILE_NAME = re.compile(r"\.(?:docx?|wps|pdf|xlsx?|ods|txt)$", re.IGNORECASE)


def trim_portal(lines: list[str]) -> tuple[str, list[str], str]:
    """(title, report lines, the page's publication date text) with the site's own text gone.
    The file's name shown above the report ('…自评报告.docx') is the title once, not twice."""
    lines = [_FILE_NAME.sub("", x) if len(x) <= P.PORTAL_MAX + 10 else x for x in lines]
    published = ""
    for line in lines[:60]:
        m = re.search(r"(?:时间|日期)\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2})", line)
        if m and is_portal(line):
            published = m[1]
            break
    title, start = "", None
    for i, line in enumerate(lines[:40]):
        if is_portal(line) or line.startswith("根据") or line.endswith(("。", "：", ":")):
            continue
        if "绩效" in line and re.search(r"报告|数据表|评分表|自评表", line) and len(line) <= 60:
            title, start = _with_unit_line(lines[i - 1] if i else "", line), i + 1
            while start < len(lines) and lines[start] == title:
                start += 1
            break
    if start is None:
        start = next((i for i, line in enumerate(lines) if not is_portal(line)), len(lines))
    body: list[str] = []
    for line in lines[start:]:
        if len(line) <= P.PORTAL_MAX and P.PORTAL_END.search(line):
            if len(body) >= 3:  # the page's own text after the report; before it, a share bar
                break
            continue
        if not is_portal(line) and not (
            line == title and len(body) < 10
        ):  # the title again, under the page's
            body.append(line)
    return title, body, published


def _with_unit_line(before: str, title: str) -> str:
    """The title with the line above it when that line is the unit's name and the title has none:
    a centred title wrapped in two lines, as a PDF's text layer gives it."""
    if not before or is_portal(before) or len(before) > 40 or before.endswith(("。", "；", "：", ":")):
        return title
    if re.fullmatch(r"(?:19|20)\d{2}\s*年度?", before):
        return before + title  # the year over the title: '2022年度' / 'XX局部门整体支出……'
    if re.match(r"^附件\s*\d*\s*[:：]?", before):
        return title
    if title_parts(title)[0] or not title_parts(before + title)[0]:
        return title
    return before + title


def split_attachments(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if re.match(r"^附件\s*[:：]", line) and len(line) <= 80:
            j = i + 1  # the 附件说明's later names: 「2．…」
            while j < len(lines) and re.match(r"^\d+\s*[.．、]", lines[j]) and len(lines[j]) <= 80:
                j += 1
            tail = lines[j : j + 2]  # GB/T 9704 7.3.4: the 署名 and date follow the 附件说明
            if len(tail) == 2:
                try:
                    parse_date(tail[1])
                    return lines[:i] + tail, lines[j + 2 :]
                except PydanticCustomError:
                    pass
            return lines[:i], lines[j:]
    return lines, []


def drop_contents(lines: list[str], heads: P.Headings) -> list[str]:
    """A table of contents ('目录' and the headings it lists, page numbers or dot leaders) dropped:
    the headings come again with their text, and would otherwise be read twice."""
    start = next((i for i, x in enumerate(lines[:40]) if re.fullmatch(r"目\s*录", x)), None)
    if start is None:
        return lines
    seen: set[str] = set()
    end = start + 1
    while end < len(lines):
        line = lines[end]
        entry = re.sub(r"[.．…·\s-]*\d*\s*$", "", line)
        if P.plain(entry) in seen:
            break  # the body starts: its first heading was listed
        outline = P.enumerator_style(entry) in ("cn", "pcn") and not re.search(r"[。，,；;]", entry)
        listed = (
            P.heading_key(entry, heads)
            or re.search(r"[.．…·]{3,}\s*\d+\s*$|\s\d+$", line)
            or (outline and len(entry) <= P.HEADING_MAX + 4)  # a 目录 without page numbers
        )
        if not listed and not re.match(r"^附件", line):
            break
        seen.add(P.plain(entry))
        end += 1
    return lines[:start] + lines[end:]


def signature(lines: list[str], heads: P.Headings) -> tuple[list[str], str, str]:
    """The 落款 (unit, date) at the end of the body, taken off it."""
    unit = date = ""
    if lines:
        try:
            parse_date(lines[-1])
            date, lines = lines[-1], lines[:-1]
        except PydanticCustomError:  # not a date: no 落款 date here
            pass
    if date and lines:
        last = lines[-1]
        short = len(last) <= 40 and not re.search(r"[。，,；;：:]", last)
        if (
            short
            and SIGNATURE_END.search(last)
            and not P.ENUMERATOR.match(last)
            and not P.heading_key(last, heads)
        ):
            unit, lines = last, lines[:-1]
    return lines, unit, date


def join_wrapped(lines: list[str], heads: P.Headings) -> list[str]:
    """Lines broken inside a sentence (a scraped page's hard wraps) joined again."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (
            len(prev) >= 40
            and not P.ENDS_SENTENCE.search(prev)
            and prev.count(" ") < 2  # a table's row ('cell cell cell') is not prose
            and line.count(" ") < 2
            and not P.ENUMERATOR.match(line)
            and P.heading_key(line, heads) is None
            and not P.ROLE.match(line)
        ):
            out[-1] = prev + line
        else:
            out.append(line)
    return out
