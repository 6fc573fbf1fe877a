"""Many files' work shared out among worker processes, one per core, in order; a few files are done
in this process (starting workers would cost more than it saves)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


Work = Callable[[list[Path], str | None], list[T]]  # (files, --form) -> one result per file


def each_file(work: Work[T], paths: list[Path], form: str | None) -> list[T]:
    """`work(chunk, form)` over `paths`, in chunks shared among workers; results in the paths' order.
    `work` must be a module-level function (it is sent to the worker processes)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        return work(paths, form)
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(work, chunks, [form] * len(chunks))
        return [result for part in parts for result in part]
