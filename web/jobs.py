"""Whole-population work (audit, plan, shortlists, readiness) in a background worker, cached in the store.

One result per key (kind, snapshot, rule packs, as-of, parameters). The first request starts the work
and gets its progress at once; later ones get the progress, then the cached payload. The work runs in
a separate process (spawned, so the server's threads are not forked), which opens the snapshot itself
and writes its progress and result into the store: the server's own evaluator is never shared with it,
and a page never waits for it.

Several server processes share one store (`dtbd serve --workers N`): a job's row names its owner (process
id, start time, and a token of the `Jobs`), the one process that runs it. Another process asking for the
same job waits for that row; a row whose owner process is gone (a restart, a crash) is taken over — by
one process only (a conditional update) — and started again.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

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


def _started(pid: int) -> str | None:
    """When the process `pid` started (clock ticks since boot, /proc), None if it does not exist; "" where
    /proc is not there (then only whether it exists is known)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[19]
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
    except (OSError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return ""


def owner_alive(owner: str | None) -> bool:
    """Whether the process that owns a job (`pid:start:token`) still runs (a reused pid does not count)."""
    if not owner:
        return False
    pid, _, rest = owner.partition(":")
    started, _, _ = rest.partition(":")
    if not pid.isdigit():
        return False
    now = _started(int(pid))
    return now is not None and (now == "" or now == started)


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
        self.owner = f"{os.getpid()}:{_started(os.getpid()) or ''}:{secrets.token_hex(4)}"

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def get(self, spec: JobSpec) -> JobState:
        """The cached result, or the work's progress (starting it if no live process runs it)."""
        with self._lock:
            try:
                with self.store.session() as db:
                    row = db.scalar(select(CachedResult).where(CachedResult.key == spec.key))
                    if row is not None and row.status in ("done", "failed"):
                        return JobState(row.status, row.progress, json.loads(row.payload or "{}"))
                    if row is None:
                        db.add(CachedResult(key=spec.key, status="running", progress="", owner=self.owner))
                        mine = True
                    elif row.owner == self.owner:
                        mine = True
                    elif owner_alive(row.owner):
                        mine = False  # another server process runs it
                    else:  # its process is gone: take it over, unless another process just did
                        taken = db.execute(update(CachedResult).where(CachedResult.id == row.id,
                                                                      CachedResult.owner.is_not_distinct_from(row.owner))
                                           .values(owner=self.owner))
                        mine = getattr(taken, "rowcount", 0) == 1
                    progress = row.progress if row is not None else ""
            except IntegrityError:  # another process inserted the same job a moment before: it runs it
                return JobState("running", "", None)
            if mine and spec.key not in self._running:
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
        started again on the next request, here or in another process)."""
        if self._pool is not None:
            processes = list(getattr(self._pool, "_processes", {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
            self._pool = None
        with self.store.session() as db:  # no longer ours: whoever asks next takes them over
            db.execute(update(CachedResult).where(CachedResult.owner == self.owner, CachedResult.status == "running")
                       .values(owner=None))
