"""Readiness of the people in an active succession plan (quy hoạch): from when they meet the
training requirements of the planned post, given the plan.

For each (person, planned post) the needs of that post (unmet programme requirements, basis
`planned`, merged as in engine.planning.needs) are looked up in the plans of the years from the
as-of year to the last year with a course (Planner.horizon). The person is ready now when nothing is
needed, ready from the end of the last course they still need when every need is scheduled, and
not schedulable otherwise. Only course requirements count here: conditions such as tenure or age
are `dtbd check --for-position`'s business.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.errors import UnknownIdError
from engine.model import Plan
from engine.planning.needs import Need
from engine.planning.planner import Planner
from engine.planning.results import Assignment, Item, Readiness
from engine.suggest import closest


def _active_plan(planner: Planner, person: str, position: str) -> Plan | None:
    rows = [p for p in planner.ev.dataset.plans if p.person == person and p.position == position
            and p.approved <= planner.as_of and (p.removed is None or p.removed > planner.as_of)]
    return max(rows, key=lambda p: p.approved) if rows else None


def readiness(planner: Planner, position: str | None = None, years: Iterable[int] | None = None) -> list[Readiness]:
    """The readiness of everyone in an active succession plan (of `position`), given the plans of `years`."""
    positions = planner.ev.dataset.position_by_id
    if position is not None and position not in positions:
        raise UnknownIdError("chức vụ / position", position, closest(position, positions, n=3))
    scheduled: dict[tuple[str, str], Assignment] = {}
    for result in planner.horizon(list(years) if years is not None else planner.course_years()):
        for a in result.assignments:
            if a.candidate.need is not None:
                scheduled[(a.candidate.person, a.candidate.programme)] = a
    needs_of: dict[str, list[Need]] = {}
    for need in planner.survey.needs:
        needs_of.setdefault(need.person, []).append(need)
    out = []
    for person, post in planner.graph.planned_people(position):
        items = []
        for need in needs_of.get(person, []):
            if need.for_post(post):
                found = scheduled.get((person, need.programme))
                items.append(Item(need, found.course if found else None, found.late if found else False))
        if not items:
            status, ready = "ready", None
        elif any(i.course is None for i in items):
            status, ready = "unscheduled", None
        else:
            status, ready = "ready_from", max(i.course.end for i in items if i.course is not None)
        out.append(Readiness(person, post, _active_plan(planner, person, post), status, ready, items))
    return out


__all__ = ["Item", "Readiness", "readiness"]
