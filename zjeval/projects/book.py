"""A year's projects as one book (a 汇总 and each project's 自评表), for one workbook or one DOCX.

Every project is checked first: an incomplete one stops the book (listed with its problems)
unless it is a draft, where gaps read 【待填写】 as in a single report.
"""

from __future__ import annotations

from pathlib import Path

from zjeval.errors import IncompleteError, ZjevalError
from zjeval.form import template
from zjeval.projects.summary import ProjectResult, assess_scored, projects_spec
from zjeval.report.model import ProjectBook, ProjectTable

TABLE_KIND = "target_table"  # the attachment printed for each project: its 自评表


def _year_lookup(year: int) -> template.Lookup:
    return lambda name, _flt: str(year) if name == "year" else None


def build(paths: list[Path], form_name: str | None, draft: bool) -> tuple[ProjectBook, list[ProjectResult]]:
    """The book of these project files, and each project's line (for what to tell the user)."""
    from zjeval.answers import store
    from zjeval.report import build as report

    tables: list[ProjectTable] = []
    results: list[ProjectResult] = []
    book_title = ""
    grades: tuple[tuple[str, object], ...] = ()
    year = None
    for path in paths:
        form, answers = store.load(path, form_name)
        spec = projects_spec(form, path)
        result, card = assess_scored(form, answers, path)
        results.append(result)
        if year is None:
            year = answers.year
            book_title = template.expand(spec.book, _year_lookup(year))
        elif answers.year != year:
            raise ZjevalError(
                f"{path} 是 {answers.year} 年度的,与其他项目的 {year} 年度不同",
                "一个工作簿只放同一年度的项目",
            )
        if not draft and not result.complete:
            continue
        document = report.build(form, answers, draft=draft, card=card)
        attachment = next((a for a in document.attachments if a.kind == TABLE_KIND), None)
        if attachment is None:
            raise ZjevalError(
                f"{path}: 表单 {form.id} 没有自评表附件({TABLE_KIND})", "项目支出绩效自评用 --form project"
            )
        grades = document.grades
        tables.append(
            ProjectTable(
                result.name, document, attachment, result.budget, result.exec, result.total, result.grade
            )
        )
    incomplete = [r for r in results if not r.complete]
    if incomplete and not draft:
        names = "、".join(r.name for r in incomplete[:5]) + (
            f"等 {len(incomplete)} 个项目" if len(incomplete) > 5 else ""
        )
        raise IncompleteError(
            f"{names}还不完整,未生成",
            "运行 zjeval projects check 年度 查看各项目的问题;或加 --draft 生成草稿(缺项处标为【待填写】)",
        )
    first = tables[0].report
    book = ProjectBook(
        title=book_title,
        year=year or first.year,
        projects=tuple(tables),
        grades=grades,  # type: ignore[arg-type]
        date=max((t.report.date for t in tables if t.report.date is not None), default=None),
        draft=draft,
    )
    return book, results
