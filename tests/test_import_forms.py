"""Import knowledge lives in the form (issue 9): no form id in code, any form imports, renames are caught."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app
from zjeval.errors import FormError
from zjeval.form import loader
from zjeval.form.models import Form, Section
from zjeval.importing import mapping, sources

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini_form.yaml"
YUNNAN_FORM = FIXTURES / "yunnan_form.yaml"
YUNNAN_PAGE = FIXTURES / "import" / "regions" / "yunnan-xundian-2021.txt"
SEED_PAGE = FIXTURES / "import" / "seed-zhanjiang-2019.txt"
runner = CliRunner()

# Words that are ids in forms/zhanjiang.yaml but also part of the schema or of zjeval's own
# output, so code may name them without knowing anything about a form:
SCHEMA_WORDS = {
    "score": "the total score a template prints ({score}) and a JSON key of `score --json`",
    "judgments": "the value of a section's `generated: judgments` (schema)",
    "data": "a report table row's kind (data | group | subtotal | total)",
    "problems": "a JSON key of `check --json` output",
    "indicators": "the Framework model's field and a JSON key of `score --json` output",
    "funds": "a 自评表 attachment's key and the kind of its block (form/table_layout.py, schema)",
}


def _sections(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out += [s, *_sections(s.sections)]
    return out


def form_ids(form: Form) -> set[str]:
    return set(form.questions()) | {s.id for s in _sections(form.sections)}


def string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_question_or_section_id_of_a_built_in_form_in_code() -> None:
    ids = set().union(*(form_ids(loader.load(name)) for name in loader.builtin_forms()))
    assert {"notice_no", "departments", "team", "unclassified", "spending"} <= ids  # not vacuous
    found = []
    for path in sorted((ROOT / "zjeval").rglob("*.py")):
        strict = "importing" in path.parts  # import code may not even use the schema words
        for line, value in string_literals(path):
            if value in ids and (strict or value not in SCHEMA_WORDS):
                found.append(f"{path.relative_to(ROOT)}:{line} {value!r}")
    assert found == []


def test_the_literal_scan_finds_a_literal(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('X = {"notice_no": 1}\n', encoding="utf-8")
    assert (1, "notice_no") in string_literals(probe)


# ---------------------------------------------------------------- forms without import knowledge


def test_mini_form_import_stops_with_a_chinese_message(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", str(SEED_PAGE), "--form", str(MINI), "-o", str(tmp_path / "out.yaml")]
    )
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "未归类" in result.output and "import: unplaced" in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_mini_form_with_only_an_unplaced_question_keeps_everything(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        "    blocks:\n      - field: problems",
        "      - {id: notes, label: 备注, type: paragraphs, required: false}\n"
        "    blocks:\n      - field: problems\n",
    )
    path = tmp_path / "mini.yaml"
    path.write_text(text + "\nimport:\n  unplaced: notes\n", encoding="utf-8")
    form = loader.load(str(path))
    result = mapping.import_paragraphs(form, sources.read(SEED_PAGE))
    a = result.answers
    assert a.year == 2019  # from the title
    assert a.get("unit_name") == "湛江市科学技术局"  # the title's short name, completed from the text
    assert "湛江湾实验室" in a.text("notes") and len(result.leftovers) > 20


# ---------------------------------------------------------------- a second outline


def test_yunnan_form_imports_a_yunnan_page(tmp_path: Path) -> None:
    out = tmp_path / "2021.yaml"
    result = runner.invoke(app, ["import", str(YUNNAN_PAGE), "--form", str(YUNNAN_FORM), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    form = loader.load(str(YUNNAN_FORM))
    imported = mapping.import_paragraphs(form, sources.read(YUNNAN_PAGE))
    a = imported.answers
    assert (a.year, a.get("unit_name")) == (2021, "寻甸回族彝族自治县档案馆")
    assert str(a.get("revenue")) == "487.24" and a.get("staff_posts") == 12 and a.get("staff_actual") == 11
    assert "收入总计487.24万元" in a.sources["revenue"]
    assert len(a.strings("target_list")) == 3 and len(a.strings("measure_list")) == 3
    assert a.text("verdict_text").startswith("经综合评价")
    # the table of contents is dropped, not read as headings or text
    assert not any("……" in x for x in imported.leftovers)
    assert out.exists()


# ---------------------------------------------------------------- renames


def _copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "renamed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_renaming_a_question_everywhere_keeps_import_working(tmp_path: Path) -> None:
    text = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    renamed = re.sub(r"\bdepartments\b", "dept_names", text)
    form = loader.load(str(_copy(tmp_path, renamed)))
    result = mapping.import_paragraphs(form, sources.read(SEED_PAGE))
    assert len(result.answers.strings("dept_names")) == 8


def test_renaming_a_question_but_not_its_import_entry_fails_at_load(tmp_path: Path) -> None:
    text = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("\nimport:")
    renamed = re.sub(r"\bteam\b(?=[,}\s])", "members", head) + "\nimport:" + tail
    path = _copy(tmp_path, renamed)
    with pytest.raises(FormError) as exc:
        loader.load(str(path))
    line = next(n for n, x in enumerate(renamed.splitlines(), 1) if "kind: team_members" in x)
    assert any(f"{path}:{line}" in x and "不存在的问题 team" in x for x in exc.value.lines), exc.value.lines


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            "    imported: {headings: [未能归类]}",
            "    nowhere: {headings: [未能归类]}",
            "不存在的章节 nowhere",
        ),
        (
            "fill: [{kind: list_items, field: problems}]",
            "fill: [{kind: list_items, field: goals}]",
            "strings",
        ),
        ("headings: [绩效目标]", "headings: ['绩效(目标']", "正则表达式"),
        ("{kind: figures}\n    work:", "{kind: figurez}\n    work:", "kind"),
    ],
)
def test_import_block_mistakes_name_file_and_line(tmp_path: Path, old: str, new: str, reason: str) -> None:
    text = (ROOT / "forms" / "zhanjiang.yaml").read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new)
    path = _copy(tmp_path, changed)
    with pytest.raises(FormError) as exc:
        loader.load(str(path))
    line = next(n for n, x in enumerate(changed.splitlines(), 1) if new.split("\n")[0] in x)
    assert any(f"{path}:{line}" in x and reason in x for x in exc.value.lines), exc.value.lines


def form_words(form: Form) -> set[str]:
    """Every word a form prints of its own: its name, titles, question and field labels, section
    titles and the layout of its attachments (captions, row labels, the total, grade and "—")."""
    words = {form.name, form.title, form.subject}
    for s in _sections(form.sections):
        words.add(s.title)
    for q in form.questions().values():
        words.add(q.label)
        words.update(f.label for f in q.fields)
    for a in form.attachments:
        words.add(a.title)
        words.update(h.label for h in a.header)
        if a.funds is not None:
            words.update(a.funds.columns)
            words.update(line.label for line in a.funds.lines())
            words.update(w for w in (a.funds.caption, a.funds.blank) if w)
        if a.objectives is not None:
            words.update(a.objectives.columns)
        if a.rows is not None:
            words.update(c.caption for c in a.rows.columns)
            words.update(w for w in (a.rows.caption, a.rows.total, a.rows.grade) if w)
    return words


# Words the project form prints that zjeval also has of its own, not from any form:
OWN_WORDS = {
    "得分": "a column of the 评分表 (scorecard kind) and of `zjeval score`'s table",
    "一级指标": "a column of the 评分表 (scorecard kind)",
    "二级指标": "a column of the 评分表 (scorecard kind)",
    "三级指标": "a column of the 评分表 (scorecard kind)",
    "填报日期": "a cover line import reads the year from (DOMAIN §7 form covers)",
    "项目名称": "a cover line import reads (DOMAIN §7 form covers)",
    "主管部门": "a cover line import reads (DOMAIN §7 form covers)",
    "执行率": "a column of `zjeval review`'s 汇总 and a word of its findings (DOMAIN §9)",
    "自评等级": "a column of `zjeval review`'s 汇总 (the grade as stated, beside 复核等级)",
    "—": "what `zjeval review` shows for a figure it does not have",
}


def test_no_word_of_the_project_form_in_code() -> None:
    """The 项目支出绩效自评表 is data only: none of its ids or printed words is a literal in zjeval/."""
    form = loader.load("project")
    words = form_words(form)
    assert {
        "年度资金总额",
        "项目名称",
        "实施单位",
        "—",
        "总分",
        "自评等级",
        "偏差原因分析及改进措施",
    } <= words
    ids = form_ids(form) - set(SCHEMA_WORDS)
    found = [
        f"{path.relative_to(ROOT)}:{line} {value!r}"
        for path in sorted((ROOT / "zjeval").rglob("*.py"))
        for line, value in string_literals(path)
        if (value in words and value not in OWN_WORDS) or value in ids
    ]
    assert found == []
