"""Build a one-person dataset from a YAML scenario case and evaluate it (tests/scenarios/*.yaml).

A case gives the person, credentials, earlier posts (`history`), plans, ratings, disciplines and one
`event` (basis holds, proposed, appointed or admission); `expect` lists rule findings by status.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine.dataset import Dataset
from engine.evaluation.derive import Context
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.model import (
    Appointment,
    Course,
    Credential,
    Discipline,
    Manifest,
    Person,
    Plan,
    Position,
    RatingRow,
    Unit,
)
from engine.planning.planner import Planner
from engine.planning.shortlist import shortlist
from engine.rules.compiled import ConcreteRule
from engine.rules.rulebook import Rulebook

PERSON_DEFAULTS = {"id": "P", "full_name": "Nguyễn Văn Thử", "category": "cong-chuc", "unit": "U-tinh"}


class CaseBuilder:
    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}
        self.positions: list[Position] = []
        self.by_spec: dict[str, str] = {}
        self.explicit: set[str] = set()

    def unit(self, level: str, dissolved: Any = None) -> str:
        uid = f"U-{level}" + (f"-{dissolved}" if dissolved else "")
        self.units.setdefault(uid, Unit(id=uid, name=f"Đơn vị {level}", level=level, dissolved=dissolved))
        return uid

    def post(self, spec: dict[str, Any], pid: str) -> str:
        """A position for a post spec; identical specs (or the same `id`) are the same post."""
        spec = dict(spec)
        pid = str(spec.pop("id", pid))
        key = repr(sorted(spec.items()))
        if key in self.by_spec and pid not in self.explicit:
            return self.by_spec[key]
        self.by_spec.setdefault(key, pid)
        self.explicit.add(pid)
        level = spec.pop("unit_level", "tinh")
        unit = self.unit(level, spec.pop("unit_dissolved", None))
        self.positions.append(Position(
            id=pid, title=spec.pop("title", f"Chức vụ {pid}"), unit=unit,
            tier=spec.pop("tier"), role=spec.pop("role", "truong"), sector=spec.pop("sector", "hanh-chinh"),
            **spec,
        ))
        return pid


def build(case: dict[str, Any]) -> tuple[Dataset, dict[str, Any]]:
    b = CaseBuilder()
    b.unit("tinh")
    person = Person(**{**PERSON_DEFAULTS, **case["person"]})
    event = dict(case["event"])
    target = b.post(event["post"], "E") if "post" in event else None
    appointments = []
    for i, h in enumerate(case.get("history", [])):
        pid = b.post(h["post"], f"H{i}")
        appointments.append(Appointment(person="P", position=pid, start=h["start"], end=h.get("end"),
                                        kind=h.get("kind", "bo-nhiem")))
    if event["basis"] in ("holds", "appointed"):
        appointments.append(Appointment(
            person="P", position=target or "E", start=event["date"], kind=event.get("kind", "bo-nhiem"),
            end=event.get("end"), decided=event.get("decided"), submitted=event.get("submitted")))
    plans = []
    for i, p in enumerate(case.get("plans", [])):
        pid = target if p.get("post", "target") == "target" else b.post(p["post"], f"Q{i}")
        plans.append(Plan(person="P", position=pid, approved=p["approved"], term=p.get("term"),
                          removed=p.get("removed")))
    courses = []
    if event["basis"] in ("admission", "shortlist"):
        courses.append(Course(id="K1", capacity=30, **event["course"]))
    ds = Dataset(
        manifest=Manifest(name="scenario", rulesets=case.get("packs", ["national"]), as_of=case.get("as_of"),
                          description=target or "E"),
        root=Path("."), units=list(b.units.values()), positions=b.positions, people=[person],
        credentials=[Credential(person="P", **c) for c in case.get("credentials", [])],
        appointments=appointments, plans=plans,
        ratings=[RatingRow(person="P", **r) for r in case.get("ratings", [])],
        disciplines=[Discipline(person="P", **d) for d in case.get("disciplines", [])],
        courses=courses,
    )
    return ds, event


def run_case(book: Rulebook, case: dict[str, Any], backend: str = "durable") -> list[Finding]:
    ds, event = build(case)
    ev = Evaluator(book, ds, backend=backend)
    as_of = case.get("as_of") or dt.date(2026, 11, 23)
    basis = event["basis"]
    if basis == "proposed":
        kind = event.get("kind", "bo-nhiem")
        return ev.check_proposal("P", target_of(ds), event["date"], kind, event.get("submitted"))[1]
    if basis == "appointed":
        return ev.evaluate([ev.appointment_context(ds.appointments[-1])])
    if basis == "admission":
        return ev.evaluate([ev.admission_context("P", ds.courses[0])])
    if basis == "planned":
        return [f for f in ev.check_person("P", as_of) if f.basis == "planned"]
    if basis == "shortlist":
        return shortlist_groups(ev, as_of)
    if basis == "object":
        # Target groups (đối tượng) on a course start: the posts held or planned that day (law.md rule 37).
        return [object_hit(c, r) for c, r in ev.objects(ev.person_contexts("P", event["on"]))]
    return [f for f in ev.check_person("P", as_of) if f.position == target_of(ds)]


def shortlist_groups(ev: Evaluator, as_of: dt.date) -> list[Finding]:
    """The shortlist of course K1 as findings of rule SHORTLIST whose status is the person's group:
    nominee, reserve, conditional, needs_data or excluded; `requirement` holds the rule ids involved."""
    sl = shortlist(Planner(ev, as_of), "K1")
    groups: list[tuple[str, str, str]] = []
    for name, listed in (("nominee", sl.nominees), ("reserve", sl.reserves), ("conditional", sl.conditional)):
        groups += [(name, n.candidate.rule, "; ".join(n.warnings)) for n in listed]
    groups += [("needs_data", ",".join(r for r, _f, _t in n.items), "; ".join(t for _r, _f, t in n.items))
               for n in sl.needs_data]
    groups += [("excluded", e.candidate.rule, "; ".join(e.why)) for e in sl.excluded]
    return [Finding(rule="SHORTLIST", version="", variant=None, status=group, requirement=rules, position=None,
                    basis="shortlist", deadline=None, source="", strength="", verified=True, remedy=None,
                    explanation=text, title="", context="K1") for group, rules, text in groups]


def object_hit(context: Context, rule: ConcreteRule) -> Finding:
    """An object rule that applies to a context, as a finding with status `applies`."""
    spec = rule.loaded.rule
    return Finding(rule=spec.id, version=spec.version, variant=None, status="applies", requirement=rule.requirement,
                   position=context.post.id if context.post else None, basis=context.basis, deadline=None,
                   source="", strength=spec.strength, verified=rule.verified, remedy=None,
                   explanation=f"{context.basis} {context.post.id if context.post else ''}", title=spec.title,
                   context=context.cid, kind="object")


def target_of(ds: Dataset) -> str:
    return str(ds.manifest.description)


def mismatches(findings: list[Finding], expect: list[dict[str, Any]]) -> list[str]:
    problems = []
    for exp in expect:
        mine = [f for f in findings if f.rule == exp["rule"] and (exp.get("variant") in (None, f.variant))]
        if exp["status"] == "none":
            if mine:
                problems.append(f"{exp['rule']}: expected no finding, got {[f.status for f in mine]}")
            continue
        ok = [f for f in mine if f.status == exp["status"]
              and ("deadline" not in exp or f.deadline == exp["deadline"])
              and ("requirement" not in exp or f.requirement == exp["requirement"])
              and ("unknown_field" not in exp or exp["unknown_field"] in f.unknown_fields)
              and ("verified" not in exp or f.verified == exp["verified"])]
        if not ok:
            got = [(f.variant, f.status, f.deadline, f.requirement, f.unknown_fields) for f in mine]
            problems.append(f"{exp['rule']}: expected {exp}, got {got or 'no finding'}")
    return problems
