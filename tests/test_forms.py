"""Form definitions: the built-in form is sound; a mistake in a form file is named by file, line and path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zjeval.errors import ExitCode, FormError
from zjeval.form import loader as forms
from zjeval.form.cross_check import cross_check
from zjeval.form.models import Form, Question, Section

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_form.yaml"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


def write_form(tmp_path: Path, text: str, name: str = "form.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path.resolve()


def line_no(text: str, fragment: str) -> int:
    """1-based line of the first line containing `fragment` (exactly one such line expected)."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def load_error(path: Path) -> FormError:
    with pytest.raises(FormError) as info:
        forms.load(str(path))
    assert info.value.exit_code == ExitCode.BAD_FORM
    return info.value


def all_questions(form: Form) -> list[Question]:
    out: list[Question] = []
    for _, q in form.walk():
        out.append(q)
        out.extend(q.fields)
    return out


def all_sections(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(all_sections(s.sections))
    return out


# ---------------------------------------------------------------- the built-in form


def test_builtin_form_loads(form: Form) -> None:
    assert form.id == "zhanjiang"
    assert "zhanjiang" in forms.builtin_forms()
    assert cross_check(form) == []
    assert forms.load("zhanjiang") is form  # validated once, then cached


def test_every_builtin_form_loads() -> None:
    names = forms.builtin_forms()
    assert names
    for name in names:
        assert isinstance(forms.load(name), Form)


def test_builtin_questions_have_chinese_labels(form: Form) -> None:
    questions = all_questions(form)
    assert len(questions) > 30
    for q in questions:
        assert q.label.strip(), q.id
        assert CHINESE.search(q.label), (q.id, q.label)


def test_builtin_ids_unique(form: Form) -> None:
    ids = [q.id for _, q in form.walk()]
    assert len(ids) == len(set(ids))
    section_ids = [s.id for s in all_sections(form.sections)]
    assert len(section_ids) == len(set(section_ids))
    for _, q in form.walk():
        field_ids = [f.id for f in q.fields]
        assert len(field_ids) == len(set(field_ids)), q.id


def test_builtin_outline_and_rules(form: Form) -> None:
    titles = [s.title for s in form.sections]
    assert titles[0] == "报告基本信息"
    assert {"单位基本情况", "自评工作开展情况", "绩效自评情况"} <= set(titles)
    assert {"income_balance", "general_overspend", "team_departments"} <= {r.id for r in form.rules}


def test_mini_fixture_loads() -> None:
    assert forms.load(str(MINI)).id == "mini"


# ---------------------------------------------------------------- mistakes in a form file


def test_typo_key_names_file_line_and_path(tmp_path: Path) -> None:
    text = mini_text().replace("        label: 单位全称\n", "        lable: 单位全称\n", 1)
    path = write_form(tmp_path, text)
    err = load_error(path)
    n = line_no(text, "lable:")
    assert f"{path}:{n} sections.0.questions.0.lable: 未知的键(拼写错误?)" in err.lines
    # …and the label it should have been is reported missing, at the question's own line
    missing = [line for line in err.lines if line.endswith("sections.0.questions.0.label: 缺少此项")]
    assert missing == [f"{path}:{line_no(text, '- id: unit_name')} sections.0.questions.0.label: 缺少此项"]
    assert str(path) in err.message


def test_typo_deep_in_file_has_its_own_line(tmp_path: Path) -> None:
    text = mini_text().replace(
        "        when: {field: consistent, equals: 不一致}\n",
        "        wen: {field: consistent, equals: 不一致}\n",
    )
    path = write_form(tmp_path, text)
    err = load_error(path)
    n = line_no(text, "wen: {field")
    assert any(line.startswith(f"{path}:{n} sections.1.questions.1.wen:") for line in err.lines), err.lines


def test_top_level_typo(tmp_path: Path) -> None:
    text = mini_text().replace("signature:", "signatur:")
    path = write_form(tmp_path, text)
    err = load_error(path)
    n = line_no(text, "signatur:")
    assert f"{path}:{n} signatur: 未知的键(拼写错误?)" in err.lines
    assert any(line.endswith("signature: 缺少此项") for line in err.lines)


def test_template_naming_unknown_question(tmp_path: Path) -> None:
    text = mini_text().replace('title: "{unit_name}', 'title: "{unit_nmae}')
    err = load_error(write_form(tmp_path, text))
    assert any("title" in line and "unit_nmae" in line and "不存在" in line for line in err.lines), err.lines


def test_block_naming_unknown_question(tmp_path: Path) -> None:
    text = mini_text().replace("      - field: problems", "      - field: problemz")
    err = load_error(write_form(tmp_path, text))
    assert len(err.lines) == 1
    assert "blocks" in err.lines[0] and err.lines[0].endswith("引用了不存在的问题 problemz")


RULES = """
rules:
  - kind: sum
    id: balance
    total: income_total
    parts: [income_general]
"""


def test_rule_naming_unknown_question(tmp_path: Path) -> None:
    text = mini_text() + RULES
    path = write_form(tmp_path, text)
    err = load_error(path)
    assert len(err.lines) == 1
    assert err.lines[0].startswith(f"{path}:{line_no(text, 'parts: [income_general]')} rules")
    assert err.lines[0].endswith("引用了不存在的问题 income_general")


def test_rule_naming_question_of_wrong_type(tmp_path: Path) -> None:
    err = load_error(write_form(tmp_path, mini_text() + RULES.replace("[income_general]", "[unit_name]")))
    assert len(err.lines) == 1
    assert "unit_name" in err.lines[0] and "money" in err.lines[0] and "text" in err.lines[0]


def test_rule_with_unknown_kind(tmp_path: Path) -> None:
    text = mini_text() + RULES.replace("kind: sum", "kind: total")
    path = write_form(tmp_path, text)
    err = load_error(path)
    assert any(line.startswith(f"{path}:{line_no(text, 'kind: total')} rules.0") for line in err.lines), (
        err.lines
    )


def test_condition_value_not_a_choice(tmp_path: Path) -> None:
    text = mini_text().replace(
        "when: {field: consistent, equals: 不一致}", "when: {field: consistent, equals: 不相符}"
    )
    err = load_error(write_form(tmp_path, text))
    assert any("不相符" in line and "consistent" in line for line in err.lines), err.lines


def test_cross_check_problem_names_file_and_line(tmp_path: Path) -> None:
    text = mini_text().replace("      - field: problems", "      - field: problemz")
    path = write_form(tmp_path, text)
    err = load_error(path)
    assert err.lines[0].startswith(f"{path}:{line_no(text, 'field: problemz')} ")


def test_broken_yaml_gives_file_and_line(tmp_path: Path) -> None:
    text = mini_text().replace("        label: 单位全称\n", "        label: 单位全称: 错\n", 1)
    path = write_form(tmp_path, text)
    err = load_error(path)
    assert err.message.startswith(f"{path}:{line_no(text, '单位全称: 错')} ")
    assert "YAML" in err.message


def test_duplicate_key_gives_its_line(tmp_path: Path) -> None:
    text = mini_text().replace("        type: text\n", "        type: text\n        type: integer\n", 1)
    path = write_form(tmp_path, text)
    err = load_error(path)
    assert "键 type 重复出现" in err.message
    assert "无法读取的数值" not in err.message
    assert err.message.startswith(f"{path}:{line_no(text, 'type: integer')} ")


def test_choice_without_choices_rejected(tmp_path: Path) -> None:
    text = mini_text().replace("        choices: [一致, 不一致]\n", "")
    path = write_form(tmp_path, text)
    err = load_error(path)
    n = line_no(text, "- id: consistent")
    assert err.lines == [f"{path}:{n} sections.1.questions.0: choice 类型必须给出 choices"]


def test_choices_on_non_choice_rejected(tmp_path: Path) -> None:
    text = mini_text().replace("        type: money\n", "        type: money\n        choices: [甲, 乙]\n")
    err = load_error(write_form(tmp_path, text))
    assert any("只有 choice 类型可以有 choices" in line for line in err.lines), err.lines


def test_not_a_mapping(tmp_path: Path) -> None:
    path = write_form(tmp_path, "- a\n- b\n")
    err = load_error(path)
    assert err.message.startswith(f"{path}:1 ")


def test_missing_and_unknown_form_names(tmp_path: Path) -> None:
    with pytest.raises(FormError) as info:
        forms.load("no_such_form")
    assert "zhanjiang" in info.value.hint
    with pytest.raises(FormError) as info:
        forms.load(str(tmp_path / "missing.yaml"))
    assert "找不到表单文件" in info.value.message


def test_blank_omit_is_for_optional_figures_only() -> None:
    Question(id="x", label="年中追加预算数(万元)", type="money", required=False, blank="omit")
    with pytest.raises(ValueError, match="blank: omit"):
        Question(id="x", label="年中追加预算数(万元)", type="money", blank="omit")  # required
    with pytest.raises(ValueError, match="blank: omit"):
        Question(id="x", label="说明", type="text", required=False, blank="omit")


def test_question_model_rejects_bad_min_max() -> None:
    with pytest.raises(ValueError, match="min 不能大于 max"):
        Question(id="x", label="得分", type="number", min=10, max=1)
    with pytest.raises(ValueError, match="只有数值类型"):
        Question(id="x", label="名称", type="text", max=1)


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("本年支出合计(万元)", "本年支出合计"),
        ("其中:基本支出—人员经费(万元)", "基本支出—人员经费"),
        ("因公出国(境)费—本年实际(万元)", "因公出国(境)费—本年实际"),
        ("年度资金总额—全年预算数（万元）", "年度资金总额—全年预算数"),
        ("履职完成情况(数量、质量、时效)", "履职完成情况"),
        ("偏差原因", "偏差原因"),
    ],
)
def test_short_label_is_how_messages_name_a_question(label: str, short: str) -> None:
    """One shortening for check's messages, the interview's search of them and carry's how-text:
    the unit in brackets that ends a label goes, a bracket inside it stays."""
    assert Question(id="x", label=label, type="text").short_label == short


def test_the_interview_finds_a_reason_question_named_by_check() -> None:
    from zjeval.interview.engine import _names

    reason = Question(id="why", label="因公出国(境)费超支说明", type="text")
    assert _names(reason, f"超过预算,请在「{reason.short_label}」中说明")
    assert not _names(reason, "请在「因公出国」中说明")
