"""Checks across rows and tables, run once every row has been validated on its own.

Unique ids, references that resolve, dates in order, one holder per post per day, one rating per
person and year, no credential completed after the evaluation date (docs/data.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from engine.errors import Problem
from engine.loading.messages import did_you_mean, shown
from engine.loading.tables import ParsedTable
from engine.precision import earliest, latest

Tables = Mapping[str, ParsedTable]

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
    ("people", "party_member_since", "party_official_since"),
)
_EMPTY = ParsedTable("")


def _rows(tables: Tables, table: str) -> ParsedTable:
    return tables.get(table, _EMPTY)


def _column(table: ParsedTable, name: str) -> list[Any]:
    return table.column(name)


def _at(table: ParsedTable, index: int) -> str:
    return f"{table.source}:{table.line(index)}"


def _problem(table: ParsedTable, index: int, name: str | None, message: str, value: object = None, *,
             code: str) -> Problem:
    line = table.line_of(index, name) if name else table.line(index)
    return Problem(table.source, line, name, message, shown(value), code=code)


def _repeats(keys: list[Any]) -> Iterator[tuple[int, int]]:
    """(index, index of the first) for each key equal to an earlier one."""
    if len(set(keys)) == len(keys):
        return
    first: dict[Any, int] = {}
    for index, key in enumerate(keys):
        earlier = first.setdefault(key, index)
        if earlier != index:
            yield index, earlier


def unique_ids(tables: Tables) -> Iterator[Problem]:
    """Ids given twice within a table."""
    for name in ID_TABLES:
        table = _rows(tables, name)
        keys = _column(table, "id")
        for index, earlier in _repeats(keys):
            message = f"mã trùng / duplicate id in {name}, first at {_at(table, earlier)}"
            yield _problem(table, index, "id", message, keys[index], code="duplicate-id")


def unchecked_message(count: int, source: str, column: str, target: str) -> str:
    """The one line that stands for every reference of `source`'s `column` to an unreadable `target`."""
    return (f"{count} tham chiếu từ {source} ({column}) chưa kiểm tra được / {count} reference(s) from {source}"
            f" ({column}) cannot be checked: {target} could not be read")


def references(tables: Tables, known: Mapping[str, set[str] | None], summarise: bool = True) -> Iterator[Problem]:
    """Every reference names a row of the target table (or one that failed and is already reported).

    `known[table]` is None when the table could not be read at all: its ids are unknown, and
    reporting every reference to it would bury the one problem that matters. The references to it are
    summarised instead (`summarise`), one line per referencing column, on the unreadable table's own
    file, after its problem: one cause, one message.
    """
    for name, column, target in REFERENCES:
        ids = known.get(target, set())
        if ids is None:
            table = _rows(tables, name)
            where = _rows(tables, target).source  # "": the table is missing, which its own problem says
            count = sum(1 for value in _column(table, column) if value is not None) if summarise and where else 0
            if count:
                yield Problem(where, None, None, unchecked_message(count, table.source, column, target),
                              code="table-unreadable")
            continue
        table = _rows(tables, name)
        values = _column(table, column)
        unknown = set(values)
        unknown.discard(None)
        unknown -= ids
        if not unknown:
            continue
        valid = sorted(set(_column(_rows(tables, target), "id")))
        for index in [index for index, value in enumerate(values) if value in unknown]:
            value = values[index]
            yield _problem(table, index, column, f"không có mã này trong {target} / no such id in {target}"
                           + did_you_mean(value, valid), value, code="dangling-reference")


def cycles(tables: Tables) -> Iterator[Problem]:
    """A unit may not be its own ancestor, nor a post report to itself through others.

    Linear in the rows: each id is walked up from once (a 3,000-deep chain is 3,000 steps, not 3,000²).
    Each cycle is reported once, on its member written first, going round from it.
    """
    for name, column in (("units", "parent"), ("positions", "reports_to")):
        table = _rows(tables, name)
        keys = _column(table, "id")
        up = dict(zip(keys, _column(table, column), strict=True))
        first: dict[Any, int] = {}
        for index, key in enumerate(keys):
            first.setdefault(key, index)
        done: set[Any] = set()
        found: list[tuple[int, Any]] = []
        for start in keys:
            if start in done:
                continue
            path: dict[Any, int] = {}  # the walk from `start`, in order
            current = start
            while current is not None and current not in done and current not in path:
                path[current] = len(path)
                current = up.get(current)
            if current is not None and current in path:
                members = list(path)[path[current]:]
                head = min(members, key=first.__getitem__)
                found.append((first[head], head))
            done.update(path)
        for index, head in sorted(found, key=lambda item: item[0]):
            ring = [head]
            current = up.get(head)
            while current != head:
                ring.append(current)
                current = up.get(current)
            yield _problem(table, index, column, f"vòng lặp / cycle: {' → '.join([*ring, head])}", head,
                           code="cycle")


def ordered_dates(tables: Tables) -> Iterator[Problem]:
    """Rows whose dates are out of order (an end before its start, a decision after it)."""
    for name, earlier, later in ORDERED_DATES:
        table = _rows(tables, name)
        pairs = zip(_column(table, earlier), _column(table, later), strict=True)
        for index, (first, second) in enumerate(pairs):
            if first is not None and second is not None and second < first:
                message = f"{later} trước {earlier} / {later} is before {earlier} {first.isoformat()}"
                yield _problem(table, index, later, message, second, code="dates-out-of-order")


def _overlap_day(a: Any, b: Any) -> dt.date | None:
    """The first day two appointments both run, or None.

    `end` is the last day the post is held (docs/data.md; law.md rule 38), so a successor starting the
    day after is the normal handover; one starting on the predecessor's `end` is a same-day handover
    (`same_day_handovers`, a warning), not an overlap. An appointment without `end` runs on. A start given
    as a month overlaps only if it does on its last day, and an `end` given as a month only if the overlap
    begins by the month's first day: only an overlap the data make certain is reported.
    """
    first, second = (a, b) if a.start <= b.start else (b, a)
    first_day: dt.date = second.start
    later = latest(first_day)
    if first.end is not None and first.end == later and first.start < later:
        return None  # same-day handover
    if (first.end is None or later <= earliest(first.end)) and (second.end is None or first_day <= second.end):
        return first_day
    return None


def same_day_handovers(tables: Tables) -> Iterator[Problem]:
    """Warnings: a post whose holder's `end` is the successor's `start` (both rows named). `end` is the
    last day held, so the record says two people held the post that day; read it as a handover."""
    table = _rows(tables, "appointments")
    rows: Any = table.rows
    by_position: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        by_position.setdefault(row.position, []).append(index)
    for position, indexes in by_position.items():
        if len(indexes) < 2:
            continue
        starts: dict[dt.date, list[int]] = {}
        for index in indexes:
            starts.setdefault(rows[index].start, []).append(index)
        for index in indexes:
            row = rows[index]
            for successor in starts.get(row.end, []) if row.end is not None else []:
                if successor != index and rows[successor].start > row.start:
                    yield _problem(table, successor, "start", (
                        f"cảnh báo: bàn giao trong ngày — chức vụ {position} kết thúc ngày {row.end.isoformat()} "
                        f"({_at(table, index)}) và bắt đầu cùng ngày; end là ngày cuối giữ chức vụ, nên ghi "
                        f"end = ngày trước / warning: same-day handover of post {position} on "
                        f"{row.end.isoformat()} ({_at(table, index)}); `end` is the last day held, write the day "
                        f"before"), rows[successor].person, code="same-day-handover")


def one_holder_per_post(tables: Tables) -> Iterator[Problem]:
    """A post is held by one person on any day, and a person does not hold the same post twice at once."""
    table = _rows(tables, "appointments")
    rows = table.rows
    by_position: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        by_position.setdefault(row.position, []).append(index)  # type: ignore[attr-defined]
    for position, indexes in by_position.items():
        if len(indexes) < 2:
            continue
        indexes.sort(key=lambda i: rows[i].start)  # type: ignore[attr-defined]
        for k, index in enumerate(indexes):
            entry: Any = rows[index]
            for earlier_index in indexes[:k]:
                earlier: Any = rows[earlier_index]
                day = _overlap_day(earlier, entry)
                if day is None:
                    continue
                other = earlier.person
                if other == entry.person:
                    message = (f"{other} giữ chức vụ {position} hai lần cùng lúc / holds post {position}"
                               f" twice at once from {day.isoformat()}, see {_at(table, earlier_index)}")
                else:
                    message = (f"chức vụ {position} có hai người giữ cùng ngày / post {position} is also"
                               f" held by {other} on {day.isoformat()} ({_at(table, earlier_index)})")
                yield _problem(table, index, "start", message, entry.person, code="post-held-twice")
                break


def one_rating_per_year(tables: Tables) -> Iterator[Problem]:
    """More than one rating of a person for one year."""
    table = _rows(tables, "ratings")
    keys = list(zip(_column(table, "person"), _column(table, "year"), strict=True))
    for index, earlier in _repeats(keys):
        person, year = keys[index]
        yield _problem(table, index, "year", f"{person} đã có xếp loại năm {year} / already rated for {year}"
                       f" at {_at(table, earlier)}", year, code="duplicate-rating")


def not_after(as_of: dt.date) -> Callable[[Tables], Iterator[Problem]]:
    """The check that no credential is completed after `as_of`."""
    def credentials_by_then(tables: Tables) -> Iterator[Problem]:
        table = _rows(tables, "credentials")
        for index, completed in enumerate(_column(table, "completed")):
            if completed > as_of:
                yield _problem(table, index, "completed", f"ngày hoàn thành sau ngày đánh giá / completed after"
                               f" the evaluation date {as_of.isoformat()}", completed, code="completed-after-as-of")

    return credentials_by_then


# A sanity bound on people's records, not a legal number: no one is older than this on the evaluation date,
# and no record of a career (appointment, grade, service start, credential) falls before this age.
OLDEST = 100
YOUNGEST_RECORD = 15
# (table, date field) of a person's career records, each checked against their birth date.
CAREER_DATES: tuple[tuple[str, str], ...] = (
    ("people", "grade_since"),
    ("people", "service_start"),
    ("appointments", "start"),
    ("credentials", "completed"),
)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def plausible_dates(as_of: dt.date) -> Callable[[Tables], Iterator[Problem]]:
    """Dates no person's record can hold: born after the evaluation date or more than OLDEST years before
    it; a career record before birth or before the age of YOUNGEST_RECORD."""

    def check(tables: Tables) -> Iterator[Problem]:
        people = _rows(tables, "people")
        births = _column(people, "birth_date")
        oldest = _years_after(as_of, -OLDEST)
        for index, born in enumerate(births):
            if born > as_of:
                yield _problem(people, index, "birth_date", f"ngày sinh sau ngày đánh giá / implausible: born"
                               f" after the evaluation date {as_of.isoformat()}", born, code="implausible-date")
            elif born < oldest:
                yield _problem(people, index, "birth_date", f"ngày sinh quá {OLDEST} năm trước ngày đánh giá /"
                               f" implausible: born more than {OLDEST} years before {as_of.isoformat()}", born,
                               code="implausible-date")
        birth_of = dict(zip(_column(people, "id"), births, strict=True))
        for name, column in CAREER_DATES:
            table = _rows(tables, name)
            owners = _column(table, "id" if name == "people" else "person")
            for index, (owner, day) in enumerate(zip(owners, _column(table, column), strict=True)):
                born = birth_of.get(owner)
                if day is None or born is None:
                    continue
                if day < born:
                    yield _problem(table, index, column, f"trước ngày sinh / implausible: before the person's"
                                   f" birth {born.isoformat()}", day, code="implausible-date")
                elif day < _years_after(born, YOUNGEST_RECORD):
                    yield _problem(table, index, column, f"trước {YOUNGEST_RECORD} tuổi / implausible: before the"
                                   f" person was {YOUNGEST_RECORD} (born {born.isoformat()})", day,
                                   code="implausible-date")

    return check


def grade_since_needs_grade(tables: Tables) -> Iterator[Problem]:
    """A grade_since without the grade it dates."""
    table = _rows(tables, "people")
    pairs = zip(_column(table, "grade_since"), _column(table, "grade"), strict=True)
    for index, (since, grade) in enumerate(pairs):
        if since is not None and grade is None:
            yield _problem(table, index, "grade_since", "có ngày bổ nhiệm ngạch nhưng thiếu ngạch / grade_since"
                           " without grade", since, code="grade-without-grade-code")


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
        plausible_dates(as_of),
    ]
    return [problem for check in checks for problem in check(tables)]
