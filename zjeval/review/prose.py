"""The unit's text against its own table: money and 执行率 stated in the text, counts of
indicators and projects, "N个指标中M个未完成" (and whether the text names them), and "均已完成"
while rows fall short. Pure.

The figures a text can state are the form's own (`import: figures:` says how a report words
each one); the counts are the rows' and the batch's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from zjeval import numerals
from zjeval.answers.parsing import is_digits, parse_money
from zjeval.form.decimals import q2
from zjeval.review.evidence import finding, funds_fact, reason_fact, row_fact, short
from zjeval.review.facts import Facts, Text
from zjeval.review.model import Finding
from zjeval.review.profile import ProseAllMet, ProseCounts, ProseFigures, Rule, ShortfallsNamed

COUNT = rf"(\d+|{numerals.NUMERAL})"
RATE = re.compile(
    r"(?<!结转)(?<!其他)(?<!拨款)(?:预算|资金|整体|总体)执行率(?:为|是|达|达到|仅为|仅)?\s*[:：]?\s*"
    rf"(\d+(?:\.\d+)?(?=\s*[%％])|{numerals.PERCENT}{numerals.NUMERAL})\s*[%％]?"
)
OF_WHICH = re.compile(
    COUNT
    + r"\s*[个项]\s*([\u4e00-\u9fff]{0,6}?)指标中\s*[，,]?\s*(?:有|仅有|共有)?\s*"
    + COUNT
    + r"\s*[个项]\s*(?:未完成|未达到|未达标|没有完成|未能完成|未全部完成)"
)
SET = re.compile(r"(?:共|设置了?|设定了?|申报了?)\s*" + COUNT + r"\s*[个项](?:绩效|三级)?指标(?!中)")
# '17个项目' / '十七个农业项目', and the count after the word: '完成项目十七个', '实施项目共3个'
PROJECTS = re.compile(
    COUNT
    + r"\s*个(?:[\u4e00-\u9fff]{0,4}?)项目"
    + r"|项目(?:共|共计|合计|总数|数量)?(?:为|有|达)?\s*"
    + COUNT
    + r"\s*个"
)
NEGATION = "未不没非尚"
# words before a figure's phrase that make the amount a difference, not the figure itself
COMPARED = (
    "超过",
    "超出",
    "高于",
    "低于",
    "少于",
    "多于",
    "增加",
    "减少",
    "增长",
    "下降",
    "比",
    "较",
    "差额",
)


def cn_number(text: str) -> int | None:
    """'17' '十七' '两' '七十' '一百零三' -> the number, else None (zjeval/numerals.py)."""
    return int(text) if is_digits(text) else numerals.integer(text)


def stated(text: str, m: re.Match[str], group: int) -> bool:
    """Whether the count in `m`'s group is a stated, exact count: not an ordinal or part of a word
    (第一个项目, 每一个), not a rough figure (近百个, 二十余个 — those are not compared)."""
    before, after = text[: m.start(group)], text[m.end(group) :]
    return not numerals.not_a_count(before) and numerals.approximate(before, m[group], after) is None


def sentence(text: str, start: int) -> str:
    """The sentence of `text` around position `start`."""
    left = max(text.rfind(c, 0, start) for c in "。；;！？\n") + 1
    ends = [i for i in (text.find(c, start) for c in "。；;！？\n") if i >= 0]
    return text[left : (min(ends) + 1 if ends else len(text))].strip()


def _own(facts: Facts) -> list[Text]:
    return facts.prose()


def prose_figures(rule: ProseFigures, facts: Facts, batch: Sequence[Facts]) -> Iterator[Finding]:
    questions = facts.form.questions()
    spec = facts.form.import_
    patterns = []
    if spec is not None:
        from zjeval.importing import patterns as P

        patterns = [
            (qid, rx)
            for qid, ph in spec.figures.items()
            if qid in questions and questions[qid].type == "money"
            for rx in P.figure_patterns(ph, questions[qid].type)
        ]
    for t in _own(facts):
        for qid, rx in patterns:
            value = facts.answers.get(qid)
            if not isinstance(value, Decimal):
                continue
            for m in rx.finditer(t.text):
                if any(w in t.text[max(0, m.start() - 8) : m.start()] for w in COMPARED):
                    continue
                amount = numerals.amount_digits(m["amount"].replace("，", ",").replace(" ", ""))
                before, after = t.text[: m.start("amount")], t.text[m.end("amount") :]
                if amount is None or numerals.approximate(before, m["amount"], after):
                    continue  # no exact amount: '近百万元', '三十余万元'
                try:
                    said = parse_money(amount)
                except Exception:  # what the text says may be no amount at all
                    continue
                if abs(said - value) > rule.tolerance:
                    yield finding(
                        rule,
                        facts,
                        t.where,
                        f"文字中的{questions[qid].label}与表中数字不符",
                        f"文字:「{sentence(t.text, m.start())}」;表中:{questions[qid].label}{value}",
                        "核对后统一文字与表中的数字",
                    )
        if facts.execution is None:
            continue
        for m in RATE.finditer(t.text):
            digits = numerals.amount_digits(m[1])  # '百分之八十五' -> '85%'
            if digits is None or numerals.approximate(t.text[: m.start(1)], m[1], t.text[m.end() :]):
                continue  # no exact rate: '百分之八十几', '85%左右'
            digits = digits.removesuffix("%")
            said = Decimal(digits)
            places = len(digits.split(".")[1]) if "." in digits else 0
            if abs(said - facts.execution) > Decimal(5) / 10 ** (places + 1) + Decimal("0.005"):
                yield finding(
                    rule,
                    facts,
                    t.where,
                    f"文字中的执行率{digits}%与按资金计算的{q2(facts.execution)}%不符",
                    f"文字:「{sentence(t.text, m.start())}」;{funds_fact(facts)}",
                    "按全年执行数÷全年预算数核对执行率",
                )


def prose_counts(rule: ProseCounts, facts: Facts, batch: Sequence[Facts]) -> Iterator[Finding]:
    rows = facts.rows
    projects = [
        f
        for f in batch
        if f.answers.year == facts.answers.year and f.form.id != facts.form.id and facts.unit in f.units
    ]
    named = "".join(t.text for t in _own(facts))
    for t in _own(facts):
        for m in OF_WHICH.finditer(t.text):
            if not (stated(t.text, m, 1) and stated(t.text, m, 3)):
                continue
            n, qualifier, k = cn_number(m[1]), m[2], cn_number(m[3])
            if n is None or k is None:
                continue  # not a numeral: nothing said to compare
            scope = [r for r in rows if not qualifier or qualifier in r.level2 or qualifier in r.level1]
            fell = [r for r in scope if short(r)]
            quote = f"文字:「{sentence(t.text, m.start())}」"
            if rows and (n != len(scope) or k != len(fell)):
                yield finding(
                    rule,
                    facts,
                    t.where,
                    f"文字说{m[1]}个{qualifier}指标中{m[3]}个未完成,自评表中是{len(scope)}个中{len(fell)}个",
                    quote + ";未达标:" + ("、".join(f"「{r.name}」" for r in fell) or "无"),
                    "按自评表核对个数",
                )
            missing = [r for r in fell if r.name not in named]
            if missing:
                yield finding(
                    rule,
                    facts,
                    t.where,
                    "文字只说有指标未完成,没有列明是哪些",
                    quote + ";未列明:" + "、".join(f"「{r.name}」" for r in missing),
                    "逐一列明未完成的指标及原因",
                )
        for m in SET.finditer(t.text):
            n = cn_number(m[1])
            if rows and n is not None and stated(t.text, m, 1) and n != len(rows):
                yield finding(
                    rule,
                    facts,
                    t.where,
                    f"文字说设置{m[1]}个指标,{facts.rows_label}有{len(rows)}行",
                    f"文字:「{sentence(t.text, m.start())}」",
                    "按自评表核对指标个数",
                )
        if not projects:
            continue
        for m in PROJECTS.finditer(t.text):
            group = 1 if m[1] is not None else 2
            n = cn_number(m[group])
            if n is not None and stated(t.text, m, group) and n != len(projects):
                yield finding(
                    rule,
                    facts,
                    t.where,
                    f"文字说{m[group]}个项目,本批报送了该单位{len(projects)}个项目的自评",
                    f"文字:「{sentence(t.text, m.start())}」",
                    "核对项目个数,是否照抄了其他单位的文字",
                )


def prose_all_met(rule: ProseAllMet, facts: Facts, batch: Sequence[Facts]) -> Iterator[Finding]:
    fell = [r for r in facts.rows if short(r)]
    if not fell:
        return
    for t in _own(facts):
        for word in rule.words:
            at = t.text.find(word)
            if at < 0 or any(c in NEGATION for c in t.text[max(0, at - 2) : at]):
                continue
            yield finding(
                rule,
                facts,
                t.where,
                f"文字写「{word}」,而{len(fell)}个指标未达到年度指标值",
                f"文字:「{sentence(t.text, at)}」;未达标:" + "、".join(f"「{r.name}」" for r in fell[:5]),
                "如实写明未完成的指标及原因",
            )
            break


def shortfalls_named(rule: ShortfallsNamed, facts: Facts, batch: Sequence[Facts]) -> Iterator[Finding]:
    words = "".join(t.text for t in _own(facts))
    for row in facts.rows:
        said = [row.name, f"{row.actual_text}{row.unit}" if row.actual is not None else ""]
        if short(row) and not any(w and w in words for w in said):
            yield finding(
                rule,
                facts,
                facts.row_where(row),
                "未达到年度指标值,报告正文中既没有提到这个指标,也没有提到它的实际完成值",
                row_fact(facts, row) + reason_fact(facts, row),
                "在偏差原因分析或存在问题中写明这个指标未完成的情况和原因",
            )


_Check = Callable[[Any, Facts, Sequence[Facts]], Iterator[Finding]]  # Any: its rule class (its key in PROSE)
PROSE: dict[type[Rule], _Check] = {
    ProseFigures: prose_figures,
    ProseCounts: prose_counts,
    ProseAllMet: prose_all_met,
    ShortfallsNamed: shortfalls_named,
}
