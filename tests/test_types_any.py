"""`Any` only where the data really is untyped (YAML/JSON from disk, an untyped third-party API):
fewer than 40 uses in the package, each with its reason in a `# Any: …` comment on its line."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "zjeval"
LIMIT = 40


def any_uses() -> list[tuple[Path, int, str]]:
    """(file, line, source line) of every `Any` in an annotation or expression (imports excluded)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            named = isinstance(node, ast.Name) and node.id == "Any"
            dotted = isinstance(node, ast.Attribute) and node.attr == "Any"
            # a string annotation ("dict[str, Any]") hides its Any from the tree
            quoted = isinstance(node, ast.Constant) and _is_annotation_text(node.value)
            if (named or dotted or quoted) and isinstance(node, ast.expr):
                out.append((path, node.lineno, lines[node.lineno - 1]))
    return out


def _is_annotation_text(value: object) -> bool:
    if not isinstance(value, str) or "Any" not in value:
        return False
    try:
        tree = ast.parse(value, mode="eval")
    except (SyntaxError, ValueError):  # not an expression; a lone surrogate in a test string
        return False
    return any(isinstance(n, ast.Name) and n.id == "Any" for n in ast.walk(tree))


def test_fewer_than_forty_any_in_the_package() -> None:
    uses = any_uses()
    where = "\n".join(f"{p.relative_to(PACKAGE.parent)}:{n}: {s.strip()}" for p, n, s in uses)
    assert len(uses) < LIMIT, f"{len(uses)} uses of Any (limit {LIMIT}):\n{where}"


def test_every_any_says_why() -> None:
    bare = [
        f"{p.relative_to(PACKAGE.parent)}:{n}: {s.strip()}"
        for p, n, s in any_uses()
        if "# Any:" not in s
    ]
    assert not bare, "each Any needs a '# Any: <reason>' comment on its line:\n" + "\n".join(bare)
