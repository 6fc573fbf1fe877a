"""A unit's projects at scale: 200 project files checked and scored in one call, rendered into one
workbook, and what one more project costs. Prints times and their ratio to the budget; asserts nothing.

    python benchmarks/projects.py             # the numbers the README quotes
    python benchmarks/projects.py --runs 5    # more runs, steadier medians

The projects are copies of the demo (answers/examples/2025-项目/), renamed; each command runs as a
fresh process (what a user waits for). "One more project" is the slope between 100 and 200 projects:
(t(200) - t(100)) / 100.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2025-项目"
ZJEVAL = [sys.executable, "-m", "zjeval"]


def make(directory: Path, count: int, source: Path) -> Path:
    """`count` project files in directory/2025-项目, the demo's projects over and over, renamed."""
    place = directory / "2025-项目"
    place.mkdir(parents=True)
    demo = sorted(source.glob("*.yaml"))
    for n in range(count):
        text = demo[n % len(demo)].read_text(encoding="utf-8")
        name = f"项目{n + 1:03d}"
        text = re.sub(r"(?m)^(  (?:project_name|unit_name): )(.*)$", rf"\g<1>{name}\2", text, count=1)
        (place / f"{name}.yaml").write_text(text, encoding="utf-8")
    return place


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, worker processes included) of a command.

    On a shared machine the wall time waits for the CPU; the CPU time is what the command costs."""
    env = dict(os.environ, NO_COLOR="1")
    subprocess.run([*ZJEVAL, *args], capture_output=True, env=env, check=False)  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        proc = subprocess.run([*ZJEVAL, *args], capture_output=True, env=env, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        if proc.returncode not in (0, 1):
            sys.exit(f"zjeval {' '.join(args)} failed:\n{proc.stderr.decode()[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def line(name: str, seconds: tuple[float, float], budget: float) -> None:
    wall, cpu = seconds
    verdict = "ok" if wall <= budget else "OVER"
    print(
        f"{name:<40} {wall * 1000:9.1f} ms (CPU {cpu * 1000:8.1f} ms)  ≤{budget * 1000:6.0f} ms"
        f"  {wall / budget:5.2f}×  {verdict}"
    )


def slope(big: tuple[float, float], small: tuple[float, float], n: int) -> tuple[float, float]:
    return (big[0] - small[0]) / n, (big[1] - small[1]) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", type=Path, default=DEMO, help="a folder of project files to copy")
    parser.add_argument("--form", help="--form for every command (a form file outside the package)")
    args = parser.parse_args()
    form = ["--form", args.form] if args.form else []
    results: dict[tuple[str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (100, 200):
            directory = Path(tmp) / str(count)
            place = make(directory, count, args.source)
            results["check", count] = timed(["projects", "check", str(place), *form], args.runs)
            out = directory / "book.xlsx"
            render = ["projects", "render", str(place), "-o", str(out), "--force", *form]
            results["render", count] = timed(render, args.runs)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f} before the last run, median of {args.runs} runs")
    line("projects check, 200 projects", results["check", 200], 3.0)
    line("projects render -o .xlsx, 200 projects", results["render", 200], 10.0)
    line("check: one more project", slope(results["check", 200], results["check", 100], 100), 0.020)
    line("render: one more project", slope(results["render", 200], results["render", 100], 100), 0.020)


if __name__ == "__main__":
    main()
