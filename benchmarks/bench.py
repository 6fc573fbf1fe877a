"""Speed, measured against the floor typer itself sets; prints ratios, asserts nothing.

    python benchmarks/bench.py            # the numbers the README quotes
    python benchmarks/bench.py --runs 15  # more runs, steadier medians

Each command runs as a fresh process (what a user waits for), `--runs` times; the median is
compared with the same measure of benchmarks/minimal_app.py, run in the same session.

The processes run the way they do on a user's machine: with bytecode caching on. The benchmark
drops PYTHONDONTWRITEBYTECODE (set in some sandboxes and containers) from its children's
environment, so the warm-up run writes the .pyc files that every later run reads, as an installed
package (whose .pyc pip writes) or a first run does. With it set, each run compiles zjeval's own
modules from source again, ~70-100 ms that no user waits for.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "answers" / "examples" / "2024-示例数据.yaml"
MINIMAL = [sys.executable, str(ROOT / "benchmarks" / "minimal_app.py")]
ZJEVAL = [sys.executable, "-m", "zjeval"]


def user_env() -> dict[str, str]:
    """The environment of the timed processes: ours, with bytecode caching on and no colours."""
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def paired(ours: list[str], floor: list[str], runs: int) -> tuple[float, float]:
    """Median wall times of two commands run alternately (so both see the same machine load)."""
    env = user_env()
    _once(ours, env), _once(floor, env)  # warm-up: file caches, the .pyc files, the form cache
    a, b = [], []
    for _ in range(runs):
        a.append(_once(ours, env))
        b.append(_once(floor, env))
    return statistics.median(a), statistics.median(b)


def ratio(name: str, ours: float, floor: float, budget: float) -> bool:
    r = ours / floor
    ok = r <= budget
    verdict = "ok" if ok else "OVER"
    print(f"{name:<44} {ours * 1000:8.0f} ms  {floor * 1000:6.0f} ms  {r:5.2f}x  ≤{budget}x  {verdict}")
    return ok


def interview_step_ms(samples: int = 40) -> float:
    """The interview's work between Enter and the next prompt: validate, save atomically, next step."""
    from zjeval.answers.model import Answers
    from zjeval.answers.store import load, save
    from zjeval.form import loader as forms
    from zjeval.interview.engine import Interview

    form, demo = load(DEMO)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2024.yaml"
        answers = Answers(year=2024, form_id=form.id)
        engine = Interview(form, answers, lambda: save(path, form, answers))
        times = []
        for _ in range(samples):
            step = engine.current()
            if step is None:
                break
            raw = demo.values.get(step.question.id, step.default)
            start = time.perf_counter()
            engine.answer(raw if raw is not None else "0")
            engine.current()
            times.append(time.perf_counter() - start)
    assert forms  # imported for the side effect of loading once
    return statistics.median(times) * 1000, max(times) * 1000


def many_files(count: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            shutil.copy(DEMO, Path(tmp) / f"{i:04d}.yaml")
        start = time.perf_counter()
        subprocess.run([*ZJEVAL, "check", f"{tmp}/*.yaml"], capture_output=True, env=user_env(), check=False)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.runs} runs\n")
    print(f"{'measure':<44} {'zjeval':>11}  {'floor':>9}  ratio  budget")
    results: list[bool] = []
    ours, floor = paired([*ZJEVAL, "--help"], [*MINIMAL, "--help"], args.runs)
    results.append(ratio("zjeval --help  vs minimal --help", ours, floor, 1.2))
    ours, floor = paired([*ZJEVAL, "check", str(DEMO)], [*MINIMAL, "noop"], args.runs)
    results.append(ratio("zjeval check (full example)  vs minimal noop", ours, floor, 1.5))
    thousand = many_files(1000)
    ok = thousand <= 3.0
    results.append(ok)
    verdict = "ok" if ok else "OVER"
    name = "zjeval check over 1,000 files, one call"
    print(f"{name:<44} {thousand * 1000:8.0f} ms  {'':>19}  ≤3000 ms  {verdict}")
    median, worst = interview_step_ms()
    ok = worst <= 50
    results.append(ok)
    verdict = "ok" if ok else "OVER"
    name = "interview: Enter to next prompt (save incl.)"
    print(f"{name:<44} {median:8.1f} ms  (worst {worst:.1f} ms)      ≤50 ms  {verdict}")
    print(f"\n{sum(results)}/{len(results)} within budget")


if __name__ == "__main__":
    main()
