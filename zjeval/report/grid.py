"""One grid for a table made of blocks with different columns (the 自评表: header rows, funds,
年度总体目标, indicator rows), so it prints as one continuous table: the widest block sets the
grid, and each other block's columns span runs of grid columns chosen to fit their contents.
Pure: widths in any unit (character cells for a sheet, twips for a document)."""

from __future__ import annotations

from collections.abc import Sequence

Span = tuple[int, int]  # (first grid column, number of grid columns)


def fit_spans(needs: Sequence[float], widths: Sequence[float]) -> list[Span]:
    """Split the grid's columns (their `widths`) into len(needs) runs, in order, so that each
    block column gets room for what it `needs`: least shortfall first, then the least slack in all
    but the last column (the last, usually words, takes what is left)."""
    k, n = len(needs), len(widths)
    if k >= n:
        return [(i, 1) for i in range(k)]
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    inf = float("inf")
    # best[j][i]: cost of placing the first j block columns on the first i grid columns
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n - (k - j) + 1):
            for start in range(j - 1, i):
                if best[j - 1][start] == inf:
                    continue
                room = prefix[i] - prefix[start]
                short = max(0.0, needs[j - 1] - room)
                slack = max(0.0, room - needs[j - 1]) if j < k else 0.0
                cost = best[j - 1][start] + 1000.0 * short * short + slack * slack
                if cost < best[j][i]:
                    best[j][i], cut[j][i] = cost, start
    out: list[Span] = []
    i = n
    for j in range(k, 0, -1):
        start = cut[j][i]
        out.append((start, i - start))
        i = start
    return out[::-1]


def widen(widths: list[float], spans: Sequence[Span], needs: Sequence[float]) -> None:
    """Grow the last grid column of each run that is still too narrow for its block column."""
    for (first, count), need in zip(spans, needs, strict=True):
        room = sum(widths[first : first + count])
        if room < need:
            widths[first + count - 1] += need - room
