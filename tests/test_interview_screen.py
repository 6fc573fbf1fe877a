"""`zjeval new` on a small 80×24 terminal, read back as a screen (pyte) as well as a stream.

The long-text editor puts the text on its own lines across the whole width; Enter on an empty
optional long text moves on; what the help forbids is refused or removed with a Chinese
message; a 科室 outside the unit's list needs a confirmation; a percent typed as a fraction is
asked back; a sum that does not add up is said at the question that completes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import CLEAR, DOWN, NEWLINE, ROOT, TIMEOUT, finish, spawn, terminal_env

from zjeval.answers import store

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow  # a real terminal (pty) per test
pyte = pytest.importorskip("pyte")

FORM = ROOT / "tests" / "fixtures" / "screen_form.yaml"
COLUMNS, ROWS = 80, 24
LONG = (
    "按照市财政局的通知要求，我局成立了自评工作小组，制定了工作方案，"
    "收集核实了全年的预算执行、资产和项目资料，逐项填写数据表和评分表并撰写报告。"
)
SECOND = "第二段：自评报告经局务会审定后按时报送。"


class Screen:
    """The child's output as an 80×24 terminal shows it."""

    def __init__(self, child: Any) -> None:
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.Stream(self.screen)
        child.logfile_read = self

    def write(self, data: str) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]


def wait_for(child: Any, screen: Screen, ready: Any) -> list[str]:
    """Read output until the screen satisfies ready(lines); the lines then."""
    for _ in range(TIMEOUT * 10):
        lines = screen.lines()
        if ready(lines):
            return lines
        with contextlib.suppress(pexpect.TIMEOUT):
            child.read_nonblocking(4096, timeout=0.1)
    pytest.fail("屏幕上没有出现预期的内容:\n" + "\n".join(screen.lines()))


def rows_holding(lines: list[str], text: str) -> list[str]:
    """The consecutive screen rows that together show text, from its first character."""
    for start, line in enumerate(lines):
        if line and text.startswith(line):
            rows, rest = [], text
            for row in lines[start:]:
                if not rest or not rest.startswith(row) or not row:
                    break
                rows.append(row)
                rest = rest[len(row) :]
            if not rest:
                return rows
    return []


def squeeze(text: str) -> str:
    """Without spaces: a line break may stand for one."""
    return text.replace(" ", "")


def load(directory: Path) -> Any:
    return store.load(directory / "2019.yaml", str(FORM))[1]


def start(directory: Path) -> tuple[Any, Screen]:
    child = spawn(
        "new",
        "2019",
        "--dir",
        str(directory),
        "--form",
        str(FORM),
        env=terminal_env(COLUMNS=str(COLUMNS), LINES=str(ROWS)),
        columns=COLUMNS,
        rows=ROWS,
    )
    return child, Screen(child)


def cover(child: Any) -> None:
    child.expect_exact("单位全称:")
    child.send("湛江市住房和城乡建设局\r")
    child.expect_exact("通知名称:")
    child.send("《关于开展2021年度部门整体支出绩效自评工作的通知》\r")
    child.expect_exact("已去掉书名号《》,报告中会自动加上:关于开展2021年度部门整体支出绩效自评工作的通知")
    child.expect_exact("第 1 项(直接回车结束):")
    child.send("办公室\r")
    child.expect_exact("第 2 项(直接回车结束):")
    child.send("一是计划财务科\r")
    child.expect_exact("第 3 项(直接回车结束):")
    child.send("\r")
    child.expect_exact("已去掉第 2 项开头的「一是」(报告会自动编号),记为:计划财务科")


def test_long_text_at_80x24_uses_the_width_and_is_saved(tmp_path: Path) -> None:
    child, screen = start(tmp_path)
    cover(child)
    child.expect_exact("情况说明:")
    child.send("\r")  # Enter on an empty optional long text: skipped, the next question comes
    child.expect_exact("自评工作过程:")
    child.send("无\r")
    child.expect_exact("不能只写「无」:请写出具体内容")
    child.send(CLEAR + LONG + NEWLINE + SECOND)
    lines = wait_for(child, screen, lambda ls: bool(rows_holding(ls, LONG)) and SECOND in ls)
    rows = rows_holding(lines, LONG)
    assert len(rows) >= 2, lines  # the text wraps across the whole width ...
    assert all(len(row) >= 30 for row in rows[:-1]), rows  # ... in lines of at least 30 characters
    assert lines.index(rows[0]) > 0 and "自评工作过程:" in lines[lines.index(rows[0]) - 1]  # own line
    child.send("\r")
    child.expect_exact("评价小组成员 第 1 项")
    child.expect_exact("姓名:")
    child.send("张三\r")
    child.expect_exact("所在科室:")
    child.send("综合科\r")
    child.expect_exact("「综合科」不在「内设机构」名单中,仍然使用吗?")
    child.send("n")
    child.expect_exact("所在科室:")
    child.send(CLEAR + "计划财务科\r")
    child.expect_exact("再添加一项?")
    child.send("n")
    child.expect_exact("收入总预算(万元):")
    child.send("100\r")
    child.expect_exact("其中:一般公共预算拨款(万元):")
    child.send("60\r")
    child.expect_exact("其中:其他收入(万元):")
    child.send("30\r")
    # said at the question that completes the sum (rich wraps it at 80 columns: read the screen)
    message = "收入总预算 100 万元不等于各项之和 90 万元(一般公共预算拨款 60 + 其他收入 30),相差 10 万元"
    wait_for(child, screen, lambda ls: squeeze(message) in squeeze("".join(ls)))
    child.expect_exact("返回修改「其中:一般公共预算拨款(万元)」")
    child.send(DOWN * 3 + "\r")  # after 继续, 其他收入 and 收入总预算: 一般公共预算拨款
    child.expect_exact("其中:一般公共预算拨款(万元):")
    child.send(CLEAR + "70\r")
    child.expect_exact("满意度(%):")
    child.send("0.95\r")
    child.expect_exact("填的是 0.95%,是指 95% 吗?")
    child.send("y")
    child.expect_exact("成文日期:")
    child.send("2022-03-05\r")
    child.expect_exact("生成报告")
    child.send("n")
    assert finish(child) == 0

    answers = load(tmp_path)
    assert answers.invalid == {}
    assert "note" not in answers.values
    assert answers.values == {
        "unit_name": "湛江市住房和城乡建设局",
        "notice_name": "关于开展2021年度部门整体支出绩效自评工作的通知",
        "departments": ["办公室", "计划财务科"],
        "process_text": LONG + "\n" + SECOND,
        "team": [{"name": "张三", "dept": "计划财务科"}],
        "income_total": Decimal(100),
        "income_general": Decimal(70),
        "income_other": Decimal(30),
        "satisfaction": Decimal(95),
        "report_date": dt.date(2022, 3, 5),
    }


def test_enter_on_an_empty_optional_long_text_moves_on(tmp_path: Path) -> None:
    child, _screen = start(tmp_path)
    cover(child)
    child.expect_exact("(可选)")
    child.expect_exact("情况说明:")
    child.send("\r")  # one Enter: no line added, the question is skipped
    child.expect_exact("自评工作过程:")
    child.sendcontrol("c")
    assert finish(child) == 130
    answers = load(tmp_path)
    assert "note" not in answers.values and "process_text" not in answers.values
    assert answers.strings("departments") == ["办公室", "计划财务科"]
