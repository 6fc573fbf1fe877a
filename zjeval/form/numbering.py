"""Outline numbering: 一、 → （一） → 1. → （1）, derived from position, never typed by hand."""

from __future__ import annotations

from zjeval import numerals
from zjeval.form.models import Form, Section, section_tree


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 20 -> 二十, 99 -> 九十九."""
    if not 0 < n < 100:
        raise ValueError(n)
    return numerals.words(n)


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
    counts: dict[tuple[str, ...], int] = {}  # numbered sections so far under each parent
    for _, chain in section_tree(form.sections):
        s, depth = chain[-1], len(chain) - 1
        parent = tuple(c.id for c in chain[:-1])
        if s.numbered:
            counts[parent] = counts.get(parent, 0) + 1
            out[s.id] = (depth, label(depth, counts[parent]))
        else:
            out[s.id] = (depth, "")
    return out


def heading(form: Form, section: Section) -> str:
    """'二、自评工作开展情况' or '（一）评价小组情况' as the report prints it."""
    return section_labels(form)[section.id][1] + section.title


def question_sections(form: Form, sep: str = " / ") -> dict[str, str]:
    """Question id -> its section as the report numbers it: '一、单位基本情况 / （四）部门整体支出情况'."""
    labels = section_labels(form)
    out: dict[str, str] = {}
    for _, chain in section_tree(form.sections):
        name = sep.join(f"{labels[s.id][1]}{s.title}" for s in chain)
        for q in chain[-1].questions:
            out[q.id] = name
    return out
