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
