"""Rule kinds over the words of answers: placeholder words, patterns (文号 style, outline questions)."""


import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from zjeval.form.question import Id, Label, Question
from zjeval.form.rules.base import Context, Ref, RuleBase, Severity


class _TextRule(RuleBase):
    """A kind that reads the text of every answered text question (or only those it names)."""

    fields: list[Id] = Field(default_factory=list)  # empty: every text, paragraphs, strings, records
    severity: Severity = "warning"

    def reads(self) -> Iterator[Ref]:
        for qid in self.fields:
            yield "fields", qid, ("text", "paragraphs", "strings", "records")

    def scanned(self, ctx: Context) -> Iterator[tuple[Question, list[str]]]:
        for q, texts in ctx.texts():
            if not self.fields or q.id in self.fields:
                yield q, texts


class PlaceholderRule(_TextRule):
    """A required text answered only with a placeholder word (无, 暂无, 略 …)."""

    kind: Literal["placeholder"]
    words: list[Label] = Field(min_length=1)

    def check(self, ctx: Context) -> None:
        words = set(self.words)
        for q, texts in self.scanned(ctx):
            kinds = ("text", "paragraphs", "strings")
            if q.required and q.type in kinds and texts and all(t.strip() in words for t in texts):
                ctx.add(q.id, self.severity, f"只写了「{texts[0].strip()}」;请写出具体内容")


class PatternRule(_TextRule):
    """Text that matches a pattern the form names: a badly written 文号, an outline question
    pasted in unanswered (是否……一致), … The message may quote the match as {match}."""

    kind: Literal["pattern"]
    pattern: str
    # a cheap test before the pattern: texts without this substring are skipped
    contains: str = ""
    # drop this leading part of the match before quoting it (e.g. the words before a 文号)
    strip: str = ""
    per_sentence: bool = False  # match each sentence (split after 。！？?) on its own
    message: Label

    @field_validator("pattern", "strip")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"正则表达式有误:{exc}") from None
        return value

    def check(self, ctx: Context) -> None:
        pattern = re.compile(self.pattern)
        strip = re.compile(self.strip) if self.strip else None
        for q, texts in self.scanned(ctx):
            for text in texts:
                if self.contains and self.contains not in text:
                    continue
                parts = re.split(r"(?<=[。！？?])", text) if self.per_sentence else [text]
                for part in parts:
                    for m in pattern.finditer(part.strip()):
                        quoted = strip.sub("", m[0]) if strip else m[0]
                        if self.per_sentence:
                            quoted = part.strip()[:40]
                        ctx.add(q.id, self.severity, self.message.replace("{match}", quoted))
                        if self.per_sentence:
                            break
