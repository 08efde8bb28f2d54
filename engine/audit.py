"""Audit of past appointments: was each one lawful on its own day (hậu kiểm công tác bổ nhiệm)?

Every appointment (bổ nhiệm), reappointment (bổ nhiệm lại) or election (bầu cử) that started in the
period is evaluated in the "appointed" context, whose reference date is the appointment's start: the
rule windows select the rules in force that day, and credentials count only if obtained by then.
Transfers (điều động) and rotations (luân chuyển) move a cadre to a post of the same rank; they are
not appointments whose preconditions the law checks, so they are left out.

Two time axes are kept apart: the appointment's own day decides the status, and a credential
obtained only later is reported beside the violation (`met_later`, "bổ sung sau, ngày …"), never as a
cure. The age rule counts from the day the dossier was received (Hướng dẫn 06-HD/BTCTW); when the
record lacks `submitted`, the decision date or the start date stands in, and the finding says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.dataset import Dataset
from engine.dates import day_text
from engine.errors import UnknownIdError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.model import Appointment
from engine.rules.compiled import rule_facts
from engine.suggest import closest
from engine.vocabulary import OUTCOMES

AUDITED_KINDS = ("bo-nhiem", "bo-nhiem-lai", "bau-cu")
STATUSES = OUTCOMES
# Facts computed from the dossier date (Appointment.dossier_date): the age rule's inputs.
DOSSIER_FACTS = {"event.dossier_date", "event.months_to_retirement", "event.age_years"}
BATCH = 500

_FIELD_NOTES = {
    "decided": ("ngày nhận hồ sơ lấy theo ngày quyết định vì thiếu ngày nhận hồ sơ",
                "dossier date taken from the decision date (decided) because submitted is missing"),
    "start": ("ngày nhận hồ sơ lấy theo ngày bắt đầu giữ chức vụ vì thiếu ngày nhận hồ sơ và ngày quyết định",
              "dossier date taken from the start date (start) because submitted and decided are missing"),
}


@dataclass
class AuditedAppointment:
    """One appointment, its findings on its own day, and the overall result."""

    appointment: Appointment
    full_name: str
    unit: str
    status: str
    findings: list[Finding]
    dossier: tuple[dt.date, str]

    @property
    def violations(self) -> list[Finding]:
        """The findings that are violations."""
        return [f for f in self.findings if f.status == "violation"]

    def to_json(self) -> dict[str, Any]:
        """The appointment, its result and its findings, as the JSON report writes them."""
        a = self.appointment
        return {
            "person": a.person, "position": a.position, "start": a.start.isoformat(), "kind": a.kind,
            "status": self.status, "findings": [f.to_json() for f in self.findings],
            "full_name": self.full_name, "unit": self.unit,
            "decided": a.decided.isoformat() if a.decided else None,
            "submitted": a.submitted.isoformat() if a.submitted else None,
            "dossier_date": {"date": self.dossier[0].isoformat(), "field": self.dossier[1]},
            "violations": [f.rule for f in self.violations],
            "met_later": [{"rule": f.rule, "date": f.met_later.isoformat()}
                          for f in self.violations if f.met_later is not None],
        }


@dataclass(slots=True)
class Tally:
    """Counts of one group (a unit, a year, a unit in a year): the rows of the yearly report."""

    total: int = 0
    ok: int = 0
    violation: int = 0
    unknown: int = 0

    def add(self, status: str) -> None:
        """Count one appointment of result `status`."""
        self.total += 1
        setattr(self, status, getattr(self, status) + 1)

    @property
    def rate(self) -> float:
        """Share of appointments with a violation (0 when there are none)."""
        return round(self.violation / self.total, 4) if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        """The counts and the violation rate, as the JSON report writes them."""
        return {"total": self.total, "ok": self.ok, "violation": self.violation, "unknown": self.unknown,
                "rate": self.rate}


@dataclass
class AuditTotals:
    """The report's counts — overall, by unit, by year, by unit and year — added up one appointment at a
    time, so that a streamed audit sums them chunk by chunk without holding the appointments."""

    all: Tally = field(default_factory=Tally)
    unit: dict[str, Tally] = field(default_factory=dict)
    year: dict[int, Tally] = field(default_factory=dict)
    unit_year: dict[tuple[str, int], Tally] = field(default_factory=dict)

    def add(self, item: AuditedAppointment) -> None:
        """Count one audited appointment overall, by unit, by year and by unit and year."""
        year = item.appointment.start.year
        self.all.add(item.status)
        self.unit.setdefault(item.unit, Tally()).add(item.status)
        self.year.setdefault(year, Tally()).add(item.status)
        self.unit_year.setdefault((item.unit, year), Tally()).add(item.status)

    def update(self, other: AuditTotals) -> None:
        """Add the counts of `other` (another chunk's) to these."""
        _merge(self.all, other.all)
        for unit, tally in other.unit.items():
            _merge(self.unit.setdefault(unit, Tally()), tally)
        for year, tally in other.year.items():
            _merge(self.year.setdefault(year, Tally()), tally)
        for key, tally in other.unit_year.items():
            _merge(self.unit_year.setdefault(key, Tally()), tally)

    @property
    def summary(self) -> dict[str, int]:
        """Total, ok, violation and unknown over every audited appointment."""
        tally = self.all
        return {"total": tally.total, "ok": tally.ok, "violation": tally.violation, "unknown": tally.unknown}

    def by_unit(self) -> list[tuple[str, Tally]]:
        """The counts of each unit, by unit id."""
        return sorted(self.unit.items())

    def by_year(self) -> list[tuple[int, Tally]]:
        """The counts of each year of appointment, by year."""
        return sorted(self.year.items())

    def by_unit_year(self) -> list[tuple[tuple[str, int], Tally]]:
        """The counts of each unit and year."""
        return sorted(self.unit_year.items())

    @property
    def has_violation(self) -> bool:
        """Whether any audited appointment violated a precondition."""
        return self.all.violation > 0


def _merge(into: Tally, other: Tally) -> None:
    into.total += other.total
    into.ok += other.ok
    into.violation += other.violation
    into.unknown += other.unknown


def totals_of(items: Iterable[AuditedAppointment]) -> AuditTotals:
    """The counts of `items`."""
    totals = AuditTotals()
    for item in items:
        totals.add(item)
    return totals


def report_sections(totals: AuditTotals, unit: str | None, person: str | None,
                    unit_names: dict[str, str]) -> list[tuple[str, Any, bool]]:
    """The report's sections after its appointments, in order: (key, value, whether the value is an iterator of
    list items — the tables, one row at a time, which a province-wide report has hundreds of thousands of)."""
    return [
        ("summary", totals.summary, False),
        ("filters", {"unit": unit, "person": person}, False),
        ("by_unit", ({"unit": u, "name": unit_names.get(u, u), **t.to_json()} for u, t in totals.by_unit()), True),
        ("by_year", ({"year": y, **t.to_json()} for y, t in totals.by_year()), True),
        ("by_unit_year", ({"unit": u, "name": unit_names.get(u, u), "year": y, **t.to_json()}
                          for (u, y), t in totals.by_unit_year()), True),
    ]


def report_json(date_from: dt.date, date_to: dt.date, unit: str | None, person: str | None,
                appointments: list[dict[str, Any]], totals: AuditTotals, unit_names: dict[str, str]) -> dict[str, Any]:
    """The `audit` JSON (pinned by tests/test_audit_cli.py), plus filters, by_unit, by_year and by_unit_year."""
    out: dict[str, Any] = {"from": date_from.isoformat(), "to": date_to.isoformat(), "appointments": appointments}
    for key, value, rows in report_sections(totals, unit, person, unit_names):
        out[key] = list(value) if rows else value
    return out


@dataclass
class AuditReport:
    """The audit of a period: its appointments in date order, each judged on its own day, and their counts."""

    date_from: dt.date
    date_to: dt.date
    unit: str | None
    person: str | None
    appointments: list[AuditedAppointment]
    unit_names: dict[str, str] = field(default_factory=dict)

    @property
    def totals(self) -> AuditTotals:
        """The counts of the report's appointments."""
        return totals_of(self.appointments)

    @property
    def summary(self) -> dict[str, int]:
        """Total, ok, violation and unknown over the period."""
        return self.totals.summary

    def by_unit(self) -> list[tuple[str, Tally]]:
        """The counts of each unit, by unit id."""
        return self.totals.by_unit()

    def by_year(self) -> list[tuple[int, Tally]]:
        """The counts of each year, by year."""
        return self.totals.by_year()

    def by_unit_year(self) -> list[tuple[tuple[str, int], Tally]]:
        """The counts of each unit and year."""
        return self.totals.by_unit_year()

    @property
    def has_violation(self) -> bool:
        """Whether any appointment of the period violated a precondition."""
        return any(a.status == "violation" for a in self.appointments)

    def to_json(self) -> dict[str, Any]:
        """The `audit` JSON (pinned by tests/test_audit_cli.py), plus by_unit, by_year and by_unit_year."""
        return report_json(self.date_from, self.date_to, self.unit, self.person,
                           [a.to_json() for a in self.appointments], self.totals, self.unit_names)


def appointment_status(findings: Iterable[Finding]) -> str:
    """`violation` if any finding is one, else `unknown` if any is undecided, else `ok`."""
    statuses = {f.status for f in findings}
    if "violation" in statuses:
        return "violation"
    return "unknown" if "unknown" in statuses else "ok"


def default_from(dataset: Dataset) -> dt.date | None:
    """The earliest start of an audited appointment (the default --from)."""
    starts = [a.start for a in dataset.appointments if a.kind in AUDITED_KINDS]
    return min(starts) if starts else None


def unit_and_descendants(dataset: Dataset, unit_id: str) -> set[str]:
    """The unit and every unit below it through `units.parent`."""
    if unit_id not in dataset.unit_by_id:
        near = closest(unit_id, dataset.unit_by_id, n=3)
        raise UnknownIdError("đơn vị / unit", unit_id, near)
    children: dict[str, list[str]] = {}
    for u in dataset.units:
        if u.parent is not None:
            children.setdefault(u.parent, []).append(u.id)
    found = {unit_id}
    stack = [unit_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:  # a cycle in the data must not loop forever
                found.add(child)
                stack.append(child)
    return found


def select(dataset: Dataset, date_from: dt.date, date_to: dt.date, unit: str | None = None,
           person: str | None = None, check_ids: bool = True) -> list[Appointment]:
    """Audited appointments starting in [date_from, date_to], filtered by unit subtree and person.

    `check_ids=False` (a chunk of a streamed dataset, which holds only some of the people): a person not
    in `dataset` has no appointment here rather than being unknown."""
    if check_ids and person is not None and person not in dataset.person_by_id:
        near = closest(person, dataset.person_by_id, n=3)
        raise UnknownIdError("người / person", person, near)
    units = unit_and_descendants(dataset, unit) if unit is not None else None
    chosen = []
    for a in dataset.appointments:
        if a.kind not in AUDITED_KINDS or not date_from <= a.start <= date_to:
            continue
        if person is not None and a.person != person:
            continue
        post = dataset.position_by_id.get(a.position)
        if units is not None and (post is None or post.unit not in units):
            continue
        chosen.append(a)
    return sorted(chosen, key=lambda a: (a.start, a.person, a.position))


def _dossier_rules(evaluator: Evaluator) -> set[str]:
    """Ids of the rules whose facts use the dossier date (the age rules, AGE-*)."""
    return {r.rule.id for r in evaluator.rules
            if r.rule.id.startswith("AGE-") or any(f.name in DOSSIER_FACTS for f in rule_facts(r))}


def note_dossier(findings: list[Finding], dossier: tuple[dt.date, str], rule_ids: set[str], lang: str) -> None:
    """Say on the age findings which date stood in for the missing `submitted`."""
    texts = _FIELD_NOTES.get(dossier[1])
    if texts is None:
        return
    text = texts[0] if lang == "vi" else texts[1]
    when = day_text(dossier[0], lang)
    note = f"{text} ({when})"
    for f in findings:
        if f.rule in rule_ids or f.rule.startswith("AGE-"):
            f.details.append(note)
            f.explanation += f" — {note}"


def audit(evaluator: Evaluator, dataset: Dataset, date_from: dt.date | None, date_to: dt.date | None,
          unit: str | None = None, person: str | None = None) -> AuditReport:
    """Check every appointment of the period against the rules in force on its own date.

    `date_from` defaults to the earliest audited appointment, `date_to` to the dataset's as-of date.
    Only bổ nhiệm, bổ nhiệm lại and bầu cử are audited; điều động and luân chuyển are not
    appointments with preconditions to check. An unknown `unit` or `person` raises UnknownIdError.
    """
    day_to = date_to or dataset.as_of()
    day_from = date_from or default_from(dataset) or day_to
    chosen = select(dataset, day_from, day_to, unit, person)
    names = {u.id: u.name for u in dataset.units}
    return AuditReport(day_from, day_to, unit, person, audit_appointments(evaluator, dataset, chosen), names)


def audit_appointments(evaluator: Evaluator, dataset: Dataset, chosen: list[Appointment]) -> list[AuditedAppointment]:
    """Each chosen appointment judged by the rules in force on its own day, in the order given."""
    dossier_rules = _dossier_rules(evaluator)
    by_cid: dict[str, list[Finding]] = {}
    for offset in range(0, len(chosen), BATCH):
        contexts = [evaluator.appointment_context(a, cid=f"a{offset + i}")
                    for i, a in enumerate(chosen[offset:offset + BATCH])]
        for finding in evaluator.evaluate(contexts):
            by_cid.setdefault(finding.context, []).append(finding)
    items = []
    for index, a in enumerate(chosen):
        findings = by_cid.get(f"a{index}", [])
        dossier = a.dossier_date()
        note_dossier(findings, dossier, dossier_rules, evaluator.lang)
        post = dataset.position_by_id.get(a.position)
        items.append(AuditedAppointment(a, dataset.person_by_id[a.person].full_name, post.unit if post else "",
                                        appointment_status(findings), findings, dossier))
    return items


__all__ = ["AUDITED_KINDS", "STATUSES", "AuditReport", "AuditTotals", "AuditedAppointment", "Tally",
           "appointment_status", "audit", "audit_appointments", "default_from", "note_dossier", "report_json",
           "report_sections", "select", "totals_of", "unit_and_descendants"]
