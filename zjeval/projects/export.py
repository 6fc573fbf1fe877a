"""`zjeval projects table`: a budget system's export of many projects into one answers file each.

Each project found (see split.py) goes to answers/YEAR-项目/<项目名称>.yaml: a new file holding its
name and rows, or an existing file's rows when it has none yet (or with --force). A file whose rows
are already filled is left alone and reported, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zjeval.errors import ZjevalError
from zjeval.projects import folder
from zjeval.projects.split import ProjectRows, split
from zjeval.projects.summary import projects_spec


@dataclass
class Outcome:
    project: ProjectRows
    path: Path
    status: str  # 新建 / 已读入 / 已替换 / 未改动
    existing: int = 0  # rows the file had before


def read_export(
    source: Path, year: int, directory: Path, form_name: str | None, force: bool
) -> list[Outcome]:
    from zjeval.answers import files, store
    from zjeval.form import loader

    form = loader.load(form_name or folder.PROJECT_FORM)
    spec = projects_spec(form, Path(form_name or folder.PROJECT_FORM))
    if not form.tables:
        raise ZjevalError(f"表单 {form.id} 没有可读入的表格", "在表单中写 tables:")
    table = form.tables[0]
    question = form.questions()[table.question]
    found = split(source, table, question, spec.name_columns)
    out: list[Outcome] = []
    for project in found:
        path = folder.project_path(year, project.name, directory)
        if not project.read.records:
            out.append(Outcome(project, path, "没有可读入的行"))
            continue
        if files.exists(path):
            the_form, answers = store.load(path, form_name)
            named = answers.get(projects_spec(the_form, path).name)
            if named and named != project.name:  # two names, one file name (智慧工地/二期, 智慧工地_二期)
                out.append(Outcome(project, path, f"未改动:文件名与项目「{named}」相同,请改用不同的项目名称"))
                continue
            existing = len(answers.records(table.question))
            if existing and not force:
                out.append(Outcome(project, path, "未改动", existing))
                continue
            status = "已替换" if existing else "已读入"
        else:
            the_form, answers = form, store.new_answers(form, year)
            answers.set(spec.name, project.name)
            existing, status = 0, "新建"
        answers.set(table.question, project.read.records)
        folder.make(path.parent)
        store.save(path, the_form, answers)
        out.append(Outcome(project, path, status, existing))
    return out
