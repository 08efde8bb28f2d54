"""Whole-population work (audit, plan, shortlists, readiness) in a background worker, cached in the store.

One result per key (kind, snapshot, rule packs, as-of, parameters). The first request starts the work
and gets its progress at once; later ones get the progress, then the cached payload. The work runs in
a separate process (spawned, so the server's threads are not forked), which opens the snapshot itself
and writes its progress and result into the store: the server's own evaluator is never shared with it,
and a page never waits for it.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select

from web.models import CachedResult, utcnow
from web.store import Store


@dataclass(frozen=True)
class JobState:
    status: str  # running | done | failed
    progress: str
    payload: dict[str, Any] | None


@dataclass(frozen=True)
class JobSpec:
    kind: str  # audit | plan | shortlist | readiness | overview
    snapshot_id: int
    folder: str
    rulesets: str
    as_of: str | None
    params: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        params = "&".join(f"{k}={v}" for k, v in self.params)
        return f"{self.kind}|{self.snapshot_id}|{self.rulesets}|{self.as_of or ''}|{params}"


def _run_in_worker(store_root: str, rulesets_dir: str | None, spec: JobSpec) -> None:
    """In the worker process: compute, then record the payload (or the failure) under the spec's key."""
    from web.work import compute

    store = Store(Path(store_root))
    try:
        def progress(text: str) -> None:
            with store.session() as db:
                row = db.scalar(select(CachedResult).where(CachedResult.key == spec.key))
                if row is not None:
                    row.progress = text[:100]

        try:
            payload = compute(spec, Path(rulesets_dir) if rulesets_dir else None, progress)
            status, text = "done", ""
        except Exception as exc:  # recorded for the page: the worker must not die silently
            payload, status, text = {"code": "job-failed", "message": str(exc)[:2000]}, "failed", str(exc)[:100]
        with store.session() as db:
            row = db.scalar(select(CachedResult).where(CachedResult.key == spec.key))
            if row is not None:
                row.status, row.progress, row.payload = status, text, json.dumps(payload, ensure_ascii=False)
                row.finished_at = utcnow()
    finally:
        store.close()


class Jobs:
    def __init__(self, store: Store, rulesets_dir: Path | None) -> None:
        self.store = store
        self.rulesets_dir = rulesets_dir
        self._pool: ProcessPoolExecutor | None = None
        self._running: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def get(self, spec: JobSpec) -> JobState:
        """The cached result, or the work's progress (starting it if nobody has)."""
        with self._lock:
            with self.store.session() as db:
                row = db.scalar(select(CachedResult).where(CachedResult.key == spec.key))
                if row is not None and row.status in ("done", "failed"):
                    return JobState(row.status, row.progress, json.loads(row.payload or "{}"))
                if row is None:
                    db.add(CachedResult(key=spec.key, status="running", progress=""))
                progress = row.progress if row is not None else ""
            if spec.key not in self._running:  # none started here (or the server restarted meanwhile)
                args = (str(self.store.root), str(self.rulesets_dir) if self.rulesets_dir else None, spec)
                try:
                    future = self._executor().submit(_run_in_worker, *args)
                except BrokenProcessPool:  # a worker died (durable-rules is a C extension): start a new pool
                    self._pool = None
                    future = self._executor().submit(_run_in_worker, *args)
                self._running[spec.key] = future
                future.add_done_callback(partial(self._finished, spec.key))
            return JobState("running", progress, None)

    def _finished(self, key: str, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:  # the worker process died: record it so the page says so
            with self.store.session() as db:
                row = db.scalar(select(CachedResult).where(CachedResult.key == key))
                if row is not None and row.status == "running":
                    row.status, row.progress = "failed", str(error)[:100]
                    row.payload = json.dumps({"code": "job-failed", "message": str(error)[:2000]})
        with self._lock:
            self._running.pop(key, None)

    def wait(self, spec: JobSpec, timeout: float = 120) -> JobState:
        """For tests and the CLI: start and wait for the result."""
        self.get(spec)
        future = self._running.get(spec.key)
        if future is not None:
            future.result(timeout=timeout)
        return self.get(spec)

    def close(self) -> None:
        """Stop the worker: queued work is dropped, running work ended (its row stays `running` and is
        started again on the next request after a restart)."""
        if self._pool is not None:
            processes = list(getattr(self._pool, "_processes", {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
            self._pool = None
