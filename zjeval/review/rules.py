"""The profile's rules over one submission's scores and 执行率, the form's own check, and the
registry of every rule kind that looks at one submission alone (rows.py holds the row rules). Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zjeval.form.decimals import num, q2
from zjeval.review import rescore, rows
from zjeval.review.evidence import Findings, finding, funds_fact, row_fact, score_text
from zjeval.review.facts import Facts
from zjeval.review.model import Finding
from zjeval.review.profile import (
    AllFull,
    BarePercent,
    CostUp,
    DateAfterYear,
    EmptyWhenShort,
    ExecutionCap,
    FormCheck,
    FullWhileShort,
    IdleMoney,
    OverTarget,
    Rule,
    ScoreGap,
    SurveyStated,
    TextActual,
)

MISSING = "未填写"

# ---------------------------------------------------------------- scores and 执行率


def execution_cap(rule: ExecutionCap, facts: Facts) -> Findings:
    cap = rescore.cap_for(rule, facts.execution)
    if cap is not None and facts.stated is not None and facts.stated > cap.max:
        yield finding(
            rule,
            facts,
            facts.stated_where or "自评得分",
            f"预算执行率低于{num(cap.below)}%,总分不应超过{num(cap.max)}分,自评得分{score_text(facts.stated)}",
            funds_fact(facts),
            f"按执行率封顶规则将总分调整为不超过{num(cap.max)}分,并说明资金未执行的原因",
        )


def over_target(rule: OverTarget, facts: Facts) -> Findings:
    for row in facts.rows:
        if rescore.beyond(row, rule.percent):
            yield finding(
                rule,
                facts,
                facts.row_where(row),
                f"实际完成值超过年度指标值{num(rule.percent)}%以上,目标设定偏低,复核扣{num(rule.points)}分",
                row_fact(facts, row),
                "下一年度按实际能力设定指标值;本年说明超额完成的原因",
            )


def score_execution_gap(rule: ScoreGap, facts: Facts) -> Findings:
    if facts.execution is None or facts.stated is None:
        return
    gap = facts.stated - facts.execution
    if abs(gap) > rule.max_gap:
        yield finding(
            rule,
            facts,
            facts.stated_where or "自评得分",
            f"自评得分与预算执行率相差{num(q2(abs(gap)))}分,超过{num(rule.max_gap)}分",
            f"自评得分{score_text(facts.stated)};{funds_fact(facts)}",
            "核实各指标的完成情况与资金使用是否匹配,如实调整得分或说明原因",
        )


def form_check(rule: FormCheck, facts: Facts) -> Findings:
    from zjeval.assess import check

    missing: dict[str, list[str]] = {}
    for p in check.check(facts.form, facts.answers):
        section = p.section.replace(" / ", " › ")
        if p.message.startswith(MISSING):  # one finding a section for what is not filled in
            missing.setdefault(section, []).append(p.field)
            continue
        where = " › ".join(x for x in (section, p.field) if x)
        level = rule.level if p.severity == "error" else rule.warnings
        yield Finding(
            level,
            facts.unit,
            facts.file,
            where,
            p.message,
            "；".join(p.sources),
            rule.source,
            rule.advice or "按 zjeval check 的提示改正",
            rule.id,
        )
    for section, fields in missing.items():
        yield Finding(
            rule.level,
            facts.unit,
            facts.file,
            section,
            f"{len(fields)}项{MISSING}",
            "、".join(fields),
            rule.source,
            rule.advice or "补全后重新报送",
            rule.id,
        )


TABLE: dict[type[Rule], Callable[[Any, Facts], Findings]] = {  # Any: each takes its key's rule class
    ExecutionCap: execution_cap,
    OverTarget: over_target,
    ScoreGap: score_execution_gap,
    AllFull: rows.all_full,
    FullWhileShort: rows.full_while_short,
    TextActual: rows.text_actual,
    CostUp: rows.cost_written_up,
    BarePercent: rows.bare_percent,
    SurveyStated: rows.survey_stated,
    EmptyWhenShort: rows.empty_when_short,
    DateAfterYear: rows.date_after_year,
    IdleMoney: rows.idle_money_full_output,
    FormCheck: form_check,
}
