"""Excel formulas for the 评分表: an indicator's value from the 数据表 cells, its score by the
framework's rule and the reason for a deduction, in the same words as the report.

Each rule kind of zjeval.form.framework has its formula here, mirroring zjeval.assess.scoring:
the report's numbers come from scoring, the sheet recomputes them with these formulas when a
数据表 figure or a judgment is edited. Constants are written as the report writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zjeval.form.decimals import num, q2
from zjeval.form.framework import (
    Bands,
    Change,
    Checklist,
    Deduction,
    Direct,
    Operand,
    Proportional,
    Qualitative,
    Ratio,
    Signed,
    Target,
    Threshold,
)

n = num  # a constant as the report prints it: 3, 2.5, 0.03
Ref = Callable[[str], str | None]  # question id -> its 数据表 cell ("'数据表'!C5"), None if absent


def s(text: str) -> str:
    """A string literal (Excel caps one at 255 characters: longer text is joined in pieces)."""
    pieces = [text[i : i + 250] for i in range(0, len(text), 250)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in pieces)


def operand(op: Operand, ref: Ref) -> tuple[str, list[str]] | None:
    """The operand as an expression, and the cells it reads; None when a figure has no cell."""

    def cells(ids: list[str]) -> list[str] | None:
        out = [ref(q) for q in ids]
        return None if any(c is None for c in out) else [c for c in out if c is not None]

    if isinstance(op, str):
        found = cells([op])
        return None if found is None else (found[0], found)
    if isinstance(op, list):
        found = cells(list(op))
        return None if found is None else ("(" + "+".join(found) + ")", found)
    assert isinstance(op, Signed)
    add, sub = cells(op.add), cells(op.sub)
    if add is None or sub is None:
        return None
    expr = "(" + "+".join(add) + "".join(f"-{c}" for c in sub) + ")"
    return expr, add + sub


def value_formula(formula: Any, ref: Ref, required: Callable[[str], bool]) -> str | None:
    """指标值 (%) from the 数据表: blank while a required figure is; 不适用 or 新增 for a zero base."""
    if isinstance(formula, Ratio):
        a, b = operand(formula.num, ref), operand(formula.den, ref)
        if a is None or b is None:
            return None
        expr = f'IF({b[0]}=0,"不适用",{a[0]}/{b[0]}*100)'
        reads = a[1] + b[1]
    elif isinstance(formula, Change):
        a, b = operand(formula.this, ref), operand(formula.last, ref)
        if a is None or b is None:
            return None
        expr = f'IF({b[0]}=0,IF({a[0]}=0,"不适用","新增"),({a[0]}-{b[0]})/{b[0]}*100)'
        reads = a[1] + b[1]
    else:
        assert isinstance(formula, Direct)
        cell = ref(formula.of)
        if cell is None:
            return None
        expr, reads = cell, [cell]
    needed = [c for c in dict.fromkeys(reads) if required(c)]
    if needed:
        blank = ",".join(f"ISBLANK({c})" for c in needed)
        expr = f'IF(OR({blank}),"",{expr})'
    return "=" + expr


def rate_score(rule: Any, v: str, w: Decimal) -> str:
    """The score of a rate rule for value cell v, before rounding."""
    W = n(w)
    if isinstance(rule, Threshold):
        if rule.max is not None:
            return f"MAX(0,{W}-MAX(0,{v}-{n(rule.max)})*{n(rule.per_point)})"
        assert rule.min is not None
        return f"MAX(0,{W}-MAX(0,{n(rule.min)}-{v})*{n(rule.per_point)})"
    if isinstance(rule, Bands):
        expr = "0"
        for band in reversed(rule.bands):
            expr = f"IF({v}>={n(band.min)},{n(band.score)},{expr})"
        return expr
    if isinstance(rule, Proportional):
        return f"MIN({W},MAX(0,{W}*{v}/100))"
    assert isinstance(rule, Target)
    a = n(rule.target)
    if rule.direction == "up":
        return f"IF({v}>={a},{W},MAX(0,{W}*{v}/{a}))"
    return f"IF(OR({v}<={a},{v}=0),{W},{W}*{a}/{v})"


def rate_reason(rule: Any, v: str, w: Decimal) -> str:
    """The deduction's reason for a rate rule, as scoring words it (full-width punctuation)."""
    pv = f'TEXT({v},"0.00")&"%"'
    W = n(w)
    if isinstance(rule, Threshold):
        k = n(rule.per_point)
        if rule.max is not None:
            m = n(rule.max)
            return f'{pv}&"超过{m}%共"&TEXT({v}-{m},"0.00")&"个百分点，每个百分点扣{k}分"'
        assert rule.min is not None
        m = n(rule.min)
        return f'{pv}&"低于{m}%共"&TEXT({m}-{v},"0.00")&"个百分点，每个百分点扣{k}分"'
    if isinstance(rule, Bands):
        expr = f'{pv}&"低于最低档{n(rule.bands[-1].min)}%，不得分"'
        for band in reversed(rule.bands):
            said = '""' if band.score == w else f'{pv}&"不低于{n(band.min)}%，该档得{n(band.score)}分"'
            expr = f"IF({v}>={n(band.min)},{said},{expr})"
        return expr
    if isinstance(rule, Proportional):
        return f'"按"&{pv}&"×{W}分计"'
    assert isinstance(rule, Target)
    a = n(rule.target)
    if rule.direction == "up":
        return f'"未达到目标{a}%，按"&{pv}&"÷{a}%×{W}分计"'
    return f'"超过目标{a}%，按{a}%÷"&{pv}&"×{W}分计"'


def not_applicable(formula: Any, v: str) -> str:
    if isinstance(formula, Change):
        return f'IF({v}="新增","上年为0，本年为新增，不适用，按满分计","上年与本年均为0，不适用，按满分计")'
    return '"分母为0，不适用，按满分计"'


def computed(formula: Any, rule: Any, v: str, f: str, w: Decimal) -> tuple[str, str]:
    """(得分, 扣分原因) formulas of a computed indicator whose 指标值 is in cell v, score in f."""
    score = f'=IF({v}="","",IF(ISNUMBER({v}),ROUND({rate_score(rule, v, w)},2),{n(w)}))'
    reason = (
        f'=IF(OR({v}="",{f}=""),"",IF(ISNUMBER({v}),IF({f}<{n(w)},{rate_reason(rule, v, w)},""),'
        f"{not_applicable(formula, v)}))"
    )
    return score, reason


def judged(rule: Any, v: str, f: str, w: Decimal, note: str) -> tuple[str, str]:
    """(得分, 扣分原因) of a judged indicator: v holds the tier, or the count the evaluator gave."""
    W = n(w)
    if isinstance(rule, Qualitative):
        expr = "0"
        for tier in reversed(rule.tiers):
            expr = f"IF({v}={s(tier.name)},{n(tier.default)},{expr})"
        score = f'=IF({v}="","",ROUND({W}*{expr},2))'
        reason = f'=IF({f}="","",IF({f}<{W},{s(note)},""))'
        return score, reason
    tail = f"&{s('：' + note)}" if note else ""
    if isinstance(rule, Checklist):
        total = len(rule.items)
        each = n(q2(w / total))
        score = f'=IF({v}="","",ROUND({W}*MIN({total},MAX(0,{v}))/{total},2))'
        reason = f'=IF({v}="","",IF({v}<{total},({total}-{v})&"项未达到，每项{each}分"{tail},""))'
        return score, reason
    assert isinstance(rule, Deduction)
    p = n(rule.per_violation)
    score = f'=IF({v}="","",ROUND(MAX(0,{W}-{p}*{v}),2))'
    reason = f'=IF({v}="","",IF({v}>0,{v}&"处问题，每处扣{p}分"{tail},""))'
    return score, reason


def grade_formula(total: str, grades: list[tuple[str, Decimal]]) -> str:
    """The grade of the total as nested IFs, highest band first: IF(ROUND(F9,2)>=90,"优",…).

    ROUND: the total is a float sum of 0.01 scores, and 89.99999999 must not miss 90.
    """
    bands = sorted(grades, key=lambda b: b[1], reverse=True)
    expr = '""'
    for name, low in reversed(bands):
        quoted = '"' + name.replace('"', '""') + '"'
        if low <= 0 and expr == '""':
            expr = quoted
        else:
            expr = f"IF(ROUND({total},2)>={format(low.normalize(), 'f')},{quoted},{expr})"
    return expr
