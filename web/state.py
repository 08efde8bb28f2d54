"""What the application holds between requests: the store, its settings, the snapshots opened in memory."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from web import snapshots
from web.engine_port import SnapshotData
from web.jobs import Jobs, JobSpec
from web.models import Snapshot
from web.store import Store
from web.uploads import Caps


@dataclass
class Settings:
    store_dir: Path
    rulesets_dir: Path | None = None
    caps: Caps = field(default_factory=Caps)
    secure_cookies: bool = False  # set behind HTTPS (a proxy); plain HTTP on 127.0.0.1 by default
    preload: bool = True


class NoSnapshot(Exception):
    """No snapshot is stored yet (or the one asked for does not exist)."""


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.store_dir)
        snapshots.cleanup(self.store)
        self._data: dict[tuple[int, dt.date | None], SnapshotData] = {}
        self._lock = threading.Lock()
        self._opening = threading.Lock()
        self.jobs = Jobs(self.store, settings.rulesets_dir)
        self._current: list[Snapshot | None] = []  # the current snapshot's row, read once (see current())
        if settings.preload:
            row = snapshots.current(self.store)
            if row is not None:
                self.data(row)

    def current(self) -> Snapshot | None:
        """The current snapshot's row, asked of the store on every request (one indexed query): another server
        process (`dtbd serve --workers N`) may have stored or chosen a snapshot since."""
        with self.store.engine.connect() as connection:
            current_id = connection.execute(select(Snapshot.id).where(Snapshot.current.is_(True))).scalar()
        with self._lock:
            if self._current and (self._current[0].id if self._current[0] else None) == current_id:
                return self._current[0]
        row = snapshots.current(self.store)
        with self._lock:
            self._current[:] = [row]
            return row

    def changed(self) -> None:
        with self._lock:
            self._current.clear()

    def data(self, row: Snapshot | None = None, as_of: dt.date | None = None) -> SnapshotData:
        """The snapshot (default: the current one) opened in memory, once per (snapshot, as-of). Opening the
        current one lets go of the others (a replaced snapshot's memory is given back)."""
        current = self.current()
        row = row or current
        if row is None:
            raise NoSnapshot()
        key = (row.id, as_of)
        with self._lock:
            if key in self._data:
                return self._data[key]
        with self._opening:  # one snapshot opened at a time, without holding up requests on the others
            with self._lock:
                if key in self._data:
                    return self._data[key]
            data = SnapshotData(Path(row.path), self.settings.rulesets_dir, as_of)
            with self._lock:
                if current is not None and row.id == current.id:
                    for old in [k for k in self._data if k[0] != row.id]:
                        del self._data[old]
                self._data[key] = data
            return data

    def loaded(self) -> SnapshotData | None:
        """The current snapshot if it is open in memory already (None: `data()` would open it)."""
        row = self.current()
        if row is None:
            raise NoSnapshot()
        with self._lock:
            return self._data.get((row.id, None))

    def remember(self, row: Snapshot, data: SnapshotData) -> None:
        with self._lock:
            data.folder = Path(row.path)
            self._data[(row.id, None)] = data
            self._current.clear()

    def job(self, kind: str, **params: str) -> JobSpec:
        """The background job of `kind` on the current snapshot (its packs and as-of) with `params`."""
        row = self.current()
        if row is None:
            raise NoSnapshot()
        return JobSpec(kind, row.id, row.path, row.rulesets, None, tuple(sorted(params.items())))

    def close(self) -> None:
        self.jobs.close()
        self.store.close()
