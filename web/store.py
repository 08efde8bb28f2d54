"""The embedded store: one directory holding `dtbd.sqlite3` (schema by Alembic), the signing key and the
snapshots, each an immutable folder named by its content hash.

Backing it up is copying the directory while the server is stopped (or `sqlite3 dtbd.sqlite3 .backup`).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from web.models import AccessLog, utcnow

MIGRATIONS = Path(__file__).parent / "migrations"
DB_NAME = "dtbd.sqlite3"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # WAL with NORMAL: a commit survives a crash of the server; only a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """The store directory: database, key, snapshots. `session()` is one transaction."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.snapshots_dir = root / "snapshots"
        self.incoming_dir = root / "incoming"
        for folder in (root, self.snapshots_dir, self.incoming_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(f"sqlite:///{root / DB_NAME}")
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.secret = self._secret()
        self._log_lock = threading.Lock()
        self._log_db: sqlite3.Connection | None = None
        self._log_insert = (f"INSERT INTO {AccessLog.__tablename__} (at, user, action, what) VALUES (?, ?, ?, ?)")

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _secret(self) -> str:
        path = self.root / "secret.key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as db, db.begin():
            yield db

    def log(self, user: str, action: str, what: str = "") -> None:
        """Append to the access log, committed before the request goes on (its own transaction, so a failed
        request is still recorded). Every page view writes one row: through one plain sqlite3 connection
        kept for the log (a few tens of µs a row, where an ORM session costs over half a millisecond)."""
        at = utcnow().isoformat(" ", "microseconds")  # SQLAlchemy's DateTime text on SQLite
        with self._log_lock:
            if self._log_db is None:
                self._log_db = sqlite3.connect(self.root / DB_NAME, check_same_thread=False)
                self._log_db.execute("PRAGMA busy_timeout=5000")
                self._log_db.execute("PRAGMA synchronous=NORMAL")
            with self._log_db:  # one transaction: committed, or rolled back if the insert fails
                self._log_db.execute(self._log_insert, (at, user[:100], action[:40], what[:300]))

    def close(self) -> None:
        with self._log_lock:
            if self._log_db is not None:
                self._log_db.close()
                self._log_db = None
        self.engine.dispose()
