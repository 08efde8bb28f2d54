"""`make bench`: time load, check --all, audit and plan on generated provinces; write bench/results.json.

Sizes: 10,000 and 100,000 people (2,500,000 more with BENCH_FULL=1), generated once with the project's
generator as CSV under bench/data/. Each command runs end to end as a subprocess (`dtbd ...`), so the
times include loading. The reference limit is a plain-Python evaluation of the same compiled rules over
the same derived facts, with no engine and no findings text; it lives here, not in the engine.

At 2,500,000 people (more than STREAM_ABOVE) the dataset does not fit in memory whole: check --all and
audit stream it (engine.loading.stream), and the load and the reference limit are measured chunk by
chunk in this process; plan is not run (it needs the whole population; `plan_s` is null, see `note`).

Memory: `peak_rss_mb` is the largest single process of a command (the RUSAGE_CHILDREN high-water mark:
the dtbd process or one of its workers), each command measured through a small wrapper process so that
the mark is that command's alone; `parent_rss_mb` is the dtbd process's own (its VmHWM). Both are the
largest over the size's commands.
Outputs go to a temp file, never /dev/null: an atomic writer renames a temp file onto its target.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
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
TIMEOUT_FULL = float(os.environ.get("BENCH_TIMEOUT_FULL", "900"))  # per command, for the streamed size


def _hwm_kb(pid: int) -> int | None:
    """A process's own peak resident memory so far (VmHWM, kB); None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def measure(out: str, command: list[str]) -> int:
    """Run `command` (in a fresh, small process: `python -m bench.run --measure OUT CMD...`) and write to OUT
    the peak RSS of its largest process (RUSAGE_CHILDREN of this process, so of that command alone) and its
    own (its last VmHWM read before it ended), in kB."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    parent = 0
    while process.poll() is None:
        parent = _hwm_kb(process.pid) or parent
        time.sleep(0.2)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(out).write_text(json.dumps({"largest_kb": largest, "parent_kb": parent}), encoding="utf-8")
    return process.returncode


def timed(command: list[str], timeout: float = TIMEOUT) -> tuple[float | None, float, float | None]:
    """Seconds (None past the timeout), peak RSS of its largest process (MB) and the dtbd process's own peak
    RSS (MB) of one command."""
    with tempfile.TemporaryDirectory(prefix="dtbd-bench-") as scratch:
        report = Path(scratch) / "rss.json"
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bench.run", "--measure", str(report), *command],
                                   cwd=ROOT, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the command and its workers too
            process.wait()
            print(f"  {' '.join(command[2:4])}: over {timeout:.0f} s, stopped", flush=True)
            return None, 0.0, None
        seconds = time.perf_counter() - started
        if code:
            raise subprocess.CalledProcessError(code, command)
        rss = json.loads(report.read_text(encoding="utf-8"))
    return seconds, round(rss["largest_kb"] / 1024, 1), round(rss["parent_kb"] / 1024, 1) or None


def load_and_limit(folder: Path) -> tuple[float, float, int]:
    """Load + validate time, and the plain-Python reference evaluation time over derived facts."""
    from engine.evaluation.evaluator import Evaluator
    from engine.rules.oracle import evaluate
    from engine.workspace import open_dataset

    started = time.perf_counter()
    ws = open_dataset(folder)
    load_s = time.perf_counter() - started
    ev = Evaluator(ws.book, ws.dataset, backend="python")
    fired = 0
    started = time.perf_counter()
    for person in ws.dataset.people:
        for context in ev.person_contexts(person.id, ws.as_of):
            _cid, basis, part, values = ev.prepare(context)
            fired += len(evaluate(ev.backend.partition_rules(basis, part), values))
    return load_s, time.perf_counter() - started, fired


def load_and_limit_streamed(folder: Path) -> tuple[float, float, int]:
    """As load_and_limit for a streamed dataset, in this process: the split and every chunk's parse and
    checks (load), and the reference evaluation of each chunk's people (limit)."""
    import gc

    from engine.evaluation.evaluator import Evaluator
    from engine.loading.stream import load_chunk, open_stream
    from engine.rules.oracle import evaluate
    from engine.workspace import open_dataset

    sw = open_dataset(folder, stream=True)
    load_s = limit_s = 0.0
    fired = 0
    ev: Evaluator | None = None
    started = time.perf_counter()
    with open_stream(folder, sw.book.programme_codes, sw.as_of) as source:
        load_s += time.perf_counter() - started
        for spec in source.chunks(evaluate=False):
            started = time.perf_counter()
            gc.disable()
            dataset, report = load_chunk(source.shared, spec)
            gc.enable()
            source.add(report)
            load_s += time.perf_counter() - started
            started = time.perf_counter()
            if ev is None:
                ev = Evaluator(sw.book, dataset, backend="python")
            ev.dataset = dataset
            for person in dataset.people:
                for context in ev.person_contexts(person.id, sw.as_of):
                    _cid, basis, part, values = ev.prepare(context)
                    fired += len(evaluate(ev.backend.partition_rules(basis, part), values))
            limit_s += time.perf_counter() - started
        started = time.perf_counter()
        source.finish()
        load_s += time.perf_counter() - started
    return load_s, limit_s, fired


def bench(people: int, jobs: int) -> dict[str, Any]:
    from engine.workspace import STREAM_ABOVE

    folder = dataset(people)
    streamed = people > STREAM_ABOVE
    base = ["--data", str(folder)]
    with tempfile.TemporaryDirectory(prefix="dtbd-bench-") as scratch:
        out = str(Path(scratch) / "out")
        check = [*DTBD, "check", "--all", "--json", "--output", out, "--jobs", str(jobs), *base,
                 *(["--stream"] if streamed else [])]
        timeout = TIMEOUT_FULL if streamed else TIMEOUT
        check_s, rss1, parent1 = timed(check, timeout)
        stream = ["--stream", "--jobs", str(jobs)] if streamed else []
        audit_s, rss2, parent2 = timed([*DTBD, "audit", "--json", "--output", out, *stream, *base], timeout)
        if streamed:
            plan_s, rss3, parent3 = None, 0.0, None
            diff_s, rss4 = None, 0.0
        else:
            plan_s, rss3, parent3 = timed([*DTBD, "plan", "--json", "--output", out, *base], timeout)
            # what if: the whole population under national vs national + a local pack (target: within 2.5x check --all)
            diff_s, rss4, _ = timed([*DTBD, "diff", "--packs-b", "national,local/thanh-hoa", "--json", "--output", out,
                                     "--jobs", str(jobs), *base], timeout)
    # After the commands: a subprocess forked by a process holding a loaded dataset counts it in its peak RSS.
    load_s, limit_s, fired = (load_and_limit_streamed if streamed else load_and_limit)(folder)
    parents = [p for p in (parent1, parent2, parent3) if p is not None]
    result = {"people": people, "load_s": round(load_s, 2), "check_all_s": _round(check_s),
              "limit_s": round(limit_s, 2),
              "ratio": None if check_s is None else round(check_s / (load_s + limit_s), 2),
              "audit_s": _round(audit_s), "plan_s": _round(plan_s), "diff_s": _round(diff_s),
              "diff_ratio": None if diff_s is None or not check_s else round(diff_s / check_s, 2),
              "timeout_s": timeout, "peak_rss_mb": round(max(rss1, rss2, rss3, rss4), 1), "jobs": jobs,
              "outcomes": fired,
              "parent_rss_mb": max(parents) if parents else None, "streamed": streamed}
    if streamed:
        result["note"] = ("streamed (engine.loading.stream): load_s and limit_s measured chunk by chunk in one "
                          "process; plan not run at this size (it plans the whole population at once)")
    print("  " + json.dumps(result), flush=True)
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:
        sys.exit(measure(sys.argv[2], sys.argv[3:]))
    from engine.batch import default_jobs

    sizes = [10_000, 100_000] + ([2_500_000] if os.environ.get("BENCH_FULL") == "1" else [])
    jobs = int(os.environ.get("BENCH_JOBS", default_jobs()))
    results = []
    for people in sizes:
        print(f"{people:,} people, {jobs} jobs", flush=True)
        results.append(bench(people, jobs))
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    from tabulate import tabulate

    keys = ["people", "load_s", "check_all_s", "limit_s", "ratio", "audit_s", "plan_s", "diff_s", "diff_ratio",
            "peak_rss_mb",
            "parent_rss_mb", "jobs"]
    print(tabulate([[r[k] for k in keys] for r in results], headers=keys))
    print("targets (100,000 people): check_all_s <= 10, plan_s <= 15, ratio <= 2, diff_ratio <= 2.5; "
          "2,500,000 people: check_all_s <= 180, peak_rss_mb <= 2048")


if __name__ == "__main__":
    main()
