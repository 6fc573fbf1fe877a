"""The form's own sentences that name several fields, read backwards. Pure.

A form's text block cut at 。；: each sentence naming two or more fields, one of them a question
('{year}年,{self_ref}年初预算数{a},全年预算数{b},全年执行数{c}。'), becomes a pattern (the
template module's own); a sentence of the report it matches gives each field it names, each
validated. Works for any form, with no wording of its own.
"""

from __future__ import annotations

import re

from zjeval.form import template as tpl
from zjeval.form.models import TextBlock
from zjeval.importing.state import Line, State, all_sections

_SENTENCE = re.compile(r"[^。；;]+[。；;]?")
_SCALAR = ("text", "money", "integer", "percent", "number", "date", "docno", "choice")


def sentence_templates(st: State) -> list[str]:
    """The form's own sentences (its text blocks cut at 。；) that name two or more fields, one a
    question: what import reverses, whatever the form (see read_sentences)."""
    out: list[str] = []
    blocks = [b for s in all_sections(st.form.sections) for b in s.blocks if isinstance(b, TextBlock)]
    for block in [*st.form.lead, *blocks]:
        if not isinstance(block, TextBlock):
            continue
        for sentence in _SENTENCE.findall(tpl.OPTIONAL.sub(r"\1", block.text)):
            names = list(tpl.fields(sentence))
            if len(names) >= 2 and any(n in st.questions for n, _ in names):
                out.append(sentence)
    return out


def read_sentences(st: State, lines: list[Line]) -> None:
    """Every sentence of these lines written as one of the form's own sentences with several
    fields ('年初预算数{a}，全年预算数{b}，全年执行数{c}。') gives those fields, each validated."""
    templates = sentence_templates(st)
    if not templates:
        return
    for item in lines:
        for sentence in _SENTENCE.findall(item.text):
            for template in templates:
                if _read_sentence(st, template, sentence.strip()):
                    break


def _read_sentence(st: State, template: str, sentence: str) -> bool:
    known: dict[str, str] = {}
    for name, flt in tpl.fields(template):
        q = st.questions.get(name)
        value = st.field_text(name, flt)
        if value or flt or q is None or q.type not in _SCALAR:
            if not value and (flt or q is None or q.type not in _SCALAR) and name != "year":
                return False  # a list's count or a generated value not known yet: cannot match
            known[f"{{{name}|{flt}}}" if flt else name] = value
    m = tpl.pattern(template, known).match(sentence)
    if m is None:
        return False
    for name, raw in m.groupdict().items():
        if raw and st.answers.get(name) is None and st.put(name, raw.strip(), [], ""):
            st.source(name, sentence)
            st.found[-1] = (name, f"{st.questions[name].label}:{raw.strip()}(原文:{sentence[:40]})")
    return True
