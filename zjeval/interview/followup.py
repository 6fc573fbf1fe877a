"""What the form's rules tell the interview, read from the rules as data. Pure.

- which reason questions are needed now (`reasons_needed`, which assess.check decides);
- which questions a rule reads (its inputs), so a rule problem is shown once they are all in;
- which names a record field should be picked from (a `member_of` rule: list/field/within);
- the report's sentence with the computed score, for the section that discusses it.
"""

from __future__ import annotations

from zjeval.answers.model import Answers
from zjeval.form.models import Form, Section, TextBlock
from zjeval.form.rules import MemberOfRule, PlaceholderRule

SCORE_FIELDS = frozenset({"score", "grade", "subtotals"})


def reason_ids(form: Form) -> set[str]:
    """Every question some rule names as the reason to give when it is broken."""
    return {rule.reason_id for rule in form.rules if rule.reason_id is not None}


def reasons_needed(form: Form, answers: Answers, previous: Answers | None) -> set[str]:
    """The reason questions whose rule is broken now (assess.check decides)."""
    from zjeval.assess import check

    return check.reasons_needed(form, answers, previous)


def rule_inputs(form: Form) -> list[tuple[frozenset[str], str | None]]:
    """Per rule: the questions it reads (its reason excluded), and its reason question."""
    questions = form.questions()
    out = []
    for rule in form.rules:
        reason = rule.reason_id
        ids = {qid for _key, qid, _types in rule.reads() if qid in questions and qid != reason}
        out.append((frozenset(ids), reason))
    return out


def placeholders(form: Form, qid: str) -> frozenset[str]:
    """The words that say nothing, for this question: the form's `placeholder` rules."""
    words: set[str] = set()
    for rule in form.rules:
        if isinstance(rule, PlaceholderRule) and (not rule.fields or qid in rule.fields):
            words |= set(rule.words)
    return frozenset(words)


def suggestions(form: Form, answers: Answers, qid: str) -> dict[str, tuple[str, list[str]]]:
    """For a records question: field -> (what the list is called, the names its value should be
    one of), from the member_of rules (list/field/within)."""
    out: dict[str, tuple[str, list[str]]] = {}
    questions = form.questions()
    for rule in form.rules:
        if not isinstance(rule, MemberOfRule) or rule.list != qid:
            continue
        within = questions.get(rule.within)
        names = answers.get(within.id) if within is not None else None
        if within is not None and isinstance(names, list) and names:
            out[rule.field] = (within.label, [str(n) for n in names])
    return out


def score_templates(section: Section) -> list[str]:
    """The section's text blocks that state the computed score or grade."""
    from zjeval.form import template

    return [
        b.text
        for b in section.blocks
        if isinstance(b, TextBlock) and any(name in SCORE_FIELDS for name, _ in template.fields(b.text))
    ]


def score_preface(form: Form, answers: Answers, section: Section) -> str:
    """The section's score sentence as the report would write it now (gaps as 【待填写】)."""
    templates = score_templates(section)
    if not templates or form.scoring is None:
        return ""
    from zjeval.answers.formatting import format_value
    from zjeval.answers.values import is_empty
    from zjeval.assess import scoring
    from zjeval.form import template

    questions = form.questions()
    card = scoring.score(form.scoring, questions, answers)

    def lookup(name: str, flt: str | None) -> str | None:
        if name == "year":
            return str(answers.year)
        if name in SCORE_FIELDS:
            if card.total is None:
                return None
            if name == "score":
                return str(card.total)
            if name == "grade":
                return str(card.grade)
            return "，".join(
                f"{t.name.removesuffix('指标')}指标得分{t.score}分（满分{scoring.num(t.weight)}分）"
                for t in card.subtotals
            )
        q, value = questions.get(name), answers.get(name)
        if q is None or is_empty(value):
            return None
        return str(len(value)) if flt == "count" and isinstance(value, list) else format_value(q, value)

    return "".join(template.expand(t, lookup, lambda: "【待填写】") for t in templates)
