"""Make a year's project files: a new one per name, or last year's continuing projects carried over.

Carrying (`--from LAST`) follows each question's own carry rule, as `zjeval new --from` does: what
the form carries (`carry: default` — the project's name, its units, its indicator rows with their
targets) is written into this year's file, marked carried; a records answer keeps its rows but not
their cleared fields (实际完成值, 定性评价, 偏差原因: `carry: never`/`reference`); everything else
(this year's money, results, narrative) starts empty. A file that already exists is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from zjeval.answers.model import Answers
from zjeval.errors import ZjevalError
from zjeval.form.models import Form
from zjeval.projects import folder
from zjeval.projects.summary import projects_spec


@dataclass
class Made:
    made: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # already there: left as they were
    source: Path | None = None  # last year's folder, when carried
    cleared: list[str] = field(default_factory=list)  # labels of the record fields a carry leaves empty
    year: int = 0


def carried(form: Form, last: Answers, year: int) -> Answers:
    """This year's answers for a continuing project: what the form carries of last year's."""
    from zjeval.interview import carry

    spec = projects_spec(form, last.source or Path("?"))
    answers = Answers(year=year, form_id=form.id, carried_from=last.year)
    for _, q in form.walk():
        value = last.get(q.id)
        if value is None or (q.carry_policy != "default" and q.id != spec.name):
            continue
        kept = carry.carried(q, value)
        if kept is not None:
            answers.set(q.id, kept)
            answers.provenance[q.id] = "carried"
    return answers


def cleared_labels(form: Form) -> list[str]:
    """What a carry leaves empty inside the records it keeps (实际完成值 …), by the form's labels."""
    from zjeval.interview import carry

    labels = [f.label for _, q in form.walk() if q.carry_policy == "default" for f in carry.cleared_fields(q)]
    return list(dict.fromkeys(labels))


def new_projects(year: int, names: list[str], directory: Path, form_name: str | None) -> Made:
    """An answers file per name, holding only the project's name."""
    from zjeval.answers import files, store
    from zjeval.form import loader

    form = loader.load(form_name or folder.PROJECT_FORM)
    out = Made(year=year)
    for name in dict.fromkeys(n.strip() for n in names):
        spec = projects_spec(form, Path(form_name or folder.PROJECT_FORM))
        path = folder.project_path(year, name, directory)
        if files.exists(path):
            out.kept.append(path)
            continue
        answers = store.new_answers(form, year)
        answers.set(spec.name, name)
        folder.make(path.parent)
        store.save(path, form, answers)
        out.made.append(path)
    return out


def carry_projects(year: int, source: Path, names: list[str], directory: Path, form_name: str | None) -> Made:
    """Last year's projects (all, or those named) into this year's folder, carried.

    Everything is read and matched before anything is written: a wrong name writes nothing."""
    from zjeval.answers import files, store

    chosen = []
    found: set[str] = set()
    for last_path in folder.files(source):
        form, last = store.load(last_path, form_name)
        name = str(last.get(projects_spec(form, last_path).name) or last_path.stem)
        if names and name not in names and last_path.stem not in names:
            continue
        if last.year >= year:
            raise ZjevalError(
                f"{last_path} 是 {last.year} 年度的,应早于 {year} 年度",
                f"例如:zjeval projects new {year} --from {year - 1}",
            )
        found.update({name, last_path.stem})
        chosen.append((form, last, name))
    missing = [n for n in names if n not in found]
    if missing:
        raise ZjevalError(f"{source} 中没有项目 {'、'.join(missing)}", f"查看上年有哪些项目:ls {source}")
    out = Made(source=source, year=year)
    if chosen:
        out.cleared = cleared_labels(chosen[0][0])
    for form, last, name in chosen:
        path = folder.project_path(year, name, directory)
        if files.exists(path):
            out.kept.append(path)
            continue
        folder.make(path.parent)
        store.save(path, form, carried(form, last, year))
        out.made.append(path)
    return out
