"""Findings: an engine outcome turned into a status with deadline, citation and explanation.

Ineligibility is a result, not an exception; so is `unknown`, which names the missing field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from engine import codes
from engine.dates import add_months, day_text
from engine.labels import code_label, field_label
from engine.rules.citation import render
from engine.rules.compiled import ConcreteRule, Cond, Tree
from engine.rules.facts import CATALOGUE
from engine.rules.oracle import eval_cond, eval_tree, unknown_facts
from engine.rules.rulebook import Rulebook

# Data fields named for unknown facts (spec: "unknown naming the field").
FIELD_OF = {name: spec.needs[0] if spec.needs else name for name, spec in CATALOGUE.items()}


@dataclass(slots=True)
class Finding:
    """One rule's result for one person and context: status, requirement, deadline, citation, explanation."""

    rule: str
    version: str
    variant: str | None
    status: str
    requirement: str
    position: str | None
    basis: str
    deadline: dt.date | None
    source: str
    strength: str
    verified: bool
    remedy: str | None
    explanation: str
    title: str
    context: str
    event_date: dt.date | None = None
    met_by: dict[str, Any] | None = None
    met_later: dt.date | None = None
    unknown_fields: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    exemption: str | None = None
    courses: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "requirement"
    trace: dict[str, Any] | None = None  # with --explain: engine.trace
    # unknown because dates given only to the month or year give different outcomes across their range:
    # engine.evaluation.ends.ImpreciseField (the field and its value as given)
    imprecise: list[Any] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The finding as the JSON output writes it."""
        out: dict[str, Any] = {
            "rule": self.rule, "version": self.version, "status": self.status, "requirement": self.requirement,
            "for": {"position": self.position, "basis": self.basis},
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "source": self.source, "strength": self.strength, "verified": self.verified,
            "remedy": self.remedy, "explanation": self.explanation, "title": self.title,
        }
        if self.variant:
            out["variant"] = self.variant
        if self.met_by:
            out["met_by"] = self.met_by
        if self.met_later:
            out["met_later"] = self.met_later.isoformat()
        if self.unknown_fields:
            out["unknown_fields"] = self.unknown_fields
        if self.details:
            out["details"] = self.details
        if self.exemption:
            out["exemption"] = self.exemption
        if self.courses:
            out["courses"] = self.courses
        if self.imprecise:
            out["imprecise_dates"] = [f.to_json() for f in self.imprecise]
        if self.trace is not None:
            out["trace"] = self.trace
        return out


def deadline_for(rule: ConcreteRule, event_date: dt.date | None, plan_approved: dt.date | None) -> dt.date | None:
    """The deadline of a rule's requirement from the event (appointment, plan approval), if it has one."""
    d = rule.deadline
    if d is None or d.kind == "none":
        return None
    if d.kind == "fixed":
        return d.on
    if d.kind == "before_event":
        return event_date
    if d.months is None:  # unconfirmed number of months: no deadline can be computed
        return None
    base = plan_approved if d.from_ == "plan_approval" else event_date
    return add_months(base, d.months) if base else None


def status_for(basis: str, outcome: str, rule: ConcreteRule, deadline: dt.date | None, as_of: dt.date) -> str:
    """The status of an outcome on a basis: met, due, overdue, pending, exempt, missing, violation or unknown."""
    if outcome in ("met", "exempt", "unknown"):
        return outcome
    if basis == "proposed" or basis == "admission":
        return "missing"
    if basis == "appointed":
        return "violation"
    if deadline is None:
        return "pending"
    return "overdue" if deadline < as_of else "due"


def _value_text(value: Any, lang: str, code_list: codes.CodeList | None = None) -> str:
    label = code_label(code_list, value, lang)
    if label is not None:
        return label
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return day_text(value, lang)
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(_value_text(v, lang, code_list) for v in value)
    return str(value)


@lru_cache(maxsize=4096)
def _day_text(day: dt.date, lang: str) -> str:
    return _value_text(day, lang)


_OPS = {"eq": "=", "ne": "≠", "in": "∈", "not_in": "∉", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥",
        "exists": "có dữ liệu"}


def failing_details(tree: Tree | None, values: dict[str, Any], lang: str) -> list[str]:
    """Human lines for the leaves that made a condition false: fact = value (required op target)."""
    if tree is None:
        return []
    if isinstance(tree, Cond):
        if eval_cond(tree, values) is not False:
            return []
        spec = CATALOGUE.get(tree.fact.name)
        label = (spec.vi if lang == "vi" else spec.en) if spec else tree.fact.key
        if tree.fact.name == "credential":
            return []
        need = "cần" if lang == "vi" else "required"
        code_list = spec.code_list if spec else None
        got = _value_text(values.get(tree.fact.key), lang, code_list)
        return [f"{label}: {got} ({need} {_OPS[tree.op]} {_value_text(tree.value, lang, code_list)})"]
    out: list[str] = []
    for item in tree.items:
        if eval_tree(item, values) is False:
            out.extend(failing_details(item, values, lang))
    return out


def requirement_label(book: Rulebook, rule: ConcreteRule, lang: str) -> str:
    if rule.requirement_is_programme:
        return book.programme_label(rule.requirement, lang)
    cond = book.conditions.get(rule.requirement)
    if cond is None:
        return rule.requirement
    return cond.label_vi if lang == "vi" else cond.label_en


def explain(book: Rulebook, rule: ConcreteRule, finding: Finding, lang: str, req: str | None = None) -> str:
    """The finding's sentence; `req` is the rule's requirement label when the caller has it already."""
    if req is None:
        req = requirement_label(book, rule, lang)
    d = finding.deadline
    vi = lang == "vi"
    dtext = _day_text(d, lang) if d else ""
    detail = f" ({'; '.join(finding.details)})" if finding.details else ""
    status = finding.status
    if status == "met":
        by = finding.met_by
        text = (f"Đã đáp ứng: {req}" if vi else f"Met: {req}")
        if by and by.get("programme") != rule.requirement:
            label = book.programme_label(by["programme"], lang)
            done = by["completed"]
            if vi and isinstance(done, str) and len(done) == 10:
                done = f"{done[8:10]}/{done[5:7]}/{done[0:4]}"  # met_by keeps the ISO date (JSON)
            text += f" (bằng {label}, {done})" if vi else f" (by {label}, {done})"
    elif status == "exempt":
        text = (f"Được miễn {req}: {finding.exemption}" if vi else f"Exempt from {req}: {finding.exemption}")
    elif status == "unknown" and finding.imprecise:
        given = "; ".join(f.text(lang) for f in finding.imprecise)
        text = (f"Chưa kết luận được về {req}: {given}, kết quả khác nhau tùy ngày (ghi đủ ngày để kết luận)"
                if vi else f"Cannot decide {req}: {given}, and the result depends on the day (give the full date)")
    elif status == "unknown":
        fields = ", ".join(field_label(name, lang) for name in finding.unknown_fields)
        text = (f"Chưa đủ dữ liệu để kết luận về {req}: thiếu {fields}" if vi
                else f"Cannot decide {req}: missing {fields}")
    elif status == "pending":
        text = (f"Chưa có {req}; phải bổ sung, văn bản chưa quy định thời hạn" if vi
                else f"{req} not yet held; required, no deadline in the law")
    elif status == "due":
        text = f"Chưa có {req}; hạn {dtext}" if vi else f"{req} not yet held; deadline {dtext}"
    elif status == "overdue":
        text = f"Chưa có {req}; đã quá hạn {dtext}" if vi else f"{req} not held; deadline {dtext} has passed"
    elif status == "missing":
        text = f"Chưa đáp ứng: {req}{detail}" if vi else f"Not met: {req}{detail}"
        detail = ""
    else:  # violation
        day = _day_text(finding.event_date, lang) if finding.event_date else ""
        text = (f"Bổ nhiệm ngày {day} khi chưa đáp ứng: {req}{detail}" if vi
                else f"Appointed on {day} without: {req}{detail}")
        detail = ""
        if finding.met_later:
            later = _day_text(finding.met_later, lang)
            text += f" — bổ sung sau, ngày {later}" if vi else f" — met only later, on {later}"
    if status in ("due", "overdue", "pending") and detail:
        text += detail
    text += " — " + (rule.rule.title_vi if vi else rule.rule.title)
    if not finding.verified:
        text += " (chưa xác minh)" if vi else " (unverified)"
    return text


def unknown_field_names(rule: ConcreteRule, values: dict[str, Any], outcome_stage: str) -> list[str]:
    trees: list[Tree | None] = [rule.applies] if outcome_stage == "applies" else [rule.requires]
    if outcome_stage == "exemptions":
        trees = [tree for _e, tree in rule.exemptions]
    names: list[str] = []
    for tree in trees:
        for key in unknown_facts(tree, values):
            if key.startswith("param:"):
                name = f"tham số {key[6:]} (chưa xác minh)"
            else:
                name = FIELD_OF.get(key.split("[", 1)[0], key)
            if name not in names:
                names.append(name)
    return names


def citation(book: Rulebook, rule: ConcreteRule, lang: str = "vi") -> str:
    """The rule's citation as people read it."""
    return render(rule.source, book.sources, lang)


__all__ = ["Finding", "citation", "codes", "deadline_for", "explain", "failing_details", "status_for"]
