"""Shared fragments between form files: a mapping `{include: PATH}` anywhere in a form is replaced
by the YAML of that file, read relative to the file that includes it and confined to the folder
of the top-level form (like copier's `!include` of its template config). Where each part came from
is kept, so a mistake inside a fragment is reported at the fragment's own file and line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from zjeval import yamlio
from zjeval.yamlio import YamlValue

if TYPE_CHECKING:
    from pydantic.json_schema import JsonSchemaValue
from zjeval.errors import FormError

KEY = "include"
MAX_DEPTH = 8  # fragments including fragments: deeper than this is a cycle

Lines = dict[yamlio.Loc, int]
# where a part of the form came from: the location it was included at -> (file, its line map)
Origins = dict[yamlio.Loc, tuple[Path, Lines]]


def expand(data: YamlValue, lines: Lines, path: Path, root: Path) -> tuple[YamlValue, Origins]:
    """The form's data with every include replaced, and the origin of each included part."""
    origins: Origins = {(): (path, lines)}
    root = root.resolve()

    def fragment(
        name: str, loc: yamlio.Loc, here: Path, here_lines: Lines, rel: yamlio.Loc
    ) -> tuple[Path, YamlValue, Lines]:
        at = f"{here}:{yamlio.line_of(here_lines, (*rel, KEY)) or 1}"
        target = (here.parent / name).resolve()
        if Path(name).is_absolute() or not target.is_relative_to(root):
            raise FormError(
                f"{at} include: {name} 不在表单所在的目录 {root} 中", "片段文件须放在表单目录或其子目录中"
            )
        if not target.is_file():
            raise FormError(f"{at} include: 找不到片段文件 {target}", "路径相对于写 include 的文件")
        try:
            part, part_lines = yamlio.parse(yamlio.read_text(target))
        except yamlio.YamlSyntaxError as exc:
            raise FormError(f"{target}:{exc.line} {exc.message}", "请修正片段文件的 YAML 格式") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise FormError(f"{at} include: 无法读取 {target}({exc.__class__.__name__})") from None
        return target, part, part_lines

    def walk(
        node: YamlValue, loc: yamlio.Loc, here: Path, here_lines: Lines, rel: yamlio.Loc, depth: int
    ) -> YamlValue:
        if isinstance(node, dict) and set(node) == {KEY} and isinstance(name := node[KEY], str):
            if depth >= MAX_DEPTH:
                raise FormError(f"{here}: include 嵌套超过 {MAX_DEPTH} 层(片段互相包含?)")
            target, part, part_lines = fragment(name, loc, here, here_lines, rel)
            origins[loc] = (target, part_lines)
            return walk(part, loc, target, part_lines, (), depth + 1)
        if isinstance(node, dict):
            return {k: walk(v, (*loc, k), here, here_lines, (*rel, k), depth) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, (*loc, i), here, here_lines, (*rel, i), depth) for i, v in enumerate(node)]
        return node

    return walk(data, (), path, lines, (), 0), origins


def locate(origins: Origins, loc: yamlio.Loc) -> tuple[Path, Lines, yamlio.Loc]:
    """The file a location of the expanded form lies in, its line map, and the location there."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in origins:
            path, lines = origins[loc[:n]]
            return path, lines, loc[n:]
    path, lines = origins[()]
    return path, lines, loc


def files(origins: Origins) -> list[Path]:
    """Every fragment file the form read (for the cache to notice their changes)."""
    return [path for loc, (path, _) in origins.items() if loc]


def schema(form_schema: JsonSchemaValue) -> JsonSchemaValue:
    """The form's JSON Schema where any part defined in it may also be written as an include."""
    defs = form_schema.get("$defs", {})
    for name, part in list(defs.items()):
        defs[name] = {"anyOf": [part, {"$ref": "#/$defs/Include"}]}
    defs["Include"] = {
        "type": "object",
        "description": "换成该 YAML 文件的内容;路径相对于本文件,须在表单所在的目录中",
        "properties": {KEY: {"type": "string"}},
        "required": [KEY],
        "additionalProperties": False,
    }
    form_schema["$defs"] = defs
    return form_schema
