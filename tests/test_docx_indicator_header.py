"""The 自评表 in DOCX: the indicator rows are a table of their own right under the blocks above
them, on the same grid, so Word and LibreOffice repeat the indicator block's caption and column
header at the top of every page the rows run onto; read back with python-docx and (slow) as a
reader sees the pages, through LibreOffice and pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from zjeval.answers import store
from zjeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
PROJECT = ROOT / "answers" / "examples" / "2025-项目" / "物业管理从业人员培训.yaml"
runner = CliRunner()

# 37 rows, each 一级指标's weights adding up to the project framework's (产出 50, 效益 30, 满意度 10)
LONG = (
    [("产出指标", "数量指标", 2)] * 10 + [("产出指标", "质量指标", 2)] * 8 + [("产出指标", "时效指标", 2)] * 7
)
LONG += [("效益指标", "社会效益指标", 3)] * 10 + [("满意度指标", "服务对象满意度指标", 5)] * 2


def long_project(folder: Path) -> Path:
    """The demo project's answers with 37 indicator rows: a 自评表 over several pages."""
    text = PROJECT.read_text(encoding="utf-8")
    head, rest = text.split("  indicators:\n", 1)
    tail = rest[rest.index("\n  # ── ") :]
    rows = "".join(
        f"  - level1: {level1}\n    level2: {level2}\n    name: 培训课程第{i}项完成数\n    nature: ≥\n"
        f"    target: '10'\n    unit: 项\n    actual: '10'\n    weight: {weight}\n"
        for i, (level1, level2, weight) in enumerate(LONG, 1)
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PROJECT.name
    path.write_text(f"{head}  indicators:\n{rows}{tail}", encoding="utf-8")
    return path


def captions(path: Path) -> tuple[str, list[str]]:
    """The indicator block's caption and column captions, from the answers' form."""
    form, _ = store.load(path)
    (spec,) = [a for a in form.attachments if a.rows is not None]
    assert spec.rows is not None
    return spec.rows.caption, [c.caption for c in spec.rows.columns]


def W(tag: str) -> str:
    return qn(f"w:{tag}")


def header_rows(table: Any) -> int:
    """How many leading rows carry w:tblHeader (and no row after them does)."""
    marks = [tr.find(f"{W('trPr')}/{W('tblHeader')}") is not None for tr in table._tbl.tr_lst]
    count = marks.index(False) if False in marks else len(marks)
    assert not any(marks[count:])  # Word repeats only a table's leading rows
    return count


def grid(table: Any) -> list[int]:
    return [int(c.get(W("w"))) for c in table._tbl.tblGrid.findall(W("gridCol"))]


def check_pair(upper: Any, lower: Any, caption: str, columns: list[str]) -> None:
    """The two tables of one 自评表 print as one table with a repeating indicator header."""
    assert header_rows(upper) == 0
    assert header_rows(lower) == 2  # the caption row and the column header
    assert lower.rows[0].cells[0].text == caption
    header = [c.text for c in lower.rows[1].cells]
    assert [c for c in columns if c in header] == [c for c in header if c]
    assert "一级指标" in header and len(set(header)) >= 8
    assert grid(upper) == grid(lower)  # the same column grid, so the borders line up
    for t in (upper, lower):
        assert t.style is not None and t.style.name == "Table Grid"  # the same borders
        assert all(tr.find(f"{W('trPr')}/{W('cantSplit')}") is not None for tr in t._tbl.tr_lst)
    # between them one paragraph whose mark is hidden, so Word does not join the tables into one
    # (its header rows would no longer lead a table) and nothing shows between them on paper
    joint = upper._tbl.getnext()
    assert joint.tag == W("p") and joint.getnext() is lower._tbl
    assert joint.find(f"{W('pPr')}/{W('rPr')}/{W('vanish')}") is not None
    assert not "".join(t.text or "" for t in joint.iter(W("t")))


def test_target_form_docx_indicator_rows_repeat_their_header(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    result = runner.invoke(app, ["render", str(TARGET), "-o", str(path)])
    assert result.exit_code == 0, result.output
    upper, lower = Document(str(path)).tables
    check_pair(upper, lower, *captions(TARGET))
    assert upper.rows[-1].cells[0].text != ""  # the 年度总体目标 ends the upper table
    assert lower.rows[-1].cells[0].text == "评价等级"


def test_projects_docx_each_indicator_table_repeats_its_header(tmp_path: Path) -> None:
    folder = tmp_path / "2025"
    source = long_project(folder)
    out = tmp_path / "项目.docx"
    result = runner.invoke(app, ["projects", "render", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    upper, lower = Document(str(out)).tables
    check_pair(upper, lower, *captions(source))
    names = [r.cells[2].text for r in lower.rows[2:]]
    assert names[: len(LONG)] == [f"培训课程第{i}项完成数" for i in range(1, len(LONG) + 1)]


def test_labels_merge_within_a_page_and_groups_keep_together(tmp_path: Path) -> None:
    """The 25 产出指标 rows run over pages: their label merges within each page's part (so each
    page shows it), and a part's rows are kept with the next, its last row not."""
    folder = tmp_path / "2025"
    long_project(folder)
    out = tmp_path / "项目.docx"
    assert runner.invoke(app, ["projects", "render", str(folder), "-o", str(out)]).exit_code == 0
    _, lower = Document(str(out)).tables
    rows = lower._tbl.tr_lst[2 : 2 + len(LONG)]
    starts = []  # the rows where a 一级指标 cell begins (not merged into the one above)
    for i, tr in enumerate(rows):
        tc = tr.tc_lst[0]
        merge = tc.find(f"{W('tcPr')}/{W('vMerge')}")
        if merge is None or merge.get(W("val")) == "restart":
            starts.append(i)
            assert "".join(t.text or "" for t in tc.iter(W("t"))) == LONG[i][0]
    produce = [i for i in starts if LONG[i][0] == "产出指标"]
    assert len(produce) >= 2  # more than a page of 产出指标 rows: the label once on each page
    kept = [all(p.find(f"{W('pPr')}/{W('keepNext')}") is not None for p in tr.iter(W("p"))) for tr in rows]
    for first, end in zip(starts, [*starts[1:], len(rows)], strict=True):
        assert all(kept[first : end - 1])  # a merged label's rows stay on one page
        if end < len(rows):
            assert not kept[end - 1]  # and the page may end after them
        # (the last data rows are kept with the 总分 below them)


def test_a_line_breaks_between_whole_characters() -> None:
    from zjeval.report.render.docx_table import wrapped

    em = 240  # 小四
    assert wrapped("偏差原因分析及改进措施", int(5.5 * em)) == 3  # 5 a line, not 5.5
    assert wrapped("偏差原因分析及改进措施", 11 * em) == 1
    assert wrapped("2026年", 3 * em) == 1  # digits half an em
    assert wrapped("2026年", int(2.5 * em)) == 2
    assert wrapped("", em) == 1


def test_projects_demo_docx_every_project_has_its_pair(tmp_path: Path) -> None:
    out = tmp_path / "项目.docx"
    demo = PROJECT.parent
    result = runner.invoke(app, ["projects", "render", str(demo), "-o", str(out)])
    assert result.exit_code == 0, result.output
    tables = Document(str(out)).tables
    assert len(tables) == 2 * len(list(demo.glob("*.yaml")))
    for upper, lower in zip(tables[::2], tables[1::2], strict=True):
        check_pair(upper, lower, *captions(PROJECT))


def pages_of(pdf: Path) -> list[str]:
    """Each page's words, whitespace dropped (a narrow header cell wraps its caption)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


def printed_header(docx: Path) -> list[str]:
    """The indicator table's column header as the DOCX prints it (optional columns dropped)."""
    lower = Document(str(docx)).tables[1]
    return [c.text for c in lower.rows[1].cells]


needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext is not installed",
)


@pytest.mark.slow
@needs_office
def test_long_project_pdf_shows_the_header_on_every_page(tmp_path: Path) -> None:
    folder = tmp_path / "2025"
    source = long_project(folder)
    docx = tmp_path / "项目.docx"
    assert runner.invoke(app, ["projects", "render", str(folder), "-o", str(docx)]).exit_code == 0
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    pages = pages_of(tmp_path / "项目.pdf")
    caption, _ = captions(source)
    header = printed_header(docx)
    rows = [i for i, page in enumerate(pages) if "培训课程第" in page]
    assert len(rows) >= 3  # the indicator rows run over several pages
    assert rows[0] >= 1  # page 2 on
    for i in rows:
        page = pages[i]
        # the repeated header tops the page (the caption is a header row: once a page, first)
        assert page.startswith(caption) and page.count(caption) == 1, page[:40]
        assert all(c in page for c in header)
        # every row's 一级指标 shown on its page, not left in a merged cell on the page before
        on_page = [n for n in range(1, len(LONG) + 1) if f"培训课程第{n}项完成数" in page]
        assert all(LONG[n - 1][0] in page for n in on_page), i


@pytest.mark.slow
@needs_office
def test_target_form_pdf_shows_the_header_on_the_second_page_of_rows(tmp_path: Path) -> None:
    pdf = tmp_path / "报告.pdf"
    result = runner.invoke(app, ["render", str(TARGET), "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    docx = tmp_path / "报告.docx"
    assert runner.invoke(app, ["render", str(TARGET), "-o", str(docx)]).exit_code == 0
    pages = pages_of(pdf)
    caption, _ = captions(TARGET)
    header = printed_header(docx)
    rows = [i for i, page in enumerate(pages) if caption in page]
    assert len(rows) >= 2  # the demo's indicator rows run over two pages
    for i in rows:
        assert pages[i].startswith(caption) and pages[i].count(caption) == 1, pages[i][:40]
        assert all(c in pages[i] for c in header)
    assert "评价等级" in pages[rows[-1]] and "评价等级" not in pages[rows[0]]
