"""A loaded set of rule packs: the Rulebook, and each rule version with where it was read (LoadedRule).

Apart from the loader (engine.rules.loader builds it) so that what reads a Rulebook — the verifier, the
compiler, the evaluator — does not import the loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import codes
from engine.rules.schema import ConditionCode, Instrument, Pack, PostRanks, Programme, RetirementTable, Rule


@dataclass(frozen=True)
class LoadedRule:
    """A rule version with where it was read: file, line and pack."""

    rule: Rule
    file: str
    line: int | None
    pack: str


@dataclass
class Rulebook:
    """The rule packs in use: instruments, programmes, retirement table, post ranks, conditions and rules."""

    root: Path
    packs: list[str]
    pack_meta: dict[str, Pack]
    sources: dict[str, Instrument]
    programmes: dict[str, Programme]
    evidence_accepted: list[str]
    evidence_source: Any
    retirement: RetirementTable
    ranks: PostRanks
    conditions: dict[str, ConditionCode]
    rules: list[LoadedRule] = field(default_factory=list)

    @property
    def programme_codes(self) -> set[str]:
        """The programme codes the packs define."""
        return set(self.programmes)

    def rule_ids(self) -> list[str]:
        """Every rule id, sorted."""
        return sorted({r.rule.id for r in self.rules})

    def versions(self, rule_id: str) -> list[LoadedRule]:
        """The versions of one rule, oldest first."""
        return sorted((r for r in self.rules if r.rule.id == rule_id), key=lambda r: r.rule.valid_from)

    def programme_label(self, code: str, lang: str = "vi") -> str:
        """A programme's name in `lang` (the glossary's label for one the packs do not define)."""
        prog = self.programmes.get(code)
        if prog is None:
            return codes.PROGRAMME.label(code, lang)
        return prog.name_vi if lang == "vi" else prog.name_en


__all__ = ["LoadedRule", "Rulebook"]
