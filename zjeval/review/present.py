"""The review on the terminal: progress for long batches, a short summary, or JSON for machines."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from zjeval import ui
from zjeval.review.model import Review, Summary
from zjeval.review.profile import LEVELS

SHOWN = 10  # submissions listed on the terminal, worst first
PROGRESS_FROM = 20  # a batch this long shows its progress


def progress(total: int) -> Callable[[int, int], None] | None:
    """A progress line on stderr for a long batch on a terminal, else None."""
    if total < PROGRESS_FROM or not ui.is_terminal(sys.stderr):
        return None

    def show(done: int, count: int) -> None:
        end = "\n" if done == count else ""
        sys.stderr.write(f"\r复核中:{done}/{count} 个文件{end}")
        sys.stderr.flush()

    return show


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def as_json(review: Review) -> None:
    data = {
        "profile": review.profile,
        "counts": {level: review.count(level) for level in LEVELS},
        "summaries": [_plain(s.as_dict()) for s in review.summaries],
        "findings": [f.as_dict() for f in review.findings],
    }
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _num(value: Decimal | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.2f}{suffix}"


def _row(s: Summary, repeated: set[str]) -> list[str]:
    grades = f"{s.stated_grade or '—'}→{s.reviewed_grade or '—'}"
    counts = " ".join(f"{s.counts[x]}" for x in LEVELS)
    return [
        f"{s.unit}({Path(s.file).stem})" if s.unit in repeated else s.unit,
        _num(s.stated),
        _num(s.reviewed),
        _num(s.deviation, "%"),
        grades,
        _num(s.execution, "%"),
        counts,
    ]


def summary(review: Review, output: Path | None) -> None:
    """The worst submissions and the totals; the workbook holds the rest."""
    n = len(review.summaries)
    totals = ",".join(f"{level} {review.count(level)} 处" for level in LEVELS)
    head = ["单位", "自评", "复核", "偏离度", "等级", "执行率", "P0 P1 P2"]
    shown = review.summaries[:SHOWN]
    units = [s.unit for s in review.summaries]
    repeated = {u for u in units if units.count(u) > 1}  # a unit with projects: its files tell them apart
    if ui.is_terminal(sys.stdout):
        from rich.table import Table

        table = Table(title=f"复核了 {n} 份材料(问题最多的 {len(shown)} 份)", title_justify="left")
        for name in head:
            table.add_column(name, overflow="fold")
        for s in shown:
            table.add_row(*(ui.escape(x) for x in _row(s, repeated)))
        ui.out().print(table)
    else:
        sys.stdout.write("\t".join(head) + "\n")
        for s in shown:
            sys.stdout.write("\t".join(_row(s, repeated)) + "\n")
    where = f";问题清单和汇总见 {output}" if output is not None else ""
    sys.stdout.write(f"共 {n} 份材料:{totals}{where}\n")
