"""The planning problem handed to the solver (engine.planning.assign): demands, their options, courses
(slots) and quotas that are not gates (side limits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Edge = tuple[str, str]  # (demand key, course id)


@dataclass(frozen=True)
class Option:
    """A course a demand may be sent to, with its cost."""

    course: str
    cost: int
    late: bool = False
    # The cost's components, most important first (CostModel.levels); empty: `cost` alone is minimised.
    levels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Demand:
    """A candidate to send, with the courses it may take and the quota gates it counts in."""

    key: str
    person: str
    options: tuple[Option, ...]
    gates: tuple[str, ...] = ()  # source-side quota gates, outermost first
    tier: int = 0  # 0 is served first (TIERS)


@dataclass(frozen=True)
class Slot:
    """A course with its capacity, dates and the quota gates it counts in."""

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


@dataclass
class Solution:
    """The integer program's answer: the course of each demand sent, and whether it is proven optimal."""

    chosen: dict[str, str] = field(default_factory=dict)  # demand key -> course id
    count: int = 0
    cost: int = 0
    exact: bool = True  # proven optimal
    solves: int = 0  # integer programs solved (one per objective level and group of connected demands)


@dataclass(frozen=True)
class Priority:
    """How urgent a demand is: status tier, deadline, plan date, favoured groups."""

    tier: int
    deadline: dt.date | None
    planned_on: dt.date | None
    favoured: int  # how many of (woman, ethnic minority): the seeds' priority at ties


__all__ = ["Demand", "Edge", "Option", "Priority", "SideLimit", "Slot", "Solution"]
