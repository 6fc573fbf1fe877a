"""The documents as LibreOffice lays them out and recalculates them (slow; skipped without it).

The DOCX is converted to PDF through the real `zjeval render -o 报告.pdf`, its text layer read
back with `pdftotext -bbox`, and every full body line and every full page measured: 28
characters a line and 22 lines a page (GB/T 9704). The XLSX is edited the way a user would
(a 数据表 figure), recalculated by LibreOffice, and read back.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from zjeval.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]
runner = CliRunner()

PT_PER_MM = 72 / 25.4
LEFT = 28 * PT_PER_MM  # the text block's left edge
PITCH = 156 * PT_PER_MM / 28  # one character of the 28-character line
LINE = 28.95
FOOTER_TOP = (297 - 35) * PT_PER_MM

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def chars(text: str) -> float:
    # “” ‘’ are set in the Chinese font (w:hint eastAsia): full width
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text if not c.isspace())


def pages(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Each page's body lines: (y, first x, height, text), footers left out."""
    out = subprocess.run([PDFTOTEXT or "pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True)
    result = []
    for page in out.stdout.decode("utf-8").split("<page ")[1:]:
        lines: dict[float, list[tuple[float, float, str]]] = {}
        for x0, y0, _x1, y1, word in WORD.findall(page):
            top = round(float(y0), 0)
            if float(y0) >= FOOTER_TOP:
                continue
            lines.setdefault(top, []).append((float(x0), float(y1) - float(y0), html.unescape(word)))
        result.append(
            [
                (y, min(w[0] for w in ws), max(w[1] for w in ws), "".join(w[2] for w in sorted(ws)))
                for y, ws in sorted(lines.items())
            ]
        )
    return result


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path_factory.mktemp("pdf") / "报告.pdf"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def body_pages(demo_pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """The report's own pages (before 附件1)."""
    out = []
    for page in pages(demo_pdf):
        if page and re.fullmatch(r"附件\d+", page[0][3]):
            break
        out.append(page)
    return out


def test_every_full_body_line_holds_28_characters(demo_pdf: Path) -> None:
    lines = [line for page in body_pages(demo_pdf) for line in page if line[2] < 24]  # 三号, not the title
    full = 0
    for (_, x, _, text), (_, next_x, _, following) in itertools.pairwise(lines):
        indent = round((x - LEFT) / PITCH * 2) / 2
        continues = abs(next_x - LEFT) < PITCH / 2  # the next line goes on at the margin
        width = indent + chars(text)
        latin = any(unicodedata.east_asian_width(c) in "NaH" for c in text)
        assert latin or width <= 28, text  # digits are a little narrower than half a character
        if continues and indent <= 2:  # a line its paragraph goes on after: full
            full += 1
            # 28; one less when a ，。 may not start the next line, two when 《（ may not end this
            # one; LibreOffice 7.4 also puts a little space where digits meet Chinese (it ignores
            # w:autoSpaceDE="0", which Word honours), which can cost a character on such a line
            # (and where Times New Roman is not installed, its stand-in DejaVu Serif has digits of
            # 0.64 of a character, not half, and LibreOffice spaces them from the Simplified-Chinese
            # stand-ins a little more: each Latin character may take 0.2 more)
            need: float = 26 if following[:1] in "（《“〔" or latin else 27
            need -= 0.2 * sum(1 for c in text if unicodedata.east_asian_width(c) in "NaH")
            word = re.match(r"[0-9A-Za-z.,%]+", following)  # a number is never split: it moves whole
            if word:
                need = min(need, 28 - math.ceil(chars(word[0])) - 1)
            assert width >= need, f"{width}: {text}"
    assert full > 60
    cjk = [
        round((x - LEFT) / PITCH * 2) / 2 + chars(t)
        for (_, x, _, t), (_, nx, _, _) in itertools.pairwise(lines)
        if abs(nx - LEFT) < PITCH / 2 and not any(unicodedata.east_asian_width(c) in "NaH" for c in t)
    ]
    exact = sum(1 for w in cjk if w == 28)
    assert len(cjk) > 15 and exact >= len(cjk) * 0.8, (exact, len(cjk))  # nearly all are exactly 28


def test_every_full_page_holds_22_lines(demo_pdf: Path) -> None:
    body = body_pages(demo_pdf)
    assert len(body) >= 5
    top = 37 * PT_PER_MM
    full = 0
    for number, (page, following) in enumerate(itertools.pairwise(body), 1):  # all but the last are full
        first, last = page[0][0], page[-1][0]
        assert abs(first - top) < LINE / 2, number  # the first line at the top margin
        lines = round((last - first) / LINE) + 1
        # a heading is kept with its text: when it would end a page it starts the next one
        heading = re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", following[0][3])
        assert lines == 22 or (heading and lines == 21), number
        full += lines == 22
    assert full >= len(body) - 2


def test_attachment_note_before_signature_in_the_pdf(demo_pdf: Path) -> None:
    texts = [line[3] for page in body_pages(demo_pdf) for line in page]
    note = next(i for i, t in enumerate(texts) if t.startswith("附件：1．"))
    unit = texts.index("示例市科学技术局（示例数据）", note)
    assert note < unit and texts[unit + 1] == "2025年6月30日"


def recalculated(path: Path, out_dir: Path) -> Any:
    subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    return openpyxl.load_workbook(out_dir / path.name, data_only=True)


def row_of(ws: Any, text: str, col: int) -> int:
    (row,) = [c.row for c in ws[openpyxl.utils.get_column_letter(col)] if c.value == text]
    return int(row)


def test_editing_a_figure_rescores_the_workbook(tmp_path: Path) -> None:
    source = tmp_path / "数据.xlsx"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(source)])
    assert result.exit_code == 0, result.output
    before = recalculated(source, tmp_path / "before")["评分表"]
    total = row_of(before, "合计", 1)
    assert Decimal(str(before[f"F{total}"].value)) == Decimal("88.05")
    assert before[f"G{total}"].value == "等级：良"

    wb = openpyxl.load_workbook(source)
    data = wb["数据表"]
    data[f"C{row_of(data, '调整后预算数', 1)}"] = 100000  # was 4480.45
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    after = recalculated(edited, tmp_path / "after")["评分表"]
    done = row_of(after, "预算完成率", 3)
    assert round(after[f"E{done}"].value, 2) == 4.17  # 4167.03 / 100000
    assert round(after[f"F{done}"].value, 2) == 0.25  # 6 × 4.17%
    assert after[f"G{done}"].value == "按4.17%×6分计"
    adjust = row_of(after, "预算调整率", 3)
    assert after[f"F{adjust}"].value == 0 and "超过10%" in after[f"G{adjust}"].value
    assert round(after[f"F{total}"].value, 2) < 80
    assert after[f"G{total}"].value == "等级：中"
    # rows that read other figures are untouched
    staff = row_of(after, "在职人员控制率", 3)
    assert after[f"F{staff}"].value == before[f"F{staff}"].value
