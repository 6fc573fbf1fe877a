"""Every scoring rule kind, two ways: the Decimal score and reason scoring computes, and the
Excel formula the workbook writes, evaluated in Python by pycel in a workbook where the score
formula's cell is the one the reason formula reads. They must agree on each generated case
(≥ 1,000 per kind, boundaries included).

Excel shows a number through its 15 significant digits, so TEXT(9.575,"0.00") is 9.58 in Excel
(and in Decimal); pycel formats the binary value (9.57). TEXT is given Excel's behaviour below
(`text`, a pycel plugin of this module); everything else is pycel's own. A blank input is fed
as "" (pycel cannot empty a cell once set): the rules only ask blank cells `=""`, as "" is.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")
pycel = pytest.importorskip("pycel")

from zjeval.form import calc  # noqa: E402
from zjeval.form.decimals import q2  # noqa: E402
from zjeval.form.framework import (  # noqa: E402
    Band,
    Bands,
    Change,
    Checklist,
    Deduction,
    Direct,
    Proportional,
    Qualitative,
    Ratio,
    Signed,
    Target,
    Threshold,
    Tier,
    value_expr,
)
from zjeval.form.profile import Cap, Caps, total_expr  # noqa: E402
from zjeval.form.row_rule import RowRule, evaluate  # noqa: E402
from zjeval.form.rule_kinds import computed_cell  # noqa: E402
from zjeval.form.target_rows import (  # noqa: E402
    Natures,
    NotApplicable,
    OverTarget,
    RowFields,
    RowGroup,
    Rows,
)
from zjeval.report.render import xlsx_rules  # noqa: E402

CASES = 1000
# the 自评表 row columns as the built-in layout places them (指标性质 D … 得分 I)
LETTERS = {"nature": "D", "target": "E", "actual": "G", "weight": "H", "score": "I"}
ZHANJIANG_DEMO = Path(__file__).resolve().parent.parent / "answers" / "examples" / "2024-示例数据.yaml"
CHANGE = Change(kind="change", this="a", last="b")
TIERS = [
    Tier(name="达成", min=Decimal("0.8"), max=Decimal(1), default=Decimal(1)),
    Tier(name="部分达成", min=Decimal("0.5"), max=Decimal("0.8"), default=Decimal("0.65")),
    Tier(name="未达成", min=Decimal(0), max=Decimal("0.5"), default=Decimal("0.25")),
]


def text(value: Any, code: str) -> Any:
    """TEXT as Excel computes it for the two codes the rules use: through 15 significant digits."""
    from pycel.lib import text as pycel_text  # type: ignore[import-untyped]

    if isinstance(value, bool) or not isinstance(value, (int, float)) or code not in ("0.00", "0"):
        return pycel_text.text(value, code)
    places = 2 if code == "0.00" else 0
    return str(Decimal(f"{value:.15g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


class Sheet:
    """A worksheet holding input cells and formulas, compiled once and recalculated per case."""

    def __init__(self, inputs: dict[str, str], formulas: dict[str, str]) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "S"
        for ref in inputs.values():
            ws[ref] = 0
        for ref, text_ in formulas.items():
            ws[ref] = text_
        self.inputs = inputs
        self.formulas = formulas
        self.xl = pycel.ExcelCompiler(excel=wb, plugins=[__name__])
        for ref in [*inputs.values(), *formulas]:  # into pycel's cell map
            self.xl.evaluate(f"S!{ref}")

    def run(self, env: dict[str, calc.Value]) -> dict[str, calc.Value]:
        for name, ref in self.inputs.items():
            value = env.get(name)
            self.xl.set_value(
                f"S!{ref}", "" if value is None else float(value) if isinstance(value, Decimal) else value
            )
        return {ref: _back(self.xl.evaluate(f"S!{ref}")) for ref in self.formulas}


def _back(out: Any) -> calc.Value:
    if isinstance(out, bool):
        return out
    if isinstance(out, (int, float)):
        return Decimal(repr(float(out)))
    return "" if out is None else str(out)


def same(python: calc.Value, sheet: calc.Value, what: str) -> None:
    if isinstance(python, Decimal):
        assert isinstance(sheet, Decimal), what
        assert q2(sheet) == q2(python), what
        assert abs(sheet - python) < Decimal("1e-9"), what
    else:
        assert sheet == ("" if python is None else python), what


def rates(rng: random.Random, marks: list[Decimal]) -> Iterator[calc.Value]:
    """Rates (% with two decimals) around the rule's own boundaries, and the odd cases."""
    yield from (None, "不适用", "新增", Decimal(0))
    for m in marks:
        yield from (m, m - Decimal("0.01"), m + Decimal("0.01"))
    while True:
        yield Decimal(rng.randint(-1000, 25000)) / 100


def weights(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(1, 200)) / 10


def indicator_sheet(score_f: str, reason_f: str) -> Sheet:
    return Sheet({"v": "E5"}, {"F5": score_f, "G5": reason_f})


def check_cell(cell: Any, env: dict[str, calc.Value], sheet: Sheet) -> None:
    """The workbook's F5 (score) and G5 (reason, reading F5) against the Decimal reading."""
    got = calc.evaluate(cell.score, env)
    out = sheet.run(env)
    same(got, out["F5"], f"score {env} {sheet.formulas['F5']}")
    both = {**env, "f": calc.number_or_none(got)}
    same(calc.evaluate(cell.reason, both), out["G5"], f"reason {both} {sheet.formulas['G5']}")


def rate_rules(rng: random.Random) -> Iterator[tuple[Any, list[Decimal]]]:
    while True:
        k = Decimal(rng.choice([1, 2, 5, 10, 25, 50])) / 100
        m = Decimal(rng.randint(50, 120))
        yield Threshold(kind="threshold", max=m, per_point=k), [m]
        yield Threshold(kind="threshold", min=m, per_point=k), [m]
        yield Proportional(kind="proportional"), [Decimal(100)]
        yield Target(kind="target", target=m, direction="up"), [m]
        yield Target(kind="target", target=m, direction="down"), [m]


@pytest.mark.parametrize(
    "kind", ["threshold_max", "threshold_min", "proportional", "target_up", "target_down"]
)
def test_rate_rules(kind: str) -> None:
    rng = random.Random(kind)
    picks = {"threshold_max": 0, "threshold_min": 1, "proportional": 2, "target_up": 3, "target_down": 4}
    n = 0
    gen = rate_rules(rng)
    while n < CASES:  # a few rules (each formula is compiled once), many values each
        rules = [next(gen) for _ in range(5)]
        rule, marks = rules[picks[kind]]
        w = weights(rng)
        change = rng.random() < 0.5
        score_f, reason_f = xlsx_rules.computed(CHANGE if change else None, rule, "E5", "F5", w)
        cell, sheet = computed_cell(rule, change, w), indicator_sheet(score_f, reason_f)
        values = rates(rng, [*marks, w])
        for _ in range(250):
            check_cell(cell, {"v": next(values)}, sheet)
            n += 1


def test_bands() -> None:
    rng = random.Random("bands")
    n = 0
    while n < CASES:
        mins = sorted(rng.sample(range(30, 101), rng.randint(1, 4)), reverse=True)
        w = Decimal(rng.randint(4, 20))
        scores = sorted((Decimal(rng.randint(0, int(w) * 10)) / 10 for _ in mins), reverse=True)
        scores[0] = w if rng.random() < 0.7 else scores[0]
        rule = Bands(
            kind="bands", bands=[Band(min=Decimal(m), score=s) for m, s in zip(mins, scores, strict=True)]
        )
        score_f, reason_f = xlsx_rules.computed(None, rule, "E5", "F5", w)
        cell, sheet = computed_cell(rule, False, w), indicator_sheet(score_f, reason_f)
        values = rates(rng, [Decimal(m) for m in mins])
        for _ in range(125):
            check_cell(cell, {"v": next(values)}, sheet)
            n += 1


def test_judged_rules() -> None:
    rng = random.Random("judged")
    n = 0
    while n < 3 * CASES:
        w = weights(rng)
        note = rng.choice(["", "制度未更新", 'a "quoted" reason'])
        qual = Qualitative(kind="qualitative", tiers=TIERS)
        checklist = Checklist(kind="checklist", items=[f"要点{i}" for i in range(rng.randint(1, 6))])
        deduction = Deduction(kind="deduction", per_violation=Decimal(rng.randint(1, 20)) / 10)
        cases: list[tuple[Any, Callable[[], calc.Value]]] = [
            (qual, lambda: rng.choice([None, "达成", "部分达成", "未达成"])),
            (
                checklist,
                functools.partial(rng.choice, [None, *map(Decimal, range(len(checklist.items) + 1))]),
            ),
            (deduction, lambda: rng.choice([None, *map(Decimal, range(12))])),
        ]
        for rule, pick in cases:
            score_f, reason_f = xlsx_rules.judged(rule, "E5", "F5", w, note)
            cell, sheet = rule.cell(w, note), indicator_sheet(score_f, reason_f)
            for _ in range(125):
                check_cell(cell, {"v": pick()}, sheet)
                n += 1


FIELDS = RowFields(
    level1="l1",
    level2="l2",
    name="n",
    nature="d",
    target="e",
    unit="u",
    actual="g",
    weight="h",
    tier="t",
    reason="r",
)


def row_spec(penalty: bool, marks: bool) -> Rows:
    return Rows(
        question="rows",
        fields=FIELDS,
        natures=Natures(up=["≥"], down=["≤"], equal=["="], qualitative=["定性"]),
        groups=[RowGroup(level1="产出指标", weight=Decimal(100))],
        over_target=OverTarget(over=Decimal(30), points=Decimal(2), source="s") if penalty else None,
        not_applicable=NotApplicable(words=["不适用"], source="s") if marks else None,
    )


def row_values(rng: random.Random, target: Decimal | None) -> calc.Value:
    if target is None or rng.random() < 0.1:
        return rng.choice([None, "完成", "不适用", Decimal(0)])
    edges = [
        target,
        target * Decimal("1.3"),
        target - Decimal("0.01"),
        target * Decimal("1.3") - Decimal("0.1"),
    ]
    if rng.random() < 0.4:
        return rng.choice(edges)
    return Decimal(rng.randint(0, int(target * 300) + 1)) / 100


def test_target_rows_quantitative() -> None:
    """≥ ≤ = rows (with and without the over-target penalty and 不适用 marks): the 得分 formula
    (I9) and the reason scoring gives (the 评分表's words, J9 reading I9) from one RowRule."""
    rng = random.Random("rows")
    cells = xlsx_rules.row_cells(9, LETTERS)
    inputs = {k: cells[k] for k in "degh"}
    sheets: dict[tuple[bool, bool], tuple[RowRule, Rows, Sheet]] = {}
    for penalty in (False, True):
        for marks in (False, True):
            spec = row_spec(penalty, marks)
            rule = RowRule.of(spec, TIERS)
            formulas = {"I9": xlsx_rules.row_score(rule, 9, LETTERS), "J9": calc.formula(rule.why(), cells)}
            sheets[penalty, marks] = rule, spec, Sheet(inputs, formulas)
    for n in range(CASES):
        rule, spec, sheet = sheets[n % 2 == 0, n % 3 == 0]
        target = rng.choice(
            [None, Decimal(0), Decimal(rng.randint(1, 2000)) / 10, Decimal(rng.randint(1, 100))]
        )
        record = {
            "d": rng.choice(["≥", "≤", "=", "?"]),
            "e": target,
            "g": row_values(rng, target),
            "h": rng.choice([None, Decimal(rng.randint(1, 30))]),
        }
        row = evaluate(spec, 1, record, TIERS)
        out = sheet.run(dict(record))
        same(row.score if row.applicable else "不适用", out["I9"], f"row {record} {sheet.formulas['I9']}")
        same(row.why, out["J9"], f"why {record}")


def test_target_rows_qualitative() -> None:
    """定性 rows: 得分 by tier, and the 偏差原因 cell naming the tier its 得分 falls in — edit the
    得分 in the workbook and the tier named follows."""
    rng = random.Random("tiers")
    cells = {**xlsx_rules.row_cells(9, LETTERS), "t": "K9"}
    rule = RowRule.of(row_spec(penalty=False, marks=False), TIERS)
    spec = row_spec(penalty=False, marks=False)
    by_tier = Sheet({"t": "K9", "h": "H9"}, {"I9": calc.formula(rule.tier_score(), cells)})
    remarks: dict[str, Sheet] = {}
    for n in range(CASES):
        w = Decimal(rng.randint(1, 30))
        tier = rng.choice([None, "达成", "部分达成", "未达成"])
        note = ("", "部分区县尚未配套")[n % 2]
        if note not in remarks:
            remarks[note] = Sheet({"i": "I9", "h": "H9"}, {"J9": xlsx_rules.row_remark(rule, 9, note, LETTERS)})
        record = {"d": "定性", "e": "建立", "g": "已建立", "h": w, "t": tier, "r": note}
        row = evaluate(spec, 1, record, TIERS)
        same(row.score, by_tier.run({"t": tier, "h": w})["I9"], f"tier {record}")
        same(row.remark, remarks[note].run({"i": row.score, "h": w})["J9"], f"remark {record}")
        # a 得分 typed into the workbook: the remark names the tier it falls in
        typed = Decimal(rng.randint(0, int(w) * 100)) / 100
        said = remarks[note].run({"i": typed, "h": w})["J9"]
        share = typed / w
        name = "达成" if share >= Decimal("0.8") else "部分达成" if share >= Decimal("0.5") else "未达成"
        assert said == f"评为{name}。{note}"


def test_total_rescale_and_caps() -> None:
    """折算 of rows marked 不适用 and the 执行率 caps on the total."""
    rng = random.Random("total")
    caps = Caps(
        of="exec",
        steps=[Cap(below=Decimal(b), total=Decimal(t)) for b, t in ((80, 89), (70, 79), (60, 69), (50, 59))],
        source="s",
    )
    inputs = {"t": "A1", "n": "B1", "x": "C1"}
    variants = {}
    for rescale in (False, True):
        for capped in (False, True):
            expr = total_expr(Decimal(100), caps if capped else None, rescale)
            variants[rescale, capped] = expr, Sheet(inputs, {"D1": calc.formula(expr, inputs)})
    for n in range(CASES):
        expr, sheet = variants[n % 2 == 0, n % 3 != 0]
        env: dict[str, calc.Value] = {
            "t": rng.choice([None, Decimal(rng.randint(0, 10000)) / 100]),
            "n": Decimal(rng.choice([0, 0, 5, 10, 15, 30])),
            "x": rng.choice(
                [
                    None,
                    "不适用",
                    Decimal(rng.randint(3000, 11000)) / 100,
                    *(Decimal(b) for b in (80, 70, 60, 50)),
                ]
            ),
        }
        same(calc.evaluate(expr, env), sheet.run(env)["D1"], f"total {env}")


def test_value_formulas() -> None:
    """指标值 from the 数据表: ratio, change (新增 from zero) and a figure as it is, over single,
    summed and signed operands, with a required figure left blank. (An optional figure left
    blank is written into the 数据表 as 0, so the sheet never holds it blank.)"""
    rng = random.Random("values")
    ids = ["a", "b", "c", "d"]
    inputs = {q: f"C{n}" for n, q in enumerate(ids, 1)}
    operands: list[Any] = ["a", ["a", "b"], Signed(add=["a", "c"], sub=["b"])]
    lasts: list[Any] = ["d", ["c", "d"], Signed(add=["d"], sub=["c"])]
    formulas_: list[Any] = [Direct(kind="value", of="a")]
    formulas_ += [Ratio(kind="ratio", num=x, den=y) for x in operands for y in lasts]
    formulas_ += [Change(kind="change", this=x, last=y) for x in operands for y in lasts]
    for formula in formulas_:
        for required in ({"a", "b", "c", "d"}, {"a", "d"}):
            cells = {inputs[q] for q in required}
            text = xlsx_rules.value_formula(formula, inputs.get, cells.__contains__)
            assert text is not None
            expr = value_expr(formula, required)
            sheet = Sheet(inputs, {"E1": text})
            for _ in range(60):
                env: dict[str, calc.Value] = {}
                for q in ids:
                    pick = rng.random()
                    value = (
                        None
                        if pick < 0.08
                        else Decimal(0)
                        if pick < 0.2
                        else Decimal(rng.randint(-500, 90000)) / 100
                    )
                    env[q] = value if value is not None or q in required else Decimal(0)
                python = calc.evaluate(expr, env)
                got = sheet.run(env)["E1"]
                if isinstance(python, Decimal):
                    assert isinstance(got, Decimal) and abs(got - python) <= abs(python) * Decimal("1e-12"), (
                        formula,
                        env,
                    )
                else:
                    assert got == ("" if python is None else python), (formula, env, text)


def test_the_demo_workbook_follows_a_tier_changed_to_未达成(tmp_path: Path) -> None:
    """The reported defect: set a 定性 result to 未达成 in the workbook and the 扣分原因 must say
    so (it kept the 部分达成 wording). Recalculated by pycel in the rendered workbook itself."""
    from zjeval.answers import store
    from zjeval.report import build
    from zjeval.report.render import xlsx

    path = tmp_path / "demo.xlsx"
    path.write_bytes(xlsx.render(build.build(*store.load(ZHANJIANG_DEMO))))
    ws = openpyxl.load_workbook(path)["评分表"]
    row = next(c.row for c in ws["C"] if c.value == "生态效益")
    xl = pycel.ExcelCompiler(filename=str(path), plugins=[__name__])
    before = xl.evaluate(f"评分表!G{row}")
    assert before.startswith("评为部分达成，按权重的65%计：")
    xl.set_value(f"评分表!E{row}", "未达成")
    assert xl.evaluate(f"评分表!F{row}") == 0.5  # 2 × 25%
    assert xl.evaluate(f"评分表!G{row}") == before.replace("部分达成，按权重的65%", "未达成，按权重的25%")
    xl.set_value(f"评分表!E{row}", "达成")
    assert xl.evaluate(f"评分表!G{row}") == ""


def test_scoring_and_the_workbook_writer_only_walk_rules() -> None:
    """No rule's arithmetic or wording is written twice: scoring and the writers hold no
    deduction wording and no rule kind's branches, only calls into the rules' expressions."""
    import ast

    root = Path(__file__).resolve().parent.parent / "zjeval"
    walkers = ["assess/scoring.py", "report/render/xlsx_rules.py", "report/render/xlsx_target.py"]
    wording = re.compile(r"扣\d|每个百分点|分计|不得分|评为|折算为|未达到指标值")
    for name in walkers:
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and not _docstring(tree, node):
                assert not wording.search(node.value), (name, node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
                kinds = ast.unparse(node.args[1])
                assert not re.search(r"\b(Threshold|Bands|Target)\b", kinds), (name, kinds)


def _docstring(tree: Any, node: Any) -> bool:
    import ast

    for parent in ast.walk(tree):
        body = getattr(parent, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and body[0].value is node:
            return True
    return False
