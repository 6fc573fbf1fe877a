"""Where one year's projects live: answers/YEAR-项目/, one answers file per project, named after it.

The department's report stays answers/YEAR.yaml; its projects sit beside it in a folder of the
year, so `ls answers` shows both and `zjeval check 'answers/2025-项目/*.yaml'` works as well.
"""

from __future__ import annotations

import re
from pathlib import Path

from zjeval.answers.model import check_year
from zjeval.answers.paths import DEFAULT_DIR, SUFFIXES
from zjeval.errors import AnswersError, os_error

FOLDER = "{year}-项目"
PROJECT_FORM = "project"  # the built-in form a new project file uses unless --form says otherwise
MAX_NAME = 80  # characters of a project's name kept in its file name
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def folder(year: int, directory: Path = DEFAULT_DIR) -> Path:
    return directory / FOLDER.format(year=year)


def year_of(target: str, what: str = "参数 YEAR:") -> int:
    return check_year(target, what)


def file_name(name: str) -> str:
    """A project's name as a file name: characters no file system takes become _, spaces trimmed."""
    plain = _UNSAFE.sub("_", name).strip().strip(".")
    if not plain:
        raise AnswersError(f"项目名称「{name}」不能用作文件名", "项目名称应含有文字,例如 老旧小区改造项目")
    return plain[:MAX_NAME] + ".yaml"


def project_path(year: int, name: str, directory: Path = DEFAULT_DIR) -> Path:
    return folder(year, directory) / file_name(name)


def files(place: Path) -> list[Path]:
    """The answers files of a year's folder, by name; an empty or missing folder is an error."""
    try:
        found = sorted(p for p in place.iterdir() if p.suffix in SUFFIXES and p.is_file())
    except FileNotFoundError:
        found = []
    except OSError as exc:
        raise os_error(place, exc, "读取目录") from None
    if not found:
        raise AnswersError(
            f"{place}/ 中还没有项目的答案文件",
            "先用 zjeval projects new YEAR 项目名称 建立(或用 zjeval projects table 从预算系统的导出表读入)",
        )
    return found


def resolve(target: str, directory: Path = DEFAULT_DIR) -> Path:
    """YEAR -> answers/YEAR-项目/; a folder given as a path stays itself."""
    if target.isdigit():
        return folder(year_of(target), directory)
    return Path(target)


def make(place: Path) -> None:
    """The year's folder, made when missing; a Chinese error when it cannot be."""
    try:
        place.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(place, exc, "建立目录") from None
