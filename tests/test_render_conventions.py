"""What a reader of any output notices (issue 21): a single attachment unnumbered, money in two
decimals, generated sentences ending with 。, a Markdown report without stray rules."""

from __future__ import annotations

import io
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
