"""A form or framework file that cannot be read: a Chinese message naming the file, never English."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval import yamlio
from zjeval.cli import app
from zjeval.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def check_with_form(form: str, tmp_path: Path) -> tuple[int, str]:
    (tmp_path / "2024.yaml").write_text("zjeval: 1\nyear: 2024\nanswers: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "2024", "--form", form, "--dir", str(tmp_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Errno" not in result.output
    return result.exit_code, " ".join(result.output.split())


def test_a_form_that_is_not_utf8(tmp_path: Path) -> None:
    form = tmp_path / "gbk.yaml"
    form.write_bytes("id: 表单\n".encode("gbk"))
    code, out = check_with_form(str(form), tmp_path)
    assert code == ExitCode.BAD_FORM
    assert f"表单文件 {form.resolve()} 不是 UTF-8 编码的文本" in out
    assert "请用 UTF-8 编码保存表单文件" in out and "codec" not in out


def test_a_form_far_too_large(tmp_path: Path) -> None:
    form = tmp_path / "big.yaml"
    with open(form, "wb") as f:
        f.truncate(yamlio.MAX_BYTES + 1)  # sparse: no disk space used
    code, out = check_with_form(str(form), tmp_path)
    assert code == ExitCode.BAD_FORM
    assert f"无法读取表单文件 {form.resolve()}:文件过大(超过 8 MB)" in out


def test_an_os_error_reading_the_form_is_described_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, so chmod 000 does not stop a read: the OS error is raised where it would be."""
    form = tmp_path / "form.yaml"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "mini_form.yaml", form)

    read = yamlio.read_text

    def refuse(path: Path) -> str:
        if path.name != form.name:
            return read(path)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(yamlio, "read_text", refuse)
    code, out = check_with_form(str(form), tmp_path)
    assert code == ExitCode.IO
    assert f"无法读取表单文件 {form.resolve()}:没有权限" in out
    assert os.strerror(errno.EACCES) not in out


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux /proc")
def test_a_device_error_reading_the_form(tmp_path: Path) -> None:
    """/proc/self/mem is a regular file whose first bytes cannot be read (EIO), even by root."""
    code, out = check_with_form("/proc/self/mem", tmp_path)
    assert code == ExitCode.IO
    assert "无法读取表单文件 /proc/" in out and "/mem:读写设备出错" in out


def test_a_framework_that_is_not_utf8(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    framework = tmp_path / "forms" / "frameworks" / "zhanjiang.yaml"
    framework.write_bytes(framework.read_text(encoding="utf-8").encode("gb18030"))
    code, out = check_with_form(str(tmp_path / "forms" / "zhanjiang.yaml"), tmp_path)
    assert code == ExitCode.BAD_FORM
    assert f"评分框架文件 {framework} 不是 UTF-8 编码的文本" in out
    assert "请用 UTF-8 编码保存评分框架文件" in out
