"""Import limits: every file parser inside the guard; size, paragraphs, cells, pages, time and memory
bounded, each with a Chinese message naming the limit.

Regression tests for issue 22 (an XLSX with a DTD or entities crashed import and table; a sheet
claiming A1:XFD1048576 took 23 s for 37 KB; 2 million empty DOCX paragraphs took 77 s and 1.46 GB;
a 3.6 KB PDF of nested XObjects ran pdftotext to its 120 s timeout at ~1 GB; a CSV with CR line
ends or a long field was called "not a valid .xlsx file").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import hostile_files as hostile
import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.errors import ExitCode
from zjeval.importing import limits, sources

runner = CliRunner()


def import_(path: Path, tmp_path: Path) -> tuple[int, str]:
    result = runner.invoke(
        app, ["import", str(path), "--year", "2019", "--dir", str(tmp_path / "a"), "--force"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def table(path: Path, tmp_path: Path) -> tuple[int, str]:
    args = ["table", str(path), "2025", "--form", "target", "--dir", str(tmp_path / "t"), "--force"]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "make", [hostile.entity_xlsx, hostile.undefined_entity_xlsx], ids=["entity-loop", "undefined-entity"]
)
def test_an_xlsx_with_entities_is_a_chinese_error_in_import_and_table(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "表.xlsx")
    for run in (import_, table):
        code, err = run(path, tmp_path)
        assert code == ExitCode.IO, (run.__name__, err)
        assert "表.xlsx" in err and "已损坏" in err and "内部错误" not in err


def test_an_xlsx_with_an_external_dtd_is_read_without_fetching_it(tmp_path: Path) -> None:
    path = hostile.dtd_xlsx(tmp_path / "表.xlsx")
    for run in (import_, table):
        code, err = run(path, tmp_path)
        assert code in (0, ExitCode.IO), (run.__name__, err)
        assert "内部错误" not in err


def test_a_claimed_dimension_costs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet claiming A1:XFD1048576 made every row 16,384 cells wide."""
    path = hostile.dimension_xlsx(tmp_path / "表.xlsx", rows=30)
    calls: list[int] = []
    real = sources.cell_value

    def counted(value: object, number_format: str = "") -> str:
        calls.append(1)
        return real(value, number_format)

    monkeypatch.setattr(sources, "cell_value", counted)
    lines = sources.read(path)
    assert "第30行" in lines and len(calls) < 1000


def test_too_many_cells_is_refused_with_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CELLS", 100)
    path = hostile.dimension_xlsx(tmp_path / "表.xlsx", rows=200)
    for run in (import_, table):
        code, err = run(path, tmp_path)
        assert code == ExitCode.IO and "上限 100 个" in err, (run.__name__, err)


def test_a_docx_of_many_empty_paragraphs_is_refused_before_parsing(tmp_path: Path) -> None:
    path = hostile.paragraphs_docx(tmp_path / "报告.docx", limits.MAX_PARAGRAPHS + 10)
    code, err = import_(path, tmp_path)
    assert code == ExitCode.IO, err
    assert f"上限 {limits.MAX_PARAGRAPHS} 个" in err and "段落" in err


@pytest.mark.parametrize("name", ["报告.txt", "报告.docx", "表.xlsx", "报告.pdf"])
def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / name
    path.write_bytes(b"x" * 2000)
    code, err = import_(path, tmp_path)
    assert code == ExitCode.IO and "上限" in err and "MB" in err, err


def test_a_zip_that_unpacks_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 10_000)
    path = hostile.paragraphs_docx(tmp_path / "报告.docx", 5000)
    code, err = import_(path, tmp_path)
    assert code == ExitCode.IO and "解压后" in err, err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_a_pdf_of_nested_xobjects_stops_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "PDF_SECONDS", 3)
    path = hostile.nested_xobjects_pdf(tmp_path / "报告.pdf")
    code, err = import_(path, tmp_path)
    assert code == ExitCode.IO, err
    assert "上限" in err and "3 秒" in err


def test_csv_with_cr_line_ends_is_read(tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    text = (hostile.TABLES / "申报表-GBK.csv").read_bytes().decode("gb18030").replace("\r\n", "\n")
    path.write_text(text.replace("\n", "\r"), encoding="utf-8")
    code, err = table(path, tmp_path)
    assert code == 0, err


def test_csv_with_a_huge_field_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    path.write_text("一级指标,三级指标\n产出指标," + "长" * 200_000 + "\n", encoding="utf-8")
    code, err = table(path, tmp_path)
    assert code == ExitCode.BAD_ANSWERS, err
    assert "CSV" in err and "131072" in err and ".xlsx 文件" not in err


def test_an_expanded_entity_in_a_cell_is_refused_by_its_length(tmp_path: Path) -> None:
    path = hostile.entity_xlsx(tmp_path / "表.xlsx", depth=6)  # 10**5 × "lol" in one cell
    for run in (import_, table):
        code, err = run(path, tmp_path)
        assert code == ExitCode.IO and f"{limits.MAX_PARAGRAPH_CHARS} 字" in err, (run.__name__, err)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("标题\n" + "短段落。\n" * (limits.MAX_PARAGRAPHS + 1), f"{limits.MAX_PARAGRAPHS} 个"),
        ("标题\n" + ("长" * 40_000 + "\n") * 13, f"{limits.MAX_TEXT_CHARS} 字"),
    ],
)
def test_a_text_beyond_the_paragraph_or_character_limit_is_refused(
    tmp_path: Path, text: str, limit: str
) -> None:
    path = tmp_path / "报告.txt"
    path.write_text(text, encoding="utf-8")
    code, err = import_(path, tmp_path)
    assert code == ExitCode.IO and limit in err, err
