"""Answer parsing and validation at the boundaries: what people type, what they get back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from zjeval.answers import formatting, parsing, values
from zjeval.answers.parsing import DocNo
from zjeval.answers.values import InvalidValue
from zjeval.form.models import Form, Question


def q(form: Form, qid: str) -> Question:
    return form.questions()[qid]


def exact(value: Any, expected: Decimal) -> bool:
    """Same Decimal, same type (never float), same number."""
    return type(value) is Decimal and value == expected


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12,552.67", Decimal("12552.67")),
        ("12552.67万元", Decimal("12552.67")),
        ("12552.67万", Decimal("12552.67")),
        ("１２５５２．６７", Decimal("12552.67")),
        ("125526700元", Decimal("12552.67")),
        ("1.5亿元", Decimal("15000")),
        ("1亿", Decimal("10000")),
        ("¥100", Decimal("100")),
        ("￥100", Decimal("100")),
        ("  852.67  ", Decimal("852.67")),
        ("11700", Decimal("11700")),
        ("100元", Decimal("0.01")),
        ("0", Decimal("0")),
        (11700, Decimal("11700")),
        (Decimal("1198.0978"), Decimal("1198.0978")),
    ],
)
def test_money_accepts(form: Form, raw: Any, expected: Decimal) -> None:
    got = values.validate(q(form, "income_total"), raw)
    assert exact(got, expected), got
    assert not isinstance(got, float)


def test_money_from_yuan_is_exact_digits(form: Form) -> None:
    got = values.validate(q(form, "income_total"), "125526700元")
    assert got == Decimal("12552.67")
    assert str(got) == "12552.67"  # no exponent, no trailing zeros from the conversion
    assert str(values.validate(q(form, "income_total"), "1.5亿元")) == "15000"


def test_money_keeps_written_decimals(form: Form) -> None:
    assert str(values.validate(q(form, "expense_general"), "1198.0978")) == "1198.0978"
    assert str(values.validate(q(form, "expense_general"), "1198.10")) == "1198.10"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("abc", "金额"),
        ("12..5", "金额"),
        ("1e5", "金额"),
        (".", "金额"),
        ("12,55 2.6.7", "金额"),
        ("-5", "不能小于 0"),
        ("-0.01万元", "不能小于 0"),
        (True, "金额"),
        (False, "金额"),
        ([1, 2], "金额"),
    ],
)
def test_money_rejects(form: Form, raw: Any, fragment: str) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "income_total"), raw)
    assert fragment in info.value.message
    assert info.value.path == ""


def test_empty_answer_is_none_not_an_error(form: Form) -> None:
    empties: tuple[Any, ...] = (None, "", "   ", [])
    for raw in empties:
        assert values.validate(q(form, "income_total"), raw) is None


# ---------------------------------------------------------------- percent, number, integer


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("95.5", Decimal("95.5")),
        ("95.5%", Decimal("95.5")),
        ("９５．５％", Decimal("95.5")),
        (" 100 % ", Decimal("100")),
    ],
)
def test_percent(raw: str, expected: Decimal) -> None:
    assert exact(parsing.parse_percent(raw), expected)


@pytest.mark.parametrize("raw", ["abc", "95.5‰", True, "%"])
def test_percent_rejects(raw: Any) -> None:
    with pytest.raises(PydanticCustomError) as info:
        parsing.parse_percent(raw)
    assert "百分数" in str(info.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("87.5", Decimal("87.5")), ("８７．５", Decimal("87.5")), ("87.5分", Decimal("87.5"))],
)
def test_number(raw: str, expected: Decimal) -> None:
    assert exact(parsing.parse_number(raw), expected)


def test_score_range() -> None:
    score = Question(id="score", label="得分", type="number", min=0, max=100)
    assert values.validate(score, "100") == Decimal(100)
    assert values.validate(score, "0") == Decimal(0)
    with pytest.raises(InvalidValue, match="不能大于 100"):
        values.validate(score, "100.5")
    with pytest.raises(InvalidValue, match="不能小于 0"):
        values.validate(score, "-1")


@pytest.mark.parametrize(
    ("raw", "expected"), [("8个", 8), ("８", 8), ("8", 8), ("1,200人", 1200), (Decimal("8"), 8)]
)
def test_integer(raw: Any, expected: int) -> None:
    got = parsing.parse_integer(raw)
    assert got == expected and type(got) is int


@pytest.mark.parametrize("raw", ["8.5", "八", "abc", True, Decimal("8.5")])
def test_integer_rejects(raw: Any) -> None:
    with pytest.raises(PydanticCustomError) as info:
        parsing.parse_integer(raw)
    assert "整数" in str(info.value)


def test_integer_question_defaults_to_min_zero() -> None:
    count = Question(id="n", label="个数", type="integer")
    assert values.validate(count, "8个") == 8
    with pytest.raises(InvalidValue, match="不能小于 0"):
        values.validate(count, "-3")


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    [
        "2020年9月2日",
        "2020年09月02日",
        "2020 年 9 月 2 日",
        "2020-09-02",
        "2020/9/2",
        "2020.9.2",
        "20200902",
        "２０２０－０９－０２",
    ],
)
def test_date_forms(form: Form, raw: str) -> None:
    assert values.validate(q(form, "report_date"), raw) == dt.date(2020, 9, 2)


def test_date_passes_through_date_objects() -> None:
    assert parsing.parse_date(dt.date(2020, 9, 2)) == dt.date(2020, 9, 2)
    assert parsing.parse_date(dt.datetime(2020, 9, 2, 10, 30)) == dt.date(2020, 9, 2)


@pytest.mark.parametrize("raw", ["2020-02-30", "2019年2月29日", "2020-13-01", "20201301"])
def test_date_impossible_day(form: Form, raw: str) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "report_date"), raw)
    assert "没有这一天" in info.value.message
    assert raw in info.value.message


@pytest.mark.parametrize("raw", ["九月二日", "2020-9", "2020年9月", "tomorrow"])
def test_date_not_a_date(form: Form, raw: str) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "report_date"), raw)
    assert "应为日期" in info.value.message


def test_format_date_has_no_leading_zeros() -> None:
    assert formatting.format_date(dt.date(2020, 9, 2)) == "2020年9月2日"


# ---------------------------------------------------------------- document numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("湛财绩【2020】06号", "湛财绩〔2020〕6号"),
        ("湛财评[2020]6", "湛财评〔2020〕6号"),
        ("湛财评〔2020〕6号", "湛财评〔2020〕6号"),
        ("湛财评(2020)6号", "湛财评〔2020〕6号"),
        ("湛财评［2020］第6号", "湛财评〔2020〕6号"),
        ("湛办发〔2019〕17号", "湛办发〔2019〕17号"),
    ],
)
def test_docno_normalised(form: Form, raw: str, expected: str) -> None:
    assert values.validate(q(form, "notice_no"), raw) == expected


def test_parse_docno_parts() -> None:
    assert parsing.parse_docno("湛财绩【2020】06号") == DocNo("湛财绩", 2020, 6)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("湛财评〔20〕6号", "四位"),
        ("湛财评〔20200〕6号", "四位"),
        ("湛财评〔2020〕0号", "正整数"),
        ("2020年6号", "发文字号"),
        ("湛财评6号", "发文字号"),
    ],
)
def test_docno_rejected(form: Form, raw: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "notice_no"), raw)
    assert fragment in info.value.message


# ---------------------------------------------------------------- enumerators, paragraphs, lists


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1、办公室", "办公室"),
        ("12、办公室", "办公室"),
        ("1. 办公室", "办公室"),
        ("1）办公室", "办公室"),
        ("(一)拟订", "拟订"),
        ("（一）拟订", "拟订"),
        ("（十四）职能转变", "职能转变"),
        ("(3)拟订", "拟订"),
        ("③高新", "高新"),
        ("一、x", "x"),
        ("十二、x", "x"),
    ],
)
def test_strip_enumerator(raw: str, expected: str) -> None:
    assert parsing.strip_enumerator(raw) == expected


@pytest.mark.parametrize("raw", ["2020年计划", "3000亩", "1.5亿元", "办公室", "一致", "十分重要", "2.5万元"])
def test_strip_enumerator_leaves_text_alone(raw: str) -> None:
    assert parsing.strip_enumerator(raw) == raw


def test_strings_strip_enumerators_and_blank_items(form: Form) -> None:
    got = values.validate(q(form, "departments"), ["1、办公室", "  ", "2、 高新技术科", "3000亩试验田"])
    assert got == ["办公室", "高新技术科", "3000亩试验田"]


def test_strings_min_items(form: Form) -> None:
    # every item blank: nothing is left, and 内设机构 needs at least one
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "departments"), ["", " ", "1、"])
    assert info.value.message == "至少 1 项(现有 0 项)"


def test_paragraphs_normalised(form: Form) -> None:
    got = values.validate(q(form, "lead_text"), "  第一段  有  空格 \r\n\n\n  第二段\t结束 \n")
    assert got == "第一段 有 空格\n第二段 结束"


def test_paragraphs_from_list(form: Form) -> None:
    assert values.validate(q(form, "lead_text"), ["甲", "", "乙"]) == "甲\n乙"


def test_paragraphs_max_chars_ignores_newlines(form: Form) -> None:
    question = q(form, "expense_over_reason")  # max_chars 300
    assert values.validate(question, "字" * 150 + "\n" + "字" * 150) is not None
    with pytest.raises(InvalidValue, match="不超过 300 字"):
        values.validate(question, "字" * 301)


def test_text_is_one_line(form: Form) -> None:
    assert values.validate(q(form, "unit_name"), " 湛江市\n科学技术局 ") == "湛江市 科学技术局"


def test_choice(form: Form) -> None:
    question = q(form, "disclosure_consistent")
    assert values.validate(question, " 一致 ") == "一致"
    with pytest.raises(InvalidValue) as info:
        values.validate(question, "基本一致")
    assert "一致" in info.value.message and "不一致" in info.value.message


# ---------------------------------------------------------------- records


def test_records_valid(form: Form) -> None:
    got = values.validate(
        q(form, "team"),
        [
            {"role": "组长", "name": "宋加坤", "post": "副局长"},
            {"role": "成员", "name": "陈铖", "dept": "高新技术科", "post": "科长"},
        ],
    )
    assert got == [
        {"role": "组长", "name": "宋加坤", "post": "副局长"},
        {"role": "成员", "name": "陈铖", "dept": "高新技术科", "post": "科长"},
    ]


@pytest.mark.parametrize(
    ("raw", "path", "fragment"),
    [
        ([{"role": "队长", "name": "x", "post": "y"}], "[1].role", "组长"),
        (
            [{"role": "组长", "name": "x", "post": "y"}, {"role": "成员", "post": "y"}],
            "[2].name",
            "缺少「姓名」",
        ),
        ([{"role": "组长", "name": "x", "post": "y", "phone": "123"}], "[1]", "未知字段 phone"),
        ([{"role": "组长", "name": "x", "post": "y"}, "张三"], "[2]", "记录"),
        ([{"role": "组长", "name": "名" * 21, "post": "y"}], "[1].name", "不超过 20 字"),
    ],
)
def test_records_errors_carry_path(form: Form, raw: Any, path: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "team"), raw)
    assert info.value.path == path
    assert fragment in info.value.message


def test_records_nested_strings_path(form: Form) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "goals"), [{"title": "目标", "points": ["好", {"x": 1}]}])
    assert info.value.path == "[1].points"
    assert "第 2 项" in info.value.message


def test_records_strip_enumerators_in_sub_lists(form: Form) -> None:
    got = values.validate(q(form, "goals"), [{"title": "加快建设", "points": ["(1)完善机制", "②引进人才"]}])
    assert got == [{"title": "加快建设", "points": ["完善机制", "引进人才"]}]


def test_records_required_field_and_max_items(form: Form) -> None:
    with pytest.raises(InvalidValue) as info:
        values.validate(q(form, "team"), [{}])
    assert (info.value.path, info.value.message) == ("[1].role", "缺少「小组职务」")
    pair = Question(
        id="pair",
        label="两人",
        type="records",
        max_items=1,
        fields=[Question(id="name", label="姓名", type="text")],
    )
    assert values.validate(pair, {"name": "张三"}) == [{"name": "张三"}]  # one mapping is one record
    with pytest.raises(InvalidValue, match="至多 1 项"):
        values.validate(pair, [{"name": "张三"}, {"name": "李四"}])


# ---------------------------------------------------------------- properties

ALL_TYPES = [
    Question(id="t_text", label="文字", type="text", max_chars=40),
    Question(id="t_par", label="段落", type="paragraphs", max_chars=300),
    Question(id="t_money", label="金额", type="money"),
    Question(id="t_int", label="个数", type="integer"),
    Question(id="t_pct", label="比例", type="percent", min=Decimal(0), max=Decimal(100)),
    Question(id="t_num", label="得分", type="number", min=Decimal(0), max=Decimal(100)),
    Question(id="t_date", label="日期", type="date"),
    Question(id="t_choice", label="选项", type="choice", choices=["一致", "不一致"]),
    Question(id="t_docno", label="文号", type="docno"),
    Question(id="t_strings", label="列表", type="strings", min_items=1, max_items=3),
    Question(
        id="t_records",
        label="记录",
        type="records",
        min_items=1,
        fields=[
            Question(id="role", label="职务", type="choice", choices=["组长", "成员"]),
            Question(id="amount", label="金额", type="money", required=False),
            Question(id="items", label="子项", type="strings", required=False),
        ],
    ),
]

SHAPED = "0123456789.,-+%年月日元万亿¥￥〔〕【】[]()（）、号第湛财评 ０１２３４５６７８９．％①一十"
raw_text = st.one_of(st.text(), st.text(alphabet=SHAPED, max_size=30))
raw_any = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.dates(),
        raw_text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["role", "amount", "items", "x"]), children, max_size=4),
    ),
    max_leaves=8,
)

PARSERS: list[Callable[[Any], Any]] = [
    parsing.parse_money,
    parsing.parse_percent,
    parsing.parse_number,
    parsing.parse_integer,
    parsing.parse_date,
    parsing.parse_docno,
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=raw_text)
def test_parsers_never_crash_on_text(raw: str) -> None:
    for parse in PARSERS:
        try:
            parse(raw)
        except PydanticCustomError as exc:
            assert str(exc)  # a message to show


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=raw_text)
def test_validate_builtin_questions_never_crash_on_text(form: Form, raw: str) -> None:
    for question in form.questions().values():
        try:
            values.validate(question, raw)
        except InvalidValue as exc:
            assert exc.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(raw=raw_any)
def test_validate_every_type_never_crashes(raw: Any) -> None:
    for question in ALL_TYPES:
        try:
            got = values.validate(question, raw)
        except InvalidValue as exc:
            assert exc.message
        else:
            assert not isinstance(got, float) or isinstance(raw, float)


@settings(max_examples=300)
@given(d=st.decimals(min_value=0, max_value=Decimal("1e12"), places=4, allow_nan=False, allow_infinity=False))
def test_money_roundtrips_exactly(d: Decimal) -> None:
    money_q = ALL_TYPES[2]
    got = values.validate(money_q, f"{d}")
    assert type(got) is Decimal and got == d
    yuan = values.validate(money_q, f"{d * 10000}元")
    assert type(yuan) is Decimal and yuan == d


# ---------------------------------------------------------------- regressions


def test_money_negative_zero_is_not_signed(form: Form) -> None:
    question = q(form, "income_total")
    try:
        got = values.validate(question, "-0.00")
    except InvalidValue:
        return  # rejecting it is fine too
    assert isinstance(got, Decimal) and not got.is_signed()
    assert formatting.format_value(question, got) == "0.00万元"


@pytest.mark.parametrize("raw", ["1,5", "12,55.67"])
def test_money_misplaced_comma_rejected(form: Form, raw: str) -> None:
    with pytest.raises(InvalidValue):
        values.validate(q(form, "income_total"), raw)
