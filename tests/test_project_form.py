"""The built-in 项目支出绩效自评表 (forms/project.yaml, DOMAIN.md §8): a small project checks clean,
scores to its hand-computed total, renders in every format from the YAML alone, and the §8 checks
(执行率 < 90% needs a reason ≤ 100 字, the narrative ≤ 200 字, a shortfall needs its reason) hold."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.answers.model import Answers
from zjeval.assess import check
from zjeval.cli import app
from zjeval.form import loader
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Path(__file__).parent / "fixtures" / "project-2025.yaml"
runner = CliRunner()


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture()
def project() -> tuple[Form, Answers]:
    return store.load(PROJECT)


def found(form: Form, answers: Answers) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in check.check(form, answers)]


def test_project_is_a_built_in_form_with_its_framework() -> None:
    assert "project" in loader.builtin_forms()
    form = loader.load("project")
    assert form.scoring is not None and form.scoring.id == "project"
    assert form.scoring.rows is not None
    assert [(g.level1, g.weight) for g in form.scoring.rows.groups] == [
        ("产出指标", Decimal(50)),
        ("效益指标", Decimal(30)),
        ("满意度指标", Decimal(10)),
    ]
    assert [i.weight for i in form.scoring.indicators] == [10]
    result = runner.invoke(app, ["forms"])
    assert result.exit_code == 0 and "project" in result.output and "项目支出绩效自评表" in result.output


def test_the_project_checks_clean() -> None:
    result = runner.invoke(app, ["check", str(PROJECT)])
    assert result.exit_code == 0, result.output


def test_score_equals_the_total_computed_by_hand() -> None:
    execution = q2(Decimal(10) * Decimal(114) / Decimal(120))  # 95% of 10
    rows = [
        Decimal(20),  # ≥10 个, 10 done
        q2(Decimal(15) * Decimal(90) / Decimal(95)),  # ≥95%, 90%: 14.21
        Decimal(15),  # ≤30 天, 28
        q2(Decimal(30) * Decimal("0.65")),  # 定性 部分达成: 65% of 30
        Decimal(10),  # ≥90%, 92%
    ]
    expected = execution + sum(rows)
    assert expected == Decimal("88.21")
    result = runner.invoke(app, ["score", str(PROJECT), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert Decimal(str(data["total"])) == expected and data["grade"] == "良"


def test_execution_below_90_needs_a_reason_of_at_most_100_characters(project: tuple[Form, Answers]) -> None:
    form, answers = project
    answers.set("fund_current_exec", Decimal(80))
    answers.set("fund_total_exec", Decimal(99))
    (problem,) = found(form, answers)
    assert problem[0] == "error" and "82.50%,低于 90%" in problem[1] and "不超过100字" in problem[1]
    answers.set("exec_reason", "两个小区因居民意见未统一推迟开工,资金未能按计划支出。")
    assert found(form, answers) == []


def test_execution_above_100_needs_a_reason_too(project: tuple[Form, Answers]) -> None:
    form, answers = project
    answers.set("fund_carry_exec", Decimal(31))
    answers.set("fund_total_exec", Decimal(126))
    (problem,) = found(form, answers)
    assert problem[0] == "error" and "105.00%,高于 100%" in problem[1]


def test_narrative_at_most_200_characters(tmp_path: Path) -> None:
    text = PROJECT.read_text(encoding="utf-8").replace(
        "  problems: 施工过程质量管控不严，业主自治组织建设滞后。\n", "  problems: " + "问题" * 101 + "\n"
    )
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    form, answers = store.load(path)
    assert any(m.endswith("不超过 200 字(现有 202 字)") for _, m in found(form, answers))


def test_a_shortfall_needs_its_reason_and_problems_cannot_be_none(project: tuple[Form, Answers]) -> None:
    form, answers = project
    rows = answers.records("indicators")
    del rows[1]["reason"]
    answers.set("problems", "无")
    messages = [m for _, m in found(form, answers)]
    assert "第 2 行「工程质量抽检合格率」未达到年度指标值,请填写偏差原因分析及改进措施" in messages
    assert any("存在问题" in m for m in messages)


def test_text_render_is_the_official_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(PROJECT)])
    assert result.exit_code == 0, result.output
    out = result.output
    table = out[out.index("附件") :].splitlines()
    assert [line.split() for line in table if line.startswith(("项目名称", "主管部门", "实施单位"))] == [
        ["项目名称", "示例老旧小区改造补助资金"],
        ["主管部门", "示例市住房和城乡建设局"],
        ["实施单位", "示例市城市更新服务中心"],
    ]
    assert not any(line.startswith("联系电话") for line in table)  # optional and empty: not printed
    funds = next(i for i, line in enumerate(table) if line.startswith("年度资金总额"))
    assert table[funds].split() == ["年度资金总额", "100.00", "120.00", "114.00", "10", "95.00%", "9.50"]
    assert table[funds + 1].split() == ["其中：当年财政拨款", "100.00", "100.00", "95.00", "—", "—", "—"]
    assert table[-2].split() == ["总分", "100", "88.21"] and table[-1].split() == ["自评等级", "良"]
    assert out.splitlines()[0].strip() == "示例老旧小区改造补助资金2025年度项目支出绩效自评报告"


def test_markdown_docx_and_xlsx(tmp_path: Path) -> None:
    for suffix in ("md", "docx", "xlsx"):
        result = runner.invoke(app, ["render", str(PROJECT), "-o", str(tmp_path / f"p.{suffix}")])
        assert result.exit_code == 0, result.output
    md = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert "| 项目名称 | 示例老旧小区改造补助资金 |" in md and "| **总分** |" in md
    doc = Document(str(tmp_path / "p.docx"))
    assert doc.core_properties.subject == "项目支出绩效自评报告"
    table, rows = doc.tables  # the blocks above the indicator rows, then the indicator rows
    first = [c.text for c in table.rows[0].cells]
    assert first[0] == "项目名称" and first[-1] == "示例老旧小区改造补助资金"
    labels = [r.cells[0].text for r in table.rows]
    assert labels.index("年度资金总额") < labels.index("其中：当年财政拨款")
    assert [r.cells[0].text for r in rows.rows][-2:] == ["总分", "自评等级"]
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["自评表"]
    values = {c.value for row in ws.iter_rows() for c in row}
    assert {
        "项目名称",
        "年度资金总额",
        "其中：当年财政拨款",
        "总分",
        "自评等级",
        "偏差原因分析及改进措施",
    } <= values


def test_answers_file_header_names_the_form_subject(tmp_path: Path) -> None:
    form, answers = store.load(PROJECT)
    path = tmp_path / "2025.yaml"
    store.save(path, form, answers)
    assert path.read_text(encoding="utf-8").startswith("# zjeval 答案文件:2025年度项目支出绩效自评报告\n")


def test_the_interview_asks_every_question_of_the_project_form_headless() -> None:
    """The form interviews from its YAML alone: answering each step with the fixture's values
    gives the same answers (and problems) as the file."""
    from zjeval.interview.engine import Interview

    form = loader.load("project")
    _, fixture = store.load(PROJECT)
    answers = Answers(year=2025, form_id=form.id)
    engine = Interview(form, answers)
    asked = []
    while (step := engine.current()) is not None:
        asked.append(step.question.id)
        engine.answer(fixture.get(step.question.id))
        assert len(asked) < 200
    assert {"project_name", "department", "implementer", "indicators", "problems"} <= set(asked)
    assert check.check(form, answers) == check.check(form, fixture) == []
    assert answers.records("indicators") == fixture.records("indicators")


def test_a_layout_mistake_is_reported_at_its_line(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    form = tmp_path / "forms" / "project.yaml"
    text = form.read_text(encoding="utf-8")
    text = text.replace("        - {role: score, caption: 得分}\n", "", 1)  # the 得分 column dropped
    text = text.replace("      indicator: budget_execution", "      indicator: budget_exec", 1)
    form.write_text(text, encoding="utf-8")
    code = runner.invoke(app, ["forms", "check", str(form)])
    assert code.exit_code == 4
    lines = form.read_text(encoding="utf-8").splitlines()
    rows_at = next(n for n, line in enumerate(lines, 1) if line == "    rows:")
    indicator_at = next(n for n, line in enumerate(lines, 1) if "indicator: budget_exec" in line)
    assert f"{form}:{rows_at} attachments.0.rows: 缺少列 score(自评表必须有这些列)" in code.output
    assert f"{form.resolve()}:{indicator_at}" not in code.output  # found once the structure is sound
    form.write_text(
        text.replace(
            "        - {role: weight, caption: 分值}\n",
            "        - {role: weight, caption: 分值}\n        - {role: score, caption: 得分}\n",
            1,
        ),
        encoding="utf-8",
    )
    code = runner.invoke(app, ["forms", "check", str(form)])
    assert (
        f"{form.resolve()}:{indicator_at} attachments[0].funds.indicator: 评分框架中没有指标 budget_exec"
        in code.output
    )
