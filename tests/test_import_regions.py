"""Import reads reports from any region (issue 11): unit and year found, outline mapped, nothing lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_importing import missing_sentences
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app
from zjeval.form import loader
from zjeval.form.models import Form
from zjeval.importing import choose, mapping, page, sources
from zjeval.importing import patterns as P
from zjeval.importing.mapping import ImportResult
from zjeval.importing.state import headings
from zjeval.report import build as report
from zjeval.report.render import text as text_renderer

REGIONS = Path(__file__).parent / "fixtures" / "import" / "regions"
ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

# one fixture per outline of DOMAIN.md §7 (and §2): (file, unit, year)
CASES = [
    ("xuwen-2024.txt", "徐闻县农业农村局", 2024),  # §2 湛江 outline, still used in 徐闻
    ("maoming-2021.txt", "茂名市发展和改革局", 2021),  # 茂名: year first in the title
    ("luxi-generic-2021.txt", "泸西县司法局", 2021),  # generic outline, no year in the title
    ("hunan-xiangtan-2018.txt", "湘潭市农业农村局", 2018),  # Hunan, 自评得分情况 first
    ("yunnan-xundian-2021.txt", "寻甸回族彝族自治县档案馆", 2021),  # Yunnan, 目录 first
    ("meizhou-cover-2020.txt", "梅州市住房和城乡建设局", 2020),  # form cover, no unit in the title
]


def imported(name: str) -> tuple[Form, list[str], ImportResult]:
    paragraphs = sources.read(REGIONS / name)
    form = loader.load(choose.best_form(paragraphs))
    return form, paragraphs, mapping.import_paragraphs(form, paragraphs)


@pytest.mark.parametrize(("name", "unit", "year"), CASES)
def test_unit_and_year_are_read(name: str, unit: str, year: int) -> None:
    form, _, result = imported(name)
    assert result.answers.get(form.signature.unit) == unit
    assert result.answers.year == year
    assert result.meta is not None and result.meta.year_from


@pytest.mark.parametrize(("name", "unit", "year"), CASES)
def test_most_paragraphs_are_placed(name: str, unit: str, year: int) -> None:
    _, _, result = imported(name)
    placed = sum(a for _, a, _ in result.placed)
    total = sum(b for _, _, b in result.placed)
    assert total >= 10
    assert placed / total >= 0.8, result.placed


@pytest.mark.parametrize(("name", "unit", "year"), CASES)
def test_no_paragraph_is_lost(name: str, unit: str, year: int) -> None:
    form, paragraphs, result = imported(name)
    out = text_renderer.render(report.build(form, result.answers, draft=True))
    out += "\n".join(result.answers.sources.values())
    lines = [P.clean(x) for x in paragraphs]
    _, body, _ = page.trim_portal(lines)
    heads = headings(form.import_) if form.import_ else []
    body = page.drop_contents(body, heads)
    missing = missing_sentences("\n".join(body), out)
    # a sentence whose clauses all survive, though not side by side (the 导语's tail the form
    # words its own way is kept apart); a heading (the form prints its own outline); a cover
    # line whose value the report prints elsewhere (title, 落款)
    lost = [
        m
        for m in missing
        if missing_sentences(re.sub(r"[，,]", "\n", m), out)
        and P.heading_key(m.strip(), heads) is None
        and not ((c := P.COVER.match(m.strip())) and c["value"].strip() in out)
    ]
    assert lost == []


def test_figures_keep_their_source_sentence(tmp_path: Path) -> None:
    _, _, result = imported("yunnan-xundian-2021.txt")
    a = result.answers
    assert str(a.get("income_actual")) == "487.24"
    assert a.get("staff_in_post") == 11 and a.get("staff_quota") == 12
    assert str(a.get("sg_recep_actual")) == "0.62" and str(a.get("sg_car_actual")) == "1.24"
    assert a.sources["staff_in_post"].startswith("县档案馆核定事业编制12个")
    assert "收入总计487.24万元" in a.sources["income_actual"]
    path = tmp_path / "2021.yaml"  # the sources survive a save and a load
    store.save(path, loader.load("zhanjiang"), a)
    _, again = store.load(path)
    assert again.sources == a.sources


def test_hunan_budget_figures_and_score_first() -> None:
    _, _, result = imported("hunan-xiangtan-2018.txt")
    a = result.answers
    assert str(a.get("budget_initial")) == "8012.5" and str(a.get("spend_total")) == "8690.17"
    assert a.text("score_summary").startswith("根据部门整体支出绩效评价指标体系")
    assert any("89" in what for _, what in result.found)


def test_table_of_contents_is_dropped() -> None:
    _, _, result = imported("yunnan-xundian-2021.txt")
    assert not any("……" in x or x == "目 录" for x in result.leftovers)
    assert len(result.answers.records("goals")) == 3  # read once, not twice


def test_short_name_in_the_text_gives_way_to_the_full_name() -> None:
    _, _, result = imported("yunnan-xundian-2021.txt")
    assert result.answers.get("unit_name") == "寻甸回族彝族自治县档案馆"  # not 县档案馆


def test_conflicting_years_are_a_warning_and_year_overrides() -> None:
    paragraphs = sources.read(REGIONS / "xuwen-2024.txt")
    form = loader.load("zhanjiang")
    result = mapping.import_paragraphs(form, paragraphs, 2023)
    assert result.answers.year == 2023
    assert any("2024" in what and "--year" in what for _, what in result.found)
    changed = [p.replace("对2024年度", "对2023年度") for p in paragraphs]
    changed = [p.replace("2024年度部门整体支出开展自评", "2023年度部门整体支出开展自评") for p in changed]
    result = mapping.import_paragraphs(form, changed)
    assert result.answers.year == 2024
    assert any("请核对" in what and "导语 2023" in what for _, what in result.found)


def test_no_year_anywhere_is_a_chinese_error(tmp_path: Path) -> None:
    page_ = tmp_path / "x.txt"
    page_.write_text(
        "某局部门整体支出绩效自评报告\n一、单位基本情况\n某局设2个内设机构：办公室、业务科。\n", "utf-8"
    )
    result = runner.invoke(app, ["import", str(page_), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "--year" in result.output and "评价年度" in result.output


def test_cli_reads_year_and_reports_sections(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(REGIONS / "maoming-2021.txt"), "--dir", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / "2021.yaml").exists()
    assert "评价年度 2021" in result.output
    assert re.search(r"已归类 \d+/\d+ 段", result.output)


def test_best_form_is_chosen_by_heading_scores() -> None:
    paragraphs = sources.read(REGIONS / "xuwen-2024.txt")
    table = choose.scores(paragraphs)
    assert table["zhanjiang"] > 0
    assert choose.best_form(paragraphs) in table
    assert choose.best_form(["无关的文字"]) == loader.DEFAULT_FORM


def test_round_trip_without_year() -> None:
    form = loader.load("zhanjiang")
    _, demo = store.load(ROOT / "answers" / "examples" / "2024-示例数据.yaml")
    original = text_renderer.render(report.build(form, demo))
    result = mapping.import_paragraphs(form, original.splitlines())
    assert result.answers.year == 2024
    assert text_renderer.render(report.build(form, result.answers)) == original


def test_round_trip_of_the_target_form() -> None:
    """Word for word: the body from its sentences, the funds and the indicator rows (指标性质,
    年度指标值, 实际完成值, 分值, a 定性 row's 评价 and each row's 偏差原因) from the 自评表."""
    form, demo = store.load(ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml")
    original = text_renderer.render(report.build(form, demo))
    result = mapping.import_paragraphs(form, original.splitlines())
    assert result.answers.year == 2025 and result.answers.get("unit_name") == demo.get("unit_name")
    # every answer comes back, the unit's self-reference (我局) too, from the 导语's closing
    assert {k for k, v in demo.values.items() if result.answers.get(k) != v} == set()
    assert text_renderer.render(report.build(form, result.answers)) == original
    assert result.leftovers == []


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_target_table_comes_back_from_word_and_excel(tmp_path: Path, suffix: str) -> None:
    from zjeval.importing import sources
    from zjeval.report.render import docx, xlsx

    form, demo = store.load(ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml")
    path = tmp_path / f"自评表{suffix}"
    renderer = docx if suffix == ".docx" else xlsx
    path.write_bytes(renderer.render(report.build(form, demo)))
    result = mapping.import_paragraphs(form, sources.read(path), 2025)
    rows = result.answers.records("indicators")
    assert rows == demo.records("indicators")
    if suffix == ".xlsx":  # a workbook holds the 自评表 only: its funds come back too
        assert result.answers.get("fund_carry_initial") == demo.get("fund_carry_initial")


@pytest.mark.parametrize(
    ("example", "form_id", "year"),
    [("2024-示例数据.yaml", "zhanjiang", 2024), ("2025-示例数据-目标对照.yaml", "target", 2025)],
)
def test_cli_render_then_import_picks_the_form_and_year(
    tmp_path: Path, example: str, form_id: str, year: int
) -> None:
    """render -> import with neither --form nor --year: the rendered report's own form is chosen."""
    page_ = tmp_path / "report.txt"
    result = runner.invoke(app, ["render", str(ROOT / "answers" / "examples" / example), "-o", str(page_)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(page_), "--dir", str(tmp_path / "answers")])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    form, answers = store.load(tmp_path / "answers" / f"{year}.yaml")
    assert form.id == form_id and answers.year == year


def test_the_form_that_places_more_wins_over_more_headings() -> None:
    paragraphs = sources.read(REGIONS / "luxi-generic-2021.txt")
    table = choose.scores(paragraphs)
    assert table["target"] > table["zhanjiang"]  # the generic outline is the target form's
    forms_ = {name: loader.load(name) for name in table}
    shares = {name: choose.placed_share(form, paragraphs, None) for name, form in forms_.items()}
    assert choose.best_form(paragraphs) == max(shares, key=lambda n: shares[n])
