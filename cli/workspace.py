"""Load what a command needs: the dataset, the rule packs its manifest names, the evaluation date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from engine.dataset import Dataset
from engine.loading import load_dataset, load_manifest
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
    dataset = load_dataset(data_dir, book.programme_codes, day)
    return Workspace(dataset, book, day)
