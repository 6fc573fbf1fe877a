"""Form + Answers -> problems: what is missing, invalid, inconsistent or badly written. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zjeval.answers.formatting import format_date, format_exact
from zjeval.answers.model import SUGGESTED, Answers, applies
from zjeval.answers.parsing import Value, is_digits
from zjeval.assess import workers
from zjeval.errors import IncompleteError, ZjevalError
from zjeval.form import numbering
from zjeval.form.models import Form, Question

if TYPE_CHECKING:
    from zjeval.assess.scoring import Scorecard

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding, located by the report's own section numbering."""

    section: str
    field: str
    severity: Severity
    message: str
    qid: str | None = None
    line: int | None = None
    # the sentences of an imported report that the figures in question were read from (zjeval import)
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def is_complete(problems: list[Problem]) -> bool:
    """Complete means no errors; warnings are shown but do not block."""
    return not any(p.severity == "error" for p in problems)


def incomplete_error(path: Path, problems: list[Problem]) -> IncompleteError:
    errors = sum(p.severity == "error" for p in problems)
    resume = f"运行 zjeval new {path.stem} 可继续填写;" if is_digits(path.stem) else ""
    return IncompleteError(
        f"{path} 还不完整:有 {errors} 处需要补全或改正,未生成报告",
        f"{resume}按上表补全后再生成,或加 --draft 生成草稿(缺项处标为【待填写】)",
    )


class _Checker:
    def __init__(
        self, form: Form, answers: Answers, previous: Answers | None, card: Scorecard | None = None
    ) -> None:
        self.form = form
        self.answers = answers
        self.previous = previous
        self.questions = form.questions()
        self.sections = numbering.question_sections(form)
        self.problems: list[Problem] = []
        self.year = answers.year
        self._card = card  # the scorecard, when the caller has it already; else made once when asked
        self._texts: list[tuple[Question, list[str]]] | None = None
        self._reading: list[str] = []  # the questions the rule being checked reads
        self.previous_year = previous.year if previous is not None else None

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
                sources=self.sources_of([qid] if qid else []),
            )
        )

    def sources_of(self, qids: list[str]) -> tuple[str, ...]:
        """The source sentences of these figures and of those the current rule reads, each once."""
        out: list[str] = []
        for qid in [*qids, *self._reading]:
            sentence = self.answers.sources.get(qid)
            if sentence and sentence not in out and self.answers.answered(qid):
                out.append(sentence)
        return tuple(out)

    def label(self, qid: str) -> str:
        return self.questions[qid].short_label

    # ------------------------------------------------------------ the rules' view (rules.Context)

    def value(self, qid: str) -> Value:
        return self.answers.get(qid)

    def number(self, qid: str) -> Decimal | None:
        return _number(self.answers.get(qid))

    def previous_number(self, qid: str) -> Decimal | None:
        return _number(self.previous.get(qid)) if self.previous is not None else None

    def date_text(self, value: dt.date) -> str:
        return format_date(value)

    def answered(self, qid: str) -> bool:
        return self.answers.answered(qid)

    def texts(self) -> Iterator[tuple[Question, list[str]]]:
        """The words of every answered question that applies and is valid, in form order
        (gathered once: every text rule reads them)."""
        if self._texts is None:
            self._texts = []
            for _, q in self.form.walk():
                value = self.answers.get(q.id)
                if value is None or q.id in self.answers.invalid or not applies(q, self.answers):
                    continue
                if q.type in ("text", "paragraphs"):
                    self._texts.append((q, [self.answers.text(q.id)]))
                elif q.type == "strings":
                    self._texts.append((q, list(self.answers.strings(q.id))))
                elif q.type == "records":
                    records = self.answers.records(q.id)
                    self._texts.append((q, [v for r in records for v in r.values() if isinstance(v, str)]))
        return iter(self._texts)

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
                hint = f"(表单 {self.form.id} 的示例:{q.example})" if q.example else ""
                self.add(q.id, "error", f"未填写{hint}")
            elif q.type == "money" and (money := self.answers.decimal(q.id)) is not None:
                self.decimals(q, money)
        for key in self.answers.unknown:
            self.add(
                None,
                "warning",
                "表单中没有这个问题,已原样保留;如是拼写错误请改正",
                field=key,
                line=self.answers.lines.get(key),
            )
        self.unfinished()

    def unfinished(self) -> None:
        """A list `zjeval new` was left in mid-way (Ctrl-C, a closed terminal): its items so far are
        kept, but it is not complete until finished there (or the mark is taken out of the file)."""
        q = self.questions.get(self.answers.unfinished or "")
        if q is None or not applies(q, self.answers):
            return
        item, within = self.answers.unfinished_item, self.answers.unfinished_field
        where = f"第 {item} 项" if item is not None else ""
        if item is not None and within and q.type == "records":
            where += next((f"「{f.label}」" for f in q.fields if f.id == within), "")
        self.add(
            q.id,
            "error",
            f"{where}没有填完(zjeval new 在这里中断,已填的内容都已保存):再次运行 zjeval new {self.year}"
            "(参数与上次相同)并选「从第一个未答的问题继续」,从中断处接着填写;"
            "已经填完的,删去答案文件开头 unfinished 的几行",
        )

    def unconfirmed(self) -> None:
        """Figures worked out from last year's (a question's carry_calc, `projects new --from`) and
        not yet confirmed: where each came from, and how to confirm it."""
        for qid, how in self.answers.provenance.items():
            if how != SUGGESTED or qid not in self.questions or qid not in self.answers.values:
                continue
            origin = self.answers.origins.get(qid, {}).get("from")
            self.add(
                qid,
                "warning",
                "由上年数字推算的建议值,尚待确认"
                + (f"({origin})" if origin else "")
                + ";在访谈中确认,或核对后把答案文件 provenance 中此项的 suggested 改为 carried",
            )

    def decimals(self, q: Question, value: Decimal) -> None:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            self.add(q.id, "warning", f"{format_exact(value)} 万元有 {-exponent} 位小数;金额一般保留两位小数")

    def scorecard(self) -> Scorecard | None:
        """The scorecard for these answers (computed once, when a rule or an override needs it)."""
        if self.form.scoring is None:
            return None
        if self._card is None:
            from zjeval.assess import scoring

            self._card = scoring.score(self.form.scoring, self.questions, self.answers)
        return self._card

    def scores(self) -> None:
        # the scorecard can only be wrong through an override or the unit's own rows; else skip the work
        scoring_ = self.form.scoring
        if scoring_ is None or not (self.answers.overrides or scoring_.rows is not None):
            return
        rows = scoring_.rows.question if scoring_.rows is not None else None
        if rows is None and self._card is None:  # only overrides: judged without scoring
            from zjeval.assess import overrides

            found = overrides.problems(scoring_.indicators, self.answers.overrides)
        else:
            card = self.scorecard()
            assert card is not None  # the form has a 评分表
            found = list(card.problems)
        for indicator, message in found:
            if indicator in self.answers.overrides or rows is None:
                self.add(None, "error", message, field=f"评分表 overrides.{indicator}")
            else:
                self.add(rows, "error", message)

    def run(self) -> list[Problem]:
        self.answers_present()
        for rule in self.form.rules:
            self._reading = [qid for _, qid, _ in rule.reads()]
            rule.check(self)
        self._reading = []
        self.scores()
        from zjeval.assess import row_sense

        row_sense.check(self)
        self.unconfirmed()
        return self.problems


def _number(value: object) -> Decimal | None:
    return Decimal(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else None


def reasons_needed(form: Form, answers: Answers, previous: Answers | None = None) -> set[str]:
    """The reason questions whose rule the answers currently break (e.g. 执行率 below 90%):
    the interview asks a rule's reason only then."""
    checker = _Checker(form, answers, previous)
    return {r.reason_id for r in form.rules if r.reason_id is not None and r.violated(checker)}


def reason_questions(form: Form) -> set[str]:
    """Every question that some rule names as its reason."""
    return {r.reason_id for r in form.rules if r.reason_id is not None}


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
    """Check each file on its own, in order (many in worker processes); a file that cannot be read
    is reported, not fatal."""
    return workers.each_file(_check_files, paths, form_name)


def batch_exit_code(results: list[FileResult]) -> int:
    codes = [r.error_code for r in results if r.error is not None]
    if codes:
        return max(codes)
    return 0 if all(r.complete for r in results) else 1


def check(
    form: Form, answers: Answers, previous: Answers | None = None, card: Scorecard | None = None
) -> list[Problem]:
    """Every problem, in the order of the report's outline (answers first, then rules).

    With last year's answers, figures that moved more than the form allows need a reason.
    `card`: the scorecard of these answers when the caller has it already (a batch of projects).
    """
    order = {q.id: i for i, (_, q) in enumerate(form.walk())}
    checker = _Checker(form, answers, previous, card)
    problems = checker.run()
    problems.sort(key=lambda p: (order.get(p.qid or "", len(order)), p.severity != "error"))
    return doubtful(checker) + problems


def doubtful(checker: _Checker) -> list[Problem]:
    """What `zjeval import` read but doubted (a name that may not be the unit's, a regulation
    taken as the notice, the page's publish date as 成文日期 …): first, so it is checked first."""
    sections, questions, answers = checker.sections, checker.questions, checker.answers
    return [
        Problem(
            section=sections.get(qid, ""),
            field=questions[qid].label if qid in questions else qid,
            severity="warning",
            message=f"导入存疑:{why};核对原文后,删除答案文件 origins 中此项的 doubt",
            qid=qid,
            line=answers.lines.get(qid),
            sources=(answers.sources[qid],) if qid in answers.sources else (),
        )
        for qid, why in answers.doubts.items()
    ]
