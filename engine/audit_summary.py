"""The audit's summaries a board files (issue 17, item 3): appointments by unit grouped under the sở or
commune they belong to (worst violation rate first), and by rule: which standard is breached most, and
how many breaches were remedied later (the requirement met after the appointment) or are outstanding."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.audit import AuditReport, Tally
from engine.dataset import Dataset


@dataclass
class RuleTally:
    """One rule across the audited appointments."""

    rule: str
    title: str
    source: str
    violation: int = 0
    remedied: int = 0  # violations whose requirement was met later (Finding.met_later)
    unknown: int = 0

    @property
    def outstanding(self) -> int:
        """Violations still open: not remedied later."""
        return self.violation - self.remedied


@dataclass
class UnitGroup:
    """A sở or commune (or a unit with no parent) and the units under it that had appointments."""

    unit: str
    name: str
    tally: Tally = field(default_factory=Tally)
    units: list[tuple[str, str, Tally]] = field(default_factory=list)  # (id, name, tally), worst first


@dataclass
class AuditSummary:
    """The audit's summaries: unit groups (worst violation rate first), rules (breached most first)."""

    groups: list[UnitGroup]
    rules: list[RuleTally]


def group_of(dataset: Dataset, unit_id: str) -> str:
    """The unit directly under the root of `unit_id`'s tree (the sở or commune under the province's
    people's committee); a root is its own group."""
    units = dataset.unit_by_id
    current = unit_id
    seen = {current}
    while True:
        unit = units.get(current)
        if unit is None or unit.parent is None or unit.parent in seen:
            return current
        parent = units.get(unit.parent)
        if parent is None or parent.parent is None:
            return current
        current = unit.parent
        seen.add(current)


def _add(into: Tally, other: Tally) -> None:
    into.total += other.total
    into.ok += other.ok
    into.violation += other.violation
    into.unknown += other.unknown


def summarise(report: AuditReport, dataset: Dataset) -> AuditSummary:
    """Group the report's units under their sở or commune; count its findings by rule."""
    units = dataset.unit_by_id
    groups: dict[str, UnitGroup] = {}
    for unit_id, tally in report.by_unit():
        top = group_of(dataset, unit_id)
        group = groups.setdefault(top, UnitGroup(top, units[top].name if top in units else top))
        _add(group.tally, tally)
        group.units.append((unit_id, report.unit_names.get(unit_id, unit_id), tally))
    for group in groups.values():
        group.units.sort(key=lambda u: (-u[2].rate, -u[2].violation, u[1]))
    rules: dict[str, RuleTally] = {}
    for item in report.appointments:
        for f in item.findings:
            if f.status not in ("violation", "unknown"):
                continue
            counted = rules.setdefault(f.rule, RuleTally(f.rule, f.title, f.source))
            if f.status == "unknown":
                counted.unknown += 1
                continue
            counted.violation += 1
            counted.remedied += f.met_later is not None
    return AuditSummary(sorted(groups.values(), key=lambda g: (-g.tally.rate, -g.tally.violation, g.name)),
                        sorted(rules.values(), key=lambda r: (-r.violation, -r.unknown, r.rule)))


__all__ = ["AuditSummary", "RuleTally", "UnitGroup", "group_of", "summarise"]
