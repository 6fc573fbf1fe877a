"""What a review produces: findings (the 复核问题清单) and one summary per submission (the 汇总)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from zjeval.review.profile import LEVELS, Level


@dataclass(frozen=True)
class Finding:
    level: Level
    unit: str  # 单位 (or the file's name when the unit is unknown)
    file: str
    where: str  # 位置: section, table row or paragraph
    finding: str  # 发现
    fact: str  # 事实: the figures or sentence it rests on, quoted
    basis: str  # 依据: the rule and where it comes from
    advice: str  # 建议
    rule: str  # the profile's rule id

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Summary:
    """One row of the 汇总: a unit's (or project's) submission, as stated and as reviewed."""

    file: str
    unit: str
    title: str  # the submission's own title (the report's or the project's)
    form: str
    year: int | None
    stated: Decimal | None  # 自评得分, as the unit states it
    reviewed: Decimal | None  # 复核得分, recomputed from its own figures and the profile
    stated_grade: str | None
    reviewed_grade: str | None
    execution: Decimal | None  # 执行率, %
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))  # level -> findings
    adjustments: tuple[str, ...] = ()  # how the 复核得分 differs from the figures' own score

    @property
    def deviation(self) -> Decimal | None:
        """偏离度 = (自评 − 复核) ÷ 自评, in %."""
        if self.stated is None or self.reviewed is None or self.stated == 0:
            return None
        return ((self.stated - self.reviewed) / self.stated * 100).quantize(Decimal("0.01"))

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["deviation_percent"] = self.deviation
        return out


@dataclass(frozen=True)
class Review:
    profile: str
    summaries: tuple[Summary, ...]
    findings: tuple[Finding, ...]
    grades: tuple[str, ...] = ()  # the grade names of the batch's 评分表s, best first

    def count(self, level: Level) -> int:
        return sum(f.level == level for f in self.findings)
