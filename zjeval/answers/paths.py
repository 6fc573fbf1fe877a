"""Which answers file a command means: YEAR, FILE or GLOB arguments, the directory, the latest year."""

from __future__ import annotations

from pathlib import Path

from zjeval.answers.model import check_year
from zjeval.answers.parsing import is_digits
from zjeval.errors import AnswersError, os_error

DEFAULT_DIR = Path("answers")
SUFFIXES = (".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")


def year_path(year: int, directory: Path = DEFAULT_DIR) -> Path:
    return directory / f"{year}.yaml"


def latest(directory: Path = DEFAULT_DIR) -> Path:
    """The answers file of the latest year in `directory` (files named YEAR.yaml)."""
    try:
        years = sorted(p for p in directory.glob("*.yaml") if is_digits(p.stem) and len(p.stem) == 4)
    except OSError as exc:
        raise os_error(directory, exc, "读取目录") from None
    if not years:
        raise AnswersError(
            f"{directory}/ 中还没有答案文件", "先运行 zjeval new 2019 开始填写(2019 换成评价年度)"
        )
    return years[-1]


def resolve(target: str | None, directory: Path = DEFAULT_DIR) -> Path:
    """YEAR (four digits) -> answers/YEAR.yaml; a path stays a path; nothing -> the latest year."""
    if target is None:
        return latest(directory)
    if is_digits(target):
        return year_path(check_year(target, "参数 YEAR:"), directory)
    path = Path(target)
    if path.suffix not in SUFFIXES:
        raise AnswersError(
            f"参数应为年度(如 2019)或答案文件(.yaml),而不是「{target}」",
            "例如:zjeval check 2019 或 zjeval check answers/2019.yaml",
        )
    return path


def expand(targets: list[str], directory: Path = DEFAULT_DIR) -> list[Path]:
    """Several [YEAR|FILE|GLOB] arguments -> the answers files they name, in order, without repeats.

    Globs are expanded here so that they work the same in every shell (Windows' included). A glob
    that names no answers file is an error: checking some other file instead would pass wrongly.
    """
    out: dict[Path, None] = {}
    for target in targets:
        if GLOB_CHARS & set(target):
            import glob

            try:
                matches = sorted(glob.glob(target, recursive=True))
            except OSError as exc:  # pragma: no cover - glob swallows most errors itself
                raise os_error(Path(target), exc, "查找") from None
            answers = [m for m in matches if m.endswith(SUFFIXES)]
            if not answers:
                found = f"(匹配到 {len(matches)} 个其他文件)" if matches else ""
                raise AnswersError(f"没有与 {target} 匹配的答案文件(.yaml){found}", "请检查通配符和目录")
            out.update((Path(m), None) for m in answers)
        else:
            out[resolve(target, directory)] = None
    return list(out)
