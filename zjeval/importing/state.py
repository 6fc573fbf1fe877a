"""What an import is building: the answers so far, what was found, what is left. Pure.

The form's `import:` block (zjeval/form/import_spec.py) says which question each step fills;
nothing here names a question of any form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zjeval import numerals
from zjeval.answers.formatting import format_value
from zjeval.answers.model import Answers
from zjeval.answers.parsing import Value
from zjeval.answers.values import InvalidValue, validate
from zjeval.form import template as tpl
from zjeval.form.import_spec import ImportSpec
from zjeval.form.models import Block, Form, Question, Section, TextBlock, section_tree
from zjeval.importing import patterns as P

FRONT = "(front)"  # before the first heading: title block, cover, 导语
HEADING = "(heading)"  # a heading line: the form prints its own outline
LEAD = "(lead)"  # text_of: the form's 导语 blocks
NUMERIC = ("money", "integer", "percent", "number")
YEAR = "year"  # the one template name every form has that is not a question (loader.BUILTIN_NAMES)


@dataclass
class Line:
    index: int
    text: str
    key: str = FRONT  # the section id it belongs to, FRONT or HEADING
    listed: int | None = None  # in the list announced by intro-list fill number N
    marker: int | None = None  # the line announcing that list


@dataclass
class State:
    form: Form
    spec: ImportSpec
    year: int
    answers: Answers
    questions: dict[str, Question] = field(init=False)
    found: list[tuple[str, str]] = field(default_factory=list)
    left: list[tuple[int, str]] = field(default_factory=list)
    home: dict[str, str] = field(init=False)  # question id -> the section it is rendered in
    figure_patterns: list[tuple[str, re.Pattern[str]]] = field(init=False)
    figure_reads: dict[int, int] = field(default_factory=dict)  # line index -> figures read from it
    origin: str = "正文"  # where in the report the values being read now come from (imported: from)

    def __post_init__(self) -> None:
        self.questions = self.form.questions()
        self.home = {q.id: chain[-1].id for chain, q in self.form.walk()}
        self.figure_patterns = [
            (qid, rx)
            for qid, phrases in self.spec.figures.items()
            if qid in self.questions
            for rx in P.figure_patterns(phrases, self.questions[qid].type)
        ]

    def keep(self, line: Line | int, text: str | None = None) -> None:
        if isinstance(line, Line):
            self.left.append((line.index, line.text if text is None else text))
        else:
            self.left.append((line, text or ""))

    def put(self, qid: str | None, raw: object, sources: list[Line], what: str = "") -> bool:
        """Validate and set; on failure the source lines go to the unplaced text with the reason."""
        if qid is None or qid not in self.questions:
            for s in sources:
                self.keep(s)
            return False
        if self.questions[qid].type in NUMERIC and isinstance(raw, str) and numerals.in_words(raw):
            raw = numerals.amount_digits(raw.strip()) or raw  # '一百零三人' -> '103人'; a rough one stays
        try:
            value = validate(self.questions[qid], raw)
        except InvalidValue as exc:
            for s in sources:
                self.keep(s)
            self.found.append((qid, f"未导入({exc.path}{exc.message}),原文放入未归类内容"))
            return False
        if value is None:
            return False
        self.answers.set(qid, value)
        self.answers.origins.setdefault(qid, {"from": self.origin})
        self.found.append((qid, what or short(self.questions[qid], value)))
        return True

    def doubt(self, qid: str | None, why: str) -> None:
        """Mark an answer read as doubtful: `check` shows it first, with why."""
        if qid is not None and qid in self.answers.values:
            entry = self.answers.origins.setdefault(qid, {"from": self.origin})
            entry["doubt"] = "；".join(x for x in (entry.get("doubt", ""), why) if x)
            self.found.append((qid, f"存疑:{why}"))

    def source(self, qid: str, sentence: str) -> None:
        """Remember the sentence a value was read from (saved in the answers file, shown by check)."""
        self.answers.sources.setdefault(qid, sentence.strip())

    def text_of(self, *section_ids: str) -> str:
        """What the form prints for sections' text blocks with the answers so far (for coverage)."""
        out = []
        for sid in section_ids:
            blocks = self.form.lead if sid == LEAD else section_blocks(self.form.sections, sid)
            for block in blocks:
                if isinstance(block, TextBlock):
                    out.append(tpl.OPTIONAL.sub(r"\1", block.text))
        return tpl.expand("".join(out), self.field_text)

    def read_fields(self, template: str, text: str, what: str) -> bool:
        """Fill the unanswered one-line questions a template names from text it generated (e.g.
        the unit's self-reference in '现将我局2025年度……报告如下:'); True when the text matches."""
        known: dict[str, str] = {}
        for name, flt in tpl.fields(template):
            value = self.field_text(name, flt)
            q = self.questions.get(name)
            if value or q is None or q.type != "text":
                known[f"{{{name}|{flt}}}" if flt else name] = value
        m = tpl.pattern(template, known).match(text.strip())
        if m is None:
            return False
        for name, value in m.groupdict().items():
            if value and self.answers.get(name) is None:
                self.put(name, value, [], f"{self.questions[name].label}(取自{what}):{value}")
        return True

    def field_text(self, name: str, flt: str | None) -> str:
        if name == YEAR:
            return str(self.year)
        q = self.questions.get(name)
        value = self.answers.get(name) if q else None
        if q is None or value is None:
            return ""
        return str(len(value)) if flt == "count" and isinstance(value, list) else format_value(q, value)


def short(q: Question, value: Value) -> str:
    if isinstance(value, list):
        return f"{q.label}:{len(value)}项"
    text = format_value(q, value)
    return f"{q.label}:{text[:30]}{'…' if len(text) > 30 else ''}"


def section_blocks(sections: list[Section], sid: str) -> list[Block]:
    for s in sections:
        if s.id == sid:
            return list(s.blocks)
        inner = section_blocks(s.sections, sid)
        if inner:
            return inner
    return []


def all_sections(sections: list[Section]) -> list[Section]:
    return [chain[-1] for _, chain in section_tree(sections)]


def sentence_of(text: str, start: int) -> str:
    """The sentence of `text` around position `start`."""
    begin = max((text.rfind(c, 0, start) for c in "。；;！？"), default=-1) + 1
    ends = [i for i in (text.find(c, start) for c in "。；;！？") if i >= 0]
    return text[begin : (min(ends) + 1 if ends else len(text))].strip()


def headings(spec: ImportSpec) -> P.Headings:
    return [(sid, re.compile("|".join(s.headings))) for sid, s in spec.sections.items() if s.headings]
