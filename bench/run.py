"""`make bench`: time load, check --all, audit and plan on generated provinces; write bench/results.json.

Sizes: 10,000 and 100,000 people (2,500,000 more with BENCH_FULL=1), generated once with the project's
generator as CSV under bench/data/. Each command runs end to end as a subprocess (`dtbd ...`), so the
times include loading. The reference limit is a plain-Python evaluation of the same compiled rules over
the same derived facts, with no engine and no findings text; it lives here, not in the engine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
DTBD = [sys.executable, "-m", "cli"]


def dataset(people: int) -> Path:
    from engine.generate import generate_dataset

    folder = DATA / f"p{people}"
    if not (folder / "dataset.yaml").is_file():
        started = time.perf_counter()
        generate_dataset(people, 20261123, folder)
        print(f"  generated {people:,} people in {time.perf_counter() - started:.1f}s", flush=True)
    return folder


TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))


def timed(args: list[str]) -> tuple[float | None, float]:
    """Seconds (None past BENCH_TIMEOUT) and peak RSS (MB) of one dtbd subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        subprocess.run([*DTBD, *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"  dtbd {args[0]}: over {TIMEOUT:.0f} s, stopped", flush=True)
        return None, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    seconds = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def load_and_limit(folder: Path) -> tuple[float, float, int]:
    """Load + validate time, and the plain-Python reference evaluation time over derived facts."""
    from cli.workspace import open_workspace
    from engine.evaluation.evaluator import Evaluator
    from engine.rules.oracle import evaluate

    started = time.perf_counter()
    ws = open_workspace(folder, None, None)
    load_s = time.perf_counter() - started
    ev = Evaluator(ws.book, ws.dataset, backend="python")
    fired = 0
    started = time.perf_counter()
    for person in ws.dataset.people:
        for context in ev.person_contexts(person.id, ws.as_of):
            _cid, basis, part, values = ev.prepare(context)
            fired += len(evaluate(ev.backend.partition_rules(basis, part), values))
    return load_s, time.perf_counter() - started, fired


def bench(people: int, jobs: int) -> dict[str, Any]:
    folder = dataset(people)
    load_s, limit_s, fired = load_and_limit(folder)
    base = ["--data", str(folder)]
    check_s, rss1 = timed(["check", "--all", "--json", "--output", os.devnull, "--jobs", str(jobs), *base])
    audit_s, rss2 = timed(["audit", "--json", "--output", os.devnull, *base])
    plan_s, rss3 = timed(["plan", "--json", "--output", os.devnull, *base])
    result = {"people": people, "load_s": round(load_s, 2), "check_all_s": _round(check_s),
              "limit_s": round(limit_s, 2),
              "ratio": None if check_s is None else round(check_s / (load_s + limit_s), 2),
              "audit_s": _round(audit_s), "plan_s": _round(plan_s), "timeout_s": TIMEOUT,
              "peak_rss_mb": round(max(rss1, rss2, rss3), 1), "jobs": jobs, "outcomes": fired}
    print("  " + json.dumps(result), flush=True)
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def main() -> None:
    from engine.batch import default_jobs

    sizes = [10_000, 100_000] + ([2_500_000] if os.environ.get("BENCH_FULL") == "1" else [])
    jobs = int(os.environ.get("BENCH_JOBS", default_jobs()))
    results = []
    for people in sizes:
        print(f"{people:,} people, {jobs} jobs", flush=True)
        results.append(bench(people, jobs))
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    from tabulate import tabulate

    keys = ["people", "load_s", "check_all_s", "limit_s", "ratio", "audit_s", "plan_s", "peak_rss_mb", "jobs"]
    print(tabulate([[r[k] for k in keys] for r in results], headers=keys))
    print("targets (100,000 people): check_all_s <= 10, plan_s <= 15, ratio <= 2")


if __name__ == "__main__":
    main()
