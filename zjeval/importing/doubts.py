"""What an import read but may have read wrong, marked so that `check` shows it first. Pure.

Kinds, not one form's fields: the unit's name (read from a weak place, or not shaped like a
unit's name), the notice (a regulation cited in the 导语 taken for it), the 成文日期 (the web
page's publish date), and list answers holding what looks like a sub-heading, not an item.
"""

from __future__ import annotations

import re

from zjeval.form import import_spec as S
from zjeval.importing.meta import UNIT_END
from zjeval.importing.state import State

STRONG = ("标题", "标题下一行", "封面", "表格", "落款")  # where a unit's name is read with confidence
_REGULATION = re.compile(r"(?:办法|条例|规定|规则|细则|意见|方案|指引|法)$")
_HEADING_ITEM = re.compile(r"^[^，,。；;：:！？]{2,16}$")


def mark(st: State) -> None:
    unit_q = st.form.signature.unit
    unit = st.answers.get(unit_q)
    if isinstance(unit, str):
        where = st.answers.origins.get(unit_q, {}).get("from", "")
        if where not in STRONG:
            st.doubt(unit_q, f"单位名称取自{where or '正文'},标题、封面和落款中都没有")
        elif not re.search(UNIT_END + r"[)）]?$", unit):
            st.doubt(unit_q, f"「{unit}」不像单位的全称(不以局、委、办、中心等结尾)")
    regulations = [re.compile(p) for p in st.spec.report.regulations]
    for fill in st.spec.front:
        if isinstance(fill, S.NoticeFill) and fill.name:
            name = st.answers.get(fill.name)
            if isinstance(name, str) and (
                _REGULATION.search(name) or any(rx.search(name) for rx in regulations) or "通知" not in name
            ):
                st.doubt(fill.name, f"《{name}》不像布置自评工作的通知,可能是所引的法规或办法")
    date_q = st.form.signature.date
    if "网页" in st.answers.origins.get(date_q, {}).get("from", ""):
        st.doubt(date_q, "成文日期取自网页的发布时间,不是报告的落款日期")
    for qid, q in st.questions.items():
        value = st.answers.get(qid)
        if q.type != "strings" or not isinstance(value, list) or len(value) < 2:
            continue
        heads = [x for x in value if isinstance(x, str) and _HEADING_ITEM.match(x)]
        if heads and len(heads) < len(value):
            st.doubt(qid, "其中「" + "」「".join(heads[:3]) + "」像是小标题,不是一项内容")
