"""A loaded, validated dataset: the tables plus indexes by id and by person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.model import (
    Appointment,
    Course,
    Credential,
    Discipline,
    Manifest,
    Person,
    Plan,
    Position,
    Quota,
    RatingRow,
    Unit,
)


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None


@dataclass
class Dataset:
    manifest: Manifest
    root: Path
    units: list[Unit] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    ratings: list[RatingRow] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    # (table, index in table) -> where the row came from, for messages.
    locations: dict[tuple[str, int], Location] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self.unit_by_id = {u.id: u for u in self.units}
        self.position_by_id = {p.id: p for p in self.positions}
        self.person_by_id = {p.id: p for p in self.people}
        self.course_by_id = {c.id: c for c in self.courses}
        by_person: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        for name in ("credentials", "appointments", "plans", "ratings", "disciplines"):
            for row in getattr(self, name):
                by_person[row.person][name].append(row)
        self._by_person = by_person

    def as_of(self, override: dt.date | None = None) -> dt.date:
        return override or self.manifest.as_of or dt.date.today()

    def records(self, person_id: str) -> PersonRecords:
        rows: Any = self._by_person.get(person_id, {})
        return PersonRecords(
            person=self.person_by_id[person_id],
            credentials=sorted(rows.get("credentials", []), key=lambda r: r.completed),
            appointments=sorted(rows.get("appointments", []), key=lambda r: r.start),
            plans=sorted(rows.get("plans", []), key=lambda r: r.approved),
            ratings=sorted(rows.get("ratings", []), key=lambda r: r.year),
            disciplines=sorted(rows.get("disciplines", []), key=lambda r: r.effective),
        )


@dataclass(frozen=True)
class PersonRecords:
    """Everything recorded about one person, each list sorted by date."""

    person: Person
    credentials: list[Credential]
    appointments: list[Appointment]
    plans: list[Plan]
    ratings: list[RatingRow]
    disciplines: list[Discipline]
