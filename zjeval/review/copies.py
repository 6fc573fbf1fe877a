"""Copy-paste across the batch and across years. Pure and deterministic.

Another unit's name in a unit's text; paragraphs shared nearly word for word between units
(character shingles compared by Jaccard similarity, candidates found by prefix filtering so a
large batch stays fast); this year's answers equal to last year's; every project of a unit at
full marks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from math import ceil
from typing import Any

from zjeval.form.decimals import num
from zjeval.review.evidence import finding
from zjeval.review.facts import Facts, Text
from zjeval.review.model import Finding
from zjeval.review.profile import AllFull, OtherUnitName, Rule, SameAsLastYear, SharedParagraphs

_SPACE = re.compile(r"\s+")
_SUFFIX = re.compile(r"[（(][^（()）]*[)）]$")  # "（示例数据）" after a name
SHOWN = 3  # units named in one finding; the rest are counted


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def _names(facts: Facts) -> set[str]:
    """A unit's name as the text may write it: in full, and without a bracketed suffix."""
    out = {facts.unit}
    bare = _SUFFIX.sub("", facts.unit)
    if len(bare) >= 4:
        out.add(bare)
    return out


def other_unit_name(rule: OtherUnitName, batch: Sequence[Facts]) -> Iterator[Finding]:
    named = [f for f in batch if f.unit != f.sub.path.stem]  # units whose name the file states
    owner: dict[str, str] = {}
    for f in named:
        for name in _names(f):
            owner.setdefault(name, f.unit)
    if len(set(owner.values())) < 2:
        return
    rx = re.compile("|".join(re.escape(n) for n in sorted(owner, key=lambda n: (-len(n), n))))
    for f in batch:
        own = _names(f) | f.units
        for t in f.texts:
            if t.type == "text" or t.default:
                continue
            for m in rx.finditer(t.text):
                other = owner[m[0]]
                if other == f.unit or any(m[0] in n or n in m[0] for n in own):
                    continue
                yield finding(
                    rule,
                    f,
                    t.where,
                    f"文字中出现其他单位「{other}」的名称",
                    f"「{_quote(t.text, m.start())}」",
                    "删去照抄的内容,按本单位的实际情况重写",
                )
                break


def _quote(text: str, at: int, width: int = 60) -> str:
    start = max(0, at - width // 2)
    return ("……" if start else "") + text[start : start + width] + ("……" if start + width < len(text) else "")


def _shingles(text: str, n: int) -> frozenset[str]:
    return frozenset(text[i : i + n] for i in range(max(1, len(text) - n + 1)))


def shared_paragraphs(rule: SharedParagraphs, batch: Sequence[Facts]) -> Iterator[Finding]:
    paras: list[tuple[Facts, Text, str, frozenset[str]]] = []
    for f in batch:
        for t in f.texts:
            if t.default:
                continue
            for line in t.text.splitlines():
                norm = _norm(line)
                if len(norm) >= rule.min_chars:
                    paras.append((f, t, line.strip(), _shingles(norm, rule.shingle)))
    freq = Counter(s for *_, sh in paras for s in sh)
    threshold = float(rule.similarity)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, (*_, sh) in enumerate(paras):
        ordered = sorted(sh, key=lambda s: (freq[s], s))
        prefix = len(ordered) - ceil(threshold * len(ordered)) + 1
        for s in ordered[:prefix]:
            postings[s].append(i)
    matches: dict[int, dict[int, Decimal]] = defaultdict(dict)
    seen: set[tuple[int, int]] = set()
    for ids in postings.values():
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if (i, j) in seen or paras[i][0].unit == paras[j][0].unit:
                    continue
                seen.add((i, j))
                a, b = paras[i][3], paras[j][3]
                inter = len(a & b)
                sim = Decimal(inter) / Decimal(len(a) + len(b) - inter)
                if sim >= rule.similarity:
                    matches[i][j] = matches[j][i] = sim
    for i in sorted(matches):
        f, text, line, _ = paras[i]
        best: dict[str, tuple[Decimal, int]] = {}
        for j, sim in matches[i].items():
            unit = paras[j][0].unit
            if unit not in best or (sim, -j) > (best[unit][0], -best[unit][1]):
                best[unit] = (sim, j)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        shown = "、".join(f"「{u}」{paras[j][1].where}({_share(s)})" for u, (s, j) in ranked[:SHOWN])
        more = f"等{len(ranked)}个单位" if len(ranked) > SHOWN else ""
        yield finding(
            rule,
            f,
            text.where,
            f"段落与其他单位{more or '的报告'}雷同:{shown}",
            f"「{_quote(line, 0, 80)}」",
            "按本单位的实际情况重写,不照抄其他单位的文字",
        )


def _share(sim: Decimal) -> str:
    return f"相同程度{num((sim * 100).quantize(Decimal(1)))}%"


def same_as_last_year(rule: SameAsLastYear, batch: Sequence[Facts]) -> Iterator[Finding]:
    by_unit: dict[tuple[str, str], dict[int, Facts]] = defaultdict(dict)
    for f in batch:
        by_unit[(f.unit, f.title.replace(str(f.answers.year), ""))].setdefault(f.answers.year, f)
    for years in by_unit.values():
        for year, f in sorted(years.items()):
            last = years.get(year - 1)
            if last is None:
                continue
            for t in f.texts:
                if t.item or not any(w in t.label for w in rule.labels):
                    continue
                before = [x for x in last.texts if x.label == t.label and _norm(x.text) == _norm(t.text)]
                if before and _norm(t.text):
                    yield finding(
                        rule,
                        f,
                        t.where,
                        f"{t.label}与上年({last.answers.year}年,{last.file})一字不差",
                        f"「{_quote(t.text, 0, 80)}」",
                        f"针对{year}年的实际情况重写{t.label}",
                    )


def all_projects_full(rule: AllFull, batch: Sequence[Facts]) -> Iterator[Finding]:
    if rule.of != "projects":
        return
    groups: dict[tuple[str, int, str], list[Facts]] = defaultdict(list)
    for f in batch:
        groups[(f.unit, f.answers.year, f.form.id)].append(f)
    for (_, year, _), items in sorted(groups.items()):
        if len(items) < rule.min_count:
            continue
        if all(f.stated is not None and f.stated >= f.full_marks() for f in items):
            for f in items:
                yield finding(
                    rule,
                    f,
                    "自评得分",
                    f"该单位{year}年报送的{len(items)}个项目自评全部满分",
                    "、".join(f"「{x.title}」{num(x.stated or Decimal(0))}分" for x in items[:5]),
                    "逐个项目核实指标完成情况,如实扣分",
                )


_Check = Callable[[Any, Sequence[Facts]], Iterator[Finding]]  # Any: its rule class (its key in BATCH)
BATCH: dict[type[Rule], _Check] = {
    OtherUnitName: other_unit_name,
    SharedParagraphs: shared_paragraphs,
    SameAsLastYear: same_as_last_year,
    AllFull: all_projects_full,
}
