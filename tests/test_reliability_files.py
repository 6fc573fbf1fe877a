"""Files: writes reach the real file behind links, keep mode and owner, refuse what is not a file.

Regression tests for issue 14 ("Data split through a symlink", the `new --dir` and end-of-interview
tracebacks). Each failed before the answers.files / answers.lock split.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from test_interview_engine import MINI, FakeAsker
from typer.testing import CliRunner

from zjeval.answers import files, lock, paths, store
from zjeval.answers.kinds import Value
from zjeval.answers.model import Answers
from zjeval.cli import app
from zjeval.errors import ExitCode, StorageError
from zjeval.form import loader as forms
from zjeval.interview.session import session

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
runner = CliRunner()


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """(link, real): answers/2024.yaml in one folder is a symlink to the real file in another."""
    real = tmp_path / "shared" / "2024.yaml"
    real.parent.mkdir()
    real.write_bytes(DEMO.read_bytes())
    link = tmp_path / "mine" / "2024.yaml"
    link.parent.mkdir()
    link.symlink_to(real)
    return link, real


def test_save_through_a_symlink_writes_the_real_file_and_keeps_the_link(linked: tuple[Path, Path]) -> None:
    link, real = linked
    form, answers = store.load(link)
    answers.set("unit_name", "经由链接保存的单位")
    store.save(link, form, answers)
    assert link.is_symlink() and link.resolve() == real.resolve()
    _, again = store.load(real)
    assert again.get("unit_name") == "经由链接保存的单位"
    assert not [p for p in link.parent.iterdir() if p.name != "2024.yaml"]  # no stray temp file


def test_two_interviews_through_two_links_share_one_lock(linked: tuple[Path, Path], tmp_path: Path) -> None:
    link, real = linked
    other = tmp_path / "other" / "2024.yaml"
    other.parent.mkdir()
    other.symlink_to(real)
    with lock.editing(link), pytest.raises(StorageError) as info, lock.editing(other):
        pass  # pragma: no cover - the second lock is refused
    assert "正在被另一个 zjeval new 编辑" in info.value.message
    with lock.editing(other):  # released: the next one may edit
        pass


def test_render_force_over_a_link_replaces_the_file_it_points_to(
    linked: tuple[Path, Path], tmp_path: Path
) -> None:
    _, _ = linked
    real_out = tmp_path / "shared" / "report.txt"
    real_out.write_text("旧报告\n", encoding="utf-8")
    link_out = tmp_path / "mine" / "report.txt"
    link_out.symlink_to(real_out)
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(link_out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert link_out.is_symlink()
    assert "部门整体支出绩效自评报告" in real_out.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_refused_as_output_even_with_force() -> None:
    result = runner.invoke(app, ["render", str(DEMO), "-o", "/dev/null", "--force"])
    assert result.exit_code == ExitCode.IO
    assert "/dev/null 是设备、管道或其他特殊文件,不能作为输出文件" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device


def test_a_directory_is_refused_as_output(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.mkdir()
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(target), "--force"])
    assert result.exit_code == ExitCode.IO
    assert "是目录,不能作为输出文件" in result.stderr
    with pytest.raises(StorageError):
        files.write_atomic(target, "x")


def test_dash_writes_to_standard_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(DEMO), "-o", "-", "-t", "md"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert not (Path.cwd() / "-").exists()


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("旧\n", encoding="utf-8")
    out.chmod(0o664)
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o664


def test_a_hard_linked_target_is_replaced_whole_not_rewritten_in_place(tmp_path: Path) -> None:
    """Issue 22: rewriting a hard-linked file in place left it half-written on a full disk. Now
    it is replaced like any file: the path written has the new content, its other name the old."""
    out = tmp_path / "report.txt"
    out.write_text("旧\n", encoding="utf-8")
    twin = tmp_path / "twin.txt"
    os.link(out, twin)
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_ino != twin.stat().st_ino
    assert twin.read_text(encoding="utf-8") == "旧\n" != out.read_text(encoding="utf-8")


def test_a_hard_linked_target_on_a_full_disk_is_never_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up half-way through any write that opens the target itself: the target is
    still either all old or all new (a rewrite in place was left half-written)."""
    import builtins
    import errno

    out = tmp_path / "2019.yaml"
    old = DEMO.read_bytes()
    out.write_bytes(old)
    os.link(out, tmp_path / "twin.yaml")
    new = ("新内容\n" * 1000).encode("utf-8")

    def full(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if "+" in mode or "w" in mode:
            with builtins.open(file, "wb") as f:
                f.write(new[: len(new) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(files, "open", full, raising=False)
    try:
        files.write_atomic(out, new)
    except StorageError as exc:
        assert "磁盘空间不足" in exc.message
    monkeypatch.undo()
    assert out.read_bytes() in (old, new)
    assert (tmp_path / "twin.yaml").read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2019.yaml", "twin.yaml"]


def test_two_interviews_through_hard_links_in_two_folders_share_one_lock(tmp_path: Path) -> None:
    one = tmp_path / "a" / "2024.yaml"
    one.parent.mkdir()
    one.write_bytes(DEMO.read_bytes())
    two = tmp_path / "b" / "2024.yaml"
    two.parent.mkdir()
    os.link(one, two)
    with lock.editing(one), pytest.raises(StorageError) as info, lock.editing(two):
        pass  # pragma: no cover - the second lock is refused
    assert "正在被另一个 zjeval new 编辑" in info.value.message
    with lock.editing(two):  # released: the next one may edit
        pass


def test_the_lock_holds_after_a_save_replaced_the_file(tmp_path: Path) -> None:
    path = tmp_path / "2024.yaml"
    path.write_bytes(DEMO.read_bytes())
    with lock.editing(path):
        files.write_atomic(path, DEMO.read_text(encoding="utf-8"))  # a new inode at the path
        with pytest.raises(StorageError), lock.editing(path):
            pass  # pragma: no cover


LONG_NAME = "长" * 82 + ".txt"  # 250 bytes: a valid name; the temp name must still fit


def test_an_output_name_of_250_bytes_is_written(tmp_path: Path) -> None:
    out = tmp_path / LONG_NAME
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("示例")
    assert [p.name for p in tmp_path.iterdir()] == [LONG_NAME]


def test_an_answers_file_of_250_bytes_can_be_locked_and_saved(tmp_path: Path) -> None:
    path = tmp_path / ("答" * 80 + ".yaml")  # 245 bytes
    path.write_bytes(DEMO.read_bytes())
    form, answers = store.load(path)
    with lock.editing(path):
        answers.set("unit_name", "另一个单位")
        store.save(path, form, answers)
    assert store.load(path)[1].get("unit_name") == "另一个单位"


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_take_the_umask(
    tmp_path: Path, mask: int, mode: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "umask", lambda: mask)
    out = tmp_path / f"new-{mask:o}.txt"
    files.write_atomic(out, "内容\n")
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_umask_is_read_from_the_process(tmp_path: Path) -> None:
    files.umask.cache_clear()
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
        files.umask.cache_clear()
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640


def test_dir_that_is_a_regular_file_is_a_chinese_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "answers"
    not_a_dir.write_text("我是文件\n", encoding="utf-8")
    with pytest.raises(StorageError) as info, lock.editing(paths.year_path(2019, not_a_dir)):
        pass  # pragma: no cover
    assert info.value.exit_code == ExitCode.IO
    assert str(not_a_dir) in info.value.message and "--dir" in info.value.hint


def test_dir_that_cannot_be_written_is_a_chinese_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (as root, chmod cannot make a folder read-only: the refusal is simulated where it happens)
    import builtins

    real_open = builtins.open

    def refuse(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", refuse)
    with pytest.raises(StorageError) as info, lock.editing(tmp_path / "2019.yaml"):
        pass  # pragma: no cover
    assert "没有权限" in info.value.message


def _complete_mini(form: object) -> Answers:
    import datetime as dt
    from decimal import Decimal

    answers = Answers(year=2019, form_id="mini")
    given: dict[str, Value] = {
        "unit_name": "单位",
        "income_total": Decimal(1),
        "consistent": "一致",
        "problems": ["问题"],
        "report_date": dt.date(2020, 9, 2),
    }
    for qid, value in given.items():
        answers.set(qid, value)
    return answers


def test_report_at_the_end_of_new_onto_a_directory_is_a_chinese_error(tmp_path: Path) -> None:
    form = forms.load(str(MINI))
    answers = _complete_mini(form)
    answers.form_id = form.id
    store.save(tmp_path / "2019.yaml", form, answers)
    (tmp_path / "2019.txt").mkdir()
    with pytest.raises(StorageError) as info:
        session(
            form, answers, tmp_path / "2019.yaml", FakeAsker({}, menu=["review"], confirm=True), "zjeval new"
        )
    assert "2019.txt" in info.value.message and "是目录" in info.value.message
    assert info.value.exit_code == ExitCode.IO


def test_report_at_the_end_of_new_on_a_full_disk_is_a_chinese_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    form = forms.load(str(MINI))
    answers = _complete_mini(form)
    answers.form_id = form.id
    store.save(tmp_path / "2019.yaml", form, answers)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError) as info:
        session(
            form, answers, tmp_path / "2019.yaml", FakeAsker({}, menu=["review"], confirm=True), "zjeval new"
        )
    assert "磁盘空间不足" in info.value.message
    assert not (tmp_path / "2019.txt").exists()


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_dev_stdout_is_refused_even_with_force(tmp_path: Path) -> None:
    """(in a subprocess: under pytest, /dev/stdout is pytest's own capture file)"""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "zjeval", "render", str(DEMO), "-o", "/dev/stdout", "--force"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == ExitCode.IO, result.stderr
    assert "不能作为输出文件" in result.stderr and "-o -" in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["file", "overlong"])
def test_new_with_a_dir_that_cannot_be_one_is_a_chinese_error_in_a_terminal(
    tmp_path: Path, kind: str
) -> None:
    pytest.importorskip("pexpect")
    from pty_helpers import finish, spawn

    if kind == "file":
        target = tmp_path / "afile"
        target.write_text("x\n", encoding="utf-8")
    else:
        target = tmp_path / ("长" * 100)
    child = spawn("new", "2019", "--dir", str(target))
    code = finish(child)
    output = child.before or ""
    assert code == ExitCode.IO, output
    assert "--dir" in output and "Traceback" not in output


def test_dash_writes_a_binary_format_to_standard_output() -> None:
    import io
    import zipfile

    result = runner.invoke(app, ["render", str(DEMO), "-o", "-", "-t", "docx"])
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(io.BytesIO(result.stdout_bytes)) as z:
        assert "word/document.xml" in z.namelist()
