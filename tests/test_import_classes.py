"""Import reads the reports units really publish (issue 20): each class of failure seen in
published reports, on fixtures written for it (tests/fixtures/import/classes/), several variants
per class. Unit; Year; Tables (the 自评表 in any layout); Check after import."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from zjeval.assess import check
from zjeval.errors import ZjevalError
from zjeval.importing import run

CLASSES = Path(__file__).parent / "fixtures" / "import" / "classes"


def imported(name: str):  # type: ignore[no-untyped-def]
    return run.report(CLASSES / name, None, None)


# ---------------------------------------------------------------- unit


@pytest.mark.parametrize(
    ("name", "unit", "year"),
    [
        ("unit-attachment-label.txt", "富宁县文化和旅游局", 2021),  # 附件3: above a title naming no unit
        ("unit-label-kept.txt", "建水县林业和草原局", 2022),  # '单位名称:' line above the title
        ("unit-title-whole-and-project.txt", "临沧市林业和草原局", 2022),  # …部门整体和项目支出…
        ("unit-work-summary.txt", "安宁市应急管理局", 2023),  # …绩效自评工作情况总结
        ("unit-bare-year.txt", "凤庆县应急指挥中心", 2018),  # '…指挥中心2018绩效评价报告'
        ("unit-table-cell.txt", "凤阳县市场监督管理局", 2020),  # only in a table cell
        ("unit-two-line-reversed.txt", "蒙自市自然资源局", 2022),  # '2022年度' over '…部门(单位)…'
        ("unit-masked.txt", "石屏县水务局", 2021),  # 'XX单位' in the title
        ("unit-short-publisher.txt", "元谋县医疗保障局", 2021),  # short name; the publisher has it whole
        ("unit-body-sentence.txt", "弥勒市统计局", 2022),  # only in a body sentence
    ],
)
def test_unit_and_year_are_read(name: str, unit: str, year: int) -> None:
    form, result = imported(name)
    assert result.answers.get(form.signature.unit) == unit
    assert result.answers.year == year


def test_a_unit_read_from_a_weak_place_is_doubtful() -> None:
    form, result = imported("unit-body-sentence.txt")
    assert "正文" in result.answers.doubts[form.signature.unit]
    form, result = imported("unit-attachment-label.txt")
    assert form.signature.unit not in result.answers.doubts


# ---------------------------------------------------------------- year


@pytest.mark.parametrize(
    ("name", "year", "where"),
    [
        ("year-lead.txt", 2023, "导语"),  # only in the lead sentence
        ("year-notice-name.txt", 2022, "通知名称"),  # only in the notice's name
        ("year-column-heading.txt", 2023, "表格栏目"),  # only in a table's column heading
        ("year-bracket.txt", 2021, "表格标题"),  # alone in brackets under a table title
        ("unit-table-cell.txt", 2020, "表格"),  # a 评价年度 cell
    ],
)
def test_year_is_read_where_the_report_states_it(name: str, year: int, where: str) -> None:
    _, result = imported(name)
    assert result.answers.year == year
    assert result.meta is not None and result.meta.year_from == where


def test_two_different_years_are_named_not_reported_missing() -> None:
    with pytest.raises(ZjevalError) as exc:
        imported("year-conflict.txt")
    assert "2021" in exc.value.message and "2022" in exc.value.message and "不同的年度" in exc.value.message


# ---------------------------------------------------------------- tables: the 自评表 in any layout


@pytest.mark.parametrize("name", ["table-pipes.md", "table-cell-per-line.txt", "table-flat.txt"])
def test_self_evaluation_table_is_read_in_any_layout(name: str) -> None:
    form, result = imported(name)
    a = result.answers
    assert form.id == "target"  # chosen from what the text holds
    assert a.get("fund_total_budget") is not None and a.get("fund_total_exec") is not None
    assert a.get("fund_current_exec") is not None and a.get("fund_other_exec") is not None
    assert len(a.records("goals")) == 1
    rows = a.records("indicators")
    assert len(rows) == 5
    assert all(r["level1"] and r["level2"] and r["name"] and r["target"] and r["actual"] for r in rows)
    assert sum(r["weight"] for r in rows) == 90
    assert [x for x in result.leftovers if not x.startswith("现将")] == []  # the 导语's own closing is kept
    assert all(a.origins[q]["from"] == "自评表" for q in ("fund_total_budget", "indicators"))


def test_pipe_table_rows_keep_every_field() -> None:
    _, result = imported("table-pipes.md")
    a = result.answers
    assert [a.get(q) for q in ("fund_total_initial", "fund_total_budget", "fund_total_exec")] == [
        Decimal("2860.00"),
        Decimal("3015.40"),
        Decimal("2920.15"),
    ]
    assert a.get("fund_carry_budget") == Decimal("0.00") and a.get("fund_other_exec") == Decimal("140.00")
    bridge = a.records("indicators")[1]
    assert bridge == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "危桥改造座数",
        "nature": "≥",
        "target": "6",
        "unit": "座",
        "actual": "5",
        "weight": Decimal("15"),
        "reason": "一座危桥因汛期推迟开工，已于次年一季度完工。",
    }


def test_cell_per_line_table_fills_merged_levels_down_and_reads_signs_and_units() -> None:
    _, result = imported("table-cell-per-line.txt")
    rows = result.answers.records("indicators")
    assert [r["level2"] for r in rows] == [
        "数量指标",
        "质量指标",
        "时效指标",
        "社会效益指标",
        "服务对象满意度指标",
    ]
    assert [r["level1"] for r in rows[:3]] == ["产出指标"] * 3
    assert rows[2]["nature"] == "≤" and rows[2]["target"] == "15" and rows[2]["unit"] == "天"
    assert rows[3]["target"] == "明显提升" and rows[3]["reason"].startswith("部分乡镇")
    # a number with no sign is taken as 正向, and said to be doubtful
    assert rows[1]["nature"] == "≥" and "指标性质" in result.answers.doubts["indicators"]


def test_flattened_table_reads_a_row_without_its_level_cells() -> None:
    _, result = imported("table-flat.txt")
    rows = result.answers.records("indicators")
    assert rows[1]["name"] == "新建农村供水工程" and rows[1]["level2"] == "数量指标"
    assert rows[1]["reason"].startswith("两处工程") and rows[2]["name"] == "工程验收合格率"


def test_a_report_without_a_table_keeps_the_outline_form() -> None:
    form, _ = imported("unit-work-summary.txt")
    assert form.id == "zhanjiang"


# ---------------------------------------------------------------- check after import


def test_check_shows_the_doubtful_fields_first() -> None:
    form, result = imported("unit-short-publisher.txt")
    problems = check.check(form, result.answers)
    doubtful = [p for p in problems if p.message.startswith("导入存疑")]
    assert doubtful and problems[: len(doubtful)] == doubtful
    assert any("网页的发布时间" in p.message for p in doubtful)


def test_missing_answers_name_the_forms_own_example() -> None:
    form, result = imported("table-flat.txt")
    missing = [p for p in check.check(form, result.answers) if p.message.startswith("未填写")]
    assert any("示例" in p.message for p in missing)
    assert all(f"表单 {form.id} 的示例" in p.message for p in missing if "示例" in p.message)


# ---------------------------------------------------------------- narrative


def test_portal_and_sharing_site_clutter_is_stripped() -> None:
    _, result = imported("narrative-portal.txt")
    text = "\n".join(result.leftovers)
    for clutter in ("上传者", "文件大小", "浏览量", "索引号", ".docx"):
        assert clutter not in text
    assert not any(x.endswith("自评报告") for x in result.leftovers)  # the title, repeated under the page's


@pytest.mark.parametrize("name", ["narrative-portal.txt", "narrative-contents.txt"])
def test_a_contents_list_without_page_numbers_is_not_content(name: str) -> None:
    _, result = imported(name)
    assert not any(x.startswith(("目录", "三、", "五、")) for x in result.leftovers)
    assert not [x for x in result.leftovers if x.endswith(("典型案例", "评价思路和过程", "需要说明的情况"))]


@pytest.mark.parametrize(
    ("name", "docno"),
    [("narrative-portal.txt", "宜财绩〔2023〕7号"), ("narrative-several-documents.txt", "晋财绩〔2023〕5号")],
)
def test_the_notice_is_the_cited_document_naming_the_year_not_a_national_rule(name: str, docno: str) -> None:
    _, result = imported(name)
    a = result.answers
    assert a.get("notice_name") == f"关于开展{a.year}年度部门整体支出绩效自评工作的通知"
    assert str(a.get("notice_no")) == docno
    assert a.get("lead_text") == f"我局对{a.year}年度部门整体支出开展了绩效自评，"


def test_figures_in_other_word_orders_are_typed() -> None:
    _, result = imported("narrative-word-orders.txt")
    a = result.answers
    assert a.get("staff_quota") == 36 and a.get("staff_in_post") == 33  # 编制数为36名 / 在职在编33名
    assert a.get("spend_total") == Decimal("2540.2")  # 全年支出总额为…
    assert a.get("budget_initial") == Decimal("2480") and a.get("carry_this") == Decimal("75.6")


def test_a_numbered_sub_heading_stored_as_an_item_is_doubtful() -> None:
    _, result = imported("narrative-headings-as-items.txt")
    assert "社会救助" in result.answers.doubts["duties"]


# ---------------------------------------------------------------- the form's own sentences (issue 17)


def test_a_sentence_template_with_several_fields_is_reversed_with_no_figure_phrases() -> None:
    """The target form's funds sentence names nine fields; with the form's figure phrases taken
    away, every one still comes back, from the template alone."""
    from zjeval.form import loader
    from zjeval.importing import mapping, sources

    form = loader.load("target")
    assert form.import_ is not None
    bare = form.model_copy(update={"import_": form.import_.model_copy(update={"figures": {}})})
    paragraphs = sources.read(CLASSES / "template-sentences.txt")
    a = mapping.import_paragraphs(bare, paragraphs).answers
    assert [a.get(q) for q in ("fund_total_initial", "fund_total_budget", "fund_total_exec")] == [
        Decimal("2380.00"),
        Decimal("2556.40"),
        Decimal("2490.18"),
    ]
    assert a.get("fund_current_exec") == Decimal("2400.18") and a.get("fund_carry_exec") == Decimal("90.00")
    assert a.get("self_ref") == "我局"
    assert a.sources["fund_carry_budget"] == "上年结转资金全年预算数100.00万元，执行90.00万元；"


def test_a_projects_name_in_the_title_is_not_the_unit() -> None:
    form, result = imported("unit-project-title.txt")
    assert result.answers.get(form.signature.unit) == "宣威市农业农村局"  # 实施单位, not the 主管部门 either


def test_a_project_table_is_imported_into_the_project_form() -> None:
    form, result = imported("table-project.txt")
    a = result.answers
    assert form.id == "project" and a.year == 2024
    assert [a.get(q) for q in ("project_name", "department", "implementer")] == [
        "高标准农田建设项目",
        "马龙区农业农村局",
        "马龙区农业技术推广中心",  # the 实施单位, not the project's name of the title
    ]
    assert a.get("fund_total_exec") == Decimal("1188.30") and a.get("fund_carry_exec") == Decimal("38.00")
    rows = a.records("indicators")
    assert len(rows) == 6 and rows[2]["reason"].startswith("两个标段") and rows[0]["unit"] == "万亩"
    assert result.leftovers == []


def test_a_lead_worded_按照_fills_the_lead_text() -> None:
    _, result = imported("year-lead.txt")
    assert result.answers.get("lead_text") == "我局认真开展了2023年度部门整体支出绩效自评，"
    assert result.leftovers[0].startswith("按照县财政局部署")  # its citation kept whole: nothing lost


def test_check_on_an_imported_file_lists_the_doubtful_fields_first(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zjeval.cli import app

    runner = CliRunner()
    target = tmp_path / "导入.yaml"
    result = runner.invoke(app, ["import", str(CLASSES / "unit-short-publisher.txt"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "origins:" in target.read_text(encoding="utf-8")  # where each answer came from, kept in the file
    assert "1 项回答存疑" in result.output and "成文日期" in result.output
    checked = runner.invoke(app, ["check", str(target)])
    assert checked.exit_code == 1
    first = checked.output.splitlines()[0]
    assert "导入存疑" in first and "网页的发布时间" in first


def test_a_table_in_the_body_ends_where_the_text_goes_on() -> None:
    form, result = imported("table-in-body.txt")
    rows = result.answers.records("indicators")
    assert form.id == "target" and len(rows) == 3 and "reason" not in rows[-1]
    assert any(
        x.startswith("全年各项指标均已完成")
        for x in [*result.leftovers, str(result.answers.get("score_summary"))]
    )


def test_a_figure_stated_in_any_section_is_typed() -> None:
    """'档案利用服务群众满意度达96%' stands in the 评价结论, a section that states no figures."""
    form, result = run.report(CLASSES.parent / "regions" / "yunnan-xundian-2021.txt", None, None)
    assert form.id == "zhanjiang" and result.answers.get("satisfaction") == Decimal("96")
    assert "满意度达96%" in result.answers.sources["satisfaction"]


# ---------------------------------------------------------------- figures: stated totals without their split


D = Decimal


@pytest.mark.parametrize(
    ("name", "figures", "source"),
    [
        # '…支出总计…，其中基本支出X万元，项目支出Y万元' / '“三公”经费支出合计X万元' / '年中追加预算X万元'
        (
            "figures-totals-split-not-given.txt",
            {
                "spend_total": D("1518.90"),
                "spend_basic": D("1032.45"),
                "spend_project": D("486.45"),
                "budget_initial": D("1320.5"),
                "budget_added": D("221.87"),
                "sg_total_actual": D("6.42"),
            },
            {"spend_basic": "其中基本支出1032.45万元", "sg_total_actual": "支出合计6.42万元"},
        ),
        # '基本支出X万元，占…' / '三公经费共支出X万元' / '年中追加X万元，调减Y万元'
        (
            "figures-totals-shares.txt",
            {
                "spend_total": D("612.84"),
                "spend_basic": D("503.16"),
                "budget_added": D("46.3"),
                "budget_cut": D("12.5"),
                "budget_adjusted": D("613.8"),
                "sg_total_actual": D("3.27"),
            },
            {"spend_basic": "基本支出503.16万元，占", "budget_cut": "调减12.5万元"},
        ),
        # '基本支出合计为X万元' / '“三公”经费决算数为X万元' / '追加预算资金X万元，年内调减预算Y万元'
        (
            "figures-totals-final-accounts.txt",
            {
                "spend_total": D("3860.25"),
                "spend_basic": D("1204.6"),
                "spend_personnel": D("1050.3"),
                "budget_added": D("516.18"),
                "budget_cut": D("58"),
                "sg_total_actual": D("9.8"),
            },
            {"sg_total_actual": "决算数为9.8万元", "budget_added": "追加预算资金516.18万元"},
        ),
        # '三公经费全年支出合计X万元' before the 本年支出: not the 本年支出合计 / '基本支出合计为X万元'
        (
            "figures-totals-sangong-first.txt",
            {
                "sg_total_actual": D("4.73"),
                "spend_total": D("2198.52"),
                "spend_basic": D("733.1"),
                "budget_added": D("310"),
            },
            {"sg_total_actual": "三公经费全年支出合计4.73万元", "budget_added": "年中追加预算资金310万元"},
        ),
        # '年中追加（调减）预算X万元': one figure, read as the 追加 and not again as a 调减
        (
            "figures-totals-disagree.txt",
            {
                "spend_basic": D("1720.3"),
                "budget_added": D("186.4"),
                "budget_cut": None,
                "sg_total_actual": D("5.9"),
            },
            {"budget_added": "年中追加（调减）预算186.4万元"},
        ),
    ],
)
def test_a_stated_total_is_typed_when_the_report_gives_no_split(
    name: str, figures: dict[str, Decimal | None], source: dict[str, str]
) -> None:
    form, result = imported(name)
    a = result.answers
    assert form.id == "zhanjiang"
    assert {qid: a.get(qid) for qid in figures} == figures
    for qid, words in source.items():
        assert words in a.sources[qid]


@pytest.mark.parametrize(
    ("name", "whole", "part", "qid"),
    [
        ("figures-totals-final-accounts.txt", "3860.25", "1204.6", "spend_basic"),  # 基本支出合计为…
        ("figures-totals-sangong-first.txt", "2198.52", "4.73", "sg_total_actual"),  # 三公经费全年支出合计…
    ],
)
def test_a_subtotal_is_not_taken_for_the_whole(name: str, whole: str, part: str, qid: str) -> None:
    """A '…支出合计' of a part (基本支出, “三公”经费) is not the 本年支出合计, even when stated first."""
    _, result = imported(name)
    assert result.answers.get("spend_total") == D(whole)
    assert result.answers.get(qid) == D(part)


CHECKED_TOTALS = {"spend_basic", "spend_total", "sg_total_actual", "budget_adjusted"}


@pytest.mark.parametrize(
    "name",
    ["figures-totals-split-not-given.txt", "figures-totals-shares.txt", "figures-totals-final-accounts.txt"],
)
def test_stated_totals_that_agree_with_their_parts_raise_no_problem(name: str) -> None:
    form, result = imported(name)
    said = [p.message for p in check.check(form, result.answers) if p.qid in CHECKED_TOTALS]
    assert not [m for m in said if not m.startswith("未填写")], said


def test_stated_totals_that_do_not_add_up_are_reported_with_the_numbers(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zjeval.cli import app

    runner = CliRunner()
    target = tmp_path / "导入.yaml"
    done = runner.invoke(app, ["import", str(CLASSES / "figures-totals-disagree.txt"), "-o", str(target)])
    assert done.exit_code == 0, done.output
    checked = runner.invoke(app, ["check", str(target), "--json"])
    assert checked.exit_code == 1
    said = {p["qid"]: p for p in json.loads(checked.output)["problems"] if p["qid"] in CHECKED_TOTALS}
    assert "1720.3 万元不等于各项之和 1710.3 万元" in said["spend_basic"]["message"]
    assert "人员经费 1498.2 + 基本支出—公用经费 212.1" in said["spend_basic"]["message"]
    assert "5.9 万元不等于各项之和 5.7 万元" in said["sg_total_actual"]["message"]
    assert "因公出国(境)费—本年实际 0" in said["sg_total_actual"]["message"]
    budget = said["budget_adjusted"]
    assert budget["severity"] == "warning"
    assert (
        "2346.4 万元不等于计算结果 2336.4 万元(年初预算数 2150 + 年中追加预算数 186.4)" in budget["message"]
    )


# ---------------------------------------------------------------- figures in Chinese words


@pytest.mark.parametrize(
    ("name", "year", "figures", "departments"),
    [
        # '二〇二一年度' in the title; every count and amount written out in words
        (
            "numbers-in-words.txt",
            2021,
            {
                "staff_quota": 110,  # 核定行政编制一百一十名
                "staff_in_post": 103,  # 在职人员一百零三人
                "income_total": D("1234.5"),  # 一千二百三十四点五万元
                "income_general": D("1202.5"),
                "income_other": D("32"),  # 三十二万元
                "spend_total": D("1198.2"),
                "spend_personnel": D("856.4"),
                "spend_public": D("120"),
                "budget_initial": D("1000"),  # 一千万元
                "carry_this": D("36.3"),
                "satisfaction": D("98.6"),  # 百分之九十八点六
            },
            7,  # 内设七个科室
        ),
        # words and digits mixed; 两个, 三千零五十万零五百元 (in 元), 二千九百万元
        (
            "numbers-in-words-mixed.txt",
            2022,
            {
                "staff_quota": 42,
                "staff_in_post": 39,
                "income_total": D("3120.6"),
                "income_general": D("3120.6"),
                "spend_total": D("3050.05"),
                "spend_personnel": D("980"),
                "spend_public": D("105"),
                "spend_project": D("1965.05"),
                "budget_initial": D("2900"),
                "carry_this": D("70.6"),
            },
            2,  # 内设两个股室
        ),
        # '共有职工十八人' (the phrase in forms/zhanjiang.yaml figures:), 事业编制二十名, 百分之九十九
        (
            "numbers-in-words-staff.txt",
            2020,
            {
                "staff_quota": 20,
                "staff_in_post": 18,
                "income_total": D("362.8"),
                "spend_total": D("350.06"),
                "spend_personnel": D("280"),
                "spend_public": D("70.06"),
                "budget_initial": D("340"),
                "carry_this": D("12.74"),
                "satisfaction": D("99"),
            },
            3,  # 内设三个科室
        ),
    ],
)
def test_counts_and_amounts_in_words_land_in_typed_fields(
    name: str, year: int, figures: dict[str, object], departments: int
) -> None:
    _, result = imported(name)
    a = result.answers
    assert a.year == year
    assert {q: a.get(q) for q in figures} == figures
    assert len(a.get("departments") or []) == departments


def test_a_figure_read_from_words_says_what_the_text_wrote() -> None:
    _, result = imported("numbers-in-words.txt")
    said = [w for q, w in result.found if q == "staff_in_post"]
    assert len(said) == 1 and ":103(文中写作「一百零三」;原文:" in said[0]
    assert result.answers.sources["satisfaction"] == "群众满意度达到百分之九十八点六。"


ROUGH = [
    "staff_quota",
    "staff_in_post",
    "income_total",
    "income_general",
    "spend_total",
    "spend_personnel",
    "spend_public",
    "budget_initial",
    "carry_this",
    "satisfaction",
]


def test_rough_figures_are_not_typed_and_stay_in_the_text() -> None:
    """近, 约, 余, 多, 几, 数, 上, 左右: not exact, so not typed (digits too: '1800万元左右'); the
    import says why, and the sentences stay where the user sees them."""
    _, result = imported("numbers-rough.txt")
    a = result.answers
    assert {q: a.get(q) for q in ROUGH} == dict.fromkeys(ROUGH)
    notes = [w for q, w in result.found if q in ROUGH]
    assert any("约数(“左右”)" in w and "1800万元左右" in w for w in notes)
    assert any("约数(“几”)" in w for w in notes)
    kept = "\n".join(result.leftovers)
    assert "1800万元左右" in kept and "二十余人次" in kept and "近两千万元" in kept


def test_words_that_only_look_like_numerals_are_never_numbers() -> None:
    """一把手, 十四五, 统一, 一般, 万一, 第一个, 唯一, 之一, 三公经费, 一致, 十分, 千万元级: no figure
    from them; the figures in digits around them are read as before."""
    form, result = imported("numbers-false-friends.txt")
    a = result.answers
    typed = {
        q.id: a.get(q.id)
        for q in form.questions().values()
        if q.type in ("money", "integer", "percent", "number") and a.get(q.id) is not None
    }
    assert typed == {
        "income_total": D("2150.8"),
        "income_general": D("2150.8"),
        "budget_initial": D("2050"),
        "spend_total": D("2098.4"),
        "spend_personnel": D("1602.3"),
        "spend_public": D("196.1"),
        "spend_project": D("300"),
        "sg_total_actual": D("6.2"),
        "carry_this": D("52.4"),
        "staff_quota": 58,
        "staff_in_post": 55,
    }
    assert a.get("departments") is None


def test_self_evaluation_cells_in_words_are_read_as_numbers() -> None:
    """'四十二公里', '十二座', '百分之九十八' in a 自评表 row: the number and its unit, as '42公里' would
    be; a qualitative '一般' and a rough '十几个…' stay as written."""
    form, result = imported("table-cells-in-words.md")
    assert form.id == "target"
    rows = result.answers.records("indicators")
    assert [(r["target"], r.get("unit"), r["actual"]) for r in rows] == [
        ("40", "公里", "42"),
        ("12", "座", "10"),
        ("98", "%", "100"),
        ("明显改善", None, "一般"),
        ("90", "%", "十几个百分点提升"),
    ]
    assert result.answers.get("staff_quota") == 28 and result.answers.get("staff_in_post") == 26
