"""A published report (as paragraphs) -> answers for a form, as completely as patterns allow.

Pure. The steps: cut the web page's own text away, find the title, cover block, 导语 and
落款, cut the text into the outline's sections by their headings (numbered or not, under any
of the names the form's `import: sections:` gives), then let each section's fills read its
values (see fills.py). Every value goes through values.validate; whatever cannot be placed, or
would lose words if re-rendered from the form's templates, goes to the form's `unplaced`
question, so that nothing of the source is lost and `zjeval check` points at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zjeval.answers.model import Answers, check_year
from zjeval.answers.parsing import DocNo
from zjeval.answers.values import validate
from zjeval.errors import AnswersError, ZjevalError
from zjeval.form import import_spec as S
from zjeval.form import template as tpl
from zjeval.form.models import Form, TextBlock
from zjeval.importing import attached, doubts, fills, meta, page, selftable, sentences
from zjeval.importing import patterns as P
from zjeval.importing.state import FRONT, HEADING, Line, State, all_sections, headings
from zjeval.report.build import GAP


@dataclass(frozen=True)
class ImportResult:
    answers: Answers
    found: list[tuple[str, str]]  # (question id, short description of what was found)
    leftovers: list[str]  # the paragraphs put into the unplaced question, in source order
    placed: list[tuple[str, int, int]] = field(default_factory=list)  # (section title, placed, total)
    meta: meta.Meta | None = None  # unit, year and where they were read


def import_paragraphs(form: Form, paragraphs: list[str], year: int | None = None) -> ImportResult:
    """Answers for `form` from a report's paragraphs; see the module docstring for the steps.

    `year` overrides the fiscal year read from the report; without it the report must say it.
    """
    spec = form.import_ or S.ImportSpec()
    heads = headings(spec)
    lines = [P.clean(x) for p in paragraphs for x in p.splitlines()]
    lines = [x for x in lines if x and x != GAP]
    title, body, published = page.trim_portal(lines)
    body = page.drop_contents(body, heads)
    body, attachments = page.split_attachments(body)
    body, sig_unit, sig_date = page.signature(body, heads)
    body = page.join_wrapped(body, heads)
    portal = [x for x in lines[:60] if page.is_portal(x)]
    found = meta.read(title, body, sig_unit, sig_date, year, spec.report, portal, attachments)
    the_year = year if year is not None else found.year
    if the_year is None and found.conflict:
        raise ZjevalError(
            f"报告中有不同的年度,无法确定评价年度:{found.conflict}",
            "请用 --year 指定,例如:zjeval import 报告.txt --year 2019",
        )
    if the_year is None:
        raise ZjevalError(
            "报告的标题、封面、表格、导语和落款中都没有找到评价年度",
            "请用 --year 指定,例如:zjeval import 报告.txt --year 2019",
        )
    try:  # the same test as check's and render's, so an import never writes a year they refuse
        check_year(the_year, "" if year is not None else f"报告{found.year_from}中的")
    except AnswersError as exc:
        hint = "请用 --year 指定评价年度,例如:zjeval import 报告.txt --year 2019"
        raise ZjevalError(exc.message, hint) from None
    st = State(form, spec, the_year, Answers(year=the_year, form_id=form.id))
    st.found.extend(("", note) for note in found.notes)
    items = [Line(i, t) for i, t in enumerate(body)]
    tables = [Line(n, t) for n, t in enumerate(attachments, len(body) + 1)]
    _segment(items, spec, heads)
    unit = _unit_name(st, found)
    for fill in spec.front:
        if isinstance(fill, S.NoticeFill):
            _notice(st, fill, items, unit)
    _dates(st, items, sig_date, published)
    st.origin = "自评表"
    used = selftable.read(st, items) | selftable.read(st, tables)
    _extract(st, [x for x in items if x.index not in used])
    st.origin = "附件表格"
    _attachments(st, [x for x in tables if x.index not in used])
    _drop_generated(st)
    doubts.mark(st)
    st.left.sort(key=lambda x: x[0])
    leftovers = [text for _, text in st.left]
    if leftovers:
        if spec.unplaced is None or spec.unplaced not in st.questions:
            raise ZjevalError(
                f"表单 {form.id} 没有存放未归类段落的问题,有 {len(leftovers)} 段无法导入",
                "请在表单文件中加上 import: unplaced: 问题id(一个 paragraphs 类型的问题),以保证一段不丢",
            )
        st.answers.set(spec.unplaced, validate(st.questions[spec.unplaced], "\n".join(leftovers)))
        st.found.append((spec.unplaced, f"{len(leftovers)}段未能归类,请移到相应问题后删除"))
    return ImportResult(st.answers, st.found, leftovers, _placed(st, items), found)


def _placed(st: State, items: list[Line]) -> list[tuple[str, int, int]]:
    """Per section of the source: how many of its paragraphs went into a question."""
    texts = {item.index: item.text for item in items}
    left = {i for i, text in st.left if text == texts.get(i)}  # kept whole: a tail kept is not
    titles = {s.id: s.title for s in all_sections(st.form.sections)}
    out: dict[str, list[int]] = {}
    for item in items:
        if item.key == HEADING:
            continue
        name = titles.get(item.key, "标题与导语")
        counts = out.setdefault(name, [0, 0])
        counts[0] += item.index not in left
        counts[1] += 1
    return [(name, a, b) for name, (a, b) in out.items()]


# ---------------------------------------------------------------- sections


def _segment(items: list[Line], spec: S.ImportSpec, heads: P.Headings) -> None:
    """Give each line its section; headings get HEADING (the form prints its own outline).

    A line ending in an intro-list fill's marker ('主要职责是:') starts that list, wherever it is.
    """
    lists = [(n, re.compile(f.marker)) for n, f in enumerate(_intro_lists(spec))]
    text_to = {sid: s.text_to for sid, s in spec.sections.items() if s.text_to}
    key = FRONT
    listing: int | None = None
    list_style: str | None = None  # numbering of the list running in the current section
    for pos, item in enumerate(items):
        announces = listing is None and any(rx.search(item.text) for _, rx in lists)
        h = None if announces else P.heading_key(item.text, heads)  # '主要职责是:' starts a list
        style = P.enumerator_style(item.text)
        in_list = listing is not None and len(P.strip_number(item.text)) > P.HEADING_MAX
        # ① 1. (1) are list numbers, not the outline's: the same style as the item before continues it
        in_list = in_list or (style in ("circ", "num", "pnum") and style == list_style)
        list_style = None if h is not None and not in_list else style
        if h is not None and not in_list:
            key, listing = text_to.get(h[0], h[0]), None
            item.key = HEADING
            if h[1]:
                item.text, item.key = h[1], key
            continue
        if listing is not None and style is None and pos and P.ENDS_SENTENCE.search(items[pos - 1].text):
            listing = None
        item.key, item.listed = key, listing
        if listing is None:
            marker = next((n for n, rx in lists if rx.search(item.text)), None)
            if marker is not None:
                item.marker = item.listed = listing = marker


def _intro_lists(spec: S.ImportSpec) -> list[S.IntroListFill]:
    return [f for s in spec.sections.values() for f in s.fill if isinstance(f, S.IntroListFill)]


def _extract(st: State, items: list[Line]) -> None:
    literal = {
        P.plain(b.text)
        for s in all_sections(st.form.sections)
        for b in s.blocks
        if isinstance(b, TextBlock) and b.when is None and not any(tpl.fields(b.text))
    }
    groups: dict[str, list[Line]] = {}
    listed: dict[int, list[Line]] = {}
    for item in items:
        if item.key == HEADING or (P.plain(item.text) in literal and item.marker is None):
            continue
        if attached.any_row(st, item):
            continue  # a table's row in the body (a Word table, a workbook)
        if item.listed is not None:
            listed.setdefault(item.listed, []).append(item)
        else:
            groups.setdefault(item.key, []).append(item)
    spec = st.spec
    sections = {FRONT: spec.front, **{sid: s.fill for sid, s in spec.sections.items()}}
    st.origin = "正文的数字"
    stating = [
        sid
        for sid, section_fills in sections.items()
        if any(isinstance(f, S.FiguresFill) for f in section_fills)
    ]
    for sid in [
        *stating,
        *[k for k in groups if k not in stating],
    ]:  # every figure first: coverage needs them all
        fills.read_figures(st, groups.get(sid, []))  # the sections that state figures first, then any other
    st.origin = "正文中表单自己的句式"
    sentences.read_sentences(st, [x for lines in [*groups.values(), *listed.values()] for x in lines])
    numbers = {id(f): n for n, f in enumerate(_intro_lists(spec))}
    titles = {s.id: s.title for s in all_sections(st.form.sections)}
    for sid in [FRONT, *[k for k in sections if k != FRONT]]:
        st.origin = f"正文「{titles[sid]}」" if sid in titles else "标题与导语"
        lines = groups.pop(sid, [])
        if sid == FRONT:
            lines = _cover(st, lines)
        for fill in sections[sid]:
            lines = fills.run(st, fill, lines, sid, listed, numbers.get(id(fill), -1))
        for x in lines:
            st.keep(x)
    for lines in [*groups.values(), *listed.values()]:  # sections without fills
        for x in lines:
            st.keep(x)


# ---------------------------------------------------------------- title block, cover, 落款


def _unit_name(st: State, found: meta.Meta) -> str:
    unit_q = st.form.signature.unit
    for unit, where in found.units:
        st.origin = where
        if st.put(unit_q, unit, [], f"单位全称(取自{where}):{unit}"):
            others = sorted({u for u, _ in found.units if u != unit})
            if others:
                st.found.append((unit_q, "报告中还用了其他名称:" + "、".join(others)))
            return unit
    return ""


def _cover(st: State, lines: list[Line]) -> list[Line]:
    """Cover-block lines: taken when their value is already an answer, else kept as they are."""
    rest: list[Line] = []
    for item in lines:
        m = P.COVER.match(item.text)
        if not m:
            rest.append(item)
            continue
        label, value = m["label"], m["value"].strip()
        unit = st.answers.get(st.form.signature.unit)
        if label in meta.YEAR_LABELS and str(st.year) in value:
            continue
        if label in meta.WHOLE_LABELS and str(st.year) in value and "整体" in value:
            continue  # 项目名称:2020年度部门整体支出 — what the title says
        if label in (*meta.UNIT_LABELS, *meta.PARENT_LABELS) and value == unit:
            continue
        if label in meta.DATE_LABELS and st.answers.get(st.form.signature.date) is not None:
            continue
        st.keep(item)
    return rest


def _notice(st: State, fill: S.NoticeFill, items: list[Line], unit: str) -> None:
    """The notice's 文号, name and issuer; every 文号 in the text rewritten in the standard form."""
    texts = [i.text for i in items]
    refs = list(P.docrefs(texts))
    basis = [r for r in refs if re.search(r"职能配置|内设机构|三定|编制规定", texts[r.line] + r.name)]
    others = [r for r in refs if r not in basis]
    lead = next(
        (i.index for i in items if i.key == FRONT and fills.LEAD_RX.match(P.strip_number(i.text))), -1
    )
    # of the documents the 导语 cites, the notice names the year evaluated (a national rule does not)
    cited = [r for r in others if r.line == lead]
    year = str(st.year)
    first = (
        next((r for r in cited if year in r.name), None)
        or next((r for r in cited if "通知" in r.name and re.search(r"开展|自评", r.name)), None)
        or (cited[-1] if cited else None)
        or next((r for r in others if "通知" in r.name and re.search(r"评价|绩效|自评", r.name)), None)
    )
    replace: dict[DocNo, str] = {}
    if first is not None:
        key = (first.docno.year, first.docno.number)
        group = [r for r in others if (r.docno.year, r.docno.number) == key]
        named = next((r for r in group if r.name), first)
        chosen = str(named.docno)
        st.put(fill.docno, chosen, [])
        for r in group:
            replace[r.docno] = chosen
        for variant in sorted({str(r.docno) for r in group} - {chosen}):
            st.found.append((fill.docno, f"同一通知的另一种写法 {variant},已统一为 {chosen}"))
        if named.name:
            st.put(fill.name, named.name, [])
        issuer = named.issuer
        city = re.match(r"^(.+?市)", unit)
        if issuer.startswith("市") and city:
            issuer = city[1].removesuffix("市") + issuer
        if issuer:
            st.put(fill.issuer, issuer, [])
    for item in items:
        for r in reversed(list(P.docrefs([item.text]))):
            item.text = item.text[: r.start] + replace.get(r.docno, str(r.docno)) + item.text[r.end :]


def _dates(st: State, items: list[Line], sig_date: str, published: str) -> None:
    covers = [m for i in items if (m := P.COVER.match(i.text))]
    cover = next((m["value"] for m in covers if m["label"] in meta.DATE_LABELS), "")
    date_q = st.form.signature.date
    for raw, where in ((sig_date, "落款"), (cover, "封面"), (published, "网页发布时间,请核对")):
        st.origin = where.split(",")[0]
        if raw and st.put(date_q, raw.strip(), [], f"成文日期(取自{where}):{raw.strip()}"):
            return


def _attachments(st: State, lines: list[Line]) -> None:
    """附件 tables: 数据表 and 评分表 rows read back (attached.py); the rest is kept for now."""
    for line in lines:
        if attached.any_row(st, line):
            continue
        text = line.text
        if not (re.match(r"^(附件\s*\d*|\[.*\]|-+)$", text) or text.endswith(("数据表", "评分表"))):
            st.keep(line)


def _drop_generated(st: State) -> None:
    """Table rows the form itself prints from the answers read (indicator values, subtotals,
    the total, column heads) are not leftovers: rendering prints them again."""
    if st.left and st.form.attachments:
        generated = attached.generated_rows(st)
        st.left = [(n, text) for n, text in st.left if attached.row_key(text) not in generated]
