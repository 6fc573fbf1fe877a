"""`zjeval table`: indicator rows read from tables units export from their budget systems
(fixtures in tests/fixtures/tables/, written by make.py there)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.answers.kinds import Record
from zjeval.cli import app
from zjeval.errors import AnswersError
from zjeval.form import loader
from zjeval.form.models import Question
from zjeval.form.table_spec import TableSpec
from zjeval.importing.table import read_table

TABLES = Path(__file__).parent / "fixtures" / "tables"
DECLARED = TABLES / "申报表-一体化系统.xlsx"
COUNTY = TABLES / "自评表-区县版.xlsx"
CSV_GBK = TABLES / "申报表-GBK.csv"
runner = CliRunner()


def spec_and_question() -> tuple[TableSpec, Question]:
    form = loader.load("target")
    spec = form.tables[0]
    return spec, form.questions()[spec.question]


def test_declared_table_with_two_row_header_merged_cells_and_signs() -> None:
    spec, question = spec_and_question()
    read = read_table(DECLARED, spec, question)
    assert read.header_row == 4 and read.sheet == "绩效目标申报表"
    assert [r["name"] for r in read.records][:2] == ["老旧小区改造完成数", "保障性住房筹集套数"]
    assert len(read.records) == 8
    # merged 一级/二级 cells filled down; the sign taken out of 指标值; words mean 定性
    second = read.records[1]
    assert (second["level1"], second["level2"], second["nature"], second["target"]) == (
        "产出指标",
        "数量指标",
        "≥",
        "1200",
    )
    assert read.records[3]["nature"] == "≤"
    assert read.records[6]["nature"] == "定性" and read.records[6]["target"] == "建立并运行"
    assert read.records[0]["weight"] == Decimal(15)
    assert read.derived == {"nature": "target"}
    assert read.missing == ["actual", "reason"]
    assert read.skipped == [(13, "合计行「合计90」")]


def test_county_table_with_other_header_words() -> None:
    spec, question = spec_and_question()
    read = read_table(COUNTY, spec, question)
    assert read.columns == {
        "level1": "一级指标",
        "level2": "二级指标",
        "name": "具体指标",
        "nature": "指标方向",
        "target": "目标值",
        "unit": "单位",
        "actual": "实际值",
        "weight": "权重",
        "reason": "未完成原因",
    }
    assert [r["level1"] for r in read.records] == ["产出指标"] * 4 + ["效益指标"] * 2 + ["满意度指标"]
    assert [r["nature"] for r in read.records] == ["≥", "≥", "≥", "≤", "≥", "≥", "≥"]
    assert read.records[2]["actual"] == "99.2"
    assert read.skipped == [
        (7, "缺少三级指标"),
        (11, "合计行「合计85」"),
    ]
    assert read.notes == [(9, "「分值」:已把「十分」记为 10")]  # read, and said (issue 18)


def test_csv_in_gbk() -> None:
    spec, question = spec_and_question()
    read = read_table(CSV_GBK, spec, question)
    assert len(read.records) == 8 and read.records[4]["level1"] == "效益指标"


def test_a_table_without_the_columns_is_a_chinese_error(tmp_path: Path) -> None:
    spec, question = spec_and_question()
    other = tmp_path / "其他.csv"
    other.write_text("姓名,职务\n张三,科长\n", encoding="utf-8")
    with pytest.raises(AnswersError) as info:
        read_table(other, spec, question)
    assert "找不到绩效目标申报表的表头" in info.value.message and "一级指标(一级指标)" in info.value.message


def test_a_broken_xlsx_is_a_chinese_error(tmp_path: Path) -> None:
    spec, question = spec_and_question()
    fake = tmp_path / "坏.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(AnswersError) as info:
        read_table(fake, spec, question)
    assert "不是有效的 .xlsx 文件" in info.value.message


def test_command_creates_the_year_and_then_check_asks_for_actuals(tmp_path: Path) -> None:
    result = runner.invoke(app, ["table", str(DECLARED), "2025", "--form", "target", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "读到 8 行指标" in result.output and "跳过第 13 行:合计行「合计90」" in result.output
    form, answers = store.load(tmp_path / "2025.yaml")
    assert form.id == "target" and len(answers.records("indicators")) == 8
    check = runner.invoke(app, ["check", "2025", "--dir", str(tmp_path)])
    assert check.exit_code == 1
    assert "第 1 行「老旧小区改造完成数」请填写实际完成值" in check.output

    # rows already there are merged, not replaced: what was typed in them stays (issue 18)
    form, answers = store.load(tmp_path / "2025.yaml")
    rows = answers.records("indicators")
    assert isinstance(rows, list)
    rows[0]["actual"], rows[1]["actual"] = "42", "1080"
    rows[1]["reason"] = "两个项目延期开工。"
    answers.set("indicators", rows)
    store.save(tmp_path / "2025.yaml", form, answers)
    again = runner.invoke(app, ["table", str(DECLARED), "2025", "--dir", str(tmp_path)])
    assert again.exit_code == 0, again.output
    assert "保留已填的实际完成值等 2 行:老旧小区改造完成数、保障性住房筹集套数" in again.output
    assert "按表格更新 6 行" in again.output
    kept = store.load(tmp_path / "2025.yaml")[1].records("indicators")
    assert isinstance(kept, list) and len(kept) == 8
    assert (kept[0]["actual"], kept[1]["actual"], kept[1]["reason"]) == ("42", "1080", "两个项目延期开工。")


def test_rows_with_typed_results_are_not_dropped_without_asking(tmp_path: Path) -> None:
    form = loader.load("target")
    answers = store.new_answers(form, 2025)
    typed: Record = {"level1": "产出指标", "level2": "数量指标", "name": "自己加的一行", "nature": "≥"}
    answers.set("indicators", [{**typed, "target": "5", "unit": "个", "actual": "6"}])
    store.save(tmp_path / "2025.yaml", form, answers)
    refused = runner.invoke(app, ["table", str(DECLARED), "2025", "--dir", str(tmp_path)])
    assert refused.exit_code != 0
    assert "自己加的一行" in refused.output and "--force" in refused.output
    assert store.load(tmp_path / "2025.yaml")[1].records("indicators")[0]["actual"] == "6"
    forced = runner.invoke(app, ["table", str(DECLARED), "2025", "--dir", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and "删除(表格中没有) 1 行:自己加的一行" in forced.output
    assert "新增 8 行" in forced.output


def test_a_percent_formatted_cell_reads_as_percent_and_a_fraction_is_reported(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值"])
    ws.append(["满意度指标", "服务对象满意度指标", "居民满意度", "≥", 90, "%", 0.936, 10])
    ws["G2"].number_format = "0.0%"
    ws.append(["产出指标", "质量指标", "抽检合格率", "≥", 98, "%", 0.992, 10])  # a plain number
    book.save(tmp_path / "表.xlsx")
    result = runner.invoke(app, ["table", str(tmp_path / "表.xlsx"), "2025", "--form", "target", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = store.load(tmp_path / "2025.yaml")[1].records("indicators")
    assert isinstance(rows, list) and rows[0]["actual"] == "93.6"
    assert "第 2 行「抽检合格率」:实际完成值 0.992 的单位是 %,是否指 99.2%?" in result.output


def test_a_csv_is_not_called_a_worksheet(tmp_path: Path) -> None:
    result = runner.invoke(app, ["table", str(CSV_GBK), "2025", "--form", "target", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "工作表" not in result.output and "行为表头" in result.output


def test_command_with_a_form_without_tables(tmp_path: Path) -> None:
    result = runner.invoke(app, ["table", str(DECLARED), "2019", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "没有可读入的表格" in result.output and "--form target" in result.output


def test_table_spec_checked_at_load(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "forms", tmp_path / "forms")
    form = tmp_path / "forms" / "target.yaml"
    form.write_text(
        form.read_text(encoding="utf-8").replace("      actual: [实际完成值", "      actuals: [实际完成值"),
        encoding="utf-8",
    )
    with pytest.raises(Exception) as info:
        loader.load(str(form))
    assert any("tables[0]" in line and "没有字段 actuals" in line for line in info.value.lines)  # type: ignore[attr-defined]


def test_a_weight_in_words_is_read_and_said(tmp_path: Path) -> None:
    """Issue 18 item 6: 分值 "十分" is read as 10 with a note, not a row dropped."""
    csv = tmp_path / "表.csv"
    csv.write_text(
        "一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值\n产出指标,数量指标,改造小区,≥,40,个,十分\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["table", str(csv), "2025", "--form", "target", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "已把「十分」记为 10" in result.output
    rows = store.load(tmp_path / "2025.yaml")[1].records("indicators")
    assert isinstance(rows, list) and rows[0]["weight"] == Decimal(10)
