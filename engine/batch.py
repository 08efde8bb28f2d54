"""Whole-population evaluation in worker processes (check --all, audit at scale).

Evaluation is independent per person, so people are cut into chunks and evaluated by `jobs` worker
processes (fork: the dataset and the rulebook are inherited, each worker builds its own engine).
Results come back in input order, chunk by chunk, so callers can stream them. A worker that dies
(durable-rules is a C extension with known memory-safety defects) costs its chunk, which is retried
once in a fresh pool; a chunk that fails twice raises EngineError naming its people.

`run_chunks` evaluates a dataset loaded whole. `run_stream` evaluates a dataset too large for that
(engine.loading.stream): each worker parses and checks its chunk's rows itself, then evaluates them;
the parent only splits the files and runs the checks across people. Both use `in_order`.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from engine.collector import paused
from engine.dataset import Dataset
from engine.errors import EngineError
from engine.evaluation.evaluator import EngineConfig, Evaluator
from engine.loading.stream import ChunkReport, ChunkSpec, StreamSource, load_chunk
from engine.rules.rulebook import Rulebook

ChunkFn = Callable[[Evaluator, Sequence[str], dt.date], Any]


# What forked workers inherit from the parent (fork: nothing is pickled): the rulebook, the configuration,
# the dataset (or the streamed dataset's shared tables), and the worker's evaluator once built.
_STATE: dict[str, Any] = {}


def default_jobs() -> int:
    """Worker processes by default: the cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _evaluator() -> Evaluator:
    if "evaluator" not in _STATE:
        _STATE["evaluator"] = _STATE["config"].evaluator(_STATE["book"], _STATE["dataset"])
    evaluator: Evaluator = _STATE["evaluator"]
    return evaluator


_PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with(parent: int) -> None:
    """Make this worker end when `parent` does: a SIGKILLed parent leaves no worker running on.

    On Linux the kernel sends SIGKILL at the parent's death (prctl PR_SET_PDEATHSIG); elsewhere a daemon
    thread watches the parent's pid. Either way a parent already gone ends the worker at once.
    """
    armed = False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="dtbd-parent-watch").start()


def _worker_init(parent: int) -> None:
    """Each worker: Ctrl-C is the parent's to handle (one message, not one traceback per worker), SIGTERM
    ends it plainly (the parent's clean-up handler is not a worker's), and it dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now (the parent is interrupted or failing: their work is not wanted)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _run_chunk(fn: ChunkFn, ids: Sequence[str], as_of: dt.date) -> Any:
    return fn(_evaluator(), ids, as_of)


def chunks(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    """`ids` cut into consecutive chunks of at most `size`."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def inherited() -> dict[str, Any]:
    """In a chunk function: the `extra` objects its run was given (inherited by the workers, never pickled)."""
    extra: dict[str, Any] = _STATE.get("extra", {})
    return extra


def run_chunks(book: Rulebook, dataset: Dataset, ids: Sequence[str], as_of: dt.date, fn: ChunkFn,
               jobs: int = 1, chunk_size: int = 2000, config: EngineConfig | None = None,
               extra: dict[str, Any] | None = None) -> Iterator[Any]:
    """Yield `fn(evaluator, chunk_ids, as_of)` for each chunk of `ids`, in order; `extra` is what the chunk
    function reads with `inherited()`."""
    _STATE.update(book=book, dataset=dataset, config=config or EngineConfig(), extra=extra or {})
    _STATE.pop("evaluator", None)
    parts = chunks(ids, chunk_size)
    jobs = min(jobs, len(parts))  # more workers than chunks would only cost their start-up
    if jobs <= 1 or len(parts) <= 1:
        for part in parts:
            yield _run_chunk(fn, part, as_of)
        return

    def what(args: tuple[Any, ...]) -> str:
        part = args[1]
        return f"the chunk starting at person {part[0] if part else '?'}"

    yield from in_order(_run_chunk, ((fn, part, as_of) for part in parts), jobs, what)


def in_order(func: Callable[..., Any], tasks: Iterable[tuple[Any, ...]], jobs: int,
             what: Callable[[tuple[Any, ...]], str] = lambda _args: "a chunk") -> Iterator[Any]:
    """Yield `func(*task)` for each task, in order, computed by `jobs` forked worker processes.

    Tasks are taken from `tasks` only as they are submitted (at most 2 * jobs ahead of the one yielded
    last: memory stays flat), so a task made later can depend on the results yielded before it. A
    worker that dies costs the tasks in flight, which run again in a fresh pool, one at a time up to
    the last one that was in flight; a task whose worker dies twice raises EngineError.
    """
    context = multiprocessing.get_context("fork")
    gc.freeze()  # what the parent holds is shared copy-on-write: keep the workers' collector off it
    source = iter(tasks)
    made: dict[int, tuple[Any, ...]] = {}  # tasks taken and not yet yielded, by index
    exhausted = False
    attempts: dict[int, int] = {}
    index = 0  # first task not yet yielded
    ahead = 0
    suspect_until = 0  # after a crash, tasks up to here run one at a time to find the culprit
    while True:
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                                     initargs=(os.getpid(),)) as pool, _stopped_on_failure(pool):
                window: dict[int, Future[Any]] = {}
                ahead = index
                while True:
                    limit = 1 if ahead < suspect_until else 2 * jobs  # bounded: memory stays flat
                    while len(window) < limit:
                        task = made.get(ahead)
                        if task is None:
                            if exhausted:
                                break
                            try:
                                task = made[ahead] = next(source)
                            except StopIteration:
                                exhausted = True
                                break
                        window[ahead] = pool.submit(func, *task)
                        ahead += 1
                    if index not in window:
                        return
                    result = window.pop(index).result()
                    del made[index]
                    yield result
                    index += 1
        except BrokenProcessPool:
            suspect_until = max(suspect_until, ahead)
            attempts[index] = attempts.get(index, 0) + 1
            if attempts[index] > 1:
                raise EngineError(
                    f"tiến trình đánh giá bị lỗi hai lần / a worker died twice on {what(made[index])}; "
                    "rerun with --jobs 1 to find the person") from None


@contextlib.contextmanager
def _stopped_on_failure(pool: ProcessPoolExecutor) -> Iterator[None]:
    """Workers ended at once when the parent stops early (Ctrl-C, SIGTERM, an error, the caller leaving),
    instead of finishing the chunks in flight; a broken pool is left to the retry."""
    try:
        yield
    except BrokenProcessPool:
        raise
    except BaseException:
        _stop(pool)
        raise


# -- streamed datasets (engine.loading.stream) ------------------------------------------------------------
def _chunk_evaluator(dataset: Dataset) -> Evaluator:
    """The worker's Evaluator, on this chunk's dataset.

    Built once per process (compiling the rules and building the engine's rulesets costs more than a
    chunk); each chunk's Dataset holds the same shared tables (the same position_by_id the deriver
    keeps), so the next chunk only replaces the dataset the evaluator reads people from.
    """
    evaluator: Evaluator | None = _STATE.get("evaluator")
    if evaluator is None:
        evaluator = _STATE["evaluator"] = _STATE["config"].evaluator(_STATE["book"], dataset)
    else:
        evaluator.dataset = dataset
    return evaluator


def _stream_chunk(spec: ChunkSpec, fn: ChunkFn, as_of: dt.date) -> tuple[ChunkReport, Any]:
    """Load and check one chunk (in a worker); evaluate it unless the dataset is known to be bad."""
    with paused():  # the rows just made are no garbage
        dataset, report = load_chunk(_STATE["shared"], spec)
    if not spec.evaluate or report.problems:
        return report, None
    return report, fn(_chunk_evaluator(dataset), [p.id for p in dataset.people], as_of)


def run_stream(book: Rulebook, source: StreamSource, as_of: dt.date, fn: ChunkFn, jobs: int = 1,
               config: EngineConfig | None = None, evaluate: bool = True) -> Iterator[Any]:
    """Yield `fn(evaluator, chunk_ids, as_of)` for each chunk of a streamed dataset, in people order.

    Each chunk is parsed and checked in a worker, then evaluated there. Results are yielded only while
    the dataset has shown no problem; once every chunk is checked, InputError carries every problem of
    the dataset (engine.loading.stream), so a caller writing results as they come must write them where
    they can be discarded (cli.output.stream_to). `evaluate=False`: only check the dataset.
    """
    _STATE.update(book=book, config=config or EngineConfig(), shared=source.shared)
    _STATE.pop("evaluator", None)
    _STATE.pop("dataset", None)
    tasks = ((spec, fn, as_of) for spec in source.chunks(evaluate))
    jobs = min(jobs, len(source.specs))
    if jobs <= 1 or len(source.specs) <= 1:
        results: Iterator[tuple[ChunkReport, Any]] = (_stream_chunk(*task) for task in tasks)
    else:
        results = in_order(_stream_chunk, tasks, jobs, lambda task: f"chunk {task[0].index + 1} of people")
    for report, payload in results:
        source.add(report)
        if payload is not None and not source.has_problems:
            yield payload
    source.finish()
