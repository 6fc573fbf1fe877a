"""How a form's 自评表 looks, as form data: its header rows, the funds block (which row is the
total and where it goes, the sources under it, what their unscored cells show), the 年度总体目标
and the indicator rows (columns with their captions, optional columns, the 总分 and grade rows).

Python knows the kinds of block (header, funds, objectives, rows) and the roles of the indicator
columns (the framework's row fields plus `score`); every word printed comes from the form.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, model_validator

from zjeval.form.question import Id, Label, Strict

# the indicator table's column roles: the framework's row fields, and the computed 得分
RowRole = Literal[
    "level1", "level2", "name", "nature", "target", "unit", "actual", "weight", "score", "reason"
]
ROW_ROLES: tuple[str, ...] = get_args(RowRole)
NEEDED_ROLES = (
    "level1",
    "name",
    "nature",
    "target",
    "actual",
    "weight",
    "score",
)  # a table without one is no 自评表


class HeaderField(Strict):
    """A header row of the table: a caption and the answer beside it (项目名称, 单位名称 …)."""

    label: Label
    field: Id


class FundsRow(Strict):
    """One line of the funds block: a source of funds (or the total) and its three figures (万元)."""

    label: Label
    initial: Id  # 年初预算数
    budget: Id  # 全年预算数
    exec: Id  # 全年执行数


class FundsBlock(Strict):
    """The funds block: the total row (scored by the framework's `indicator`), the sources under
    it (其中 …), the 7 column captions, and what a source row shows where only the total is scored."""

    caption: str = ""  # printed above the block in the text and Markdown outputs
    columns: list[Label] = Field(
        min_length=7, max_length=7
    )  # label, 年初, 全年预算, 全年执行, 分值, 执行率, 得分
    total: FundsRow
    parts: list[FundsRow] = Field(default_factory=list)
    total_first: bool = True  # the total before its parts (the official table) or after them
    blank: str  # what a source row shows as its 分值 / 执行率 / 得分 (the official table: —)
    indicator: Id | None = None  # the framework indicator that scores the total (预算执行率)

    def lines(self) -> list[FundsRow]:
        """Every row of the block, in printed order."""
        return [self.total, *self.parts] if self.total_first else [*self.parts, self.total]


class ObjectivesBlock(Strict):
    """The 年度总体目标: a records question, its declared and achieved fields, two captions."""

    caption: str = ""
    columns: list[Label] = Field(min_length=2, max_length=2)
    list: Id
    declared: Id
    achieved: Id


class RowColumn(Strict):
    role: RowRole
    caption: Label


class RowsBlock(Strict):
    """The indicator rows: columns in printed order, the ones dropped when no row fills them,
    the total row's label and the grade row's label (empty: no grade row)."""

    caption: str = ""
    columns: list[RowColumn] = Field(min_length=1)
    optional: list[RowRole] = Field(default_factory=list)  # dropped when every row leaves it empty
    total: Label  # the total row's label (总分)
    grade: str = ""  # the label of a row of its own holding the grade ("" prints none)

    @model_validator(mode="after")
    def _roles(self) -> RowsBlock:
        roles = [c.role for c in self.columns]
        doubled = sorted({r for r in roles if roles.count(r) > 1})
        if doubled:
            raise ValueError(f"列 {'、'.join(doubled)} 重复")
        missing = [r for r in NEEDED_ROLES if r not in roles]
        if missing:
            raise ValueError(f"缺少列 {'、'.join(missing)}(自评表必须有这些列)")
        stray = [r for r in self.optional if r not in roles]
        if stray:
            raise ValueError(f"optional 中的 {'、'.join(stray)} 不在 columns 中")
        return self
