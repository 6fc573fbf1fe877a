"""The report as text: golden files, numbering, and the seed's defects gone."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from goldens import golden

from zjeval.answers import store
from zjeval.errors import ZjevalError
from zjeval.form import loader as forms
from zjeval.form.numbering import chinese_numeral, label
from zjeval.report import build as report
from zjeval.report import render

EXAMPLES = Path(__file__).parent.parent / "answers" / "examples"
SEED = EXAMPLES / "2019-湛江市科学技术局.yaml"
DEMO = EXAMPLES / "2024-示例数据.yaml"


def text_of(path: Path, draft: bool) -> str:
    form, answers = store.load(path)
    return render.pick("text", None).render(report.build(form, answers, draft=draft))  # type: ignore[return-value]


def seed_text() -> str:
    """The seed example: complete in its narrative, but its 数据表 and judgments are not given."""
    return text_of(SEED, draft=True)


def test_seed_draft_matches_golden() -> None:
    golden("seed-2019-draft.txt", seed_text())


def test_demo_matches_golden() -> None:
    golden("demo-2024.txt", text_of(DEMO, draft=False))


def test_demo_is_complete_with_score_grade_and_subtotals() -> None:
    text = text_of(DEMO, draft=False)
    assert "【待填写】" not in text and "【草稿" not in text
    m = re.search(r"自评得分为(\d+\.\d\d)分，等级为“(.)”。其中：(.*?)。", text)
    assert m, "三(一)自评结果 states total and grade"
    subtotals = re.findall(r"(投入|过程|产出|效果)指标得分(\d+\.\d\d)分（满分(\d+)分）", m[3])
    assert [s[0] for s in subtotals] == ["投入", "过程", "产出", "效果"]
    assert sum(Decimal(s[1]) for s in subtotals) == Decimal(m[1])
    assert "\u3000\u3000附件：1．示例市科学技术局（示例数据）2024年度部门整体支出绩效自评数据表\n" in text
    assert "附件1" in text and "附件2" in text


def test_draft_marks_gaps_and_counts_them() -> None:
    form, answers = store.load(SEED)
    doc = report.build(form, answers, draft=True)
    text = render.pick("text", None).render(doc)
    assert isinstance(text, str)
    assert text.startswith(f"【草稿：尚有{doc.gaps}处待填写】")
    assert text.count("【待填写】") == doc.gaps > 0
    # the score is one of the gaps: the seed gives no score and no figures to compute one
    assert "自评得分为【待填写】分" in text


def test_seed_defects_are_gone() -> None:
    text = seed_text()
    # the notice is cited once, in the standard form, with full-width brackets
    assert "湛财绩" not in text and "【2020】" not in text
    assert text.count("湛财评〔2020〕6号") == 1
    assert "《关于开展2020年度市级部门预算单位整体支出自我绩效评价工作的通知》（湛财评〔2020〕6号）" in text
    # the outline question is answered, not pasted
    assert "是否" not in text
    # the full unit name in title and signature
    assert (
        text.splitlines()[2].strip() == "湛江市科学技术局2019年度部门整体支出绩效自评报告"
    )  # below the draft mark
    assert "湛江市科技局" not in text
    # the count of departments agrees with the list
    m = re.search(r"设(\d+)个内设机构：(.*?)。", text)
    assert m and int(m[1]) == len(m[2].split("、")) == 8
    # team members' 科室 are the unit's own
    assert "农村科技科科长" not in text.replace("农业农村科技科科长", "")


def headings(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.splitlines()
        if re.match(r"^\u3000\u3000([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", line)
    ]


def test_every_heading_numbered_in_sequence() -> None:
    hs = headings(seed_text())
    top = [h for h in hs if "、" in h[:3]]
    assert [h.split("、")[0] for h in top] == ["一", "二", "三"]
    # under each top heading the （n） run restarts at （一） and has no gaps
    runs: list[list[str]] = []
    for h in hs:
        if h in top:
            runs.append([])
        else:
            runs[-1].append(re.match(r"（(.+?)）", h)[1])  # type: ignore[index]
    assert runs == [["一", "二", "三", "四"], ["一", "二", "三", "四"], ["一", "二", "三"]]


def test_lists_never_collide_with_section_numbers() -> None:
    text = seed_text()
    # 主要职责 sits under （一）: its items are 1. … 14., never （一）…（十四）
    duties = text.split("主要职责是：")[1].split("（二）年度总体工作")[0]
    assert re.findall(r"^\u3000\u3000(\d+)\.", duties, re.M) == [str(i) for i in range(1, 15)]
    assert "（十四）" not in text
    # goal sub-points are one level below their goal
    goals = text.split("（三）部门整体支出绩效目标")[1].split("（四）")[0]
    assert "1.加快湛江湾实验室建设。" in goals and "（1）进一步完善体制机制。" in goals


def test_money_in_wanyuan_with_two_decimals() -> None:
    text = seed_text()
    assert (
        "收入总预算12552.67万元，其中：一般公共预算拨款852.67万元，政府性基金预算拨款11700.00万元。" in text
    )
    assert "一般公共预算支出1198.10万元" in text  # entered as 1198.0978: printed as money is, 2 places
    assert "1198.0978" not in text


def test_optional_fragment_dropped_when_unanswered() -> None:
    text = seed_text()
    body = text.split("\u3000\u3000附件：")[0]
    assert "其他收入" not in body  # not stated in the seed
    assert "政府性基金预算支出" not in body
    assert "我单位按时、完整报送自评材料" in body  # no submission date: "于…" left out


def test_a_stated_total_left_blank_is_not_listed_as_zero() -> None:
    """blank: omit — a 基本支出合计 or 年中追加 the report does not state is left out of the data
    table (not printed as 0.00 under 人员经费 and 公用经费); once given, it is listed."""
    form, demo = store.load(DEMO)
    table = report.build(form, demo).attachments[0].table
    listed = {row.texts[0]: row.texts[2] for row in table.rows}
    assert listed["其中：基本支出合计"] == "1788.76" and listed["年中调减预算数"] == "40.00"
    for qid in ("spend_basic", "budget_cut", "income_other"):
        demo.set(qid, None)
    listed = {row.texts[0]: row.texts[2] for row in report.build(form, demo).attachments[0].table.rows}
    assert "其中：基本支出合计" not in listed and "年中调减预算数" not in listed
    assert "其中：基本支出—人员经费" in listed and "年中追加预算数" in listed
    assert listed["其中：其他收入"] == "0.00"  # an optional figure without blank: omit: listed as 0


@pytest.mark.parametrize(
    ("level", "n", "expected"),
    [(0, 1, "一、"), (0, 10, "十、"), (1, 2, "（二）"), (1, 14, "（十四）"), (2, 3, "3."), (3, 4, "（4）")],
)
def test_labels(level: int, n: int, expected: str) -> None:
    assert label(level, n) == expected


def test_chinese_numerals() -> None:
    assert [chinese_numeral(i) for i in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]


def test_registry_picks_by_suffix_and_rejects_unknown() -> None:
    assert render.pick(None, Path("r.txt")) is render.pick("text", None)
    with pytest.raises(ZjevalError, match="未知的输出格式 odt") as exc:
        render.pick("odt", None)
    assert "text" in exc.value.hint
    with pytest.raises(ZjevalError, match=r"扩展名 \.odt"):
        render.pick(None, Path("r.odt"))


def test_builtin_form_renders_every_section() -> None:
    form = forms.load()
    text = seed_text()
    for s in form.sections:
        if s.numbered:
            assert s.title in text
            for child in s.sections:
                assert child.title in text


def md_of(path: Path, draft: bool) -> str:
    form, answers = store.load(path)
    return render.pick("md", None).render(report.build(form, answers, draft=draft))  # type: ignore[return-value]


def test_demo_markdown_matches_golden() -> None:
    golden("demo-2024.md", md_of(DEMO, draft=False))


def test_markdown_outline_and_tables() -> None:
    text = md_of(DEMO, draft=False)
    assert text.startswith("# 示例市科学技术局")
    assert re.findall(r"^## ([一二三]、\S+)", text, re.M) == [
        "一、单位基本情况",
        "二、自评工作开展情况",
        "三、绩效自评情况",
    ]
    assert "### （一）单位机构设置、部门职能情况" in text
    assert "| 一级指标 | 二级指标 | 三级指标 | 权重 | 指标值 | 得分 | 扣分原因 |" in text
    assert re.search(r"^\| \*\*合计\*\* \|", text, re.M)


def test_markdown_draft_of_seed() -> None:
    text = md_of(SEED, draft=True)
    assert text.startswith("> 【草稿：尚有")
    assert "【待填写】" in text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("A & B", "A &amp; B"),
        ("# 不是标题", "\\# 不是标题"),
        ("**粗体** [链接](http://x)", "\\*\\*粗体\\*\\* \\[链接\\](http://x)"),
        ("{{ 模板 }}", "{{ 模板 }}"),
        ("a|b", "a\\|b"),
    ],
)
def test_markdown_escapes_answer_text(raw: str, shown: str) -> None:
    from zjeval.report.render.markdown import escape

    assert escape(raw) == shown


def test_template_like_answers_are_text_in_every_format() -> None:
    form, answers = store.load(DEMO)
    answers.set("process_text", "{unit_name}{{year}}<b>&amp;")
    doc = report.build(form, answers)
    text = render.pick("text", None).render(doc)
    assert isinstance(text, str) and "{unit_name}{{year}}<b>&amp;" in text
    md = render.pick("md", None).render(doc)
    assert isinstance(md, str) and "{unit\\_name}{{year}}&lt;b&gt;&amp;amp;" in md


# ------------------------------------------------------------------ attachments, titles, typesetting

FORM = Path(__file__).parent.parent / "forms" / "zhanjiang.yaml"


def copy_form(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the built-in form (with its framework beside it) with one edit."""
    text = FORM.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "frameworks").mkdir(exist_ok=True)
    framework = FORM.parent / "frameworks" / "zhanjiang.yaml"
    (tmp_path / "frameworks" / "zhanjiang.yaml").write_text(
        framework.read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = tmp_path / "form.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_attachment_kinds_registry_matches_the_form_model() -> None:
    from typing import get_args

    from zjeval.form.models import AttachmentKind
    from zjeval.report.tables import ATTACHMENT_KINDS

    assert set(ATTACHMENT_KINDS) == set(get_args(AttachmentKind))


def test_unknown_attachment_kind_is_a_load_error_with_its_line(tmp_path: Path) -> None:
    path = copy_form(tmp_path, "{kind: scorecard,", "{kind: score_card,")
    line = next(
        i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "score_card" in t
    )
    with pytest.raises(ZjevalError) as exc:
        forms.load(str(path))
    shown = "\n".join([str(exc.value), *getattr(exc.value, "lines", [])])
    assert f"{path}:{line}" in shown and "attachments" in shown


def test_attachment_title_names_only_real_questions(tmp_path: Path) -> None:
    path = copy_form(
        tmp_path, 'title: "{unit_name}{year}年度部门整体支出绩效自评数据表"', 'title: "{unit}数据表"'
    )
    with pytest.raises(ZjevalError) as exc:
        forms.load(str(path))
    assert "unit" in "\n".join([str(exc.value), *getattr(exc.value, "lines", [])])


def test_attachment_titles_come_from_the_form_and_the_note_repeats_them() -> None:
    form, answers = store.load(DEMO)
    rep = report.build(form, answers)
    assert [a.kind for a in rep.attachments] == ["data_table", "scorecard"]
    assert [a.number for a in rep.attachments] == [1, 2]
    assert rep.attachment_note == tuple(f"{a.number}．{a.title}" for a in rep.attachments)
    text = text_of(DEMO, draft=False)
    note = text.index("\u3000\u3000附件：1．")
    assert note < text.index("示例市科学技术局（示例数据）\n", note)  # before the 署名
    for a in rep.attachments:
        assert f"\n附件{a.number}\n" in text and a.title in text.split(f"\n附件{a.number}\n")[1]


@pytest.mark.parametrize(
    ("unit", "kind", "lines"),
    [
        ("湛江市科学技术局", "报告", ("湛江市科学技术局2019年度", "部门整体支出绩效自评报告")),
        (
            "示例市科学技术局（示例数据）",
            "报告",
            ("示例市科学技术局（示例数据）", "2019年度部门整体支出绩效自评报告"),
        ),
        ("湛江市科学技术局", "评分表", ("湛江市科学技术局2019年度", "部门整体支出绩效自评评分表")),
        ("湛江", "报告", ("湛江2019年度部门整体支出绩效自评报告",)),
    ],
)
def test_titles_break_between_words(unit: str, kind: str, lines: tuple[str, ...]) -> None:
    from zjeval.report.titles import Piece, break_lines
    from zjeval.report.typeset import width

    got = break_lines(
        [Piece(unit, False), Piece("2019", False), Piece(f"年度部门整体支出绩效自评{kind}", True)]
    )
    assert got == lines
    assert all(1 < width(line) <= 20 for line in got)  # never one character alone, never too long


def test_title_break_points_from_the_form() -> None:
    from zjeval.report.titles import Piece, break_lines

    pieces = [
        Piece("广东省湛江市某某区农业农村和水务局", False),
        Piece("2019", False),
        Piece("年度部门整体支出绩效自评报告", True),
    ]
    assert break_lines(pieces, ["部门整体支出"])[-1].endswith("报告")
    lone = break_lines([Piece("一二三四五六七八九十一二三四五六七八九十表", True)])
    assert all(len(line) > 1 for line in lone)


@pytest.mark.parametrize(
    ("raw", "typeset"),
    [
        ("其中:一般公共预算拨款", "其中：一般公共预算拨款"),
        ("按93.00%×6分计,每个百分点扣0.3分", "按93.00%×6分计，每个百分点扣0.3分"),
        ("因公出国(境)费", "因公出国（境）费"),
        ("等级:良", "等级：良"),
        ("1,198.09 and 12:30 (a)", "1,198.09 and 12:30 (a)"),
    ],
)
def test_generated_words_take_full_width_punctuation(raw: str, typeset: str) -> None:
    from zjeval.report.typeset import fullwidth

    assert fullwidth(raw) == typeset


def test_one_number_format_per_kind() -> None:
    from zjeval.report.typeset import show

    assert show(Decimal("3256.8"), "money") == "3256.80"
    assert show(Decimal("1198.0978"), "money") == "1198.10"  # money always with two decimals
    assert show(Decimal("0.005"), "money") == "0.01"  # rounded half up
    assert show(Decimal("95.6"), "percent") == "95.60"
    assert show(Decimal("36"), "count") == "36"
    assert show(Decimal("2.5"), "score") == "2.50"
    text = text_of(DEMO, draft=False)
    assert "其他收入120.00万元" in text and "实际支付进度                       %     95.60" in text


def test_signature_with_a_seal_is_chosen_in_the_form(tmp_path: Path) -> None:
    from zjeval.report.render.text import cells, signature

    path = copy_form(tmp_path, "  date: report_date\n", "  date: report_date\n  seal: true\n")
    form = forms.load(str(path))
    _, answers = store.load(DEMO)
    rep = report.build(form, answers)
    assert rep.seal
    unit, date = signature(rep)
    # 7.3.5.1: the date 右空四字 (ends 4 characters, 8 cells, before the line's end),
    # the 署名 centred over it
    assert date.endswith("2025年6月30日") and cells(date) == 56 - 8

    def centre(line: str) -> float:
        indent = len(line) - len(line.lstrip())
        return indent + (cells(line) - indent) / 2

    assert abs(centre(unit) - centre(date)) <= 1
