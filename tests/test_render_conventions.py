"""What a reader of any output notices (issue 21): a single attachment unnumbered, money in two
decimals, generated sentences ending with 。, a Markdown report without stray rules."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from zjeval.answers import store
from zjeval.report import build
from zjeval.report.render import docx, markdown, text

EXAMPLES = Path(__file__).resolve().parent.parent / "answers" / "examples"
SEED = EXAMPLES / "2019-湛江市科学技术局.yaml"
DEMO = EXAMPLES / "2024-示例数据.yaml"
TARGET = EXAMPLES / "2025-示例数据-目标对照.yaml"


def report_of(path: Path, draft: bool = False) -> Any:
    form, answers = store.load(path)
    return build.build(form, answers, draft=draft)


@pytest.fixture(scope="module")
def single() -> Any:
    return report_of(TARGET)


# ------------------------------------------------------------------ 附件 (GB/T 9704 7.3.4)


def test_a_single_attachment_is_not_numbered_in_any_output(single: Any) -> None:
    (a,) = single.attachments
    out = text.render(single)
    assert f"附件：{a.title}\n" in out and "附件：1．" not in out
    assert "\n附件\n" in out and "附件1" not in out
    md = markdown.render(single)
    assert "附件：" + markdown.escape(a.title) in md and "附件：1．" not in md
    assert "## 附件\n" in md and "附件1" not in md
    paragraphs = [p.text for p in Document(io.BytesIO(docx.render(single))).paragraphs]
    assert "附件：" + a.title in paragraphs and "附件" in paragraphs
    assert not any(p.startswith(("附件：1", "附件1")) for p in paragraphs)


def test_several_attachments_are_numbered() -> None:
    rep = report_of(DEMO)
    assert len(rep.attachments) == 2
    out = text.render(rep)
    assert "附件：1．" in out and "\n附件1\n" in out and "\n附件2\n" in out
    paragraphs = [p.text for p in Document(io.BytesIO(docx.render(rep))).paragraphs]
    assert "附件1" in paragraphs and "附件2" in paragraphs
    assert any(p.startswith("附件：1．") for p in paragraphs)


# ------------------------------------------------------------------ XLSX (generic sheets)


@pytest.fixture(scope="module")
def workbook() -> Any:
    import openpyxl

    from zjeval.report.render import xlsx

    return openpyxl.load_workbook(io.BytesIO(xlsx.render(report_of(DEMO))))


def test_no_number_format_that_shows_a_bare_point(workbook: Any) -> None:
    """`0.##` shows 15 as "15." in Excel and WPS; weights and plain numbers use General."""
    formats = {c.number_format for ws in workbook for row in ws.iter_rows() for c in row}
    assert not any(re.search(r"0\.#", f) for f in formats), formats
    assert "General" in formats


def test_the_data_sheet_title_breaks_between_words() -> None:
    import openpyxl

    from zjeval.report.render import xlsx

    rep = report_of(DEMO)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.render(rep)))["数据表"]
    a = next(a for a in rep.attachments if a.kind == "data_table")
    assert len(a.title_lines) == 2
    assert ws["A1"].value == "\n".join(a.title_lines) and ws["A1"].alignment.wrap_text
    assert ws.row_dimensions[1].height >= 2 * 24


# ------------------------------------------------------------------ one format per kind


MONEY = re.compile(r"(\d+(?:\.\d+)?)万元")


def test_money_has_two_decimals_in_every_output() -> None:
    rep = report_of(SEED, draft=True)
    body = [p.text for p in Document(io.BytesIO(docx.render(rep))).paragraphs]
    for out in (text.render(rep), markdown.render(rep).replace("\\.", "."), "\n".join(body)):
        assert "一般公共预算支出1198.10万元" in out  # entered as 1198.0978
        generated = out.split("我局的年初预算资金")[0]  # the seed's own prose keeps its 11700万元
        amounts = MONEY.findall(generated)
        assert amounts and all(re.fullmatch(r"\d+\.\d\d", a) for a in amounts), amounts


def test_end_sentence_closes_what_the_program_writes() -> None:
    from zjeval.report.typeset import end_sentence

    template = "{declared}。完成情况：{achieved}"
    assert end_sentence("甲。完成情况：完成计划的90%", template) == "甲。完成情况：完成计划的90%。"
    assert end_sentence("甲。完成情况：已完成。", template) == "甲。完成情况：已完成。"
    assert end_sentence("甲。完成情况：已完成（见附表。）", template) == "甲。完成情况：已完成（见附表。）"
    assert end_sentence("组长：张三（副局长）", "组长：{name}（{position}）") == "组长：张三（副局长）"


def test_generated_sentences_end_with_a_full_stop(single: Any) -> None:
    out = text.render(single)
    goals = [
        line.strip()
        for line in out.splitlines()
        if "完成情况：" in line and line.lstrip("\u3000")[:1].isdigit()
    ]
    assert len(goals) == 2 and all(g.endswith("。") for g in goals), goals


def test_deductions_in_the_narrative_have_the_tables_two_decimals() -> None:
    rep = report_of(DEMO)
    narrative = text.render(rep).split("\u3000\u3000附件：")[0]
    deductions = re.findall(r"扣(\d+(?:\.\d+)?)分", narrative)
    assert len(deductions) >= 10
    assert all(re.fullmatch(r"\d+\.\d\d", d) for d in deductions), deductions


# ------------------------------------------------------------------ Markdown


@pytest.mark.parametrize("path", [DEMO, TARGET])
def test_markdown_has_no_rule_between_the_note_and_the_signature(path: Path) -> None:
    rep = report_of(path)
    md = markdown.render(rep)
    lines = md.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("附件："))
    unit = next(i for i, line in enumerate(lines) if i > note and line.startswith(rep.signature_unit))
    assert [line for line in lines[note:unit] if re.fullmatch(r"\s*([-*_]\s*){3,}", line)] == []
    assert not any(re.fullmatch(r"([-*_]\s*){3,}", line) for line in lines)  # no thematic break at all


# ------------------------------------------------------------------ DOCX fonts (WPS: 缺失字体)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def xml_parts(data: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.mark.parametrize("path", [DEMO, TARGET, SEED])
def test_no_theme_font_anywhere_and_every_run_names_its_fonts(path: Path) -> None:
    from lxml import etree  # type: ignore[import-untyped]

    parts = xml_parts(docx.render(report_of(path, draft=True)))
    for name, blob in parts.items():
        text_ = blob.decode("utf-8")
        root = etree.fromstring(blob)
        for rfonts in root.iter(f"{W}rFonts"):
            assert not [a for a in rfonts.attrib if a.lower().endswith("theme")], (name, rfonts.attrib)
        # no Japanese or Korean face named, in the theme's script list or the font table
        assert "Jpan" not in text_ and "ＭＳ" not in text_ and "맑은" not in text_, name
    assert not any("stylesWithEffects" in n for n in parts)
    theme = next(blob for n, blob in parts.items() if n.startswith("word/theme/"))
    assert "仿宋_GB2312" in theme.decode("utf-8") and "黑体" in theme.decode("utf-8")
    runs = 0
    for name in (n for n in parts if re.fullmatch(r"word/(document|footer\d+)\.xml", n)):
        for run in etree.fromstring(parts[name]).iter(f"{W}r"):
            runs += 1
            rpr = run.find(f"{W}rPr")
            assert rpr is not None, name
            fonts = rpr.find(f"{W}rFonts")
            assert fonts is not None and all(fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia")), (
                name
            )
            lang = rpr.find(f"{W}lang")
            assert lang is not None and lang.get(f"{W}eastAsia") == "zh-CN", name
    assert runs > 100


def test_every_section_puts_its_page_number_7mm_below_its_text_block() -> None:
    from docx.shared import Mm

    from zjeval.report.render.docx_base import FOOTER_LINE

    document = Document(io.BytesIO(docx.render(report_of(DEMO))))
    assert document.settings.odd_and_even_pages_header_footer  # odd at the right, even at the left
    sections = document.sections
    assert {(s.page_width or 0) > (s.page_height or 0) for s in sections} == {True, False}
    for s in sections:
        assert s.bottom_margin is not None and s.footer_distance is not None
        below = s.bottom_margin - s.footer_distance - FOOTER_LINE
        assert abs(below - Mm(7)) < Mm(0.1), (s.orientation, below)


# ------------------------------------------------------------------ DOCX table page breaks


def test_tables_flow_in_groups_kept_together_without_hard_breaks() -> None:
    document = Document(io.BytesIO(docx.render(report_of(DEMO))))
    body = document.element.body
    assert body.find(f".//{W}pageBreakBefore") is None  # no hard break: the application breaks pages
    assert len(document.tables) == 2  # the 数据表 and the 评分表, each one table
    data = document.tables[0]
    trs = data._tbl.tr_lst
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in trs)

    def kept(tr: Any) -> bool:
        return tr.find(f"{W}tc/{W}p/{W}pPr/{W}keepNext") is not None

    def text_of(tr: Any) -> str:
        return "".join(t.text for t in tr.iter(f"{W}t"))

    assert all(kept(t._tbl.tr_lst[0]) for t in document.tables)  # a header row goes with a row
    group = next(i for i, tr in enumerate(trs) if text_of(tr) == "“三公”经费")
    end = next(i for i in range(group + 1, len(trs)) if not kept(trs[i]))
    assert end - group == 10  # the group row kept with its ten rows (nine and the 合计), the last free
    assert all(kept(trs[i]) for i in range(group, end))
    # and the group before it ends free: a group can go on to the next page whole
    assert not kept(trs[group - 1])
