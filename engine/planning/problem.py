"""The planning problem handed to the solver (engine.planning.assign): demands, their options, courses
(slots) and quotas that are not gates (side limits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Edge = tuple[str, str]  # (demand key, course id)


@dataclass(frozen=True)
class Option:
    course: str
    cost: int
    late: bool = False
    # The cost's components, most important first (CostModel.levels); empty: `cost` alone is minimised.
    levels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Demand:
    key: str
    person: str
    options: tuple[Option, ...]
    gates: tuple[str, ...] = ()  # source-side quota gates, outermost first
    tier: int = 0  # 0 is served first (TIERS)


@dataclass(frozen=True)
class Slot:
    id: str
    capacity: int
    start: dt.date
    end: dt.date
    gates: tuple[str, ...] = ()  # course-side quota gates, outermost first


@dataclass(frozen=True)
class SideLimit:
    """At most `limit` of the (demand, course) pairs in `members` (a quota not expressible as a gate)."""

    id: str
    limit: int
    members: frozenset[Edge]


__all__ = ["Demand", "Edge", "Option", "SideLimit", "Slot"]
