"""The report as typed data: structure, words and figures, numbered but not formatted.

Table cells carry values, not display strings: a figure is a `Num` (its Decimal and its kind),
a missing answer a `Gap`, an adjusted score a `Num` marked adjusted. Each renderer decides how a
value looks (through typeset.show, so they agree), and the XLSX renderer writes numbers and
formulas from these values without ever parsing text back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from zjeval.report.typeset import NumberKind, show

if TYPE_CHECKING:  # types only: the model stays import-light
    from zjeval.form.framework import Framework, Indicator
    from zjeval.form.target_rows import Natures

GAP = "【待填写】"


@dataclass(frozen=True)
class Num:
    """A number in a table: its value, its kind (how it is shown) and a suffix (“项达到”)."""

    value: Decimal
    kind: NumberKind
    suffix: str = ""  # printed after the number, e.g. "%", "/4项达到", "处问题"
    adjusted: bool = False  # a score the evaluator adjusted (overrides)

    def __str__(self) -> str:
        mark = "（调整）" if self.adjusted else ""
        return f"{show(self.value, self.kind)}{self.suffix}{mark}"


@dataclass(frozen=True)
class Gap:
    """An answer still missing: shown as 【待填写】, left empty and highlighted in a sheet."""

    what: str = ""

    def __str__(self) -> str:
        return GAP


Cell = str | Num | Gap


def text(cell: Cell) -> str:
    return str(cell)


@dataclass(frozen=True)
class Figure:
    """What a 数据表 row is: the question whose answer it shows (the sheet's input cell)."""

    qid: str
    kind: NumberKind
    required: bool
    min: Decimal | None = None
    max: Decimal | None = None


@dataclass(frozen=True)
class Scored:
    """What a 评分表 row is: the indicator (its formula and rule) and how it was scored.

    `judged` is the evaluator's answer for a judged rule (a tier name, or a count), None while
    it is missing; `note` is the evaluator's reason; an adjusted score keeps the computed one.
    """

    indicator: Indicator
    judged: str | Decimal | None = None
    note: str = ""
    adjusted: bool = False
    computed: Decimal | None = None


RowKind = Literal["data", "group", "subtotal", "total"]


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = "data"  # data | group (a heading row) | subtotal | total
    figure: Figure | None = None  # a 数据表 row
    scored: Scored | None = None  # a 评分表 row

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.cells)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    merge: tuple[int, ...] = ()  # label columns whose runs of equal values read as one (一级, 二级)
    wide: bool = False  # printed across the page (landscape)
    caption: str = ""  # a heading printed above the table when an attachment holds several
    natures: Natures | None = None  # target rows: the framework's 指标性质 wordings, for a sheet's formulas
    # what each column is (a 自评表 block's: label, initial … / level1, name, score …), for renderers
    # that place cells by meaning (a sheet's formulas); empty for other tables
    roles: tuple[str, ...] = ()
    block: str = ""  # a 自评表 block: header | funds | objectives | rows
    headless: bool = False  # no header row of captions (the 自评表's 项目名称 … rows)
    framework: Framework | None = None  # target rows: the framework (row rule, profile), for formulas


@dataclass(frozen=True)
class Attachment:
    """附件N: a titled table on its own page."""

    number: int
    kind: str  # data_table, scorecard, … (the form's attachment kind)
    name: str  # a short name for a sheet tab: 数据表, 评分表
    title: str  # the title printed above the table, and in the 附件说明, word for word
    table: Table
    title_lines: tuple[str, ...] = ()  # the title broken into lines by meaning
    more: tuple[Table, ...] = ()  # further tables of the same attachment (the 自评表's blocks)
    numbered: bool = True  # one of several (附件1, 附件2); a single attachment is 附件 alone

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.table, *self.more)

    @property
    def mark(self) -> str:
        """The mark above the attachment: 附件1, 附件2 … or 附件 when it is the only one (GB/T 9704 7.3.4)."""
        return f"附件{self.number}" if self.numbered else "附件"


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Item:
    """A list item: its number ('1.' or '（1）', or '' when unnumbered), text and sub-items."""

    label: str
    text: str
    children: tuple[Item, ...] = ()


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]


Content = Paragraph | ItemList


@dataclass(frozen=True)
class SectionNode:
    label: str  # '一、' or '（一）' ('' for an unnumbered section)
    title: str
    level: int  # 0 for 一、, 1 for （一）
    content: tuple[Content, ...] = ()
    sections: tuple[SectionNode, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}"


@dataclass(frozen=True)
class Grade:
    """The 评分表's total and grade, for the text and for the sheet's formulas."""

    total: Decimal | None
    grade: str | None
    bands: tuple[tuple[str, Decimal], ...]  # (name, inclusive lower bound), highest first


@dataclass(frozen=True)
class Report:
    title: str
    lead: tuple[Paragraph, ...]
    sections: tuple[SectionNode, ...]
    signature_unit: str
    signature_date: str
    year: int
    date: dt.date | None = None  # the 成文日期, for document metadata (renderers never read the clock)
    draft: bool = False
    gaps: int = 0  # how many 【待填写】 marks a draft carries
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    # the 评分表's grade bands (name, inclusive lower bound), highest first; empty without a framework
    grades: tuple[tuple[str, Decimal], ...] = ()
    title_lines: tuple[str, ...] = ()  # the title broken into lines by meaning (GB/T 9704 7.3.3)
    seal: bool = False  # 署名 with a seal (7.3.5.1) or without (7.3.5.2)
    subject: str = ""  # what the document is (the form's `subject`): the DOCX subject

    @property
    def attachment_note(self) -> tuple[str, ...]:
        """The 附件说明's entries, “1．<title>”, exactly as each attachment's own title; a single
        attachment is not numbered (附件：<title>, GB/T 9704 7.3.4)."""
        return tuple(f"{a.number}．{a.title}" if a.numbered else a.title for a in self.attachments)



@dataclass(frozen=True)
class ProjectTable:
    """One project of a year's book: its name, its report (whose 自评表 attachment is printed) and
    the figures the book's 汇总 shows for it."""

    name: str
    report: Report
    attachment: Attachment
    budget: Decimal | None
    exec: Decimal | None
    total: Decimal | None
    grade: str | None


@dataclass(frozen=True)
class ProjectBook:
    """A year's projects in one document: a 汇总 and each project's 自评表."""

    title: str
    year: int
    projects: tuple[ProjectTable, ...]
    grades: tuple[tuple[str, Decimal], ...] = ()
    date: dt.date | None = None
    draft: bool = False
