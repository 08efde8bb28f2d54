"""Snapshots ("bộ dữ liệu chốt ngày …"): an upload validated by the strict loader, stored immutably.

Only a valid dataset is stored. The files are unpacked into `incoming/` first, validated, then renamed
into `snapshots/<content hash>/` inside the transaction that records the row: a crash leaves either no
row (and an orphan folder removed at the next start) or the whole snapshot, never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import yaml
from sqlalchemy import select, update

from web.models import Snapshot
from web.store import Store
from web.uploads import MANIFEST, TABLE_SUFFIXES, Caps, UploadProblem, UploadRefused, unpack

# (folder) -> (manifest name, as_of, rulesets, people count); raises UploadRefused listing every problem.
Validator = Callable[[Path], tuple[str, dt.date | None, list[str], int]]


def content_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _write_manifest(folder: Path, name: str, rulesets: list[str], as_of: dt.date | None) -> None:
    manifest: dict[str, object] = {"name": name, "rulesets": rulesets}
    if as_of is not None:
        manifest["as_of"] = as_of.isoformat()
    (folder / MANIFEST).write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cleanup(store: Store) -> None:
    """Remove what a crash may have left: unfinished uploads, and folders no snapshot row names."""
    for leftover in store.incoming_dir.iterdir():
        shutil.rmtree(leftover, ignore_errors=True)
    with store.session() as db:
        known = {Path(row).name for row in db.scalars(select(Snapshot.path))}
    for folder in store.snapshots_dir.iterdir():
        if folder.name not in known:
            shutil.rmtree(folder, ignore_errors=True)


def _commit(store: Store, work: Path, uploader: str, validate: Validator, label: str,
            refuse_same: bool) -> Snapshot:
    manifest_name, day, packs, people = validate(work)
    digest = content_hash(work)
    final = store.snapshots_dir / digest
    with store.session() as db:
        existing = db.scalar(select(Snapshot).where(Snapshot.content_hash == digest))
        if existing is not None:
            if not refuse_same:
                return existing
            raise UploadRefused([UploadProblem(
                label, None, None, f"bộ dữ liệu này đã có (bản chốt số {existing.id}) / this exact dataset is"
                f" already stored as snapshot {existing.id}", "duplicate-snapshot")])
        db.execute(update(Snapshot).values(current=False))
        row = Snapshot(content_hash=digest, name=manifest_name, uploader=uploader, as_of=day,
                       rulesets=",".join(packs), people=people, path=str(final), current=True)
        db.add(row)
        db.flush()
        work.rename(final)  # inside the transaction: a failed commit leaves an orphan folder, removed at start
    store.log(uploader, "upload", f"snapshot {row.id} {digest[:12]} {label}")
    return row


def store_upload(store: Store, data: bytes, filename: str, uploader: str, validate: Validator, caps: Caps,
                 name: str = "", rulesets: list[str] | None = None, as_of: dt.date | None = None) -> Snapshot:
    """Validate and store an upload as the current snapshot, or raise UploadRefused (nothing stored)."""
    work = store.incoming_dir / uuid.uuid4().hex
    work.mkdir()
    try:
        unpack(data, filename, work, caps)
        if not (work / MANIFEST).exists():
            _write_manifest(work, name or Path(filename).stem, rulesets or ["national"], as_of)
        return _commit(store, work, uploader, validate, Path(filename).name, refuse_same=True)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def snapshots(store: Store) -> list[Snapshot]:
    with store.session() as db:
        return list(db.scalars(select(Snapshot).order_by(Snapshot.id.desc())))


def current(store: Store) -> Snapshot | None:
    with store.session() as db:
        return db.scalar(select(Snapshot).where(Snapshot.current.is_(True)))


def get(store: Store, snapshot_id: int) -> Snapshot | None:
    with store.session() as db:
        return db.get(Snapshot, snapshot_id)


def make_current(store: Store, snapshot_id: int, user: str) -> None:
    with store.session() as db:
        if db.get(Snapshot, snapshot_id) is None:
            raise KeyError(snapshot_id)
        db.execute(update(Snapshot).values(current=False))
        db.execute(update(Snapshot).where(Snapshot.id == snapshot_id).values(current=True))
    store.log(user, "snapshot-current", str(snapshot_id))


def import_folder(store: Store, folder: Path, uploader: str, validate: Validator) -> Snapshot:
    """Store a dataset folder (the demo, for `make serve`) as a snapshot; the same data twice is one snapshot."""
    work = store.incoming_dir / uuid.uuid4().hex
    work.mkdir()
    try:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
                shutil.copyfile(path, work / path.name)
        return _commit(store, work, uploader, validate, str(folder), refuse_same=False)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
