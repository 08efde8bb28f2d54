"""Provenance of an output: which dtbd, which rule packs, which data, as of when (issue 15, item 4).

Every output says what produced it, so that a report can be reproduced or challenged: the dtbd
version, a content hash of each rule pack used (the files of its folder) and of the shared list of
legal instruments, a content hash of each file of the dataset and of the dataset as a whole, the
evaluation date, the time it was made and the command line. The hashes depend only on the bytes of
the files and their names: the same data and rules give the same hashes on any machine, and changing
one rule file changes its pack's hash. `generated_at` and `command` are given by the caller (the
interface), so that tests can fix them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from engine.rules.rulebook import Rulebook

HASH = "sha256"
_BLOCK = 1 << 20


@lru_cache(maxsize=1)
def dtbd_version() -> str:
    """The installed package's version (pyproject.toml), else "unknown" (run from a bare checkout)."""
    try:
        return metadata.version("dtbd")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_hash(path: Path) -> str:
    """"sha256:<hex>" of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return f"{HASH}:{digest.hexdigest()}"


def combined_hash(entries: Iterable[tuple[str, str]]) -> str:
    """One hash over (name, file hash) pairs, in name order: renaming a file changes it too."""
    digest = hashlib.sha256()
    for name, value in sorted(entries):
        digest.update(f"{name}\0{value}\n".encode())
    return f"{HASH}:{digest.hexdigest()}"


def _visible(path: Path, root: Path) -> bool:
    return not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(root).parts)


def pack_files(root: Path, pack: str) -> list[Path]:
    """The files of one rule pack: everything under its folder except hidden files and other packs nested
    in it (a folder with its own pack.yaml)."""
    folder = root / pack
    nested = {p.parent for p in folder.rglob("pack.yaml") if p.parent != folder}
    return sorted(p for p in folder.rglob("*") if p.is_file() and _visible(p, folder)
                  and not any(n in p.parents for n in nested))


def pack_hash(root: Path, pack: str) -> str:
    """One hash over the files of a rule pack (their names relative to the pack, and their bytes)."""
    folder = root / pack
    return combined_hash((p.relative_to(folder).as_posix(), file_hash(p)) for p in pack_files(root, pack))


def dataset_files(data_dir: Path) -> list[Path]:
    """The files of a dataset folder (its tables and dataset.yaml; hidden files left out)."""
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and _visible(p, data_dir))


@dataclass(frozen=True)
class Provenance:
    """What an output was made from (see the module's docstring)."""
    version: str
    rulesets: str  # the rule packs folder, as given
    packs: tuple[tuple[str, str], ...]  # (pack, hash), in load order
    sources: str | None  # hash of sources.yaml (the legal instruments every pack cites)
    data: str  # the dataset folder, as given
    data_files: tuple[tuple[str, str], ...]  # (file, hash), by name
    data_hash: str
    as_of: dt.date | None
    generated_at: dt.datetime | None
    command: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """As JSON (dates ISO)."""
        return {
            "dtbd": self.version,
            "rulesets": {"root": self.rulesets, "packs": dict(self.packs), "sources": self.sources},
            "data": {"root": self.data, "hash": self.data_hash, "files": dict(self.data_files)},
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "generated_at": self.generated_at.isoformat(timespec="seconds") if self.generated_at else None,
            "command": list(self.command),
        }

    def short(self, value: str) -> str:
        """The first 12 hex digits of a hash, for a footer."""
        return value.split(":", 1)[-1][:12]


def _shown(path: Path) -> str:
    """A folder as the user would recognise it: relative to the working directory when under it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def provenance(book: Rulebook, data_dir: Path, as_of: dt.date | None, generated_at: dt.datetime | None = None,
               command: Sequence[str] = ()) -> Provenance:
    """The provenance of an output made from `book` over the dataset in `data_dir` as of `as_of`."""
    sources = book.root / "sources.yaml"
    files = tuple((p.relative_to(data_dir).as_posix(), file_hash(p)) for p in dataset_files(data_dir))
    return Provenance(
        version=dtbd_version(), rulesets=_shown(book.root),
        packs=tuple((pack, pack_hash(book.root, pack)) for pack in book.packs),
        sources=file_hash(sources) if sources.is_file() else None,
        data=_shown(data_dir), data_files=files, data_hash=combined_hash(files), as_of=as_of,
        generated_at=generated_at, command=tuple(command),
    )


__all__ = ["Provenance", "combined_hash", "dataset_files", "dtbd_version", "file_hash", "pack_files", "pack_hash",
           "provenance"]
