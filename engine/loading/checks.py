"""Checks across rows and tables, run once every row has been validated on its own.

Unique ids, references that resolve, dates in order, one holder per post per day, one rating per
person and year, no credential completed after the evaluation date (shared/spec/data.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from engine.errors import Problem
from engine.loading.messages import did_you_mean, shown
from engine.loading.tables import Entry

Tables = Mapping[str, Sequence[Entry]]

# (table, field) -> table whose ids the field names.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("units", "parent", "units"),
    ("positions", "unit", "units"),
    ("positions", "reports_to", "positions"),
    ("people", "unit", "units"),
    ("credentials", "person", "people"),
    ("appointments", "person", "people"),
    ("appointments", "position", "positions"),
    ("plans", "person", "people"),
    ("plans", "position", "positions"),
    ("ratings", "person", "people"),
    ("disciplines", "person", "people"),
    ("quotas", "unit", "units"),
)
ID_TABLES = ("units", "positions", "people", "courses")
# (table, field, field that may not be earlier)
ORDERED_DATES: tuple[tuple[str, str, str], ...] = (
    ("appointments", "start", "end"),
    ("courses", "start", "end"),
    ("plans", "approved", "removed"),
    ("disciplines", "effective", "ends"),
)


def _get(entry: Entry, name: str) -> Any:
    return getattr(entry.row, name)


def _at(entry: Entry) -> str:
    return f"{entry.location.file}:{entry.location.line}"


def _problem(entry: Entry, name: str | None, message: str, value: object = None) -> Problem:
    line = entry.line_of(name) if name else entry.location.line
    return Problem(entry.location.file, line, name, message, shown(value))


def unique_ids(tables: Tables) -> Iterator[Problem]:
    for table in ID_TABLES:
        first: dict[str, Entry] = {}
        for entry in tables.get(table, ()):
            key = _get(entry, "id")
            if key in first:
                message = f"mã trùng / duplicate id in {table}, first at {_at(first[key])}"
                yield _problem(entry, "id", message, key)
            else:
                first[key] = entry


def references(tables: Tables, known: Mapping[str, set[str] | None]) -> Iterator[Problem]:
    """Every reference names a row of the target table (or one that failed and is already reported).

    `known[table]` is None when the table could not be read at all: its ids are unknown, and
    reporting every reference to it would bury the one problem that matters.
    """
    for table, name, target in REFERENCES:
        ids = known.get(target, set())
        if ids is None:
            continue
        valid = sorted({_get(e, "id") for e in tables.get(target, ())})
        for entry in tables.get(table, ()):
            value = _get(entry, name)
            if value is None or value in ids:
                continue
            yield _problem(entry, name, f"không có mã này trong {target} / no such id in {target}"
                           + did_you_mean(value, valid), value)


def cycles(tables: Tables) -> Iterator[Problem]:
    """A unit may not be its own ancestor, nor a post report to itself through others."""
    for table, name in (("units", "parent"), ("positions", "reports_to")):
        up = {_get(e, "id"): _get(e, name) for e in tables.get(table, ())}
        reported: set[str] = set()
        for entry in tables.get(table, ()):
            start = _get(entry, "id")
            if start in reported:
                continue
            seen = [start]
            current = up.get(start)
            while current is not None and current not in seen and current not in reported:
                seen.append(current)
                current = up.get(current)
            if current == start:
                reported.update(seen)
                yield _problem(entry, name, f"vòng lặp / cycle: {' → '.join([*seen, start])}", start)


def ordered_dates(tables: Tables) -> Iterator[Problem]:
    for table, earlier, later in ORDERED_DATES:
        for entry in tables.get(table, ()):
            first, second = _get(entry, earlier), _get(entry, later)
            if first is not None and second is not None and second < first:
                message = f"{later} trước {earlier} / {later} is before {earlier} {first.isoformat()}"
                yield _problem(entry, later, message, second)


def _overlap_day(a: Entry, b: Entry) -> dt.date | None:
    """The first day two appointments both run, or None.

    `end` is the day the post passes on, so a successor starting on the predecessor's end date is a
    handover, not an overlap; an appointment without `end` runs on.
    """
    a_start, a_end = _get(a, "start"), _get(a, "end")
    b_start, b_end = _get(b, "start"), _get(b, "end")
    later = max(a_start, b_start)
    if (a_end is None or later < a_end) and (b_end is None or later < b_end):
        return later  # type: ignore[no-any-return]
    return None


def one_holder_per_post(tables: Tables) -> Iterator[Problem]:
    """A post is held by one person on any day, and a person does not hold the same post twice at once."""
    by_position: dict[str, list[Entry]] = defaultdict(list)
    for entry in tables.get("appointments", ()):
        by_position[_get(entry, "position")].append(entry)
    for position, entries in by_position.items():
        entries.sort(key=lambda e: _get(e, "start"))
        for index, entry in enumerate(entries):
            for earlier in entries[:index]:
                day = _overlap_day(earlier, entry)
                if day is None:
                    continue
                other = _get(earlier, "person")
                if other == _get(entry, "person"):
                    message = (f"{other} giữ chức vụ {position} hai lần cùng lúc / holds post {position}"
                               f" twice at once from {day.isoformat()}, see {_at(earlier)}")
                else:
                    message = (f"chức vụ {position} có hai người giữ cùng ngày / post {position} is also"
                               f" held by {other} on {day.isoformat()} ({_at(earlier)})")
                yield _problem(entry, "start", message, _get(entry, "person"))
                break


def one_rating_per_year(tables: Tables) -> Iterator[Problem]:
    first: dict[tuple[str, int], Entry] = {}
    for entry in tables.get("ratings", ()):
        key = (_get(entry, "person"), _get(entry, "year"))
        if key in first:
            yield _problem(entry, "year", f"{key[0]} đã có xếp loại năm {key[1]} / already rated for {key[1]}"
                           f" at {_at(first[key])}", key[1])
        else:
            first[key] = entry


def not_after(as_of: dt.date) -> Callable[[Tables], Iterator[Problem]]:
    def credentials_by_then(tables: Tables) -> Iterator[Problem]:
        for entry in tables.get("credentials", ()):
            completed = _get(entry, "completed")
            if completed > as_of:
                yield _problem(entry, "completed", f"ngày hoàn thành sau ngày đánh giá / completed after the"
                               f" evaluation date {as_of.isoformat()}", completed)

    return credentials_by_then


def grade_since_needs_grade(tables: Tables) -> Iterator[Problem]:
    for entry in tables.get("people", ()):
        if _get(entry, "grade_since") is not None and _get(entry, "grade") is None:
            yield _problem(entry, "grade_since", "có ngày bổ nhiệm ngạch nhưng thiếu ngạch / grade_since"
                           " without grade", _get(entry, "grade_since"))


def cross_check(tables: Tables, known: Mapping[str, set[str] | None], as_of: dt.date) -> list[Problem]:
    """Every cross-table problem. `known` holds, per table, the ids written in it, valid or not."""
    checks: list[Callable[[Tables], Iterator[Problem]]] = [
        unique_ids,
        lambda t: references(t, known),
        cycles,
        ordered_dates,
        one_holder_per_post,
        one_rating_per_year,
        not_after(as_of),
        grade_since_needs_grade,
    ]
    return [problem for check in checks for problem in check(tables)]
