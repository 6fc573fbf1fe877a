"""How long `zjeval render -o x.docx` of the demo takes, against the same render to text.

    python benchmarks/docx_render.py            # the numbers the README quotes
    python benchmarks/docx_render.py --runs 15  # more runs, steadier medians

Two measures, each the fastest of `--runs` (on a shared, loaded machine the fastest run is the
steadiest figure), the DOCX and the text run alternately so both see the same machine load;
prints times and ratios, asserts nothing. `PYTHONPATH=<an older tree>` measures that code.

- the command as a user runs it (a fresh process: start, load, build, render, write);
- the renderer alone, in this process (the report built once): what the DOCX costs on its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
ZJEVAL = [sys.executable, "-m", "zjeval"]
BUDGET = 0.5  # seconds the DOCX may add to the command


def command(out: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [*ZJEVAL, "render", str(DEMO), "-o", str(out), "--force"],
        capture_output=True,
        env=dict(os.environ, NO_COLOR="1"),
        check=False,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"zjeval render failed: {done.stderr.decode('utf-8', 'replace')}")
    return took


def in_process(runs: int) -> tuple[float, float]:
    from zjeval.answers import store
    from zjeval.report import build
    from zjeval.report.render import docx, text

    form, answers = store.load(DEMO)
    report = build.build(form, answers)
    docx.render(report), text.render(report)  # warm-up: imports, caches
    a, b = [], []
    for _ in range(runs):
        start = time.perf_counter()
        docx.render(report)
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        text.render(report)
        b.append(time.perf_counter() - start)
    return min(a), min(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zjeval-bench-") as tmp:
        docx_out, text_out = Path(tmp) / "报告.docx", Path(tmp) / "报告.txt"
        command(docx_out), command(text_out)  # warm-up: file caches, the form cache
        a, b = [], []
        for _ in range(args.runs):
            a.append(command(docx_out))
            b.append(command(text_out))
    docx_cmd, text_cmd = min(a), min(b)
    docx_only, text_only = in_process(args.runs)
    # what the DOCX adds to the same command: the budget, whatever the machine's load does to
    # starting Python (the text command's time)
    verdict = "ok" if docx_cmd - text_cmd <= BUDGET else "OVER"
    print(f"{'measure':<46} {'docx':>9} {'text':>9} {'ratio':>7}")
    print(
        f"{'zjeval render demo -o 报告.docx vs -o 报告.txt':<40} {docx_cmd * 1000:7.0f} ms "
        f"{text_cmd * 1000:7.0f} ms {docx_cmd / text_cmd:6.2f}x"
    )
    print(
        f"{'the DOCX adds to the command':<46} {(docx_cmd - text_cmd) * 1000:7.0f} ms  ≤{BUDGET} s {verdict}"
    )
    print(
        f"{'renderer alone (report built once)':<46} {docx_only * 1000:7.0f} ms "
        f"{text_only * 1000:7.1f} ms {docx_only / text_only:6.0f}x"
    )


if __name__ == "__main__":
    main()
