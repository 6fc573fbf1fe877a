"""Answers: the typed values of one year's report, and how they map to and from plain data.

Pure: no disk, no terminal. `from_data` never raises for a bad value; it keeps the raw text
as an `Invalid` so that check can report it and the interview can re-ask it, and so that
saving the file again loses nothing the user wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from zjeval import yamlio
from zjeval.answers import kinds
from zjeval.answers.formatting import to_plain
from zjeval.answers.kinds import Record, Value
from zjeval.answers.parsing import is_digits, shown
from zjeval.answers.values import InvalidValue, is_empty, validate
from zjeval.errors import AnswersError
from zjeval.form.models import Condition, Form, Question

FORMAT_VERSION = 1
TOP_KEYS = (
    "zjeval",
    "form",
    "year",
    "carried_from",
    "unfinished",
    "answers",
    "overrides",
    "provenance",
    "sources",
    "origins",
)
PROVENANCE = ("carried", "edited", "typed")  # taken from last year as it was / changed / new
YEAR_MIN, YEAR_MAX = 1990, 2100


@dataclass(frozen=True)
class Invalid:
    """An answer in the file that does not validate, kept as written."""

    raw: object  # as loaded from the file (YAML data) or typed
    message: str
    path: str = ""  # inside a list: "[2].name"
    line: int | None = None


@dataclass
class Answers:
    """One year's answers to one form."""

    year: int
    form_id: str
    values: dict[str, Value] = field(default_factory=dict)
    invalid: dict[str, Invalid] = field(default_factory=dict)
    unknown: dict[str, object] = field(default_factory=dict)  # keys the form does not know, as loaded
    # 评分表 indicator id -> {score, reason}: the evaluator's adjusted score (checked by scoring)
    overrides: dict[str, object] = field(default_factory=dict)  # as loaded; scoring checks each
    carried_from: int | None = None  # the year `new --from` took last year's answers from
    unfinished: str | None = None  # a list question left mid-way by Ctrl-C (`new` resumes there)
    unfinished_item: int | None = None  # and the record (1-based) left mid-way in it
    provenance: dict[str, str] = field(default_factory=dict)  # question id -> one of PROVENANCE
    lines: dict[str, int] = field(default_factory=dict)  # question id -> line in the file
    # question id -> the sentence of an imported report the value was read from (zjeval import)
    sources: dict[str, str] = field(default_factory=dict)
    # question id -> {from: where in the report it was read, doubt: why it may be wrong} (zjeval import)
    origins: dict[str, dict[str, str]] = field(default_factory=dict)
    source: Path | None = None
    form_ref: str = ""  # what the file's `form:` says: the form's id, or a path to its file

    @property
    def doubts(self) -> dict[str, str]:
        """The imported answers marked doubtful, with why (check shows them first)."""
        return {q: d["doubt"] for q, d in self.origins.items() if d.get("doubt") and q in self.values}

    def get(self, qid: str) -> Value:
        return self.values.get(qid)

    # Typed reads: the value narrowed to what its question's type promises (kinds.py).
    def text(self, qid: str) -> str:
        """A text, paragraphs, choice or docno answer; "" when unanswered."""
        return kinds.as_text(self.values.get(qid))

    def decimal(self, qid: str) -> Decimal | None:
        """A money, percent, number (or integer) answer; None when unanswered."""
        return kinds.as_decimal(self.values.get(qid))

    def integer(self, qid: str) -> int | None:
        return kinds.as_integer(self.values.get(qid))

    def date(self, qid: str) -> dt.date | None:
        return kinds.as_date(self.values.get(qid))

    def strings(self, qid: str) -> list[str]:
        """A strings answer, the stored list itself; [] when unanswered."""
        return kinds.as_strings(self.values.get(qid))

    def records(self, qid: str) -> list[Record]:
        """A records answer, the stored list itself; [] when unanswered."""
        return kinds.as_records(self.values.get(qid))

    def answered(self, qid: str) -> bool:
        return not is_empty(self.values.get(qid))

    def set(self, qid: str, value: Value) -> None:
        """Record a validated value (None clears it); a stale invalid entry goes away."""
        self.invalid.pop(qid, None)
        if is_empty(value):
            self.values.pop(qid, None)
        else:
            self.values[qid] = value


def holds(cond: Condition | None, answers: Answers) -> bool:
    """Whether a question's or block's condition holds for these answers."""
    return cond is None or cond.holds_for(answers.get(cond.field))


def applies(question: Question, answers: Answers) -> bool:
    return holds(question.when, answers)


def check_year(year: object, where: str = "") -> int:
    """A four-digit year within reason, or AnswersError saying what to type."""
    text = str(year).strip()
    if isinstance(year, bool) or not is_digits(text) or len(text) != 4:
        raise AnswersError(f"{where}年度应为四位数字,例如 2019(现为 {shown(year)})")
    value = int(text)
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise AnswersError(f"{where}年度应在 {YEAR_MIN} 至 {YEAR_MAX} 之间(现为 {value})")
    return value


def check_version(version: object, where: str = "") -> None:
    """The file's `zjeval:` format version must be one this version reads (missing means 1)."""
    if version is None:
        return
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise AnswersError(
            f"{where}zjeval: 应为答案文件的格式版本号 {FORMAT_VERSION}(现为 {shown(version)})",
            f"请改为 zjeval: {FORMAT_VERSION}",
        )
    if version > FORMAT_VERSION:
        raise AnswersError(
            f"{where}此答案文件的格式版本为 {version},本版本的 zjeval 只能读取版本 {FORMAT_VERSION}",
            "请升级 zjeval(pip install -U zjeval)后再打开;不要用旧版本保存它,以免丢失内容",
        )


def from_data(form: Form, data: object, lines: dict[yamlio.Loc, int], source: Path | None = None) -> Answers:
    """Answers from a parsed answers file; the file's shape is checked, values are kept or marked."""
    where = f"{source}:" if source else ""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AnswersError(
            f"{where}1 答案文件应为 YAML 映射(zjeval、form、year、answers)",
            "可以删除此文件后重新运行 zjeval new",
        )
    # first: a newer version's file may hold keys this version does not know
    check_version(data.get("zjeval"), f"{where}{lines.get(('zjeval',), 1)} ")
    for key in data:
        if key not in TOP_KEYS:
            line = lines.get((key,), 1)
            raise AnswersError(f"{where}{line} 未知的键 {key}", "顶层只能有:" + "、".join(TOP_KEYS))
    if "year" not in data:
        raise AnswersError(f"{where}1 缺少 year(评价年度)", "请加一行,例如 year: 2019")
    year = check_year(data["year"], f"{where}{lines.get(('year',), 1)} ")
    form_id = data.get("form", form.id)
    if form_id != form.id:
        raise AnswersError(
            f"{where}{lines.get(('form',), 1)} 答案文件属于表单 {form_id},不是 {form.id}",
            f"请用 --form {form_id} 指定表单",
        )
    raw_answers = data.get("answers") or {}
    if not isinstance(raw_answers, dict):
        raise AnswersError(f"{where}{lines.get(('answers',), 1)} answers 应为「问题id: 答案」的映射")
    answers = Answers(year=year, form_id=form.id, source=source)
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise AnswersError(
            f"{where}{lines.get(('overrides',), 1)} overrides 应为映射:"
            "「指标id: {score: 得分, reason: 理由}」"
        )
    answers.overrides = {str(k): v for k, v in overrides.items()}
    if data.get("carried_from") is not None:
        answers.carried_from = check_year(
            data["carried_from"], f"{where}{lines.get(('carried_from',), 1)} carried_from:"
        )
    unfinished = data.get("unfinished")
    if isinstance(unfinished, dict) and isinstance(unfinished.get("question"), str):
        answers.unfinished = unfinished["question"]
        item = unfinished.get("item")
        answers.unfinished_item = item if isinstance(item, int) and not isinstance(item, bool) else None
    provenance = data.get("provenance") or {}
    if not isinstance(provenance, dict) or any(v not in PROVENANCE for v in provenance.values()):
        raise AnswersError(
            f"{where}{lines.get(('provenance',), 1)} provenance 应为「问题id: carried/edited/typed」的映射",
            "此项由 zjeval new --from 记录,可以整段删除",
        )
    answers.provenance = {str(k): str(v) for k, v in provenance.items()}
    sources = data.get("sources") or {}
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise AnswersError(
            f"{where}{lines.get(('sources',), 1)} sources 应为「问题id: 原文句子」的映射",
            "此项由 zjeval import 记录,可以整段删除",
        )
    answers.sources = {str(k): str(v) for k, v in sources.items()}
    imported = data.get("origins") or {}
    if not isinstance(imported, dict) or not all(isinstance(v, dict) for v in imported.values()):
        raise AnswersError(
            f"{where}{lines.get(('origins',), 1)} origins 应为「问题id: {{from: 来源, doubt: 原因}}」的映射",
            "此项由 zjeval import 记录,可以整段删除",
        )
    answers.origins = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in imported.items()}
    questions = form.questions()
    for qid, raw in raw_answers.items():
        key = str(qid)
        where_line = yamlio.line_of(lines, ("answers", qid))
        if where_line is not None:
            answers.lines[key] = where_line
        q = questions.get(key)
        if q is None:
            answers.unknown[key] = raw
            continue
        try:
            value = validate(q, raw)
        except InvalidValue as exc:
            message = exc.message
            if not isinstance(raw, (list, dict)) and not message.startswith("「"):
                message = f"{shown(raw)}:{message}"  # the value as written, beside what it should be
            answers.invalid[key] = Invalid(
                raw, message, exc.path, _item_line(lines, qid, exc.path) or where_line
            )
            continue
        if value is not None:
            answers.values[key] = value
    return answers


def _item_line(lines: dict[yamlio.Loc, int], qid: str | int, path: str) -> int | None:
    """The line of "[2].name" inside answers.qid (list indices in paths are 1-based)."""
    loc: list[str | int] = ["answers", qid]
    for part in path.replace("]", "").replace("[", ".").split("."):
        if is_digits(part):
            loc.append(int(part) - 1)
        elif part:
            loc.append(part)
    return yamlio.line_of(lines, tuple(loc)) if len(loc) > 2 else None


def answers_data(form: Form, answers: Answers) -> dict[str, object]:
    """The file's `answers:` in form order: valid values, then invalid ones as written, then unknown keys."""
    out: dict[str, object] = {}
    for _, q in form.walk():
        if q.id in answers.values:
            out[q.id] = to_plain(q, answers.values[q.id])
        elif q.id in answers.invalid:
            out[q.id] = answers.invalid[q.id].raw
    out.update(answers.unknown)
    return out


def to_data(form: Form, answers: Answers) -> dict[str, object]:
    """The whole file as plain data (YAML mappings, lists and scalars), keys in the file's order."""
    data: dict[str, object] = {"zjeval": FORMAT_VERSION, "form": answers.form_ref or answers.form_id}
    data["year"] = answers.year
    if answers.carried_from is not None:
        data["carried_from"] = answers.carried_from
    if answers.unfinished is not None:  # where Ctrl-C left a list: `new` resumes on that row
        unfinished: dict[str, str | int] = {"question": answers.unfinished}
        if answers.unfinished_item is not None:
            unfinished["item"] = answers.unfinished_item
        data["unfinished"] = unfinished
    if answers.sources:  # before answers: the store writes every key it does not lay out itself here
        data["sources"] = dict(answers.sources)
    data["answers"] = answers_data(form, answers)
    if answers.origins:
        order = {q.id: i for i, (_, q) in enumerate(form.walk())}
        data["origins"] = dict(sorted(answers.origins.items(), key=lambda kv: order.get(kv[0], len(order))))
    if answers.overrides:
        data["overrides"] = dict(answers.overrides)
    if answers.provenance:
        order = {q.id: i for i, (_, q) in enumerate(form.walk())}
        data["provenance"] = dict(
            sorted(answers.provenance.items(), key=lambda kv: order.get(kv[0], len(order)))
        )
    return data
