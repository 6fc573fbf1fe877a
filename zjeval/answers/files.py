"""Writing files safely: to the real file behind any link, atomically, keeping mode and owner.

What is promised (and tested):
- A write goes through a temp file in the target's own folder and a rename, so a crash, Ctrl-C or a
  full disk never leaves half a file: the old file stays as it was.
- A symbolic link is followed: the file it points to is replaced, the link stays a link. A link
  into a folder that does not exist is refused (only the folders of the path given are created).
- An existing file keeps its permission bits and (where the OS allows) its owner and group; a new
  file gets the user's umask, like any other program's output.
- A file with several hard links is replaced the same way, never rewritten in place (a rewrite cut
  short by a full disk would leave half a file): the path written gets the new content, the file's
  other names keep the old.
- The temp file's name fits whatever name the target has (a valid 255-byte name included).
- Directories, devices, pipes and other non-regular files are refused as targets. "-" means
  standard output.
- Every OS error becomes a StorageError with a Chinese message naming the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from functools import cache
from pathlib import Path

from zjeval.errors import StorageError, ZjevalError, os_error

STDOUT = "-"

def is_stdout(path: Path | str) -> bool:
    return str(path) == STDOUT


def real_path(path: Path) -> Path:
    """The file a path names once every symbolic link is followed (the path itself if none)."""
    try:
        return Path(os.path.realpath(path))
    except OSError as exc:  # pragma: no cover - realpath rarely raises (a link loop on some systems)
        raise os_error(path, exc, "访问") from None


def _kind(path: Path) -> str | None:
    """None for a regular file or nothing at all; otherwise what is there, in Chinese."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(path, exc, "访问") from None
    if stat.S_ISREG(st.st_mode):
        return None
    return "目录" if stat.S_ISDIR(st.st_mode) else "设备、管道或其他特殊文件"


def exists(path: Path) -> bool:
    """Whether something is at `path` (an overlong or unreadable path is the tool's error)."""
    try:
        return os.path.lexists(path)
    except OSError as exc:  # pragma: no cover - lexists returns False for most errors
        raise os_error(path, exc, "访问") from None


def check_target(path: Path) -> None:
    """Refuse what can never be an output file: a directory, a device, a pipe."""
    kind = _kind(path)
    if kind is not None:
        raise StorageError(
            f"{path} 是{kind},不能作为输出文件", "请给出一个普通文件名;要输出到屏幕,用 -o - 或省略 -o"
        )


def refuse_overwrite(path: Path, force: bool) -> None:
    """An output file that exists is only replaced when the user said --force."""
    if is_stdout(path):
        return
    check_target(path)
    if exists(path) and not force:
        raise ZjevalError(f"{path} 已存在,未覆盖", "加 --force 覆盖,或用 -o 指定其他文件名")


@cache
def umask() -> int:
    """The process's umask (read once: setting it back at once is the only portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows, where directories cannot be opened
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems do not sync directories
        pass
    finally:
        os.close(fd)


def _keep_owner(fd: int, st: os.stat_result) -> None:
    """The new file takes the old one's owner and group when the OS lets us (as root, or our own)."""
    chown = getattr(os, "fchown", None)
    if chown is None:  # pragma: no cover - Windows
        return
    try:
        chown(fd, st.st_uid, st.st_gid)
    except OSError:
        with contextlib.suppress(OSError):
            chown(fd, -1, st.st_gid)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to the file `path` names (following links); see the module's promises."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_target(path)  # followed by the OS: /dev/stdout is refused as the pipe or terminal it is
    target = real_path(path)
    check_target(target)
    if os.path.islink(path) and not target.parent.is_dir():  # the folders a link names are not ours to make
        raise StorageError(
            f"{path} 是符号链接,指向的 {target} 所在的目录不存在", "请检查或删除这个链接,再运行"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(target.parent, exc, "创建目录", "请检查路径:其中某一段可能是文件,或没有权限") from None
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise os_error(path, exc, "访问") from None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{short_name(target.name)}.", suffix=".tmp")
    except OSError as exc:
        raise os_error(path, exc, hint="原文件未被改动;请检查目录权限和磁盘空间") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
            if old is not None:
                _keep_owner(f.fileno(), old)
            _chmod(f.fileno(), 0o666 & ~umask() if old is None else stat.S_IMODE(old.st_mode))
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(path, exc, hint="原文件未被改动;请检查目录权限和磁盘空间") from None
        raise
    try:
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(path, exc, hint="原文件未被改动;请检查目录权限和磁盘空间") from None
        raise
    _fsync_dir(target.parent)


def _chmod(fd: int, mode: int) -> None:
    if hasattr(os, "fchmod"):  # pragma: no branch - Windows has no fchmod
        os.fchmod(fd, mode)


SHORT_BYTES = 200  # what a file name beside the target takes of the target's name: with a dot, a
# random part and a suffix it stays within the 255 bytes a file name may have


def short_name(name: str, limit: int = SHORT_BYTES) -> str:
    """`name` cut to at most `limit` bytes in the file system's encoding, at a character boundary."""
    encoded = os.fsencode(name)
    if len(encoded) <= limit:
        return name
    for end in range(limit, limit - 4, -1):  # a UTF-8 character is at most 4 bytes
        try:
            return encoded[:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return os.fsdecode(encoded[:limit])  # a name that is not UTF-8: its own bytes
