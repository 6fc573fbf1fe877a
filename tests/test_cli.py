"""The commands through typer's CliRunner: exit codes, messages, JSON, files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjeval.cli import app

EXAMPLES = Path(__file__).parent.parent / "answers" / "examples"
SEED = EXAMPLES / "2019-湛江市科学技术局.yaml"
DEMO = EXAMPLES / "2024-示例数据.yaml"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def scored(tmp_path: Path) -> Path:
    """The complete demo, copied as a year file."""
    path = tmp_path / "2024.yaml"
    shutil.copy(DEMO, path)
    return path


def test_every_command_has_help() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name in ("new", "check", "score", "render"):
        assert name in out
        code, sub, _ = run(name, "--help")
        assert code == 0 and "用法:" in sub
        assert any("\u4e00" <= c <= "\u9fff" for c in sub), f"{name} --help has no Chinese text"


def test_check_seed_lists_missing_figures_and_exits_1() -> None:
    code, out, _ = run("check", str(SEED))
    assert code == 1
    assert "数据表" in out and "年初预算数" in out and "未填写" in out
    assert "尚不完整" in out


def test_check_json_shape() -> None:
    code, out, _ = run("check", str(SEED), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["complete"] is False
    assert {"section", "field", "severity", "message"} <= set(data["problems"][0])
    errors = [p for p in data["problems"] if p["severity"] == "error"]
    assert errors[0]["field"] == "年初预算数(万元)"
    assert errors[0]["section"] == "数据表 / （一）预算与支出"
    # the narrative of the seed is complete: every error is in the 数据表 or the judgments
    assert all(p["section"].startswith(("数据表", "评分表")) for p in errors)
    warnings = {p["message"] for p in data["problems"] if p["severity"] == "warning"}
    assert any("1198.0978" in w and "852.67" in w for w in warnings)


def test_check_complete_exits_0(scored: Path) -> None:
    code, out, _ = run("check", str(scored), "--json")
    assert code == 0
    assert json.loads(out)["complete"] is True


def test_check_by_year_in_dir(scored: Path) -> None:
    code, _, _ = run("check", "2024", "--dir", str(scored.parent))
    assert code == 0
    code, _, _ = run("check", "--dir", str(scored.parent))  # latest year
    assert code == 0


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n  unit_name: [unclosed\n", ":6"),
        (
            "zjeval: 1\nyear: 2019\nanswers:\n  income_total: {a: 1}\n",
            "2019.yaml:4: 错误: 一、单位基本情况 / （四）部门整体支出情况 › 收入总预算(万元)",
        ),
        ("year: 19\n", "四位"),
        ("- a\n- b\n", "YAML 映射"),
        ("year: 2019\nanswerz: {}\n", "未知的键 answerz"),
    ],
)
def test_broken_answers_file_gets_location_not_traceback(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "2019.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("check", str(path))
    assert code in (1, 3)
    assert "Traceback" not in out + err
    assert where in out + err
    assert str(path) in out + err


def test_missing_file_and_bad_year() -> None:
    code, _, err = run("check", "nope/2019.yaml")
    assert code == 3 and "找不到答案文件" in err
    code, _, err = run("check", "19")
    assert code == 3 and "四位" in err


def test_render_refuses_incomplete_with_the_list() -> None:
    code, out, err = run("render", str(SEED))
    assert code == 1
    assert "年初预算数" in err and "--draft" in err
    assert out == ""


def test_render_draft_to_stdout() -> None:
    code, out, _ = run("render", str(SEED), "--draft")
    assert code == 0
    assert "湛江市科学技术局2019年度部门整体支出绩效自评报告" in out
    assert "【待填写】" in out


def test_render_to_file_and_no_overwrite(scored: Path, tmp_path: Path) -> None:
    target = tmp_path / "报告.txt"
    code, _, err = run("render", str(scored), "-o", str(target))
    assert code == 0 and "已写入" in err
    text = target.read_text(encoding="utf-8")
    assert "等级为“" in text and "【待填写】" not in text
    code, _, err = run("render", str(scored), "-o", str(target))
    assert code != 0 and "--force" in err
    assert run("render", str(scored), "-o", str(target), "--force")[0] == 0


def test_render_unknown_format(scored: Path) -> None:
    code, _, err = run("render", str(scored), "--format", "odt")
    assert code == 2 and "可用格式" in err


def test_bad_form_file_reports_file_line_path(tmp_path: Path, scored: Path) -> None:
    form = tmp_path / "bad.yaml"
    shutil.copy(Path(__file__).parent.parent / "forms" / "zhanjiang.yaml", form)
    text = form.read_text(encoding="utf-8").replace(
        "    help: 写单位的法定全称", "    hlep: 写单位的法定全称", 1
    )
    form.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(scored), "--form", str(form))
    assert code == 4
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "hlep:" in t)
    assert f"bad.yaml:{line}" in err and "hlep" in err and "未知的键" in err


def test_new_without_terminal_exits_at_once(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "zjeval", "new", "2019", "--dir", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 5
    assert "终端" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "2019.yaml").exists()


def test_version_and_module_entry() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "zjeval", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stdout.startswith("zjeval ")


def test_score_seed_is_pending() -> None:
    code, out, _ = run("score", str(SEED))
    assert code == 1
    assert "待填写" in out and "合计" in out


def test_score_json_shape_on_demo() -> None:
    code, out, _ = run("score", str(DEMO), "--json")
    assert code == 0
    data = json.loads(out)
    assert {"total", "grade", "indicators"} <= set(data)
    first = data["indicators"][0]
    assert {"id", "name", "level1", "weight", "value", "score", "reason"} <= set(first)
    from decimal import Decimal

    assert sum(Decimal(i["score"]) for i in data["indicators"]) == Decimal(data["total"])
    assert any(i["overridden"] for i in data["indicators"])


def test_score_table_on_demo() -> None:
    code, out, _ = run("score", str(DEMO))
    assert code == 0
    assert "合计" in out and "等级" in out and "小计" in out


SEED_PAGE = Path(__file__).parent / "fixtures" / "import" / "seed-zhanjiang-2019.txt"


def test_import_the_seed_page(tmp_path: Path) -> None:
    code, out, _ = run("import", str(SEED_PAGE), "--year", "2019", "--dir", str(tmp_path))
    assert code == 0
    assert "湛财评〔2020〕6号" in out and "已写入" in out and "未归类" in out
    from zjeval.answers import store

    _, answers = store.load(tmp_path / "2019.yaml")
    assert answers.get("notice_no") == "湛财评〔2020〕6号"
    assert len(answers.strings("departments")) == 8
    # the same target again is refused without --force
    code, _, err = run("import", str(SEED_PAGE), "--year", "2019", "--dir", str(tmp_path))
    assert code != 0 and "--force" in err
    assert run("import", str(SEED_PAGE), "--year", "2019", "--dir", str(tmp_path), "--force")[0] == 0


def test_import_refuses_unsupported_files_and_bad_years(tmp_path: Path) -> None:
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, _, err = run("import", str(pdf), "--year", "2019", "-o", str(tmp_path / "x.yaml"))
    assert code != 0 and ".docx" in err and "Traceback" not in err
    txt = tmp_path / "报告.txt"
    txt.write_text("标题", encoding="utf-8")
    code, _, err = run("import", str(txt), "--year", "19", "-o", str(tmp_path / "x.yaml"))
    assert code == 3 and "四位" in err
    code, _, err = run("import", str(tmp_path / "nope.txt"), "--year", "2019", "-o", str(tmp_path / "x.yaml"))
    assert code != 0 and "nope.txt" in err
