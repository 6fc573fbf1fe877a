"""Saving over a file that holds the user's own comments, without losing them (ruamel.yaml).

zjeval writes answers files in one canonical layout (store.dumps). When the file on disk holds a
comment zjeval did not write, it is edited in place instead: ruamel.yaml's round-trip mode loads it
with its comments, only the values that changed are replaced, new answers are added in form order
(with their question as a comment) and removed ones dropped; everything else stays as written.
ruamel.yaml is imported here only, so reading (check) never pays for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from io import StringIO
from typing import TYPE_CHECKING, TypeVar

from zjeval import yamlio

if TYPE_CHECKING:  # ruamel.yaml is imported when a file is merged, never on reading
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.representer import RoundTripRepresenter

K = TypeVar("K")  # the loaded file's keys (YAML keys are text, numbers …; zjeval compares them as str)


class CannotMerge(Exception):
    """The old file cannot be edited in place (then the canonical text is written)."""


def own_comments(old_text: str, new_text: str, labels: Iterable[str] = ()) -> bool:
    """Whether the old file has a '#' line zjeval did not write (a comment of the user's).

    zjeval's own are: any line of the canonical new text, its header (which names the file and so
    differs between copies), section headings, the question labels and the notes above overrides
    and provenance.
    """
    ours = {line.strip() for line in new_text.splitlines()}
    ours.update(f"# {label}" for label in labels)
    for line in old_text.splitlines():
        text = line.strip()
        if "#" not in text or text in ours:
            continue
        if text.startswith(_OWN_PREFIXES) or (text.startswith("# ──") and text.endswith("──")):
            continue
        return True
    return False


_OWN_PREFIXES = (
    "# zjeval 答案文件",
    "# 可以直接编辑",
    "# 金额单位为万元",
    "# 评分表得分调整",
    "# 各项回答的来源",
    "# 导入的回答取自",
)


def merge(old_text: str, data: dict[str, object], labels: dict[str, str]) -> str:
    """The old file's text with the values of `data`; `labels` are comments for new answers."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.representer.add_representer(Decimal, _decimal)
    try:
        doc = yaml.load(old_text)
        old, _ = yamlio.parse(old_text)
    except (YAMLError, yamlio.YamlSyntaxError, ValueError) as exc:
        raise CannotMerge(str(exc)) from None
    if not isinstance(doc, CommentedMap) or not isinstance(old, dict):
        raise CannotMerge("not a mapping")
    _update(doc, old, data, labels)
    out = StringIO()
    try:
        yaml.dump(doc, out)
    except YAMLError as exc:  # pragma: no cover - data from to_data is always representable
        raise CannotMerge(str(exc)) from None
    return out.getvalue()


def _update(
    node: CommentedMap, old: Mapping[K, object], new: dict[str, object], labels: dict[str, str]
) -> None:
    """Make the mapping `node` (old values `old`) hold `new`, touching only what differs.

    `labels` are the comments for keys added here (the questions, inside `answers`).
    """
    from ruamel.yaml.comments import CommentedMap

    for key in [k for k in node if str(k) not in new]:
        del node[key]
    keys = {str(k): k for k in node}
    previous: object = None
    for key, value in new.items():
        if key not in keys:
            position = list(node).index(previous) + 1 if previous is not None else 0
            node.insert(position, key, _plain(value))
            if key in labels:
                node.yaml_set_comment_before_after_key(key, before=labels[key], indent=2)
            previous = key
            continue
        k = previous = keys[key]
        before = old.get(k)
        if isinstance(value, dict) and isinstance(node[k], CommentedMap) and isinstance(before, dict):
            if not before:
                node[k].fa.set_block_style()  # `answers: {}` filled in: one answer a line
            _update(node[k], before, value, labels if key == "answers" else {})
        elif not _same(before, value):
            node[k] = _plain(value)


def _same(before: object, value: object) -> bool:
    """Equal as zjeval reads them (so 12552.670 stays as written when the value is 12552.67)."""
    if isinstance(before, bool) or isinstance(value, bool):
        return before is value
    if isinstance(value, (int, Decimal)) and isinstance(before, (int, Decimal)):
        return before == value
    if isinstance(value, dt.date):
        return isinstance(before, str) and before.strip() == value.isoformat()
    if isinstance(value, str) and isinstance(before, str):
        return before == value
    if isinstance(value, list) and isinstance(before, list):
        return len(value) == len(before) and all(_same(a, b) for a, b in zip(before, value, strict=True))
    if isinstance(value, dict) and isinstance(before, dict):
        return before.keys() == value.keys() and all(_same(before[k], value[k]) for k in value)
    return False


def _plain(value: object) -> object:
    """Data ruamel.yaml writes the way store.dumps would: text of several lines as a | block."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, str):
        return LiteralScalarString(value) if "\n" in value else str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _decimal(representer: RoundTripRepresenter, value: Decimal) -> ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)
