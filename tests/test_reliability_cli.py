"""The command line's errors: one handler, distinct exit codes, Chinese usage errors, a final guard.

Regression tests for issue 14 ("Crashes exit 1, the same code as incomplete", `-o .docx` writing
text) and issue 11 item 7 (typer's own usage errors in English).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.assess import check as checker
from zjeval.cli import app
from zjeval.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
runner = CliRunner()


def test_exit_codes_are_distinct() -> None:
    codes = [int(c) for c in ExitCode]
    assert len(codes) == len(set(codes))
    assert ExitCode.INTERNAL not in (ExitCode.INCOMPLETE, ExitCode.USAGE, ExitCode.IO)


def test_help_lists_every_exit_code() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for code in ExitCode:
        assert f"{int(code)} " in text, code
    assert "内部错误" in text


def _boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("an unexpected bug")


def test_an_unexpected_exception_is_a_chinese_message_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker, "check_file", _boom)
    result = runner.invoke(app, ["check", str(DEMO)])
    assert isinstance(result.exception, SystemExit)
    assert result.exit_code == ExitCode.INTERNAL and int(ExitCode.INTERNAL) == 70
    assert "内部错误" in result.stderr and "--debug" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "an unexpected bug" not in result.stderr  # the English detail is for --debug


def test_debug_shows_the_traceback_of_an_unexpected_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker, "check_file", _boom)
    result = runner.invoke(app, ["--debug", "check", str(DEMO)])
    assert result.exit_code == ExitCode.INTERNAL
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: an unexpected bug" in result.stderr
    assert "内部错误" in result.stderr


def test_a_stray_os_error_is_a_file_error_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", "/some/file.yaml")

    monkeypatch.setattr(checker, "check_file", denied)
    result = runner.invoke(app, ["check", str(DEMO)])
    assert result.exit_code == ExitCode.IO
    assert "/some/file.yaml" in result.stderr and "没有权限" in result.stderr
    assert "Permission denied" not in result.stderr


def test_ctrl_c_outside_the_interview_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(checker, "check_file", interrupted)
    result = runner.invoke(app, ["check", str(DEMO)])
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "已中断" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["table", "old.xlsx"], "缺少参数 YEAR|ANSWERS"),
        (["check", "--nosuch"], "没有选项 --nosuch"),
        (["score", "2019", "extra"], "多余的参数:extra"),
        (["import", "old.txt", "--year", "abc"], "选项 --year / -y 的值无效:应为整数"),
        (["render", str(DEMO), "-o"], "选项 -o 后面需要一个值"),
        (["frobnicate"], "没有命令 frobnicate"),
        (["diff", "2019"], "缺少参数 NEW"),
        (["new"], "缺少参数 YEAR"),
    ],
)
def test_usage_errors_are_in_chinese_with_exit_2(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE and int(ExitCode.USAGE) == 2, result.stderr
    assert expected in result.stderr, result.stderr
    assert "错误:" in result.stderr and "--help" in result.stderr
    for english in ("Error:", "Usage:", "Missing", "No such", "Invalid value", "Got unexpected", "Try '"):
        assert english not in result.stderr, english


def test_no_arguments_still_shows_the_help() -> None:
    result = runner.invoke(app, [])
    assert "check" in result.stdout + result.stderr and "render" in result.stdout + result.stderr


def test_an_output_name_that_is_only_an_extension_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["render", str(DEMO), "-o", ".docx"])
    assert result.exit_code == ExitCode.USAGE
    assert "只有扩展名" in result.stderr and "报告.docx" in result.stderr
    assert not (tmp_path / ".docx").exists()


def test_render_refuses_an_existing_output_before_doing_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.txt"
    out.write_text("旧\n", encoding="utf-8")
    monkeypatch.setattr(checker, "check", _boom)  # never reached
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == ExitCode.USAGE
    assert "已存在,未覆盖" in result.stderr
