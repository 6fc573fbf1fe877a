"""Review a loaded batch with a profile: every rule over every submission, the 复核得分, the 汇总. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from zjeval.review import rescore
from zjeval.review.batch import Submission
from zjeval.review.copies import BATCH
from zjeval.review.facts import Facts, understand
from zjeval.review.model import Finding, Review, Summary
from zjeval.review.profile import LEVELS, Profile, Rule, Unreadable
from zjeval.review.prose import PROSE
from zjeval.review.rules import TABLE

Progress = Callable[[int, int], None]
UNREADABLE = Unreadable(kind="unreadable", id="unreadable", level="P0", source="报送材料应能打开和读取")


def _unreadable(profile: Profile, sub: Submission, why: str) -> Finding:
    rule = next(iter(profile.of(Unreadable)), UNREADABLE)
    return Finding(
        rule.level,
        sub.path.stem,
        str(sub.path),
        "整个文件",
        "文件无法读取,未能复核",
        why,
        rule.source,
        rule.advice or "重新报送可以打开的文件(.docx、.xlsx、有文字层的 .pdf,或 zjeval 答案文件)",
        rule.id,
    )


def _guarded(rule: Rule, facts: Facts, readable: list[Facts]) -> list[Finding]:
    """One rule over one submission; a rule that fails there is a finding, never a stop."""
    try:
        table = TABLE.get(type(rule))
        if table is not None:
            return list(table(rule, facts))
        prose = PROSE.get(type(rule))
        return list(prose(rule, facts, readable)) if prose is not None else []
    except Exception as exc:  # a defect of zjeval's must not cost the reviewer the batch
        return [
            Finding(
                "P1",
                facts.unit,
                facts.file,
                "整个文件",
                f"复核规则 {rule.id} 未能检查此文件(zjeval 的缺陷,请报告)",
                f"{type(exc).__name__}: {exc}",
                rule.source,
                "人工核对这一项,并把此条报告给 zjeval 的维护者",
                rule.id,
            )
        ]


def _summary(facts: Facts, profile: Profile, findings: list[Finding]) -> Summary:
    reviewed, notes = rescore.review_score(facts, profile)
    framework = facts.card.framework if facts.card is not None else None

    def grade(score: Decimal | None) -> str | None:
        return framework.grade_for(score) if framework is not None and score is not None else None

    counts = _counts(findings)
    return Summary(
        facts.file,
        facts.unit,
        facts.title,
        facts.form.name + ("(由报告导入)" if facts.sub.imported else ""),
        facts.answers.year,
        facts.stated,
        reviewed,
        grade(facts.stated),
        grade(reviewed),
        facts.execution,
        counts,
        tuple(notes),
    )


def _worst_first(s: Summary) -> tuple[object, ...]:
    dev = s.deviation if s.deviation is not None else Decimal(0)
    return (
        -s.counts["P0"],
        -s.counts["P1"],
        -dev,
        s.reviewed if s.reviewed is not None else Decimal(-1),
        -s.counts["P2"],
        s.file,
    )


def review(subs: Sequence[Submission], profile: Profile, progress: Progress | None = None) -> Review:
    findings: list[Finding] = []
    readable: list[Facts] = []
    broken: list[Submission] = []
    for i, sub in enumerate(subs, 1):
        if sub.error or sub.form is None:
            findings.append(_unreadable(profile, sub, sub.error))
            broken.append(sub)
        else:
            try:
                readable.append(understand(sub, profile.execution_indicators))
            except Exception as exc:  # one submission that cannot be understood never stops a batch
                findings.append(_unreadable(profile, sub, f"无法复核:{type(exc).__name__}: {exc}"))
                broken.append(sub)
        if progress is not None:
            progress(i, len(subs))
    for facts in readable:
        for rule in profile.rules:
            findings.extend(_guarded(rule, facts, readable))
    for rule in profile.rules:
        across = BATCH.get(type(rule))
        if across is not None:
            findings.extend(across(rule, readable))
    order = {r.id: i for i, r in enumerate(profile.rules)}
    findings.sort(key=lambda f: (f.level, f.file, order.get(f.rule, -1)))
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    summaries = [_summary(x, profile, by_file.get(x.file, [])) for x in readable]
    summaries += [
        Summary(
            str(s.path),
            s.path.stem,
            s.path.name,
            "",
            None,
            None,
            None,
            None,
            None,
            None,
            {**dict.fromkeys(LEVELS, 0), **_counts(by_file.get(str(s.path), []))},
        )
        for s in broken
    ]
    summaries.sort(key=_worst_first)
    grades: dict[str, None] = {}
    for x in readable:
        if x.card is not None:
            grades.update((g.name, None) for g in x.card.framework.grades)
    return Review(profile.id, tuple(summaries), tuple(findings), tuple(grades))


def _counts(findings: list[Finding]) -> dict[str, int]:
    out: dict[str, int] = dict.fromkeys(LEVELS, 0)
    for f in findings:
        out[f.level] += 1
    return out
