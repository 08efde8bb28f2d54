"""As-of evaluation: build the contexts of a person, run the rules, turn outcomes into findings.

Each person is evaluated in isolation. The backend is the durable-rules program (default) or the
plain-Python oracle over the same compiled rules; both share contexts, facts and partitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.dataset import Dataset
from engine.errors import UnknownIdError
from engine.evaluation.derive import Context, Deriver, FactPlan
from engine.evaluation.ends import IMPRECISE, merge_ends
from engine.evaluation.findings import (
    Finding,
    citation,
    deadline_for,
    explain,
    failing_details,
    requirement_label,
    status_for,
    unknown_field_names,
)
from engine.model import Appointment, Course
from engine.rules.backend import ContextInput, PythonProgram, make_backend
from engine.rules.compiled import ConcreteRule, FactRef, rule_facts
from engine.rules.compiler import compile_rulebook
from engine.rules.oracle import eval_tree, exemption_state
from engine.rules.rulebook import Rulebook
from engine.suggest import closest

if TYPE_CHECKING:
    from engine.trace import Tracer


@dataclass(frozen=True)
class EngineConfig:
    """How evaluators are built: the backend (durable-rules, or the plain-Python oracle) and the language of
    explanations. Worker processes rebuild their evaluator from it (engine.batch)."""

    backend: str = "durable"
    lang: str = "vi"
    explain: bool = False  # every finding carries its decision trace (engine.trace)

    def evaluator(self, book: Rulebook, dataset: Dataset) -> Evaluator:
        """A new evaluator of `dataset` under `book`."""
        return Evaluator(book, dataset, backend=self.backend, lang=self.lang, explain=self.explain)


class Evaluator:
    """Evaluates people, proposals and past appointments as of a date: contexts, derived facts, the backend's
    outcomes, findings."""

    def __init__(self, book: Rulebook, dataset: Dataset, backend: str = "durable", lang: str = "vi",
                 explain: bool = False) -> None:
        self.book = book
        self.dataset = dataset
        self.lang = lang
        self.config = EngineConfig(backend, lang)
        self.rules = compile_rulebook(book)
        self.by_key = {r.key: r for r in self.rules}
        self.order = {r.key: i for i, r in enumerate(self.rules)}
        self._object_keys = frozenset(r.key for r in self.rules if r.kind == "object")
        self.deriver = Deriver(book, dataset.position_by_id)
        self.backend = make_backend(self.rules, backend)
        self._facts: dict[tuple[str, str], set[FactRef]] = {}
        self._plans: dict[tuple[str, str], FactPlan] = {}
        # (rule key, language) -> (citation, title, requirement label)
        self._texts: dict[tuple[str, str], tuple[str, str, str]] = {}
        # explain: every finding carries its trace (engine.trace), from the records noted while deriving.
        self.tracer: Tracer | None = None
        self._witness: dict[str, dict[str, Any]] = {}
        if explain:
            from engine.trace import Tracer

            self.tracer = Tracer(book, dataset, self.deriver, lang)

    # -- contexts -----------------------------------------------------------------------------
    def person(self, person_id: str) -> Any:
        """The person `person_id` (UnknownIdError with suggestions when there is none)."""
        if person_id not in self.dataset.person_by_id:
            near = closest(person_id, self.dataset.person_by_id, n=3)
            raise UnknownIdError("người / person", person_id, near)
        return self.dataset.records(person_id)

    def _post_context(self, cid: str, basis: str, as_of: dt.date, records: Any, position_id: str,
                      **kw: Any) -> Context:
        post = self.dataset.position_by_id[position_id]
        return Context(cid, basis, as_of, records, post, self.dataset.unit_by_id.get(post.unit), **kw)

    def person_contexts(self, person_id: str, as_of: dt.date) -> list[Context]:
        """Posts held on `as_of` and active succession plans (quy hoạch) for other posts."""
        if person_id in self.dataset.person_by_id and not self.dataset.has_posts(person_id):
            return []  # no post held or planned: nothing to build (unknown ids still raise below)
        records = self.person(person_id)
        out: list[Context] = []
        held = set()
        for index, appt in enumerate(records.appointments):
            if appt.start <= as_of and (appt.end is None or appt.end >= as_of):  # `end`: the last day held
                held.add(appt.position)
                out.append(self._post_context(
                    f"h{index}", "holds", as_of, records, appt.position, event_kind=appt.kind,
                    event_date=appt.start, dossier=appt.dossier_date(), appointment=appt))
        for index, plan in enumerate(records.plans):
            active = plan.approved <= as_of and (plan.removed is None or plan.removed > as_of)
            if not active or plan.position in held or self._dissolved(plan.position, as_of):
                continue
            start = plan.term_start
            event_date = start if start is not None and start > as_of else None
            out.append(self._post_context(
                f"p{index}", "planned", as_of, records, plan.position, event_kind="bo-nhiem",
                event_date=event_date, dossier=(event_date, "term") if event_date else None, plan=plan))
        return out

    def _dissolved(self, position_id: str, day: dt.date) -> bool:
        """The post's unit no longer exists on `day` (units.dissolved): nobody can be planned for it. From
        01/7/2025 there are no district units or posts (law.md rule 42, G1)."""
        post = self.dataset.position_by_id.get(position_id)
        unit = self.dataset.unit_by_id.get(post.unit) if post else None
        return unit is not None and unit.dissolved is not None and unit.dissolved <= day

    def proposal_context(self, person_id: str, position_id: str, on: dt.date, kind: str = "bo-nhiem",
                         submitted: dt.date | None = None) -> Context:
        """The context of a proposed appointment of a person to a post on a day."""
        records = self.person(person_id)
        if position_id not in self.dataset.position_by_id:
            near = closest(position_id, self.dataset.position_by_id, n=3)
            raise UnknownIdError("chức vụ / position", position_id, near)
        dossier = (submitted, "submitted") if submitted else (on, "on")
        return self._post_context("x0", "proposed", on, records, position_id, event_kind=kind, event_date=on,
                                  dossier=dossier)

    def appointment_context(self, appt: Appointment, cid: str = "a0") -> Context:
        """The context of a past appointment, judged on its own day (the audit)."""
        records = self.dataset.records(appt.person)
        return self._post_context(cid, "appointed", appt.start, records, appt.position, event_kind=appt.kind,
                                  event_date=appt.start, dossier=appt.dossier_date(), appointment=appt)

    def admission_context(self, person_id: str, course: Course, cid: str = "c0", records: Any = None) -> Context:
        """The person's admission to a course; `records`: the person's, when the caller has them already."""
        if records is None:
            records = self.person(person_id)
        return Context(cid, "admission", course.start, records, event_kind="nhap-hoc", event_date=course.start,
                       course=course)

    # -- evaluation ---------------------------------------------------------------------------
    def _needed(self, basis: str, value: str) -> set[FactRef]:
        key = (basis, value)
        if key not in self._facts:
            facts: set[FactRef] = set()
            for rule in self.backend.partition_rules(basis, value):
                facts |= rule_facts(rule)
            self._facts[key] = facts
        return self._facts[key]

    def _plan(self, basis: str, value: str) -> FactPlan:
        key = (basis, value)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self.deriver.plan(self._needed(basis, value))
        return plan

    def prepare(self, context: Context) -> ContextInput:
        """A context as the backend takes it: id, basis, partition and the derived facts its rules read."""
        post, course = context.post, context.course
        probe = {"post.tier": post.tier if post else None, "course.programme": course.programme if course else None}
        value = self.backend.partition_of(context.basis, probe)
        witness = self._witness.setdefault(context.cid, {}) if self.tracer is not None else None
        return context.cid, context.basis, value, self.deriver.derive(context, self._plan(context.basis, value),
                                                                      witness)

    def run(self, contexts: Sequence[Context]) -> tuple[list[ContextInput], list[tuple[str, str, str]]]:
        """The contexts prepared and the backend's outcomes (cid, rule key, outcome) for them; contexts of people
        with partial dates are also evaluated at the other ends of their ranges (engine.evaluation.ends)."""
        prepared = [self.prepare(c) for c in contexts]
        fired = self.backend.evaluate(prepared)
        if self.dataset.partial_people:
            fired = merge_ends(self, contexts, prepared, fired)
        return prepared, fired

    def evaluate(self, contexts: Sequence[Context]) -> list[Finding]:
        """The findings of the rules that apply in `contexts`, in context and rule order."""
        if not contexts:
            return []
        self._witness.clear()
        prepared, fired = self.run(contexts)
        by_cid = {c.cid: (c, p[3]) for c, p in zip(contexts, prepared, strict=True)}
        order, by_key, objects = self.order, self.by_key, self._object_keys
        fired.sort(key=lambda f: (f[0], order[f[1]]))
        out = []
        for cid, key, outcome in fired:
            if key not in objects:
                context, values = by_cid[cid]
                out.append(self.finding(context, by_key[key], outcome, values))
        return out

    def objects(self, contexts: Sequence[Context]) -> list[tuple[Context, ConcreteRule]]:
        """Object rules (đối tượng đào tạo) that apply to the contexts (for the planner)."""
        by_cid = {c.cid: c for c in contexts}
        return [(by_cid[cid], self.by_key[key]) for cid, key, outcome in self.run(contexts)[1]
                if outcome == "applies"]

    def _text(self, rule: ConcreteRule) -> tuple[str, str, str]:
        """(citation, title, requirement label) of a rule in the evaluator's language, made once."""
        lang = self.lang
        text = self._texts.get((rule.key, lang))
        if text is None:
            title = rule.rule.title_vi if lang == "vi" else rule.rule.title
            text = self._texts[(rule.key, lang)] = (citation(self.book, rule, lang), title,
                                                    requirement_label(self.book, rule, lang))
        return text

    def finding(self, context: Context, rule: ConcreteRule, outcome: str, values: dict[str, Any]) -> Finding:
        """The finding of one rule's outcome in one context."""
        lang = self.lang
        stage = "applies"
        if outcome == "unknown" and eval_tree(rule.applies, values) is True:
            met = eval_tree(rule.requires, values) if rule.requires is not None else True
            stage = "requires" if met is None else "exemptions"
        plan_approved = context.plan.approved if context.plan else None
        deadline = deadline_for(rule, context.event_date, plan_approved)
        source, title, requirement = self._text(rule)
        spec = rule.loaded.rule
        finding = Finding(
            rule=spec.id, version=spec.version, variant=rule.variant.key if rule.variant else None,
            status=status_for(context.basis, outcome, rule, deadline, context.as_of),
            requirement=rule.requirement, position=context.post.id if context.post else None,
            basis=context.basis, deadline=deadline, source=source,
            strength=spec.strength, verified=rule.verified, remedy=rule.remedy, explanation="",
            title=title, context=context.cid, event_date=context.event_date, kind=spec.kind,
        )
        imprecise = values.get(IMPRECISE, {}).get(rule.key) if outcome == "unknown" else None
        if imprecise:
            finding.unknown_fields = [f.field for f in imprecise]
            finding.imprecise = imprecise
        elif outcome == "unknown":
            finding.unknown_fields = unknown_field_names(rule, values, stage)
        if outcome == "exempt":
            for exemption, tree in rule.exemptions:
                if eval_tree(tree, values) is True:
                    finding.exemption = exemption.text_vi if lang == "vi" else (exemption.text or exemption.text_vi)
                    break
        if rule.requirement_is_programme and spec.kind != "object":
            if outcome == "met":
                since = context.event_date if rule.since_event else None
                found = self.deriver.equivalences.first_meeting(
                    context.records.credentials, rule.requirement, context.reference_date, since)
                if found:
                    finding.met_by = {"programme": found[0].programme, "completed": found[0].completed.isoformat()}
            if outcome == "unmet" and context.basis == "appointed":
                later = self.deriver.equivalences.first_after(
                    context.records.credentials, rule.requirement, context.reference_date)
                finding.met_later = later.completed if later else None
        elif outcome in ("unmet", "exempt"):
            finding.details = failing_details(rule.requires, values, lang)
        finding.explanation = explain(self.book, rule, finding, lang, requirement)
        if self.tracer is not None:
            finding.trace = self.tracer.trace(rule, context, outcome, values, self._witness.get(context.cid, {}))
        return finding

    def check_person(self, person_id: str, as_of: dt.date) -> list[Finding]:
        """What the person is missing, as of `as_of`, for the posts held and planned."""
        return self.evaluate(self.person_contexts(person_id, as_of))

    def check_proposal(self, person_id: str, position_id: str, on: dt.date, kind: str = "bo-nhiem",
                       submitted: dt.date | None = None) -> tuple[bool | None, list[Finding]]:
        """Whether appointing the person to the post on `on` meets every precondition, and the findings."""
        findings = self.evaluate([self.proposal_context(person_id, position_id, on, kind, submitted)])
        if any(f.status == "missing" for f in findings):
            return False, findings
        if any(f.status == "unknown" for f in findings):
            return None, findings
        return True, findings


__all__ = ["Evaluator", "PythonProgram", "exemption_state"]
