"""Derived facts of one evaluation context, computed in Python as of a date (engine/rules/facts.py).

Every value the rules compare is made here: ages, months to retirement, months in post, whether a
post is higher, the succession plan, discipline windows, credentials with their equivalences.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine import codes
from engine.dataset import PersonRecords
from engine.dates import add_months, whole_months, whole_years
from engine.evaluation.credentials import Equivalences
from engine.evaluation.retirement import RetirementCalculator
from engine.model import Appointment, Course, Plan, Position, Unit
from engine.rules.compiled import FactRef
from engine.rules.loader import Rulebook
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT

GOOD_RATINGS = ("hoan-thanh-tot", "hoan-thanh-xuat-sac")


@dataclass(frozen=True)
class Context:
    """One thing evaluated for a person: a post held, planned or proposed, an appointment, a course."""

    cid: str
    basis: str
    as_of: dt.date
    records: PersonRecords
    post: Position | None = None
    unit: Unit | None = None
    event_kind: str | None = None
    event_date: dt.date | None = None
    dossier: tuple[dt.date, str] | None = None
    appointment: Appointment | None = None
    plan: Plan | None = None
    course: Course | None = None

    @property
    def reference_date(self) -> dt.date:
        if self.basis in ("holds", "planned"):
            return self.as_of
        return self.event_date or self.as_of


class Deriver:
    """Computes fact values for contexts; `positions` resolves other posts (ranks, plans)."""

    def __init__(self, book: Rulebook, positions: dict[str, Position]) -> None:
        self.book = book
        self.positions = positions
        self.retirement = RetirementCalculator(book.retirement)
        self.equivalences = Equivalences(book)
        self._handlers: dict[str, Callable[[Context, FactRef], Any]] = {
            "basis": lambda c, f: c.basis,
            "as_of": lambda c, f: c.as_of,
            "event.kind": lambda c, f: c.event_kind,
            "event.date": lambda c, f: c.event_date,
            "event.dossier_date": lambda c, f: c.dossier[0] if c.dossier else None,
            "event.is_promotion": self._is_promotion,
            "event.is_first_leadership": lambda c, f: self._previous_rank(c) is None if c.post else None,
            "event.months_in_current_post": self._months_in_current_post,
            "event.months_to_retirement": lambda c, f: self._months_to_retirement(c, self._dossier(c)),
            "event.age_years": self._event_age,
            "event.in_plan": self._in_plan,
            "event.disciplined_within": self._disciplined_within,
            "event.consecutive_terms": self._consecutive_terms,
            "post.id": lambda c, f: c.post.id if c.post else None,
            "post.tier": lambda c, f: c.post.tier if c.post else None,
            "post.role": lambda c, f: c.post.role if c.post else None,
            "post.sector": lambda c, f: c.post.sector if c.post else None,
            "post.managed_by": lambda c, f: c.post.managed_by if c.post else None,
            "post.unit_level": lambda c, f: c.unit.level if c.unit else None,
            "person.category": lambda c, f: c.records.person.category,
            "person.gender": lambda c, f: c.records.person.gender,
            "person.ethnic_minority": lambda c, f: c.records.person.ethnic_minority,
            "person.education": lambda c, f: c.records.person.education,
            "person.grade": lambda c, f: c.records.person.grade,
            "person.grade_since": lambda c, f: c.records.person.grade_since,
            "person.age_years": lambda c, f: whole_years(c.records.person.birth_date, f.arg("on") or c.reference_date),
            "person.months_to_retirement": lambda c, f: self._months_to_retirement(c, f.arg("on") or c.reference_date),
            "person.retirement_date": lambda c, f: self.retirement_date(c.records),
            "person.party_member": self._party_member,
            "person.rated_good_years": self._rated_good_years,
            "person.months_in_grade": self._months_in_grade,
            "credential": self._credential,
            "course.programme": lambda c, f: c.course.programme if c.course else None,
            "course.mode": lambda c, f: c.course.mode if c.course else None,
            "course.start": lambda c, f: c.course.start if c.course else None,
            "course.end": lambda c, f: c.course.end if c.course else None,
            "course.weeks": self._course_weeks,
        }

    # -- public -------------------------------------------------------------------------------
    def values(self, context: Context, facts: set[FactRef]) -> dict[str, Any]:
        # Rules anchored on the event use its date; with no date known (a plan whose term has
        # started) the rules in force on the evaluation date apply.
        out: dict[str, Any] = {ANCHOR_EVENT: context.event_date or context.as_of, ANCHOR_AS_OF: context.as_of}
        for fact in facts:
            if any(v == "__unknown_param__" for _k, v in fact.args):
                continue
            out[fact.key] = self._handlers[fact.name](context, fact)
        return out

    def retirement_date(self, records: PersonRecords) -> dt.date:
        person = records.person
        return self.retirement.retirement_date(person.birth_date, person.gender)

    def post_rank(self, post: Position) -> int:
        ranks = self.book.ranks
        return ranks.tier_rank[post.tier] * 2 + ranks.role_rank[post.role]

    @staticmethod
    def _dossier(context: Context) -> dt.date | None:
        return context.dossier[0] if context.dossier else None

    def _event_age(self, context: Context, _fact: FactRef) -> int | None:
        day = self._dossier(context)
        return None if day is None else whole_years(context.records.person.birth_date, day)

    @staticmethod
    def _course_weeks(context: Context, _fact: FactRef) -> int | None:
        course = context.course
        return None if course is None else math.ceil(((course.end - course.start).days + 1) / 7)

    # -- event facts --------------------------------------------------------------------------
    def _before(self, context: Context) -> list[Appointment]:
        """Appointments started before the event (the event's own record excluded)."""
        day = context.event_date or context.as_of
        return [a for a in context.records.appointments if a.start < day and a is not context.appointment]

    def _previous_rank(self, context: Context) -> int | None:
        """Rank of the highest post held the day before the event; else of the last post held."""
        earlier = self._before(context)
        if not earlier:
            return None
        day = (context.event_date or context.as_of) - dt.timedelta(days=1)
        current = [a for a in earlier if a.end is None or a.end > day]  # held on `day`
        chosen = current or [max(earlier, key=lambda a: a.end or a.start)]
        return max(self.post_rank(self.positions[a.position]) for a in chosen)

    def _is_promotion(self, context: Context, _fact: FactRef) -> bool | None:
        if context.post is None:
            return None
        previous = self._previous_rank(context)
        return previous is None or self.post_rank(context.post) > previous

    def _months_in_current_post(self, context: Context, _fact: FactRef) -> int | None:
        previous = self._previous_rank(context)
        if previous is None:
            return None
        day = context.event_date or context.as_of
        total = 0
        for a in self._before(context):
            if self.post_rank(self.positions[a.position]) == previous:
                end = min(a.end or day, day)
                total += max(0, whole_months(a.start, end))
        return total

    def _months_to_retirement(self, context: Context, on: dt.date | None) -> int | None:
        if on is None:
            return None
        person = context.records.person
        return self.retirement.months_to_retirement(person.birth_date, person.gender, on)

    def _in_plan(self, context: Context, fact: FactRef) -> bool | None:
        if context.post is None:
            return None
        day = context.event_date or context.as_of
        target = self.post_rank(context.post)
        removal = set(fact.arg("removed_by_discipline") or ())
        for plan in context.records.plans:
            if plan.approved > day or (plan.removed is not None and plan.removed <= day):
                continue
            planned = self.positions.get(plan.position)
            if planned is None or (planned.id != context.post.id and self.post_rank(planned) < target):
                continue
            if removal and any(d.kind in removal and plan.approved < d.effective <= day
                               for d in context.records.disciplines):
                continue
            return True
        return False

    def _disciplined_within(self, context: Context, fact: FactRef) -> bool | None:
        day = context.event_date or context.as_of
        kinds = set(fact.arg("kinds") or ())
        months = int(fact.arg("months"))
        return any(d.kind in kinds and d.effective <= day < add_months(d.effective, months)
                   for d in context.records.disciplines)

    def _consecutive_terms(self, context: Context, _fact: FactRef) -> int | None:
        if context.post is None:
            return None
        chain = [a for a in self._before(context) if a.position == context.post.id and a.kind in
                 ("bo-nhiem", "bo-nhiem-lai")]
        count = 1
        start = context.event_date or context.as_of
        for a in sorted(chain, key=lambda a: a.start, reverse=True):
            if a.end is not None and (start - a.end).days > 31:
                break
            count += 1
            start = a.start
        return count

    # -- person facts -------------------------------------------------------------------------
    def _party_member(self, context: Context, _fact: FactRef) -> bool | None:
        since = context.records.person.party_member_since
        return None if since is None else since <= context.reference_date

    def _rated_good_years(self, context: Context, fact: FactRef) -> bool | None:
        years = int(fact.arg("years"))
        by_year = {r.year: r.rating for r in context.records.ratings}
        wanted = [context.reference_date.year - k for k in range(1, years + 1)]
        ratings = [by_year.get(y) for y in wanted]
        if any(r is not None and r not in GOOD_RATINGS for r in ratings):
            return False
        return None if any(r is None for r in ratings) else True

    def _months_in_grade(self, context: Context, _fact: FactRef) -> int | None:
        since = context.records.person.grade_since
        return None if since is None else whole_months(since, context.reference_date)

    def _credential(self, context: Context, fact: FactRef) -> bool:
        since = context.event_date if fact.arg("since") == "event" else None
        found = self.equivalences.first_meeting(
            context.records.credentials, str(fact.arg("programme")), context.reference_date, since
        )
        return found is not None


def label_of_fact(key: str, lang: str) -> str:
    from engine.rules.facts import CATALOGUE

    name = key.split("[", 1)[0]
    spec = CATALOGUE.get(name)
    if spec is None:
        return key
    return spec.vi if lang == "vi" else spec.en


__all__ = ["GOOD_RATINGS", "Context", "Deriver", "codes", "label_of_fact"]
