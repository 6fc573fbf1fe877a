"""Nothing typed is lost: a killed interview, a failed write, and two interviews on one file."""

from __future__ import annotations

import errno
import os
import signal
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import pytest
from pty_helpers import CLEAR, CTRL_C, NEWLINE, ROOT
from pty_helpers import spawn as pty_spawn

from zjeval.answers import store
from zjeval.answers.kinds import Record
from zjeval.answers.model import Answers
from zjeval.errors import ExitCode, StorageError
from zjeval.form import loader as forms
from zjeval.form.models import Form

pexpect = pytest.importorskip("pexpect")


LEAD = "我局及时布置自评工作。\n成立自评工作小组，明确分工。"
COVER = {
    "unit_name": "湛江市科学技术局",
    "notice_issuer": "湛江市财政局",
    "notice_name": "关于开展2020年度市级部门预算单位整体支出自我绩效评价工作的通知",
    "notice_no": "湛财评〔2020〕6号",
    "self_ref": "我局",  # asked before the 导语 that uses it
    "lead_text": LEAD,
}


def spawn(directory: Path) -> Any:
    return pty_spawn("new", "2019", "--dir", str(directory))


def kill(child: Any) -> None:
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL


def answer_the_cover(child: Any) -> None:
    child.expect_exact("单位全称:")
    child.send(COVER["unit_name"] + "\r")
    child.expect_exact("通知的发文机关:")
    child.send(COVER["notice_issuer"] + "\r")
    child.expect_exact("通知名称:")
    child.send(COVER["notice_name"] + "\r")
    child.expect_exact("通知文号:")
    child.send("湛财评【2020】06号\r")
    child.expect_exact("已记为:湛财评〔2020〕6号")
    child.expect_exact("报告正文中本单位的自称:")
    child.send(CLEAR + COVER["self_ref"] + "\r")
    child.expect_exact("Ctrl-J 换段")
    child.expect_exact("导语正文:")
    child.send(CLEAR + LEAD.replace("\n", NEWLINE) + "\r")  # the form prefills a model 导语
    child.expect_exact("成文日期:")


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------- (a) SIGKILL in the middle


@pytest.mark.slow
def test_sigkill_loses_no_answer_and_the_next_run_resumes(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    answer_the_cover(child)  # the 7th prompt (成文日期) is on the screen: six answers are saved
    kill(child)

    _form, answers = store.load(tmp_path / "2019.yaml")
    assert answers.values == COVER
    assert answers.invalid == {} and answers.unknown == {}
    assert leftovers(tmp_path) == []
    assert not list(tmp_path.glob(".2019.yaml.*.tmp"))

    child = spawn(tmp_path)
    child.expect_exact("已有 6 项回答")
    child.expect_exact("从第一个未答的问题继续")
    child.send("\r")
    child.expect_exact("成文日期:")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED
    assert store.load(tmp_path / "2019.yaml")[1].values == COVER
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- (b) a write that fails


@pytest.fixture()
def saved(tmp_path: Path) -> tuple[Path, Form, Answers, bytes]:
    form = forms.load("zhanjiang")
    answers = store.new_answers(form, 2019)
    answers.set("unit_name", "湛江市科学技术局")
    path = tmp_path / "2019.yaml"
    store.save(path, form, answers)
    answers.set("unit_name", "改过的名称")
    answers.set("notice_issuer", "湛江市财政局")
    return path, form, answers, path.read_bytes()


def _disk_full(*_args: object, **_kwargs: object) -> NoReturn:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["os.replace", "tempfile.mkstemp", "os.fsync"])
def test_a_failed_write_keeps_the_old_file(
    saved: tuple[Path, Form, Answers, bytes], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path, form, answers, before = saved
    module, name = where.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, _disk_full)
    with pytest.raises(StorageError) as info:
        store.save(path, form, answers)
    monkeypatch.undo()
    err = info.value
    assert err.exit_code == ExitCode.IO
    assert str(path) in err.message
    assert "原文件未被改动" in err.message + err.hint
    assert "磁盘空间不足" in err.message  # the reason in Chinese, whatever the system locale
    assert path.read_bytes() == before
    assert store.load(path)[1].values == {"unit_name": "湛江市科学技术局"}
    assert leftovers(path.parent) == []


def test_a_failed_first_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = forms.load("zhanjiang")
    answers = store.new_answers(form, 2019)
    answers.set("unit_name", "湛江市科学技术局")
    monkeypatch.setattr(os, "replace", _disk_full)
    with pytest.raises(StorageError):
        store.save(tmp_path / "2019.yaml", form, answers)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- (c) two interviews at once


@pytest.mark.slow
def test_a_second_interview_on_the_same_file_is_refused(tmp_path: Path) -> None:
    first = spawn(tmp_path)
    first.expect_exact("单位全称:")
    first.send(COVER["unit_name"] + "\r")
    first.expect_exact("通知的发文机关:")  # running, one answer saved

    second = spawn(tmp_path)
    index = second.expect([pexpect.EOF, "单位全称:", "通知的发文机关:", "已有 1 项回答"])
    if index != 0:
        second.kill(signal.SIGKILL)
        second.close()
        kill(first)
        pytest.fail("a second zjeval new 2019 on the same directory was not refused")
    text = second.before
    second.close()
    assert second.exitstatus in (ExitCode.USAGE, ExitCode.IO), text
    assert "正在" in text, text
    assert "2019.yaml" in text, text
    assert "Traceback" not in text

    # the first one is unharmed and still saves
    first.send(COVER["notice_issuer"] + "\r")
    first.expect_exact("通知名称:")
    kill(first)  # a crash must not lock the file for ever
    assert store.load(tmp_path / "2019.yaml")[1].values == {
        "unit_name": COVER["unit_name"],
        "notice_issuer": COVER["notice_issuer"],
    }

    third = spawn(tmp_path)
    third.expect_exact("已有 2 项回答")
    third.send("\r")
    third.expect_exact("通知名称:")
    third.send(CTRL_C)
    third.expect(pexpect.EOF)
    third.close()
    assert third.exitstatus == ExitCode.INTERRUPTED
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- (d) a list inside a record

DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
GOAL_TITLE, GOAL_POINTS = "加强科技创新", ["措施一", "措施二"]
GOAL: Record = {"title": GOAL_TITLE, "points": GOAL_POINTS}


def demo_without_goals(directory: Path) -> None:
    """The 2024 demo answers without 绩效目标: `new` asks it (and nothing after it)."""
    form, answers = store.load(DEMO)
    answers.values.pop("goals")
    store.save(directory / "2024.yaml", form, answers)


def type_a_goal_and_two_points(directory: Path) -> Any:
    child = pty_spawn("new", "2024", "--dir", str(directory))
    child.expect_exact("要做什么?")
    child.send("\r")  # 从第一个未答的问题继续
    child.expect_exact("绩效目标 第 1 项")
    child.expect_exact("目标:")
    child.send(GOAL_TITLE + "\r")
    for n, point in enumerate(GOAL_POINTS, 1):
        child.expect_exact(f"具体内容 第 {n} 项(直接回车结束):")
        child.send(point + "\r")
    child.expect_exact("具体内容 第 3 项(直接回车结束):")
    return child


def resume_the_goal(directory: Path) -> None:
    """The next run goes on in 具体内容 after the two items, then finishes the list and the file."""
    child = pty_spawn("new", "2024", "--dir", str(directory))
    child.expect_exact("要做什么?")
    child.send("\r")
    child.expect_exact("上次在这里中断")
    child.expect_exact("绩效目标 第 1 项")
    child.expect_exact("已填:目标:加强科技创新;具体内容:措施一、措施二")  # the half-typed record
    child.expect_exact("具体内容 已填 2 项:")
    child.expect_exact("2. 措施二")
    child.expect_exact("具体内容 第 3 项(直接回车结束):")
    child.send("措施三\r")
    child.expect_exact("具体内容 第 4 项(直接回车结束):")
    child.send("\r")
    child.expect_exact("再添加一项?")
    child.send(CTRL_C)  # left after a whole record: the next run asks before adding one
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED
    answers = store.load(directory / "2024.yaml")[1]
    assert answers.get("goals") == [{**GOAL, "points": [*GOAL_POINTS, "措施三"]}]
    assert (answers.unfinished, answers.unfinished_item) == ("goals", None)

    child = pty_spawn("new", "2024", "--dir", str(directory))
    child.expect_exact("要做什么?")
    child.send("\r")
    child.expect_exact("已填 1 项")
    child.expect_exact("再添加一项?")
    child.send("n")
    child.expect_exact("完成情况")
    child.expect_exact("生成报告")
    child.send("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = store.load(directory / "2024.yaml")[1]
    assert answers.get("goals") == [{**GOAL, "points": [*GOAL_POINTS, "措施三"]}]
    assert answers.unfinished is None
    assert leftovers(directory) == []


@pytest.mark.slow
def test_ctrl_c_in_a_list_inside_a_record_keeps_its_items(tmp_path: Path) -> None:
    demo_without_goals(tmp_path)
    child = type_a_goal_and_two_points(tmp_path)
    child.send(CTRL_C)
    child.expect_exact("已保存")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED
    answers = store.load(tmp_path / "2024.yaml")[1]
    assert answers.get("goals") == [GOAL]
    assert (answers.unfinished, answers.unfinished_item, answers.unfinished_field) == ("goals", 1, "points")
    resume_the_goal(tmp_path)


@pytest.mark.slow
def test_a_closed_terminal_in_a_list_inside_a_record_keeps_its_items(tmp_path: Path) -> None:
    demo_without_goals(tmp_path)
    child = type_a_goal_and_two_points(tmp_path)
    child.kill(signal.SIGHUP)  # the terminal window closed
    child.expect(pexpect.EOF)
    child.close()
    answers = store.load(tmp_path / "2024.yaml")[1]
    assert answers.get("goals") == [GOAL]
    assert (answers.unfinished, answers.unfinished_item, answers.unfinished_field) == ("goals", 1, "points")
    resume_the_goal(tmp_path)
