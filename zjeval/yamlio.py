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


def _lines(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise YamlSyntaxError(f"键 {name} 重复出现", key.start_mark.line + 1)
            seen.add(name)
            out[(*loc, name)] = key.start_mark.line + 1
            _lines(value, (*loc, name), out)
            out[(*loc, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*loc, i), out)


def parse(text: str) -> tuple[Any, dict[Loc, int]]:
    """The data and a map from each key path to its 1-based line."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            lines: dict[Loc, int] = {}
            _lines(node, (), lines)
            data = loader.construct_document(node)
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
