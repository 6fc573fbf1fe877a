"""Golden files: compare output with tests/golden/NAME; ZJEVAL_UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ZJEVAL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"run with ZJEVAL_UPDATE_GOLDEN=1 to create {path}"
    assert text == path.read_text(encoding="utf-8")
