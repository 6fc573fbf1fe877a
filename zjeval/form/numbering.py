"""Outline numbering: 一、 → （一） → 1. → （1）, derived from position, never typed by hand."""

from __future__ import annotations

from zjeval.form.models import Form, Section

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 20 -> 二十, 99 -> 九十九."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def label(level: int, n: int) -> str:
    """The number of the n-th item (1-based) at outline depth `level` (0-based), GB/T 9704 style."""
    if level == 0:
        return f"{chinese_numeral(n)}、"
    if level == 1:
        return f"（{chinese_numeral(n)}）"
    if level == 2:
        return f"{n}."
    return f"（{n}）"


def section_labels(form: Form) -> dict[str, tuple[int, str]]:
    """Section id -> (depth, number label); unnumbered sections get an empty label."""
    out: dict[str, tuple[int, str]] = {}

    def visit(sections: list[Section], depth: int) -> None:
        n = 0
        for s in sections:
            if s.numbered:
                n += 1
                out[s.id] = (depth, label(depth, n))
            else:
                out[s.id] = (depth, "")
            visit(s.sections, depth + 1)

    visit(form.sections, 0)
    return out


def heading(form: Form, section: Section) -> str:
    """'二、自评工作开展情况' or '（一）评价小组情况' as the report prints it."""
    return section_labels(form)[section.id][1] + section.title


def question_sections(form: Form, sep: str = " / ") -> dict[str, str]:
    """Question id -> its section as the report numbers it: '一、单位基本情况 / （四）部门整体支出情况'."""
    labels = section_labels(form)
    out: dict[str, str] = {}

    def visit(section: Section, prefix: str) -> None:
        name = f"{prefix}{labels[section.id][1]}{section.title}"
        for q in section.questions:
            out[q.id] = name
        for child in section.sections:
            visit(child, f"{name}{sep}")

    for s in form.sections:
        visit(s, "")
    return out
