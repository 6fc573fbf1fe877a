"""Every project of a year checked and scored in one go: one line each (项目, 全年预算数, 全年执行数,
执行率, 得分, 等级, open problems). A file that cannot be read is a line saying why, not the end.

Which answers name the project and give its money is the form's (`projects:`); nothing here knows
one form. Plain data out (picklable): many files are shared among worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from zjeval.answers.model import Answers
from zjeval.assess import workers
from zjeval.assess.check import Problem, is_complete
from zjeval.errors import FormError, ZjevalError
from zjeval.form.decimals import q2
from zjeval.form.models import Form, Projects

if TYPE_CHECKING:
    from zjeval.assess.scoring import Scorecard


@dataclass(frozen=True)
class ProjectResult:
    """One project's line of the year's table."""

    path: Path
    name: str = ""
    budget: Decimal | None = None  # 全年预算数 (万元)
    exec: Decimal | None = None  # 全年执行数 (万元)
    total: Decimal | None = None  # 总分, None while an indicator is 待填写
    grade: str | None = None
    problems: tuple[Problem, ...] = ()
    error: str | None = None  # the file could not be read
    error_code: int = 0
    year: int | None = None
    form_id: str = ""

    @property
    def rate(self) -> Decimal | None:
        """执行率 (%) = 全年执行数 ÷ 全年预算数, two decimals; None without a budget."""
        if self.budget is None or self.exec is None or self.budget == 0:
            return None
        return q2(self.exec / self.budget * 100)

    @property
    def complete(self) -> bool:
        return self.error is None and is_complete(list(self.problems))

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def as_dict(self) -> dict[str, object]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else format(value, "f")

        def money(value: Decimal | None) -> str | None:  # 万元, two decimals as the report prints them
            return None if value is None else format(q2(value), "f")

        return {
            "path": str(self.path),
            "name": self.name,
            "budget": money(self.budget),
            "exec": money(self.exec),
            "rate": text(self.rate),
            "total": text(self.total),
            "grade": self.grade,
            "complete": self.complete,
            "error": self.error,
            "problems": [p.as_dict() for p in self.problems],
        }


def projects_spec(form: Form, path: Path) -> Projects:
    """The form's `projects:`; a form filled once per department has none, and says so."""
    if form.projects is None:
        raise FormError(
            f"{path}: 表单 {form.id} 不是按项目填写的表单(表单中没有 projects:)",
            "项目支出绩效自评用 --form project;部门整体的报告用 zjeval check",
        )
    return form.projects


def _money(value: object) -> Decimal | None:
    return Decimal(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else None


def assess(form: Form, answers: Answers, path: Path) -> ProjectResult:
    """One project's line: its check, its score, its name and money (pure)."""
    return assess_scored(form, answers, path)[0]


def assess_scored(form: Form, answers: Answers, path: Path) -> tuple[ProjectResult, Scorecard | None]:
    """The project's line and its scorecard (scored once, for the check and for the caller)."""
    from zjeval.assess import check, scoring

    spec = projects_spec(form, path)
    card = scoring.score(form.scoring, form.questions(), answers) if form.scoring is not None else None
    problems = check.check(form, answers, card=card)
    name = answers.get(spec.name)
    scored = card if card is not None and not card.problems else None
    line = ProjectResult(
        path=path,
        name=str(name) if name else path.stem,
        budget=_money(answers.get(spec.budget)),
        exec=_money(answers.get(spec.exec)),
        total=scored.total if scored is not None else None,
        grade=scored.grade if scored is not None else None,
        problems=tuple(problems),
        year=answers.year,
        form_id=form.id,
    )
    return line, card


def assess_file(path: Path, form_name: str | None = None) -> ProjectResult:
    from zjeval.answers import store

    try:
        form, answers = store.load(path, form_name)
        return assess(form, answers, path)
    except ZjevalError as exc:
        return ProjectResult(path, name=path.stem, error=exc.message, error_code=int(exc.exit_code))


def _assess_files(paths: list[Path], form_name: str | None) -> list[ProjectResult]:
    return [assess_file(p, form_name) for p in paths]


def assess_all(paths: list[Path], form_name: str | None = None) -> list[ProjectResult]:
    """Each project on its own, in order; many are shared out among worker processes."""
    return workers.each_file(_assess_files, paths, form_name)


def exit_code(results: list[ProjectResult]) -> int:
    codes = [r.error_code for r in results if r.error is not None]
    if codes:
        return max(codes)
    return 0 if all(r.complete and r.total is not None for r in results) else 1


@dataclass(frozen=True)
class Totals:
    """The year's sums over the projects that could be read."""

    count: int
    budget: Decimal
    exec: Decimal
    by_grade: dict[str, list[ProjectResult]] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return q2(self.exec / self.budget * 100) if self.budget else None


def totals(results: list[ProjectResult]) -> Totals:
    read = [r for r in results if r.error is None]
    by_grade: dict[str, list[ProjectResult]] = {}
    for r in read:
        if r.grade is not None:
            by_grade.setdefault(r.grade, []).append(r)
    return Totals(
        count=len(read),
        budget=sum((r.budget or Decimal(0) for r in read), Decimal(0)),
        exec=sum((r.exec or Decimal(0) for r in read), Decimal(0)),
        by_grade=by_grade,
    )
