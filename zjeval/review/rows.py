"""The profile's rules over one submission's indicator rows (the 自评表). Pure.

One function per rule kind; each returns the findings it makes. The words of a finding are the
kind's; the rule's level, source and advice are the profile's.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zjeval.form.decimals import num
from zjeval.form.target_rows import RowResult
from zjeval.review.evidence import (
    Findings,
    behind,
    finding,
    full,
    funds_fact,
    pct,
    reason_fact,
    row_fact,
    score_text,
    short,
)
from zjeval.review.facts import Facts
from zjeval.review.profile import (
    AllFull,
    BarePercent,
    CostUp,
    DateAfterYear,
    EmptyWhenShort,
    FullWhileShort,
    IdleMoney,
    SurveyStated,
    TextActual,
)

_YEAR = re.compile(r"(20\d{2})\s*(?:年|[-./])")


def all_full(rule: AllFull, facts: Facts) -> Findings:
    items = facts.row_items()
    if rule.of == "rows" and len(items) >= rule.min_count and all(full(i) for i in items):
        yield finding(
            rule,
            facts,
            facts.rows_label,
            f"全部{len(items)}个绩效指标均为满分",
            "、".join(f"「{i.indicator.name}」{score_text(i.score)}" for i in items[:6])
            + ("……" if len(items) > 6 else ""),
            "逐项核实实际完成值,未完成或无依据的指标如实扣分",
        )


def full_while_short(rule: FullWhileShort, facts: Facts) -> Findings:
    for row, item in zip(facts.rows, facts.row_items(), strict=True):
        if not full(item):
            continue
        labels = facts.row_labels
        said = [(w, labels.actual) for w in rule.words if labels is not None and w in row.actual_text]
        said += [(w, labels.reason) for w in rule.words if labels is not None and w in row.reason]
        if behind(row) or said:
            how = "得分经调整为满分" if item.overridden else "计满分"
            why = "实际完成值未达到年度指标值" if behind(row) else f"{said[0][1]}写明「{said[0][0]}」"
            yield finding(
                rule,
                facts,
                facts.row_where(row),
                f"{why},却{how}",
                f"{row_fact(facts, row)};得分{score_text(item.score)}(分值{num(item.indicator.weight)})"
                + reason_fact(facts, row),
                "按实际完成值重新计分,并填写偏差原因",
            )


def text_actual(rule: TextActual, facts: Facts) -> Findings:
    for row in facts.rows:
        if row.quantitative and row.actual is None and row.actual_text:
            yield finding(
                rule,
                facts,
                facts.row_where(row),
                "定量指标的实际完成值是文字,无法与年度指标值比较",
                row_fact(facts, row),
                "填写实际完成的数字和计量单位",
            )


def cost_written_up(rule: CostUp, facts: Facts) -> Findings:
    for row in facts.rows:
        is_cost = row.level2 in rule.level2 or any(w in row.name for w in rule.names)
        if is_cost and row.nature == "up":
            yield finding(
                rule,
                facts,
                facts.row_where(row),
                f"成本指标写作「{row.nature_word}」(越多越好),成本控制应为上限",
                row_fact(facts, row),
                "改为「≤」并按实际支出核对是否超出",
            )


def _percent(row: RowResult, floor: Decimal) -> bool:
    unit_pct = row.unit in ("%", "％") or row.target_text.endswith(("%", "％"))
    return row.nature == "up" and unit_pct and row.target is not None and row.target >= floor


def bare_percent(rule: BarePercent, facts: Facts) -> Findings:
    for group in rule.groups:
        rows = [r for r in facts.rows if group in (r.level1, r.level2)]
        if len(rows) >= rule.min_rows and all(_percent(r, rule.min) for r in rows):
            yield finding(
                rule,
                facts,
                f"{facts.rows_label}「{group}」",
                f"「{group}」的{len(rows)}个指标都是不低于{num(rule.min)}%的百分比,看不出测算依据",
                "、".join(f"「{r.name}」{r.nature_word}{r.target_text}{r.unit}" for r in rows[:6]),
                "改为可以衡量的具体指标,写明数据来源和测算方法",
            )


def survey_stated(rule: SurveyStated, facts: Facts) -> Findings:
    rows = [r for r in facts.rows if any(w in f"{r.level1}{r.level2}{r.name}" for w in rule.rows)]
    if not rows:
        return
    if any(w in t.text for t in facts.texts for w in rule.words):
        return
    for row in rows:
        yield finding(
            rule,
            facts,
            facts.row_where(row),
            "满意度指标没有说明调查方式(问卷、抽样、回访等),报告中也没有",
            row_fact(facts, row),
            "写明满意度调查的方式、样本数量和结果;没有调查的不能按满意计分",
        )


def anything_short(facts: Facts) -> str:
    """Why the unit cannot say it has no problems ("" when nothing falls short)."""
    rows = [r for r in facts.rows if short(r)]
    if rows:
        return f"{len(rows)}个指标未达到年度指标值(" + "、".join(f"「{r.name}」" for r in rows[:4]) + ")"
    card = facts.plain
    if card is not None and card.total is not None and card.total < facts.full_marks():
        return f"得分{score_text(card.total)},未得满分"
    return ""


def empty_when_short(rule: EmptyWhenShort, facts: Facts) -> Findings:
    why = anything_short(facts)
    if not why:
        return
    words = set(rule.words)
    for _, q in facts.form.walk():
        if not any(w in q.label for w in rule.labels):
            continue
        value = facts.answers.get(q.id)
        texts = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        texts = [str(t).strip().rstrip("。.") for t in texts]
        if texts and all(t in words for t in texts):
            where = next((t.where for t in facts.texts if t.qid == q.id), q.label)
            yield finding(
                rule,
                facts,
                where,
                f"{q.label}只写「{texts[0]}」,而{why}",
                f"{q.label}:「{'；'.join(texts)}」",
                f"写明具体的{q.label},与未完成的指标相对应",
            )


def date_after_year(rule: DateAfterYear, facts: Facts) -> Findings:
    year = facts.answers.year
    for row in facts.rows:
        if row.level2 not in rule.level2:
            continue
        late = [
            int(y)
            for text in (row.target_text, row.actual_text)
            for y in _YEAR.findall(text)
            if int(y) > year
        ]
        if late:
            yield finding(
                rule,
                facts,
                facts.row_where(row),
                f"时效指标的日期在{late[0]}年,晚于评价年度{year}年",
                row_fact(facts, row),
                "时效指标应以评价年度内的时限衡量;跨年完成的按未完成计分并说明原因",
            )


def idle_money_full_output(rule: IdleMoney, facts: Facts) -> Findings:
    if facts.execution is None or facts.execution >= rule.below:
        return
    pairs = [(r, i) for r, i in zip(facts.rows, facts.row_items(), strict=True) if r.level1 in rule.level1]
    at_full = [r for r, i in pairs if full(i)]
    if at_full:
        yield finding(
            rule,
            facts,
            facts.rows_label,
            f"资金执行率仅{pct(facts.execution)},产出指标却有{len(at_full)}个满分",
            funds_fact(facts) + ";满分指标:" + "、".join(f"「{r.name}」" for r in at_full[:5]),
            "核实资金未支出时产出如何完成;未完成的产出指标如实扣分",
        )
