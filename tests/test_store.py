"""Answers files on disk: exact round trips, nothing lost, clear errors, atomic saves."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from zjeval.answers import lock, paths, store, values
from zjeval.answers.model import Answers, check_year, from_data, to_data
from zjeval.assess import check
from zjeval.errors import AnswersError, ExitCode, StorageError, ZjevalError
from zjeval.form.models import Form

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "answers").glob("**/*.yaml"))

WriteYaml = Callable[..., Path]

HEAD = "zjeval: 1\nform: zhanjiang\nyear: 2019\n"


def reload(form: Form, text: str, tmp_path: Path) -> Answers:
    path = tmp_path / "again.yaml"
    path.write_text(text, encoding="utf-8")
    return store.load(path)[1]


# ---------------------------------------------------------------- round trips


def test_there_are_shipped_answers() -> None:
    assert any(p.name == "2019-湛江市科学技术局.yaml" for p in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_answers_round_trip_byte_for_byte(path: Path) -> None:
    form, answers = store.load(path)
    assert not answers.invalid and not answers.unknown
    target = path.relative_to(ROOT).as_posix()  # the header names the file as `zjeval check` would
    assert store.dumps(form, answers, target) == path.read_text(encoding="utf-8")


def test_seed_values_are_typed(seed: tuple[Form, Answers]) -> None:
    _, answers = seed
    assert answers.get("income_total") == Decimal("12552.67") and type(answers.get("income_total")) is Decimal
    assert answers.get("income_fund") == Decimal("11700")
    assert answers.get("report_date") == dt.date(2020, 9, 2)
    assert answers.get("notice_no") == "湛财评〔2020〕6号"
    assert len(answers.strings("departments")) == 8
    assert answers.lines["income_total"] > answers.lines["unit_name"]


def test_dumps_keeps_decimals_exact(seed: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = seed
    answers.set("expense_general", Decimal("1198.0978"))
    answers.set("income_fund", Decimal("11700"))
    answers.set("income_other", Decimal("0.10"))
    answers.set("expense_fund", values.validate(form.questions()["expense_fund"], "1.5亿元"))
    text = store.dumps(form, answers)
    assert "  expense_general: 1198.0978\n" in text
    assert "  income_fund: 11700\n" in text
    assert "  income_other: 0.10\n" in text
    assert "  expense_fund: 15000\n" in text
    again = reload(form, text, tmp_path)
    for qid, expected in [
        ("expense_general", "1198.0978"),
        ("income_fund", "11700"),
        ("income_other", "0.10"),
        ("expense_fund", "15000"),
    ]:
        got = again.get(qid)
        assert type(got) is Decimal and str(got) == expected, qid


def test_dumps_multiline_paragraphs_as_block_scalar(seed: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = seed
    answers.set(
        "process_text",
        values.validate(form.questions()["process_text"], "第一段：制定方案。\n第二段：成立小组。"),
    )
    text = store.dumps(form, answers)
    assert "  process_text: |-\n    第一段：制定方案。\n    第二段：成立小组。\n" in text
    assert reload(form, text, tmp_path).get("process_text") == "第一段：制定方案。\n第二段：成立小组。"


def test_text_that_looks_like_a_number_stays_text(seed: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = seed
    answers.set("unit_nature", values.validate(form.questions()["unit_nature"], "2019"))
    answers.set("unit_name", values.validate(form.questions()["unit_name"], "yes"))
    again = reload(form, store.dumps(form, answers), tmp_path)
    assert again.get("unit_nature") == "2019"
    assert again.get("unit_name") == "yes"


def test_dumps_is_stable(seed: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = seed
    questions = form.questions()
    assert "budget_initial" in questions and not answers.answered("budget_initial")  # a real, new answer
    answers.set("budget_initial", values.validate(questions["budget_initial"], "852.670"))
    text = store.dumps(form, answers)
    assert "budget_initial: 852.670\n" in text
    again = reload(form, text, tmp_path)
    assert again.get("budget_initial") == Decimal("852.670")
    assert store.dumps(form, again) == text


def test_to_data_in_form_order(seed: tuple[Form, Answers]) -> None:
    form, answers = seed
    data = to_data(form, answers)
    assert list(data) == ["zjeval", "form", "year", "answers"]
    order = [q.id for _, q in form.walk()]
    assert isinstance(data["answers"], dict)
    keys = list(data["answers"])
    assert keys == sorted(keys, key=order.index)


# ---------------------------------------------------------------- hand-edited files

HAND_EDITED = (
    HEAD
    + """answers:
  unit_name: 湛江市科学技术局
  income_total: 一万二
  report_date: 2020-02-30
  team:
  - role: 组长
    name: 宋加坤
    post: 副局长
  - role: 队长
    name: 张三
    post: 科长
  old_question: 保留我
"""
)


def test_invalid_values_kept_on_save_and_reported_with_line(write_yaml: WriteYaml) -> None:
    path = write_yaml(HAND_EDITED)
    form, answers = store.load(path)
    assert set(answers.invalid) == {"income_total", "report_date", "team"}
    assert answers.unknown == {"old_question": "保留我"}

    text = store.dumps(form, answers)
    assert "  income_total: 一万二\n" in text
    assert "  report_date: '2020-02-30'\n" in text  # quoted so that it reads back as the same text
    assert "  - role: 队长\n    name: 张三\n    post: 科长\n" in text
    assert "  old_question: 保留我\n" in text

    problems = {p.qid: p for p in check.check(form, answers) if p.severity == "error"}
    assert problems["income_total"].line == 6
    assert problems["income_total"].message.startswith("第 6 行")
    assert "没有这一天" in problems["report_date"].message and problems["report_date"].line == 7
    # inside a list the message points at the item's own line and names the item
    assert "第 12 行" in problems["team"].message and "[2].role" in problems["team"].message
    unknown = [p for p in check.check(form, answers) if p.field == "old_question"]
    assert len(unknown) == 1 and unknown[0].severity == "warning"
    assert unknown[0].line == 15  # where the hand-edited key stands, so it can be found


def test_save_keeps_invalid_and_unknown(write_yaml: WriteYaml) -> None:
    path = write_yaml(HAND_EDITED)
    form, answers = store.load(path)
    store.save(path, form, answers)
    _, again = store.load(path)
    assert {k: v.raw for k, v in again.invalid.items()} == {k: v.raw for k, v in answers.invalid.items()}
    assert again.unknown == {"old_question": "保留我"}
    assert again.values == answers.values


def test_fixing_a_value_clears_it(write_yaml: WriteYaml) -> None:
    form, answers = store.load(write_yaml(HAND_EDITED))
    answers.set("income_total", values.validate(form.questions()["income_total"], "12000"))
    assert "income_total" not in answers.invalid
    assert "  income_total: 12000\n" in store.dumps(form, answers)


# ---------------------------------------------------------------- broken files


def broken(path: Path) -> AnswersError:
    with pytest.raises(AnswersError) as info:
        store.load(path)
    assert info.value.exit_code == ExitCode.BAD_ANSWERS
    return info.value


def test_broken_yaml_names_file_and_line(write_yaml: WriteYaml) -> None:
    path = write_yaml(HEAD + "answers:\n  unit_name: 湛江市\n  departments: [办公室, 科技科\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:")
    line = int(err.message[len(f"{path}:") :].split(" ", 1)[0])
    assert line >= 6  # at or after the unclosed bracket, never the top of the file
    assert "YAML" in err.message


def test_broken_indentation_line(write_yaml: WriteYaml) -> None:
    path = write_yaml(HEAD + "answers:\n  unit_name: 湛江市\n   notice_issuer: 财政局\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:6 ")


@pytest.mark.parametrize("text", ["- a\n- b\n", "只是一句话\n", "42\n"])
def test_non_mapping_file(write_yaml: WriteYaml, text: str) -> None:
    path = write_yaml(text)
    err = broken(path)
    assert err.message.startswith(f"{path}:1 ")
    assert "映射" in err.message


@pytest.mark.parametrize("year", ["19", "二〇一九", "2019.0", "1800", "true", "'2019年'"])
def test_bad_year(write_yaml: WriteYaml, year: str) -> None:
    path = write_yaml(f"zjeval: 1\nform: zhanjiang\nyear: {year}\nanswers: {{}}\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:3 ")
    assert "年度" in err.message


def test_missing_year(write_yaml: WriteYaml) -> None:
    err = broken(write_yaml("zjeval: 1\nform: zhanjiang\nanswers: {}\n"))
    assert "缺少 year" in err.message


def test_unknown_top_level_key(write_yaml: WriteYaml) -> None:
    path = write_yaml(HEAD + "anwsers:\n  unit_name: x\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:4 ") and "anwsers" in err.message


def test_answers_not_a_mapping(write_yaml: WriteYaml) -> None:
    path = write_yaml(HEAD + "answers:\n- unit_name\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:4 ")


def test_form_of_another_name(form: Form) -> None:
    with pytest.raises(AnswersError) as info:
        from_data(form, {"form": "mini", "year": 2019, "answers": {}}, {("form",): 2}, source=Path("x.yaml"))
    assert info.value.message.startswith("x.yaml:2 ")
    assert "mini" in info.value.message and "zhanjiang" in info.value.message


def test_form_not_a_name(write_yaml: WriteYaml) -> None:
    path = write_yaml("zjeval: 1\nform: [zhanjiang]\nyear: 2019\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:2 ")


def test_unknown_form_name_in_answers_file(write_yaml: WriteYaml) -> None:
    path = write_yaml("zjeval: 1\nform: shenzhen\nyear: 2019\nanswers: {}\n")
    err = broken(path)
    assert err.message.startswith(f"{path}:2 ") and "shenzhen" in err.message


def test_missing_file() -> None:
    with pytest.raises(AnswersError, match="找不到答案文件"):
        store.load(Path("/nonexistent/2019.yaml"))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "2019.yaml"
    path.write_bytes("year: 2019\nanswers:\n  unit_name: 湛江市\n".encode("gbk"))
    with pytest.raises(AnswersError, match="UTF-8"):
        store.load(path)


def test_check_year() -> None:
    assert check_year(2019) == 2019
    assert check_year("2019") == 2019
    for bad in (19, "19", True, "二〇一九", 1989, 2101):
        with pytest.raises(AnswersError):
            check_year(bad)


# ---------------------------------------------------------------- saving


def test_save_then_load(seed: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = seed
    path = tmp_path / "sub" / "2019.yaml"
    store.save(path, form, answers)
    _, again = store.load(path)
    assert again.values == answers.values
    assert path.read_text(encoding="utf-8") == store.dumps(form, answers, str(path))
    assert [p.name for p in path.parent.iterdir()] == ["2019.yaml"]


def test_save_is_atomic(seed: tuple[Form, Answers], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form, answers = seed
    path = tmp_path / "2019.yaml"
    original = "zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n  unit_name: 旧的内容\n"
    path.write_text(original, encoding="utf-8")

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)  # the os answers.files calls
    with pytest.raises(StorageError) as info:
        store.save(path, form, answers)
    assert str(path) in info.value.message
    assert "未被改动" in info.value.hint
    assert info.value.exit_code == ExitCode.IO
    assert path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2019.yaml"]  # no temp file left behind


def test_save_cleans_up_on_interrupt(
    seed: tuple[Form, Answers], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form, answers = seed
    path = tmp_path / "2019.yaml"

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.save(path, form, answers)
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_existing(seed: tuple[Form, Answers], tmp_path: Path) -> None:
    form, answers = seed
    path = tmp_path / "2019.yaml"
    path.write_text("old\n", encoding="utf-8")
    store.save(path, form, answers)
    assert path.read_text(encoding="utf-8").startswith("# zjeval 答案文件:2019年度")


# ---------------------------------------------------------------- resolve and open


def test_resolve_year(tmp_path: Path) -> None:
    assert paths.resolve("2019", tmp_path) == tmp_path / "2019.yaml"
    assert paths.resolve("2019") == Path("answers") / "2019.yaml"


@pytest.mark.parametrize("target", ["19", "0019", "20190", "报告", "2019.txt"])
def test_resolve_rejects(tmp_path: Path, target: str) -> None:
    with pytest.raises(AnswersError):
        paths.resolve(target, tmp_path)


def test_resolve_keeps_paths(tmp_path: Path) -> None:
    assert paths.resolve("answers/examples/2019-湛江市科学技术局.yaml") == Path(
        "answers/examples/2019-湛江市科学技术局.yaml"
    )
    assert paths.resolve(str(tmp_path / "x.yml")) == tmp_path / "x.yml"


def test_resolve_latest(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="还没有答案文件"):
        paths.resolve(None, tmp_path)
    for name in ("2018.yaml", "2020.yaml", "2019.yaml", "draft.yaml", "20211.yaml"):
        (tmp_path / name).write_text("year: 2019\n", encoding="utf-8")
    assert paths.resolve(None, tmp_path) == tmp_path / "2020.yaml"


def test_open_or_create(seed_path: Path, tmp_path: Path) -> None:
    form, answers = store.open_or_create(tmp_path / "2021.yaml", 2021, None)
    assert (form.id, answers.year, answers.values) == ("zhanjiang", 2021, {})
    assert not (tmp_path / "2021.yaml").exists()

    path = tmp_path / "2019.yaml"
    path.write_bytes(seed_path.read_bytes())
    _, resumed = store.open_or_create(path, 2019, None)
    assert resumed.get("unit_name") == "湛江市科学技术局"
    with pytest.raises(ZjevalError, match="2019"):
        store.open_or_create(path, 2020, None)


def test_open_or_create_never_overwrites_broken(write_yaml: WriteYaml) -> None:
    path = write_yaml("year: 2019\nanswers: [\n")
    with pytest.raises(AnswersError):
        store.open_or_create(path, 2019, None)
    assert path.read_text(encoding="utf-8") == "year: 2019\nanswers: [\n"


def test_second_interview_on_the_same_file_is_refused(tmp_path: Path) -> None:
    from zjeval.errors import StorageError

    path = tmp_path / "2025.yaml"
    busy = pytest.raises(StorageError, match="正在被另一个 zjeval new 编辑")
    with lock.editing(path), busy, lock.editing(path):
        pass
    with lock.editing(path):  # released: free again
        pass
