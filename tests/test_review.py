"""`zjeval review` over the demo batch (tests/fixtures/review/): every seeded defect found at its
level and location, clean units without P0/P1, 复核得分 and 偏离度 as worked out by hand, the
workbook read back, the same bytes twice, and the built-in demos without P0."""

from __future__ import annotations

import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.review import batch, run
from zjeval.review import profile as profiles
from zjeval.review.model import Review

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "tests" / "fixtures" / "review"
EXAMPLES = ROOT / "answers" / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def review() -> Review:
    return run.review(batch.load(batch.expand([str(BATCH)])), profiles.load("default"))


def found(review: Review, unit: str, rule: str) -> list[Any]:
    return [f for f in review.findings if f.unit == unit and f.rule == rule]


def summary(review: Review, unit: str, year: int = 2025) -> Any:
    return next(s for s in review.summaries if s.unit == unit and s.year == year)


# (unit, rule, level, where the finding must point)
SEEDED = [
    ("示例市民政局", "full_while_short", "P0", "绩效指标第1行「特困人员救助供养人数」"),
    ("示例市民政局", "empty_when_short", "P0", "五、存在问题 › 存在问题"),
    ("示例市民政局", "empty_when_short", "P0", "六、改进措施 › 改进措施"),
    ("示例市民政局", "all_rows_full", "P1", "绩效指标"),
    ("示例市民政局", "cost_written_up", "P1", "绩效指标第3行「人均救助成本」"),
    (
        "示例市民政局",
        "prose_all_met",
        "P1",
        "二、绩效目标完成情况 › （三）履职效果情况 › 履职效果情况(经济、社会、生态效益和满意度)",
    ),
    (
        "示例市民政局",
        "shared_paragraphs",
        "P1",
        "二、绩效目标完成情况 › （二）履职完成情况 › 履职完成情况(数量、质量、时效)",
    ),
    ("示例市农业农村局", "execution_cap", "P1", "自评得分"),
    ("示例市农业农村局", "score_execution_gap", "P1", "自评得分"),
    ("示例市农业农村局", "over_target", "P2", "绩效指标第1行「培训高素质农民人次」"),
    ("示例市农业农村局", "date_after_year", "P1", "绩效指标第3行「高标准农田建设完成时间」"),
    ("示例市农业农村局", "bare_benefit_percent", "P2", "绩效指标「效益指标」"),
    ("示例市农业农村局", "survey_stated", "P1", "绩效指标第6行「农户满意度」"),
    ("示例市农业农村局", "prose_figures", "P1", "四、偏差原因分析 › 偏差原因分析"),
    ("示例市水务局", "idle_money_full_output", "P0", "绩效指标"),
    ("示例市水务局", "full_while_short", "P0", "绩效指标第1行「新建供水管网长度」"),
    ("示例市水务局", "all_rows_full", "P1", "绩效指标"),
    ("示例市水务局", "execution_cap", "P1", "三、自评结论 › 自评结论说明"),
    ("示例市水务局", "score_execution_gap", "P1", "三、自评结论 › 自评结论说明"),
    (
        "示例市水务局",
        "prose_figures",
        "P1",
        "二、绩效目标完成情况 › （二）履职完成情况 › 履职完成情况(数量、质量、时效)",
    ),
    (
        "示例市水务局",
        "prose_counts",
        "P1",
        "二、绩效目标完成情况 › （二）履职完成情况 › 履职完成情况(数量、质量、时效)",
    ),
    (
        "示例市水务局",
        "other_unit_name",
        "P0",
        "二、绩效目标完成情况 › （三）履职效果情况 › 履职效果情况(经济、社会、生态效益和满意度)",
    ),
    ("示例市司法局", "text_actual", "P1", "绩效指标第2行「法律援助案件质量评查合格率」"),
    (
        "示例市司法局",
        "shared_paragraphs",
        "P1",
        "二、绩效目标完成情况 › （二）履职完成情况 › 履职完成情况(数量、质量、时效)",
    ),
    ("示例市司法局", "prose_counts", "P1", "四、偏差原因分析 › 偏差原因分析"),
    ("示例市司法局", "shortfalls_named", "P2", "绩效指标第1行「法律援助案件办结数」"),
    ("示例市文化广电旅游体育局", "same_as_last_year", "P1", "五、存在问题 › 存在问题"),
    ("示例市文化广电旅游体育局", "same_as_last_year", "P1", "六、改进措施 › 改进措施"),
    ("2025-辛-无法打开", "unreadable", "P0", "整个文件"),
    (
        "示例市交通运输局",
        "prose_counts",
        "P1",
        "二、绩效目标完成情况 › （二）履职完成情况 › 履职完成情况(数量、质量、时效)",
    ),
]


@pytest.mark.parametrize(("unit", "rule", "level", "where"), SEEDED)
def test_every_seeded_defect_is_found_at_its_level_and_place(
    review: Review, unit: str, rule: str, level: str, where: str
) -> None:
    hits = found(review, unit, rule)
    assert [(f.level, f.where) for f in hits if f.where == where] == [(level, where)]


def test_every_rule_kind_of_the_default_profile_is_seeded() -> None:
    seeded = {rule for _, rule, _, _ in SEEDED}
    rules = {r.id for r in profiles.load("default").rules}
    # form_check is zjeval check itself (tested there)
    assert rules - seeded - {"all_projects_full"} == {"form_check"}


def test_every_project_of_a_unit_at_full_marks(review: Review) -> None:
    hits = found(review, "示例市交通运输局", "all_projects_full")
    assert sorted(Path(f.file).name for f in hits) == [
        "2025-壬-项目-农村公路养护.yaml",
        "2025-壬-项目-客运站改造.yaml",
    ]
    assert {f.level for f in hits} == {"P1"}
    (count,) = found(review, "示例市交通运输局", "prose_counts")
    assert count.finding == "文字说3个项目,本批报送了该单位2个项目的自评"


def test_a_project_is_reviewed_with_its_own_form(review: Review) -> None:
    # 执行率 100% → 10; all rows full → 100; 3 起 against ≤5 is 40% better than the target → −2
    s = next(x for x in review.summaries if x.title.startswith("农村公路养护补助资金"))
    assert (s.form, s.unit, s.stated, s.reviewed) == ("项目支出绩效自评表", "示例市交通运输局", Decimal(100), Decimal(98))


@pytest.mark.parametrize("unit", ["示例市教育局", "示例市卫生健康委员会"])
def test_clean_units_get_no_p0_or_p1(review: Review, unit: str) -> None:
    assert [f for f in review.findings if f.unit == unit and f.level in ("P0", "P1")] == []
    s = summary(review, unit)
    assert s.stated == s.reviewed and s.deviation == 0


def test_last_year_of_a_copied_pair_is_clean(review: Review) -> None:
    s = summary(review, "示例市文化广电旅游体育局", 2024)
    assert s.counts == {"P0": 0, "P1": 0, "P2": 0}


def test_review_score_by_hand_execution_cap_and_over_target(review: Review) -> None:
    # 执行率 650 ÷ 1000 = 65% → 6.5; rows 20 + 15 + 15×0.65 + 15 + 15 + 10 = 84.75; total 91.25.
    # 复核: one row 40% above its target −2 → 89.25; 65% is under 70% → capped at 79.
    s = summary(review, "示例市农业农村局")
    assert (s.stated, s.reviewed, s.execution) == (Decimal("91.25"), Decimal("79.00"), Decimal("65.00"))
    assert s.deviation == Decimal("13.42")  # (91.25 − 79) ÷ 91.25 = 13.42%
    assert (s.stated_grade, s.reviewed_grade) == ("优", "中")


def test_review_score_by_hand_stated_in_the_text_and_capped(review: Review) -> None:
    # the text says 98; the figures give 0.5 + 90 = 90.5; 执行率 5% is under 50% → at most 59
    s = summary(review, "示例市水务局")
    assert (s.stated, s.reviewed) == (Decimal(98), Decimal("59.00"))
    assert s.deviation == Decimal("39.80")  # (98 − 59) ÷ 98
    assert (s.stated_grade, s.reviewed_grade) == ("优", "差")


def test_review_score_by_hand_a_raised_row_is_not_counted(review: Review) -> None:
    # row 1: 1000 ÷ 1200 × 20 = 16.67, raised to 20 by the unit; 9.5 + 20 + 15 + 15 + 30 + 10 = 99.5
    s = summary(review, "示例市民政局")
    assert (s.stated, s.reviewed) == (Decimal("99.50"), Decimal("96.17"))
    assert s.deviation == Decimal("3.35")


def test_review_score_by_hand_a_row_the_figures_cannot_score_gets_nothing(review: Review) -> None:
    # row 2's actual is words and the unit gave it 25: the figures give it nothing.
    # 9.5 + 760 ÷ 800 × 25 (23.75) + 25 + 30 + 10 = 98.25 stated; 73.25 reviewed
    s = summary(review, "示例市司法局")
    assert (s.stated, s.reviewed) == (Decimal("98.25"), Decimal("73.25"))


def test_summaries_are_worst_first(review: Review) -> None:
    keys = [(-s.counts["P0"], -s.counts["P1"]) for s in review.summaries]
    assert keys == sorted(keys)
    assert review.summaries[0].unit == "示例市水务局"  # 3 P0 and 5 P1 (民政局: 3 P0, 4 P1)


def test_shared_paragraph_names_the_other_unit_and_how_much(review: Review) -> None:
    (f,) = found(review, "示例市民政局", "shared_paragraphs")
    assert "示例市司法局" in f.finding and "相同程度84%" in f.finding


def test_the_built_in_demo_answers_give_no_p0() -> None:
    result = run.review(batch.load(batch.expand([str(EXAMPLES)])), profiles.load("default"))
    assert len(result.summaries) == len(list(EXAMPLES.rglob("*.yaml"))) >= 9  # the projects folder too
    assert [f for f in result.findings if f.level == "P0"] == []


def test_cli_writes_the_workbook_and_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "复核.xlsx"
    result = runner.invoke(app, ["review", str(BATCH), "-o", str(out)])
    assert result.exit_code == 1, result.output  # P0 findings
    assert "共 12 份材料" in result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["问题清单", "汇总", "图表"]
    issues = wb["问题清单"]
    assert [c.value for c in issues[1]] == [
        "序号",
        "等级",
        "单位",
        "文件",
        "位置",
        "发现",
        "事实",
        "依据",
        "建议",
    ]
    rows = [[c.value for c in r] for r in issues.iter_rows(min_row=2)]
    levels = [str(r[1]) for r in rows]
    assert levels == sorted(levels) and levels[0] == "P0"
    assert any(r[2] == "示例市水务局" and r[8] and "教育局" in str(r[6]) for r in rows)
    total = wb["汇总"]
    head = [c.value for c in total[1]]
    assert head[:10] == [
        "单位",
        "对象",
        "表单",
        "年度",
        "自评得分",
        "复核得分",
        "偏离度",
        "自评等级",
        "复核等级",
        "执行率",
    ]
    by_unit = {r[0].value: r for r in total.iter_rows(min_row=2) if r[3].value == 2025}
    dingrow = by_unit["示例市农业农村局"]
    assert (dingrow[4].value, dingrow[5].value) == (91.25, 79)
    deviation = dingrow[6].value
    assert dingrow[6].number_format == "0.00%" and isinstance(deviation, float) and abs(deviation - 0.1342) < 1e-9
    charts = wb["图表"]
    with zipfile.ZipFile(out) as z:  # the bar and the scatter chart, as parts of the file
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 2
    assert [c.value for c in charts["A"]][:5] == ["等级", "优", "良", "中", "差"]


def test_same_inputs_same_bytes(tmp_path: Path) -> None:
    outs = []
    for name in ("a.xlsx", "b.xlsx"):
        runner.invoke(app, ["review", str(BATCH), "-o", str(tmp_path / name)])
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


def test_json_has_the_same_data() -> None:
    result = runner.invoke(app, ["review", str(BATCH), "--json"])
    data = json.loads(result.output)
    assert data["counts"]["P0"] == sum(f["level"] == "P0" for f in data["findings"]) == 7
    ding = next(s for s in data["summaries"] if s["unit"] == "示例市农业农村局")
    assert (ding["stated"], ding["reviewed"], ding["deviation_percent"]) == ("91.25", "79.00", "13.42")


def test_existing_output_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "复核.xlsx"
    out.write_bytes(b"old")
    result = runner.invoke(app, ["review", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 2 and out.read_bytes() == b"old"
    assert runner.invoke(app, ["review", str(EXAMPLES), "-o", str(out), "--force"]).exit_code == 0


def test_a_missing_target_is_a_chinese_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["review", str(tmp_path / "没有"), "--json"])
    assert result.exit_code == 2 and "找不到" in result.output


def test_a_glob_selects_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["review", str(BATCH / "2025-甲*.yaml"), "--json"])
    data = json.loads(result.output)
    assert [s["unit"] for s in data["summaries"]] == ["示例市教育局"] and result.exit_code == 0


def test_a_document_is_read_through_import(tmp_path: Path) -> None:
    report = tmp_path / "教育局.txt"
    assert (
        runner.invoke(app, ["render", str(BATCH / "2025-甲-教育局.yaml"), "-o", str(report)]).exit_code == 0
    )
    data = json.loads(runner.invoke(app, ["review", str(report), "--json"]).output)
    (s,) = data["summaries"]
    assert s["unit"] == "示例市教育局" and s["year"] == 2025
    assert s["form"] == "部门整体支出绩效自评报告(目标对照式)(由报告导入)"
    assert [f for f in data["findings"] if f["level"] == "P0"] == []


def test_unreadable_files_never_stop_the_batch(tmp_path: Path) -> None:
    shutil.copy(BATCH / "2025-甲-教育局.yaml", tmp_path)
    (tmp_path / "坏.yaml").write_text("answers: [\n", encoding="utf-8")
    (tmp_path / "坏.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "乱码.txt").write_bytes(b"\xff\xfe\x00garbage")
    data = json.loads(runner.invoke(app, ["review", str(tmp_path), "--json"]).output)
    p0 = {Path(f["file"]).name: f["fact"] for f in data["findings"] if f["rule"] == "unreadable"}
    assert set(p0) == {"坏.yaml", "坏.pdf", "乱码.txt"}
    assert all(p0.values())  # each with its reason
    assert any(s["unit"] == "示例市教育局" for s in data["summaries"])


def test_profile_mistakes_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "id: mine\nname: 我的\nrules:\n  - kind: over_target\n    id: x\n    level: P3\n"
        "    source: 依据\n    percent: 30\n    points: 2\n    colour: red\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["review", str(EXAMPLES), "--json", "--profile", str(bad)])
    assert result.exit_code == 4
    assert f"{bad}:6" in result.output and f"{bad}:10" in result.output and "未知的键" in result.output


def test_a_profile_changes_levels_and_parameters(tmp_path: Path) -> None:
    mine = tmp_path / "p.yaml"
    mine.write_text(
        "id: mine\nname: 我的\nrules:\n"
        "  - {kind: execution_cap, id: cap, level: P0, source: 本地办法, caps: [{below: 90, max: 70}]}\n",
        encoding="utf-8",
    )
    data = json.loads(runner.invoke(app, ["review", str(BATCH), "--json", "--profile", str(mine)]).output)
    assert {f["rule"] for f in data["findings"]} == {"cap", "unreadable"}
    ding = next(s for s in data["summaries"] if s["unit"] == "示例市农业农村局")
    assert ding["reviewed"] == "70.00" and not any("扣2分" in a for a in ding["adjustments"])


def test_unknown_profile_name() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES), "--json", "--profile", "nowhere"])
    assert result.exit_code == 4 and "default" in result.output


def test_the_readme_profile_example_loads_and_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("## 财政部门/复核", 1)[1].split("\n## ", 1)[0]
    (example,) = [b for b in part.split("```yaml\n")[1:]]
    mine = tmp_path / "mycity.yaml"
    mine.write_text(example.split("```", 1)[0], encoding="utf-8")
    data = json.loads(runner.invoke(app, ["review", str(BATCH), "--json", "--profile", str(mine)]).output)
    projects = [f for f in data["findings"] if f["rule"] == "all_projects_full"]
    assert len(projects) == 2 and {f["level"] for f in projects} == {"P0"}
    assert any(f["rule"] == "execution_cap" and "85分" in f["finding"] for f in data["findings"])


def test_every_rule_kind_is_in_the_readme() -> None:
    from zjeval.review.profile import Rule

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    kinds = [getattr(r.model_fields["kind"].annotation, "__args__", ("",))[0] for r in Rule.__subclasses__()]
    assert len(kinds) == 21
    assert [k for k in kinds if f"| `{k}` |" not in readme] == []


@pytest.mark.slow
def test_a_long_batch_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    from pty_helpers import finish, spawn

    for i in range(24):
        shutil.copy(BATCH / "2025-甲-教育局.yaml", tmp_path / f"{i:02d}.yaml")
    child = spawn("review", str(tmp_path), "-o", str(tmp_path / "复核.xlsx"))
    child.expect("复核中:24/24 个文件")
    child.expect("共 24 份材料")
    assert finish(child) == 0
    assert (tmp_path / "复核.xlsx").is_file()


def test_no_progress_when_not_on_a_terminal(tmp_path: Path) -> None:
    for i in range(24):
        shutil.copy(BATCH / "2025-甲-教育局.yaml", tmp_path / f"{i:02d}.yaml")
    result = runner.invoke(app, ["review", str(tmp_path), "-o", str(tmp_path / "复核.xlsx")])
    assert result.exit_code == 0 and "复核中" not in result.output and "共 24 份材料" in result.output


def test_a_word_report_states_its_score_and_keeps_its_defects(tmp_path: Path) -> None:
    doc = tmp_path / "民政局.docx"
    rendered = runner.invoke(app, ["render", str(BATCH / "2025-丙-民政局.yaml"), "--draft", "-o", str(doc)])
    assert rendered.exit_code == 0, rendered.output
    data = json.loads(runner.invoke(app, ["review", str(doc), "--json"]).output)
    (s,) = data["summaries"]
    assert (s["unit"], s["stated"]) == ("示例市民政局", "99.50")  # as the report's 自评结论 says
    rules = {(f["level"], f["rule"]) for f in data["findings"]}
    assert {("P0", "empty_when_short"), ("P1", "cost_written_up")} <= rules


def test_reviewing_answers_files_as_json_imports_no_office_library() -> None:
    from test_lazy_imports import HEAVY, imported

    assert not imported("review", str(EXAMPLES), "--json") & set(HEAVY)


def test_every_file_of_the_repository_fixtures_is_reviewed_or_reported() -> None:
    paths = batch.expand([str(ROOT / "tests" / "fixtures"), str(EXAMPLES)])
    result = run.review(batch.load(paths), profiles.load("default"))
    assert sorted(s.file for s in result.summaries) == sorted(str(p) for p in paths)
    broken = {f.file for f in result.findings if f.rule == "unreadable"}
    assert broken and all(s.reviewed is None for s in result.summaries if s.file in broken)


def test_a_rule_that_fails_on_a_file_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from zjeval.review import rules
    from zjeval.review.profile import TextActual

    def broken(rule: Any, facts: Any) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(rules.TABLE, TextActual, broken)  # type: ignore[misc]  # K: a class, not inferred
    result = run.review(batch.load([BATCH / "2025-甲-教育局.yaml"]), profiles.load("default"))
    (f,) = [f for f in result.findings if f.rule == "text_actual"]
    assert f.level == "P1" and "ZeroDivisionError: boom" in f.fact
    assert result.summaries[0].reviewed == Decimal("95.43")


def test_the_built_in_demos_as_word_documents_give_no_p0_or_p1(tmp_path: Path) -> None:
    for demo in sorted(EXAMPLES.glob("*.yaml")):
        out = tmp_path / f"{demo.stem}.docx"
        assert runner.invoke(app, ["render", str(demo), "--draft", "-o", str(out)]).exit_code == 0
    data = json.loads(runner.invoke(app, ["review", str(tmp_path), "--json"]).output)
    assert len(data["summaries"]) == len(list(EXAMPLES.glob("*.yaml")))
    assert [f for f in data["findings"] if f["level"] in ("P0", "P1")] == []
    stated = {s["stated"] for s in data["summaries"]}
    assert {"88.05", "94.58"} <= stated  # as the reports' 自评结论 state them


def test_a_row_that_does_not_apply_is_scaled_in_the_review_score_too() -> None:
    """折算 as the scoring profile does it: the demo project's 不适用 row (10 分) is left out and the
    rest, 89.58 by hand (9.80 + 25 + 15 + 10 + 20 + 9.78), scaled by 100 ÷ 90."""
    path = EXAMPLES / "2025-项目" / "既有建筑节能改造补贴.yaml"
    result = run.review(batch.load(batch.expand([str(path)])), profiles.load("default"))
    (summary,) = result.summaries
    assert summary.stated == summary.reviewed == Decimal("99.53")
