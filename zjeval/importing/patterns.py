"""The patterns `zjeval import` recognises in a published report: data first, then small helpers.

Everything here is pure. Extend the tables (headings, portal markers, posts, boilerplate
words) to teach the importer a new variant; the steps that use them are in mapping.py and
fills.py, the readers of teams, goals and numbered items in lists.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from zjeval import numerals
from zjeval.answers.parsing import DocNo

# ---------------------------------------------------------------- data

HEADING_MAX = 30  # characters of a heading once its number is stripped

# Lines that belong to the web page, not the report (short lines only).
PORTAL = re.compile(
    r"当前位置|您的位置|来源[:：]|发布时间|时间[:：]\s*\d|打印|字体|首页\s*[>＞»]|繁体|简体|无障碍|移动版|长者"
    r"|门户网站|即将离开|继续访问|^放弃$|^关闭$|分享到|扫一扫|附件下载|上一篇|下一篇|相关(链接|阅读|文章)"
    r"|浏览次数|阅读次数|访问量|网站地图|联系我们|版权所有|ICP备|网站标识码|主办单位|【草稿"
    # a document-sharing site's and a portal's own fields about the file
    r"|上传者|上传人|贡献者|页数[:：]|共\d+页|文件大小|\d+(?:\.\d+)?\s*[KMkm]B\b|浏览量|下载次数|下载券|索引号|发布机构"
    r"|信息分类|主题分类|公开方式|公开范围|点击数|阅读量|收藏|举报"
)
PORTAL_END = re.compile(
    r"即将离开|继续访问|上一篇|下一篇|分享到|扫一扫|相关(链接|阅读|文章)|版权所有|网站地图"
)
PORTAL_MAX = 60

# Cover block of form-style reports: label -> what it fills.
COVER = re.compile(
    r"^(?P<label>评价年度|所属年度|预算年度|评价单位|填报单位|单位名称|部门名称|部门\(单位\)名称|项目名称|项目单位"
    r"|主管部门|预算单位|评价类型|评价日期|填报日期|报送日期|填报人|联系人|联系电话|联系方式)"
    r"\s*(?:[(（][^)）]*[)）])?\s*[:：]\s*(?P<value>.*)$"
)

# Words the form's templates say differently or leave out; dropped before judging whether a
# structured field still says everything its source sentence said.
SELF_REFS = ("我局", "本局", "我单位", "本单位", "我部门", "本部门", "我委", "我办", "我中心", "我院", "我所")
BOILERPLATE = ("关于印发", "的通知", "精神", "设立", "包括", "分别为", "分别是", "安排", "其中")

POST = re.compile(
    r"(?:常务副|专职副|副)?(?:[一二三四]级)?(?:主任科员|科员|科长|主任|处长|局长|所长|站长|队长|部长|股长"
    r"|书记|调研员|会计|出纳|干部|工作人员|负责人|主管|职员|馆长|院长|经理|委员|办事员)"
)
DEPT_END = re.compile(r"(?:科|室|委|处|中心|办|股|站|所|队|部|组|局|院|馆|[)）])$")
NAME = re.compile(r"^[\u3400-\u9fff·]{2,4}$")
TEAM_HEADER = {
    "序号",
    "姓名",
    "职务",
    "小组职务",
    "小组分工",
    "分工",
    "单位及职务",
    "所在科室",
    "工作单位",
    "职位",
    "备注",
}
ROLE = re.compile(
    r"^(?P<role>副\s*组\s*长|组\s*长|成\s*员)\s*(?:[:：]\s*|\s+|(?=[\u3400-\u9fff])|$)(?P<rest>.*)$"
)

# What follows a figure's phrase (the phrases come from the form's `import: figures:`). An amount
# may be written in words ('三十二万元', '一百零三人', '百分之九十八点六'): read_figures turns it
# into digits through zjeval/numerals.py, which reads only exact numerals.
_W = numerals.NUMERAL
_MONEY = rf"(?:\d[\d,，]*(?:\.\d+)?|{_W})"
_PCT = rf"\d+(?:\.\d+)?(?=\s*[%％])|{numerals.PERCENT}(?:{_W})"  # '98.6%' or '百分之九十八点六'
AMOUNTS = {
    "money": rf"(?:为|是|共|合计|达)?\s*[:：]?\s*(?P<amount>{_MONEY}\s*(?:万元|亿元|元))",
    "integer": rf"(?:为|是|共|有|合计|达)?\s*[:：]?\s*(?P<amount>\d+|{_W})\s*(?:人|个|名|项|家)",
    "percent": rf"(?:为|是|达)?\s*[:：]?\s*(?P<amount>{_PCT})\s*[%％]?",
    "number": r"(?:为|是)?\s*[:：]?\s*(?P<amount>\d+(?:\.\d+)?)",
}


# Any amount with its unit, in digits or in words (rough ones too: a line holding one is not
# taken as fully read while that amount is not typed).
ANY_AMOUNT = re.compile(
    rf"(?:\d[\d,，]*(?:\.\d+)?|{numerals.PERCENT}{_W}|{_W})\s*(?:万元|亿元|元|人|个|名|项|家|%|％)"
    rf"|{numerals.PERCENT}{_W}"
)


AMOUNT_FIRST = "{n}"  # in a phrase: where the amount stands when it comes first ('{n}名在职')


def figure_patterns(phrases: list[str], qtype: str) -> list[re.Pattern[str]]:
    """A figure: one of the phrases, then its amount in the unit its type takes; or, for a phrase
    with {n} in it, the amount where {n} stands ('共有{n}在职人员')."""
    amount = AMOUNTS.get(qtype, AMOUNTS["number"])
    after = [p for p in phrases if AMOUNT_FIRST not in p]
    out = []
    if after:
        alternatives = "|".join(f"(?:{p})" for p in after)
        out.append(re.compile(rf"(?<!政府性)(?<!性)(?:{alternatives}){amount}"))
    bare = re.sub(r"^\(\?:[^)]*\)\?\\s\*\[:：\]\?\\s\*", "", amount)  # the amount alone, no '为'
    for p in phrases:
        if AMOUNT_FIRST in p:
            head, tail = p.split(AMOUNT_FIRST, 1)
            out.append(re.compile(f"{head}{bare}{tail}"))
    return out


# ---------------------------------------------------------------- text

_SENTENCE_END = '。；;：:！？!?）)》”"'
ENDS_SENTENCE = re.compile(rf"[{re.escape(_SENTENCE_END)}]$")


def clean(line: str) -> str:
    """A source line tidied: runs of space (also ideographic and no-break) as one, ends stripped."""
    return " ".join(line.replace("\u3000", " ").split())


def plain(text: str) -> str:
    """For comparisons: NFKC, letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())


# ---------------------------------------------------------------- enumerators

CN_DIGITS = "一二三四五六七八九十"
ENUMERATOR = re.compile(
    r"^\s*(?P<mark>[(（]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]"
    r"|[(（]\s*\d+\s*[)）]|\d+\s*[、.．)）](?!\d)|[①-⑳])\s*"
)
INLINE_ENUMERATOR = re.compile(r"(?:(?<![\d.])\d{1,2}\s*[、.．](?!\d)|[(（]\d{1,2}[)）]|[①-⑳])")
SHI = re.compile(rf"(?:^|(?<=[。；;，,：:\s]))([{CN_DIGITS}]{{1,3}})是(?![的否])")


def enumerator_style(line: str) -> str | None:
    """The numbering style a line starts with: cn 一、 | pcn (一) | num 1. | pnum (1) | circ ① | None."""
    m = ENUMERATOR.match(line)
    if not m:
        return None
    mark = m["mark"]
    if mark[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return "circ"
    paren = mark[0] in "(（"
    cn = any(c in CN_DIGITS for c in mark)
    return ("pcn" if cn else "pnum") if paren else ("cn" if cn else "num")


def strip_number(line: str) -> str:
    return ENUMERATOR.sub("", line, count=1)


Headings = list[tuple[str, re.Pattern[str]]]  # (section id, pattern), checked in order


def heading_key(line: str, headings: Headings) -> tuple[str, str] | None:
    """(section id, text after the heading) when the line is a heading, possibly followed by text.

    "(二)自评工作过程。根据……" is a heading and its first paragraph on one line.
    """
    numbered = enumerator_style(line) is not None
    body = strip_number(line).lstrip(")）]】、.． ")
    candidates = [(body, "")]
    m = re.match(r"^(.{2,30}?)[。.:：]\s*(.+)$", body)
    if m and numbered:
        candidates.append((m[1], m[2]))
    for head, rest in candidates:
        head = head.rstrip("。.:：;；,， ")
        if not head or len(head) > HEADING_MAX or re.search(r"[。，,；;！？!?]|\s-?\d", head):
            continue
        for key, rx in headings:
            if rx.search(head):
                return key, rest
    return None


def split_items(text: str) -> list[str]:
    """'1、办公室;2、人事科3、机关党委' -> ['办公室', '人事科', '机关党委']; unnumbered: split on 、;，."""
    marks = list(INLINE_ENUMERATOR.finditer(text))
    if len(marks) >= 2:
        parts = [text[a.end() : b.start()] for a, b in zip(marks, [*marks[1:], None], strict=False) if b]
        parts.append(text[marks[-1].end() :])
    else:
        parts = re.split(r"[;；、,，]", text)
    return [p.strip(" ;；,，、。.") for p in parts if p.strip(" ;；,，、。.")]


def split_shi(text: str) -> tuple[str, list[str]]:
    """'目标。一是……;二是……' -> ('目标。', ['……', '……']): the markers must run 一, 二, 三 …"""
    found = []
    expect = 1
    for m in SHI.finditer(text):
        if m[1] == numerals.words(expect):
            found.append(m)
            expect += 1
    if not found:
        return text, []
    head = text[: found[0].start()]
    points = [text[a.end() : b.start()] for a, b in zip(found, [*found[1:], None], strict=False) if b]
    points.append(text[found[-1].end() :])
    return head, [sentence(p) for p in points if p.strip(" ;；,，。")]


def sentence(text: str) -> str:
    """An item as a sentence: trailing ;，、 replaced by 。"""
    text = text.strip().rstrip(" ;；,，、")
    return text if not text or ENDS_SENTENCE.search(text) else text + "。"


# ---------------------------------------------------------------- document numbers

DOCNO_ANY = re.compile(
    r"(?P<agency>[\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(?P<year>\d{4})\s*[〕\]］】)）]\s*第?\s*(?P<num>\d+)\s*号"
)
_AGENCY_STOP = re.compile(r"^.*[据照依的和及与按见于是为在将、]")


@dataclass(frozen=True)
class DocRef:
    """One document number in the text: where, and what stands next to it."""

    line: int
    start: int  # where the 机关代字 starts in the line
    end: int
    docno: DocNo
    name: str  # 《…》 right before it, without the marks; "" if none
    issuer: str  # the office before 《, e.g. 市财政局; "" if none


ISSUER = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff、\s]{0,40}?(?:财政局|财政厅|财政部|人民政府|办公室|委员会|领导小组|局|厅))"
    r"(?:关于)?(?:印发)?$"
)


def docrefs(lines: list[str]) -> Iterator[DocRef]:
    for i, line in enumerate(lines):
        for m in DOCNO_ANY.finditer(line):
            agency = _AGENCY_STOP.sub("", m["agency"])
            if not agency:
                continue
            start = m.start("agency") + len(m["agency"]) - len(agency)
            before = line[:start]
            nm = re.search(r"《([^《》]+)》\s*[(（]?\s*$", before)
            name = nm[1] if nm else ""
            issuer = ""
            if nm:
                im = ISSUER.search(before[: nm.start()])
                if im:
                    issuer = re.sub(r"^.*?(?:根据|按照|依据|依照)", "", im["issuer"]).strip()
            yield DocRef(i, start, m.end(), DocNo(agency, int(m["year"]), int(m["num"])), name, issuer)


# ---------------------------------------------------------------- coverage


def _strip_words(text: str, words: tuple[str, ...]) -> str:
    for w in words:
        text = text.replace(w, "")
    return text


def covered(source: str, reference: str) -> bool:
    """Whether `reference` (what the form will print) still says everything `source` said.

    Self-references (我局) and boilerplate (关于印发, 精神) are dropped from the source, and so
    are its own list numbers; what remains must appear in the reference in the same order.
    """
    src = plain(_strip_words(INLINE_ENUMERATOR.sub("", source), SELF_REFS + BOILERPLATE))
    return in_order(src, plain(reference))


def in_order(part: str, whole: str) -> bool:
    """Whether every character of `part` appears in `whole`, in the same order (gaps allowed)."""
    pos = 0
    for ch in part:
        pos = whole.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True
