"""The numbers of the documents a personnel board files (issue 17), as methods of the facade
(engine.workspace.Workspace inherits Reports): the plan's allocation by unit, the audit's summaries,
the province's targets measured, and the multi-year appendix tables of a provincial plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from engine.audit import AuditReport
from engine.audit_summary import AuditSummary, summarise
from engine.codes import TIER
from engine.dataset import Dataset
from engine.rules.rulebook import Rulebook
from engine.targets import TargetResult, load_targets, measure_all

if TYPE_CHECKING:
    from engine.planning.allocation import UnitAllocation
    from engine.planning.planner import Planner
    from engine.planning.results import PlanResult

# The appendix's default object group: cadres holding or planned for posts the provincial standing
# committee manages ("cán bộ đương chức và quy hoạch ... thuộc diện Ban Thường vụ Tỉnh ủy quản lý", seed 004).
APPENDIX_GROUP = ("btv-tinh-uy",)


class _Facade(Protocol):
    book: Rulebook
    as_of: dt.date

    @property
    def dataset(self) -> Dataset: ...

    def audit(self, date_from: dt.date | None = None, date_to: dt.date | None = None, unit: str | None = None,
              person: str | None = None) -> AuditReport: ...

    def planner(self, on_person: Callable[[], None] | None = None, jobs: int | None = None) -> Planner: ...


@dataclass
class AppendixRow:
    """One programme of the training appendix: people of the group to train in the period, per year."""

    programme: str
    by_year: dict[int, int]
    unscheduled: int = 0  # counted in the year of their deadline, no course yet

    @property
    def total(self) -> int:
        """People of the group to train in the period."""
        return sum(self.by_year.values())


@dataclass
class Appendix:
    """The two appendix tables: training per programme and year, and the foreign-language targets."""

    years: list[int]
    managed_by: tuple[str, ...]
    training: list[AppendixRow] = field(default_factory=list)
    languages: list[TargetResult] = field(default_factory=list)


class Reports:
    """The documents' numbers, as methods of the facade (see the module's docstring)."""

    def plan_allocation(self: _Facade, result: PlanResult) -> list[UnitAllocation]:
        """The plan per unit × programme: people sent and people who need it (engine.planning.allocation)."""
        from engine.planning.allocation import allocation

        return allocation(result, self.dataset)

    def audit_summary(self: _Facade, report: AuditReport) -> AuditSummary:
        """By unit under its sở or commune, and by rule (engine.audit_summary)."""
        return summarise(report, self.dataset)

    def targets(self: _Facade, year: int | None = None) -> list[TargetResult]:
        """The targets of the rule packs (targets.yaml), measured in `year` (default the as-of year) with
        the people as they are on the as-of date; appointments of `year` judged by the audit."""
        def appointments(y: int) -> list[tuple[str, str, dt.date, str]]:
            report = self.audit(dt.date(y, 1, 1), min(dt.date(y, 12, 31), self.as_of))
            return [(a.appointment.person, a.appointment.position, a.appointment.start, a.status)
                    for a in report.appointments]

        return measure_all(load_targets(self.book), self.dataset, year or self.as_of.year, self.as_of,
                           list(TIER.values), appointments)

    def appendix(self: _Facade, years: Sequence[int], managed_by: Sequence[str] = APPENDIX_GROUP) -> Appendix:
        """The two appendix tables of a provincial plan for `years` (seed 004): per programme, the people of
        the group (holding or planned for a post `managed_by`) to train each year — in the year of their
        course in the plans of those years, else (no course yet) the year of their deadline, at the
        earliest the first — and the foreign-language targets (targets with `appendix: ngoai-ngu`)."""
        chosen = sorted(years)
        posts = self.dataset.position_by_id
        sent: dict[tuple[str, str], int] = {}
        waiting: dict[tuple[str, str], int] = {}
        for result in self.planner().horizon(chosen):
            for a in result.assignments:
                post = posts.get(a.candidate.position or "")
                if post is not None and post.managed_by in managed_by:
                    sent.setdefault((a.candidate.person, a.candidate.programme), a.course.start.year)
            for u in result.unassigned:
                post = posts.get(u.need.position or "")
                if post is None or post.managed_by not in managed_by:
                    continue
                due = u.need.deadline.year if u.need.deadline else chosen[-1]
                if due <= chosen[-1]:
                    waiting.setdefault((u.need.person, u.need.programme), max(due, chosen[0]))
        rows: dict[str, AppendixRow] = {}
        for (person, programme), year in [*sent.items(), *((k, y) for k, y in waiting.items() if k not in sent)]:
            row = rows.setdefault(programme, AppendixRow(programme, {y: 0 for y in chosen}))
            row.by_year[year] = row.by_year.get(year, 0) + 1
            row.unscheduled += (person, programme) not in sent
        order = {code: index for index, code in enumerate(self.book.programmes)}
        training = sorted(rows.values(), key=lambda r: order.get(r.programme, len(order)))
        languages = [t for t in Reports.targets(self, chosen[-1]) if t.target.appendix == "ngoai-ngu"]
        return Appendix(chosen, tuple(managed_by), training, languages)


__all__ = ["APPENDIX_GROUP", "Appendix", "AppendixRow", "Reports"]
