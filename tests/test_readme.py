"""The README stays true: CI runs its test command, and the commands it shows exist."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from zjeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, re.S)


def test_ci_runs_the_readme_test_command() -> None:
    test_cmd = next(line for block in shell_blocks() for line in block.splitlines() if "[test]" in line)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd.strip() in ci.splitlines()


def test_first_command_installs_and_starts_the_interview() -> None:
    first = shell_blocks()[0].strip()
    assert "pip install ." in first and first.endswith("zjeval new 2019")


def test_every_command_in_the_readme_has_help() -> None:
    used = set(re.findall(r"`zjeval (\w+)", README))
    assert {"new", "check", "score", "render"} <= used
    for name in used:
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0, f"README shows `zjeval {name}`, which does not exist"


def test_example_files_named_in_the_readme_exist() -> None:
    for path in set(re.findall(r"answers/examples/[^\s`]+\.yaml", README)):
        assert (ROOT / path).is_file(), path
