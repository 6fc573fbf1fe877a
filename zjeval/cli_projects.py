"""`zjeval projects …`: a unit's projects of one year, one answers file each in answers/YEAR-项目/.

Each command parses, calls zjeval.projects and presents; the work is there, the printing in
present_projects. Only typer is imported at start-up (commands import what they use).
"""

from pathlib import Path
from typing import Annotated

import typer

from zjeval.errors import ZjevalError
from zjeval.guard import Errors
from zjeval.helptext import Command

app = typer.Typer(
    cls=Errors,
    help="项目支出绩效自评:一年的每个项目一个答案文件(answers/YEAR-项目/),一次检查、评分、生成全部项目。",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DirOption = Annotated[Path, typer.Option("--dir", "-d", help="答案文件所在目录。", show_default=True)]
FormOption = Annotated[
    str | None,
    typer.Option(
        "--form", "-f", help="表单:内置表单名称(如 project)或表单文件路径;默认用各答案文件中记录的表单。"
    ),
]
YearArg = Annotated[
    str,
    typer.Argument(
        metavar="YEAR|FOLDER",
        help="评价年度(如 2025,即 answers/2025-项目/ 中的全部项目)或项目答案文件所在的文件夹。",
        show_default=False,
    ),
]


def _files(target: str, directory: Path) -> tuple[Path, list[Path]]:
    from zjeval.projects import folder

    place = folder.resolve(target, directory)
    return place, folder.files(place)


@app.command("new", cls=Command)
def new(
    year: Annotated[str, typer.Argument(metavar="YEAR", help="评价年度,四位数字,如 2025。")],
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[项目名称]...", help="要建立的项目;与 --from 同用时只沿用这些项目。", show_default=False
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="LAST",
            help="沿用上年的项目(结转、延续项目):LAST 为上年年度(如 2024)或其项目文件夹。"
            "项目名称、指标行和年度指标值带入,实际完成值、定性评价、偏差原因和资金数不带入。",
        ),
    ] = None,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """为 YEAR 年度的项目建立答案文件(每个项目一个,在 answers/YEAR-项目/ 中);已有的文件不改动。"""
    from zjeval import present_projects
    from zjeval.projects import create, folder

    the_year = folder.year_of(year)
    if source is None and not names:
        raise ZjevalError(
            "请给出项目名称,或用 --from 沿用上年的项目",
            f"例如:zjeval projects new {the_year} 老旧小区改造项目",
        )
    if source is None:
        made = create.new_projects(the_year, names or [], directory, form)
    else:
        made = create.carry_projects(
            the_year, folder.resolve(source, directory), names or [], directory, form
        )
    present_projects.created(made)


@app.command("check", cls=Command)
def check(
    target: YearArg,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出(供其他程序读取)。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """检查并评分一年的全部项目:每个项目一行(全年预算数、全年执行数、执行率、得分、等级、待处理的问题),下面逐条列出问题。

    全部项目都已完整并已评分时退出码为 0,否则为 1;有无法读取的文件时为 3。
    """
    from zjeval import present_projects
    from zjeval.projects import summary

    place, paths = _files(target, directory)
    results = summary.assess_all(paths, form)
    present_projects.table(place, results, as_json)
    raise typer.Exit(summary.exit_code(results))


@app.command("render", cls=Command)
def render(
    target: YearArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="输出文件:.xlsx(汇总和每个项目一个工作表)或 .docx。")
    ],
    draft: Annotated[
        bool, typer.Option("--draft", help="草稿:有项目不完整也生成,缺项处标为【待填写】。")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """把一年的全部项目生成一个文件:Excel 工作簿或 Word 文档。

    Excel:汇总表,加上每个项目一个实时计算的自评表;Word:每个项目的自评表各占横排的页。
    """
    from zjeval import present
    from zjeval.answers import files
    from zjeval.projects import book
    from zjeval.report import output as output_file

    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise ZjevalError(
            f"无法生成 {output}:项目汇总只能输出 .xlsx 或 .docx", "例如:-o 2025年项目自评表.xlsx"
        )
    files.refuse_overwrite(output, force)
    _, paths = _files(target, directory)
    the_book, _ = book.build(paths, form, draft)
    if suffix == ".xlsx":
        from zjeval.report.render import xlsx_projects as renderer
    else:
        from zjeval.report.render import docx_projects as renderer  # type: ignore[no-redef]
    output_file.write(output, renderer.render(the_book), force=force)
    present.written(output)


@app.command("statement", cls=Command)
def statement(
    target: YearArg,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出各等级的项目数、资金和占比。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """决算的“预算绩效情况说明”:开展自评的项目个数和资金,按自评等级分列项目数、全年预算数及占比。"""
    from zjeval import present_projects
    from zjeval.answers import store
    from zjeval.projects import summary
    from zjeval.projects.statement import grade_lines
    from zjeval.projects.statement import statement as paragraph

    _, paths = _files(target, directory)
    results = summary.assess_all(paths, form)
    broken = [r for r in results if r.error is not None]
    if broken:
        raise ZjevalError(
            f"{broken[0].path}: {broken[0].error}", "先修正这个文件(zjeval projects check 年度)"
        )
    the_form, answers = store.load(paths[0], form)
    spec = summary.projects_spec(the_form, paths[0])
    if the_form.scoring is None:
        raise ZjevalError(
            f"表单 {the_form.id} 没有评分表,无法按自评等级分列", "在表单中用 framework: 指定评分框架"
        )
    grades = [g.name for g in sorted(the_form.scoring.grades, key=lambda g: g.min, reverse=True)]
    lines = grade_lines(results, grades)
    text = paragraph(results, grades, spec.statement, answers.year)
    present_projects.statement(text, lines, results, as_json)


@app.command("table", cls=Command)
def table(
    source: Annotated[
        Path, typer.Argument(metavar="FILE", help="预算系统导出的多个项目的表格:.xlsx 或 .csv。")
    ],
    year: Annotated[str, typer.Argument(metavar="YEAR", help="评价年度,如 2025(写入 answers/2025-项目/)。")],
    force: Annotated[bool, typer.Option("--force", help="项目的答案文件中已有指标行时替换。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """把预算系统导出的多个项目的绩效目标表读成每个项目一个答案文件。

    认得两种导出:一个工作表中有“项目名称”列(按它分组,合并的单元格向下填充),或每个项目一个工作表
    (项目名称取表头上方的“项目名称:…”,没有时取工作表名)。已填有指标行的项目不改动,除非加 --force。
    """
    from zjeval import present_projects
    from zjeval.projects import export, folder

    outcomes = export.read_export(source, folder.year_of(year), directory, form, force)
    present_projects.exported(source, outcomes)


def table_of_projects(source: Path, target: str, force: bool, form: str | None, directory: Path) -> bool:
    """`zjeval table FILE YEAR --form F` with a form filled once per project: `projects table`.

    Returns whether it was (else the single answers file's table reading goes on)."""
    if not target.isdigit() or form is None:
        return False
    from zjeval.form import loader

    if loader.load(form).projects is None:
        return False
    table(source, target, force, form, directory)
    return True
