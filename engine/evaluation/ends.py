"""Both ends of a partial date: a person whose records hold a month or a year is evaluated at the ends.

A date known only to its month ("03/2015") or year ("1975") is a range of days (engine.precision). Every
fact the rules read is computed in Python from dates (months in post, age, months to retirement,
discipline windows, "before the appointment", the version in force), so the rules' outcomes are
computed with the partial dates of a context at the low end (first days: the values as loaded) and at
the high end (last days). Where a context has partial dates both in its own event (the appointment
judged, the plan) and in the rest of the records, the two mixed corners are evaluated too, since a
count between an event date and a history date is largest with one low and the other high. An outcome
that is the same at every corner is the outcome; one that differs becomes `unknown`, naming the
partial fields whose range changes it (each field moved alone to its high end, or all of them when no
single one does) and saying "chỉ có tháng/năm" (or "chỉ có năm").

Only contexts of people with partial dates (Dataset.partial_people) pay: day-precision data is
evaluated once, exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any, Protocol

from engine.dataset import PARTIAL_FIELDS, Dataset, PersonRecords
from engine.evaluation.derive import Context
from engine.precision import YEAR, HighEnd, PartialDate, is_range
from engine.rules.backend import Backend, ContextInput
from engine.rules.compiled import ConcreteRule


class Evaluator(Protocol):
    """What this module takes of engine.evaluation.evaluator.Evaluator (which calls it)."""

    dataset: Dataset
    by_key: dict[str, ConcreteRule]
    backend: Backend

    def prepare(self, context: Context) -> ContextInput:
        """A context as the backend takes it."""

# Key of a context's derived values: rule key -> the partial fields (ImpreciseField) that made it unknown.
IMPRECISE = "imprecise"
Fired = list[tuple[str, str, str]]

_LISTS = {"credentials": attrgetter("completed"), "appointments": attrgetter("start"),
          "plans": attrgetter("approved"), "disciplines": attrgetter("effective")}


@dataclass(frozen=True)
class ImpreciseField:
    """A date field of a record given only to its month or year: `table.field` and its value as given."""

    field: str
    value: PartialDate

    def to_json(self) -> dict[str, str]:
        """The field and its value as given (ISO: "2015-03", "1975")."""
        return {"field": self.field, "value": self.value.isoformat(), "precision": self.value.precision}

    def text(self, lang: str) -> str:
        """"ngày bắt đầu (quá trình bổ nhiệm) 03/2015 chỉ có tháng/năm" and the English of it."""
        from engine.labels import field_label

        label = field_label(self.field, lang)
        year = self.value.precision == YEAR
        if lang == "vi":
            return f"{label} {self.value.text(lang)} chỉ có {'năm' if year else 'tháng/năm'}"
        return f"{label} {self.value.text(lang)} is known only to the {'year' if year else 'month'}"


@dataclass(frozen=True)
class _Field:
    row: Any
    name: str
    value: PartialDate
    table: str
    event: bool  # a date of the context's own event (its appointment or plan)


def range_fields(context: Context) -> list[_Field]:
    """The partial dates (ranges) of a context's records, in table and row order."""
    rec = context.records
    own = (context.appointment, context.plan)
    out = []
    rows: list[tuple[str, Sequence[Any]]] = [("people", [rec.person]), ("credentials", rec.credentials),
                                             ("appointments", rec.appointments), ("plans", rec.plans),
                                             ("disciplines", rec.disciplines)]
    for table, items in rows:
        names = PARTIAL_FIELDS[table]
        for row in items:
            for name in names:
                value = getattr(row, name)
                if is_range(value):
                    out.append(_Field(row, name, value, table, any(row is o for o in own if o is not None)))
    return out


def materialise(context: Context, fields: Sequence[_Field], cid: str) -> Context:
    """`context` with each of `fields` at the high end of its range (HighEnd), under the id `cid`."""
    updates: dict[int, tuple[Any, dict[str, HighEnd]]] = {}
    days: dict[int, HighEnd] = {}
    for f in fields:
        high = HighEnd.of(f.value)
        updates.setdefault(id(f.row), (f.row, {}))[1][f.name] = high
        days[id(f.value)] = high
    rows = {key: row.model_copy(update=update) for key, (row, update) in updates.items()}

    def swap(row: Any) -> Any:
        return rows.get(id(row), row) if row is not None else None

    def day(value: Any) -> Any:
        return days.get(id(value), value) if value is not None else None

    rec = context.records
    lists = {name: sorted((swap(r) for r in getattr(rec, name)), key=key) for name, key in _LISTS.items()}
    records = PersonRecords(person=swap(rec.person), ratings=rec.ratings, **lists)
    dossier = (day(context.dossier[0]), context.dossier[1]) if context.dossier else None
    return replace(context, cid=cid, records=records, as_of=day(context.as_of), event_date=day(context.event_date),
                   dossier=dossier, appointment=swap(context.appointment), plan=swap(context.plan))


def _corners(fields: list[_Field]) -> list[list[_Field]]:
    """The sets of fields moved to their high end: all, and the two mixed corners when both kinds exist."""
    corners = [fields]
    event = [f for f in fields if f.event]
    if event and len(event) < len(fields):
        corners += [event, [f for f in fields if not f.event]]
    return corners


def _grouped(ev: Evaluator, fired: Fired) -> dict[str, dict[tuple[str, str | None], tuple[str, str]]]:
    """cid -> (rule id, variant) -> (rule key, outcome)."""
    out: dict[str, dict[tuple[str, str | None], tuple[str, str]]] = {}
    for cid, key, outcome in fired:
        rule = ev.by_key[key]
        out.setdefault(cid, {})[(rule.rule.id, rule.variant.key if rule.variant else None)] = (key, outcome)
    return out


def _outcome(found: dict[tuple[str, str | None], tuple[str, str]], rule: tuple[str, str | None]) -> str | None:
    entry = found.get(rule)
    return entry[1] if entry else None


def _run(ev: Evaluator, contexts: list[Context]) -> Fired:
    prepared: list[ContextInput] = [ev.prepare(c) for c in contexts]
    return ev.backend.evaluate(prepared) if prepared else []


def merge_ends(ev: Evaluator, contexts: Sequence[Context], prepared: Sequence[ContextInput], fired: Fired) -> Fired:
    """`fired` (the outcomes of `contexts` as loaded: partial dates at their low end) merged with the other
    ends of the contexts with partial dates: an outcome that differs between ends is `unknown`, and the
    context's derived values (`prepared`) name the partial fields under IMPRECISE."""
    partial = ev.dataset.partial_people
    todo = [(c, range_fields(c)) for c in contexts if c.records.person.id in partial]
    todo = [(c, fields) for c, fields in todo if fields]
    if not todo:
        return fired
    variants: list[Context] = []
    for c, fields in todo:
        variants.extend(materialise(c, corner, f"{c.cid}.e{n}") for n, corner in enumerate(_corners(fields)))
    base = _grouped(ev, fired)
    others = _grouped(ev, _run(ev, variants))
    changed: dict[str, dict[tuple[str, str | None], str]] = {}  # cid -> rule -> key made unknown
    for c, fields in todo:
        mine = base.get(c.cid, {})
        corners = [others.get(f"{c.cid}.e{n}", {}) for n in range(len(_corners(fields)))]
        for rule in {*mine, *(r for corner in corners for r in corner)}:
            seen = [mine.get(rule)] + [corner.get(rule) for corner in corners]
            # the same outcome is the answer, even under another version of the rule (both say "met")
            if all((s and s[1]) == (seen[0] and seen[0][1]) for s in seen):
                continue
            key = next(s[0] for s in seen if s is not None)
            changed.setdefault(c.cid, {})[rule] = key
    if not changed:
        return fired
    _name_fields(ev, todo, changed, base, prepared)
    out: Fired = []
    for cid, key, outcome in fired:
        concrete = ev.by_key[key]
        ref = (concrete.rule.id, concrete.variant.key if concrete.variant else None)
        if ref in changed.get(cid, {}):
            changed[cid].pop(ref)
            outcome = "unknown"
        out.append((cid, key, outcome))
    out.extend((cid, key, "unknown") for cid, rules in changed.items() for key in rules.values())
    return out


def _name_fields(ev: Evaluator, todo: list[tuple[Context, list[_Field]]],
                 changed: dict[str, dict[tuple[str, str | None], str]],
                 base: dict[str, dict[tuple[str, str | None], tuple[str, str]]],
                 prepared: Sequence[ContextInput]) -> None:
    """Under IMPRECISE in each changed context's values: rule key -> the partial fields whose range alone
    changes the outcome (each moved alone to its high end), else all the context's partial fields."""
    values = {p[0]: p[3] for p in prepared}
    alone: list[Context] = []
    for c, fields in todo:
        if c.cid in changed and len(fields) > 1:
            alone.extend(materialise(c, [f], f"{c.cid}.f{i}") for i, f in enumerate(fields))
    singles = _grouped(ev, _run(ev, alone))
    for c, fields in todo:
        rules = changed.get(c.cid)
        if not rules:
            continue
        named: dict[str, list[ImpreciseField]] = values[c.cid].setdefault(IMPRECISE, {})
        mine = base.get(c.cid, {})
        for rule, key in rules.items():
            moving = [f for i, f in enumerate(fields)
                      if len(fields) == 1 or _outcome(singles.get(f"{c.cid}.f{i}", {}), rule) != _outcome(mine, rule)]
            named[key] = [ImpreciseField(f"{f.table}.{f.name}", f.value) for f in moving or fields]


__all__ = ["IMPRECISE", "ImpreciseField", "materialise", "merge_ends", "range_fields"]
