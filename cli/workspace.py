"""Load what a command needs: the dataset, the rule packs its manifest names, the evaluation date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from engine.dataset import Dataset
from engine.loading import load_dataset, load_manifest
from engine.loading.stream import CHUNK_SIZE, StreamSource, open_stream
from engine.model import Manifest
from engine.rules.loader import Rulebook, load_rulebook


@dataclass
class Workspace:
    dataset: Dataset
    book: Rulebook
    as_of: dt.date


def open_workspace(data_dir: Path, rulesets_dir: Path | None, as_of: dt.date | None) -> Workspace:
    manifest = load_manifest(data_dir)
    book = load_rulebook(rulesets_dir, list(manifest.rulesets))
    day = as_of or manifest.as_of or dt.date.today()
    dataset = load_dataset(data_dir, book.programme_codes, day)  # frozen from the collector: engine.collector
    return Workspace(dataset, book, day)


@dataclass
class StreamWorkspace:
    """What a streamed command needs: the rules and the evaluation date; the dataset is split on demand
    (engine.loading.stream), its people loaded chunk by chunk in the workers."""

    data_dir: Path
    manifest: Manifest
    book: Rulebook
    as_of: dt.date
    chunk_size: int = CHUNK_SIZE

    @contextmanager
    def stream(self) -> Iterator[StreamSource]:
        with open_stream(self.data_dir, self.book.programme_codes, self.as_of, self.chunk_size) as source:
            yield source


def stream_workspace(data_dir: Path, rulesets_dir: Path | None, as_of: dt.date | None,
                     chunk_size: int = CHUNK_SIZE) -> StreamWorkspace:
    manifest = load_manifest(data_dir)
    book = load_rulebook(rulesets_dir, list(manifest.rulesets))
    return StreamWorkspace(data_dir, manifest, book, as_of or manifest.as_of or dt.date.today(), chunk_size)
