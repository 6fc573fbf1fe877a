"""The package's import graph, computed from the source: no cycle, and form/ (the ground the rest
stands on) imports nothing above it — only the top-level ground modules (errors, yamlio, textsafe, numerals).
Imports under `if TYPE_CHECKING:` count too: a cycle of types is a cycle of design."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "zjeval"
GROUND = {"zjeval", "zjeval.errors", "zjeval.yamlio", "zjeval.textsafe", "zjeval.numerals"}  # below every package


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def graph() -> dict[str, set[str]]:
    """module -> the zjeval modules it imports (anywhere in it: top, function or TYPE_CHECKING)."""
    mods = modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets = [base, *(f"{base}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            edges[name] |= {t for t in targets if t in mods and t != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(graph()) == []


def test_form_imports_nothing_above_it() -> None:
    up = {
        (a, b)
        for a, targets in graph().items()
        if a.startswith("zjeval.form")
        for b in targets
        if not b.startswith("zjeval.form") and b not in GROUND
    }
    assert up == set()


def test_the_graph_is_read_at_all() -> None:
    """The tests above cannot pass by reading nothing: known arrows are found, and a known cycle is."""
    edges = graph()
    assert "zjeval.form.models" in edges["zjeval.form.loader"]
    assert "zjeval.yamlio" in edges["zjeval.form.loader"]
    assert cycles({"x": {"y"}, "y": {"x"}, "z": {"x"}}) == [["x", "y"]]
