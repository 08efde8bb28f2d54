"""Derived facts of one evaluation context, computed in Python as of a date (engine/rules/facts.py).

Every value the rules compare is made here: ages, months to retirement, months in post, whether a
post is higher, the succession plan, discipline windows, credentials with their equivalences.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from engine import codes
from engine.dataset import PersonRecords
from engine.dates import add_months, whole_months, whole_years
from engine.evaluation.credentials import Equivalences
from engine.evaluation.retirement import RetirementCalculator
from engine.model import Appointment, Course, Plan, Position, Unit
from engine.rules.compiled import UNKNOWN_PARAM, FactRef
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT
from engine.rules.rulebook import Rulebook

ONE_DAY = dt.timedelta(days=1)
# Scratch key: when present (an explained evaluation, engine.trace), a dict fact key -> the records the
# fact's value was computed from, filled by the handlers themselves as they compute it.
WITNESS = "witness"


def _note(scratch: dict[str, Any], key: str, records: Any) -> None:
    witness = scratch.get(WITNESS)
    if witness is not None:
        witness[key] = records


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
        """The day the context's facts are taken on: the as-of date for posts held and planned, else the event's."""
        if self.basis in ("holds", "planned"):
            return self.as_of
        return self.event_date or self.as_of


# A compiled fact: (context, scratch) -> value. `scratch` is shared by the facts of one context, so
# what several facts need (the appointments before the event, the previous rank) is computed once.
Handler = Callable[[Context, dict[str, Any]], Any]
# The facts of a partition, compiled: (fact key, handler), facts with an unconfirmed parameter left out.
FactPlan = tuple[tuple[str, Handler], ...]


def _reference_date(c: Context) -> dt.date:
    """Context.reference_date, without the property call."""
    if c.basis == "holds" or c.basis == "planned":
        return c.as_of
    return c.event_date or c.as_of


class Deriver:
    """Computes fact values for contexts; `positions` resolves other posts (ranks, plans)."""

    def __init__(self, book: Rulebook, positions: dict[str, Position]) -> None:
        self.book = book
        self.positions = positions
        self.retirement = RetirementCalculator(book.retirement)
        self.equivalences = Equivalences(book)
        self._plans: dict[frozenset[FactRef], FactPlan] = {}
        self._ranks: dict[str, int] = {}  # position id -> post rank
        # Facts that read no argument of their FactRef.
        self._simple: dict[str, Handler] = {
            "basis": lambda c, s: c.basis,
            "as_of": lambda c, s: c.as_of,
            "event.kind": lambda c, s: c.event_kind,
            "event.date": lambda c, s: c.event_date,
            "event.dossier_date": lambda c, s: c.dossier[0] if c.dossier else None,
            "event.is_promotion": self._is_promotion,
            "event.is_first_leadership": lambda c, s: self._previous_rank(c, s) is None if c.post else None,
            "event.months_in_current_post": self._months_in_current_post,
            "event.months_to_retirement": lambda c, s: self._months_to_retirement(c, self._dossier(c)),
            "event.age_years": self._event_age,
            "post.id": lambda c, s: c.post.id if c.post else None,
            "post.tier": lambda c, s: c.post.tier if c.post else None,
            "post.role": lambda c, s: c.post.role if c.post else None,
            "post.sector": lambda c, s: c.post.sector if c.post else None,
            "post.managed_by": lambda c, s: c.post.managed_by if c.post else None,
            "post.unit_level": lambda c, s: c.unit.level if c.unit else None,
            "person.category": lambda c, s: c.records.person.category,
            "person.gender": lambda c, s: c.records.person.gender,
            "person.ethnic_minority": lambda c, s: c.records.person.ethnic_minority,
            "person.education": lambda c, s: c.records.person.education,
            "person.grade": lambda c, s: c.records.person.grade,
            "person.grade_since": lambda c, s: c.records.person.grade_since,
            "person.retirement_date": lambda c, s: self.retirement_date(c.records),
            "person.party_member": self._party_member,
            "person.months_in_grade": self._months_in_grade,
            "course.programme": lambda c, s: c.course.programme if c.course else None,
            "course.mode": lambda c, s: c.course.mode if c.course else None,
            "course.start": lambda c, s: c.course.start if c.course else None,
            "course.end": lambda c, s: c.course.end if c.course else None,
            "course.weeks": self._course_weeks,
        }
        # Facts whose value depends on their arguments: FactRef -> handler.
        self._with_args: dict[str, Callable[[FactRef], Handler]] = {
            "person.age_years": self._age_on,
            "person.months_to_retirement": self._months_to_retirement_on,
            "event.in_plan": self._in_plan,
            "event.disciplined_within": self._disciplined_within,
            "event.disciplined_before": self._disciplined_before,
            "person.rated_good_years": self._rated_good_years,
            "event.consecutive_terms": self._consecutive_terms,
            "credential": self._credential,
        }

    # -- public -------------------------------------------------------------------------------
    def plan(self, facts: Iterable[FactRef]) -> FactPlan:
        """The facts compiled once, for `derive` (facts naming an unconfirmed parameter are left out)."""
        out: list[tuple[str, Handler]] = []
        for fact in facts:
            if any(v == UNKNOWN_PARAM for _k, v in fact.args):
                continue
            factory = self._with_args.get(fact.name)
            out.append((fact.key, factory(fact) if factory is not None else self._simple[fact.name]))
        return tuple(out)

    def derive(self, context: Context, plan: FactPlan, witness: dict[str, Any] | None = None) -> dict[str, Any]:
        """The derived facts a fact plan names, for one context; `witness` (explained evaluations): filled with
        the records each value was computed from (WITNESS)."""
        # Rules anchored on the event use its date; with no date known (a plan whose term has
        # started) the rules in force on the evaluation date apply.
        out: dict[str, Any] = {ANCHOR_EVENT: context.event_date or context.as_of, ANCHOR_AS_OF: context.as_of}
        scratch: dict[str, Any] = {} if witness is None else {WITNESS: witness}
        for key, handler in plan:
            out[key] = handler(context, scratch)
        return out

    def values(self, context: Context, facts: set[FactRef]) -> dict[str, Any]:
        """The values of `facts` for one context."""
        key = frozenset(facts)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self.plan(facts)
        return self.derive(context, plan)

    def retirement_date(self, records: PersonRecords) -> dt.date:
        """The person's retirement date (engine.evaluation.retirement)."""
        person = records.person
        return self.retirement.retirement_date(person.birth_date, person.gender)

    def post_rank(self, post: Position) -> int:
        """The rank of a post (tier and role: the pack's post ranks)."""
        ranks = self.book.ranks
        return ranks.tier_rank[post.tier] * 2 + ranks.role_rank[post.role]

    def _rank_of(self, position_id: str) -> int:
        rank = self._ranks.get(position_id)
        if rank is None:
            rank = self._ranks[position_id] = self.post_rank(self.positions[position_id])
        return rank

    @staticmethod
    def _dossier(context: Context) -> dt.date | None:
        return context.dossier[0] if context.dossier else None

    def _event_age(self, context: Context, _scratch: dict[str, Any]) -> int | None:
        day = self._dossier(context)
        return None if day is None else whole_years(context.records.person.birth_date, day)

    @staticmethod
    def _course_weeks(context: Context, _scratch: dict[str, Any]) -> int | None:
        course = context.course
        return None if course is None else math.ceil(((course.end - course.start).days + 1) / 7)

    def _age_on(self, fact: FactRef) -> Handler:
        on = fact.arg("on")
        return lambda c, s: whole_years(c.records.person.birth_date, on or _reference_date(c))

    def _months_to_retirement_on(self, fact: FactRef) -> Handler:
        on = fact.arg("on")
        return lambda c, s: self._months_to_retirement(c, on or _reference_date(c))

    # -- event facts --------------------------------------------------------------------------
    def _before(self, context: Context, scratch: dict[str, Any]) -> list[Appointment]:
        """Appointments started before the event (the event's own record excluded)."""
        found: list[Appointment] | None = scratch.get("before")
        if found is None:
            day = context.event_date or context.as_of
            own = context.appointment
            found = scratch["before"] = [a for a in context.records.appointments if a.start < day and a is not own]
        return found

    def _previous_rank(self, context: Context, scratch: dict[str, Any]) -> int | None:
        """Rank of the highest post held the day before the event; else of the last post held."""
        if "previous_rank" in scratch:
            rank: int | None = scratch["previous_rank"]
            return rank
        earlier = self._before(context, scratch)
        if not earlier:
            rank = None
        else:
            day = (context.event_date or context.as_of) - dt.timedelta(days=1)
            current = [a for a in earlier if a.end is None or a.end >= day]  # held on `day` (end: last day held)
            chosen = current or [max(earlier, key=lambda a: a.end or a.start)]
            rank = max(self._rank_of(a.position) for a in chosen)
            _note(scratch, "previous_posts", [a for a in chosen if self._rank_of(a.position) == rank])
        scratch["previous_rank"] = rank
        return rank

    def _is_promotion(self, context: Context, scratch: dict[str, Any]) -> bool | None:
        if context.post is None:
            return None
        previous = self._previous_rank(context, scratch)
        _note(scratch, "event.is_promotion", scratch.get(WITNESS, {}).get("previous_posts", []))
        return previous is None or self.post_rank(context.post) > previous

    def _months_in_current_post(self, context: Context, scratch: dict[str, Any]) -> int | None:
        """Months in the current or an equivalent post, cumulative: each appointment counts from `start`
        to the day after its `end` (the last day held), or to the event (law.md rule 38, A28)."""
        previous = self._previous_rank(context, scratch)
        if previous is None:
            return None
        day = context.event_date or context.as_of
        total = 0
        counted = []
        for a in self._before(context, scratch):
            if self._rank_of(a.position) == previous:
                end = day if a.end is None else min(a.end + ONE_DAY, day)
                total += max(0, whole_months(a.start, end))
                counted.append(a)
        _note(scratch, "event.months_in_current_post", counted)
        return total

    def _months_to_retirement(self, context: Context, on: dt.date | None) -> int | None:
        if on is None:
            return None
        person = context.records.person
        return self.retirement.months_to_retirement(person.birth_date, person.gender, on)

    def _in_plan(self, fact: FactRef) -> Handler:
        removal = set(fact.arg("removed_by_discipline") or ())
        key = fact.key

        def in_plan(context: Context, scratch: dict[str, Any]) -> bool | None:
            if context.post is None:
                return None
            if not context.records.plans:
                return False
            day = context.event_date or context.as_of
            target = self.post_rank(context.post)
            for plan in context.records.plans:
                if plan.approved > day or (plan.removed is not None and plan.removed <= day):
                    continue
                planned = self.positions.get(plan.position)
                if planned is None or (planned.id != context.post.id and self.post_rank(planned) < target):
                    continue
                if removal and any(d.kind in removal and plan.approved < d.effective <= day
                                   for d in context.records.disciplines):
                    continue
                _note(scratch, key, [plan])
                return True
            return False

        return in_plan

    def _disciplined_within(self, fact: FactRef) -> Handler:
        kinds = set(fact.arg("kinds") or ())
        months = int(fact.arg("months"))
        key = fact.key

        def disciplined(context: Context, scratch: dict[str, Any]) -> bool:
            disciplines = context.records.disciplines
            if not disciplines:
                return False
            day = context.event_date or context.as_of
            if WITNESS in scratch:
                _note(scratch, key, [d for d in disciplines if d.kind in kinds])
            return any(d.kind in kinds and d.effective <= day < add_months(d.effective, months)
                       for d in disciplines)

        return disciplined

    @staticmethod
    def _disciplined_before(fact: FactRef) -> Handler:
        """Whether a measure of `kinds` took effect on or before the event (law.md P2, A19)."""
        kinds = set(fact.arg("kinds") or ())
        key = fact.key

        def disciplined(context: Context, scratch: dict[str, Any]) -> bool:
            day = context.event_date or context.as_of
            found = [d for d in context.records.disciplines if d.kind in kinds and d.effective <= day]
            if found:
                _note(scratch, key, found)
            return bool(found)

        return disciplined

    def _consecutive_terms(self, fact: FactRef) -> Handler:
        """Terms in a row in the same post, the one the event would start included (NĐ 138/2020 Art. 41,
        law.md A8); a break longer than `max_gap_days` after the last day held ends the chain."""
        gap = int(fact.arg("max_gap_days"))

        def terms(context: Context, scratch: dict[str, Any]) -> int | None:
            if context.post is None:
                return None
            chain = [a for a in self._before(context, scratch) if a.position == context.post.id and a.kind in
                     ("bo-nhiem", "bo-nhiem-lai")]
            count = 1
            start = context.event_date or context.as_of
            counted = []
            for a in sorted(chain, key=lambda a: a.start, reverse=True):
                if a.end is not None and (start - (a.end + ONE_DAY)).days > gap:
                    break
                count += 1
                start = a.start
                counted.append(a)
            _note(scratch, fact.key, counted)
            return count

        return terms

    # -- person facts -------------------------------------------------------------------------
    def _party_member(self, context: Context, _scratch: dict[str, Any]) -> bool | None:
        since = context.records.person.party_member_since
        return None if since is None else since <= _reference_date(context)

    def _rated_good_years(self, fact: FactRef) -> Handler:
        """Each of the `years` calendar years before the reference date rated in `ratings` (QĐ 350 trung
        cấp standard, law.md L9: "2 năm liên tục liền kề ... hoàn thành tốt nhiệm vụ trở lên"); a year
        without a rating is absent data."""
        years = int(fact.arg("years"))
        key = fact.key
        good = frozenset(fact.arg("ratings") or ())

        def rated(context: Context, scratch: dict[str, Any]) -> bool | None:
            by_year = {r.year: r.rating for r in context.records.ratings}
            year = _reference_date(context).year
            if WITNESS in scratch:
                _note(scratch, key, [r for r in context.records.ratings if year - years <= r.year < year])
            ratings = [by_year.get(year - k) for k in range(1, years + 1)]
            if any(r is not None and r not in good for r in ratings):
                return False
            return None if any(r is None for r in ratings) else True

        return rated

    def _months_in_grade(self, context: Context, _scratch: dict[str, Any]) -> int | None:
        since = context.records.person.grade_since
        return None if since is None else whole_months(since, _reference_date(context))

    def _credential(self, fact: FactRef) -> Handler:
        since_event = fact.arg("since") == "event"
        programme = str(fact.arg("programme"))
        first_meeting = self.equivalences.first_meeting
        undated_meeting = self.equivalences.undated_meeting
        key = fact.key

        def credential(context: Context, scratch: dict[str, Any]) -> bool | None:
            since = context.event_date if since_event else None
            credentials = context.records.credentials
            found = first_meeting(credentials, programme, _reference_date(context), since)
            if found is not None:
                _note(scratch, key, found)  # (the credential, its equivalence path)
                return True
            undated = undated_meeting(credentials, programme)
            if undated is not None:  # a level without its date (Mẫu 2C): met or not is unknown
                _note(scratch, key, (undated, None))
            return None if undated is not None else False

        return credential


def label_of_fact(key: str, lang: str) -> str:
    """The label of a derived fact in `lang`, for explanations."""
    from engine.rules.facts import CATALOGUE

    name = key.split("[", 1)[0]
    spec = CATALOGUE.get(name)
    if spec is None:
        return key
    return spec.vi if lang == "vi" else spec.en


__all__ = ["WITNESS", "Context", "Deriver", "FactPlan", "Handler", "codes", "label_of_fact"]
