"""The way to eligibility (issue 15, item 3): from when, and after which courses, an appointment would be lawful.

For a proposal (`check P --for-position POS --on D`) that is not eligible, the preconditions it misses are
split in two:
- those training can fix (a required programme): the scheduled courses of the programme or of one that
  counts for it (engine.evaluation.credentials), starting on or after the evaluation date, each with its
  own admission rules checked the way the planner checks them (an admission finding); a prerequisite the
  person lacks (e.g. chuyên viên chính before chuyên viên cao cấp) is met by an earlier course, recursively.
  The chosen courses do not overlap; among the combinations, the fewest courses, then the earliest finish;
- those it cannot (age, quy hoạch, tenure, discipline): each named with the first day it would be met with
  the data as it is — found by evaluating the proposal again on later days, up to HORIZON_MONTHS — or as
  not fixable by training.
The result is checked by evaluating the proposal again on the day found, with the chosen courses recorded as
completed on their last day: the date is given only if the proposal is then eligible.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace

from engine.dataset import PersonRecords, credential_order
from engine.dates import add_months
from engine.evaluation.derive import Context
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.model import Course, Credential

HORIZON_MONTHS = 120  # how far ahead a precondition training cannot fix is looked for
YEAR_STEP = 12  # months: the first, coarse steps of that search
MAX_OPTIONS = 6  # courses tried per missing programme (the earliest finishing)
MAX_DEPTH = 3  # prerequisite chains followed this deep


@dataclass
class Blocker:
    """A precondition training cannot fix, and the first day it would be met (None: not within the horizon)."""

    finding: Finding
    met_from: dt.date | None


@dataclass
class Pathway:
    """The way to eligibility: the day, the courses to take first, what training cannot fix."""
    eligible_from: dt.date | None  # None: not reachable (see blockers, unreachable)
    courses: list[Course] = field(default_factory=list)  # the courses to take, in order
    blockers: list[Blocker] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # programmes with no usable course

    def to_json(self) -> dict[str, object]:
        """As JSON (dates ISO)."""
        return {
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "courses": [{"course": c.id, "programme": c.programme, "start": c.start.isoformat(),
                         "end": c.end.isoformat()} for c in self.courses],
            "not_by_training": [{"rule": b.finding.rule, "requirement": b.finding.requirement,
                                 "met_from": b.met_from.isoformat() if b.met_from else None} for b in self.blockers],
            "no_course": self.unreachable,
        }


def _programme(ev: Evaluator, finding: Finding) -> str | None:
    """The programme whose credential would fix the finding (its requirement, or a named condition whose
    remedy is a programme, as a prerequisite is), or None: training cannot fix it."""
    for code in (finding.requirement, finding.remedy):
        if code is not None and code in ev.book.programmes:
            return code
    return None


def _overlap(a: Course, b: Course) -> bool:
    return a.id != b.id and a.start <= b.end and b.start <= a.end


class Planner:
    """Finds the way for one person (their records, the evaluator, the evaluation date)."""

    def __init__(self, ev: Evaluator, person_id: str, as_of: dt.date) -> None:
        self.ev = ev
        self.person_id = person_id
        self.as_of = as_of
        self.records = ev.person(person_id)

    def _with(self, courses: list[Course]) -> PersonRecords:
        made = [Credential(person=self.person_id, programme=c.programme, completed=c.end) for c in courses]
        records: PersonRecords = replace(self.records, credentials=sorted([*self.records.credentials, *made],
                                                                           key=credential_order))
        return records

    def proposal(self, position: str, on: dt.date, kind: str, courses: list[Course]) -> list[Finding]:
        base = self.ev.proposal_context(self.person_id, position, on, kind)
        context: Context = replace(base, records=self._with(courses))
        return self.ev.evaluate([context])

    def _admission_missing(self, course: Course, done: list[Course]) -> list[Finding]:
        context = replace(self.ev.admission_context(self.person_id, course), records=self._with(done))
        # undecided for lack of data (unknown) does not bar a course: the planner admits and warns the same way
        return [f for f in self.ev.evaluate([context]) if f.status == "missing"]

    def options(self, programme: str, before: dt.date | None = None, depth: int = 0) -> list[list[Course]]:
        """Ways to hold `programme` by training: a course of it (or of one that counts for it), with the
        courses its admission needs first; earliest finishing first."""
        vias = {path.via for path in self.ev.deriver.equivalences.paths.get(programme, [])}
        courses = sorted((c for c in self.ev.dataset.courses if c.programme in vias and c.start >= self.as_of
                          and (before is None or c.end < before)), key=lambda c: (c.end, c.id))
        out: list[list[Course]] = []
        for course in courses:
            if len(out) >= MAX_OPTIONS:
                break
            missing = self._admission_missing(course, [])
            if not missing:
                out.append([course])
                continue
            needs = [_programme(self.ev, f) for f in missing]
            if depth >= MAX_DEPTH or None in needs:
                continue  # not admissible, and training cannot make them so
            chains = [self.options(str(need), course.start, depth + 1) for need in needs]
            for combo in itertools.product(*chains):
                first = [c for chain in combo for c in chain]
                if not self._admission_missing(course, first):
                    out.append([*first, course])
                    break
        return out

    def met_from(self, position: str, on: dt.date, kind: str, rule: str) -> dt.date | None:
        """The first day from `on` the proposal no longer misses `rule`: year steps, then month steps inside
        the first year it is met, then the exact day (a bisection).

        The preconditions training cannot fix get better with time or never (tenure and discipline windows
        run out, the age to serve a full term only worsens, the quy hoạch is data): once met they stay met
        within the horizon, so a year's step finds the same first day as a month's, in a tenth of the
        evaluations; the way's day is checked again at the end (way_to_eligibility)."""
        def missing(day: dt.date) -> bool:
            return any(f.rule == rule and f.status == "missing" for f in self.proposal(position, day, kind, []))

        before = 0  # months from `on`: missing there
        for months in (*range(YEAR_STEP, HORIZON_MONTHS, YEAR_STEP), HORIZON_MONTHS):
            if not missing(add_months(on, months)):
                break
            before = months
        else:
            return None
        previous = add_months(on, before)
        for months in range(before + 1, HORIZON_MONTHS + 1):
            day = add_months(on, months)
            if not missing(day):
                low, high = previous, day  # missing on low, met on high
                while (high - low).days > 1:
                    mid = low + (high - low) / 2
                    low, high = (mid, high) if missing(mid) else (low, mid)
                return high
            previous = day
        return None


def way_to_eligibility(ev: Evaluator, person_id: str, position: str, on: dt.date, as_of: dt.date,
                       kind: str = "bo-nhiem") -> Pathway:
    """The earliest day from which appointing the person to `position` would be eligible, the courses to take
    first, and the preconditions training cannot fix (see the module's docstring)."""
    planner = Planner(ev, person_id, as_of)
    missing = [f for f in planner.proposal(position, on, kind, []) if f.status == "missing"]
    trainable = sorted({str(_programme(ev, f)) for f in missing if _programme(ev, f) is not None})
    blockers = [Blocker(f, planner.met_from(position, on, kind, f.rule)) for f in missing
                if _programme(ev, f) is None]
    choices = [planner.options(programme) for programme in trainable]
    unreachable = [p for p, found in zip(trainable, choices, strict=True) if not found]
    pathway = Pathway(None, [], blockers, unreachable)
    if unreachable:
        return pathway
    best: tuple[tuple[int, dt.date], list[Course]] | None = None
    for combo in itertools.product(*choices):
        chosen = list({c.id: c for chain in combo for c in chain}.values())
        if any(_overlap(a, b) for a, b in itertools.combinations(chosen, 2)):
            continue  # courses that clash cannot both be attended
        key = (len(chosen), max((c.end for c in chosen), default=on))
        if best is None or key < best[0]:
            best = (key, sorted(chosen, key=lambda c: (c.start, c.id)))
    if best is None:
        pathway.unreachable = trainable  # every combination clashes
        return pathway
    pathway.courses = best[1]  # what training can fix, even when something else cannot be
    if any(b.met_from is None for b in blockers):
        return pathway
    day = max([on, best[0][1], *(b.met_from for b in blockers if b.met_from is not None)])
    still = [f for f in planner.proposal(position, day, kind, best[1]) if f.status in ("missing", "unknown")]
    if not still:
        pathway.eligible_from = day
    return pathway


__all__ = ["HORIZON_MONTHS", "Blocker", "Pathway", "way_to_eligibility"]
