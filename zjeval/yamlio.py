"""Safe YAML reading that keeps line numbers and exact decimals, with YAML 1.2's rules for scalars.

Floats are read as Decimal from their text (money must never pass through float), dates stay
text for our own parser, and every mapping key's line is recorded so errors can say where.

PyYAML resolves plain scalars the YAML 1.1 way: `2:00` is 120 (base 60), `0120` is 80 (octal),
`0x10` is 16, `yes` is true. Here only what YAML 1.2 calls a number is a number (decimal, no
leading zeros, no underscores, a bounded exponent) and only true/false are booleans. Every other
scalar 1.1 would have made a number stays the text as written, marked RawNumber with the reason,
so a numeric answer written that way is reported with its line and a text answer keeps its text.
Depth and size are bounded before anything recurses.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from zjeval.pyyaml import yaml

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

# What a file holds once read: a mapping key is text or a number (never None or a bool: those
# keys stay the text as written); a scalar is text (RawNumber among it), an int, a Decimal, a
# bool or None; dates stay text.
YamlKey: TypeAlias = str | int | Decimal
YamlScalar: TypeAlias = str | int | Decimal | bool | None
YamlValue: TypeAlias = "dict[YamlKey, YamlValue] | list[YamlValue] | YamlScalar"
YamlMap: TypeAlias = dict[YamlKey, YamlValue]

Loc = tuple[YamlKey, ...]  # where a value sits: its keys and list indexes from the top


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class TooLarge(OSError):
    """The file is far larger than any answers or form file (an OSError: callers report it as such)."""


class RawNumber(str):
    """A scalar YAML 1.1 would read as a number but 1.2 does not, kept as written; `reason` says why."""

    reason: str

    def __new__(cls, text: str, reason: str) -> RawNumber:
        self = super().__new__(cls, text)
        self.reason = reason
        return self


MAX_BYTES = 8 * 1024 * 1024  # a year's answers are some tens of KB; a form some hundreds
MAX_DEPTH = 40  # answers nest 5 deep (answers > question > list > record > field)
MAX_INT_DIGITS = 100  # beyond this even the answer's own limit (24 digits) is far away
MAX_EXPONENT = 100  # 1.0e-999999999 would be a billion digits once written out

_INT12 = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?([0-9]+))?")
_BOOL12 = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def _raw_number(text: str) -> RawNumber:
    """Why a 1.1 number is not read as one (the message shown next to the value)."""
    body = text.lstrip("+-")
    if ":" in text:
        reason = "含冒号的数字有歧义(按旧的 YAML 规则,2:00 会读成 120),请写成十进制数字;如是文字请加引号"
    elif body[:2].lower() in ("0x", "0o", "0b"):
        reason = "十六进制、八进制或二进制的写法不能作为数字,请写成十进制数字"
    elif "_" in text:
        reason = "数字中不能有下划线,请删去"
    elif body.lower() in (".inf", ".nan"):
        reason = "应为有限的数字"
    elif body[:1] == "0" and body[1:2].isdigit():
        reason = "以 0 开头的整数有歧义(按旧的 YAML 规则,0120 会读成八进制的 80),请去掉开头的 0"
    elif re.search(r"[eE]-\d", text):
        reason = "小数位数过多,请检查"
    else:  # too many digits, or an exponent beyond MAX_EXPONENT
        reason = "数字位数过多,请检查"
    return RawNumber(text, reason)


def number(text: str) -> int | Decimal | RawNumber:
    """A plain scalar PyYAML tagged int or float, read by YAML 1.2 rules (see the module's notes)."""
    if len(text) > MAX_INT_DIGITS:
        return _raw_number(text)
    if _INT12.fullmatch(text):
        return int(text)
    m = _FLOAT12.fullmatch(text)
    if m is None or ("." not in text and m[3] is None):  # 0120 is not 120 here: it is reported
        return _raw_number(text)
    if m[4] is not None and (len(m[4]) > 4 or int(m[4]) > MAX_EXPONENT):
        return _raw_number(text)
    return Decimal(text)  # never through float


class _Composer(Protocol):
    """The part of a PyYAML loader used here: text -> node tree (values are built by _Builder)."""

    def get_single_node(self) -> yaml.Node | None: ...

    def dispose(self) -> None: ...


def _composer(text: str) -> _Composer:
    """libyaml's loader where PyYAML was built with it (much faster), else the pure-Python one."""
    if yaml.__with_libyaml__:
        return yaml.CSafeLoader(text)
    return yaml.SafeLoader(text)


_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL, _TIME = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"
_SEQ, _MAP, _MERGE = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"


MAX_COLLECTIONS = 100_000  # a whole year's answers hold a few hundred
# What aliases (*a) add by repeating their anchor's content, in characters (a scalar counts its
# text and 2, a list or mapping 2 and its content): a file of nested aliases ("billion laughs")
# is tiny on disk and in memory, but whatever walks or prints it would walk the whole expansion.
MAX_EXPANSION = 1_000_000


def _tag_error(node: yaml.Node) -> YamlSyntaxError:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    message = f"不支持的标签 {tag},请删除(答案和表单只用文字、数字、列表和映射)"
    return YamlSyntaxError(message, node.start_mark.line + 1)


class _Builder:
    """Node tree -> Python data and the line of every key, in one pass.

    The common tags are built directly (PyYAML's generic constructor is most of the cost of
    reading a file); any other tag is refused with its line.
    """

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.active: set[int] = set()
        # An alias (*a) gives back the object its anchor (&a) built, as PyYAML does, so that a
        # file of nested aliases ("billion laughs") stays as small in memory as it is on disk;
        # what the aliases add once expanded is counted and bounded (MAX_EXPANSION).
        self.built: dict[int, YamlValue] = {}
        self.weight: dict[int, int] = {}  # a built node's expanded size
        self.size = 0  # the expanded size of everything built so far
        self.expansion = 0  # the part of it that aliases added

    def _alias(self, node: yaml.Node, weight: int) -> None:
        self.size += weight
        self.expansion += weight
        if self.expansion > MAX_EXPANSION:
            raise YamlSyntaxError(
                f"别名(*名称)展开后的内容过多(超过 {MAX_EXPANSION // 10000} 万字),"
                "请不要用锚点反复引用大段内容",
                node.start_mark.line + 1,
            )

    def build(self, node: yaml.Node, loc: Loc) -> YamlValue:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            weight = len(node.value) + 2
            if id(node) in self.weight:  # an alias of a scalar
                self._alias(node, weight)
            else:
                self.weight[id(node)] = weight
                self.size += weight
            return self.scalar(node)
        if id(node) in self.built:
            self._alias(node, self.weight[id(node)])
            return self.built[id(node)]
        if len(loc) >= MAX_DEPTH:  # checked before going one level deeper
            raise YamlSyntaxError(f"嵌套层数过多(超过 {MAX_DEPTH} 层)", node.start_mark.line + 1)
        if id(node) in self.active:
            raise YamlSyntaxError("不支持递归的锚点引用(&/*)", node.start_mark.line + 1)
        if len(self.built) >= MAX_COLLECTIONS:
            raise YamlSyntaxError(f"文件过大:超过 {MAX_COLLECTIONS} 个列表或映射", node.start_mark.line + 1)
        self.active.add(id(node))
        before = self.size
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                value: YamlValue = [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            elif isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                value = self.mapping(node, loc)
            else:  # !!omap, !!set, !!pairs …: nothing zjeval reads, and what it could not write back
                raise _tag_error(node)
        finally:
            self.active.discard(id(node))
        self.built[id(node)] = value
        self.size += 2
        self.weight[id(node)] = self.size - before
        return value

    def scalar(self, node: yaml.ScalarNode) -> YamlScalar:
        tag, text = node.tag, str(node.value)  # a scalar node's value is its text
        if tag in (_STR, _TIME):  # dates stay text for our own parser
            return text
        if tag in (_FLOAT, _INT):
            return number(text)
        if tag == _BOOL:
            return _BOOL12.get(text, text)
        if tag == _NULL:
            return None
        raise _tag_error(node)  # !!binary and the like

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> YamlMap:
        """A mapping; its keys must be unique. A merge key (<<: *a) brings in the keys of the
        mappings it names that the mapping does not set itself, as YAML's merge does; the keys it
        brings are at the line of the <<."""
        out: YamlMap = {}
        merged: YamlMap = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                parts = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for part in parts:
                    if not isinstance(part, yaml.MappingNode):
                        raise YamlSyntaxError("合并键 << 的值应为映射(或映射的列表),如 <<: *名称", line)
                    built = self.build(part, loc)
                    assert isinstance(built, dict)  # a mapping node builds a dict
                    for key, value in built.items():
                        if key not in merged:
                            merged[key] = value
                            self.lines.setdefault((*loc, key), line)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSyntaxError("键必须是简单的文字", line)
            key = self.key(key_node)
            if key in out:
                raise YamlSyntaxError(f"键 {key} 重复出现", line)
            out[key] = self.build(value_node, (*loc, key))
            self.lines[(*loc, key)] = line
        if merged:
            return {**merged, **out}
        return out

    def key(self, node: yaml.ScalarNode) -> YamlKey:
        """A mapping key: a number stays a number; `~`, `null`, `true` … are the text as written,
        so a key is never None and is written back as it was read."""
        value = self.scalar(node)
        return str(node.value) if value is None or isinstance(value, bool) else value


def parse(text: str) -> tuple[YamlValue, dict[Loc, int]]:
    """The data and a map from each key path to its 1-based line."""
    try:
        loader = _composer(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            builder = _Builder()
            data = builder.build(node, ())
            lines = builder.lines
        finally:
            loader.dispose()
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in (exc.problem or "") and exc.context_mark is not None:
            mark = exc.context_mark  # where the unclosed quote or bracket began
        line = mark.line + 1 if mark is not None else 1
        problem = f"{exc.problem or ''} {exc.context or ''}"
        if mark is not None and "\t" in (text.splitlines()[mark.line : mark.line + 1] or [""])[0]:
            problem = "tab character"
        raise YamlSyntaxError(f"YAML 格式错误:{_chinese(problem)}", line) from None
    except yaml.YAMLError as exc:  # a ReaderError (a control character) has a position, not a mark
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
        raise YamlSyntaxError(f"YAML 格式错误:{_chinese(str(exc))}", line) from None
    except RecursionError:  # the pure-Python composer on a deep file (the C one stops at its own limit)
        raise YamlSyntaxError(f"嵌套层数过多(超过 {MAX_DEPTH} 层)", 1) from None
    except (ValueError, ArithmeticError):  # pragma: no cover - scalars are read by number() above
        raise YamlSyntaxError("文件中有无法读取的数值", 1) from None
    return data, lines


# PyYAML's problems (English) -> what they mean for someone editing an answers file.
_PROBLEMS: list[tuple[str, str]] = [
    ("mapping values are not allowed", "这里不能出现「键: 值」:缩进不对,或文字中有冒号(请给文字加引号)"),
    ("could not find expected ':'", "缺少冒号:应写成「键: 值」"),
    ("tab character", "不能用 Tab 缩进,请改用空格"),
    ("cannot start any token", "这个字符不能出现在开头(如 @、`、%),请给这段文字加引号"),
    ("undefined alias", "引用了没有定义的锚点(*名称)"),
    ("duplicate anchor", "锚点(&名称)重复定义"),
    ("unknown escape character", "双引号中的转义字符无效,请去掉反斜杠或改用单引号"),
    ("characters are not allowed", "文件中有不允许的控制字符,请删除"),
    ("unacceptable character", "文件中有不允许的控制字符,请删除"),
    ("expected a single document", "文件中只能有一个文档,请删去多余的 --- 分隔行"),
    ("<document start>", "缩进不一致:顶层的键应从第一列开始"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对"),
    ("expected ',' or '}'", "花括号 { } 没有配对"),
    ("expected <block end>", "缩进不一致:同一层的键应对齐"),
    ("did not find expected key", "缩进不一致,或少了「键:」"),
    ("did not find expected '-'", "列表项缩进不一致:每项应以同样缩进的「- 」开头"),
    ("unexpected end of stream", "文件意外结束:引号或括号没有配对"),
    ("found unhashable key", "键必须是简单的文字"),
    ("could not determine a constructor", "不支持的标签(以 ! 开头),请删除"),
    ("expected alphabetic or numeric character", "锚点或标签的名称无效"),
    ("while scanning a quoted scalar", "引号没有配对"),
]


def _chinese(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return "无法识别的写法,请检查这一行的缩进、冒号和引号"


def read_text(path: Path) -> str:
    """UTF-8 text (a BOM is dropped); OSError (TooLarge among them) and UnicodeDecodeError propagate."""
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(f"文件过大(超过 {MAX_BYTES // (1024 * 1024)} MB)")
    return data.decode("utf-8-sig")


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of `loc`, or of its nearest ancestor that has one."""
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def describe_error(path: Path, lines: dict[Loc, int], err: ErrorDetails, at: Loc | None = None) -> str:
    """One pydantic error as 'file:line path: reason' in Chinese; `at` is where it is when that
    is not the error's own loc (a part read from another file)."""
    loc = tuple(p for p in (err["loc"] if at is None else at) if not (isinstance(p, str) and p[:1].isupper()))
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
