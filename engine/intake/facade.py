"""What the interfaces use of engine.intake (data as offices hold it), in one module they may import.

Listed in engine.workspace.INTERFACE_MODULES: the CLI reaches the intake through here only.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from engine.intake.completeness import ITEMS, OPTIONAL_ITEMS, Gap, UnitGaps, by_unit, gaps, heading, label
from engine.intake.delimiter import delimiters, note
from engine.intake.importer import REPORT, Outcome
from engine.intake.importer import run as _run
from engine.intake.mapping import MappingFile, Unmapped, load_mapping
from engine.intake.personal_id import FIELD as PERSONAL_ID
from engine.intake.personal_id import mask
from engine.intake.vocabulary import Vocabulary, grade_label, vocabulary
from engine.loading import load_manifest


def _programme_codes(base: Path | None, rulesets: Path | None) -> Collection[str] | None:
    if base is None:
        return None
    from engine.rules.loader import load_rulebook

    return set(load_rulebook(rulesets, list(load_manifest(base).rulesets)).programme_codes)


def import_workbook(mapping: MappingFile, source: Path, out: Path, base: Path | None = None,
                    rulesets: Path | None = None, partial: bool = False, force: bool = False) -> Outcome:
    """Import `source` through `mapping` into the dataset folder `out` (engine.intake.importer), the
    programme codes those of the rule packs the base dataset's manifest names."""
    return _run(mapping, source, out, base, _programme_codes(base, rulesets), partial, force)


__all__ = ["ITEMS", "OPTIONAL_ITEMS", "PERSONAL_ID", "REPORT", "Gap", "MappingFile", "Outcome", "UnitGaps", "Unmapped",
           "Vocabulary", "by_unit", "delimiters", "gaps", "grade_label", "heading", "import_workbook", "label",
           "load_mapping", "mask", "note", "vocabulary"]
