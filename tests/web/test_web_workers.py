"""Several server processes on one store (`dtbd serve --workers N`), simulated by two `AppState`s (each has
its own owner token, as each process has): a background job runs once, a job whose owner is gone is taken
over, and a snapshot made current by one is the current one of the other."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from tests.web.conftest import DEMO
from web import snapshots
from web.engine_port import validate
from web.jobs import Jobs, JobSpec, owner_alive
from web.models import CachedResult
from web.state import AppState, Settings
from web.store import Store


def _row(store: Store, key: str) -> CachedResult | None:
    with store.session() as db:
        return db.scalar(select(CachedResult).where(CachedResult.key == key))


def test_a_job_another_live_process_owns_is_not_started_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    first, second = Jobs(store, None), Jobs(store, None)
    spec = JobSpec("no-such-kind", 1, str(DEMO), "national", None)
    try:
        with store.session() as db:  # the first process has started it
            db.add(CachedResult(key=spec.key, status="running", progress="", owner=first.owner))
        assert owner_alive(first.owner) and first.owner != second.owner
        assert second.get(spec).status == "running"
        assert spec.key not in second._running  # the second process waits for the first one's result
        row = _row(store, spec.key)
        assert row is not None and row.owner == first.owner
    finally:
        first.close()
        second.close()
        store.close()


def test_a_job_whose_process_is_gone_is_taken_over_and_run(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    jobs = Jobs(store, None)
    spec = JobSpec("no-such-kind", 1, str(DEMO), "national", None)
    gone = "999999999:1:deadbeef"  # no such process
    assert not owner_alive(gone) and not owner_alive(None)
    try:
        with store.session() as db:
            db.add(CachedResult(key=spec.key, status="running", progress="", owner=gone))
        result = jobs.wait(spec, timeout=120)
        assert result.status == "failed" and "unknown job kind" in (result.payload or {}).get("message", "")
        row = _row(store, spec.key)
        assert row is not None and row.owner == jobs.owner
    finally:
        jobs.close()
        store.close()


def test_closing_lets_another_process_take_the_unfinished_jobs(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    first = Jobs(store, None)
    spec = JobSpec("no-such-kind", 1, str(DEMO), "national", None)
    with store.session() as db:
        db.add(CachedResult(key=spec.key, status="running", progress="", owner=first.owner))
    first.close()
    row = _row(store, spec.key)
    assert row is not None and row.owner is None
    store.close()


def test_the_current_snapshot_is_read_from_the_store(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = Store(root)
    one = snapshots.import_folder(store, DEMO, "setup", validate)
    edited = tmp_path / "edited"
    shutil.copytree(DEMO, edited)
    manifest = edited / "dataset.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("name:", "name: B", 1), encoding="utf-8")
    two = snapshots.import_folder(store, edited, "setup", validate)
    snapshots.make_current(store, one.id, "test")
    store.close()
    a, b = AppState(Settings(root, preload=False)), AppState(Settings(root, preload=False))
    try:
        assert a.current().id == b.current().id == one.id  # type: ignore[union-attr]
        snapshots.make_current(a.store, two.id, "test")  # in process a
        a.changed()
        current = b.current()  # process b sees it on its next request
        assert current is not None and current.id == two.id
    finally:
        a.close()
        b.close()
