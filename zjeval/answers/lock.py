"""The OS lock that keeps two interviews off one answers file, however it is reached.

Two locks, both OS file locks the OS releases when the process ends however it ends (Ctrl-C, a
crash, SIGKILL), so neither can be left stuck:
- one on a hidden file beside the real file (links followed, so two symbolic links to one file
  share it, and so does the file after a save has replaced it);
- one on the answers file's own inode, so two hard links to one file in two folders share it too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from zjeval.answers.files import real_path, short_name
from zjeval.errors import StorageError, os_error


def lock_path(real: Path) -> Path:
    """The hidden lock file beside `real` (its name fits whatever name `real` has)."""
    name = f".{real.name}.lock"
    if len(os.fsencode(name)) > 255:
        import hashlib

        digest = hashlib.sha256(os.fsencode(real.name)).hexdigest()[:12]
        name = f".{short_name(real.name)}.{digest}.lock"
    return real.parent / name


@contextmanager
def editing(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the answers file `path` names while an interview edits it."""
    real = real_path(path)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path(real), "a+b")  # noqa: SIM115 - held until the end
    except OSError as exc:
        raise os_error(
            real.parent, exc, "使用目录", "请检查 --dir:它应是可写的目录(不能是文件),路径不能过长"
        ) from None
    with ExitStack() as held:
        held.callback(handle.close)
        _lock(handle, path, real)
        if sys.platform != "win32":
            try:
                inode = open(real, "rb")  # noqa: SIM115 - held until the end
            except OSError:
                inode = None  # no file yet (a new interview): nothing else can link to it
            if inode is not None:
                held.callback(inode.close)
                _lock(inode, path, real)
        yield


def _lock(handle: IO[bytes], path: Path, real: Path) -> None:
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        shown = f"{path}(即 {real})" if real != path.absolute() else str(path)
        raise StorageError(
            f"{shown} 正在被另一个 zjeval new 编辑,为免互相覆盖,本次不能同时打开",
            "请先在另一个窗口中结束那次访谈(Ctrl-C 会保存已答的内容),然后再运行",
        ) from None
