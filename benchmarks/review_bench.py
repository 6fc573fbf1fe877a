"""`zjeval review` over a batch of 200 units: wall time against the 30-second budget; asserts nothing.

    python benchmarks/review_bench.py             # 200 units, 3 runs
    python benchmarks/review_bench.py --units 400 --runs 1

The batch is made from the demo batch (tests/fixtures/review/, the unreadable file left out):
each unit a copy under its own name, its own words changed a little, so that the copy-paste
check has many near-duplicate paragraphs to compare, as in a real batch built from one template.
Each run is a fresh process writing the workbook (what a reviewer waits for).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "review"
BUDGET = 30.0  # seconds for 200 units (issue #19)


def make_batch(directory: Path, units: int) -> None:
    sources = sorted(FIXTURES.glob("*.yaml"))
    for i in range(units):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        text = re.sub(r"unit_name: 示例市(\S+)", rf"unit_name: 示例{i:03d}市\1", text)
        extra = f"第{i}号单位全年另完成专项任务{i % 7 + 1}项。"
        text = re.sub(r"(output_text: )(.+)", rf"\g<1>\g<2>{extra}", text)
        (directory / f"{src.stem}-{i:03d}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ, NO_COLOR="1")
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch"
        batch.mkdir()
        make_batch(batch, args.units)
        times = []
        for run in range(args.runs):
            out = Path(tmp) / f"复核{run}.xlsx"
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "zjeval", "review", str(batch), "-o", str(out)],
                capture_output=True,
                env=env,
                check=False,
                text=True,
            )
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                sys.exit(f"zjeval review failed ({done.returncode}):\n{done.stderr}")
        last = done.stdout.strip().splitlines()[-1]
    median = statistics.median(times)
    scaled = median * 200 / args.units
    verdict = "ok" if scaled <= BUDGET else "OVER"
    print(
        f"zjeval review, {args.units} units: median {median:.1f} s of {args.runs} runs "
        f"({', '.join(f'{t:.1f}' for t in times)}); {scaled / BUDGET:.2f}× the budget of {BUDGET:.0f} s "
        f"for 200 units  {verdict}"
    )
    print(f"  {last}")


if __name__ == "__main__":
    main()
