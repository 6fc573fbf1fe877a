"""The review's prose-vs-table check (zjeval/review/prose.py) when the prose writes its counts and
amounts in Chinese words: '十七个项目' against the two projects sent, '全年执行数为六百万元'
against 650 in the table; rough figures (近二十个, 十几个) and ordinals (第一个项目) are no counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zjeval.review import batch, run
from zjeval.review import profile as profiles

BATCH = Path(__file__).resolve().parent / "fixtures" / "review"
TRANSPORT = "2025-壬-交通运输局.yaml"
FARMING = "2025-丁-农业农村局.yaml"


def review_with(tmp_path: Path, name: str, old: str, new: str, rule: str) -> list[str]:
    """The findings of `rule` on the batch with `old` in file `name` rewritten as `new`."""
    for src in BATCH.glob("*.yaml"):
        if src.name == name or (name == TRANSPORT and src.name.startswith("2025-壬-项目")):
            shutil.copy(src, tmp_path / src.name)
    path = tmp_path / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run.review(batch.load(batch.expand([str(tmp_path)])), profiles.load("default"))
    return [f.finding for f in result.findings if f.rule == rule]


@pytest.mark.parametrize(
    ("said", "finding"),
    [
        ("十七个项目", "文字说十七个项目,本批报送了该单位2个项目的自评"),  # 17 written out: not the 2 sent
        ("七十个项目", "文字说七十个项目,本批报送了该单位2个项目的自评"),
        ("一百零三个项目", "文字说一百零三个项目,本批报送了该单位2个项目的自评"),
        ("两个项目", None),  # agrees with the table
        ("二个项目", None),
        ("十几个项目", None),  # rough: nothing said to compare
        ("近二十个项目", None),
        ("二十余个项目", None),
        ("第一个项目", None),  # an ordinal, not a count
        ("项目十七个", "文字说十七个项目,本批报送了该单位2个项目的自评"),  # the count after the word
        ("项目共17个", "文字说17个项目,本批报送了该单位2个项目的自评"),
        ("项目两个", None),
        ("项目十几个", None),
    ],
)
def test_a_count_of_projects_in_words_is_compared(tmp_path: Path, said: str, finding: str | None) -> None:
    found = review_with(tmp_path, TRANSPORT, "3个项目", said, "prose_counts")
    assert found == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("said", "wrong"),
    [
        ("全年执行数为六百万元", True),  # the table says 650.00
        ("全年执行数为六百五十万元", False),
        ("全年执行数为六百五十点零零万元", False),
        ("全年执行数为近六百万元", False),  # rough: not compared
        ("全年执行数为六百余万元", False),
    ],
)
def test_an_amount_in_words_is_compared(tmp_path: Path, said: str, wrong: bool) -> None:
    found = review_with(tmp_path, FARMING, "全年执行数为600.00万元", said, "prose_figures")
    assert any("文字中的" in f and "与表中数字不符" in f for f in found) is wrong


WATER = "2025-戊-水务局.yaml"


@pytest.mark.parametrize(
    ("said", "finding"),
    [
        ("预算执行率为85%", "文字中的执行率85%与按资金计算的5.00%不符"),  # as the batch has it, in digits
        ("预算执行率为百分之八十五", "文字中的执行率85%与按资金计算的5.00%不符"),
        ("预算执行率为百分之五", None),  # agrees with the funds
        ("预算执行率为百分之八十几", None),  # rough: not compared
        ("预算执行率为85%左右", None),
    ],
)
def test_an_execution_rate_in_words_is_compared(tmp_path: Path, said: str, finding: str | None) -> None:
    found = review_with(tmp_path, WATER, "预算执行率为85%", said, "prose_figures")
    assert [f for f in found if "执行率" in f] == ([finding] if finding else [])
