"""Why a form or framework file could not be read, for the loader and the framework alike (below
both, so neither imports the other for it)."""

from __future__ import annotations

from pathlib import Path

from zjeval import yamlio
from zjeval.errors import FormError, StorageError, describe


def unreadable(what: str, path: Path, exc: OSError | UnicodeDecodeError) -> FormError | StorageError:
    """Why a form or framework file could not be read, in Chinese (not the system's English).

    A file that is not a form (not UTF-8, far too large) is a FormError; an OS error (permission,
    a failing disk) a StorageError, as for an answers file.
    """
    if isinstance(exc, UnicodeDecodeError):
        return FormError(f"{what} {path} 不是 UTF-8 编码的文本", f"请用 UTF-8 编码保存{what}")
    if isinstance(exc, yamlio.TooLarge):  # our own message
        return FormError(f"无法读取{what} {path}:{exc}", f"{what}通常不超过几百 KB;请检查是否选错了文件")
    return StorageError(f"无法读取{what} {path}:{describe(exc)}")
