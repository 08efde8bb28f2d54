"""A loaded, validated dataset: the tables plus indexes by id and by person."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from engine.dates import resolve_as_of
from engine.errors import Problem
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
from engine.precision import is_range, partial_dates_made


@dataclass(frozen=True, slots=True)
class Location:
    """Where a row was read: file and line, and the line of each of its fields."""

    file: str
    line: int | None


# Stands for "no line" in a table's array of lines.
NO_LINE = -(2**63)


class Locations(MutableMapping[tuple[str, int], Location]):
    """(table, index in table) -> where the row came from, as a dict of them would say.

    Stored compactly — the file once per table and one machine integer per row — since a large
    dataset has a row location for each of its hundreds of thousands of rows.
    """

    def __init__(self, items: dict[tuple[str, int], Location] | None = None) -> None:
        self._tables: dict[str, tuple[str, array[int]]] = {}
        self._other: dict[tuple[str, int], Location] = dict(items or {})  # set one by one

    def add_table(self, table: str, file: str, lines: array[int]) -> None:
        """Rows 0, 1, ... of `table` come from `file`, at `lines` (NO_LINE where none is known)."""
        for key in [key for key in self._other if key[0] == table]:
            del self._other[key]
        self._tables[table] = (file, lines)

    def _in_table(self, key: tuple[str, int]) -> tuple[str, int] | None:
        entry = self._tables.get(key[0]) if isinstance(key, tuple) and len(key) == 2 else None
        if entry is None or not isinstance(key[1], int) or not 0 <= key[1] < len(entry[1]):
            return None
        file, lines = entry
        return file, lines[key[1]]

    def __getitem__(self, key: tuple[str, int]) -> Location:
        if key in self._other:
            return self._other[key]
        found = self._in_table(key)
        if found is None:
            raise KeyError(key)
        file, line = found
        return Location(file, None if line == NO_LINE else line)

    def __setitem__(self, key: tuple[str, int], value: Location) -> None:
        self._other[key] = value

    def __delitem__(self, key: tuple[str, int]) -> None:
        if key in self._other:
            del self._other[key]
        elif self._in_table(key) is not None:
            raise TypeError("a location read with its table cannot be deleted alone")
        else:
            raise KeyError(key)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        for table, (_, lines) in self._tables.items():
            yield from ((table, index) for index in range(len(lines)))
        yield from (key for key in self._other if self._in_table(key) is None)

    def __len__(self) -> int:
        return sum(len(lines) for _, lines in self._tables.values()) + sum(
            1 for key in self._other if self._in_table(key) is None)

    def __repr__(self) -> str:
        return f"Locations({len(self)} rows)"


# Per-person tables of PersonRecords -> the date each is sorted by.
_BY_DATE: dict[str, Callable[[Any], Any]] = {
    "credentials": attrgetter("completed"),
    "appointments": attrgetter("start"),
    "plans": attrgetter("approved"),
    "ratings": attrgetter("year"),
    "disciplines": attrgetter("effective"),
}


@dataclass
class Dataset:
    """A loaded, checked dataset: the manifest, every table's rows, and indexes by id and by person."""

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
    locations: MutableMapping[tuple[str, int], Location] = field(default_factory=Locations)
    # Files of the folder that are no table and were not read (README.md, notes): told, never an error.
    ignored: list[str] = field(default_factory=list)
    # Problems that do not stop the load (a same-day handover, engine.loading.checks.same_day_handovers).
    warnings: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the indexes from the tables (after changing them)."""
        self.unit_by_id = {u.id: u for u in self.units}
        self.position_by_id = {p.id: p for p in self.positions}
        self.person_by_id = {p.id: p for p in self.people}
        self.course_by_id = {c.id: c for c in self.courses}
        # table -> person -> that person's rows, in the order records() gives them.
        by_person: dict[str, dict[str, list[Any]]] = {}
        for name, key in _BY_DATE.items():
            groups: dict[str, list[Any]] = {}
            for row in getattr(self, name):
                group = groups.get(row.person)
                if group is None:
                    groups[row.person] = [row]
                else:
                    group.append(row)
            for group in groups.values():
                if len(group) > 1:
                    group.sort(key=key)  # stable: rows of one date keep the table's order
            by_person[name] = groups
        self._by_person = by_person
        self.partial_people = partial_people(self) if partial_dates_made() else frozenset()

    def as_of(self, override: dt.date | None = None) -> dt.date:
        """The evaluation date: `override`, else the manifest's, else today (engine.dates.resolve_as_of)."""
        return resolve_as_of(override, self.manifest.as_of)

    def has_posts(self, person_id: str) -> bool:
        """Whether the person has any appointment or succession plan row (else no post to evaluate),
        without building their records."""
        rows = self._by_person
        return person_id in rows["appointments"] or person_id in rows["plans"]

    def records(self, person_id: str) -> PersonRecords:
        """Everything recorded about one person, each table's rows of them in date order."""
        person = self.person_by_id[person_id]
        rows = self._by_person
        none: Sequence[Any] = ()
        return PersonRecords(
            person=person,
            credentials=list(rows["credentials"].get(person_id, none)),
            appointments=list(rows["appointments"].get(person_id, none)),
            plans=list(rows["plans"].get(person_id, none)),
            ratings=list(rows["ratings"].get(person_id, none)),
            disciplines=list(rows["disciplines"].get(person_id, none)),
        )


# Per-person tables -> their date fields that may hold a range (engine.precision; docs/data.md).
PARTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("birth_date", "service_start", "party_member_since", "grade_since", "retired",
               "party_official_since"),
    "credentials": ("completed",),
    "appointments": ("start", "decided", "submitted"),
    "plans": ("approved", "removed"),
    "disciplines": ("effective", "ends"),
}


def partial_people(dataset: Dataset) -> frozenset[str]:
    """The people with a date known only to its month or year (a range), whom the evaluator evaluates at
    both ends (engine.evaluation.ends)."""
    found: set[str] = set()
    for table, names in PARTIAL_FIELDS.items():
        key = "id" if table == "people" else "person"
        for row in getattr(dataset, table):
            if any(is_range(getattr(row, name)) for name in names):
                found.add(getattr(row, key))
    return frozenset(found)


@dataclass(frozen=True)
class PersonRecords:
    """Everything recorded about one person, each list sorted by date."""

    person: Person
    credentials: list[Credential]
    appointments: list[Appointment]
    plans: list[Plan]
    ratings: list[RatingRow]
    disciplines: list[Discipline]
