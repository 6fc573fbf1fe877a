"""What the form's rules tell the interview, read from the rules as data. Pure.

- which reason questions are needed now (`reasons_needed` from assess.check when it exists;
  without it every reason question is asked, as before);
- which questions a rule reads (its inputs), so a rule problem is shown once they are all in;
- which names a record field should be picked from (a `member_of` rule: list/field/within);
- the report's sentence with the computed score, for the section that discusses it.
"""

from __future__ import annotations

from collections.abc import Callable

from zjeval.answers.model import Answers
from zjeval.form.models import Form, Section, TextBlock

# rule attributes that are not question ids
_NOT_INPUTS = frozenset({"id", "kind", "severity", "message", "label", "tolerance", "min", "reason"})
SCORE_FIELDS = frozenset({"score", "grade", "subtotals"})


def _needed_function() -> Callable[..., set[str]] | None:
    try:
        from zjeval.assess.check import reasons_needed  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return reasons_needed  # type: ignore[no-any-return,unused-ignore]


def reason_ids(form: Form) -> set[str]:
    """Every question some rule names as the reason to give when it is broken."""
    out = set()
    for rule in form.rules:
        reason = getattr(rule, "reason_id", None) or getattr(rule, "reason", None)
        if isinstance(reason, str):
            out.add(reason)
    return out


def reasons_needed(form: Form, answers: Answers, previous: Answers | None) -> set[str] | None:
    """The reason questions whose rule is broken now; None when assess.check cannot tell."""
    needed = _needed_function()
    if needed is None:
        return None
    try:
        return set(needed(form, answers, previous))
    except TypeError:  # an older signature without `previous`
        return set(needed(form, answers))


def rule_inputs(form: Form) -> list[tuple[frozenset[str], str | None]]:
    """Per rule: the questions it reads (its reason excluded), and its reason question."""
    questions = form.questions()
    out = []
    for rule in form.rules:
        reason = getattr(rule, "reason_id", None) or getattr(rule, "reason", None)
        reads = getattr(rule, "reads", None)
        ids: set[str] = set()
        if callable(reads):
            ids = {str(ref[1]) for ref in reads()}
        else:  # a rule model without reads(): every attribute naming a question
            for key, value in rule.model_dump().items():
                if key not in _NOT_INPUTS:
                    ids |= {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)}
        ids = {x for x in ids if x in questions and x != reason}
        out.append((frozenset(ids), reason if isinstance(reason, str) else None))
    return out


def placeholders(form: Form, qid: str) -> frozenset[str]:
    """The words that say nothing, for this question: the form's `placeholder` rules."""
    words: set[str] = set()
    for rule in form.rules:
        fields = getattr(rule, "fields", None) or []
        if getattr(rule, "kind", None) == "placeholder" and (not fields or qid in fields):
            words |= {str(w) for w in getattr(rule, "words", [])}
    return frozenset(words)


def suggestions(form: Form, answers: Answers, qid: str) -> dict[str, tuple[str, list[str]]]:
    """For a records question: field -> (what the list is called, the names its value should be
    one of), from the member_of rules (list/field/within)."""
    out: dict[str, tuple[str, list[str]]] = {}
    questions = form.questions()
    for rule in form.rules:
        if getattr(rule, "kind", None) != "member_of" or getattr(rule, "list", None) != qid:
            continue
        within = questions.get(str(getattr(rule, "within", "")))
        names = answers.get(within.id) if within is not None else None
        if within is not None and isinstance(names, list) and names:
            out[str(getattr(rule, "field", ""))] = (within.label, [str(n) for n in names])
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
