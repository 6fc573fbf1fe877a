"""The OS lock that keeps two interviews off one answers file (taken on the real file behind links)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zjeval.answers.files import os_error, real_path
from zjeval.errors import StorageError


@contextmanager
def editing(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the answers file `path` names while an interview edits it.

    The lock is an OS file lock on a hidden file beside the real file (links followed, so two
    links to one file share one lock). The OS releases it when the process ends however it ends
    (Ctrl-C, a crash, SIGKILL), so it can never be left stuck.
    """
    real = real_path(path)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        handle = open(real.parent / f".{real.name}.lock", "a+b")  # noqa: SIM115 - held until the end
    except OSError as exc:
        raise os_error(
            real.parent, exc, "使用目录", "请检查 --dir:它应是可写的目录(不能是文件),路径不能过长"
        ) from None
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        shown = f"{path}(即 {real})" if real != path.absolute() else str(path)
        raise StorageError(
            f"{shown} 正在被另一个 zjeval new 编辑,为免互相覆盖,本次不能同时打开",
            "请先在另一个窗口中结束那次访谈(Ctrl-C 会保存已答的内容),然后再运行",
        ) from None
    try:
        yield
    finally:
        handle.close()
