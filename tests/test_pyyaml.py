"""PyYAML imported through zjeval.pyyaml: its pure-Python reader's pattern compiled on first use,
with the same matches and the same error as compiled at import."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest

from zjeval import pyyaml

ROOT = Path(__file__).resolve().parent.parent

SAMPLES = ["年度 2024", "a\tb\r\n", "\x85\xa0", "\x01", "ok\x7fno", "\ud800", "\ufffe", "\U0001f600", ""]


def test_the_pattern_is_pyyamls() -> None:
    """The spelling zjeval.pyyaml waits for is the one yaml/reader.py compiles (else PyYAML's
    import compiles it at once again: slower, nothing else)."""
    import yaml.reader

    source = Path(yaml.reader.__file__).read_text(encoding="utf-8")
    literal = re.search(r"NON_PRINTABLE = re\.compile\(('[^']*')\)", source)
    assert literal is not None
    assert ast.literal_eval(literal.group(1)) == pyyaml.NON_PRINTABLE


@pytest.mark.parametrize("text", SAMPLES)
def test_deferred_pattern_matches_as_the_compiled_one(text: str) -> None:
    deferred = pyyaml.OnFirstUse(pyyaml.NON_PRINTABLE, 0)
    compiled = re.compile(pyyaml.NON_PRINTABLE)
    search = cast("Callable[[str], re.Match[str] | None]", deferred.search)
    found, expected = search(text), compiled.search(text)
    assert (found and (found.start(), found.group())) == (expected and (expected.start(), expected.group()))
    assert deferred.pattern == compiled.pattern


def test_a_fresh_zjeval_process_defers_it_and_the_pure_python_reader_still_refuses() -> None:
    """In a process that imports PyYAML through zjeval: the pattern is not compiled by the import;
    libyaml and the pure-Python SafeLoader read text and refuse a control character as before."""
    script = """
import ast
import re
import zjeval.yamlio
import yaml, yaml.reader
from zjeval import pyyaml
assert isinstance(yaml.reader.Reader.NON_PRINTABLE, pyyaml.OnFirstUse)
assert yaml.load('年度: 2024', Loader=yaml.SafeLoader) == {'年度': 2024}
for loader in (yaml.SafeLoader, yaml.CSafeLoader):
    try:
        yaml.load('a: \\x01', Loader=loader)
    except yaml.YAMLError as exc:
        print(type(exc).__name__, 'characters are not allowed' in str(exc))
assert re.compile('a+') is not None and not isinstance(re.compile('a'), pyyaml.OnFirstUse)
"""
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=str(ROOT),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # the pure-Python reader through the deferred pattern, then libyaml with its own words
    assert proc.stdout.splitlines() == ["ReaderError True", "ReaderError True"]
