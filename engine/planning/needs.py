"""Training needs and object candidacies, from one as-of evaluation of everyone.

A **need** is a programme a person must obtain: a `due`, `overdue` or `pending` finding with a remedy
programme for a post held, or an unmet requirement of a post they are planned for (quy hoạch; the
deadline is the finding's, else the start of the plan's term if still ahead, else none). Needs are
merged per (person, programme), keeping the earliest deadline and every rule; a need another need of
the same person would also satisfy (cao cấp covers trung cấp, "… trở lên") is folded into it. Needs
already met by a credential or an equivalent (programmes.yaml) are dropped.

An **object candidacy** (đối tượng đào tạo) is a programme a person *may* be sent to for a post held
or planned, from the `object` rules (QĐ 57/QĐ 350 for political theory).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.evaluation.derive import Context
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding, citation
from engine.planning.graph import PlanGraph
from engine.rules.compiled import ConcreteRule
from engine.vocabulary import PLANNABLE

# Families whose objects are candidates (law.md §1: political theory; brief of issue 5).
OBJECT_FAMILIES = frozenset({"llct"})


@dataclass(frozen=True)
class NeedSource:
    """One rule that puts the need there, for one post."""

    rule: str
    basis: str  # holds | planned
    position: str | None
    deadline: dt.date | None
    source: str  # citation, Vietnamese order
    explanation: str
    verified: bool
    since: dt.date | None = None  # the credential must be completed on or after this date
    planned_on: dt.date | None = None  # start of the planned term (basis planned)


def status_of(deadline: dt.date | None, as_of: dt.date) -> str:
    """`overdue` once the deadline is past, else `due`; `pending` without a deadline."""
    if deadline is None:
        return "pending"
    return "overdue" if deadline < as_of else "due"


def _deadline_key(day: dt.date | None) -> dt.date:
    return day or dt.date.max


@dataclass
class Need:
    """A person's need of a programme, from one or more rules (sources), the most urgent first."""

    person: str
    programme: str
    sources: list[NeedSource]
    as_of: dt.date

    def __post_init__(self) -> None:
        self.order()

    def order(self) -> None:
        """The source with the earliest deadline first (no deadline last), held posts before planned."""
        self.sources.sort(key=lambda s: (_deadline_key(s.deadline), s.basis != "holds", s.rule))

    @property
    def primary(self) -> NeedSource:
        """The most urgent source."""
        return self.sources[0]

    @property
    def deadline(self) -> dt.date | None:
        """The most urgent source's deadline."""
        return self.primary.deadline

    @property
    def basis(self) -> str:
        """The most urgent source's basis (holds, planned)."""
        return self.primary.basis

    @property
    def rule(self) -> str:
        """The most urgent source's rule."""
        return self.primary.rule

    @property
    def position(self) -> str | None:
        """The post the most urgent source is for."""
        return self.primary.position

    @property
    def status(self) -> str:
        """The need's status as of its survey's date."""
        return status_of(self.deadline, self.as_of)

    @property
    def rules(self) -> list[str]:
        """Every source's rule."""
        return list(dict.fromkeys(s.rule for s in self.sources))

    @property
    def since(self) -> dt.date | None:
        """The most urgent source's start date (of the post or plan)."""
        dates = [s.since for s in self.sources if s.since is not None]
        return max(dates) if dates else None

    @property
    def planned_on(self) -> dt.date | None:
        """The approval date of the plan behind the need, if any."""
        dates = [s.planned_on for s in self.sources if s.planned_on is not None]
        return min(dates) if dates else None

    def for_post(self, position: str, basis: str = "planned") -> bool:
        """Whether a source of the need is for `position` on `basis`."""
        return any(s.position == position and s.basis == basis for s in self.sources)


@dataclass(frozen=True)
class ObjectCandidacy:
    """A person a course's object rule admits (đối tượng), without a need."""

    person: str
    programme: str
    rule: str
    position: str | None
    via: str  # holds | planned: the post that makes the person an object
    source: str
    planned_on: dt.date | None = None


@dataclass
class Survey:
    """Everyone's needs and object candidacies as of a date."""

    as_of: dt.date
    needs: list[Need] = field(default_factory=list)
    objects: list[ObjectCandidacy] = field(default_factory=list)

    def needs_of(self, programme: str) -> list[Need]:
        """The needs of one programme."""
        return [n for n in self.needs if n.programme == programme]


Outcome = tuple[Context, ConcreteRule, str, dict[str, Any]]


def evaluate_both(ev: Evaluator, contexts: Sequence[Context]
                  ) -> tuple[list[Outcome], list[tuple[Context, ConcreteRule]]]:
    """One backend run giving both the rule outcomes and the object rules that apply.

    Evaluator.evaluate() and Evaluator.objects() each run the backend; the planner needs both for
    every person, so it runs it once and builds findings only for the outcomes it uses."""
    prepared, fired = ev.run(contexts)
    by_cid = {c.cid: (c, p[3]) for c, p in zip(contexts, prepared, strict=True)}
    outcomes: list[Outcome] = []
    objects: list[tuple[Context, ConcreteRule]] = []
    for cid, key, outcome in sorted(fired, key=lambda f: (f[0], ev.order[f[1]])):
        context, values = by_cid[cid]
        rule = ev.by_key[key]
        if outcome == "applies":
            objects.append((context, rule))
        else:
            outcomes.append((context, rule, outcome, values))
    return outcomes, objects


def _source(finding: Finding, context: Context, rule: ConcreteRule) -> NeedSource:
    planned_on = context.event_date if context.basis == "planned" else None
    deadline = finding.deadline
    if deadline is None and context.basis == "planned":
        deadline = planned_on  # a planned post's requirements are due by the start of its term
    return NeedSource(rule=finding.rule, basis=finding.basis, position=finding.position, deadline=deadline,
                      source=finding.source, explanation=finding.explanation, verified=finding.verified,
                      since=context.event_date if rule.since_event else None, planned_on=planned_on)


def person_survey(ev: Evaluator, graph: PlanGraph, person_id: str, as_of: dt.date
                  ) -> tuple[list[Need], list[ObjectCandidacy]]:
    contexts = ev.person_contexts(person_id, as_of)
    if not contexts:
        return [], []
    outcomes, objects = evaluate_both(ev, contexts)
    records = contexts[0].records
    eq = ev.deriver.equivalences
    by_programme: dict[str, list[NeedSource]] = {}
    for context, rule, outcome, values in outcomes:
        if outcome != "unmet" or rule.kind != "requirement" or not rule.remedy:
            continue
        if rule.remedy not in ev.book.programmes:
            continue
        finding = ev.finding(context, rule, outcome, values)
        if finding.status not in PLANNABLE:
            continue
        by_programme.setdefault(rule.remedy, []).append(_source(finding, context, rule))
    needs = []
    for code, sources in by_programme.items():
        need = Need(person_id, code, sources, as_of)
        if eq.first_meeting(records.credentials, code, as_of, need.since) is None:
            needs.append(need)
    needs = fold_dominated(needs, graph, as_of)
    cands: dict[str, ObjectCandidacy] = {}
    needed_families = {graph.family(n.programme) for n in needs}
    for context, rule in objects:
        for code in rule.rule.programmes or ():
            family = graph.family(code)
            if family not in OBJECT_FAMILIES or family in needed_families or code in cands:
                continue
            if eq.first_meeting(records.credentials, code, as_of) is not None:
                continue
            cands[code] = ObjectCandidacy(
                person_id, code, rule.rule.id, context.post.id if context.post else None, context.basis,
                source=_citation(ev, rule),
                planned_on=context.event_date if context.basis == "planned" else None)
    return needs, list(cands.values())


def _citation(ev: Evaluator, rule: ConcreteRule) -> str:
    return citation(ev.book, rule, ev.lang)


def fold_dominated(needs: list[Need], graph: PlanGraph, as_of: dt.date) -> list[Need]:
    """Fold a need into another need of the same person whose programme also satisfies it
    (a higher certificate counts for a lower requirement, law.md T7 and A15)."""
    kept = sorted(needs, key=lambda n: (-graph.level(n.programme), n.programme))
    out: list[Need] = []
    for need in kept:
        host = next((o for o in out if graph.counts_for(o.programme, need.programme, as_of)), None)
        if host is None:
            out.append(need)
        else:
            host.sources.extend(need.sources)
            host.order()
    return sorted(out, key=lambda n: n.programme)


def survey(ev: Evaluator, graph: PlanGraph, as_of: dt.date, people: Iterable[str] | None = None,
           on_person: Callable[[], None] | None = None) -> Survey:
    """Needs and object candidacies of every person (or of `people`) as of `as_of`; `on_person` is
    called after each person (progress display)."""
    result = Survey(as_of)
    ids = list(people) if people is not None else [p.id for p in ev.dataset.people]
    for pid in ids:
        needs, objects = person_survey(ev, graph, pid, as_of)
        result.needs.extend(needs)
        result.objects.extend(objects)
        if on_person is not None:
            on_person()
    return result


__all__ = ["OBJECT_FAMILIES", "Need", "NeedSource", "ObjectCandidacy", "Survey", "status_of", "survey"]
