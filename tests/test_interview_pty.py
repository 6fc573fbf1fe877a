"""`zjeval new` end to end in a pseudo-terminal (pexpect), with a small test form.

prompt_toolkit works in a pty with TERM=xterm-256color; PROMPT_TOOLKIT_NO_CPR=1 stops it
asking the (absent) terminal for the cursor position and waiting for an answer.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import CLEAR, CTRL_C, DOWN, NEWLINE, ROOT, TIMEOUT, finish, spawn

from zjeval.answers import store
from zjeval.answers.kinds import Value
from zjeval.answers.model import Answers

pytestmark = pytest.mark.slow  # pty sessions: `pytest -m 'not slow'` leaves them to the full run

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow  # a real terminal (pty) per test

MINI = ROOT / "tests" / "fixtures" / "mini_form.yaml"


def spawn_mini(tmp_path: Path) -> Any:  # a pexpect child (pexpect has no types)
    return spawn("new", "2019", "--dir", str(tmp_path), "--form", str(MINI))


def load(tmp_path: Path) -> Answers:
    return store.load(tmp_path / "2019.yaml", str(MINI))[1]


def answer_cover(child: Any) -> None:
    child.expect_exact("单位全称:")
    child.send("湛江市科学技术局\r")
    child.expect_exact("收入总预算(万元):")
    child.send("12,552.67\r")


def test_whole_interview(tmp_path: Path) -> None:
    child = spawn_mini(tmp_path)
    child.expect_exact("报告基本信息")
    child.expect_exact("1/2")
    answer_cover(child)
    child.expect_exact("一、自评工作开展情况")
    child.expect_exact("报送与公开的材料是否一致:")
    child.send(DOWN + "\r")  # 不一致
    child.expect_exact("Ctrl-J 换段")
    child.expect_exact("不一致的原因:")
    child.send("第一段：材料后补。" + NEWLINE + "第二段“引号”。\r")
    child.expect_exact("第 1 项(直接回车结束):")
    child.send("1、预算编制不够细化\r")
    child.expect_exact("第 2 项(直接回车结束):")
    child.send("绩效目标不够量化\r")
    child.expect_exact("第 3 项(直接回车结束):")
    child.send("\r")
    child.expect_exact("成文日期:")
    child.send("2020年9月2日\r")
    child.expect_exact("完成情况")
    child.expect_exact("已完成")
    child.expect_exact("生成报告到")
    child.send("n")
    assert finish(child) == 0

    answers = load(tmp_path)
    assert answers.invalid == {}
    assert answers.values == {
        "unit_name": "湛江市科学技术局",
        "income_total": Decimal("12552.67"),
        "consistent": "不一致",
        "reason": "第一段：材料后补。\n第二段“引号”。",
        "problems": ["预算编制不够细化", "绩效目标不够量化"],
        "report_date": dt.date(2020, 9, 2),
    }


def test_rejected_money_is_asked_again_with_chinese_message(tmp_path: Path) -> None:
    child = spawn_mini(tmp_path)
    child.expect_exact("单位全称:")
    child.send("湛江市科学技术局\r")
    child.expect_exact("收入总预算(万元):")
    child.send("abc\r")
    child.expect_exact("应为金额(万元)")
    child.send(CLEAR + "12,552.67\r")
    child.expect_exact("报送与公开的材料是否一致:")
    child.send(CTRL_C)
    assert finish(child) == 130
    assert load(tmp_path).get("income_total") == Decimal("12552.67")


def test_going_back_from_a_choice_to_the_previous_question(tmp_path: Path) -> None:
    child = spawn_mini(tmp_path)
    answer_cover(child)
    child.expect_exact("← 返回上一题")
    child.send(DOWN + DOWN + "\r")
    child.expect_exact("收入总预算(万元):")
    child.expect_exact("12552.67")  # the answer given, prefilled
    child.send(CLEAR + "２００万元\r")
    child.expect_exact("报送与公开的材料是否一致:")
    child.send(CTRL_C)
    assert finish(child) == 130
    assert load(tmp_path).get("income_total") == Decimal(200)


def test_ctrl_c_saves_and_next_run_resumes(tmp_path: Path) -> None:
    child = spawn_mini(tmp_path)
    answer_cover(child)
    child.expect_exact("报送与公开的材料是否一致:")
    child.send(CTRL_C)
    child.expect_exact("已保存 2 项回答到")
    child.expect_exact("即可从中断处继续")
    assert finish(child) == 130
    answers = load(tmp_path)
    assert answers.values == {"unit_name": "湛江市科学技术局", "income_total": Decimal("12552.67")}

    child = spawn_mini(tmp_path)
    child.expect_exact("已有 2 项回答")
    child.expect_exact("从第一个未答的问题继续")
    child.send("\r")
    child.expect_exact("一、自评工作开展情况")
    child.expect_exact("1/3")
    child.expect_exact("报送与公开的材料是否一致:")
    child.send("\r")  # 一致 (the default)
    child.expect_exact("第 1 项(直接回车结束):")
    child.send("问题\r")
    child.expect_exact("第 2 项(直接回车结束):")
    child.send(CTRL_C)  # the unfinished list keeps the item typed (issue 18)
    child.expect_exact("已保存 4 项回答到")
    assert finish(child) == 130
    answers = load(tmp_path)
    assert answers.values == {
        "unit_name": "湛江市科学技术局",
        "income_total": Decimal("12552.67"),
        "consistent": "一致",
        "problems": ["问题"],
    }
    assert answers.unfinished == "problems"

    child = spawn_mini(tmp_path)
    child.expect_exact("已有 4 项回答")
    child.send("\r")
    child.expect_exact("2/3")
    child.expect_exact("上次在这里中断")
    child.expect_exact("第 2 项(直接回车结束):")  # on the item where it stopped
    child.send("<\r")  # back to item 1, not an item itself
    child.expect_exact("第 1 项(直接回车结束):")
    child.send("\r")  # item 1 kept as it was
    child.expect_exact("第 2 项(直接回车结束):")
    child.send("\r")
    child.expect_exact("成文日期:")
    child.send("2020-09-02\r")
    child.expect_exact("生成报告到")
    child.send("n")
    assert finish(child) == 0
    answers = load(tmp_path)
    assert answers.get("problems") == ["问题"] and answers.unfinished is None


def test_without_a_terminal_exits_5_at_once(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "zjeval", "new", "2019", "--dir", str(tmp_path)],
        cwd=str(ROOT),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    assert result.returncode == 5
    assert "需要在终端中交互运行" in result.stderr
    assert "zjeval check 2019" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "2019.yaml").exists()


def test_builtin_form_normalises_and_resumes(tmp_path: Path) -> None:
    """The shipped form: the 文号 typed with 【】 is stored in the standard form and shown so."""
    args = ["new", "2019", "--dir", str(tmp_path)]
    child = spawn(*args)
    child.expect_exact("报告基本信息")
    child.expect_exact("单位全称:")
    child.send("湛江市科学技术局\r")
    child.expect_exact("通知的发文机关:")
    child.send("湛江市财政局\r")
    child.expect_exact("通知名称:")
    child.send("关于开展2020年度市级部门预算单位整体支出自我绩效评价工作的通知\r")
    child.expect_exact("通知文号:")
    child.send("湛财绩[20]6号\r")  # two-digit year: refused with the reason
    child.expect_exact("年份应写全四位")
    child.send(CLEAR + "湛财评【2020】06号\r")
    child.expect_exact("已记为:湛财评〔2020〕6号")
    child.expect_exact("报告正文中本单位的自称:")  # asked before the 导语 that uses it (issue 18)
    child.send(CLEAR + "我局\r")
    child.expect_exact("导语正文:")
    child.expect_exact("我局及时布置自评")  # the default speaks as the unit chose
    child.send(CTRL_C)
    assert finish(child) == 130
    _form, answers = store.load(tmp_path / "2019.yaml")
    assert answers.values["notice_no"] == "湛财评〔2020〕6号"
    assert answers.values["unit_name"] == "湛江市科学技术局"
    assert "lead_text" not in answers.values

    child = spawn(*args)
    child.expect_exact("已有 5 项回答")
    child.send("\r")  # 从第一个未答的问题继续
    child.expect_exact("导语正文:")
    child.send(CTRL_C)
    assert finish(child) == 130
    assert store.load(tmp_path / "2019.yaml")[1].values == answers.values


def test_revise_one_question_and_delete_one_list_item(tmp_path: Path) -> None:
    """修改某一题: found by part of its label; one item of the list edited, one deleted; nothing
    else asked."""
    complete: dict[str, Value] = {
        "unit_name": "湛江市科学技术局",
        "income_total": Decimal(1),
        "consistent": "一致",
        "problems": ["预算编制不够细化", "绩效目标不够量化", "资产管理不规范"],
        "report_date": dt.date(2020, 9, 2),
    }
    form, answers = store.open_or_create(tmp_path / "2019.yaml", 2019, str(MINI))
    for qid, value in complete.items():
        answers.set(qid, value)
    store.save(tmp_path / "2019.yaml", form, answers)

    child = spawn_mini(tmp_path)
    child.expect_exact("已有 5 项回答")
    child.expect_exact("修改某一题(按题号或题目中的字)")
    child.send("\r")  # the first entry: nothing is pending
    child.expect_exact("修改第几题?")
    child.send("存在\r")
    child.expect_exact("现有 3 项")
    child.expect_exact("如何处理?")
    child.send(DOWN * 2 + "\r")  # 保留 / 继续添加 / 修改其中一项
    child.expect_exact("修改哪一项?")
    child.send(DOWN * 2 + "\r")  # the third
    child.expect_exact("存在问题(修改这一项):")
    child.send(CLEAR + "资产管理制度不健全\r")
    child.expect_exact("3. 资产管理制度不健全")
    child.expect_exact("如何处理?")
    child.send(DOWN * 3 + "\r")  # 删除其中一项
    child.expect_exact("删除哪一项?")
    child.send(DOWN + "\r")  # the second
    child.expect_exact("已删除第 2 项:绩效目标不够量化")
    child.expect_exact("完成,保存修改")
    child.send("\r")
    child.expect_exact("要做什么?")  # back at the menu: no other question was asked
    child.send(DOWN * 2 + "\r")  # 查看完成情况、生成报告
    child.expect_exact("生成报告到")
    child.send("n")
    assert finish(child) == 0
    assert load(tmp_path).get("problems") == ["预算编制不够细化", "资产管理制度不健全"]
