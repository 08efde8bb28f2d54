"""A province's plan targets as data (issue 17): `targets.yaml` in a rule pack, each target a share of a
group of people (or of the group's appointments) that must meet a measure by a year or every year, cited
to the plan that sets it. Measured here against a dataset as of a date: the value, the gap, met or not,
per unit (the sở or commune), with the people counted in the numerator and the denominator. A target
the dataset cannot measure says which data are missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.audit_summary import group_of
from engine.dataset import Dataset
from engine.errors import InputError, Problem
from engine.model import Person
from engine.rules.rulebook import Rulebook
from engine.rules.schema import Source
from engine.yamlio import error_line, line_at, load_path

TARGETS_FILE = "targets.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Strict):
    """Who the target counts. Post filters apply to the posts held on the day (and, with `planned`, the
    posts the person is planned for); a person is in the group when one post passes every post filter."""

    categories: list[str] = Field(default_factory=list)  # category codes; empty: all
    managed_by: list[str] = Field(default_factory=list)
    min_tier: str | None = None  # the post's tier is this or higher (codes.TIER order)
    unit_names: list[str] = Field(default_factory=list)  # the post's unit name contains one of these
    unit_level: str | None = None  # the person's unit is of this level (xa: commune civil servants)
    planned: bool = False
    max_age: int | None = None  # age on the day, in whole years


class Measure(_Strict):
    """What a member must have: a foreign-language level, a credential of one of `programmes` (completed
    in the year with `yearly`, else by the day), or, with `appointments`, the group's appointments of the
    year each lawful (audited by the rules of its own day)."""

    foreign_language_min: int | None = Field(default=None, ge=1, le=6)
    programmes: list[str] = Field(default_factory=list)
    appointments: bool = False


class Target(_Strict):
    """A target of a province's plan: a share of a group meeting a measure, cited to the plan."""

    id: str
    title_vi: str
    title: str
    group_vi: str  # the group as the plan names it (the appendix's "Đối tượng")
    group: Group = Field(default_factory=Group)
    measure: Measure
    share: float = Field(gt=0, le=1)
    by: int | None = None  # the year by which the share must be reached; None with `yearly`
    yearly: bool = False
    appendix: Literal["ngoai-ngu"] | None = None  # the appendix table that lists it
    source: Source
    text_vi: str


@dataclass
class TargetResult:
    """A target measured in one year: its numerator and denominator, and what the data lack."""

    target: Target
    year: int
    members: list[str]  # the denominator (people, or appointments "person@post@date" with `appointments`)
    meeting: list[str]  # the numerator
    unknown: list[str] = field(default_factory=list)  # members the data cannot decide
    missing: list[str] = field(default_factory=list)  # what the data lack to measure the target at all
    by_unit: list[tuple[str, int, int]] = field(default_factory=list)  # (group unit, meeting, members)

    @property
    def value(self) -> float | None:
        """Share of the members meeting the measure (None when it cannot be measured)."""
        return round(len(self.meeting) / len(self.members), 4) if self.members and not self.missing else None

    @property
    def gap(self) -> int | None:
        """People (or appointments) still needed to reach the share; 0 when met."""
        if self.value is None:
            return None
        needed = -(-round(self.target.share * len(self.members) * 10_000) // 10_000)  # ceil without float noise
        return max(0, needed - len(self.meeting))

    @property
    def met(self) -> bool | None:
        """Whether the share is reached (None when it cannot be measured)."""
        return None if self.value is None else self.value >= self.target.share

    @property
    def due(self) -> bool:
        """Whether the target applies to this year (every year, or its `by` year reached)."""
        return self.target.yearly or self.target.by is None or self.year >= self.target.by


def load_targets(book: Rulebook) -> list[Target]:
    """The targets of the book's packs, in pack order; every problem named by file and line."""
    out: list[Target] = []
    problems: list[Problem] = []
    for pack in book.packs:
        path = Path(book.root) / pack / TARGETS_FILE
        if path.is_file():
            out += _read(path, book, problems)
    if problems:
        raise InputError(problems)
    return out


def _read(path: Path, book: Rulebook, problems: list[Problem]) -> list[Target]:
    name = str(path.relative_to(book.root))
    try:
        data = load_path(path)
    except yaml.YAMLError as exc:
        problems.append(Problem(name, error_line(exc), None, f"not valid YAML: {exc}"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(name, 1, None, "must be a list of targets"))
        return []
    out = []
    for index, raw in enumerate(data):
        try:
            target = Target.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                problems.append(Problem(name, line_at(data, (index, *loc)), ".".join(map(str, loc)), error["msg"]))
            continue
        if target.source.instrument not in book.sources:
            problems.append(Problem(name, line_at(data, (index, "source")), "source.instrument",
                                    "unknown instrument (rulesets/sources.yaml)", target.source.instrument))
        unknown = [p for p in target.measure.programmes if p not in book.programmes]
        if unknown:
            problems.append(Problem(name, line_at(data, (index, "measure")), "measure.programmes",
                                    "unknown programme code", ", ".join(unknown)))
        out.append(target)
    return out


def _age(person: Person, day: dt.date) -> int:
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _posts(dataset: Dataset, person: Person, day: dt.date, planned: bool) -> list[str]:
    records = dataset.records(person.id)
    held = [a.position for a in records.appointments if a.start <= day and (a.end is None or a.end > day)]
    if planned:
        held += [p.position for p in records.plans if p.approved <= day and (p.removed is None or p.removed > day)]
    return held


def _post_passes(dataset: Dataset, group: Group, post_id: str, tiers: list[str]) -> bool:
    post = dataset.position_by_id.get(post_id)
    if post is None:
        return False
    if group.managed_by and post.managed_by not in group.managed_by:
        return False
    if group.min_tier is not None and tiers.index(post.tier) < tiers.index(group.min_tier):
        return False
    unit = dataset.unit_by_id.get(post.unit)
    return not group.unit_names or (unit is not None and any(n.lower() in unit.name.lower() for n in group.unit_names))


def members(dataset: Dataset, group: Group, day: dt.date, tiers: list[str]) -> list[Person]:
    """The people of the group on `day` (in service, not retired)."""
    post_filters = bool(group.managed_by or group.min_tier or group.unit_names)
    out = []
    for person in dataset.people:
        if person.retired is not None and person.retired <= day:
            continue
        if group.categories and person.category not in group.categories:
            continue
        if group.max_age is not None and _age(person, day) > group.max_age:
            continue
        unit = dataset.unit_by_id.get(person.unit)
        if group.unit_level is not None and (unit is None or unit.level != group.unit_level):
            continue
        if post_filters and not any(_post_passes(dataset, group, p, tiers)
                                    for p in _posts(dataset, person, day, group.planned)):
            continue
        out.append(person)
    return out


AppointmentsOk = Callable[[int], list[tuple[str, str, dt.date, str]]]  # year -> (person, post, start, status)


def measure(target: Target, dataset: Dataset, year: int, day: dt.date, tiers: list[str],
            appointments: AppointmentsOk) -> TargetResult:
    """`target` in `year`, the people taken as they are on `day`."""
    people = members(dataset, target.group, day, tiers)
    result = TargetResult(target, year, [], [])
    unit_of: dict[str, str] = {}
    if target.measure.appointments:
        ids = {p.id for p in people} if (target.group != Group()) else None
        for person_id, post, start, status in appointments(year):
            if ids is not None and person_id not in ids:
                continue
            key = f"{person_id}@{post}@{start.isoformat()}"
            result.members.append(key)
            unit_of[key] = dataset.person_by_id[person_id].unit
            if status == "ok":
                result.meeting.append(key)
            elif status == "unknown":
                result.unknown.append(key)
        if not result.members:
            result.missing.append(f"appointments of {year}")
    else:
        for person in people:
            result.members.append(person.id)
            unit_of[person.id] = person.unit
            verdict = _meets(target.measure, dataset, person, year, day)
            if verdict is None:
                result.unknown.append(person.id)
            elif verdict:
                result.meeting.append(person.id)
        if target.measure.foreign_language_min is not None and people and len(result.unknown) == len(people):
            result.missing.append("people.foreign_language_level")
        m = target.measure
        if m.foreign_language_min is None and not m.programmes:
            result.missing.append("a programme code for this training (rule packs: programmes.yaml)")
        elif m.programmes and not any(c.programme in m.programmes for c in dataset.credentials):
            result.missing.append("credentials of " + ", ".join(m.programmes))
    counts: dict[str, list[int]] = {}
    meeting = set(result.meeting)
    for key in result.members:
        cell = counts.setdefault(group_of(dataset, unit_of[key]), [0, 0])
        cell[0] += key in meeting
        cell[1] += 1
    result.by_unit = [(unit, n, total) for unit, (n, total) in counts.items()]
    return result


def _meets(m: Measure, dataset: Dataset, person: Person, year: int, day: dt.date) -> bool | None:
    if m.foreign_language_min is not None:
        level = person.foreign_language_level
        return None if level is None else level >= m.foreign_language_min
    credentials = [c for c in dataset.records(person.id).credentials if c.programme in m.programmes]
    return any(c.completed is not None and c.completed.year == year and c.completed <= day for c in credentials)


def measure_all(targets: list[Target], dataset: Dataset, year: int, day: dt.date, tiers: list[str],
                appointments: AppointmentsOk) -> list[TargetResult]:
    """Every target measured in `year` (see `measure`)."""
    return [measure(t, dataset, year, day, tiers, appointments) for t in targets]


__all__ = ["TARGETS_FILE", "Group", "Measure", "Target", "TargetResult", "load_targets", "measure", "measure_all",
           "members"]

