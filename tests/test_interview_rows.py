"""The target rows question in a pseudo-terminal (issue 18): rows checked as they are typed, saved
as they are typed, resumed on the row and field where Ctrl-C stopped them, and carried rows of
`new --from` gone through with a few keys."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import CLEAR, CTRL_C, DOWN, ROOT, finish, spawn

from zjeval.answers import store
from zjeval.answers.kinds import as_text
from zjeval.answers.model import Answers
from zjeval.form.models import Form

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow  # a real terminal (pty) per test

DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"


def without_rows(directory: Path, year: int = 2025) -> tuple[Form, Answers]:
    """The demo's answers without its indicator rows, as answers/YEAR.yaml in directory."""
    form, answers = store.load(DEMO)
    answers.year = year
    answers.set("indicators", None)
    store.save(directory / f"{year}.yaml", form, answers)
    return form, answers


def start(directory: Path, *extra: str) -> Any:
    child = spawn("new", "2025", "--dir", str(directory), *extra)
    child.expect_exact("要做什么?")
    child.send("\r")  # 从第一个未答的问题继续
    return child


def to_review(child: Any) -> None:
    """Past the problems the finished list brings up (group totals short of their weight)."""
    while child.expect_exact(["现在修改吗?", "生成"]) == 0:
        child.send("\r")  # 继续下一题


def row_head(child: Any, name: str, target: str) -> None:
    """一级 and 二级 by Enter (the first choice), the name, ≥, the target."""
    child.expect_exact("一级指标:")
    child.send("\r")
    child.expect_exact("二级指标:")
    child.send("\r")
    child.expect_exact("三级指标:")
    child.send(name + "\r")
    child.expect_exact("指标性质:")
    child.send("\r")
    child.expect_exact("年度指标值:")
    child.send(target + "\r")


def test_ctrl_c_inside_the_rows_keeps_them_and_resumes_on_the_field(tmp_path: Path) -> None:
    without_rows(tmp_path)
    child = start(tmp_path)
    child.expect_exact("绩效指标 第 1 项")
    row_head(child, "老旧小区改造完成数", "40个")  # number and unit typed together
    child.expect_exact("已记为 40,计量单位「个」")
    child.expect_exact("计量单位:")
    child.send("\r")  # 个, filled in from the 指标值
    child.expect_exact("实际完成值:")
    child.send("42\r")
    child.expect_exact("分值:")
    child.send("15\r")  # met: no 偏差原因 asked
    child.expect_exact("产出指标 15/50")
    child.expect_exact("再添加一项?")
    child.expect_exact("(是 y / 否 n,回车为「否」)")  # not (y/N)
    child.send("y")
    child.expect_exact("→ 是")
    child.expect_exact("绩效指标 第 2 项")
    row_head(child, "保障性住房筹集套数", "1200")
    child.expect_exact("计量单位:")
    child.send(CTRL_C)
    assert finish(child) == 130

    _, saved = store.load(tmp_path / "2025.yaml")
    assert saved.unfinished == "indicators"
    kept = saved.records("indicators")
    assert kept[0] == {**kept[0], "name": "老旧小区改造完成数", "target": "40", "unit": "个", "actual": "42"}
    assert saved.unfinished_item == 2
    assert kept[1]["name"] == "保障性住房筹集套数" and kept[1]["target"] == "1200"
    assert "unit" not in kept[1]

    child = start(tmp_path)
    child.expect_exact("上次在这里中断")
    child.expect_exact("绩效指标 第 2 项")
    child.expect_exact("计量单位:")  # on the field where it stopped, not at 一级指标
    child.send("套\r")
    child.expect_exact("实际完成值:")
    child.send("1080\r")
    child.expect_exact("各组分值合计(不含本行):产出指标 15/50")  # shown while the 分值 is typed
    child.expect_exact("分值:")
    child.send("15\r")
    child.expect_exact("未达到年度指标值")  # asked at once, not after the whole list
    child.expect_exact("偏差原因分析及改进措施:")
    child.send("\r")
    child.expect_exact("此项必填")
    child.send("两个项目延期开工。\r")
    child.expect_exact("产出指标 30/50")
    child.expect_exact("再添加一项?")
    child.send("n")
    to_review(child)
    child.send("n")
    assert finish(child) == 0
    _, saved = store.load(tmp_path / "2025.yaml")
    assert saved.unfinished is None and not saved.invalid
    rows = saved.records("indicators")
    assert [r["name"] for r in rows] == ["老旧小区改造完成数", "保障性住房筹集套数"]
    assert rows[1]["reason"] == "两个项目延期开工。" and "reason" not in rows[0]


def test_a_fraction_of_a_percent_is_asked_back_and_level2_follows_level1(tmp_path: Path) -> None:
    without_rows(tmp_path)
    child = start(tmp_path)
    child.expect_exact("一级指标:")
    child.send(DOWN + DOWN + "\r")  # 满意度指标
    child.expect_exact("二级指标:")
    child.expect_exact("服务对象满意度指标")
    before = child.before + child.after
    child.send("\r")
    child.expect_exact("三级指标:")
    assert "数量指标" not in before.split("二级指标:")[-1]  # only the 满意度 group's 二级
    child.send("居民满意度\r")
    child.expect_exact("指标性质:")
    child.send("\r")
    child.expect_exact("年度指标值:")
    child.send("90\r")
    child.expect_exact("计量单位:")
    child.send("%\r")
    child.expect_exact("实际完成值:")
    child.send("0.936\r")
    child.expect_exact("是指 93.6% 吗?")
    child.send("\r")  # 是
    child.expect_exact("分值:")
    child.send("10\r")
    child.expect_exact("满意度指标 10/10")
    child.expect_exact("再添加一项?")
    child.send("n")
    to_review(child)
    child.send("n")
    assert finish(child) == 0
    _, saved = store.load(tmp_path / "2025.yaml")
    row = saved.records("indicators")[0]
    assert (row["level1"], row["level2"], row["actual"]) == ("满意度指标", "服务对象满意度指标", "93.6")


def test_a_navigation_word_goes_back_and_is_never_an_item(tmp_path: Path) -> None:
    without_rows(tmp_path)
    child = start(tmp_path)
    row_head(child, "老旧小区改造完成数", "<")  # back to the field before: 指标性质
    child.expect_exact("指标性质:")
    child.send("\r")
    child.expect_exact("年度指标值:")
    child.send("40\r")
    child.expect_exact("计量单位:")
    child.send("个\r")
    child.expect_exact("实际完成值:")
    child.send("42\r")
    child.expect_exact("分值:")
    child.send("15\r")
    child.expect_exact("再添加一项?")
    child.send("n")
    to_review(child)
    child.send("n")
    assert finish(child) == 0
    _, saved = store.load(tmp_path / "2025.yaml")
    row = saved.records("indicators")[0]
    assert "<" not in row.values() and row["target"] == "40"


KEYS_PER_ROW = 3  # issue 18's bound: an unchanged row of `new --from`, besides the new 实际完成值


def test_new_from_goes_through_an_unchanged_row_in_few_keys(tmp_path: Path) -> None:
    """Keys pressed per carried row, besides typing the new 实际完成值 itself (measured, see README)."""
    shutil.copy(DEMO, tmp_path / "2025.yaml")
    form, last = store.load(DEMO)
    this = store.load(DEMO)[1]
    # everything but the rows as last year: answered in the file, so `new` goes to the rows
    this.year, this.carried_from = 2026, 2025
    this.set("indicators", None)
    store.save(tmp_path / "2026.yaml", form, this)
    child = spawn("new", "2026", "--dir", str(tmp_path))
    child.expect_exact("要做什么?")
    child.send("\r")
    child.expect_exact("如何处理?")
    child.send("\r")  # each row: only what it did not carry
    keys: list[int] = []
    for row in last.records("indicators"):
        pressed = 0
        child.expect_exact(f"{row['name']}")
        if row["nature"] == "定性":
            child.expect_exact("实际完成值:")
            child.send(as_text(row["actual"]) + "\r")
            pressed += 1
            child.expect_exact("定性评价:")
            child.send("\r")  # 达成
            pressed += 1
        else:
            child.expect_exact("实际完成值:")
            child.send(CLEAR + str(row["target"]) + "\r")  # this year: exactly the target, met
            pressed += 1
        keys.append(pressed)
    child.expect_exact("如何处理?")
    child.send("\r")  # 完成,保存修改
    child.expect_exact("生成")
    child.send("n")
    assert finish(child) == 0
    assert max(keys) <= KEYS_PER_ROW, keys
    print(f"keys per unchanged row besides the 实际完成值: {keys} (max {max(keys)})")
    _, saved = store.load(tmp_path / "2026.yaml")
    assert [r["target"] for r in saved.records("indicators")] == [r["target"] for r in last.records("indicators")]


def test_new_from_a_target_year_takes_its_form(tmp_path: Path) -> None:
    """`new 2026 --from 2025` without --form: the form of the 2025 file, not the default one."""
    shutil.copy(DEMO, tmp_path / "2025.yaml")
    child = spawn("new", "2026", "--from", "2025", "--dir", str(tmp_path))
    child.expect_exact("单位全称")
    child.expect_exact("上年:")
    child.send("\r")  # last year's name, kept: now the file is written
    child.expect_exact("通知的发文机关")
    child.send(CTRL_C)
    assert finish(child) == 130
    form, _ = store.load(tmp_path / "2026.yaml")
    assert form.id == "target"


def test_ctrl_c_while_going_through_carried_rows_resumes_on_the_next_row(tmp_path: Path) -> None:
    form, last = store.load(DEMO)
    this = store.load(DEMO)[1]
    this.year, this.carried_from = 2026, 2025
    this.set("indicators", None)
    shutil.copy(DEMO, tmp_path / "2025.yaml")
    store.save(tmp_path / "2026.yaml", form, this)
    child = spawn("new", "2026", "--dir", str(tmp_path))
    child.expect_exact("要做什么?")
    child.send("\r")
    child.expect_exact("如何处理?")
    child.send("\r")
    child.expect_exact("第 1/8 项")
    child.expect_exact("实际完成值:")
    child.send(CLEAR + "43\r")
    child.expect_exact("第 2/8 项")
    child.expect_exact("实际完成值:")
    child.send(CTRL_C)
    assert finish(child) == 130
    _, saved = store.load(tmp_path / "2026.yaml")
    assert saved.unfinished == "indicators" and saved.records("indicators")[0]["actual"] == "43"

    child = spawn("new", "2026", "--dir", str(tmp_path))
    child.expect_exact("要做什么?")
    child.send("\r")
    child.expect_exact(f"第 2/8 项:{last.records('indicators')[1]['name']}")
    child.expect_exact("实际完成值:")
    child.send(CTRL_C)
    assert finish(child) == 130
