"""First start on a dataset folder (`dtbd serve --demo DIR`, `make serve`): a snapshot and an admin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from web import auth, snapshots
from web.engine_port import open_snapshot
from web.store import Store


def prepare_demo(store_dir: Path, folder: Path, rulesets_dir: Path | None = None) -> list[str]:
    """Store `folder` as the snapshot when the store has none; create 'admin' when there is no account."""
    store = Store(store_dir)
    lines = []
    try:
        if snapshots.current(store) is None:

            def validate(work: Path) -> tuple[str, dt.date | None, list[str], int]:
                data = open_snapshot(work, rulesets_dir)
                return data.name, data.manifest_as_of, data.rulesets, data.people_count

            row = snapshots.import_folder(store, folder, "setup", validate)
            lines.append(f"bộ dữ liệu chốt / snapshot {row.id}: {row.name} ({row.people} người / people)")
        if not auth.users(store):
            password = auth.add_user(store, "admin", "admin", None)
            lines.append(f"tài khoản quản trị / admin account: admin — mật khẩu dùng một lần / one-time password:"
                         f" {password}")
    finally:
        store.close()
    return lines
