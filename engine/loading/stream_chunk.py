"""A chunk of a streamed dataset (engine.loading.stream): what crosses to a worker, and the worker's side —
`load_chunk` parses the chunk's rows and builds a small Dataset of its people, checked exactly as the whole
loader checks them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from array import array
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, count, repeat
from pathlib import Path
from typing import Any, NamedTuple

from engine.dataset import Dataset, Locations
from engine.errors import Problem
from engine.loading import checks
from engine.loading.tables import ParsedTable, clean, grid_table, parse_table

PER_PERSON = ("people", "credentials", "appointments", "plans", "ratings", "disciplines")

# Order of the problems of one file and line, as the whole loader makes them: file problems, then each
# row's own problems, then the cross-table checks in the order of checks.cross_check.
P_FILE, P_PARSE, P_UNIQUE, P_REF, P_CYCLE, P_DATES, P_HOLDER, P_RATING, P_AFTER, P_GRADE, P_PLAUSIBLE = range(11)
_REF_RANK = {(name, column): index for index, (name, column, _target) in enumerate(checks.REFERENCES)}

Tagged = tuple[float, int, Problem]


def tag(phase: float, problems: Collection[Problem] | Iterator[Problem], start: int = 0) -> list[Tagged]:
    """`problems` tagged with their phase and order, for sorting as the whole loader does."""
    return [(phase, seq, problem) for seq, problem in enumerate(problems, start)]


def ref_phase(table: str, column: str | None) -> float:
    """The phase of a reference check, in the whole loader's order of references."""
    return P_REF + _REF_RANK.get((table, column or ""), 0) / 100


# -- what crosses to a worker -----------------------------------------------------------------------
@dataclass(frozen=True)
class Slice:
    """One table's part of one chunk.

    A CSV file's: a byte range of the file (`start` to `end`, its first line `first_line`) and/or a spill
    file of `LINE,cells...` records, under the file's `header`; `orphans` are the lines of rows naming
    a person people.csv does not have. A table loaded whole in the parent (not CSV): its `rows`.
    """

    table: str
    label: str
    path: str = ""
    header: tuple[int, tuple[str, ...]] | None = None
    start: int = 0
    end: int = 0
    first_line: int = 0
    spill: str | None = None
    orphans: frozenset[int] = frozenset()
    rows: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ChunkSpec:
    """One chunk of people: its slice of each per-person table."""

    index: int
    slices: tuple[Slice, ...]
    evaluate: bool = True  # False once the dataset is known to have a problem: only check the rows


class Held(NamedTuple):
    """An appointment as the one-holder-per-post check needs it."""

    position: str
    start: dt.date
    end: dt.date | None
    person: str


class Holders:
    """Every valid appointment of appointments.csv, as one-holder-per-post needs it: a few machine integers
    and the person's id each (a streamed province has hundreds of thousands)."""

    def __init__(self) -> None:
        self.lines = array("q")
        self.positions = array("l")  # index into self.names
        self.starts = array("l")  # date ordinals
        self.ends = array("l")  # date ordinals, 0 for none
        self.people: list[str] = []
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        # row -> (start, end) as given, for the few rows with a date given as a month (engine.precision)
        self._partial: dict[int, tuple[dt.date, dt.date | None]] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def extend(self, rows: list[tuple[int, str, dt.date, dt.date | None, str]]) -> None:
        index = self._index
        for line, position, start, end, person in rows:
            number = index.get(position)
            if number is None:
                number = index[position] = len(self.names)
                self.names.append(position)
            if type(start) is not dt.date or (end is not None and type(end) is not dt.date):
                self._partial[len(self.lines)] = (start, end)
            self.lines.append(line)
            self.positions.append(number)
            self.starts.append(start.toordinal())
            self.ends.append(end.toordinal() if end is not None else 0)
            self.people.append(person)

    def shards(self, count: int) -> Iterator[tuple[array[int], list[Held]]]:
        """The appointments in `count` groups of whole posts, each in file order: (lines, rows)."""
        groups: list[list[int]] = [[] for _ in range(count)]
        positions = self.positions
        for index in sorted(range(len(self.lines)), key=self.lines.__getitem__):
            groups[positions[index] % count].append(index)
        date = dt.date.fromordinal
        for number, group in enumerate(groups):
            partial = self._partial
            held = [Held(self.names[positions[i]], *partial[i], self.people[i]) if i in partial else
                    Held(self.names[positions[i]], date(self.starts[i]), date(self.ends[i]) if self.ends[i] else None,
                         self.people[i]) for i in group]
            yield array("q", (self.lines[i] for i in group)), held
            groups[number] = []


@dataclass
class ChunkReport:
    """What a worker sends back about its chunk's rows (besides what it computed from them)."""

    index: int
    people: int = 0
    problems: list[Tagged] = field(default_factory=list)
    invalid_people: list[tuple[int, str]] = field(default_factory=list)  # (line, id) of people rows that failed
    holders: list[tuple[int, str, dt.date, dt.date | None, str]] = field(default_factory=list)  # line, Held...
    orphan_refs: list[tuple[str, int, int | None, str]] = field(default_factory=list)  # table, line, field line, id
    person_refs: dict[str, int] = field(default_factory=dict)  # table -> valid rows naming a person


@dataclass
class Shared:
    """The shared tables and what checking a chunk needs: inherited by the workers when they fork."""

    dataset: Dataset  # units, positions, courses, quotas; no people
    allowed: frozenset[str]
    as_of: dt.date
    known: dict[str, set[str] | None]
    ids: dict[str, ParsedTable]  # units, positions: their ids, for the references of a chunk's rows
    sources: dict[str, tuple[str, array[int]]]  # shared table -> (file, line of each row)


class Ids(ParsedTable):
    """A shared table as seen from a chunk's reference checks: its ids, and no column to check itself."""

    def __init__(self, table: ParsedTable) -> None:
        super().__init__(table.table, table.source)
        self.id_column = list(table.column("id"))

    def column(self, name: str) -> list[Any]:
        """The ids for `id`; no other column."""
        return self.id_column if name == "id" else []


# -- a worker's side --------------------------------------------------------------------------------
def _range_records(piece: Slice) -> Iterator[tuple[int, list[str]]]:
    with open(piece.path, "rb") as handle:
        handle.seek(piece.start)
        text = handle.read(piece.end - piece.start).decode("utf-8")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return zip(count(piece.first_line), map(str.split, lines, repeat(",")), strict=False)


def _spill_records(path: str) -> Iterator[tuple[int, list[str]]]:
    text = Path(path).read_bytes().decode("utf-8")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if '"' in text:
        for cells in csv.reader(io.StringIO(text, newline=""), strict=True):
            yield int(cells[0]), cells[1:]
        return
    for line in text.split("\n"):
        if line:
            number, _, rest = line.partition(",")
            yield int(number), rest.split(",")


def slice_records(piece: Slice) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV table's slice, in file order: its range of the file, then its spilled rows."""
    parts = []
    if piece.end > piece.start:
        parts.append(_range_records(piece))
    if piece.spill is not None:
        parts.append(_spill_records(piece.spill))
    return chain.from_iterable(parts)


class _ChunkTables(Mapping[str, ParsedTable]):
    """A chunk's parsed tables, with the shared tables' ids as targets of references."""

    def __init__(self, parsed: dict[str, ParsedTable], ids: dict[str, ParsedTable]) -> None:
        self._tables = {**ids, **parsed}

    def __getitem__(self, key: str) -> ParsedTable:
        return self._tables[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


def load_chunk(shared: Shared, spec: ChunkSpec) -> tuple[Dataset, ChunkReport]:
    """Parse and check one chunk's rows (in a worker): its Dataset, and what the parent must know."""
    report = ChunkReport(spec.index)
    parsed: dict[str, ParsedTable] = {}
    rows: dict[str, list[Any]] = {}
    tables_of: dict[str, str] = {}
    for piece in spec.slices:
        if piece.header is None:
            rows[piece.table] = list(piece.rows)
            continue
        tables_of[piece.label] = piece.table
        records: Any = slice_records(piece)
        if piece.table == "people":
            records = list(records)
        header_line, header = piece.header
        raw = grid_table(piece.table, piece.label, chain([(header_line, list(header))], records), text=True)
        raw.problems.clear()  # the header's problems are the parent's, reported once
        table = parse_table(raw, shared.allowed)
        parsed[piece.table] = table
        rows[piece.table] = table.rows
        report.problems += tag(P_PARSE, table.problems)
        if piece.table == "people":
            report.people = len(table.rows)
            columns = raw.body.columns if raw.body is not None else []
            report.invalid_people = _invalid_people(table, records, columns.index("id") if "id" in columns else None)
        table_rows: list[Any] = table.rows
        if piece.table != "people":
            report.person_refs[piece.table] = len(table_rows)
        if piece.orphans:
            for index, row in enumerate(table_rows):
                line = table.line(index)
                if line in piece.orphans:
                    report.orphan_refs.append((piece.table, line, table.line_of(index, "person"), row.person))
        if piece.table == "appointments":
            report.holders = [(line, row.position, row.start, row.end, row.person)
                              for row, line in zip(table_rows, table.lines, strict=True)]
    view = _ChunkTables(parsed, shared.ids)
    known = {**shared.known, "people": None}
    for problem in checks.references(view, known, summarise=False):
        report.problems.append((ref_phase(tables_of.get(problem.file, ""), problem.field), 0, problem))
    report.problems += tag(P_DATES, list(checks.ordered_dates(parsed)))
    report.problems += tag(P_RATING, list(checks.one_rating_per_year(parsed)))
    report.problems += tag(P_AFTER, list(checks.not_after(shared.as_of)(parsed)))
    report.problems += tag(P_GRADE, list(checks.grade_since_needs_grade(parsed)))
    report.problems += tag(P_PLAUSIBLE, list(checks.plausible_dates(shared.as_of)(parsed)))
    return _chunk_dataset(shared, rows, parsed), report


def _invalid_people(table: ParsedTable, records: list[tuple[int, list[str]]],
                    index: int | None) -> list[tuple[int, str]]:
    """(line, id) of each people row written with an id that did not pass."""
    if index is None or len(table.rows) == len(records):
        return []
    valid = set(table.lines)
    out = []
    for line, cells in records:
        if line not in valid and index < len(cells):
            value = clean(cells[index])
            if value is not None:
                out.append((line, str(value)))
    return out


def _chunk_dataset(shared: Shared, rows: dict[str, list[Any]], parsed: dict[str, ParsedTable]) -> Dataset:
    base = shared.dataset
    tables: dict[str, Any] = {t: rows.get(t, []) for t in PER_PERSON}
    dataset = Dataset(manifest=base.manifest, root=base.root, **tables)
    dataset.units, dataset.positions, dataset.courses, dataset.quotas = (
        base.units, base.positions, base.courses, base.quotas)
    dataset.unit_by_id, dataset.position_by_id, dataset.course_by_id = (
        base.unit_by_id, base.position_by_id, base.course_by_id)
    locations = Locations()
    for table, (source, lines) in shared.sources.items():
        locations.add_table(table, source, lines)
    for table, table_rows in parsed.items():
        locations.add_table(table, table_rows.source, table_rows.lines)
    dataset.locations = locations
    return dataset


__all__ = [
    "PER_PERSON",
    "P_AFTER",
    "P_CYCLE",
    "P_DATES",
    "P_FILE",
    "P_GRADE",
    "P_HOLDER",
    "P_PARSE",
    "P_PLAUSIBLE",
    "P_RATING",
    "P_REF",
    "P_UNIQUE",
    "ChunkReport",
    "ChunkSpec",
    "Ids",
    "Shared",
    "Slice",
    "Tagged",
    "load_chunk",
    "ref_phase",
    "slice_records",
    "tag",
]
