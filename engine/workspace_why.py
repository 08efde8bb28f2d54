"""The facade's questions of issue 15 — from what, from when — as a base of engine.workspace.Workspace: the
provenance of an output, the way to eligibility of a proposal, the candidates for a post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.candidates import Successor
    from engine.evaluation.evaluator import Evaluator
    from engine.pathway import Pathway
    from engine.provenance import Provenance
    from engine.rules.rulebook import Rulebook


class WhyAndWhen:
    """Needs `root`, `book`, `as_of` and `evaluator` (engine.workspace.Workspace has them)."""

    root: Path
    book: Rulebook
    as_of: dt.date

    @property
    def evaluator(self) -> Evaluator:
        """The evaluator of the whole dataset (Workspace provides it)."""
        raise NotImplementedError

    def provenance(self, generated_at: dt.datetime | None = None, command: Sequence[str] = ()) -> Provenance:
        """What an output over this workspace is made from (engine.provenance): version, hashes of the rule
        packs and of the dataset's files, the evaluation date; `generated_at` and `command` as the caller says."""
        from engine.provenance import provenance

        return provenance(self.book, self.root, self.as_of, generated_at, command)

    def way_to_eligibility(self, person_id: str, position_id: str, on: dt.date | None = None,
                           kind: str = "bo-nhiem") -> Pathway:
        """From when, after which scheduled courses, the appointment would be eligible (engine.pathway)."""
        from engine.pathway import way_to_eligibility

        return way_to_eligibility(self.evaluator, person_id, position_id, on or self.as_of, self.as_of, kind)

    def candidates(self, position_id: str, on: dt.date | None = None) -> list[Successor]:
        """Everyone planned for the post (or an equivalent one), ranked by eligibility on `on`, then by the
        earliest day they would be eligible (engine.candidates)."""
        from engine.candidates import candidates

        return candidates(self.evaluator, position_id, on or self.as_of, self.as_of)


__all__ = ["WhyAndWhen"]
