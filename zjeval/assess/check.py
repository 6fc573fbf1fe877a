"""Form + Answers -> problems: what is missing, invalid, inconsistent or badly written. Pure."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from zjeval.answers.model import Answers, applies
from zjeval.answers.values import format_money
from zjeval.errors import IncompleteError, ZjevalError
from zjeval.form import numbering
from zjeval.form.models import (
    ChangeLimitRule,
    Form,
    MemberOfRule,
    MinRatioRule,
    MustBeEmptyRule,
    NotAboveRule,
    Question,
    SumRule,
)

Severity = Literal["error", "warning"]

PLACEHOLDERS = frozenset(
    {"无", "暂无", "没有", "略", "同上", "待定", "待补充", "待填写", "xxx", "XXX", "……", "..."}
)
# A document number written with the wrong brackets: 湛财绩【2020】6号, 湛财评[2020]6号, (2019)
BAD_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,8}\s*[【\[(（［]\s*(\d{2,4})\s*[】\])）］]\s*第?\s*0*\d+\s*号")
# Characters that end the words standing before a 文号 (根据, 按照, 依据, 的, 和 …); never in a 机关代字
LEAD_END = re.compile(r"^.*[的和与及见照据于按]")
OPEN_QUESTION = re.compile(r"是否[^。;；]*[一相]致[?？。]?$|是否[^。]*[?？]")


@dataclass(frozen=True)
class Problem:
    """One finding, located by the report's own section numbering."""

    section: str
    field: str
    severity: Severity
    message: str
    qid: str | None = None
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_complete(problems: list[Problem]) -> bool:
    """Complete means no errors; warnings are shown but do not block."""
    return not any(p.severity == "error" for p in problems)


def incomplete_error(path: Path, problems: list[Problem]) -> IncompleteError:
    errors = sum(p.severity == "error" for p in problems)
    resume = f"运行 zjeval new {path.stem} 可继续填写;" if path.stem.isdigit() else ""
    return IncompleteError(
        f"{path} 还不完整:有 {errors} 处需要补全或改正,未生成报告",
        f"{resume}按上表补全后再生成,或加 --draft 生成草稿(缺项处标为【待填写】)",
    )


class _Checker:
    def __init__(self, form: Form, answers: Answers, previous: Answers | None) -> None:
        self.form = form
        self.answers = answers
        self.previous = previous
        self.questions = form.questions()
        self.sections = numbering.question_sections(form)
        self.problems: list[Problem] = []

    def add(
        self,
        qid: str | None,
        severity: Severity,
        message: str,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        q = self.questions.get(qid) if qid else None
        self.problems.append(
            Problem(
                section=self.sections.get(qid, "") if qid else "",
                field=field or (q.label if q else (qid or "")),
                severity=severity,
                message=message,
                qid=qid,
                line=self.answers.lines.get(qid) if qid else line,
            )
        )

    def label(self, qid: str) -> str:
        return self.questions[qid].label.split("(")[0].removeprefix("其中:")

    # ------------------------------------------------------------ per answer

    def answers_present(self) -> None:
        for _, q in self.form.walk():
            if not applies(q, self.answers):
                if self.answers.answered(q.id) and q.when is not None:
                    given = self.questions[q.when.field].label
                    self.add(q.id, "warning", f"按「{given}」的回答,此题不适用,它的答案不会写进报告;可以删除")
                continue
            bad = self.answers.invalid.get(q.id)
            if bad is not None:
                where = f"第 {bad.line} 行" if bad.line else ""
                self.add(q.id, "error", " ".join(p for p in (where, bad.path, bad.message) if p))
            elif q.required and not self.answers.answered(q.id):
                hint = f",例如:{q.example}" if q.example else ""
                self.add(q.id, "error", f"未填写{hint}")
            else:
                self.content(q, self.answers.get(q.id))
        for key in self.answers.unknown:
            self.add(
                None,
                "warning",
                "表单中没有这个问题,已原样保留;如是拼写错误请改正",
                field=key,
                line=self.answers.lines.get(key),
            )

    def content(self, q: Question, value: Any) -> None:
        if value is None:
            return
        texts: list[str] = []
        if q.type in ("text", "paragraphs"):
            texts = [value]
        elif q.type == "strings":
            texts = list(value)
            if q.required and all(t.strip() in PLACEHOLDERS for t in texts):
                self.add(q.id, "warning", f"只写了「{texts[0]}」;请写出具体内容")
                return
        elif q.type == "records":
            texts = [v for r in value for v in r.values() if isinstance(v, str)]
        elif q.type == "money":
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -2:
                self.add(
                    q.id, "warning", f"{format_money(value)} 万元有 {-exponent} 位小数;金额一般保留两位小数"
                )
        if q.type in ("text", "paragraphs") and q.required and value.strip() in PLACEHOLDERS:
            self.add(q.id, "warning", f"只写了「{value.strip()}」;请写出具体内容")
        for text in texts:
            if "号" in text:  # cheap guard: most texts cite no document
                for m in BAD_DOCNO.finditer(text):
                    docno = LEAD_END.sub("", m[0])
                    self.add(
                        q.id, "warning", f"文号「{docno}」写法不规范:应为 机关代字〔年份〕序号号,年份写全四位"
                    )
            if "是否" not in text:
                continue
            for sentence in re.split(r"(?<=[。！？?])", text):
                if OPEN_QUESTION.search(sentence.strip()):
                    self.add(q.id, "warning", f"「{sentence.strip()[:40]}」像是提纲中的问题,请写出明确的结论")

    # ------------------------------------------------------------ rules

    def money(self, qid: str) -> Decimal | None:
        value = self.answers.get(qid)
        return Decimal(value) if isinstance(value, (Decimal, int)) else None

    def rule_sum(self, rule: SumRule) -> None:
        total = self.money(rule.total)
        if total is None:
            return
        parts: list[tuple[str, Decimal, str]] = []
        for qid, sign in [*((q, "+") for q in rule.parts), *((q, "−") for q in rule.minus)]:
            value = self.money(qid)
            if value is None:
                if self.questions[qid].required:
                    return  # reported as missing already
                continue
            parts.append((qid, Decimal(value), sign))
        got = sum((v if sign == "+" else -v for _, v, sign in parts), Decimal(0))
        diff = total - got
        if abs(diff) > rule.tolerance:
            items = " ".join(f"{sign} {self.label(q)} {format_money(v)}" for q, v, sign in parts).lstrip("+ ")
            self.add(
                rule.total,
                rule.severity,
                f"{self.label(rule.total)} {format_money(total)} 万元不等于"
                f"{'计算结果' if rule.minus else '各项之和'} {format_money(got)} 万元"
                f"({items}),相差 {format_money(abs(diff))} 万元",
            )

    def rule_not_above(self, rule: NotAboveRule) -> None:
        value, limit = self.money(rule.value), self.money(rule.limit)
        if value is None or limit is None or value <= limit:
            return
        if rule.reason is not None and self.answers.answered(rule.reason):
            return
        unit = " 万元" if self.questions[rule.value].type == "money" else ""
        where = f",请在「{self.label(rule.reason)}」中说明原因" if rule.reason else ""
        self.add(
            rule.value,
            rule.severity,
            f"{self.label(rule.value)} {format_money(Decimal(value))}{unit}超过{self.label(rule.limit)} "
            f"{format_money(Decimal(limit))}{unit}(超出 {format_money(Decimal(value - limit))}{unit}){where}",
        )

    def rule_min_ratio(self, rule: MinRatioRule) -> None:
        num, den = self.money(rule.num), self.money(rule.den)
        if num is None or den is None or den == 0:
            return
        rate = Decimal(num) / Decimal(den) * 100
        if rate >= rule.min or (rule.reason is not None and self.answers.answered(rule.reason)):
            return
        where = f",请在「{self.label(rule.reason)}」中说明原因" if rule.reason else ""
        q = self.questions[rule.reason] if rule.reason else None
        limit = f"(不超过{q.max_chars}字)" if q is not None and q.max_chars else ""
        self.add(
            rule.num,
            rule.severity,
            f"{self.label(rule.num)}÷{self.label(rule.den)} = {rate.quantize(Decimal('0.01'))}%,"
            f"低于 {format_money(rule.min)}%{where}{limit}",
        )

    def rule_change_limit(self, rule: ChangeLimitRule, previous: Answers) -> None:
        def total(answers: Answers) -> Decimal | None:
            values = [answers.get(q) for q in rule.value]
            if any(v is None for v in values):
                return None
            return sum((Decimal(v) for v in values), Decimal(0))

        this, last = total(self.answers), total(previous)
        if this is None or last is None or last == 0 or self.answers.answered(rule.reason):
            return
        change = (this - last) / last * 100
        limit = rule.max_increase if change > 0 else rule.max_decrease
        if limit is None or abs(change) <= limit:
            return
        unit = "万元" if self.questions[rule.value[0]].type == "money" else ""
        word = "增长" if change > 0 else "下降"
        moved = abs(change).quantize(Decimal("0.01"))
        self.add(
            rule.value[0],
            rule.severity,
            f"{rule.label}由上年({previous.year}年度)的 {format_money(last)}{unit} {word}到 "
            f"{format_money(this)}{unit},{word} {moved}%,超过 {format_money(limit)}%;"
            f"请在「{self.label(rule.reason)}」中说明原因",
        )

    def scores(self) -> None:
        # the scorecard can only be wrong here through an override; without any, skip the work
        if self.form.scoring is None or not self.answers.overrides:
            return
        from zjeval.assess import scoring

        card = scoring.score(self.form.scoring, self.questions, self.answers)
        for indicator, message in card.problems:
            self.add(None, "error", message, field=f"评分表 overrides.{indicator}")

    def rule_member_of(self, rule: MemberOfRule) -> None:
        records = self.answers.get(rule.list) or []
        allowed = set(self.answers.get(rule.within) or [])
        if not allowed:
            return
        q = self.questions[rule.list]
        title = q.title_field or q.fields[0].id
        for i, record in enumerate(records, 1):
            value = record.get(rule.field)
            if value and value not in allowed:
                self.add(
                    rule.list,
                    rule.severity,
                    f"第 {i} 项 {record.get(title, '')} 的{q.field(rule.field).label}「{value}」"
                    f"不在{self.label(rule.within)}名单中,请用名单中的全称",
                )

    def run(self) -> list[Problem]:
        self.answers_present()
        for rule in self.form.rules:
            if isinstance(rule, SumRule):
                self.rule_sum(rule)
            elif isinstance(rule, NotAboveRule):
                self.rule_not_above(rule)
            elif isinstance(rule, MemberOfRule):
                self.rule_member_of(rule)
            elif isinstance(rule, MinRatioRule):
                self.rule_min_ratio(rule)
            elif isinstance(rule, MustBeEmptyRule) and self.answers.answered(rule.field):
                self.add(rule.field, rule.severity, rule.message)
            elif isinstance(rule, ChangeLimitRule) and self.previous is not None:
                self.rule_change_limit(rule, self.previous)
        self.scores()
        return self.problems


@dataclass(frozen=True)
class FileResult:
    """One file of a batch check: its problems, or why it could not be read (plain data, picklable)."""

    path: Path
    problems: tuple[Problem, ...] = ()
    error: str | None = None
    error_code: int = 0

    @property
    def complete(self) -> bool:
        return self.error is None and is_complete(list(self.problems))


PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


def check_file(path: Path, form_name: str | None = None) -> tuple[list[Problem], Answers | None]:
    """One answers file's problems, compared with last year's file beside it when there is one.

    Returns the problems and last year's answers (None when there were none to compare with).
    """
    from zjeval.answers import store

    form, answers = store.load(path, form_name)
    previous = store.previous_of(path, answers, form_name)
    return check(form, answers, previous), previous


def _check_files(paths: list[Path], form_name: str | None) -> list[FileResult]:
    results = []
    for path in paths:
        try:
            results.append(FileResult(path, tuple(check_file(path, form_name)[0])))
        except ZjevalError as exc:
            results.append(FileResult(path, error=exc.message, error_code=int(exc.exit_code)))
    return results


def check_many(paths: list[Path], form_name: str | None = None) -> list[FileResult]:
    """Check each file on its own, in order; a file that cannot be read is reported, not fatal.

    Many files are shared out among worker processes, one per core.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        return _check_files(paths, form_name)
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // workers)
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(_check_files, chunks, [form_name] * len(chunks))
        return [result for part in parts for result in part]


def batch_exit_code(results: list[FileResult]) -> int:
    codes = [r.error_code for r in results if r.error is not None]
    if codes:
        return max(codes)
    return 0 if all(r.complete for r in results) else 1


def check(form: Form, answers: Answers, previous: Answers | None = None) -> list[Problem]:
    """Every problem, in the order of the report's outline (answers first, then rules).

    With last year's answers, figures that moved more than the form allows need a reason.
    """
    order = {q.id: i for i, (_, q) in enumerate(form.walk())}
    problems = _Checker(form, answers, previous).run()
    return sorted(problems, key=lambda p: (order.get(p.qid or "", len(order)), p.severity != "error"))
