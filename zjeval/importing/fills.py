"""The extractors, one per `kind` of the form's `import:` fills. Pure.

Each takes the lines of one section still unplaced and returns those it did not take; which
question it fills comes from the fill (the form), never from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from zjeval import numerals
from zjeval.answers.model import applies
from zjeval.answers.parsing import is_digits
from zjeval.form import import_spec as S
from zjeval.form import template as tpl
from zjeval.form.models import ListBlock, TextBlock
from zjeval.importing import lists
from zjeval.importing import patterns as P
from zjeval.importing.state import LEAD, Line, State, all_sections, section_blocks, sentence_of
from zjeval.report.typeset import writes_sentences

LEAD_RX = re.compile(
    r"^(?:根据|按照|依据|依照)(?P<cite>.+?)(?:的)?(?:有关|相关|统一)?(?:要求|部署|安排|精神)[,，、]?(?P<rest>.*)$"
)
TAIL = re.compile(r"现将[^。]*?如下[:：]?\s*$")
BASIS = re.compile(
    r"根据(?P<issuer>[^《》。]*?)(?:关于)?印发(?:的)?《(?P<name>[^》]+)》(?:的通知)?\s*[(（]?\s*(?P<docno>[^()（）《》]*?号)"
    r"\s*[)）]?\s*(?:精神|规定|要求)?[,，]?\s*(?:设立)?(?P<unit>[^，,。；;]*?)为(?P<nature>[^，,。；;]+)"
)
DEPTS = re.compile(
    rf"^(?P<unit>[^，,。；;]*?)(?:共)?(?:内)?设(?:有)?(?P<n>\d+|{numerals.NUMERAL})个(?:内设机构|(?:职能|内设)?(?:科室|股室))[，,]?\s*"
    r"(?:包括|分别为|分别是|为|是|有)?\s*[:：]?\s*(?P<list>[^。]+?)(?:[，,]\s*(?:下设|另设|另有)[^。]*)?(?:[。.].*)?$"
)
STATED_SCORE = re.compile(r"得分(?:为)?\s*(\d+(?:\.\d+)?)\s*分")
SUBMIT_DATE = re.compile(r"于\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")

Lines = list[Line]


def run(st: State, fill: S.Fill, lines: Lines, sid: str, listed: dict[int, Lines], number: int) -> Lines:
    """Apply one fill to a section's remaining lines; `number` identifies an intro-list fill."""
    match fill:
        case S.IntroListFill():
            return intro_list(st, fill, lines, listed.pop(number, []))
        case S.LeadFill():
            return lead(st, fill, lines, sid)
        case S.BasisFill():
            return basis(st, fill, lines, sid)
        case S.DepartmentsFill():
            return departments(st, fill, lines, sid)
        case S.FiguresFill():
            return figures(st, fill, lines, sid)
        case S.NumberedFill():
            return numbered(st, fill, lines, sid)
        case S.ReasonFill():
            return reason(st, fill, lines, sid)
        case S.ParagraphsFill():
            return paragraphs(st, fill, lines, sid)
        case S.ItemsFill():
            return items(st, fill, lines, sid)
        case S.GoalsFill():
            return goals(st, fill, lines, sid)
        case S.TeamFill():
            return team(st, fill, lines, sid)
        case S.ChoiceFill():
            return choice(st, fill, lines, sid)
        case S.TemplateItemsFill():
            return template_items(st, fill, lines, sid)
        case S.NoticeFill():
            return lines  # read with the document's notices before the sections (mapping._notice)


def _put(st: State, qid: str | None, value: object, sources: Lines, what: str = "") -> None:
    if sources and value:
        st.put(qid, value, sources, what)


def _put_text(st: State, qid: str | None, lines: Lines, what: str = "") -> Lines:
    """Lines as one paragraphs answer; when too long for it, as many leading lines as fit
    (the rest are returned, to stay unplaced). Returns the lines not placed."""
    if not lines:
        return []
    q = st.questions.get(qid) if qid else None
    limit = q.max_chars if q is not None else None
    take = lines
    if limit is not None and sum(len(x.text) for x in lines) > limit:
        take, total = [], 0
        for x in lines:
            if total + len(x.text) > limit:
                break
            take.append(x)
            total += len(x.text)
        if not take:  # not even the first fits: say why, keep them all
            st.put(qid, "\n".join(x.text for x in lines), [], what)
            return lines
    if st.put(qid, "\n".join(x.text for x in take), [], what):
        return [x for x in lines if x not in take]
    return lines


# ---------------------------------------------------------------- front


def lead(st: State, fill: S.LeadFill, lines: Lines, sid: str) -> Lines:
    """'根据《通知》(文号)的要求,……现将……报告如下:' -> the words in between."""
    rest: Lines = []
    for item in lines:
        lm = LEAD_RX.match(P.strip_number(item.text))
        if not lm or st.answers.get(fill.field) is not None:
            rest.append(item)
            continue
        tail = TAIL.search(lm["rest"])
        body = lm["rest"][: tail.start()] if tail else lm["rest"]
        if not st.put(fill.field, body.strip(), [item], "导语正文"):
            continue
        reference = st.text_of(LEAD)
        ref_tail = TAIL.search(reference)
        if not P.covered(f"根据{lm['cite']}的要求", reference[: ref_tail.start()] if ref_tail else reference):
            st.keep(item)
            st.found.append((fill.field, "导语所引依据与通知不完全一致,原文放入未归类内容"))
        elif tail and not (ref_tail and P.plain(tail[0]) == P.plain(ref_tail[0])):
            # the form's own closing, with an answer it names still unknown (the unit's 我局)?
            templates = [TAIL.search(b.text) for b in st.form.lead if isinstance(b, TextBlock)]
            if not any(m and st.read_fields(m[0], tail[0], "导语") for m in templates):
                st.keep(item, tail[0])
    return rest


# ---------------------------------------------------------------- single sentences


def _matching(
    lines: Lines, find: Callable[[str], re.Match[str] | None]
) -> tuple[list[tuple[Line, re.Match[str]]], Lines]:
    """The lines `find` matches, each with its match, and the other lines, in order."""
    hits, rest = [], []
    for item in lines:
        m = find(item.text)
        if m:
            hits.append((item, m))
        else:
            rest.append(item)
    return hits, rest


def basis(st: State, fill: S.BasisFill, lines: Lines, sid: str) -> Lines:
    hits, rest = _matching(lines, BASIS.search)
    for item, m in hits:
        issuer = "、".join(x for x in re.split(r"[\s、,，和及]+", m["issuer"].strip()) if x)
        ok = [
            st.put(fill.issuer, issuer, []),
            st.put(fill.name, m["name"], []),
            st.put(fill.docno, m["docno"], []),
            st.put(fill.nature, m["nature"].strip(), []),
        ]
        if not all(ok) or not P.covered(item.text, st.text_of(sid)):
            st.keep(item)
    return rest


def departments(st: State, fill: S.DepartmentsFill, lines: Lines, sid: str) -> Lines:
    hits, rest = _matching(lines, DEPTS.match)
    for item, m in hits:
        names = P.split_items(m["list"])
        st.put(fill.field, names, [item], f"内设机构:{len(names)}个")
        stated = m["n"]
        count = int(stated) if is_digits(stated) else numerals.integer(stated)
        if count is None:
            st.found.append((fill.field, f"文中说设{stated}个内设机构,不是确切的数,请核对名单"))
        elif count != len(names):
            st.found.append((fill.field, f"文中说设{stated}个内设机构,名单列出{len(names)}个,请核对"))
        if st.answers.get(fill.field) is not None and not P.covered(item.text, st.text_of(sid)):
            st.keep(item)
    return rest


def read_figures(st: State, lines: Lines) -> None:
    """Every figure the form's `figures:` phrases locate, with the sentence it came from. A figure
    in words is read in digits when it is an exact numeral (zjeval/numerals.py); a rough one (近,
    约, 余, 左右 …) is not typed, and the note says why."""
    for item in lines:
        for qid, rx in st.figure_patterns:
            for m in rx.finditer(item.text):
                if st.answers.get(qid) is None:
                    sentence = sentence_of(item.text, m.start())
                    said = m["amount"].replace("，", ",").replace(" ", "")
                    rough = numerals.approximate(item.text[: m.start("amount")], said, item.text[m.end() :])
                    digits = numerals.amount_digits(said)
                    label = st.questions[qid].label
                    if rough or digits is None:
                        why = f"是约数(“{rough}”)" if rough else "不是确切的数"
                        st.found.append((qid, f"未导入{label}:原文「{sentence[:40]}」{why}"))
                    elif st.put(qid, digits, [], ""):
                        st.source(qid, sentence)
                        st.figure_reads[item.index] = st.figure_reads.get(item.index, 0) + 1
                        words = f"文中写作「{said}」;" if digits != said else ""
                        st.found[-1] = (qid, f"{label}:{digits}({words}原文:{sentence[:40]})")
                break


def figures(st: State, fill: S.FiguresFill, lines: Lines, sid: str) -> Lines:
    """Lines stating figures are taken when the form's own sentences reproduce them, or when
    every amount in them was read into a question that keeps the sentence as its source."""
    rest: Lines = []
    kept = set(st.answers.sources.values())
    for item in lines:
        hits = [qid for qid, rx in st.figure_patterns if rx.search(item.text)]
        homes = list(dict.fromkeys(st.home[q] for q in hits if q in st.home))
        if hits and homes and P.covered(item.text, st.text_of(*homes)):
            continue
        amounts = len(P.ANY_AMOUNT.findall(item.text))
        sentences = [x.strip() for x in re.findall(r"[^。；;！？]+[。；;！？]?", item.text) if x.strip()]
        if amounts and st.figure_reads.get(item.index, 0) >= amounts and all(x in kept for x in sentences):
            continue
        rest.append(item)
    return rest


def numbered(st: State, fill: S.NumberedFill, lines: Lines, sid: str) -> Lines:
    tasks = [x for x in lines if P.enumerator_style(x.text)]
    _put(st, fill.field, [P.strip_number(x.text) for x in tasks], tasks)
    return [x for x in lines if x not in tasks]


def reason(st: State, fill: S.ReasonFill, lines: Lines, sid: str) -> Lines:
    hits = [x for x in lines if all(re.search(w, x.text) for w in fill.words)]
    left = _put_text(st, fill.field, hits)
    return sorted([x for x in lines if x not in hits] + left, key=lambda x: x.index)


def paragraphs(st: State, fill: S.ParagraphsFill, lines: Lines, sid: str) -> Lines:
    generated = [
        tpl.pattern(b.text)
        for b in section_blocks(st.form.sections, sid)
        if isinstance(b, TextBlock) and any(name not in st.questions for name, _ in tpl.fields(b.text))
    ]
    keep: Lines = []
    for x in lines:
        stated = STATED_SCORE.search(x.text) if fill.stated_score else None
        if stated:
            st.found.append((fill.field, f"原报告写明自评得分{stated[1]}分;得分由评分表计算,请核对"))
        if any(rx.match(x.text) for rx in generated):
            continue  # a sentence the form itself prints (from the 评分表)
        keep.append(x)
    return _put_text(st, fill.field, keep)


# ---------------------------------------------------------------- lists


def _unused(lines: Lines, unused: list[int]) -> tuple[Lines, Lines]:
    used = [x for i, x in enumerate(lines) if i not in unused]
    return used, [lines[i] for i in unused]


def items(st: State, fill: S.ItemsFill, lines: Lines, sid: str) -> Lines:
    values, unused = lists.parse_items([x.text for x in lines])
    used, rest = _unused(lines, unused)
    _put(st, fill.field, values, used)
    return rest


def intro_list(st: State, fill: S.IntroListFill, lines: Lines, listed: Lines) -> Lines:
    """The list after its marker line; the section's paragraphs before the marker are its intro."""
    markers = [x for x in listed if x.marker is not None]
    listed = [x for x in listed if x.marker is None]
    if not markers and not listed:  # no '主要职责是:': the section's numbered lines are the list
        listed = [x for x in lines if P.enumerator_style(x.text)]
        lines = [x for x in lines if x not in listed]
    first = min((x.index for x in [*markers, *listed]), default=None)
    intro = [x for x in lines if first is None or x.index < first]
    rest = [x for x in lines if x not in intro]
    for item in markers:
        m = re.search(fill.marker, item.text)
        head = item.text[: m.start()].strip() if m else item.text
        if head:
            intro.append(Line(item.index, head))
    rest += _put_text(st, fill.intro, intro) if fill.intro is not None else intro
    values, unused = lists.parse_items([x.text for x in listed])
    used, left = _unused(listed, unused)
    _put(st, fill.field, values, used)
    return sorted(rest + left, key=lambda x: x.index)


def goals(st: State, fill: S.GoalsFill, lines: Lines, sid: str) -> Lines:
    found, unused = lists.parse_goals([x.text for x in lines])
    records = [{fill.title: g.title, fill.points: g.points} for g in found]
    used, rest = _unused(lines, unused)
    _put(st, fill.field, records, used)
    return rest


def team(st: State, fill: S.TeamFill, lines: Lines, sid: str) -> Lines:
    members, unused = lists.parse_team([x.text for x in lines])
    keys = {"role": fill.role, "name": fill.name, "dept": fill.dept, "post": fill.post}
    records = [{keys[k]: v for k, v in m.items()} for m in members]
    used, rest = _unused(lines, unused)
    _put(st, fill.field, records, used)
    return rest


# ---------------------------------------------------------------- choices


def choice(st: State, fill: S.ChoiceFill, lines: Lines, sid: str) -> Lines:
    """The first wording found gives the choice; what the form's sentence does not say is detail."""
    rest: Lines = []
    chosen: Lines = []
    for x in lines:
        if fill.unanswered and re.search(fill.unanswered, x.text):
            rest.append(x)
            what = "提纲中的问题原样抄入而未回答:未作答,原文放入未归类内容"
            st.found.append((fill.field, what))
            continue
        if st.answers.get(fill.field) is None:
            value = next(
                (c for c, pats in fill.wordings.items() if any(re.search(p, x.text) for p in pats)), None
            )
            if value is not None and st.put(fill.field, value, []):
                chosen.append(x)
                continue
        (chosen if chosen else rest).append(x)
    if not chosen:
        return sorted(rest, key=lambda x: x.index)
    text = "".join(x.text for x in chosen)
    dm = SUBMIT_DATE.search(text)
    if fill.date and dm:
        st.put(fill.date, dm[1], [])
    details: Lines = []
    for x in chosen:
        parts = re.split(r"如下[:：]", x.text, maxsplit=1)
        if len(parts) == 2 and parts[1].strip() and fill.detail:
            st.put(fill.detail, parts[1].strip(), [x])
        if not P.covered(x.text, st.text_of(sid)):
            details.append(x)
    detail = st.questions.get(fill.detail) if fill.detail else None
    if details and detail is not None and applies(detail, st.answers) and st.answers.get(detail.id) is None:
        rest += _put_text(st, detail.id, details)
    else:
        rest += details
    return sorted(rest, key=lambda x: x.index)


def template_items(st: State, fill: S.TemplateItemsFill, lines: Lines, sid: str) -> Lines:
    """Records from the lines the form's list template printed, one numbered line each."""
    blocks = [b for s in all_sections(st.form.sections) for b in s.blocks if isinstance(b, ListBlock)]
    block = next((b for b in blocks if b.list == fill.field), None)
    q = st.questions.get(fill.field)
    if block is None or q is None:
        return lines
    rx = tpl.pattern(block.item)
    names = {f.id for f in q.fields}
    last = [name for name, _ in tpl.fields(block.item)][-1] if block.item.rstrip().endswith("}") else ""
    closes = writes_sentences(block.item)  # the report ends such an item with 。

    records: list[dict[str, str]] = []
    used: Lines = []
    for x in lines:
        m = rx.match(P.strip_number(x.text)) if P.enumerator_style(x.text) else None
        if m:
            record = {k: v.strip() for k, v in m.groupdict().items() if k in names and v}
            if closes and last in record:  # the 。 the report adds to the template's sentence
                record[last] = record[last].removesuffix("。")
            records.append(record)
            used.append(x)
    _put(st, fill.field, records, used)
    return [x for x in lines if x not in used]
