"""Whole-population evaluation in worker processes (check --all, audit at scale).

Evaluation is independent per person, so people are cut into chunks and evaluated by `jobs` worker
processes (fork: the dataset and the rulebook are inherited, each worker builds its own engine).
Results come back in input order, chunk by chunk, so callers can stream them. A worker that dies
(durable-rules is a C extension with known memory-safety defects) costs its chunk, which is retried
once in a fresh pool; a chunk that fails twice raises EngineError naming its people.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from engine.dataset import Dataset
from engine.errors import EngineError
from engine.evaluation.evaluator import Evaluator
from engine.rules.loader import Rulebook

ChunkFn = Callable[[Evaluator, Sequence[str], dt.date], Any]

_STATE: dict[str, Any] = {}


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _evaluator() -> Evaluator:
    if "evaluator" not in _STATE:
        _STATE["evaluator"] = Evaluator(_STATE["book"], _STATE["dataset"], backend=_STATE["backend"],
                                        lang=_STATE["lang"])
    evaluator: Evaluator = _STATE["evaluator"]
    return evaluator


def _run_chunk(fn: ChunkFn, ids: Sequence[str], as_of: dt.date) -> Any:
    return fn(_evaluator(), ids, as_of)


def chunks(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def run_chunks(book: Rulebook, dataset: Dataset, ids: Sequence[str], as_of: dt.date, fn: ChunkFn,
               jobs: int = 1, chunk_size: int = 2000, backend: str = "durable", lang: str = "vi") -> Iterator[Any]:
    """Yield `fn(evaluator, chunk_ids, as_of)` for each chunk of `ids`, in order."""
    _STATE.update(book=book, dataset=dataset, backend=backend, lang=lang)
    _STATE.pop("evaluator", None)
    parts = chunks(ids, chunk_size)
    if jobs <= 1 or len(parts) <= 1:
        for part in parts:
            yield _run_chunk(fn, part, as_of)
        return
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the loaded dataset is shared copy-on-write: keep the workers' collector off it
    attempts = [0] * len(parts)
    index = 0  # first chunk not yet yielded
    suspect_until = 0  # after a crash, chunks up to here run one at a time to find the culprit
    while index < len(parts):
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                window: dict[int, Future[Any]] = {}
                ahead = index
                while index < len(parts):
                    limit = 1 if ahead < suspect_until else 2 * jobs  # bounded: memory stays flat
                    while ahead < len(parts) and len(window) < limit:
                        window[ahead] = pool.submit(_run_chunk, fn, parts[ahead], as_of)
                        ahead += 1
                    result = window.pop(index).result()
                    yield result
                    index += 1
        except BrokenProcessPool:
            suspect_until = max(suspect_until, ahead)
            attempts[index] += 1
            if attempts[index] > 1:
                first = parts[index][0] if parts[index] else "?"
                raise EngineError(
                    f"tiến trình đánh giá bị lỗi hai lần / a worker died twice on the chunk starting at person "
                    f"{first}; rerun with --jobs 1 to find the person") from None
