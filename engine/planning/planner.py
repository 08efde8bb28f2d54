"""The planner: `Planner(evaluator, as_of).plan(year)` chains the modules of engine.planning (see its docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace

from engine.collector import paused
from engine.dates import day_text
from engine.evaluation.evaluator import Evaluator
from engine.model import Course
from engine.planning import parallel
from engine.planning.admission import Admission, Candidate, Verdict, candidates, prune_objects
from engine.planning.assign import TIERS, CostModel, Demand, Option, Priority, SideLimit, Slot, solve
from engine.planning.graph import PlanGraph, build_graph, overlaps, programme_order
from engine.planning.needs import Need, NeedSource, Survey, survey
from engine.planning.results import Assignment, PlanResult, ProgrammeCount, QuotaKey, QuotaUse, Unassigned

PARALLEL_FROM = 4000  # people: below this, forking workers costs more than it saves


class Planner:
    """Plans a year: needs of everyone, admission per person and course, the integer program, the result."""

    def __init__(self, ev: Evaluator, as_of: dt.date, lang: str = "vi", time_limit: float = 60.0,
                 on_person: Callable[[], None] | None = None, jobs: int = 1) -> None:
        self.ev = ev
        self.on_person = on_person
        self.as_of = as_of
        self.lang = lang
        self.time_limit = time_limit
        # Worker processes for the per-person evaluations (engine.planning.parallel), whose evaluators are
        # built from this one's configuration.
        self.jobs = jobs
        self.graph: PlanGraph = build_graph(ev.dataset, ev.book, as_of)
        self.admission = Admission(ev, self.graph, lang)
        self._survey: Survey | None = None

    @property
    def survey(self) -> Survey:
        """Everyone's needs as of the planner's date (worked out once, in worker processes for large datasets)."""
        if self._survey is None:
            if self._parallel(len(self.ev.dataset.people)):
                self._survey = parallel.survey(self.ev, self.graph, self.as_of, self.jobs,
                                               self.on_person)
            else:
                self._survey = survey(self.ev, self.graph, self.as_of, on_person=self.on_person)
        return self._survey

    def _parallel(self, people: int) -> bool:
        return self.jobs > 1 and people > PARALLEL_FROM

    def _prefetch(self, cands: list[Candidate], by_prog: dict[str, list[Course]]) -> None:
        """Work out the admission verdicts of many candidates in worker processes, for `verdicts` to find."""
        work: parallel.Work = {}
        for k in cands:
            if k.programme in by_prog:
                work.setdefault(k.person, []).append((by_prog[k.programme], k.since))
        if self._parallel(len(work)):
            self.admission.learn(parallel.verdicts(self.ev, self.graph, self.as_of, work, self.jobs))

    def priority(self, cand: Candidate) -> Priority:
        """How urgent a candidacy is."""
        person = self.ev.dataset.person_by_id[cand.person]
        favoured = int(person.gender == "nu") + int(person.ethnic_minority)
        return Priority(TIERS[cand.status], cand.deadline, cand.planned_on, favoured)

    def options(self, cand: Candidate, priority: Priority, courses: list[Course], verdicts: dict[str, Verdict],
                model: CostModel) -> list[Option]:
        """Admitted courses with costs; lateness only counts when an on-time course was admitted. Courses
        admitted only on condition are options only when no course is admitted outright."""
        admitted = [c for c in courses if verdicts[c.id].confirmed] or [c for c in courses if verdicts[c.id].seatable]
        deadline = cand.deadline
        avoidable = deadline is not None and any(c.end <= deadline for c in admitted)
        out = []
        for c in admitted:
            late = deadline is not None and c.end > deadline
            cost, levels = model.option(priority, late and avoidable, c.end)
            out.append(Option(c.id, cost, late, levels))
        return out

    # -- quotas -------------------------------------------------------------------------------
    def quotas(self, year: int) -> dict[QuotaKey, int]:
        """The quota targets of `year`, by programme, mode and unit."""
        out: dict[QuotaKey, int] = {}
        for q in self.ev.dataset.quotas:
            if q.year == year:
                key = (q.programme, q.mode, q.unit)
                out[key] = out.get(key, 0) + q.target  # two rows for one key: both counts are to be sent
        return out

    def _in_unit(self, person: str, unit: str) -> bool:
        return unit in self.graph.unit_chain(self.graph.person_unit(person))

    # -- the plan -----------------------------------------------------------------------------
    def plan(self, year: int, skip: Iterable[tuple[str, str]] = (),
             skip_families: Iterable[tuple[str, str | None]] = ()) -> PlanResult:
        """The plan of `year`, without the (person, programme) pairs of `skip`."""
        skipped, families = set(skip), set(skip_families)
        courses = self.graph.plan_courses(year, self.as_of)
        by_prog: dict[str, list[Course]] = {}
        for course in courses:
            by_prog.setdefault(course.programme, []).append(course)
        cands = [k for k in candidates(self.survey) if (k.person, k.programme) not in skipped
                 and not (k.basis == "object" and (k.person, self.graph.family(k.programme)) in families)]
        self._prefetch(cands, by_prog)
        with paused():  # many objects made at once: collected once after, not walked again and again
            return self._plan(year, courses, by_prog, cands)

    def _plan(self, year: int, courses: list[Course], by_prog: dict[str, list[Course]], cands: list[Candidate]
              ) -> PlanResult:
        verdicts: dict[str, dict[str, Verdict]] = {}
        for k in cands:
            if k.programme in by_prog:
                verdicts[k.key] = self.admission.for_candidate(k, by_prog[k.programme])

        def admissible(k: Candidate) -> bool:  # a seat may be given, confirmed or on condition
            return any(v.seatable for v in verdicts.get(k.key, {}).values())

        def waiting(k: Candidate) -> bool:  # only conditional seats: ranked after every confirmed candidate
            return not any(v.confirmed for v in verdicts.get(k.key, {}).values())

        lacking = [k for k in cands if not admissible(k) and k.need is None
                   and any(v.admitted and v.needs_data for v in verdicts.get(k.key, {}).values())]
        cands = prune_objects(cands, admissible, self.graph)
        active = [k for k in cands if admissible(k)]
        by_key = {k.key: k for k in active}
        quotas = self.quotas(year)
        priorities = {k.key: replace(self.priority(k), tier=TIERS["conditional"]) if waiting(k) else self.priority(k)
                      for k in active}
        demands = self._demands(active, priorities, by_prog, verdicts, quotas, CostModel(
            priorities.values(), [c.end for c in courses], len(active)))
        slots = [Slot(c.id, c.capacity, c.start, c.end, tuple(
            self._gate(q) for q in ((c.programme, None, None), (c.programme, c.mode, None)) if q in quotas))
            for c in courses]
        courses_by_id = self.ev.dataset.course_by_id
        side = [SideLimit(self._gate(q), target, frozenset(
            (d.key, o.course) for d in demands for o in d.options
            if by_key[d.key].programme == q[0] and self._in_unit(d.person, str(q[2]))
            and courses_by_id[o.course].mode == q[1]))
            for q, target in quotas.items() if q[1] and q[2]]
        limits = {self._gate(q): target for q, target in quotas.items() if not (q[1] and q[2])}
        solution = solve(demands, slots, limits, side, self.time_limit)
        assignments = []
        for key, course_id in sorted(solution.chosen.items()):
            cand, course = by_key[key], self.ev.dataset.course_by_id[course_id]
            late = cand.deadline is not None and course.end > cand.deadline
            verdict = verdicts[key][course_id]
            assignments.append(Assignment(cand, course, late, verdict.warnings, verdict.conditional))
        order = {code: i for i, code in enumerate(self.ev.book.programmes)}
        assignments.sort(key=lambda a: (order.get(a.course.programme, len(order)), a.course.start, a.course.id,
                                        a.candidate.person))
        taken = {(a.candidate.person, a.candidate.programme) for a in assignments}
        mine: dict[str, list[Course]] = {}
        for a in assignments:
            mine.setdefault(a.candidate.person, []).append(a.course)
        left = sorted((c for c in cands if c.need is not None and (c.person, c.programme) not in taken),
                      key=lambda c: (order.get(c.programme, len(order)), c.deadline or dt.date.max, c.person))
        unassigned = [self._unassigned(c, by_prog.get(c.programme, []), verdicts.get(c.key, {}), mine) for c in left]
        unassigned += [self._unassigned(c, by_prog.get(c.programme, []), verdicts.get(c.key, {}), mine)
                       for c in sorted(lacking, key=lambda c: (order.get(c.programme, len(order)), c.person))]
        needs = [c for c in cands if c.need is not None]
        return PlanResult(year, self.as_of, assignments, unassigned,
                          self._counts(needs, assignments, courses, quotas),
                          self._quota_use(year, quotas, assignments), solution.exact, solution.solves)

    def _demands(self, active: list[Candidate], priorities: dict[str, Priority], by_prog: dict[str, list[Course]],
                 verdicts: dict[str, dict[str, Verdict]], quotas: dict[QuotaKey, int], model: CostModel
                 ) -> list[Demand]:
        out = []
        for k in active:
            chain = self.graph.unit_chain(self.graph.person_unit(k.person))
            gates = tuple(self._gate((k.programme, None, u)) for u in chain if (k.programme, None, u) in quotas)
            options = self.options(k, priorities[k.key], by_prog[k.programme], verdicts[k.key], model)
            out.append(Demand(k.key, k.person, tuple(options), gates, priorities[k.key].tier))
        return out

    def horizon(self, years: Iterable[int]) -> list[PlanResult]:
        """Plans for successive years; a need or object family scheduled one year is not planned again."""
        skip: set[tuple[str, str]] = set()
        families: set[tuple[str, str | None]] = set()
        out = []
        for year in years:
            result = self.plan(year, skip, families)
            for a in result.assignments:
                skip.add((a.candidate.person, a.candidate.programme))
                if a.candidate.basis == "object":
                    families.add((a.candidate.person, self.graph.family(a.candidate.programme)))
            out.append(result)
        return out

    def course_years(self) -> list[int]:
        """Years from the as-of year to the last year with a course starting after the as-of date."""
        last = max((c.start.year for c in self.ev.dataset.courses if c.start > self.as_of), default=self.as_of.year)
        return list(range(self.as_of.year, max(last, self.as_of.year) + 1))

    # -- reporting ----------------------------------------------------------------------------
    @staticmethod
    def _gate(key: QuotaKey) -> str:
        return "|".join(["quota", key[0], key[1] or "*", key[2] or "*"])

    def _unassigned(self, cand: Candidate, courses: list[Course], verdicts: dict[str, Verdict],
                    mine: dict[str, list[Course]]) -> Unassigned:
        need = cand.need if cand.need is not None else object_need(cand, self.as_of)
        vi = self.lang == "vi"
        label = self.ev.book.programme_label(cand.programme, self.lang)
        when = day_text(cand.deadline, self.lang)
        if vi:
            head = f"cần khóa {label} trước {when}: " if when else f"cần khóa {label}: "
        else:
            head = f"needs {label} by {when}: " if when else f"needs {label}: "
        admitted = [c for c in courses if verdicts.get(c.id, Verdict()).seatable]
        lacking = [c for c in courses if verdicts.get(c.id, Verdict()).admitted and not verdicts[c.id].seatable]
        reasons: list[str] = []
        if not courses:
            kind, text = "no_course", ("không có khóa học phù hợp" if vi else "no suitable course")
        elif not admitted and lacking:
            # evidence that should be on file is absent (engine.planning.evidence): complete it and re-run
            kind = "needs-data"
            items = dict.fromkeys(f"{fields} ({rule})" for c in lacking
                                  for rule, fields, _t in verdicts[c.id].needs_data)
            reasons = [text for c in lacking for _r, _f, text in verdicts[c.id].needs_data]
            reasons = list(dict.fromkeys(reasons))
            text = ("cần bổ sung dữ liệu: " if vi else "data to complete: ") + "; ".join(items)
        elif not admitted:
            kind = "not_admissible"
            seen: dict[str, list[str]] = {}
            for c in courses:
                for reason in verdicts[c.id].reasons:
                    seen.setdefault(reason, []).append(c.id)
            for reason, ids in seen.items():
                reasons.append(reason if len(ids) == len(courses) else f"{reason} [{', '.join(ids)}]")
            text = ("không đủ điều kiện dự học: " if vi else "not admissible: ") + "; ".join(reasons)
        elif all(any(overlaps(c, other) for other in mine.get(cand.person, [])) for c in admitted):
            kind = "clash"
            taken = ", ".join(sorted({o.id for o in mine.get(cand.person, [])}))
            text = f"trùng thời gian với khóa {taken} đã xếp" if vi else f"overlaps course {taken} already assigned"
        else:
            kind = "full"
            text = "các khóa đã đủ chỉ tiêu/hết chỗ" if vi else "the courses are full (quota or capacity reached)"
        return Unassigned(need, kind, head + text, reasons)

    def _counts(self, needs: list[Candidate], assignments: list[Assignment], courses: list[Course],
                quotas: dict[QuotaKey, int]) -> list[ProgrammeCount]:
        codes = programme_order(self.ev.book, [c.programme for c in needs] + [c.programme for c in courses]
                                + [k[0] for k in quotas])
        out = []
        for code in codes:
            overall = quotas.get((code, None, None))
            by_mode = [v for k, v in quotas.items() if k[0] == code and k[1] and not k[2]]
            # Quotas for one unit are reported per quota (PlanResult.quotas), not as the programme's.
            quota = overall if overall is not None else sum(by_mode) if by_mode else None
            out.append(ProgrammeCount(
                code, sum(a.course.programme == code and not a.conditional for a in assignments), quota,
                sum(c.capacity for c in courses if c.programme == code), sum(c.programme == code for c in needs),
                sum(a.course.programme == code and a.conditional for a in assignments)))
        return out

    def _quota_use(self, year: int, quotas: dict[QuotaKey, int], assignments: list[Assignment]) -> list[QuotaUse]:
        out = []
        for (code, mode, unit), target in quotas.items():
            used = sum(a.course.programme == code and (mode is None or a.course.mode == mode)
                       and (unit is None or self._in_unit(a.candidate.person, unit)) for a in assignments)
            out.append(QuotaUse(year, code, mode, unit, target, used))
        return out


def object_need(cand: Candidate, as_of: dt.date) -> Need:
    """An object candidacy (đối tượng) written as a need without deadline, for the unassigned list."""
    source = NeedSource(rule=cand.rule, basis="object", position=cand.position, deadline=None, source=cand.source,
                        explanation="", verified=True, planned_on=cand.planned_on)
    return Need(cand.person, cand.programme, [source], as_of)


__all__ = ["PARALLEL_FROM", "Planner", "object_need"]
