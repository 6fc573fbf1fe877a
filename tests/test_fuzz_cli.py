"""No input a user can give produces a traceback: property tests of check/score/render.

Generated answers files go through the real commands (typer's CliRunner). Each command either
works or prints a Chinese error and exits with the ExitCode of its error class; an exception
escaping the command (result.exception that is not SystemExit) is a traceback for the user.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zjeval import yamlio
from zjeval.cli import app
from zjeval.errors import ExitCode
from zjeval.form import loader as forms

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
runner = CliRunner()

FORM = forms.load("zhanjiang")
QUESTIONS = FORM.questions()
QIDS = sorted(QUESTIONS)
INDICATORS = sorted(i.id for i in FORM.scoring.indicators) if FORM.scoring is not None else ["asset_safety"]

OK, INCOMPLETE, BAD_ANSWERS, BAD_FORM = (
    ExitCode.OK,
    ExitCode.INCOMPLETE,
    ExitCode.BAD_ANSWERS,
    ExitCode.BAD_FORM,
)
# A file may name a form (`form: some/path.yaml`) that is itself broken: that is exit 4, not a crash.
COMMANDS: list[tuple[list[str], set[int]]] = [
    (["check", "{f}"], {OK, INCOMPLETE, BAD_ANSWERS, BAD_FORM}),
    (["check", "{f}", "--json"], {OK, INCOMPLETE, BAD_ANSWERS, BAD_FORM}),
    (["score", "{f}"], {OK, INCOMPLETE, BAD_ANSWERS, BAD_FORM}),
    (["render", "{f}", "--draft"], {OK, BAD_ANSWERS, BAD_FORM}),
    (["render", "{f}", "--draft", "-t", "md"], {OK, BAD_ANSWERS, BAD_FORM}),
    (["render", "{f}", "--draft", "-o", "{d}/out.docx"], {OK, BAD_ANSWERS, BAD_FORM}),
    (["render", "{f}", "--draft", "-o", "{d}/out.xlsx"], {OK, BAD_ANSWERS, BAD_FORM}),
]
FAST = [c for c in COMMANDS if "{d}/out.docx" not in c[0]]  # DOCX takes ~1.5 s per full report
# ZJEVAL_FUZZ_SCALE=20 pytest tests/test_fuzz_cli.py: a longer search than the CI run (the README's
# 「开发」 gives the 10-minute run). ZJEVAL_FUZZ_REPORT=FILE appends one line per command run:
# exit code, seconds, the test process's peak memory so far in MB, the command
# (`sort -k2 -n FILE | tail` shows the slowest).
SCALE = float(os.environ.get("ZJEVAL_FUZZ_SCALE", "1"))
REPORT = os.environ.get("ZJEVAL_FUZZ_REPORT")


def examples(n: int) -> int:
    return max(1, int(n * SCALE))


FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def invoke(args: list[str]) -> Any:
    """One command through typer's CliRunner; its exit code and time recorded when REPORT is set."""
    start = time.perf_counter()
    result = runner.invoke(app, args)
    if REPORT:
        seconds = time.perf_counter() - start
        gc.collect()  # so that the peak below is one run's, not garbage left by the runs before
        with open(REPORT, "a", encoding="utf-8") as log:
            log.write(f"{result.exit_code} {seconds:.2f} {_peak_mb()} {args[0]} {' '.join(args[1:])[-80:]}\n")
    return result


def _peak_mb() -> int:
    """The test process's peak resident memory so far, in MB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))


def run_all(text: str | bytes, commands: list[tuple[list[str], set[int]]] = COMMANDS) -> None:
    """Write `text` as an answers file and run every command on it; assert no traceback."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "2019.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        for template, allowed in commands:
            args = [a.format(f=path, d=d) for a in template]
            result = invoke(args)
            shown = f"zjeval {' '.join(template)} on {text[:300]!r}"
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                exc = result.exception
                raise AssertionError(f"{shown}: traceback {type(exc).__name__}: {exc}") from exc
            output = result.stdout + result.stderr
            assert "Traceback" not in output, shown
            assert result.exit_code in allowed, f"{shown}: exit {result.exit_code}\n{result.stderr}"
            if result.exit_code == BAD_ANSWERS:
                assert str(path) in result.stderr, (
                    f"{shown}: the message does not name the file\n{result.stderr}"
                )
                assert "错误" in result.stderr, shown
                if "UTF-8" not in result.stderr:  # the one file-level error without a line
                    where = re.escape(str(path)) + r":\d+"
                    assert re.search(where, result.stderr), f"{shown}: no line number\n{result.stderr}"
            for out in (Path(d) / "out.docx", Path(d) / "out.xlsx"):
                out.unlink(missing_ok=True)


# ---------------------------------------------------------------- (a) arbitrary text

FRAGMENTS = [
    "zjeval: 1\n",
    "form: zhanjiang\n",
    "year: 2019\n",
    "answers:\n",
    "overrides:\n",
    "provenance:\n",
    "  unit_name: ",
    "  income_total: ",
    "  team:\n",
    "  - ",
    "- ",
    ": ",
    "? ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ufeff",
    "\u2028",
    "\u0085",
    "&a ",
    "*a",
    "*b",
    "<<: ",
    "<<: *a\n",
    "!!python/object:os.system ",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!float ",
    "!!int ",
    "!!str ",
    "!foo ",
    "%YAML 1.1\n",
    "%TAG ! x\n",
    "---\n",
    "...\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    '"',
    "\\",
    "#",
    "|\n",
    ">-\n",
    "~",
    "null",
    "true",
    "０１２３４５６７８９",
    "１２,５５２．６７",
    "12,552.67",
    "1.0e+400",
    ".inf",
    ".nan",
    "0x1F",
    "2019",
    "２０１９",
    "2020-02-30",
    "2020年9月2日",
    "湛财评【2020】06号",
    "湛江市科学技术局",
    "万元",
    "𠀀",
    # round three (issue 22): other scripts' digits, non-characters, template braces, merge keys
    "²⁰²⁴",
    "17²",
    "٢٠١٩",
    "①",
    "'4,5'",
    "\ufffe",
    "\ufdd0",
    '"\\uFFFE"',
    '"\\uFFFF\\U0010FFFF"',
    '"\\ud800"',
    "{unit_name}",
    "[[{x}]]",
    "{year|count}",
    "<<: {a: 1}\n",
    "- &a [*b]\n",
]
surrogate_free = st.characters(exclude_categories=["Cs"])
arbitrary_text = st.one_of(
    st.text(surrogate_free, max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(surrogate_free, max_size=8)), max_size=40).map(
        "".join
    ),
    st.tuples(st.sampled_from(["x", "汉", "a: b\n", "- 1\n", "[", "{a: "]), st.integers(1000, 100_000)).map(
        lambda t: t[0] * t[1]
    ),
)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(45))
@given(arbitrary_text)
@example("a: &a [*a]\n")
@example("\x00")
@example("year: 2019\nanswers: {unit_name: \t}\n")
@example("!!python/object/apply:os.system ['true']\n")
def test_arbitrary_text_never_crashes(text: str) -> None:
    run_all(text, FAST)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(15))
@given(st.binary(max_size=200))
@example(b"\xff\xfeyear: 2019")
@example("year: 2019\nanswers: {unit_name: 湛江}\n".encode("gb18030"))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    run_all(data, FAST[:3])


# ---------------------------------------------------------------- (b) the right shape, random values


class RawFloat(str):
    """A float scalar written exactly as this text (`1.0e+400`, `.nan`, `abc` -> !!float abc)."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(RawFloat, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))
_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))
_Dumper.add_representer(dt.date, yaml.SafeDumper.represent_date)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


TYPED = [
    "12,552.67",
    "１２５５２．６７",
    "125526700元",
    "1.5亿元",
    "¥100",
    "-5",
    "0",
    "-0",
    "1,2,3",
    "12.",
    ".5",
    "95.5%",
    "９５％",
    "87.5分",
    "8个",
    "1" * 30,
    "2020年9月2日",
    "2020-02-30",
    "2020/9/2",
    "20200902",
    "湛财评【2020】06号",
    "湛财评[20]6号",
    "湛财评〔2020〕0号",
    "一致",
    "不一致",
    "达成",
    "部分达成",
    "未达成",
    "按时、完整报送",
    "1、办公室",
    "(一)拟订",
    "③",
    "",
    " ",
    "\t",
    "\n\n",
    "a\x00b",
    "[待填写]",
    "{x}",
    "【待填写】",
    # round three (issue 22)
    "²⁰²⁴",
    "17²",
    "4,5",
    "①②",
    "٢٠١٩",
    "0.0000001",
    "a\ufffeb",
    "\uffff",
    "\ufdd0x",
    "\U0010fffe",
    "{unit_name}",
    "[[{x}]]",
    "{year|count}",
    "{{dept}}",
    "[[",
    "]]",
    "# 标题\n- 列表\n1. 编号",
    "a | b\nc",
    "\x1b[2J\x9b1m",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.sampled_from(
        [RawFloat(x) for x in ("1.0e+400", "-1.0e+30", "1.0e-30", ".inf", "-.inf", ".nan", "1_000.5", "abc")]
    ),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(TYPED),
    st.text(surrogate_free, max_size=30),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(["title", "points", "role", "name", "dept", "post", "score", "reason"]),
                st.text(max_size=5),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=8,
)


@st.composite
def answer_value(draw: st.DrawFn, qid: str) -> Any:
    """Mostly values near the question's type (records with its own field names), some anything."""
    q = QUESTIONS[qid]
    if q.type == "records" and draw(st.booleans()):
        fields = [f.id for f in q.fields]
        record = st.dictionaries(st.sampled_from(fields), yaml_values, max_size=len(fields))
        return draw(st.lists(record, max_size=3))
    if q.type == "choice" and draw(st.booleans()):
        return draw(st.sampled_from([*q.choices, q.choices[0] + " "]))
    return draw(yaml_values)


@st.composite
def shaped_files(draw: st.DrawFn) -> str:
    qids = draw(st.lists(st.sampled_from(QIDS), unique=True, max_size=12))
    answers: dict[Any, Any] = {qid: draw(answer_value(qid)) for qid in qids}
    if draw(st.booleans()):
        answers[draw(st.text(max_size=8))] = draw(yaml_values)  # a key the form does not know
    data: dict[str, Any] = {
        "zjeval": 1,
        "form": "zhanjiang",
        "year": draw(st.sampled_from([2019, 2019, "2019"])),
    }
    data["answers"] = answers
    if draw(st.booleans()):
        override = st.one_of(
            yaml_values,
            st.fixed_dictionaries({"score": yaml_values, "reason": yaml_values}),
            st.fixed_dictionaries({"score": st.decimals(-10, 200, places=2), "reason": st.text(max_size=10)}),
        )
        data["overrides"] = draw(
            st.dictionaries(st.one_of(st.sampled_from(INDICATORS), st.text(max_size=6)), override, max_size=4)
        )
    if draw(st.booleans()):
        data["provenance"] = draw(
            st.dictionaries(
                st.one_of(st.sampled_from(QIDS), st.text(max_size=6)),
                st.one_of(st.sampled_from(["carried", "edited", "typed"]), yaml_values),
                max_size=4,
            )
        )
    if draw(st.integers(0, 9)) == 0:
        data["carried_from"] = draw(st.one_of(st.sampled_from([2018, 2019, 1989]), yaml_values))
    return dump(data)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(50))
@given(shaped_files())
def test_right_shape_random_values_never_crash(text: str) -> None:
    run_all(text, FAST)


# ---------------------------------------------------------------- (c) the demo with one value replaced


def _demo_data() -> Any:
    data, _ = yamlio.parse(DEMO.read_text(encoding="utf-8"))
    return data


def _paths(node: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [loc] if loc else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*loc, i))
    return out


DEMO_PATHS = _paths(_demo_data())
DEMO_LINES = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)


def _replace(data: Any, loc: tuple[Any, ...], value: Any) -> Any:
    node = data
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = value
    return data


@st.composite
def mutated_demo(draw: st.DrawFn) -> str:
    loc = draw(st.sampled_from(DEMO_PATHS))
    value = draw(answer_value(loc[1]) if len(loc) == 2 and loc[0] == "answers" else yaml_values)
    return dump(_replace(_demo_data(), loc, value))


@st.composite
def demo_with_a_line_replaced(draw: st.DrawFn) -> str:
    lines = list(DEMO_LINES)
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(surrogate_free, max_size=20))) + "\n"
    return "".join(lines)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(50))
@given(mutated_demo())
@example(dump(_replace(_demo_data(), ("answers", "income_total"), RawFloat("1.0e+30"))))
def test_demo_with_one_value_replaced_never_crashes(text: str) -> None:
    run_all(text, FAST)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(25))
@given(demo_with_a_line_replaced())
def test_demo_with_one_line_replaced_never_crashes(text: str) -> None:
    run_all(text, FAST)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(6))
@given(mutated_demo())
def test_docx_of_a_mutated_demo_never_crashes(text: str) -> None:
    run_all(text, [c for c in COMMANDS if "{d}/out.docx" in c[0]])


# ---------------------------------------------------------------- (d) issue 22's classes

ALIAS_SPOT = "ZJEVAL_ALIAS_SPOT"


@st.composite
def demo_with_an_alias(draw: st.DrawFn) -> str:
    """The demo with any one value replaced by an alias to nested anchors (up to a billion laughs)."""
    depth, width = draw(st.integers(1, 9)), draw(st.integers(1, 10))
    loc = draw(st.sampled_from(DEMO_PATHS))
    text = dump(_replace(_demo_data(), loc, ALIAS_SPOT))
    anchors = ["  zz_b0: &b0 [" + ", ".join(["lol"] * width) + "]"]
    anchors += [f"  zz_b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * width) + "]" for i in range(1, depth)]
    text = text.replace("answers:\n", "answers:\n" + "\n".join(anchors) + "\n", 1)
    return text.replace(ALIAS_SPOT, f"*b{depth - 1}")


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(25))
@given(demo_with_an_alias())
def test_aliases_under_every_key_never_crash(text: str) -> None:
    run_all(text, FAST)


BRACES = [
    "{unit_name}",
    "{x}",
    "[[{x}]]",
    "[[{unit_name}]]",
    "{year|count}",
    "{dept}",
    "{{x}}",
    "[[",
    "]]",
    "{",
    "}",
]


def _get(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


TEXT_PATHS = [loc for loc in DEMO_PATHS if isinstance(_get(_demo_data(), loc), str)]


@st.composite
def demo_with_template_braces(draw: st.DrawFn) -> str:
    """The demo with template braces put into any one of its texts (record fields included)."""
    loc = draw(st.sampled_from(TEXT_PATHS))
    data = _demo_data()
    old = _get(data, loc)
    at = draw(st.integers(0, len(old)))
    return dump(_replace(data, loc, old[:at] + draw(st.sampled_from(BRACES)) + old[at:]))


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(25))
@given(demo_with_template_braces())
def test_template_braces_in_every_text_field_never_crash(text: str) -> None:
    run_all(text, FAST)


IMPORTS: list[tuple[list[str], set[int]]] = [
    (
        ["import", "{f}", "--year", "2019", "--dir", "{d}/a", "--force"],
        {OK, ExitCode.USAGE, BAD_ANSWERS, ExitCode.IO},
    ),
    (
        ["table", "{f}", "2025", "--form", "target", "--dir", "{d}/t", "--force"],
        {OK, BAD_ANSWERS, ExitCode.IO},
    ),
]


@st.composite
def hostile_xlsx(draw: st.DrawFn, folder: Path) -> Path:
    """An entity-bearing or large-dimension workbook (see tests/hostile_files.py)."""
    import hostile_files as hostile

    path = folder / "表.xlsx"
    kind = draw(st.sampled_from(["entities", "undefined", "dtd", "dimension"]))
    if kind == "entities":
        return hostile.entity_xlsx(path, depth=draw(st.integers(1, 12)))
    if kind == "undefined":
        return hostile.undefined_entity_xlsx(path)
    if kind == "dtd":
        return hostile.dtd_xlsx(path)
    column = draw(st.sampled_from(["A", "G", "Z", "AA", "XFD", "XFE", "A0", ""]))
    ref = f"A1:{column}{draw(st.sampled_from([1, 13, 6000, 1048576, 1048577, 10**9]))}"
    return hostile.dimension_xlsx(
        path, rows=draw(st.integers(0, 300)), ref=draw(st.sampled_from([ref, "", "A1", "x"]))
    )


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(20))
@given(st.data())
def test_entity_bearing_and_large_dimension_xlsx_never_crash(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = data.draw(hostile_xlsx(Path(d)))
        for template, allowed in IMPORTS:
            result = invoke([a.format(f=path, d=d) for a in template])
            shown = f"zjeval {template[0]} on {path.name}"
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise AssertionError(f"{shown}: traceback {result.exception!r}") from result.exception
            assert result.exit_code in allowed, f"{shown}: exit {result.exit_code}\n{result.stderr}"
            assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------- known cases, pinned


def run_limited(args: list[str]) -> subprocess.CompletedProcess[str]:
    """zjeval in a subprocess with 1 GB of memory and 60 s of CPU time (on POSIX), for inputs that blow up.

    The OS enforces both limits on the child (a runaway is killed and its exit status fails the
    test); nothing here depends on the wall clock, so a busy machine cannot fail it.
    """

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    return subprocess.run(
        [sys.executable, "-m", "zjeval", *args],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=limit if os.name == "posix" else None,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("figure", ["1.0e+999999999", "1.0e+999999", "1.0e+30"])
def test_money_with_too_many_digits_is_refused(tmp_path: Path, figure: str) -> None:
    path = tmp_path / "2024.yaml"
    path.write_text(
        dump(_replace(_demo_data(), ("answers", "income_total"), RawFloat(figure))), encoding="utf-8"
    )
    check = run_limited(["check", str(path), "--json"])
    assert "Traceback" not in check.stdout + check.stderr
    assert check.returncode == INCOMPLETE, check.stderr[-2000:]
    assert "位数过多" in check.stdout  # the limit typed answers get: 数字位数过多(超过 24 位)
    draft = run_limited(["render", str(path), "--draft"])
    assert "Traceback" not in draft.stdout + draft.stderr
    assert draft.returncode == OK, draft.stderr[-2000:]
    assert len(draft.stdout) < 200_000


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object:pathlib.Path {{}}",
    ],
)
def test_python_tags_are_refused_and_never_executed(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "PWNED"
    for text in (
        payload.format(marker=marker) + "\n",
        f"zjeval: 1\nform: zhanjiang\nyear: 2019\nanswers:\n  unit_name: {payload.format(marker=marker)}\n",
    ):
        path = tmp_path / "2019.yaml"
        path.write_text(text, encoding="utf-8")
        for template, _ in COMMANDS[:4]:
            result = runner.invoke(app, [a.format(f=path, d=tmp_path) for a in template])
            assert isinstance(result.exception, SystemExit), result.exception
            assert result.exit_code == BAD_ANSWERS, (text, result.stderr)
            assert str(path) in result.stderr
            assert re.search(re.escape(str(path)) + r":\d+", result.stderr), result.stderr
            assert "Traceback" not in result.stdout + result.stderr
        assert not marker.exists()


def test_debug_shows_the_traceback_and_still_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "2019.yaml"
    path.write_text("zjeval: 1\nform: zhanjiang\nyear: 20x9\nanswers: {}\n", encoding="utf-8")
    plain = runner.invoke(app, ["check", str(path)])
    assert plain.exit_code == BAD_ANSWERS
    assert "Traceback" not in plain.stdout + plain.stderr
    assert f"{path}:3" in plain.stderr

    debug = runner.invoke(app, ["--debug", "check", str(path)])
    assert isinstance(debug.exception, SystemExit)
    assert debug.exit_code == BAD_ANSWERS
    assert "Traceback (most recent call last)" in debug.stderr
    assert "AnswersError" in debug.stderr
    assert f"{path}:3" in debug.stderr  # and the Chinese message after it
    assert "Traceback" not in debug.stdout

    broken = tmp_path / "broken.yaml"
    broken.write_text("year: 2019\nanswers: [\n", encoding="utf-8")
    debug = runner.invoke(app, ["--debug", "render", str(broken), "--draft"])
    assert debug.exit_code == BAD_ANSWERS
    assert "Traceback (most recent call last)" in debug.stderr
    assert str(broken) in debug.stderr


def _alias_bomb(levels: int = 9, width: int = 10) -> str:
    lines = [
        "zjeval: 1",
        "form: zhanjiang",
        "year: 2019",
        "answers:",
        "  a0: &a0 [" + ",".join(["x"] * width) + "]",
    ]
    for i in range(1, levels):
        lines.append(f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_alias_bomb_is_handled_within_bounded_memory(tmp_path: Path) -> None:
    """A 'billion laughs' file: aliases give back the anchor's object, so nothing is expanded."""
    path = tmp_path / "2019.yaml"
    path.write_text(_alias_bomb(), encoding="utf-8")
    result = run_limited(["check", str(path)])
    assert result.returncode in (INCOMPLETE, BAD_ANSWERS)
    assert "Traceback" not in result.stderr
