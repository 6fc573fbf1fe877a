"""The unit's full name and the fiscal year of a report, and where each was read. Pure.

Sources in order of trust: the title, a cover block (部门名称 / 项目单位 / 评价年度 …), the
导语, the 落款. A short name ('湛江市科技局') gives way to a full one found elsewhere that
contains it ('湛江市科学技术局'); sources that disagree are reported, not silently chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zjeval import numerals
from zjeval.form.import_spec import ReportWords
from zjeval.importing import patterns as P

UNIT_LABELS = ("部门名称", "项目单位", "评价单位", "填报单位", "单位名称", "预算单位", "部门(单位)名称")
YEAR_LABELS = ("评价年度", "年度", "所属年度", "预算年度")
DATE_LABELS = ("填报日期", "评价日期", "报送日期")
WHOLE_LABELS = ("项目名称",)  # '2020年度部门整体支出'
PARENT_LABELS = ("主管部门",)
UNIT_END = (
    r"(?:局|委员会|委|办公室|办|院|中心|所|站|会|部|室|厅|处|馆|队|学校|大学|学院|医院|公司|政府"
    r"|法院|检察院|团|社|联|园)"
)
_TITLE_TAIL = re.compile(
    r"(?:关于)?(?:部门|单位)?(?:整体)?(?:支出|财政支出|预算)?(?:绩效)?(?:自评|自我评价|评价|自查)"
    r"|(?:部门|单位)?整体支出|部门决算"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_BARE_YEAR = re.compile(
    r"(?<![\d.〔\[［【(（])((?:19|20)\d{2})(?![\d.号〕\]］】)）])"
)  # '指挥中心2018绩效评价'
_UNIT_PART = re.compile(r"部门\s*[(（]\s*单位\s*[)）]")  # '部门(单位)整体支出': a wording, not the unit
_LABEL_PREFIX = re.compile(r"^(?:附件\s*\d*|[\u4e00-\u9fff]{2,8}(?:名称|单位|部门))\s*[:：]\s*")
_MASKED = re.compile(r"[XxＸｘ×*＊]{2,}|某{1,2}[\u4e00-\u9fff]?(?:单位|局|部门)|^[XxＸｘ×*＊]")
_TABLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?\s*(?:全年|年初)?(?:预算|决算|执行|实际|目标|指标)")
_BRACKET_YEAR = re.compile(r"^[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]$")
_NOTICE_YEAR = re.compile(r"《[^》]*?((?:19|20)\d{2})\s*年度?[^》]*?(?:绩效|自评|评价)[^》]*》")
_LEAD_UNIT = re.compile(rf"现将(?:(?:19|20)\d{{2}}年度?)?(?P<unit>[\u4e00-\u9fff()（）]{{2,40}}?{UNIT_END})")
_BODY_UNIT = re.compile(
    rf"(?:设立|^)(?P<unit>[\u4e00-\u9fff()（）]{{4,40}}?{UNIT_END})(?:为|是|设|共设|内设|成立于|属于|隶属)"
)
_SELF = re.compile(r"^(?:我|本|该|市|县|区)[\u4e00-\u9fff]{0,2}$")


@dataclass
class Meta:
    units: list[tuple[str, str]] = field(default_factory=list)  # (name, where), best first
    year: int | None = None
    year_from: str = ""
    notes: list[str] = field(default_factory=list)  # conflicts between sources, as warnings
    conflict: str = ""  # different years and nothing to choose between them: named in the error


def _clean_unit(text: str, words: ReportWords | None = None) -> str:
    """A unit's name as read, or "" when it is none: a self-reference (我局), a masked name (XX单位,
    ***), a label kept with it (附件3: / 部门名称:) taken off first."""
    text = re.sub(r"[(（]\s*(?:公章|盖章)\s*[)）]", "", text).strip(" ：:")
    text = _LABEL_PREFIX.sub("", text).strip(" ：:-—")
    masked = [_MASKED, *(re.compile(p) for p in (words.masked + words.projects if words else []))]
    if not text or _SELF.match(text) or len(text) < 3 or any(rx.search(text) for rx in masked):
        return ""
    if re.search(r"\d|[，。；;,:：]", text) or len(text) > 40:
        return ""  # a sentence or a line of the page, not a name
    return text


def _tail(rest: str, words: ReportWords | None) -> re.Match[str] | None:
    found = [
        m
        for rx in [_TITLE_TAIL, *(re.compile(p) for p in (words.title_tails if words else []))]
        if (m := rx.search(rest))
    ]
    return min(found, key=lambda m: m.start(), default=None)


def title_parts(title: str, words: ReportWords | None = None) -> tuple[str, int | None]:
    """'2021年茂名市发展和改革局部门整体支出绩效自评报告' -> ('茂名市发展和改革局', 2021); the year may
    stand bare after the unit ('…指挥中心2018绩效评价报告')."""
    title = _UNIT_PART.sub("部门", title)
    ym = _YEAR.search(title) or _BARE_YEAR.search(title)
    year = int(ym[1]) if ym else None
    rest = title[: ym.start()] + title[ym.end() :] if ym else title
    tail = _tail(rest, words)
    unit = rest[: tail.start()] if tail else ""
    return _clean_unit(unit.strip(" -—"), words), year


def _abbreviates(short: str, full: str) -> bool:
    """Whether `short` is `full` with characters left out ('湛江市科技局' of '湛江市科学技术局')."""
    return len(short) < len(full) and short[-1] == full[-1] and P.in_order(short, full)


def _cells(line: str, labels: tuple[str, ...], extra: list[str]) -> list[str]:
    """The values beside a label in a table row given as one line ('部门名称 XX局 主管部门 XX局',
    'cell | cell |'): the cell after each cell that is a label."""
    cells = [c.strip() for c in re.split(r"\s*[|｜]\s*|\s+", line.strip(" |｜")) if c.strip()]
    rxs = [re.compile(p) for p in extra]
    out = []
    for i, cell in enumerate(cells[:-1]):
        bare = re.sub(r"[(（][^)）]*[)）]|[:：]$", "", cell)
        if bare in labels or any(rx.fullmatch(bare) for rx in rxs):
            out.append(cells[i + 1])
    return out


def read(
    title: str,
    body: list[str],
    sig_unit: str,
    sig_date: str,
    override: int | None,
    words: ReportWords | None = None,
    page: list[str] | None = None,
    tables: list[str] | None = None,
) -> Meta:
    """Unit and year from the title, cover, table cells, 导语, 落款 and (last) the page around the
    report (`page`: its publisher field); `tables`: the attached tables' lines (自评表)."""
    words = words or ReportWords()
    out = Meta()
    # a year written digit by digit in words ('二〇二一年度') is read as the digits
    title, sig_date = numerals.year_digits(title), numerals.year_digits(sig_date)
    body = [numerals.year_digits(x) for x in body]
    tables = [numerals.year_digits(x) for x in tables] if tables is not None else None
    units: list[tuple[str, str]] = []
    years: list[tuple[int, str]] = []
    weak: list[tuple[int, str]] = []  # years only a table heading or a notice's name gives
    t_unit, t_year = title_parts(title, words)
    if t_unit:
        units.append((t_unit, "标题"))
    elif body and len(body[0]) <= 30 and (u := _clean_unit(body[0], words)) and re.search(UNIT_END + "$", u):
        units.append((u, "标题下一行"))  # a two-line title: the unit under the report's name
    if t_year:
        years.append((t_year, "标题"))
    parents: list[tuple[str, str]] = []  # 主管部门: the unit's parent, taken only when nothing else names one
    for line in [*body[:30], *(tables or [])[:40]]:
        m = P.COVER.match(line)
        if m:
            value = m["value"].strip()
            if m["label"] in UNIT_LABELS and _clean_unit(value, words):
                units.append((_clean_unit(value, words), "封面"))
            elif m["label"] in YEAR_LABELS and (ym := re.search(r"(?:19|20)\d{2}", value)):
                years.append((int(ym[0]), "封面"))
            continue
        for value in _cells(line, UNIT_LABELS, words.unit_labels):
            if _clean_unit(value, words):
                units.append((_clean_unit(value, words), "表格"))
        for value in _cells(line, PARENT_LABELS, []):
            if _clean_unit(value, words):
                parents.append((_clean_unit(value, words), "表格中的主管部门"))
        for value in _cells(line, YEAR_LABELS, []):
            if ym := re.search(r"(?:19|20)\d{2}", value):
                years.append((int(ym[0]), "表格"))
        if (bm := _BRACKET_YEAR.match(line)) or (
            line in (tables or []) and (bm := _YEAR.search(line)) and "绩效" in line and len(line) <= 60
        ):
            years.append((int(bm[1]), "表格标题"))
        for tm in _TABLE_YEAR.finditer(line):
            weak.append((int(tm[1]), "表格栏目"))
    lead = next((x for x in body[:30] if x.startswith("根据") or "现将" in x), "")
    if lead:
        lm = _LEAD_UNIT.search(lead)
        if lm and _clean_unit(lm["unit"], words):
            units.append((lm["unit"], "导语"))
        said = lead[lead.rfind("》") + 1 :]  # not the notice's own title
        said = P.DOCNO_ANY.sub("", said)
        ym = re.search(
            r"(?:对|现将|开展|本单位|我单位|我局|部门)\s*((?:19|20)\d{2})\s*年度?", said
        ) or _YEAR.search(said)
        if ym:
            years.append((int(ym[1]), "导语"))
        for nm in _NOTICE_YEAR.finditer(lead):
            weak.append((int(nm[1]), "通知名称"))
    if sig_unit and _clean_unit(sig_unit, words):
        units.append((sig_unit, "落款"))
    if sig_date and (ym := re.match(r"((?:19|20)\d{2})", sig_date.strip())):
        weak.append((int(ym[1]) - 1, "落款日期的上一年"))
    publisher = [
        (v, "网页的发布单位")
        for line in page or []
        for label in ("来源", "发布机构", "发布单位", *words.publisher_labels)
        for m in [re.search(rf"{label}\s*[:：]\s*(\S+)", line)]
        if m and (v := _clean_unit(m[1], words)) and re.search(UNIT_END + "$", v)
    ]
    body_units = [
        (m["unit"], "正文")
        for x in body
        for m in [_BODY_UNIT.search(x)]
        if m and _clean_unit(m["unit"], words)
    ]
    out.units = _best_units(units, body_units + publisher[:1] + parents, out.notes)
    if not years and weak:
        distinct = sorted({y for y, _ in weak})
        if len(distinct) == 1 or all(w.startswith("落款") for y, w in weak if y != weak[0][0]):
            years.append(weak[0])
        else:
            out.conflict = "、".join(f"{y}(取自{w})" for y, w in dict.fromkeys(weak))
    if years:
        out.year, out.year_from = years[0]
        strong = [(y, w) for y, w in years if not w.startswith("落款")]
        differ = sorted({f"{w} {y}" for y, w in strong if y != out.year})
        if differ:
            out.notes.append(f"评价年度取自{out.year_from}({out.year}),但" + "、".join(differ) + ",请核对")
    if override is not None and out.year is not None and override != out.year:
        out.notes.append(f"报告{out.year_from}中的年度为 {out.year},按 --year 导入为 {override} 年度")
    if out.year is not None:
        out.notes.insert(0, f"评价年度 {out.year}(取自{out.year_from})")
    return out


def _best_units(
    units: list[tuple[str, str]], body: list[tuple[str, str]], notes: list[str]
) -> list[tuple[str, str]]:
    """Candidates in order of trust, a short name replaced by a full one that contains it."""
    fuller = [u for u, _ in units + body]
    out: list[tuple[str, str]] = []
    for unit, where in units + body:
        longer = [
            f
            for f in fuller
            if _abbreviates(unit, f) or (unit != f and f.endswith(unit) and len(f) > len(unit))
        ]
        if longer:
            full = max(longer, key=len)
            notes.append(f"{where}中的单位名称“{unit}”是简称,按全称“{full}”导入")
            unit = full
        if unit not in [u for u, _ in out]:
            out.append((unit, where))
    names = [u for u, _ in out]
    if len(names) > 1 and units:
        top = names[0]
        others = [u for u, w in units if u != top and not _abbreviates(u, top)]
        if others:
            notes.append(f"单位名称取自{out[0][1]}“{top}”,但报告中还写作:" + "、".join(sorted(set(others))))
    return out
