"""Who may be sent to which course: admission findings on the course start plus generic exclusions.

For a (person, course) pair the admission rules in force on the course start are evaluated
(Evaluator.admission_context): a `missing` finding excludes, an `unknown` one is a warning. The
packs encode prerequisites as admission rules (PREREQ-CVC, PREREQ-CVCC: law.md rules 28–29) and the
standards of political-theory courses (rules 14–16). Two exclusions hold for every course:
retiring before the course ends (Deriver.retirement_date, BLLĐ 2019 Art. 169), and already holding
the programme or a credential that counts for it (programmes.yaml equivalences and orderings).

Results are cached per (person, course start, end, mode, programme): courses with the same dates,
mode and programme give the same verdict, so a person is evaluated once per distinct offering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from engine.dataset import PersonRecords
from engine.dates import day_text
from engine.evaluation.derive import Context
from engine.evaluation.ends import IMPRECISE
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.model import Course
from engine.planning.evidence import pending_years
from engine.planning.graph import PlanGraph
from engine.planning.needs import Need, ObjectCandidacy, Survey, evaluate_both
from engine.rules.citation import render
from engine.rules.compiled import ConcreteRule, rule_facts

Signature = tuple[str, dt.date, dt.date, str]
Said = tuple[str, str, str, str]  # a finding's status (missing | needs-data | conditional:Y,…), text, rule id, fields


def signature(course: Course) -> Signature:
    """What makes two offerings interchangeable for admission: programme, dates, mode."""
    return (course.programme, course.start, course.end, course.mode)


@dataclass(frozen=True)
class Verdict:
    """Why a person may not attend a course (`reasons`, empty when admitted) and what is undecided.

    Undecided conditions (engine.planning.evidence) are `needs_data` — (rule, field, text) of evidence
    that should be on file and is not: no seat until the data are completed — or `conditional` — the
    rating years awaited and the text: a conditional nominee. `warnings` holds the texts of both.
    """

    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # rule ids of the exclusions, or `nghi-huu` / `da-co`
    needs_data: tuple[tuple[str, str, str], ...] = ()
    conditional: tuple[int, ...] = ()  # rating years awaited

    @property
    def admitted(self) -> bool:
        """Whether no reason keeps the person out."""
        return not self.reasons

    @property
    def confirmed(self) -> bool:
        """Admitted with nothing undecided: a seat may be given."""
        return not self.reasons and not self.needs_data and not self.conditional

    @property
    def seatable(self) -> bool:
        """Admitted or admitted on condition (only ratings not yet possible are awaited)."""
        return not self.reasons and not self.needs_data


@dataclass(frozen=True)
class Candidate:
    """A person who may be sent to courses of `programme`: a need, or an object (đối tượng)."""

    person: str
    programme: str
    basis: str  # holds | planned | object
    status: str  # overdue | due | pending | object
    deadline: dt.date | None
    rule: str
    rules: tuple[str, ...]
    position: str | None
    planned_on: dt.date | None
    since: dt.date | None
    source: str
    need: Need | None = None

    @property
    def key(self) -> str:
        """The candidate's key: person and programme."""
        return f"{self.person}|{self.programme}"


def from_need(need: Need) -> Candidate:
    return Candidate(need.person, need.programme, need.basis, need.status, need.deadline, need.rule,
                     tuple(need.rules), need.position, need.planned_on, need.since, need.primary.source, need)


def from_object(obj: ObjectCandidacy) -> Candidate:
    return Candidate(obj.person, obj.programme, "object", "object", None, obj.rule, (obj.rule,), obj.position,
                     obj.planned_on, None, obj.source)


def candidates(survey: Survey, programmes: Iterable[str] | None = None) -> list[Candidate]:
    """Needs first, then objects of programmes nobody in the same person needs."""
    wanted = set(programmes) if programmes is not None else None
    out = [from_need(n) for n in survey.needs if wanted is None or n.programme in wanted]
    taken = {(c.person, c.programme) for c in out}
    out += [from_object(o) for o in survey.objects
            if (wanted is None or o.programme in wanted) and (o.person, o.programme) not in taken]
    return out


def finding_text(finding: Finding) -> str:
    return f"{finding.explanation} ({finding.source})"


class Admission:
    """Admission of people to courses: the admission rules' verdicts, worked out once per person and offering."""

    def __init__(self, ev: Evaluator, graph: PlanGraph, lang: str = "vi") -> None:
        self.ev = ev
        self.graph = graph
        self.lang = lang
        self._cache: dict[tuple[str, Signature, dt.date | None], Verdict] = {}
        self._facts: dict[str, tuple[str, ...]] = {}  # rule key -> the facts it reads
        self._said_cache: dict[Any, Said] = {}
        self._objects_on: dict[tuple[str, dt.date], frozenset[str]] = {}
        book = ev.book
        self._retirement_source = render(book.retirement.source, book.sources, lang)

    @property
    def known(self) -> dict[tuple[str, Signature, dt.date | None], Verdict]:
        """The verdicts worked out so far, by (person, offering, since): to hand from a worker to the planner."""
        return self._cache

    def learn(self, verdicts: dict[tuple[str, Signature, dt.date | None], Verdict]) -> None:
        """Take verdicts worked out elsewhere (engine.planning.parallel): the same evaluation, done once."""
        self._cache.update(verdicts)

    def verdict(self, person_id: str, course: Course, since: dt.date | None = None) -> Verdict:
        """Whether the person may attend the course (and if not, why)."""
        return self.verdicts(person_id, [course], since)[course.id]

    def verdicts(self, person_id: str, courses: Sequence[Course], since: dt.date | None = None
                 ) -> dict[str, Verdict]:
        """Verdict per course id; the admission rules of all new offerings run in one backend call."""
        cache = self._cache
        try:
            return {c.id: cache[(person_id, signature(c), since)] for c in courses}
        except KeyError:
            self.work_out(person_id, [(courses, since)])
            return {c.id: cache[(person_id, signature(c), since)] for c in courses}

    def for_candidate(self, cand: Candidate, courses: Sequence[Course]) -> dict[str, Verdict]:
        """Verdict per course id for a candidate: an object (đối tượng) must also be one on the course's
        start, by the version in force that day and the posts held or planned that day (law.md rule 37)."""
        out = self.verdicts(cand.person, courses, cand.since)
        if cand.basis != "object":
            return out
        self._objects_on_days(cand.person, {c.start for c in courses})
        for course in courses:
            if cand.programme not in self.objects_on(cand.person, course.start):
                v = out[course.id]
                out[course.id] = replace(v, reasons=(*v.reasons, self._not_object(course)),
                                         codes=(*v.codes, "doi-tuong"))
        return out

    def objects_on(self, person_id: str, day: dt.date) -> frozenset[str]:
        """The programmes whose target group (đối tượng) the person is in on `day`."""
        key = (person_id, day)
        found = self._objects_on.get(key)
        if found is None:
            hits = self.ev.objects(self.ev.person_contexts(person_id, day))
            found = self._objects_on[key] = frozenset(p for _c, r in hits for p in r.rule.programmes or ())
        return found

    def _objects_on_days(self, person_id: str, days: set[dt.date]) -> None:
        """Work out `objects_on` for several days in one backend call."""
        todo = sorted(day for day in days if (person_id, day) not in self._objects_on)
        if len(todo) < 2:
            return
        contexts = [replace(c, cid=f"d{i}.{c.cid}") for i, day in enumerate(todo)
                    for c in self.ev.person_contexts(person_id, day)]
        found: dict[dt.date, set[str]] = {day: set() for day in todo}
        for context, rule in self.ev.objects(contexts):
            found[context.as_of].update(rule.rule.programmes or ())
        for day, programmes in found.items():
            self._objects_on[(person_id, day)] = frozenset(programmes)

    def _not_object(self, course: Course) -> str:
        day = day_text(course.start, self.lang)
        if self.lang == "vi":
            return f"không thuộc đối tượng đào tạo vào ngày khai giảng {day}"
        return f"not in the target group on the course start {day}"

    def work_out(self, person_id: str, wanted: Sequence[tuple[Sequence[Course], dt.date | None]]) -> None:
        """Work out the verdicts of one person not known yet, for each (courses, since) in `wanted`: the
        admission rules of every new offering run in one backend call (an offering's findings do not
        depend on `since`, which only decides what credential already counts)."""
        todo: dict[Signature, tuple[Course, list[dt.date | None]]] = {}
        for courses, since in wanted:
            for c in courses:
                sig = signature(c)
                if (person_id, sig, since) not in self._cache:
                    entry = todo.setdefault(sig, (c, []))
                    if since not in entry[1]:
                        entry[1].append(since)
        if not todo:
            return
        records = self.ev.person(person_id)
        contexts = [self.ev.admission_context(person_id, c, f"c{i}", records)
                    for i, (c, _s) in enumerate(todo.values())]
        by_context: dict[str, list[Said]] = {}
        outcomes, _objects = evaluate_both(self.ev, contexts)
        for context, rule, outcome, values in outcomes:
            if outcome in ("unmet", "unknown"):  # `met` and `exempt` neither exclude nor warn
                waiting = pending_years(rule, values, context, self.graph.as_of) if outcome == "unknown" else None
                by_context.setdefault(context.cid, []).append(self._said(context, rule, outcome, values, waiting))
        retires = self.ev.deriver.retirement_date(records)
        if records.person.retired is not None and records.person.retired < retires:
            retires = records.person.retired
        for i, (sig, (c, sinces)) in enumerate(todo.items()):
            for since in sinces:
                self._cache[(person_id, sig, since)] = self._verdict(records, retires, c, since,
                                                                     by_context.get(f"c{i}", []))

    def _said(self, context: Context, rule: ConcreteRule, outcome: str, values: dict[str, Any],
              waiting: tuple[int, ...] | None = None) -> Said:
        """(status, text, rule id) of a finding, remembered: an admission finding is the same for everyone
        with the same values of the facts its rule reads, on the same course dates (measured: most of the
        admission time went into making findings, for a few hundred distinct ones among 100,000 people)."""
        facts = self._facts.get(rule.key)
        if facts is None:
            facts = self._facts[rule.key] = tuple(sorted(ref.key for ref in rule_facts(rule)))
        imprecise = tuple(values[IMPRECISE].get(rule.key, ())) if IMPRECISE in values else ()  # engine.evaluation.ends
        key: Any = (rule.key, outcome, waiting, context.event_date, context.as_of, tuple(values.get(k) for k in facts),
                    imprecise)
        try:
            said = self._said_cache.get(key)
        except TypeError:  # a value that does not hash: work it out each time
            key, said = None, None
        if said is None:
            f = self.ev.finding(context, rule, outcome, values)
            status = f.status
            if status == "unknown":
                status = "conditional:" + ",".join(map(str, waiting)) if waiting else "needs-data"
            said = (status, finding_text(f), f.rule, ", ".join(f.unknown_fields))
            if key is not None:
                self._said_cache[key] = said
        return said

    def _verdict(self, records: PersonRecords, retires: dt.date, course: Course, since: dt.date | None,
                 findings: list[Said]) -> Verdict:
        """`retires`: the day the person retires (the earlier of the legal age and a recorded retirement)."""
        reasons = [text for status, text, _rule, _f in findings if status == "missing"]
        codes = [rule for status, _text, rule, _f in findings if status == "missing"]
        warnings = [text for status, text, _rule, _f in findings if status != "missing"]
        needs_data = tuple((rule, fields, text) for status, text, rule, fields in findings if status == "needs-data")
        waiting = sorted({int(y) for status, _t, _r, _f in findings if status.startswith("conditional:")
                          for y in status.split(":", 1)[1].split(",")})
        vi = self.lang == "vi"
        if retires < course.end:
            day, end = day_text(retires, self.lang), day_text(course.end, self.lang)
            reasons.append(f"nghỉ hưu từ {day}, trước khi khóa học kết thúc ({end}) ({self._retirement_source})"
                           if vi else f"retires on {day}, before the course ends ({end}) ({self._retirement_source})")
            codes.append("nghi-huu")
        eq = self.ev.deriver.equivalences
        found = eq.first_meeting(records.credentials, course.programme, course.start, since)
        if found is not None:
            cred = found[0]
            label = self.ev.book.programme_label(cred.programme, self.lang)
            day = day_text(cred.completed, self.lang)
            if cred.programme == course.programme:
                reasons.append(f"đã có {label} ({day})" if vi else f"already holds {label} ({day})")
            else:
                target = self.ev.book.programme_label(course.programme, self.lang)
                reasons.append(f"đã có {label} ({day}), được tính là {target}" if vi
                               else f"already holds {label} ({day}), which counts as {target}")
            codes.append("da-co")
        return Verdict(tuple(reasons), tuple(warnings), tuple(codes), needs_data, tuple(waiting))


def prune_objects(cands: list[Candidate], admissible: Callable[[Candidate], bool], graph: PlanGraph
                  ) -> list[Candidate]:
    """Keep one object candidacy per person and family: the highest-level programme with at least
    one course the person may attend (a cao cấp object is not also sent to trung cấp)."""
    out: list[Candidate] = []
    chosen: set[tuple[str, str | None]] = set()
    objects = sorted((c for c in cands if c.basis == "object"),
                     key=lambda c: (c.person, -graph.level(c.programme), c.programme))
    for c in objects:
        slot = (c.person, graph.family(c.programme))
        if slot in chosen or not admissible(c):
            continue
        chosen.add(slot)
        out.append(c)
    return [c for c in cands if c.basis != "object"] + out


__all__ = ["Admission", "Candidate", "Verdict", "candidates", "prune_objects", "signature"]
