"""`zjeval check` shows the sentence an imported figure was read from, beside the problem about it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from need import need
from typer.testing import CliRunner

from zjeval import present, ui
from zjeval.answers import store
from zjeval.assess import check
from zjeval.cli import app

REGIONS = Path(__file__).parent / "fixtures" / "import" / "regions"
SENTENCE = "2024年，我局收入总预算6321.45万元，其中：一般公共预算拨款5821.45万元，政府性基金预算拨款500万元。"

runner = CliRunner()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The Xuwen page imported, then one part of the income total changed by hand (500 -> 400)."""
    target = tmp_path / "2024.yaml"
    result = runner.invoke(app, ["import", str(REGIONS / "xuwen-2024.txt"), "-o", str(target)])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    text = target.read_text(encoding="utf-8")
    assert f"  income_fund: {SENTENCE}\n" in text  # the sentence is kept in the file
    edited, count = re.subn(r"(?m)^  income_fund: 500$", "  income_fund: 400", text)
    assert count == 1
    target.write_text(edited, encoding="utf-8")
    return target


def test_piped_line_carries_the_source_sentence(broken: Path) -> None:
    result = runner.invoke(app, ["check", str(broken)])
    assert result.exit_code == 1
    line = store.load(broken)[1].lines["income_total"]
    expected = (
        f"{broken}:{line}: 错误: 一、单位基本情况 / （四）部门整体支出情况 › 收入总预算(万元): "
        "收入总预算 6321.45 万元不等于各项之和 6221.45 万元(一般公共预算拨款 5821.45 + 政府性基金预算拨款 400),"
        f"相差 100.00 万元(原文:{SENTENCE})"
    )
    assert expected in result.output.splitlines()
    # a problem about a figure that was not imported from a sentence shows none
    missing = [x for x in result.output.splitlines() if "年初预算数(万元): 未填写" in x]
    assert missing and all("原文" not in x for x in missing)


def test_json_lists_the_source_sentences(broken: Path) -> None:
    result = runner.invoke(app, ["check", "--json", str(broken)])
    data = json.loads(result.output)
    by_qid = {p["qid"]: p for p in data["problems"] if p["qid"]}
    sums = [p for p in data["problems"] if p["qid"] == "income_total"]
    assert [p["sources"] for p in sums] == [[SENTENCE]]
    assert by_qid["budget_initial"]["sources"] == []


def test_terminal_table_shows_the_source(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui, "is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "200")
    ui.out.cache_clear()
    try:
        result = runner.invoke(app, ["check", str(broken)])
    finally:
        ui.out.cache_clear()
    assert result.exit_code == 1
    flat = re.sub(r"[\s│┃║|]", "", result.output)
    assert "相差100.00万元(原文:" + re.sub(r"\s", "", SENTENCE) + ")" in flat


def test_a_rule_shows_every_sentence_its_figures_came_from(tmp_path: Path) -> None:
    """Staff in post above the quota: both figures' sentences, each once."""
    form, answers = store.load(_imported(tmp_path, "yunnan-xundian-2021.txt"))
    answers.set("staff_in_post", need(answers.integer("staff_quota")) + 3)
    answers.sources["staff_quota"] = "另一句:核定编制12个。"
    problems = [p for p in check.check(form, answers) if p.qid == "staff_in_post" and "超过" in p.message]
    assert len(problems) == 1
    assert problems[0].sources == (answers.sources["staff_in_post"], "另一句:核定编制12个。")


def _imported(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "a.yaml"
    result = runner.invoke(app, ["import", str(REGIONS / name), "-o", str(target)])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    return target


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("短句。", "短句。"),
        ("收入 487.24\n万元。", "收入 487.24 万元。"),  # line breaks of the page do not show
        # cut after the last clause that fits, when that keeps at least half
        ("甲" * 30 + "，" + "乙" * 40 + "。", "甲" * 30 + "，…"),
        # no clause end in the second half: cut at the width
        ("丙" * 70 + "。", "丙" * 59 + "…"),
    ],
)
def test_short_source(sentence: str, shown: str) -> None:
    assert present.short_source(sentence) == shown
    assert len(present.short_source(sentence)) <= present.SOURCE_WIDTH
