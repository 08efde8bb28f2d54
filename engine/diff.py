"""What if: the same population evaluated twice and compared (issue 15, item 2 — `dtbd diff`).

Side A and side B each have their rule packs, dataset and evaluation date; any of them may differ (a
draft pack, another date, another data snapshot). The comparison is person by person for `check`
(every finding keyed by the post, its basis and the rule), appointment by appointment for `audit`
(each appointment judged on its own day under both rule sets) and course place by course place for
`plan` (who enters or leaves the plan). A change names the rule that changed, the status before and
after ("absent" when the rule gives no finding on one side) and the deadline after.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.audit import AuditedAppointment, audit_appointments, default_from, select
from engine.batch import chunks, default_jobs, in_order
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.loading import load_dataset, load_manifest
from engine.rules.loader import load_rulebook
from engine.workspace import Workspace, default_year

ABSENT = "absent"
CHUNK = 1000


Side = Workspace  # a side of the comparison: a dataset loaded whole, its rule packs and its date


def open_side_b(a: Workspace, data: Path | None, rulesets: Path | None, packs: list[str] | None,
                as_of: dt.date | None) -> Workspace:
    """Side B: each part as given, else A's (the packs: those B's dataset names). A's loaded dataset is reused
    when B reads the same folder as of the same date and knows every programme A does."""
    root = data or a.root
    manifest = load_manifest(root)
    # packs asked for by name may include a draft (not in force): asking what a draft would change is the point
    book = load_rulebook(rulesets, packs or list(manifest.rulesets), allow_drafts=packs is not None)
    day = as_of or manifest.as_of or a.as_of
    same = root.resolve() == a.root.resolve() and day == a.as_of and book.programme_codes >= a.book.programme_codes
    dataset = a.dataset if same else load_dataset(root, book.programme_codes, day)
    return Workspace(root, manifest, book, day, False, a.config, dataset)


@dataclass(frozen=True)
class Change:
    """One thing that differs between A and B: a finding of a person's post, an audited appointment's rule, or
    a place in the plan."""

    person: str
    unit: str
    rule: str
    before: str
    after: str
    position: str | None = None
    basis: str | None = None
    deadline_before: dt.date | None = None
    deadline_after: dt.date | None = None
    version_before: str | None = None
    version_after: str | None = None
    start: dt.date | None = None  # audit: the appointment's day
    appointment_before: str | None = None  # audit: the appointment's status on each side
    appointment_after: str | None = None
    course_before: str | None = None  # plan: the course on each side
    course_after: str | None = None
    programme: str | None = None  # plan: the programme of the place

    @property
    def transition(self) -> str:
        """The key of the summary by transition: `before → after`."""
        return f"{self.before} → {self.after}"

    def to_json(self) -> dict[str, Any]:
        """As JSON (dates ISO)."""
        out: dict[str, Any] = {"person": self.person, "unit": self.unit, "rule": self.rule, "from": self.before,
                               "to": self.after}
        for name, value in (("position", self.position), ("basis", self.basis),
                            ("deadline_from", self.deadline_before), ("deadline", self.deadline_after),
                            ("version_from", self.version_before), ("version", self.version_after),
                            ("start", self.start), ("appointment_from", self.appointment_before),
                            ("appointment_to", self.appointment_after), ("course_from", self.course_before),
                            ("course", self.course_after), ("programme", self.programme)):
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, dt.date) else value
        return out


@dataclass
class Summary:
    """Counts of the changes by rule, by unit and by transition; people and appointments that changed."""

    by_rule: Counter[str] = field(default_factory=Counter)
    by_unit: Counter[str] = field(default_factory=Counter)
    by_transition: Counter[str] = field(default_factory=Counter)
    people: set[str] = field(default_factory=set)
    compared: int = 0
    # audit: appointment (person, post, day) -> its result before → after, for those whose result flips
    flips: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def add(self, change: Change) -> None:
        """Count one change (and, for an audit, the flip of its appointment's result)."""
        self.by_rule[change.rule] += 1
        self.by_unit[change.unit] += 1
        self.by_transition[change.transition] += 1
        self.people.add(change.person)
        if change.appointment_before != change.appointment_after and change.start is not None:
            key = (change.person, change.position or "", change.start.isoformat())
            self.flips[key] = f"{change.appointment_before} → {change.appointment_after}"

    @property
    def by_flip(self) -> Counter[str]:
        """Audited appointments by the transition of their result (ok → violation, …)."""
        return Counter(self.flips.values())

    def to_json(self) -> dict[str, Any]:
        """As JSON (dates ISO)."""
        out = {"compared": self.compared, "changes": sum(self.by_rule.values()), "people": len(self.people),
                "by_transition": dict(self.by_transition.most_common()),
                "by_rule": dict(sorted(self.by_rule.items())), "by_unit": dict(sorted(self.by_unit.items()))}
        if self.flips:
            out["appointments_flipped"] = len(self.flips)
            out["by_appointment_result"] = dict(self.by_flip.most_common())
        return out


def _keyed(findings: Iterable[Finding]) -> dict[tuple[str | None, str, str], Finding]:
    out: dict[tuple[str | None, str, str], Finding] = {}
    for f in findings:
        key = (f.position, f.basis, f.rule)
        if key in out:  # two findings of one rule for one post: keep them apart by variant
            key = (f.position, f.basis, f"{f.rule}/{f.variant or ''}")
        out[key] = f
    return out


def finding_changes(person: str, unit: str, a: Iterable[Finding], b: Iterable[Finding],
                    start: dt.date | None = None, appointment: tuple[str, str] | None = None) -> list[Change]:
    """The findings whose status or deadline differ between A and B (or that exist on one side only)."""
    before, after = _keyed(a), _keyed(b)
    out = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0] or "", k[1], k[2])):
        fa, fb = before.get(key), after.get(key)
        sa, sb = (fa.status if fa else ABSENT), (fb.status if fb else ABSENT)
        da, db = (fa.deadline if fa else None), (fb.deadline if fb else None)
        if sa == sb and da == db:
            continue
        out.append(Change(person, unit, key[2], sa, sb, key[0], key[1], da, db, fa.version if fa else None,
                          fb.version if fb else None, start, appointment[0] if appointment else None,
                          appointment[1] if appointment else None))
    return out


def _unit(a: Side, b: Side, person: str) -> str:
    found = b.dataset.person_by_id.get(person) or a.dataset.person_by_id.get(person)
    return found.unit if found else ""


# -- check --all ----------------------------------------------------------------------------------------
_STATE: dict[str, Any] = {}


def _evaluators() -> tuple[Evaluator, Evaluator]:
    if "evaluators" not in _STATE:
        a, b = _STATE["a"], _STATE["b"]
        _STATE["evaluators"] = (a.config.evaluator(a.book, a.dataset), b.config.evaluator(b.book, b.dataset))
    evaluators: tuple[Evaluator, Evaluator] = _STATE["evaluators"]
    return evaluators


def _findings(ev: Evaluator, person: str, as_of: dt.date) -> list[Finding]:
    return ev.check_person(person, as_of) if person in ev.dataset.person_by_id else []


def _check_chunk(ids: Sequence[str]) -> list[Change]:
    ev_a, ev_b = _evaluators()
    a, b = _STATE["a"], _STATE["b"]
    out: list[Change] = []
    for person in ids:
        out.extend(finding_changes(person, _unit(a, b, person), _findings(ev_a, person, a.as_of),
                                   _findings(ev_b, person, b.as_of)))
    return out


def people_of(a: Side, b: Side) -> list[str]:
    """Everyone on either side: A's people in order, then those only B has."""
    ids = [p.id for p in a.dataset.people]
    known = set(ids)
    return ids + [p.id for p in b.dataset.people if p.id not in known]


def diff_check(a: Side, b: Side, jobs: int | None = None) -> Iterator[list[Change]]:
    """The changes of `check --all`, chunk by chunk in people order (worker processes when `jobs` > 1)."""
    _STATE.clear()
    _STATE.update(a=a, b=b)
    jobs = jobs or default_jobs()
    parts = chunks(people_of(a, b), CHUNK)
    if jobs <= 1 or len(parts) <= 1:
        yield from (_check_chunk(part) for part in parts)
    else:
        yield from in_order(_check_chunk, ((part,) for part in parts), jobs)


# -- audit ----------------------------------------------------------------------------------------------
def _audited(side: Side, ev: Evaluator, date_from: dt.date, date_to: dt.date,
             unit: str | None, person: str | None) -> dict[tuple[str, str, dt.date], AuditedAppointment]:
    chosen = select(side.dataset, date_from, date_to, unit, person, check_ids=False)
    return {(i.appointment.person, i.appointment.position, i.appointment.start): i
            for i in audit_appointments(ev, side.dataset, chosen)}


def diff_audit(a: Side, b: Side, date_from: dt.date | None, date_to: dt.date | None, unit: str | None = None,
               person: str | None = None) -> tuple[list[Change], int]:
    """The audited appointments whose result or findings differ, one change per rule; and how many were
    compared. The period defaults as `audit`'s: the earliest appointment of either side to B's date."""
    day_to = date_to or b.as_of
    starts = [d for d in (default_from(a.dataset), default_from(b.dataset)) if d is not None]
    day_from = date_from or (min(starts) if starts else day_to)
    before = _audited(a, a.evaluator, day_from, day_to, unit, person)
    after = _audited(b, b.evaluator, day_from, day_to, unit, person)
    out: list[Change] = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[2], k[0], k[1])):
        ia, ib = before.get(key), after.get(key)
        status = (ia.status if ia else ABSENT, ib.status if ib else ABSENT)
        out.extend(finding_changes(key[0], _unit(a, b, key[0]), ia.findings if ia else [],
                                   ib.findings if ib else [], key[2], status))
    return out, len(before.keys() | after.keys())


# -- plan -----------------------------------------------------------------------------------------------
def plan_places(result: Any) -> dict[tuple[str, str], tuple[str, dt.date | None, str]]:
    """(person, programme) -> (course, deadline, rule) of a plan's assignments."""
    return {(x.candidate.person, x.candidate.programme): (x.course.id, x.candidate.deadline, x.candidate.rule)
            for x in result.assignments}


def diff_plan(a: Side, b: Side, year: int | None, jobs: int | None = None) -> tuple[list[Change], int]:
    """Who enters or leaves `year`'s plan (default: A's default year) or moves course; and how many people the
    two plans place."""
    plan_year = year or default_year(a.as_of)
    before = a.planner(jobs=jobs).plan(plan_year)
    after = b.planner(jobs=jobs).plan(plan_year)
    placed = {x.candidate.person for r in (before, after) for x in r.assignments}
    return plan_changes(a, b, before, after), len(placed)


def shortlist_places(result: Any) -> dict[str, tuple[str, str, int | None]]:
    """person -> (nominee | reserve | excluded, rule, rank) of a course's shortlist."""
    out: dict[str, tuple[str, str, int | None]] = {}
    for state, listed in (("nominee", result.nominees), ("reserve", result.reserves)):
        for n in listed:
            out[n.candidate.person] = (state, n.candidate.rule, n.rank)
    for e in result.excluded:
        out.setdefault(e.candidate.person, ("excluded", e.candidate.rule, None))
    return out


def diff_shortlist(a: Side, b: Side, course_id: str) -> tuple[list[Change], int]:
    """Who enters or leaves a course's shortlist (nominee, reserve, excluded, absent); how many are on either."""
    before, after = shortlist_places(a.shortlist(course_id)), shortlist_places(b.shortlist(course_id))
    out = []
    for person in sorted(before.keys() | after.keys()):
        sa, sb = before.get(person), after.get(person)
        if (sa or ("",))[0] == (sb or ("",))[0]:
            continue
        out.append(Change(person, _unit(a, b, person), (sb or sa or ("", "", None))[1], sa[0] if sa else ABSENT,
                          sb[0] if sb else ABSENT, course_before=course_id if sa else None,
                          course_after=course_id if sb else None))
    return out, len(before.keys() | after.keys())


def plan_changes(a: Side, b: Side, before: Any, after: Any) -> list[Change]:
    """Who enters or leaves the plan, or moves to another course (a change per person and programme)."""
    pa, pb = plan_places(before), plan_places(after)
    out = []
    for key in sorted(pa.keys() | pb.keys()):
        ca, cb = pa.get(key), pb.get(key)
        if ca is not None and cb is not None and ca[0] == cb[0]:
            continue
        state = ("planned" if ca else ABSENT, "planned" if cb else ABSENT)
        out.append(Change(key[0], _unit(a, b, key[0]), (cb or ca or ("", None, ""))[2], *state,
                          deadline_before=ca[1] if ca else None, deadline_after=cb[1] if cb else None,
                          course_before=ca[0] if ca else None, course_after=cb[0] if cb else None,
                          programme=key[1]))
    return out


__all__ = [
    "ABSENT",
    "Change",
    "Side",
    "Summary",
    "diff_audit",
    "diff_check",
    "diff_plan",
    "diff_shortlist",
    "finding_changes",
    "open_side_b",
    "people_of",
    "plan_changes",
    "plan_places",
    "shortlist_places",
]
