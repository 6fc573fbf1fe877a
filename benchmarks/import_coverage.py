"""How much of a report `zjeval import` reads into typed answers, on the region fixtures.

For each fixture report (tests/fixtures/import/regions and classes): whether the unit and year
were read as expected, how many of the figures stated in the text (an amount with its unit:
万元, 人, 个, %, …) reached a typed field (a money, number, integer or percent answer, or a 自评表
row's cell), and how many 自评表 rows were read. Prints one line per report and the totals.
FIGURE counts figures in digits only; figures written in words ('一百零三人', '三十二万元',
'百分之九十八点六') are counted apart, on their own line (exact ones only, as zjeval/numerals.py
reads them: '近百人', '二十余人', '第一个' are no figures).

    python benchmarks/import_coverage.py
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zjeval import numerals  # noqa: E402
from zjeval.importing import patterns as P  # noqa: E402
from zjeval.importing import run  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
# (file, unit, year, 自评表 rows in the text)
EXPECTED = [
    ("regions/xuwen-2024.txt", "徐闻县农业农村局", 2024, 0),
    ("regions/maoming-2021.txt", "茂名市发展和改革局", 2021, 0),
    ("regions/luxi-generic-2021.txt", "泸西县司法局", 2021, 0),
    ("regions/hunan-xiangtan-2018.txt", "湘潭市农业农村局", 2018, 0),
    ("regions/yunnan-xundian-2021.txt", "寻甸回族彝族自治县档案馆", 2021, 0),
    ("regions/meizhou-cover-2020.txt", "梅州市住房和城乡建设局", 2020, 0),
    ("classes/table-pipes.md", "罗平县交通运输局", 2023, 5),
    ("classes/table-cell-per-line.txt", "师宗县民政局", 2022, 5),
    ("classes/table-flat.txt", "陆良县水务局", 2024, 5),
    ("classes/table-project.txt", "马龙区农业技术推广中心", 2024, 6),
    ("classes/table-in-body.txt", "安宁市水务局", 2023, 3),
    ("classes/unit-work-summary.txt", "安宁市应急管理局", 2023, 0),
    ("classes/unit-masked.txt", "石屏县水务局", 2021, 0),
    ("classes/unit-short-publisher.txt", "元谋县医疗保障局", 2021, 0),
    ("classes/narrative-portal.txt", "宜良县自然资源局", 2022, 0),
    ("classes/narrative-word-orders.txt", "嵩明县发展和改革局", 2023, 0),
    ("classes/narrative-several-documents.txt", "晋宁区教育体育局", 2022, 0),
    ("classes/template-sentences.txt", "富源县农业农村局", 2024, 0),
    ("classes/unit-table-cell.txt", "凤阳县市场监督管理局", 2020, 0),
    ("classes/unit-two-line-reversed.txt", "蒙自市自然资源局", 2022, 0),
    ("classes/unit-bare-year.txt", "凤庆县应急指挥中心", 2018, 0),
    ("classes/year-bracket.txt", "澄江市卫生健康局", 2021, 0),
    ("classes/numbers-in-words.txt", "鹤山市林业局", 2021, 0),
    ("classes/numbers-in-words-mixed.txt", "开平市水利局", 2022, 0),
    ("classes/numbers-in-words-staff.txt", "新会区档案馆", 2020, 0),
    ("classes/numbers-rough.txt", "台山市民政局", 2023, 0),
    ("classes/numbers-false-friends.txt", "恩平市财政局", 2023, 0),
    ("classes/table-cells-in-words.md", "富民县交通运输局", 2023, 5),
]
FIGURE = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(?:万元|亿元|元|人|个|名|项|家|%|％)")
TYPED = ("money", "integer", "percent", "number")


def _num(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("，", "")).normalize()
    except InvalidOperation:
        return None


def _words_value(said: str) -> Decimal | None:
    """'103人' '32万元' '98.6%' (numerals.counts gives figures in digits) -> the number, in the unit
    the typed answers hold (万元 for money, % for percent)."""
    m = re.match(r"^(\d+(?:\.\d+)?)(亿元)?", said)
    if m is None:
        return None
    n = Decimal(m[1]) * (10000 if m[2] else 1)
    if said.endswith("元") and not said.endswith(("万元", "亿元")):
        n = n / 10000
    return n.normalize()


def typed_numbers(form, answers) -> set[Decimal]:  # type: ignore[no-untyped-def]
    out: set[Decimal] = set()
    for qid, value in answers.values.items():
        q = form.questions().get(qid)
        if q is None:
            continue
        if q.type in TYPED and value is not None:
            out.add(Decimal(value).normalize())
        elif q.type == "strings" and isinstance(value, list):
            out.add(Decimal(len(value)))  # '设5个内设机构' is the list of five
        elif q.type == "records":
            for record in value:
                for cell in record.values():
                    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", str(cell)):
                        if (n := _num(m[0])) is not None:
                            out.add(n)
    return out


def derived_numbers(form, answers) -> set[Decimal]:  # type: ignore[no-untyped-def]
    """Numbers the form computes from the typed answers and prints in its tables (a 执行率, a
    得分): stated in the text, and reproduced from typed fields rather than typed themselves."""
    from zjeval.report import build

    out: set[Decimal] = set()
    for attachment in build.build(form, answers, draft=True).attachments:
        for table in attachment.tables:
            for row in table.rows:
                for cell in row.texts:
                    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", str(cell)):
                        if (n := _num(m[0])) is not None:
                            out.add(n)
    return out


def main() -> None:
    # reports right, reports; figures typed, figures; rows read, rows; figures computed from typed ones;
    # figures in words typed, figures in words
    totals = [0, 0, 0, 0, 0, 0, 0, 0, 0]
    for name, unit, year, rows in EXPECTED:
        form, result = run.report(FIXTURES / name, None, "target" if "template" in name else None)
        a = result.answers
        right = a.get(form.signature.unit) == unit and a.year == year
        text = (FIXTURES / name).read_text(encoding="utf-8")
        lines = [P.clean(x) for x in text.splitlines()]
        stated = [
            n
            for line in lines
            for m in FIGURE.finditer(line)
            if (n := _num(m[1])) is not None
            and not (1990 <= n <= 2100 and "年" in line[m.end(1) : m.end(1) + 1])
        ]
        in_words = [n for line in lines for _, said in numerals.counts(line) if (n := _words_value(said))]
        typed = typed_numbers(form, a)
        derived = derived_numbers(form, a) - typed
        hit = sum(n in typed for n in stated)
        hit_derived = sum(n in derived for n in stated)
        hit_words = sum(n in typed for n in in_words)
        read_rows = len(a.get("indicators") or []) if rows else 0
        print(
            f"{name:40} {form.id:9} unit/year {'ok' if right else 'WRONG'}  "
            f"figures {hit}+{hit_derived}/{len(stated)}  in words {hit_words}/{len(in_words)}  "
            f"自评表 rows {read_rows}/{rows}"
        )
        counts = (right, 1, hit, len(stated), read_rows, rows, hit_derived, hit_words, len(in_words))
        for k, v in enumerate(counts):
            totals[k] += int(v)
    share = 100 * totals[2] / max(totals[3], 1)
    with_computed = 100 * (totals[2] + totals[6]) / max(totals[3], 1)
    print(
        f"\nunit and year right: {totals[0]}/{totals[1]};  figures in a typed field: {totals[2]}/{totals[3]}"
        f" ({share:.0f}%), and with those the form computes from them (执行率):"
        f" {totals[2] + totals[6]}/{totals[3]} ({with_computed:.0f}%);"
        f"  自评表 rows read: {totals[4]}/{totals[5]}"
    )
    print(
        f"figures written in words (counted apart from the digits above) in a typed field:"
        f" {totals[7]}/{totals[8]} ({100 * totals[7] / max(totals[8], 1):.0f}%)"
    )


if __name__ == "__main__":
    main()
