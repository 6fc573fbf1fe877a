"""Heavy libraries are imported only by the commands that need them (start-up speed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
PROJECTS = ROOT / "answers" / "examples" / "2025-项目"
HEAVY = ("questionary", "prompt_toolkit", "docx", "openpyxl", "lxml", "ruamel")


def imported(*args: str) -> set[str]:
    """Top-level modules a zjeval command imports, from python -X importtime."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "zjeval", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=str(ROOT),
        timeout=120,
        check=False,
    )
    # a command that failed (or crashed at import) imports little: that must not pass as "light"
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["check", str(DEMO)],
        ["score", str(DEMO)],
        ["render", str(DEMO), "-t", "md"],
        ["projects", "check", str(PROJECTS)],
        ["projects", "statement", str(PROJECTS)],
    ],
)
def test_light_commands_do_not_import_heavy_libraries(args: list[str]) -> None:
    assert not imported(*args) & set(HEAVY)


@pytest.mark.slow
def test_docx_is_imported_for_docx_only(tmp_path: Path) -> None:
    names = imported("render", str(DEMO), "-o", str(tmp_path / "r.docx"))
    assert "docx" in names and "openpyxl" not in names and "questionary" not in names
