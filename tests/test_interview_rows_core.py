"""Issue 18 headless: the percent rule, a target row checked as it is typed, a list saved mid-way
and resumed, navigation words, `--from` and its form."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from framework_of import framework_of

from zjeval.answers import percent, store
from zjeval.answers.values import InvalidValue
from zjeval.errors import ZjevalError
from zjeval.form import loader
from zjeval.form.models import Question
from zjeval.interview import rows, session
from zjeval.interview.engine import Interview, accept

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-示例数据-目标对照.yaml"


@pytest.fixture(scope="module")
def helper() -> rows.RowHelp:
    found = rows.helper(loader.load("target"), "indicators")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("value", "meant"),
    [("0.992", "99.2"), ("1", "100"), ("0.5", "50"), ("0", None), ("1.5", None), ("98", None)],
)
def test_one_percent_rule(value: str, meant: str | None) -> None:
    got = percent.meant(Decimal(value))
    assert (percent.text(got) if got is not None else None) == meant


def test_excel_percent_format_reads_as_percent() -> None:
    assert percent.from_cell(Decimal("0.936"), "0.0%") == Decimal("93.6")
    assert percent.from_cell(Decimal("0.936"), "General") == Decimal("0.936")


def test_number_and_unit_typed_together_are_split(helper: rows.RowHelp) -> None:
    assert helper.split("target", "42个", {}) == ("42", "个", "已记为 42,计量单位「个」填入计量单位一栏")
    assert helper.split("actual", "1,080 套", {"unit": "套"})[:2] == ("1,080", "套")
    assert helper.split("actual", "42个", {"unit": "%"}) == ("42个", None, "")  # another unit: left as typed
    assert helper.split("name", "42个", {}) == ("42个", None, "")


def test_a_fraction_against_percent_is_doubted(helper: rows.RowHelp) -> None:
    row = {"target": "98", "unit": "%", "actual": "0.992"}
    assert helper.percent_doubts(row) == [("actual", "填的是 0.992%,是指 99.2% 吗?", "99.2")]
    assert helper.percent_doubts({**row, "unit": "个"}) == []
    assert helper.percent_doubts({"target": "0.95", "unit": "%", "actual": "0.9"}) == [
        ("target", "填的是 0.95%,是指 95% 吗?", "95")
    ]


def test_shortfall_groups_and_level2(helper: rows.RowHelp) -> None:
    short = {"level1": "产出指标", "nature": "≥", "target": "1200", "unit": "套", "actual": "1080", "weight": "15"}
    assert "未达到年度指标值 ≥1200套" in helper.shortfall(short)
    assert helper.shortfall({**short, "actual": "1300"}) == ""
    assert helper.totals([short, {"level1": "效益指标", "weight": "10"}]).startswith(
        "产出指标 15/50、效益指标 10/30、满意度指标 0/10"
    )
    assert helper.level2_choices({"level1": "满意度指标"}) == ["服务对象满意度指标"]


def test_navigation_words_are_never_answers() -> None:
    form = loader.load("target")
    question = form.questions()["indicators"]
    with pytest.raises(InvalidValue, match="返回上一步"):
        accept(question, [{"level1": "产出指标", "level2": "数量指标", "name": "<", "nature": "≥", "target": "1"}])
    with pytest.raises(InvalidValue, match="返回上一步"):
        accept(form.questions()["unit_name"], "＜")


def test_a_list_saved_mid_way_resumes_on_its_row(tmp_path: Path) -> None:
    form, answers = store.load(DEMO)
    answers.set("indicators", None)
    path = tmp_path / "2025.yaml"
    engine = Interview(form, answers, lambda: store.save(path, form, answers))
    engine.index = next(i for i, (_, q) in enumerate(engine.items) if q.id == "indicators")
    engine.keep([{"level1": "产出指标", "level2": "数量指标"}], 1)
    _, saved = store.load(path)
    assert saved.unfinished == "indicators" and saved.unfinished_item == 1
    assert saved.invalid["indicators"].raw == [{"level1": "产出指标", "level2": "数量指标"}]
    again = Interview(form, saved)
    step = again.current()
    assert step is not None and step.question.id == "indicators" and step.resume and step.resume_item == 1


def test_from_takes_the_earlier_files_form_and_a_mismatch_names_the_fix(tmp_path: Path) -> None:
    shutil.copy(DEMO, tmp_path / "2025.yaml")
    earlier = session.source_form("2025", tmp_path)
    form, _ = store.open_or_create(tmp_path / "2026.yaml", 2026, None, earlier)
    assert form.id == "target"
    other, theirs = store.open_or_create(tmp_path / "2026.yaml", 2026, "zhanjiang")
    theirs.source = tmp_path / "2026.yaml"
    with pytest.raises(ZjevalError) as info:
        session.last_year(other, theirs, tmp_path, "2025")
    assert "删除或改名" in (info.value.hint or "") and "zjeval new 2026 --from 2025" in (info.value.hint or "")


def test_check_warns_of_a_fraction_of_percent_and_a_level2_outside_its_group() -> None:
    from zjeval.assess import check, scoring

    form, answers = store.load(DEMO)
    rows_ = [dict(r) for r in answers.records("indicators")]
    good = scoring.score(framework_of(form), form.questions(), answers).total
    at = next(i for i, r in enumerate(rows_) if r.get("unit") == "%" and r["actual"] == "99.2")
    rows_[at]["actual"] = "0.992"
    rows_[0]["level2"] = "社会效益指标"  # 产出指标 row
    answers.set("indicators", rows_)
    messages = [p.message for p in check.check(form, answers)]
    assert any("0.992 的单位是 %,是否指 99.2%" in m for m in messages), messages
    assert any("「社会效益指标」不属于产出指标" in m for m in messages), messages
    assert good == Decimal("94.58")


def test_a_number_in_words_is_read_with_a_note() -> None:
    weight = loader.load("target").questions()["indicators"].field("weight")
    assert accept(weight, "十分") == (Decimal(10), ["已把「十分」记为 10"])
    assert accept(weight, "十二点五分") == (Decimal("12.5"), ["已把「十二点五分」记为 12.5"])
    with pytest.raises(InvalidValue):
        accept(weight, "很多分")
    for rough in ("十几分", "二十余分", "一十五分五"):  # no exact number: refused, never guessed
        with pytest.raises(InvalidValue):
            accept(weight, rough)


SEED = ROOT / "answers" / "examples" / "2019-湛江市科学技术局.yaml"


def test_a_reason_the_rules_call_for_is_not_optional() -> None:
    """Issue 18 item 11: 支出超过预算拨款的原因 is asked because spending exceeds the budget:
    an empty answer is refused (it was accepted and printed as a bare paragraph)."""
    form, answers = store.load(SEED)
    engine = Interview(form, answers, question_id="expense_over_reason")
    step = engine.current()
    assert step is not None and step.why and not step.question.required
    assert engine.answer("") == "此项必填"
    assert engine.answer("年中追加了科技专项资金。") is None


def test_rows_read_by_table_open_on_filling_them_in() -> None:
    """Issue 18 item 11: rows without this year's 实际完成值 open on 逐项填写, not 保留."""
    from zjeval.interview.lists import Item, ListEditor, drafts_of

    question = loader.load("target").questions()["indicators"]

    class Menu:
        default: str | None = None

        def show(self, _markup: object) -> None:
            pass

        def choose(self, _message: str, _choices: list[tuple[str, str]], default: str | None = None) -> str:
            self.default = default
            return "keep"

        def keep(self, *_args: Any) -> None:
            """Nothing to save: the menu is only read."""

        def record(self, q: Question, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
            raise AssertionError(f"the menu types no records ({q.id})")

    menu = Menu()
    rows_: list[Item] = [{"level1": "产出指标", "name": "改造小区", "nature": "≥", "target": "40", "unit": "个"}]
    ListEditor(menu).manage(question, rows_, can_back=False)
    assert menu.default == "each"
    ListEditor(menu).manage(question, [{**drafts_of(rows_)[0], "actual": "42"}], can_back=False)
    assert menu.default == "keep"


def test_a_units_own_forms_folder_beside_the_answers_is_used_without_form(tmp_path: Path) -> None:
    """Issue 18 item 7: answers/forms/target.yaml (with its frameworks/) is the unit's own copy,
    found for every answers file in answers/ that names the form, no --form needed."""
    from typer.testing import CliRunner

    from zjeval.cli import app

    mine = tmp_path / "forms"
    (mine / "frameworks").mkdir(parents=True)
    shutil.copy(ROOT / "forms" / "target.yaml", mine / "target.yaml")
    shutil.copytree(ROOT / "forms" / "fragments", mine / "fragments")  # what target.yaml includes
    framework = (ROOT / "forms" / "frameworks" / "target.yaml").read_text(encoding="utf-8")
    (mine / "frameworks" / "target.yaml").write_text(
        framework.replace("  - {name: 优, min: 90}", "  - {name: 优秀, min: 90}"), encoding="utf-8"
    )
    shutil.copy(DEMO, tmp_path / "2025.yaml")
    form, _ = store.load(tmp_path / "2025.yaml")
    assert form.scoring is not None and form.scoring.grades[0].name == "优秀"
    result = CliRunner().invoke(app, ["score", "2025", "--dir", str(tmp_path), "--json"])
    assert '"grade": "优秀"' in result.output
    assert framework_of(store.load(DEMO)[0]).grades[0].name == "优"  # elsewhere: built-in


def test_the_score_sentence_says_each_group_once() -> None:
    """Issue 18 item 9: "产出指标得分", not "产出指标指标得分"."""
    from zjeval.interview import followup

    form, answers = store.load(DEMO)
    section = next(s for s in form.sections if followup.score_templates(s))
    preface = followup.score_preface(form, answers, section)
    assert "产出指标得分" in preface and "指标指标" not in preface


def test_a_sign_typed_in_the_target_is_checked_against_the_nature(helper: rows.RowHelp) -> None:
    assert helper.split("target", "≥40个", {"nature": "≥"})[2].endswith("「≥」由指标性质表示")
    assert helper.split("target", ">=40个", {"nature": "≥"})[2].endswith("「>=」由指标性质表示")
    assert "与所选的「≥」不同,请核对" in helper.split("target", "≤40个", {"nature": "≥"})[2]


def test_where_a_list_was_left_survives_the_users_own_comments(tmp_path: Path) -> None:
    path = tmp_path / "2025.yaml"
    path.write_text(DEMO.read_text(encoding="utf-8").replace("answers:\n", "answers:\n  # 我的注释\n", 1), "utf-8")
    form, answers = store.load(path)
    answers.unfinished, answers.unfinished_item = "indicators", 2
    store.save(path, form, answers)
    _, again = store.load(path)
    assert (again.unfinished, again.unfinished_item) == ("indicators", 2)
    answers.unfinished = answers.unfinished_item = None
    store.save(path, form, answers)
    text = path.read_text(encoding="utf-8")
    assert "unfinished" not in text and "# 我的注释" in text
