"""The numbers of a plan a personnel board files (issue 17): the allocation each unit receives per
programme (phân bổ chỉ tiêu: who of the unit is sent), beside the unit's demand (its people who need the
programme this year), and what is still missing against demand and against quota."""

from __future__ import annotations

from dataclasses import dataclass

from engine.dataset import Dataset
from engine.planning.results import PlanResult


@dataclass(frozen=True)
class UnitAllocation:
    """One unit × programme cell: people of the unit sent to the programme, and those who need it."""

    unit: str
    programme: str
    assigned: int
    needs: int

    @property
    def unmet(self) -> int:
        """Needs of the unit left without a course."""
        return max(0, self.needs - self.assigned)


def allocation(result: PlanResult, dataset: Dataset) -> list[UnitAllocation]:
    """Per unit (of the person) and programme, in the order of the units, then of result.by_programme.

    Demand counts each person's need of the programme once: those assigned and those left unassigned."""
    order = [b.programme for b in result.by_programme]
    assigned: dict[tuple[str, str], int] = {}
    needs: dict[tuple[str, str], int] = {}
    for a in result.assignments:
        key = (dataset.person_by_id[a.candidate.person].unit, a.candidate.programme)
        assigned[key] = assigned.get(key, 0) + 1
        if a.candidate.need is not None:
            needs[key] = needs.get(key, 0) + 1
    for u in result.unassigned:
        key = (dataset.person_by_id[u.need.person].unit, u.need.programme)
        needs[key] = needs.get(key, 0) + 1
    units = [unit.id for unit in dataset.units]
    keys = sorted(assigned.keys() | needs.keys(),
                  key=lambda k: (units.index(k[0]) if k[0] in units else len(units), k[0],
                                 order.index(k[1]) if k[1] in order else len(order), k[1]))
    return [UnitAllocation(unit, programme, assigned.get((unit, programme), 0), needs.get((unit, programme), 0))
            for unit, programme in keys]


__all__ = ["UnitAllocation", "allocation"]
