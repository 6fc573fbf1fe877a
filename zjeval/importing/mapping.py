"""A published report (as paragraphs) -> answers for a form, as completely as patterns allow.

Pure. The steps: cut the web page's own text away, find the title, cover block, 导语 and
落款, cut the text into the outline's sections by their headings (numbered or not, under any
of their usual names, see import_patterns.HEADINGS), then read each section's values by
pattern. Every value goes through values.validate; whatever cannot be placed, or would
lose words if re-rendered from the form's templates, goes to the `unclassified` question,
so that nothing of the source is lost and `zjeval check` points at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from zjeval.answers.model import Answers
from zjeval.answers.values import DocNo, InvalidValue, Value, format_value, validate
from zjeval.form import template as tpl
from zjeval.form.models import Form, Question, Section, TextBlock
from zjeval.importing import page
from zjeval.importing import patterns as P
from zjeval.report.build import GAP, UNIT_SUFFIX
from zjeval.report.typeset import fullwidth

UNCLASSIFIED = "unclassified"
_LEAD = re.compile(r"^根据(?P<cite>.+?)(?:的)?(?:有关|相关)?要求[,，、]?(?P<rest>.*)$")
_TAIL = re.compile(r"现将[^。]*?如下[:：]?\s*$")
_DUTIES = re.compile(r"主要(?:职责|职能)(?:是|为|如下|包括|有)?[:：]\s*$")
_BASIS = re.compile(
    r"根据(?P<issuer>[^《》。]*?)(?:关于)?印发(?:的)?《(?P<name>[^》]+)》(?:的通知)?\s*[(（]?\s*(?P<docno>[^()（）《》]*?号)"
    r"\s*[)）]?\s*(?:精神|规定|要求)?[,，]?\s*(?:设立)?(?P<unit>[^，,。；;]*?)为(?P<nature>[^，,。；;]+)"
)
_DEPTS = re.compile(
    r"^(?P<unit>[^，,。；;]*?)(?:共)?(?:内)?设(?:有)?(?P<n>\d+|[一二三四五六七八九十]+)个内设机构[，,]?\s*"
    r"(?:包括|分别为|分别是|为|是|有)?\s*[:：]?\s*(?P<list>.+?)[。.]?$"
)
_SCORE_TEMPLATE = re.compile(r"^经自评，.*年度部门整体支出绩效自评得分为.*分，等级为“.*”。(其中：.*。)?$")
_STATED_SCORE = re.compile(r"得分(?:为)?\s*(\d+(?:\.\d+)?)\s*分")
_ROW = re.compile(r"^(?P<label>\S.*?)\s+(?P<unit>万元|人|项|%)\s+(?P<value>-?[\d,.]+)$")


@dataclass(frozen=True)
class ImportResult:
    answers: Answers
    found: list[tuple[str, str]]  # (question id, short description of what was found)
    leftovers: list[str]  # the paragraphs put into `unclassified`, in source order


@dataclass
class _Line:
    index: int
    text: str
    key: str = "front"


@dataclass
class _State:
    form: Form
    year: int
    questions: dict[str, Question]
    answers: Answers
    found: list[tuple[str, str]] = field(default_factory=list)
    left: list[tuple[int, str]] = field(default_factory=list)

    def keep(self, line: _Line | int, text: str | None = None) -> None:
        if isinstance(line, _Line):
            self.left.append((line.index, line.text if text is None else text))
        else:
            self.left.append((line, text or ""))

    def put(self, qid: str, raw: Any, sources: list[_Line], what: str = "") -> bool:
        """Validate and set; on failure the source lines go to unclassified with the reason."""
        try:
            value = validate(self.questions[qid], raw)
        except InvalidValue as exc:
            for s in sources:
                self.keep(s)
            self.found.append((qid, f"未导入({exc.path}{exc.message}),原文放入未归类内容"))
            return False
        if value is None:
            return False
        self.answers.set(qid, value)
        self.found.append((qid, what or _short(self.questions[qid], value)))
        return True

    def text_of(self, section_id: str) -> str:
        """What the form prints for a section's text blocks with the answers so far (for coverage)."""
        out = []
        blocks = self.form.lead if section_id == "lead" else _section(self.form.sections, section_id)
        for block in blocks:
            if isinstance(block, TextBlock):
                out.append(tpl.OPTIONAL.sub(r"\1", block.text))
        return tpl.expand("".join(out), self._field_text)

    def _field_text(self, name: str, flt: str | None) -> str:
        if name == "year":
            return str(self.year)
        q = self.questions.get(name)
        value = self.answers.get(name) if q else None
        if q is None or value is None:
            return ""
        return str(len(value)) if flt == "count" and isinstance(value, list) else format_value(q, value)


def _short(q: Question, value: Value) -> str:
    if isinstance(value, list):
        return f"{q.label}:{len(value)}项"
    text = format_value(q, value)
    return f"{q.label}:{text[:30]}{'…' if len(text) > 30 else ''}"


def _section(sections: list[Section], sid: str) -> list[Any]:
    for s in sections:
        if s.id == sid:
            return list(s.blocks)
        inner = _section(s.sections, sid)
        if inner:
            return inner
    return []


def import_paragraphs(form: Form, paragraphs: list[str], year: int) -> ImportResult:
    """Answers for `form` from a report's paragraphs; see the module docstring for the steps."""
    st = _State(form, year, form.questions(), Answers(year=year, form_id=form.id))
    lines = [P.clean(x) for p in paragraphs for x in p.splitlines()]
    lines = [x for x in lines if x and x != GAP]
    title, body, published = page.trim_portal(lines)
    body, attachments = page.split_attachments(body)
    body, sig_unit, sig_date = page.signature(body)
    body = page.join_wrapped(body)
    items = [_Line(i, t) for i, t in enumerate(body)]
    _segment(items)
    unit = _unit_name(st, title, items, sig_unit)
    _notice(st, items, unit)
    _dates(st, items, sig_date, published)
    _extract(st, items)
    _attachments(st, attachments, len(body))
    st.left.sort(key=lambda x: x[0])
    leftovers = [text for _, text in st.left]
    if leftovers:
        st.answers.set(UNCLASSIFIED, validate(st.questions[UNCLASSIFIED], "\n".join(leftovers)))
        st.found.append((UNCLASSIFIED, f"{len(leftovers)}段未能归类,请移到相应问题后删除"))
    return ImportResult(st.answers, st.found, leftovers)


# ---------------------------------------------------------------- sections


def _segment(items: list[_Line]) -> None:
    """Give each line its section key; headings get key 'heading' (the form prints its own)."""
    key = "front"
    before_duties = ""
    list_style: str | None = None  # numbering of the list running in the current section
    for item in items:
        h = P.heading_key(item.text)
        style = P.enumerator_style(item.text)
        in_list = key == "duties" and len(P.strip_number(item.text)) > P.HEADING_MAX
        # ① 1. (1) are list numbers, not the outline's: the same style as the item before continues it
        in_list = in_list or (style in ("circ", "num", "pnum") and style == list_style)
        list_style = None if h is not None and not in_list else style
        if h is not None and not in_list:
            key = P.TOP_LEVEL.get(h[0], h[0])
            item.key = "heading"
            if h[1]:
                item.text, item.key = h[1], key
            continue
        if key == "duties":
            numbered = P.enumerator_style(item.text) is not None
            if not numbered and P.ENDS_SENTENCE.search(_prev_text(items, item)):
                key = before_duties
        item.key = key
        if key in ("front", "org", "work", "spending") and _DUTIES.search(item.text):
            before_duties, key = key, "duties"
            item.key = "duties_intro"


def _prev_text(items: list[_Line], item: _Line) -> str:
    i = items.index(item)
    return items[i - 1].text if i > 0 else ""


def _unit_name(st: _State, title: str, items: list[_Line], sig_unit: str) -> str:
    candidates: list[tuple[str, str]] = []
    if sig_unit:
        candidates.append((sig_unit, "落款"))
    for item in items:
        m = P.COVER.match(item.text)
        if m and m["label"] in ("评价单位", "填报单位", "单位名称") and m["value"]:
            candidates.append((m["value"], "封面"))
        m2 = _BASIS.search(item.text)
        if m2 and m2["unit"]:
            candidates.append((m2["unit"], "“三定”依据"))
        m3 = _DEPTS.match(item.text)
        if m3 and m3["unit"] and not re.match(r"^(我|本)", m3["unit"]):
            candidates.append((m3["unit"], "内设机构"))
    tm = re.match(r"^(?P<unit>.+?)\s*(?P<year>\d{4})\s*年", title)
    if tm:
        candidates.append((tm["unit"].strip(), "标题"))
        if int(tm["year"]) != st.year:
            st.found.append(("unit_name", f"标题中的年度 {tm['year']} 与导入年度 {st.year} 不同"))
    for unit, where in candidates:
        if st.put("unit_name", unit, [], f"单位全称(取自{where}):{unit}"):
            others = sorted({u for u, _ in candidates if u != unit})
            if others:
                st.found.append(("unit_name", "报告中还用了其他名称:" + "、".join(others)))
            return unit
    return ""


def _notice(st: _State, items: list[_Line], unit: str) -> None:
    """The notice's 文号, name and issuer; every 文号 in the text rewritten in the standard form."""
    texts = [i.text for i in items]
    refs = list(P.docrefs(texts))
    basis = [r for r in refs if re.search(r"职能配置|内设机构|三定|编制规定", texts[r.line] + r.name)]
    others = [r for r in refs if r not in basis]
    lead = next((i.index for i in items if i.key == "front" and _LEAD.match(P.strip_number(i.text))), -1)
    first = next((r for r in others if r.line == lead), None) or next(
        (r for r in others if "通知" in r.name and re.search(r"评价|绩效|自评", r.name)), None
    )
    replace: dict[DocNo, str] = {}
    if first is not None:
        key = (first.docno.year, first.docno.number)
        group = [r for r in others if (r.docno.year, r.docno.number) == key]
        named = next((r for r in group if r.name), first)
        chosen = str(named.docno)
        st.put("notice_no", chosen, [])
        for r in group:
            replace[r.docno] = chosen
        for variant in sorted({str(r.docno) for r in group} - {chosen}):
            st.found.append(("notice_no", f"同一通知的另一种写法 {variant},已统一为 {chosen}"))
        if named.name:
            st.put("notice_name", named.name, [])
        issuer = named.issuer
        city = re.match(r"^(.+?市)", unit)
        if issuer.startswith("市") and city:
            issuer = city[1].removesuffix("市") + issuer
        if issuer:
            st.put("notice_issuer", issuer, [])
    for item in items:
        for r in reversed(list(P.docrefs([item.text]))):
            item.text = item.text[: r.start] + replace.get(r.docno, str(r.docno)) + item.text[r.end :]


def _dates(st: _State, items: list[_Line], sig_date: str, published: str) -> None:
    covers = [m for i in items if (m := P.COVER.match(i.text))]
    cover = next((m["value"] for m in covers if m["label"] in ("填报日期", "评价日期")), "")
    for raw, where in ((sig_date, "落款"), (cover, "封面"), (published, "网页发布时间,请核对")):
        if raw and st.put("report_date", raw.strip(), [], f"成文日期(取自{where}):{raw.strip()}"):
            return


# ---------------------------------------------------------------- values by section


def _extract(st: _State, items: list[_Line]) -> None:
    literal = {
        P.plain(b.text)
        for s in _all_blocks(st.form.sections)
        for b in s
        if isinstance(b, TextBlock) and not any(tpl.fields(b.text))
    }
    groups: dict[str, list[_Line]] = {}
    for item in items:
        if item.key == "heading" or (item.key != "disclosure" and P.plain(item.text) in literal):
            continue
        groups.setdefault(item.key, []).append(item)
    _sections(st, groups)


def _all_blocks(sections: list[Section]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for s in sections:
        out.append(list(s.blocks))
        out.extend(_all_blocks(s.sections))
    return out


def _attachments(st: _State, lines: list[str], base: int) -> None:
    """附件 tables: the 数据表's figures are read back; anything else is kept unclassified."""
    labels = {
        fullwidth(UNIT_SUFFIX.sub("", q.label)): q.id
        for q in st.questions.values()
        if q.type in ("money", "integer", "percent", "number")
    }
    for n, line in enumerate(lines, base + 1):
        m = _ROW.match(line)
        qid = labels.get(m["label"]) if m else None
        if m and qid:
            if st.answers.get(qid) is None:
                st.put(qid, m["value"], [_Line(n, line)], f"{m['label']}:{m['value']}(取自附件数据表)")
            continue
        if re.match(r"^(附件\s*\d*|\[.*\]|-+|项目 单位 数值)$", line) or line.endswith(("数据表", "评分表")):
            continue
        st.keep(n, line)


def _sections(st: _State, groups: dict[str, list[_Line]]) -> None:
    money: list[_Line] = []
    intro: list[_Line] = []
    marker = next((x.index for x in groups.get("duties_intro", [])), None)
    for key in ("front", "org", "work", "spending"):
        rest: list[_Line] = []
        for item in groups.pop(key, []):
            if key == "front" and _front(st, item):
                continue
            if _basis(st, item) or _departments(st, item):
                continue
            if key == "spending" and "超" in item.text and re.search(r"原因|系|由于|因为", item.text):
                rest.append(item)  # the reason for spending above the budget, not new figures
            elif _money_line(st, item):
                money.append(item)
            else:
                rest.append(item)
        if key == "org":
            intro += [x for x in rest if marker is None or x.index < marker]
            for x in rest:
                if x not in intro:
                    st.keep(x)
        elif key == "work":
            tasks = [x for x in rest if P.enumerator_style(x.text)]
            _put_lines(st, "key_tasks", [P.strip_number(x.text) for x in tasks], tasks)
            plain_lines = [x for x in rest if x not in tasks]
            _put_lines(st, "overall_work", "\n".join(x.text for x in plain_lines), plain_lines)
        elif key == "spending":
            over = [x for x in rest if "超" in x.text]
            _put_lines(st, "expense_over_reason", "\n".join(x.text for x in over), over)
            for x in rest:
                if x not in over:
                    st.keep(x)
        else:
            for x in rest:
                st.keep(x)
    reference = st.text_of("spending")
    for item in money:
        if not P.covered(item.text, reference):
            st.keep(item)
    for item in groups.pop("duties_intro", []):
        m = _DUTIES.search(item.text)
        head = item.text[: m.start()].strip() if m else item.text
        if head:
            intro.append(_Line(item.index, head))
    _put_lines(st, "duties_intro", "\n".join(x.text for x in intro), intro)
    duties = groups.pop("duties", [])
    items, unused = P.parse_items([x.text for x in duties])
    _put_lines(st, "duties", items, duties)
    _keep_unused(st, duties, unused)
    goal_lines = groups.pop("goals", [])
    goals, unused = P.parse_goals([x.text for x in goal_lines])
    records = [{"title": g.title, "points": g.points} for g in goals]
    _put_lines(st, "goals", records, [x for i, x in enumerate(goal_lines) if i not in unused])
    _keep_unused(st, goal_lines, unused)
    team_lines = groups.pop("team", [])
    members, unused = P.parse_team([x.text for x in team_lines])
    _put_lines(st, "team", members, [x for i, x in enumerate(team_lines) if i not in unused])
    _keep_unused(st, team_lines, unused)
    proc = groups.pop("procedure", [])
    _put_lines(st, "process_text", "\n".join(x.text for x in proc), proc)
    _submission(st, groups.pop("submission", []))
    _disclosure(st, groups.pop("disclosure", []))
    _score(st, groups.pop("score", []))
    for qid in ("problems", "improvements"):
        lines = groups.pop(qid, [])
        items, unused = P.parse_items([x.text for x in lines])
        _put_lines(st, qid, items, [x for i, x in enumerate(lines) if i not in unused])
        _keep_unused(st, lines, unused)
    for lines in groups.values():  # imported, and any key without a home
        for x in lines:
            st.keep(x)


def _put_lines(st: _State, qid: str, value: Any, sources: list[_Line]) -> None:
    if sources and value:
        st.put(qid, value, sources)


def _keep_unused(st: _State, lines: list[_Line], unused: list[int]) -> None:
    for i in unused:
        st.keep(lines[i])


def _front(st: _State, item: _Line) -> bool:
    """Cover-block lines and the 导语; True when the line is dealt with."""
    m = P.COVER.match(item.text)
    if m:
        if m["label"] == "评价年度":
            ym = re.search(r"\d{4}", m["value"])
            if ym and int(ym[0]) != st.year:
                st.found.append(("unit_name", f"封面的评价年度 {ym[0]} 与导入年度 {st.year} 不同"))
            return True
        if m["label"] in ("评价单位", "填报单位", "单位名称") and m["value"] == st.answers.get("unit_name"):
            return True
        if m["label"] in ("填报日期", "评价日期") and st.answers.get("report_date") is not None:
            return True
        st.keep(item)
        return True
    lm = _LEAD.match(P.strip_number(item.text))
    if not lm or st.answers.get("lead_text") is not None:
        return False
    rest = lm["rest"]
    tail = _TAIL.search(rest)
    lead = rest[: tail.start()] if tail else rest
    if not st.put("lead_text", lead.strip(), [item], "导语正文"):
        return True
    reference = st.text_of("lead")
    ref_tail = _TAIL.search(reference)
    if not P.covered(f"根据{lm['cite']}的要求", reference[: ref_tail.start()] if ref_tail else reference):
        st.keep(item)
        st.found.append(("lead_text", "导语所引依据与通知不完全一致,原文放入未归类内容"))
    elif tail and not (ref_tail and P.plain(tail[0]) == P.plain(ref_tail[0])):
        st.keep(item, tail[0])
    return True


def _basis(st: _State, item: _Line) -> bool:
    m = _BASIS.search(item.text)
    if not m:
        return False
    issuer = "、".join(x for x in re.split(r"[\s、,，和及]+", m["issuer"].strip()) if x)
    ok = [
        st.put("basis_issuer", issuer, []),
        st.put("basis_doc_name", m["name"], []),
        st.put("basis_docno", m["docno"], []),
        st.put("unit_nature", m["nature"].strip(), []),
    ]
    if not all(ok) or not P.covered(item.text, st.text_of("org")):
        st.keep(item)
    return True


def _departments(st: _State, item: _Line) -> bool:
    m = _DEPTS.match(item.text)
    if not m:
        return False
    names = P.split_items(m["list"])
    st.put("departments", names, [item], f"内设机构:{len(names)}个")
    stated = m["n"]
    count = int(stated) if stated.isdigit() else P.CN_DIGITS.index(stated[-1]) + 1 if len(stated) == 1 else 0
    if count and count != len(names):
        st.found.append(("departments", f"文中说设{stated}个内设机构,名单列出{len(names)}个,请核对"))
    if st.answers.get("departments") is not None and not P.covered(item.text, st.text_of("org")):
        st.keep(item)
    return True


def _money_line(st: _State, item: _Line) -> bool:
    hit = False
    for qid, rx in P.MONEY_PATTERNS:
        m = rx.search(item.text)
        if m:
            hit = True
            if st.answers.get(qid) is None:
                st.put(qid, m["amount"].replace("，", ",").replace(" ", ""), [])
    return hit


def _submission(st: _State, lines: list[_Line]) -> None:
    if not lines:
        return
    text = "".join(x.text for x in lines)
    quality = (
        "未按时报送"
        if re.search(r"未按时|未能按时|逾期", text)
        else "按时报送但部分材料后补"
        if "后补" in text
        else "按时、完整报送"
        if re.search(r"按时.{0,4}完整|按时报送", text)
        else ""
    )
    if not quality:
        for x in lines:
            st.keep(x)
        return
    st.put("submit_quality", quality, [])
    dm = re.search(r"于\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)", text)
    if dm:
        st.put("submit_date", dm[1], [])
    reference = st.text_of("submission")
    more = [x for x in lines if not P.covered(x.text, reference)]
    _put_lines(st, "submit_note", "\n".join(x.text for x in more), more)


def _disclosure(st: _State, lines: list[_Line]) -> None:
    for x in lines:
        if "是否" in x.text:
            st.keep(x)
            what = "提纲中的问题(是否……一致)原样抄入而未回答:未作答,原文放入未归类内容"
            st.found.append(("disclosure_consistent", what))
        elif "不一致" in x.text:
            st.put("disclosure_consistent", "不一致", [])
            reason = re.split(r"如下[:：]", x.text, maxsplit=1)
            st.put("disclosure_reason", reason[-1].strip(), [x])
        elif "一致" in x.text:
            st.put("disclosure_consistent", "一致", [x])
            if not P.covered(x.text, st.text_of("disclosure")):
                st.keep(x)
        else:
            st.keep(x)


def _score(st: _State, lines: list[_Line]) -> None:
    keep: list[_Line] = []
    for x in lines:
        stated = _STATED_SCORE.search(x.text)
        if stated:
            st.found.append(("score_summary", f"原报告写明自评得分{stated[1]}分;得分由评分表计算,请核对"))
        if _SCORE_TEMPLATE.match(x.text):
            continue  # the sentence the form itself prints from the 评分表
        keep.append(x)
    _put_lines(st, "score_summary", "\n".join(x.text for x in keep), keep)
