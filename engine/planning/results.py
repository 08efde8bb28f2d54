"""The results of planning: assignments, unassigned needs and why, counts per programme and quota; a
course's shortlist; the readiness of planned cadres."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.model import Course, Plan
    from engine.planning.admission import Candidate
    from engine.planning.needs import Need

QuotaKey = tuple[str, str | None, str | None]  # programme, mode, unit


@dataclass
class Assignment:
    """A candidate sent to a course; `late` when the course ends after the deadline."""

    candidate: Candidate
    course: Course
    late: bool
    warnings: tuple[str, ...] = ()
    awaiting: tuple[int, ...] = ()  # a conditional assignment: the rating years awaited

    @property
    def conditional(self) -> bool:
        """Whether the seat is given on condition (ratings of a year not ended yet are awaited)."""
        return bool(self.awaiting)


@dataclass
class Unassigned:
    """A need the plan could not schedule, and why."""

    need: Need
    kind: str  # no_course | not_admissible | needs-data | full | clash
    why: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class ProgrammeCount:
    """The plan's counts for one programme: assigned, quota, capacity and needs."""

    programme: str
    assigned: int
    quota: int | None
    capacity: int
    needs: int
    conditional: int = 0  # conditional assignments, counted apart from `assigned` (confirmed)

    @property
    def shortfall(self) -> int | None:
        """Còn thiếu so với chỉ tiêu: how many of the quota are not sent (None without a quota)."""
        return None if self.quota is None else max(0, self.quota - self.assigned - self.conditional)

    @property
    def unmet(self) -> int:
        """Còn thiếu so với nhu cầu: people who need the programme and are not sent, the quota aside."""
        return max(0, self.needs - self.assigned - self.conditional)


@dataclass
class QuotaUse:
    """The use of one quota (programme, mode, unit) in the plan's year."""

    year: int
    programme: str
    mode: str | None
    unit: str | None
    target: int
    assigned: int

    @property
    def shortfall(self) -> int:
        """How many of the target are not sent."""
        return max(0, self.target - self.assigned)


@dataclass
class PlanResult:
    """The plan of a year: assignments, unassigned needs, counts per programme and quota."""

    year: int
    as_of: dt.date
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    by_programme: list[ProgrammeCount]
    quotas: list[QuotaUse]
    exact: bool = True
    solves: int = 0


@dataclass
class Nominee:
    """A ranked nominee of a course's shortlist, with the reasons of their rank."""

    rank: int
    candidate: Candidate
    late: bool
    reasons: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Excluded:
    """A candidate excluded from a course, and why."""

    candidate: Candidate
    why: list[str]


@dataclass
class NeedsData:
    """Admitted but for evidence that should be on file and is not: no seat until it is completed."""

    candidate: Candidate
    items: list[tuple[str, str, str]]  # (rule, field, text)


@dataclass
class Shortlist:
    """A course's ranked nominees (confirmed), its reserves, the conditional, those lacking data, the excluded."""

    course: Course
    nominees: list[Nominee]  # confirmed only
    reserves: list[Nominee]
    excluded: list[Excluded]
    # Admitted on condition: only ratings of a year not ended yet are awaited; ranked after the nominees.
    conditional: list[Nominee] = field(default_factory=list)
    needs_data: list[NeedsData] = field(default_factory=list)  # "Cần bổ sung dữ liệu"


@dataclass
class Item:
    """One training need of a planned cadre and the course the plan gives it (None: not scheduled)."""

    need: Need
    course: Course | None
    late: bool = False


@dataclass
class Readiness:
    """From when a person of a succession plan meets the planned post's training standards."""

    person: str
    position: str
    plan: Plan | None
    status: str  # ready | ready_from | unscheduled
    ready_from: dt.date | None
    items: list[Item] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """The programmes still without a course."""
        return [i.need.programme for i in self.items if i.course is None]


def awaiting_text(years: tuple[int, ...], lang: str) -> str:
    """The note of a conditional nomination: the rating years awaited."""
    shown = ", ".join(str(y) for y in years)
    if lang == "vi":
        return f"đề cử có điều kiện: chờ kết quả xếp loại năm {shown}"
    return f"conditional nomination: awaiting the {shown} rating"


__all__ = ["Assignment", "Excluded", "Item", "NeedsData", "Nominee", "PlanResult", "ProgrammeCount", "QuotaKey",
           "QuotaUse", "Readiness", "Shortlist", "Unassigned", "awaiting_text"]
