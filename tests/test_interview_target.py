"""`zjeval new 2025 --form target` through the WHOLE target-based form in a pseudo-terminal,
typing the answers of its demo (2025-示例数据-目标对照.yaml), indicator rows field by field.

A row's 计量单位 is not asked for a 定性 row, nor its 定性评价 for a 定量 row: the form says so
(`when` on the record fields), so the test skips exactly the fields whose `when` does not hold
for the fields typed before them. The file written must pass `zjeval check`, and `zjeval score
--json` must give the demo's total.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import ROOT
from pty_helpers import spawn as pty_spawn
from test_interview_full import Counting, exact, expect, run_zjeval, type_value

from zjeval.answers import store
from zjeval.answers.kinds import Record, as_records
from zjeval.answers.model import Answers, applies
from zjeval.form.models import Question
from zjeval.interview import carry, followup, rows

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow  # a real terminal (pty) per test

DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"


def type_rows(child: Any, q: Question, rows: list[Record], where: str, help_: Any) -> list[str]:
    """Each row field by field, skipping the fields that do not apply to it; the fields skipped.
    The 二级 choices are the 一级 group's; the 偏差原因 is asked only of a row that falls short."""
    skipped = []
    for n, row in enumerate(rows, 1):
        expect(child, f"{q.label} 第 {n} 项", where)
        typed: dict[str, Any] = {}
        for f in q.fields:
            if f.id == help_.fields.level2:
                f = f.model_copy(update={"choices": help_.level2_choices(typed)})
            if f.id == help_.fields.reason and not help_.shortfall(typed):
                assert f.id not in row, f"{where} 第 {n} 项: a reason for a row that is not short"
                continue
            if not carry.applies(f, typed):
                assert f.id not in row, f"{where} 第 {n} 项: the demo answers {f.id}, which is not asked"
                skipped.append(f"{n}.{f.id}")
                continue
            type_value(child, f, row.get(f.id), f"{where} 第 {n} 项.{f.id}", prefix=f"{f.label} ")
            typed[f.id] = row.get(f.id)
            child.items += 1
        if n >= q.min_items:
            expect(child, "再添加一项?", f"{where} 第 {n} 项之后")
            child.send("y" if n < len(rows) else "n")
    return skipped


def test_whole_target_form_with_the_demo_answers(tmp_path: Path) -> None:
    form, demo = store.load(DEMO)
    assert form.id == "target"
    typed = Answers(year=demo.year, form_id=demo.form_id)
    reasons = followup.reason_ids(form)
    child = Counting(pty_spawn("new", "2025", "--form", "target", "--dir", str(tmp_path)))
    skipped_fields: list[str] = []
    for _chain, q in form.walk():
        if not applies(q, typed) or not q.ask:
            continue
        needed = followup.reasons_needed(form, typed, None)
        if q.id in reasons and q.id not in needed:
            assert demo.get(q.id) is None, f"{q.id}: the demo answers a reason no rule calls for"
            continue
        value = demo.get(q.id)
        if q.type == "records" and any(f.when is not None for f in q.fields):
            child.questions += 1
            skipped_fields += type_rows(child, q, as_records(value), q.id, rows.helper(form, q.id))
        else:
            type_value(child, q, value, q.id)
        typed.set(q.id, value)
    # 8 rows: the 定性 row has no 计量单位, the 7 定量 rows no 定性评价
    assert len(skipped_fields) == len(demo.records("indicators"))
    assert child.enters <= child.questions + child.items

    expect(child, "完成情况", "review")
    expect(child, "生成报告到", "review")  # the answers are complete: not a draft
    child.send("y")
    expect(child, "已生成", "review")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    written = tmp_path / "2025.yaml"
    _form, saved = store.load(written)
    assert saved.form_id == "target" and saved.invalid == {}
    assert exact(saved.values) == exact(demo.values)  # every answer as the demo has it

    check = run_zjeval("check", str(written))
    assert check.returncode == 0, check.stdout + check.stderr
    ours = run_zjeval("score", "--json", str(written))
    theirs = run_zjeval("score", "--json", str(DEMO))
    assert ours.returncode == 0 and theirs.returncode == 0, ours.stderr + theirs.stderr
    score, expected = json.loads(ours.stdout), json.loads(theirs.stdout)
    assert score["total"] == expected["total"] == "94.58"
    assert score == expected
    report = (tmp_path / "2025.txt").read_text(encoding="utf-8")
    assert "现将我局2025年度部门整体支出绩效自评情况报告如下：" in report
    assert "经自评，我局2025年度部门整体支出绩效自评得分为94.58分" in report
