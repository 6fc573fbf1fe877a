"""The demo: a unit's six 2025 projects (answers/examples/2025-项目/), on the built-in project form.

Each total is worked out here by hand, from the figures in the files and the rules of
forms/frameworks/project.yaml (执行率 × 10, at most 10; 正向 分值 × 实际 ÷ 指标值, 反向 分值 × 指标值 ÷ 实际,
both at most the 分值; 定性 达成 100%, 部分达成 65%; every score rounded half up to 0.01), not by the scorer.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from typer.testing import CliRunner

from zjeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-项目"
runner = CliRunner()
D = Decimal


def r2(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# project -> (全年预算数, 全年执行数, 执行率 score + the rows' scores, grade), worked out by hand
BY_HAND = {
    # all rows met; 792.40 / 800 = 99.05%
    "老旧小区改造补助资金": (D(800), D("792.40"), r2(10 * D("792.40") / 800) + 20 + 15 + 15 + 30 + 10, "优"),
    # 上年结转 320 in the budget; 560 of 600 套, 548 of 550 户; ≤12月 met at 12
    "保障性住房筹集补助": (
        D(1820),
        D("1773.80"),
        r2(10 * D("1773.80") / 1820) + r2(D(25) * 560 / 600) + 15 + 10 + r2(D(30) * 548 / 550) + 10,
        "优",
    ),
    # 执行率 232 / 300 = 77.33% (its reason given); four rows short, one 反向 (≤2 小时, 2.5 actual)
    "建筑工地扬尘在线监测系统运维": (
        D(300),
        D(232),
        r2(10 * D(232) / 300)
        + r2(D(20) * 132 / 150)
        + r2(D(15) * 91 / 95)
        + r2(D(15) * 2 / D("2.5"))
        + r2(D(30) * 6 / 10)
        + 10,
        "中",
    ),
    # two 定性 rows: 达成 15 × 1, 部分达成 30 × 0.65; ≤10月 done in 11: 15 × 10 / 11
    "城市更新专项规划编制": (
        D(120),
        D("116.50"),
        r2(10 * D("116.50") / 120) + 20 + r2(D(15) * 1) + r2(D(15) * 10 / 11) + r2(D(30) * D("0.65")) + 10,
        "良",
    ),
    # one row (10 分) does not apply: left out, the rest scaled to 100 (折算); satisfaction 88 of 90
    "既有建筑节能改造补贴": (
        D(450),
        D(441),
        r2((r2(10 * D(441) / 450) + 25 + 15 + 10 + 20 + r2(D(10) * 88 / 90)) * 100 / 90),
        "优",
    ),
    "物业管理从业人员培训": (
        D(30),
        D("28.20"),
        r2(10 * D("28.20") / 30) + 20 + r2(D(15) * 88 / 90) + 15 + r2(D(30) * 3 / 5) + 10,
        "良",
    ),
}


def test_the_hand_totals_are_what_they_say() -> None:
    totals = {name: total for name, (_, _, total, _) in BY_HAND.items()}
    assert totals == {
        "老旧小区改造补助资金": D("99.91"),
        "保障性住房筹集补助": D("97.97"),
        "建筑工地扬尘在线监测系统运维": D("79.70"),
        "城市更新专项规划编制": D("87.85"),
        "既有建筑节能改造补贴": D("99.53"),  # 89.58 × 100 ÷ 90
        "物业管理从业人员培训": D("87.07"),
    }


def test_demo_folder_checks_clean_and_scores_as_computed_by_hand() -> None:
    result = runner.invoke(app, ["projects", "check", str(DEMO), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["complete"] and data["count"] == 6
    got = {p["name"]: p for p in data["projects"]}
    assert set(got) == set(BY_HAND)
    for name, (budget, spent, total, grade) in BY_HAND.items():
        line = got[name]
        assert (D(line["budget"]), D(line["exec"]), D(line["total"]), line["grade"]) == (
            budget,
            spent,
            total,
            grade,
        )
        assert D(line["rate"]) == r2(spent / budget * 100)
        assert line["problems"] == []


def test_each_demo_project_scores_alone_as_by_hand() -> None:
    for name, (_, _, total, grade) in BY_HAND.items():
        result = runner.invoke(app, ["score", str(DEMO / f"{name}.yaml"), "--json"])
        assert result.exit_code == 0, result.output
        card = json.loads(result.output)
        assert (D(card["total"]), card["grade"]) == (total, grade)


def test_demo_has_what_the_issue_asks_for() -> None:
    from zjeval.answers import store

    loaded = {p.stem: store.load(p)[1] for p in DEMO.glob("*.yaml")}
    assert len(loaded) >= 6 and all(a.form_id == "project" for a in loaded.values())
    low = loaded["建筑工地扬尘在线监测系统运维"]
    assert D(232) / 300 < D("0.9") and low.get("exec_reason")
    assert loaded["保障性住房筹集补助"].get("fund_carry_budget") == D("320")
    rows = loaded["城市更新专项规划编制"].records("indicators")
    assert isinstance(rows, list) and [r["tier"] for r in rows if r["nature"] == "定性"] == [
        "达成",
        "部分达成",
    ]
    saving = loaded["既有建筑节能改造补贴"]
    assert not saving.overrides  # the row that does not apply is marked in the row itself
    marked = [r for r in saving.records("indicators") if r["actual"] == "不适用"]
    assert len(marked) == 1 and marked[0]["reason"]


def test_statement_of_the_demo_by_hand() -> None:
    result = runner.invoke(app, ["projects", "statement", str(DEMO), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # 优: 800 + 1820 + 450 = 3070; 良: 120 + 30 = 150; 中: 300; of 3520 in all
    # shares in 0.01%: 3070/3520 = 87.2159…, 150/3520 = 4.2613…, 300/3520 = 8.5227… -> 87.21 + 4.26 + 8.52
    # = 99.99, the cent left over to the largest remainder (87.2159): 87.22
    # projects: 3/6 = 50.00, 2/6 = 33.333…, 1/6 = 16.666… -> 33.33 + 16.66 + 50 = 99.99, the cent to 16.666…
    assert data["grades"] == [
        {"grade": "优", "count": 3, "count_share": "50.00", "budget": "3070.00", "budget_share": "87.22"},
        {"grade": "良", "count": 2, "count_share": "33.33", "budget": "150.00", "budget_share": "4.26"},
        {"grade": "中", "count": 1, "count_share": "16.67", "budget": "300.00", "budget_share": "8.52"},
    ]
    assert data["text"].startswith(
        "2025年度，本单位对6个项目开展绩效自评，涉及全年预算数3520.00万元，全年执行数3383.90万元。"
    )
    assert "自评等级为“中”的项目1个，占项目总数的16.67%，全年预算数300.00万元，占8.52%。" in data["text"]


def test_demo_docx_each_project_table_starts_its_funds_with_the_year_total(tmp_path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT

    out = tmp_path / "项目.docx"
    result = runner.invoke(app, ["projects", "render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    # each project's 自评表: the blocks above the indicator rows, then the indicator rows
    assert len(document.sections) == 6 and len(document.tables) == 12
    assert all(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    assert document.core_properties.title == "2025年度项目支出绩效自评表"
    for table in document.tables[::2]:
        firsts = [row.cells[0].text for row in table.rows]
        funds = firsts.index("项目资金（万元）")
        assert firsts[funds + 1] == "年度资金总额" and firsts[funds + 2].startswith("其中")


def test_demo_workbook_has_the_summary_and_a_sheet_per_project(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "项目.xlsx"
    result = runner.invoke(app, ["projects", "render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "汇总" and sorted(book.sheetnames[1:]) == sorted(BY_HAND)
    values = openpyxl.load_workbook(out, data_only=True)["汇总"]
    got = {values.cell(row=r, column=2).value: values.cell(row=r, column=6).value for r in range(3, 9)}
    assert {k: r2(D(str(v))) for k, v in got.items()} == {k: v[2] for k, v in BY_HAND.items()}
    assert values["C9"].value == 3520 and values["D9"].value == 3383.9


def test_new_project_interview_opens_the_projects_file(tmp_path: Path) -> None:
    """`zjeval new 2026 --project NAME`: the file in answers/2026-项目/, named, with last year's
    file of the same project to compare with (headless: the interview itself needs a terminal)."""
    import shutil

    from zjeval.interview.session import _project

    last = tmp_path / "2025-项目"
    shutil.copytree(DEMO, last)
    path = tmp_path / "2026-项目" / "城市更新专项规划编制.yaml"
    form, answers, source = _project(path, 2026, "城市更新专项规划编制", tmp_path, "2025", None)
    assert form.id == "project" and answers.get("project_name") == "城市更新专项规划编制"
    assert source == str(last / "城市更新专项规划编制.yaml")
    _, fresh, none = _project(tmp_path / "2026-项目" / "新项目.yaml", 2026, "新项目", tmp_path, None, None)
    assert fresh.get("project_name") == "新项目" and none is None
    result = runner.invoke(app, ["new", "2026", "--project", "新项目", "--dir", str(tmp_path)])
    assert result.exit_code == 5 and "终端" in result.output


def test_a_project_file_says_how_to_go_on_with_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["projects", "new", "2025", "道路照明改造", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "2025-项目" / "道路照明改造.yaml").read_text(encoding="utf-8")
    assert "`zjeval new 2025 --project 道路照明改造` 继续访谈" in text.splitlines()[1]
