"""The PDF on a machine without the official fonts: Simplified-Chinese stand-ins, said on stderr,
never a Japanese face; and the same bytes for the same answers."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.report.render import pdf, pdf_fonts
from zjeval.report.render.docx_base import BODY_FONT, HEADING_FONTS, TITLE_FONT

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"
SOFFICE = shutil.which("soffice")
PDFFONTS = shutil.which("pdffonts")
runner = CliRunner()
NOTO = ["Noto Sans CJK SC", "Noto Serif CJK SC"]


# ------------------------------------------------------------------ which face stands in


def test_missing_official_fonts_map_to_a_chinese_serif_or_sans() -> None:
    mapping, missing = pdf_fonts.substitutes({"DejaVu Sans", *NOTO}, NOTO)
    assert missing == []
    assert mapping[BODY_FONT] == mapping[TITLE_FONT] == mapping[HEADING_FONTS[1]] == "Noto Serif CJK SC"
    assert mapping[HEADING_FONTS[0]] == "Noto Sans CJK SC"  # 黑体 is a sans


def test_an_installed_official_font_or_its_fallback_is_kept() -> None:
    mapping, _ = pdf_fonts.substitutes({BODY_FONT, "楷体", *NOTO}, NOTO)
    assert BODY_FONT not in mapping  # installed: used as it is
    assert mapping[HEADING_FONTS[1]] == "楷体"  # 楷体_GB2312 missing, its own fallback installed


def test_japanese_korean_and_traditional_faces_are_never_chosen() -> None:
    for name in (
        "Noto Sans CJK JP",
        "Noto Serif CJK KR",
        "Noto Sans CJK TC",
        "Noto Sans CJK HK",
        "Noto Sans Mono CJK SC",
    ):
        assert pdf_fonts.NOT_SIMPLIFIED.search(name), name
    assert not pdf_fonts.NOT_SIMPLIFIED.search("Noto Serif CJK SC")
    assert pdf_fonts.stand_in(True, ["WenQuanYi Zen Hei", "AR PL UMing CN"]) == "AR PL UMing CN"
    assert pdf_fonts.stand_in(False, ["AR PL UMing CN", "WenQuanYi Zen Hei"]) == "WenQuanYi Zen Hei"


def test_the_user_is_told_in_chinese() -> None:
    lines = pdf_fonts.note({BODY_FONT: "Noto Serif CJK SC"}, [])
    assert (
        lines[0].startswith("提示：本机没有以下公文字体") and f"{BODY_FONT} → Noto Serif CJK SC" in lines[0]
    )
    _, missing = pdf_fonts.substitutes(set(), [])
    assert BODY_FONT in missing and "fonts-noto-cjk" in pdf_fonts.note({}, missing)[0]
    assert pdf_fonts.note({}, []) == []


def test_fonts_are_renamed_in_every_xml_part() -> None:
    import io
    import zipfile

    from zjeval.answers import store
    from zjeval.report import build
    from zjeval.report.render import docx

    form, answers = store.load(TARGET)
    data = pdf_fonts.rename_fonts(docx.render(build.build(form, answers)), {BODY_FONT: "Noto Serif CJK SC"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert f'"{BODY_FONT}"' not in xml and '"Noto Serif CJK SC"' in xml


# ------------------------------------------------------------------ the same bytes


def test_dates_checksum_and_id_fixed_at_the_same_length() -> None:
    raw = (
        b"%PDF-1.4\n1 0 obj<</CreationDate(D:20261206185117Z')/ModDate(D:20261206185118+08'00')>>endobj\n"
        b"trailer<</ID [ <C911FB57C9968E83B852B74F4CF7AB63>\n<0A1B2C3D4E5F60718293A4B5C6D7E8F9> ]\n"
        b"/DocChecksum /F16F0F836C105B3545609C1C9EDD5B59>>\n%%EOF\n"
    )
    later = raw.replace(b"185117", b"190003").replace(b"F16F0F", b"000000").replace(b"C911FB", b"111111")
    day = dt.date(2025, 6, 30)
    fixed = pdf.reproducible(raw, day)
    assert len(fixed) == len(raw)
    assert b"D:20250630000000Z'" in fixed and b"D:20250630000000+08'00'" in fixed
    assert pdf.reproducible(later, day) == fixed  # another run, another clock: the same bytes
    assert b"C911FB57" not in fixed


def test_a_shared_collection_name_says_the_face_used() -> None:
    raw = b"/BaseFont/BAAAAA+NotoSerifCJKjp-Regular-VKana/FontName/BAAAAA+NotoSansCJKjp-Bold"
    named = pdf_fonts.face_names(raw, {BODY_FONT: "Noto Serif CJK SC"})
    assert named == raw.replace(b"CJKjp", b"CJKsc") and len(named) == len(raw)
    assert pdf_fonts.face_names(raw, {}) == raw


# ------------------------------------------------------------------ through LibreOffice


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or PDFFONTS is None, reason="LibreOffice or poppler-utils not installed")
def test_pdf_has_simplified_chinese_faces_and_the_same_bytes_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "一.pdf", tmp_path / "二.pdf"
    results = [runner.invoke(app, ["render", str(TARGET), "-o", str(out)]) for out in (first, second)]
    for result in results:
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    families, chinese = pdf_fonts.installed()
    mapping, _ = pdf_fonts.substitutes(families, chinese)
    if mapping:
        assert "提示：本机没有以下公文字体" in results[0].stderr
    listed = subprocess.run([PDFFONTS or "pdffonts", str(first)], capture_output=True, check=True).stdout
    names = [line.split()[0] for line in listed.decode("utf-8", "replace").splitlines()[2:]]
    assert names and not [n for n in names if "jp" in n.lower() or "japan" in n.lower()], names
    cjk = [n for n in names if "CJKsc" in n or any(f in n for f in pdf_fonts.OFFICIAL) or "SC" in n]
    assert cjk, names


# ------------------------------------------------------------------ page numbers (GB/T 9704 7.5)

DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
PDFTOTEXT = shutil.which("pdftotext")
MM = 72 / 25.4


def page_numbers(path: Path) -> list[tuple[bool, float, float, float]]:
    """Each page: (landscape, the number's left x / page width, its top below the text block in mm)."""
    import re

    out = subprocess.run([PDFTOTEXT or "pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True)
    result = []
    for page in out.stdout.decode("utf-8").split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page)[1])  # type: ignore[index]
        height = float(re.search(r'height="([\d.]+)"', page)[1])  # type: ignore[index]
        landscape = width > height
        block_bottom = height - (26 if landscape else 35) * MM  # the lower margin
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">—</word>', page
        )
        foot = [(float(x), float(y)) for x, y in words if float(y) > block_bottom]
        assert foot, "no page number"
        x, y = min(foot)
        result.append((landscape, x / width, (y - block_bottom) / MM, height))
    return result


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice or poppler-utils not installed")
def test_page_numbers_outer_edge_and_7mm_below_the_text_block_portrait_and_landscape(tmp_path: Path) -> None:
    out = tmp_path / "报告.pdf"
    result = runner.invoke(app, ["render", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    numbers = page_numbers(out)
    assert any(n[0] for n in numbers) and not all(n[0] for n in numbers)  # both kinds of page
    for i, (landscape, x, below, _) in enumerate(numbers, 1):
        assert 6.0 <= below <= 8.0, (i, landscape, below)
        assert (x > 0.5) if i % 2 else (x < 0.5), (i, landscape, x)  # odd at the right, even at the left


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice or poppler-utils not installed")
def test_no_group_row_alone_at_a_page_foot(tmp_path: Path) -> None:
    from zjeval.answers import store
    from zjeval.report import build

    form, answers = store.load(DEMO)
    groups = {
        row.texts[0]
        for a in build.build(form, answers).attachments
        for t in a.tables
        for row in t.rows
        if row.kind == "group"
    }
    assert "“三公”经费" in groups
    out = tmp_path / "报告.pdf"
    assert runner.invoke(app, ["render", str(DEMO), "-o", str(out)]).exit_code == 0
    text = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-layout", str(out), "-"], capture_output=True, check=True
    )
    for number, page in enumerate(text.stdout.decode("utf-8").split("\f"), 1):
        lines = [
            line.strip() for line in page.splitlines() if line.strip() and not line.strip().startswith("—")
        ]
        if lines:
            assert lines[-1] not in groups, (number, lines[-1])
