"""`zjeval new YEAR --project NAME` in a pseudo-terminal: the project's own file, its name already
answered, Ctrl-C saves and the next run goes on from there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pty_helpers import CTRL_C, finish, spawn

from zjeval.answers import store

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow  # a real terminal (pty) per test


def test_new_project_asks_from_after_its_name_and_resumes(tmp_path: Path) -> None:
    child = spawn("new", "2025", "--project", "道路照明改造", "--dir", str(tmp_path))
    # a new project's file: its 项目名称 known from --project, the interview starts on the next question
    child.expect_exact("主管部门:")
    assert "项回答" not in child.before
    child.send("示例市城市管理局\r")
    child.expect_exact("实施单位:")
    child.send(CTRL_C)
    assert finish(child) == 130
    path = tmp_path / "2025-项目" / "道路照明改造.yaml"
    form, answers = store.load(path)
    assert form.id == "project"
    assert answers.get("project_name") == "道路照明改造" and answers.get("department") == "示例市城市管理局"
    child = spawn("new", "2025", "--project", "道路照明改造", "--dir", str(tmp_path))
    child.expect_exact("已有 2 项回答")
    child.send(CTRL_C)
    assert finish(child) == 130


def test_the_carried_projects_suggested_carry_money_is_asked_to_confirm(tmp_path: Path) -> None:
    """After `projects new --from`, the interview stops at the 上年结转资金 it pre-filled: last year's
    figures and the sum beside the prompt, the figure as the default; Enter confirms it."""
    import datetime as dt
    from decimal import Decimal

    from test_projects import project, run

    project(tmp_path / "2025-项目", "城市更新", fund_current_exec="600.00", fund_total_exec="600.00")
    assert run("projects", "new", "2026", "--from", "2025", "--dir", str(tmp_path)).exit_code == 0
    path = tmp_path / "2026-项目" / "城市更新.yaml"
    form, answers = store.load(path)
    answers.set("report_date", dt.date(2027, 3, 20))
    answers.set("overview_text", ["本项目用于城市更新。"])
    for qid in ("fund_current_initial", "fund_current_budget", "fund_current_exec", "fund_carry_initial"):
        answers.set(qid, Decimal(0))
    store.save(path, form, answers)

    child = spawn("new", "2026", "--project", "城市更新", "--dir", str(tmp_path))
    child.expect_exact("要做什么?")
    child.send("\r")  # 从第一个未答的问题继续
    child.expect_exact("上年结转资金—全年预算数(万元)")
    child.expect_exact("800.00万元 − 年度资金总额—全年执行数 600.00万元 = 200.00万元")
    child.expect_exact("200.00")
    child.send("\r")
    child.expect_exact("上年结转资金—全年执行数(万元)")
    child.send(CTRL_C)
    assert finish(child) == 130
    _, saved = store.load(path)
    assert saved.get("fund_carry_budget") == Decimal("200.00") and saved.provenance["fund_carry_budget"] == "carried"
