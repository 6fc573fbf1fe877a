"""Output for everyone: NO_COLOR, pipes, 80 columns of CJK text, and non-UTF-8 locales."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pty_helpers import spawn
from rich.cells import cell_len

pytestmark = pytest.mark.slow  # pty sessions: `pytest -m 'not slow'` leaves them to the full run

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
TIMEOUT = 30
SGR = re.compile(r"\x1b\[([0-9;]*)m")
# Variables through which rich (or the user) forces colour or a width; every test sets its own.
_STYLE_VARS = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES", "TERM")


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _STYLE_VARS}
    env.update(extra)
    return env


def colour_codes(text: str) -> list[str]:
    """The SGR sequences that set a colour (30-49, 90-107, 38;5;n ...); bold and italic are not colour.

    NO_COLOR (no-color.org) is about colour only: rich still uses bold (1) and italic (3) then, so a
    bare search for "\\x1b[3" would also match italic "\\x1b[3m" and is not used.
    """
    found = []
    for m in SGR.finditer(text):
        params = [int(p) for p in m[1].split(";") if p]
        if any(30 <= p <= 49 or 90 <= p <= 107 for p in params):
            found.append(m[0])
    return found


def in_pty(args: list[str], env: dict[str, str], columns: int = 100) -> tuple[int, str]:
    """Run zjeval with stdout (and stderr) on a pseudo-terminal; the exit status and all output."""
    child = spawn(*args, env=env, columns=columns)
    output = child.read()  # until EOF
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return child.exitstatus, output


def piped(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "zjeval", *args], cwd=str(cwd), env=env, capture_output=True, timeout=TIMEOUT
    )


# ---------------------------------------------------------------- (a) NO_COLOR on a terminal


@pytest.mark.parametrize(
    "args", [["check", str(SEED)], ["score", str(DEMO)], ["check", str(ROOT / "no-such-file.yaml")]]
)
def test_no_color_on_a_terminal_has_no_colour_codes(args: list[str]) -> None:
    code, coloured = in_pty(args, base_env(TERM="xterm-256color"))
    assert colour_codes(coloured), "without NO_COLOR a terminal gets colour (else this test proves nothing)"

    no_color_code, plain = in_pty(args, base_env(TERM="xterm-256color", NO_COLOR="1"))
    assert no_color_code == code
    assert colour_codes(plain) == []
    assert not re.search(r"\x1b\[(3[0-9]|9[0-7])[;m]", plain)  # the brief's check, minus italic (\x1b[3m)
    assert "Traceback" not in coloured + plain


# ---------------------------------------------------------------- (b) not a terminal


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(SEED)],
        ["check", str(SEED), "--json"],
        ["score", str(DEMO)],
        ["render", str(DEMO)],
        ["render", str(SEED)],  # refused: the problems table goes to stderr
        ["check", str(ROOT / "no-such-file.yaml")],
        ["diff", str(SEED), str(DEMO)],
        ["--help"],
    ],
)
def test_piped_output_has_no_escape_codes(args: list[str]) -> None:
    result = piped(args, base_env(TERM="xterm-256color"))
    assert result.stdout or result.stderr
    assert b"\x1b" not in result.stdout
    assert b"\x1b" not in result.stderr
    assert b"Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------- (c) 80 columns, measured in cells


def test_tables_fit_80_columns() -> None:
    result = piped(["score", str(DEMO)], base_env(COLUMNS="80", TERM="xterm-256color"))
    out = result.stdout.decode("utf-8")
    assert "总分" in out
    lines = out.splitlines()
    assert len(lines) > 10
    too_wide = [(cell_len(line), line) for line in lines if cell_len(line) > 80]
    assert not too_wide, too_wide[:3]


def test_piped_check_is_one_line_per_finding() -> None:
    """Not a terminal: compiler-style FILE:LINE: 级别: 章节 › 项目: 说明 lines, for logs and grep."""
    result = piped(["check", str(SEED)], base_env(COLUMNS="80", TERM="xterm-256color"))
    lines = result.stdout.decode("utf-8").splitlines()
    findings = lines[:-1]
    assert len(findings) > 10
    assert all(line.startswith(str(SEED)) for line in findings)
    assert all(": 错误: " in line or ": 提醒: " in line for line in findings)
    assert (
        f"{SEED}:118: 提醒: 一、单位基本情况 / （四）部门整体支出情况 › 一般公共预算支出(万元): " in lines[0]
    )
    assert lines[-1].startswith("尚不完整:")


def test_piped_diff_is_one_change_per_line() -> None:
    """Not a terminal: 章节 › 项目: 上年 → 本年(变化,幅度), one change a line, however wide."""
    result = piped(["diff", str(SEED), str(DEMO)], base_env(COLUMNS="80", TERM="xterm-256color"))
    lines = result.stdout.decode("utf-8").splitlines()
    assert (
        "一、单位基本情况 / （四）部门整体支出情况 › 收入总预算(万元): 12552.67万元 → 4480.45万元"
        in "\n".join(lines)
    )
    changes = lines[: lines.index(next(line for line in lines if line.startswith("共 ")))]
    assert changes and all(" › " in line and " → " in line for line in changes)
    assert not any("│" in line or "┃" in line for line in lines)
    assert lines[-1].startswith("另有 ") and lines[-1].endswith("项只在一年中填写,不作比较。")


def test_diff_fits_an_80_column_terminal() -> None:
    code, out = in_pty(
        ["diff", str(SEED), str(DEMO)], base_env(TERM="xterm-256color", COLUMNS="80"), columns=80
    )
    assert code == 0
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in out.splitlines()]
    assert any("项变化" in line for line in lines) and any("上年未填" in line for line in lines)
    too_wide = [(cell_len(line), line) for line in lines if cell_len(line) > 80]
    assert not too_wide, too_wide[:3]


def test_tables_fit_an_80_column_terminal() -> None:
    code, out = in_pty(["check", str(SEED)], base_env(TERM="xterm-256color", NO_COLOR="1"), columns=80)
    assert code == 1
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in out.splitlines()]
    assert any("检查结果" in line for line in lines)
    too_wide = [(cell_len(line), line) for line in lines if cell_len(line) > 80]
    assert not too_wide, too_wide[:3]


# ---------------------------------------------------------------- (d) UTF-8 whatever the locale

ASCII_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}


@pytest.mark.parametrize("utf8_mode", [None, "0"], ids=["default", "PYTHONUTF8=0"])
def test_files_are_utf8_in_an_ascii_locale(tmp_path: Path, utf8_mode: str | None) -> None:
    """Python turns on UTF-8 mode in the C locale by itself; PYTHONUTF8=0 makes the locale really ASCII."""
    answers = tmp_path / "2024.yaml"
    answers.write_bytes(DEMO.read_bytes())  # an ASCII path: see the next test for a Chinese one
    env = base_env(**ASCII_LOCALE)
    env.pop("PYTHONUTF8", None)
    if utf8_mode is not None:
        env["PYTHONUTF8"] = utf8_mode
    result = piped(["render", "2024.yaml", "-o", "out.txt"], env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    text = (tmp_path / "out.txt").read_bytes().decode("utf-8")  # strict: valid UTF-8
    assert text.splitlines()[0] == "示例市科学技术局（示例数据）2024年度部门整体支出绩效自评报告"
    assert "已写入 out.txt" in result.stderr.decode("utf-8")

    # the report to a stdout whose declared encoding is ASCII: reconfigured to UTF-8, no crash
    shown = piped(["render", "2024.yaml"], env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr.decode("utf-8", "replace")
    assert shown.stdout.decode("utf-8") == text
    for args in (["check", "2024.yaml"], ["score", "2024.yaml"], ["check", "missing.yaml"]):
        other = piped(args, env, cwd=tmp_path)
        assert b"Traceback" not in other.stdout + other.stderr, args
        assert other.returncode in (0, 3), (args, other.stderr.decode("utf-8", "replace"))
        (other.stdout + other.stderr).decode("utf-8")


def test_chinese_file_names_in_an_ascii_locale(tmp_path: Path) -> None:
    env = base_env(**ASCII_LOCALE, PYTHONUTF8="0")
    for args in (["check", str(SEED)], ["check", "不存在.yaml"], ["render", str(DEMO), "-o", "报告.txt"]):
        result = piped(args, env, cwd=tmp_path)
        assert b"Traceback" not in result.stdout + result.stderr, args
        assert b"UnicodeEncodeError" not in result.stderr, args
        assert result.returncode in (0, 1, 3), args
