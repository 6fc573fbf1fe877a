"""The one converter of numbers in Chinese words (zjeval/numerals.py): round-trips against a
reference formatter written here another way, variants, and the words that only look like
numerals (a misread is worse than no read)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zjeval import numerals as N

DIGITS = "零一二三四五六七八九"


def reference(n: int) -> str:
    """Standard written form, built the textbook way: every place written out ('一千零百零十五'),
    then the zeros collapsed. Independent of numerals.words."""
    if n == 0:
        return "零"
    groups = []
    rest = n
    while rest:
        rest, g = divmod(rest, 10000)
        groups.append(g)
    out = ""
    for i in range(len(groups) - 1, -1, -1):
        four = f"{groups[i]:04d}"
        full = "".join(DIGITS[int(d)] + u for d, u in zip(four, ["千", "百", "十", ""], strict=True))
        full = re.sub(r"零[千百十]", "零", full)
        out += full + ("" if groups[i] == 0 else ["", "万", "亿"][i])
    out = re.sub(r"零+", "零", out).strip("零")
    out = re.sub(r"零([万亿])", r"\1", out)
    out = re.sub(r"零+", "零", out)
    return re.sub(r"^一十", "十", out)


def test_reference_formatter_on_known_values() -> None:
    known = {
        7: "七",
        10: "十",
        17: "十七",
        70: "七十",
        103: "一百零三",
        110: "一百一十",
        1005: "一千零五",
        1050: "一千零五十",
        10500: "一万零五百",
        100010: "十万零一十",
        1001000: "一百万一千",
        1010000: "一百零一万",
        100000005: "一亿零五",
        105000000: "一亿零五百万",
        12345678901: "一百二十三亿四千五百六十七万八千九百零一",
    }
    assert {n: reference(n) for n in known} == known
    assert {n: N.words(n) for n in known} == known


@settings(max_examples=1000)
@given(st.integers(min_value=0, max_value=N.LIMIT - 1))
def test_integers_round_trip(n: int) -> None:
    assert N.words(n) == reference(n)
    assert N.integer(reference(n)) == n


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=N.LIMIT - 1))
def test_accepted_variants_round_trip(n: int) -> None:
    text = reference(n)
    assert N.integer(text.replace("零", "〇")) == n
    assert N.integer(re.sub(r"二(?=[百千万亿])", "两", text)) == n
    if text.startswith("十"):
        assert N.integer("一" + text) == n


@settings(max_examples=500)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**4 - 1), st.integers(1, 4))
def test_decimals_round_trip(whole: int, frac: int, places: int) -> None:
    digits = f"{frac:0{places}d}"[-places:]
    text = reference(whole) + "点" + "".join(DIGITS[int(d)] for d in digits)
    assert N.value(text) == Decimal(f"{whole}.{digits}")
    assert N.amount_digits(text + "万元") == f"{Decimal(f'{whole}.{digits}')}万元"


@settings(max_examples=1500)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿", min_size=1, max_size=12))
def test_no_misread_of_any_run(text: str) -> None:
    """Whatever run of numeral characters: either no value, or exactly the value whose standard
    form it is (so '一百五', '三四十', '万一' are never read as some number)."""
    n = N.integer(text)
    if n is not None:
        std = text.replace("〇", "零")
        std = "二" if std == "两" else re.sub(r"两(?=[百千万亿])", "二", std)
        assert reference(n) == re.sub(r"^一十", "十", std)


@settings(max_examples=1000)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点分之个人元%余多近约几第 .0123456789", max_size=14))
def test_amounts_in_digits_are_numbers_the_parsers_take(text: str) -> None:
    """Whatever the text, amount_digits gives None, the text itself (no numeral in it), or a
    number in digits followed by a unit — never an exception."""
    digits = N.amount_digits(text)
    if digits is not None and N.in_words(text):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(.*)", digits)
        assert m is not None and not N.in_words(m[2]), digits


@pytest.mark.parametrize(
    "text",
    ["一百五", "三千五", "一万二", "三四十", "七八", "一两", "百", "千", "万", "十四五", "万一", "零五", "十十", "两十", "五零", "二〇二一"],
)
def test_not_numerals(text: str) -> None:
    assert N.integer(text) is None


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("三十二万元", "32万元"),
        ("一千二百三十四点五万元", "1234.5万元"),
        ("三万二千元", "32000元"),
        ("一百零三人", "103人"),
        ("七个", "7个"),
        ("两个", "2个"),
        ("十七个", "17个"),
        ("百分之九十八点六", "98.6%"),
        ("百分之百", "100%"),
        ("103人", "103人"),
        ("十几个", None),
        ("二十余人", None),
        ("百人", None),
        ("一百五十多万元", None),
        ("十四五", None),
        ("一般", None),  # a word, not an amount with a unit
        ("一致", None),
        ("十分重要", None),
        ("三公", None),
        ("一百零五公里", "105公里"),
        ("十二座", "12座"),
    ],
)
def test_amounts_in_digits(text: str, digits: str | None) -> None:
    assert N.amount_digits(text) == digits


def test_years_digit_by_digit() -> None:
    assert N.digit_string("二〇二一") == "2021"
    assert N.digit_string("二零二三") == "2023"
    assert N.year_digits("二〇二一年度部门整体支出绩效自评报告") == "2021年度部门整体支出绩效自评报告"
    assert N.year_digits("一二三四五六") == "一二三四五六"  # no 年 after it: not a year


@pytest.mark.parametrize(
    ("before", "figure", "after", "word"),
    [
        ("在职人员近", "一百", "人", "近"),
        ("约", "三十二万元", "", "约"),
        ("", "二十", "余人", "余"),
        ("", "30", "人左右", None),  # after the number: 人, then 左右 is checked by the reader
        ("", "30人", "左右", "左右"),
        ("完成", "十七", "个项目", None),
        ("在职人数", "103人", "", None),  # 数 before digits: a word of the phrase
        ("", "数十", "万元", None),  # '数十' is no numeral at all (integer gives None)
        ("项目", "数十", "个", None),
        ("上", "万", "人次", "上"),
        ("有", "二十", "多人", "多"),
        ("将近", "二百", "人", "将近"),
    ],
)
def test_approximate_words(before: str, figure: str, after: str, word: str | None) -> None:
    assert N.approximate(before, figure, after) == word


@pytest.mark.parametrize(
    "text",
    ["一般", "一致", "统一", "万一", "三公经费", "十四五", "一把手", "第一", "进一步", "之一", "唯一", "十分重要", "千万"],
)
def test_false_friends_give_no_count(text: str) -> None:
    """Each word's numeral characters, read as a counted figure the way the importer and the review
    read them (a numeral run, then a unit or counter), give nothing."""
    found = [
        m[1]
        for m in re.finditer(rf"({N.NUMERAL})(个|人|名|项|家|万元|元|%)", text)
        if not N.not_a_count(text[: m.start()]) and N.amount_digits(m[0]) is not None
    ]
    assert found == []
    assert N.counts(text) == []
