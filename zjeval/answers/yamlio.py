"""Safe YAML reading that keeps line numbers and exact decimals.

Floats are read as Decimal from their text (money must never pass through float), dates stay
text for our own parser, and every mapping key's line is recorded so errors can say where.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Loc = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(_Base):  # type: ignore[misc]  # the base is chosen at run time (C or pure)
    pass


def _decimal(loader: Any, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    return Decimal(text)


def _text(loader: Any, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _text)


_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL, _TIME = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"
_SEQ, _MAP, _MERGE = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"


MAX_COLLECTIONS = 100_000  # a whole year's answers hold a few hundred


class _Builder:
    """Node tree -> Python data and the line of every key, in one pass.

    The common tags are built directly (PyYAML's generic constructor is most of the cost of
    reading a file); anything else goes to the safe constructor, which refuses unsafe tags.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.lines: dict[Loc, int] = {}
        self.active: set[int] = set()
        # An alias (*a) gives back the object its anchor (&a) built, as PyYAML does, so that a
        # file of nested aliases ("billion laughs") stays as small in memory as it is on disk.
        self.built: dict[int, Any] = {}

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.built:
            return self.built[id(node)]
        if id(node) in self.active:
            raise YamlSyntaxError("不支持递归的锚点引用(&/*)", node.start_mark.line + 1)
        if len(self.built) >= MAX_COLLECTIONS:
            raise YamlSyntaxError(f"文件过大:超过 {MAX_COLLECTIONS} 个列表或映射", node.start_mark.line + 1)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                value: Any = [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            elif isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                value = self.mapping(node, loc)
            else:
                value = self.loader.construct_object(node, deep=True)
        finally:
            self.active.discard(id(node))
        self.built[id(node)] = value
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag in (_STR, _TIME):  # dates stay text for our own parser
            return text
        if tag == _FLOAT:
            return Decimal(text.replace("_", ""))  # never through float
        if tag == _INT:
            return self.loader.construct_yaml_int(node)
        if tag == _BOOL:
            return self.loader.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> Any:
        if any(key.tag == _MERGE for key, _ in node.value):
            return self.loader.construct_object(node, deep=True)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSyntaxError("键必须是简单的文字", key_node.start_mark.line + 1)
            key = self.scalar(key_node)
            if key in out:
                raise YamlSyntaxError(f"键 {key} 重复出现", key_node.start_mark.line + 1)
            out[key] = self.build(value_node, (*loc, key))
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
        return out


def parse(text: str) -> tuple[Any, dict[Loc, int]]:
    """The data and a map from each key path to its 1-based line."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            builder = _Builder(loader)
            data = builder.build(node, ())
            lines = builder.lines
        finally:
            loader.dispose()
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(f"YAML 格式错误:{exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML 格式错误:{exc}", 1) from None
    except (ValueError, ArithmeticError) as exc:  # e.g. a float scalar Decimal cannot read (.inf)
        raise YamlSyntaxError(f"无法读取的数值:{exc}", 1) from None
    return data, lines


def read_text(path: Path) -> str:
    """UTF-8 text (a BOM is dropped); OSError and UnicodeDecodeError propagate."""
    return path.read_text(encoding="utf-8-sig")


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of `loc`, or of its nearest ancestor that has one."""
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def describe_error(path: Path, lines: dict[Loc, int], err: Any) -> str:
    """One pydantic error as 'file:line path: reason' in Chinese."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper()))
    line = line_of(lines, loc)
    where = ".".join(str(p) for p in loc) or "(根)"
    ctx = err.get("ctx") or {}
    template = _MESSAGES.get(err["type"])
    msg = template.format(**ctx) if template else str(err["msg"]).removeprefix("Value error, ")
    return f"{path}:{line or 1} {where}: {msg}"


_MESSAGES = {
    "extra_forbidden": "未知的键(拼写错误?)",
    "missing": "缺少此项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为映射(键: 值)",
    "model_type": "应为映射(键: 值)",
    "too_short": "至少需要 {min_length} 项",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "应由小写英文字母、数字和下划线组成,以字母开头",
    "literal_error": "应为以下之一:{expected}",
    "union_tag_invalid": "kind 应为以下之一:{expected_tags}",
    "union_tag_not_found": "缺少 kind",
}
