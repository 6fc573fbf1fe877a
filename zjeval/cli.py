"""The command line: parse, call the core, present the result, map errors to exit codes."""

import gc
import sys
from pathlib import Path
from typing import Annotated

import typer

from zjeval import __version__, cli_projects, guard
from zjeval.errors import EXIT_CODES_HELP, ExitCode, ZjevalError
from zjeval.guard import Errors
from zjeval.helptext import Command

app = typer.Typer(
    name="zjeval",
    cls=Errors,
    help="部门整体支出绩效自评报告:访谈式填写(new)、检查(check)、评分(score)、生成报告(render)。",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # answers can be personal
    rich_markup_mode=None,
)

app.add_typer(cli_projects.app, name="projects")

DirOption = Annotated[Path, typer.Option("--dir", "-d", help="答案文件所在目录。", show_default=True)]
FormOption = Annotated[
    str | None,
    typer.Option(
        "--form", "-f", help="表单:内置表单名称(如 zhanjiang)或表单文件路径;默认用答案文件中记录的表单。"
    ),
]
TargetArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[YEAR|FILE]",
        help="评价年度(如 2019,即 answers/2019.yaml)或答案文件路径;省略时取目录中最新的年度。",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zjeval {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈(排查问题用)。")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    """部门整体支出绩效自评报告:访谈式填写(new)、检查(check)、评分(score)、生成报告(render)。"""
    guard.state["debug"] = debug


@app.command(cls=Command)
def new(
    year: Annotated[str, typer.Argument(metavar="YEAR", help="评价年度,四位数字,如 2019。")],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="LAST",
            help="以上年的答案为基础:单位名称、内设机构、主要职责、评价小组等作为默认值供确认或修改,"
            "上年的数字显示在提示旁供参考。LAST 为年度(如 2019)或答案文件路径。",
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            "-p",
            metavar="NAME",
            help="填写一个项目的项目支出绩效自评表(answers/YEAR-项目/NAME.yaml,默认表单 project)。",
        ),
    ] = None,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """访谈式填写 YEAR 年度的自评报告;每答一题即保存,中断后再次运行即从未答处继续。"""
    from zjeval.interview import session

    long_running()
    raise typer.Exit(session.run(year, form_name=form, directory=directory, source=source, project=project))


@app.command(cls=Command)
def check(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[YEAR|FILE|GLOB]...",
            help="评价年度(如 2019)、答案文件,或通配符(如 'answers/*.yaml');可以给多个。"
            "省略时取目录中最新的年度。",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出检查结果(供其他程序读取)。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """检查答案文件:列出缺项、无效的值和不符合规则之处。全部通过时退出码为 0,否则为 1。

    同一目录中有上年的答案文件(YEAR-1.yaml,或 new --from 记录的年度)时,还检查与上年相比变化过大的数字。
    给出多个文件(或通配符)时,逐个检查并汇总:有无法读取的文件时退出码为 3。
    """
    from zjeval import present
    from zjeval.answers import paths
    from zjeval.assess import check as checker

    found = paths.expand(targets or [], directory)
    if len(found) > 1:
        long_running()
        results = checker.check_many(found, form)
        present.batch(results, as_json)
        raise typer.Exit(checker.batch_exit_code(results))
    path = found[0] if found else paths.latest(directory)
    problems, previous = checker.check_file(path, form)
    if as_json:
        present.problems_json(problems)
    else:
        present.problems_table(path, problems, compared_with=previous.source if previous else None)
    raise typer.Exit(ExitCode.OK if checker.is_complete(problems) else ExitCode.INCOMPLETE)


@app.command(cls=Command)
def score(
    target: TargetArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出评分表(供其他程序读取)。")] = False,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="按评分框架中的另一种评分办法(profiles 中的名称)计算,如 sichuan。"),
    ] = None,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """按数据表和评分框架计算评分表:各指标的指标值、得分和扣分原因,一级指标小计、总分和等级。

    全部指标都已计分时退出码为 0;还有待填写的指标时为 1。
    """
    from zjeval import present
    from zjeval.answers import store
    from zjeval.assess import scoring

    path, the_form, answers = store.open_target(target, directory, form)
    if the_form.scoring is None:
        raise ZjevalError(f"表单 {the_form.id} 没有评分表", "在表单文件中用 framework: 指定评分框架")
    framework = the_form.scoring if profile is None else the_form.scoring.switched(profile)
    card = scoring.score(framework, the_form.questions(), answers)
    if as_json:
        present.scorecard_json(card)
    else:
        present.scorecard_table(card, f"{path} 的评分表({framework.name})")
    raise typer.Exit(ExitCode.OK if card.total is not None and not card.problems else ExitCode.INCOMPLETE)


@app.command("import", cls=Command)
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE|FOLDER",
            help="旧报告:.txt、.md、.docx、.doc、.wps、.xlsx、.xls、.ods 或有文字层的 .pdf;"
            "也可以是一个文件夹(其中每份报告各导入为一个答案文件)。",
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year", "-y", help="评价年度,如 2019;省略时从报告的标题、封面、导语、表格或落款中读出。"
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="答案文件;省略时为 answers/YEAR.yaml。导入文件夹时为输出目录。"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="答案文件已存在时覆盖。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """把已发布的旧报告(网页文本、Markdown、Word、WPS、Excel 或 PDF)整理成答案文件。

    单位全称和评价年度从标题、封面、表格、导语、落款中读出;未指定 --form 时按报告的内容选用最合适的内置表单
    (有自评表的选目标对照式)。按标题找到提纲的各部分,提取文号、金额、名单和列表,自评表、数据表、评分表
    读回相应的问题;找不到归属的段落放进“未归类”一项,一段不丢。每项回答记下取自哪里、是否存疑。
    给出文件夹时,逐份导入(每份一个答案文件,以报告的文件名命名)并列出汇总表。
    """
    from zjeval import present_import
    from zjeval.answers import files, paths, store
    from zjeval.answers.model import check_year
    from zjeval.assess import check as checker
    from zjeval.importing import run

    long_running()
    the_year = check_year(year, "--year:") if year is not None else None
    if source.is_dir():
        _import_folder(source, output or directory, the_year, form, force)
        return
    the_form, result = run.report(source, the_year, form)
    target = output or paths.year_path(result.answers.year, directory)
    files.refuse_overwrite(target, force)
    store.save(target, the_form, result.answers)
    problems = checker.check(the_form, result.answers)
    present_import.imported(source, target, result, problems)


def _import_folder(folder: Path, out_dir: Path, year: int | None, form: str | None, force: bool) -> None:
    """Every report of a folder, one answers file each; a report that fails is named with why, and
    the others go on. Exit 1 when any failed."""
    from zjeval import present_import
    from zjeval.answers import files, store
    from zjeval.importing import run

    outcomes: list[run.Outcome] = []
    taken: set[Path] = set()
    for source in run.folder_files(folder):
        target = run.target_for(source, out_dir, taken)
        try:
            files.refuse_overwrite(target, force)
            the_form, result = run.report(source, year, form)
            store.save(target, the_form, result.answers)
        except ZjevalError as exc:
            outcomes.append(run.Outcome(source, error=exc.message))
            continue
        answers = result.answers
        outcomes.append(
            run.Outcome(
                source,
                target,
                the_form.id,
                str(answers.get(the_form.signature.unit) or ""),
                answers.year,
                len(answers.values),
                len(answers.doubts),
                len(result.leftovers),
            )
        )
    present_import.folder_summary(folder, outcomes)
    if any(o.error for o in outcomes):
        raise typer.Exit(ExitCode.INCOMPLETE)


@app.command(cls=Command)
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="上年:年度(如 2019)或答案文件路径。")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="本年:年度(如 2020)或答案文件路径。")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出变化(供其他程序读取)。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """比较两个年度的回答:按章节列出变化;数字给出增减额和增减幅度(上年为0时为"新增")。"""
    from zjeval import present
    from zjeval.answers import store
    from zjeval.assess import diff as differ

    old_path, the_form, old_answers = store.open_target(old, directory, form)
    new_path, new_form, new_answers = store.open_target(new, directory, form)
    if new_form.id != the_form.id:
        raise ZjevalError(
            f"{old_path} 与 {new_path} 用的表单不同({the_form.id} / {new_form.id}),无法逐项比较",
            "diff 按题目逐项比较,两种表单的题目不同:请给出同一表单的两个年度(答案文件开头的 form: 一行)",
        )
    changes = differ.compare(the_form, old_answers, new_answers)
    if as_json:
        present.changes_json(changes)
    else:
        present.changes_table(str(old_path), str(new_path), changes)


@app.command(cls=Command)
def render(
    target: TargetArg = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件;省略或为 - 时输出到屏幕(标准输出)。")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option(
            "--format",
            "-t",
            help="输出格式:text(纯文本)、md(Markdown)、docx(Word)、xlsx(Excel)、pdf(经 LibreOffice 转换);"
            "省略时按 -o 的扩展名判断,默认 text。",
        )
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="草稿:报告不完整也生成,缺项处标为【待填写】。")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖。")] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """按正式提纲生成自评报告。报告不完整时拒绝生成并列出缺项,除非使用 --draft。"""
    from zjeval import present, ui
    from zjeval.answers import files, store
    from zjeval.assess import check as checker
    from zjeval.report import output as outputs
    from zjeval.report import render as renderers

    to_stdout = output is None or files.is_stdout(output)
    renderer = renderers.pick(fmt, output if output is None or to_stdout else _checked_output(output))
    if output is not None and not to_stdout:
        files.refuse_overwrite(output, force)  # before the work, not after it
    path, the_form, answers = store.open_target(target, directory, form)
    problems = checker.check(the_form, answers)
    if not draft and not checker.is_complete(problems):
        present.problems_table(path, problems, to_stderr=True)
        raise checker.incomplete_error(path, problems)
    data = outputs.document(renderer, the_form, answers, draft=draft)
    if output is None or to_stdout:
        if isinstance(data, bytes) and ui.is_terminal(sys.stdout):
            raise ZjevalError("Word/Excel 文件不能显示在终端上", "请重定向到文件,例如:-o - > 报告.docx")
        present.emit(data)
    else:
        outputs.write(output, data, force=force)
        present.written(output)


def _checked_output(output: Path) -> Path:
    """`-o .docx` is a file with no name (and so no extension): say so rather than write text."""
    if output.suffix == "" and output.name.startswith(".") and "." not in output.name[1:]:
        raise ZjevalError(
            f"输出文件名 {output} 只有扩展名,没有文件名", f"例如:-o 报告{output.name}(或用 -t 指定格式)"
        )
    return output


@app.command("table", cls=Command)
def table(
    source: Annotated[
        Path, typer.Argument(metavar="FILE", help="预算系统导出的表格:.xlsx、.xls、.ods 或 .csv。")
    ],
    target: Annotated[
        str,
        typer.Argument(
            metavar="YEAR|ANSWERS", help="读入哪个年度(如 2025,即 answers/2025.yaml)或哪个答案文件。"
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="答案中已填了实际完成值等的行不在表格中时,仍然删除它们。")
    ] = False,
    form: FormOption = None,
    directory: DirOption = Path("answers"),
) -> None:
    """把预算系统导出的表格(如绩效目标申报表)按表头读入答案文件的指标行。

    表头的常见写法都能识别(如 年度指标值/指标值/目标值);合并的一级、二级指标单元格会向下填充;
    合计行和无法识别的行会跳过并说明原因。答案文件不存在时新建(用 --form 指定表单,如 target)。
    按项目填写的表单(如 --form project)读入导出表中的每个项目,各成一个答案文件(同 zjeval projects table)。
    已有指标行时按三级指标合并:同名的行保留已填的实际完成值、定性评价和偏差原因,并列出保留、新增、删除了哪些行。
    """
    from zjeval import present_import
    from zjeval.answers import paths, store
    from zjeval.answers.model import check_year
    from zjeval.answers.parsing import is_digits
    from zjeval.importing import table_merge
    from zjeval.importing.table import read_table

    if cli_projects.table_of_projects(source, target, force, form, directory):
        return  # a form filled once per project: one answers file per project in the export
    if is_digits(target):
        path = paths.year_path(check_year(target, "参数 YEAR:"), directory)
        the_form, answers = store.open_or_create(path, int(target), form)
    else:
        path = paths.resolve(target, directory)
        the_form, answers = store.load(path, form)
    if not the_form.tables:
        raise ZjevalError(
            f"表单 {the_form.id} 没有可读入的表格",
            "用 --form target 选用目标对照式表单,或在表单中写 tables:",
        )
    spec = the_form.tables[0]
    question = the_form.questions()[spec.question]
    read = read_table(source, spec, question)
    if not read.records:
        skipped = ";".join(f"第 {n} 行{why}" for n, why in read.skipped[:5])
        raise ZjevalError(
            f"{source} 中没有可读入的指标行" + (f"(跳过:{skipped})" if skipped else ""), "请检查表格内容"
        )
    merged = table_merge.merge(question, list(answers.records(spec.question)), read.records)
    if not merged.safe and not force:
        raise ZjevalError(
            f"{path} 中这些行已填了{'、'.join(f.label for f in table_merge.results(question))},"
            f"但表格中没有:{'、'.join(merged.losing)}",
            "这些行会被删除;确实要删除时加 --force,否则先把它们加到表格中",
        )
    answers.set(spec.question, merged.records)
    store.save(path, the_form, answers)
    present_import.table_read(source, path, read, merged, the_form)


forms_app = typer.Typer(cls=Errors, rich_markup_mode=None, no_args_is_help=False)
app.add_typer(forms_app, name="forms")


@forms_app.callback(invoke_without_command=True)
def forms_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出(供其他程序读取)。")] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="输出表单文件的 JSON Schema(供编辑器补全和校验表单文件)。")
    ] = False,
) -> None:
    """列出内置表单:ID、名称、评分表和适用地区;forms check 文件 检查自己写的表单。

    其他命令用 --form ID 选用内置表单,也可用 --form 路径 使用自己的表单文件。
    """
    if ctx.invoked_subcommand is not None:
        return
    if schema:
        import json

        from zjeval.form import include
        from zjeval.form.models import Form

        schema_of = include.schema(Form.model_json_schema(by_alias=True))
        typer.echo(json.dumps(schema_of, ensure_ascii=False, indent=2))
        return
    from zjeval import present_import
    from zjeval.form import loader

    present_import.forms_list(loader.catalog(), as_json)


@app.command(cls=Command)
def review(
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="报送材料:目录(其中所有答案文件和报告)、文件或通配符;"
            "报告可为 .docx、.xlsx、.pdf、.txt、.md。",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="复核结果工作簿(.xlsx);省略时为 复核.xlsx(加 --json 时不写)。"),
    ] = None,
    profile: Annotated[
        str,
        typer.Option("--profile", "-p", help="复核规则:内置名称(如 default)或规则文件路径(.yaml)。"),
    ] = "default",
    as_json: Annotated[
        bool, typer.Option("--json", help="以 JSON 输出问题清单和汇总(供其他程序读取)。")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖。")] = False,
) -> None:
    """复核一批单位的自评材料:写出问题清单(P0/P1/P2)和汇总(自评得分、复核得分、偏离度、执行率)。

    无法读取的文件记为 P0 问题,不中断复核。有 P0 问题时退出码为 1,否则为 0。
    """
    from zjeval.review import batch, present, run
    from zjeval.review import profile as profiles

    the_profile = profiles.load(profile)
    paths = batch.expand(targets)
    target = output if output is not None or as_json else Path("复核.xlsx")
    if target is not None:
        from zjeval.answers.files import refuse_overwrite

        refuse_overwrite(target, force)
    long_running()
    result = run.review(batch.load(paths, present.progress(len(paths))), the_profile)
    if target is not None:
        from zjeval.report import output as outputs
        from zjeval.review import workbook  # openpyxl, only when a workbook is written

        outputs.write(target, workbook.workbook(result), force)
    if as_json:
        present.as_json(result)
    else:
        present.summary(result, target)
    raise typer.Exit(ExitCode.INCOMPLETE if result.count("P0") else ExitCode.OK)


@forms_app.command("check", cls=Command)
def forms_check(
    file: Annotated[str, typer.Argument(metavar="FILE", help="表单文件的路径,或内置表单的 ID。")],
) -> None:
    """检查一个表单文件及其评分表:一次列出全部问题,各在自己的文件和行号。

    没有问题时退出码 0;有问题时逐条列出(文件:行 位置: 原因),退出码 4。
    """
    from zjeval.form import loader

    form = loader.load(file, Path.cwd())
    scoring = form.scoring
    parts = [f"{len(form.questions())} 个问题", f"{len(form.rules)} 条规则"]
    parts.append(f"{len(form.attachments)} 个附件")
    if scoring is not None:
        parts.append(f"评分表 {scoring.name}")
    typer.echo(f"✓ {form.source}:表单 {form.id}({form.name})没有问题;" + "、".join(parts) + "。")


def long_running() -> None:
    """For a command that runs on (the interview, a batch): collect garbage again from here on.

    The objects made so far (modules, the form) live as long as the process; freezing them
    keeps the collector from scanning them over and over.
    """
    gc.freeze()
    gc.enable()


def main() -> None:
    """Console-script entry point."""
    # Start-up makes many objects that live until exit (modules, pydantic models, the form);
    # for a short command, collecting garbage among them is pure cost (about 15% of `check`).
    # Commands that run on call long_running() to turn collection back on.
    gc.disable()
    from zjeval.ui import setup_streams

    setup_streams()
    try:
        app()
    finally:
        gc.freeze()  # nothing left to collect at exit that the OS will not reclaim anyway
