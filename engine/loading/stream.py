"""Streaming load of a large dataset: people in chunks, each chunk a small Dataset, checked exactly as the
whole loader (engine.loading.dataset_loader) checks the whole dataset.

    with open_stream(root, programme_codes, as_of) as source:
        for spec in source.chunks():          # in a worker: load_chunk(source.shared, spec)
            dataset, report = load_chunk(source.shared, spec)
            source.add(report)
            ... evaluate dataset.people ...
        source.finish()                       # InputError with every problem, if any

The small shared tables (units, positions, courses, quotas), the manifest and any per-person table that
is not a CSV file are loaded whole in the parent with the whole loader's code. people.csv and the other
per-person CSV files are split by engine.loading.stream_split: each chunk of people gets its people and
every row naming them, whatever the order of the files. `load_chunk` parses a chunk's rows (in a worker)
and builds a Dataset holding the shared tables and that chunk's people and rows, so the Evaluator and the
audit run on it unchanged.

Validation stays complete and exact. Every row is parsed by the same code (parse_table), once, in the
chunk of its person. Checks about one person run per chunk (dates in order, one rating per year,
credentials not after the evaluation date, grade_since, references to units and positions); checks
across people run in the parent over compact structures: unique person ids (the id -> chunk dict),
rows naming an unknown person (known at split time, reported only if the row is otherwise valid, as
the whole loader does) and one holder per post (each chunk sends back its appointments as small
tuples). `finish` sorts every problem by file and line, in the order the whole loader gives them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
import unicodedata
import zlib
from array import array
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain, count, repeat
from pathlib import Path
from typing import Any, NamedTuple

from engine import codes
from engine.collector import paused
from engine.dataset import Dataset, Locations
from engine.errors import InputError, Problem
from engine.loading import checks
from engine.loading.dataset_loader import _check_root, _label, _manifest, _table_files, read_raw
from engine.loading.messages import by_place, did_you_mean, shown
from engine.loading.stream_split import People, TableScan, count_lines
from engine.loading.tables import ParsedTable, clean, grid_table, parse_table
from engine.loading.xlsx_reader import Workbook
from engine.model import REQUIRED_TABLES, TABLES, Manifest

PER_PERSON = ("people", "credentials", "appointments", "plans", "ratings", "disciplines")
CHUNK_SIZE = 2000
HOLDER_SHARD = 20_000  # appointments checked at once for one holder per post (at the end, in the parent)

# Order of the problems of one file and line, as the whole loader makes them: file problems, then each
# row's own problems, then the cross-table checks in the order of checks.cross_check.
P_FILE, P_PARSE, P_UNIQUE, P_REF, P_CYCLE, P_DATES, P_HOLDER, P_RATING, P_AFTER, P_GRADE, P_PLAUSIBLE = range(11)
_REF_RANK = {(name, column): index for index, (name, column, _target) in enumerate(checks.REFERENCES)}
_HEADERLESS = " không có tên / value in column "  # engine.loading.tables.GridBody.row, reported once per column

Tagged = tuple[float, int, Problem]


def _tag(phase: float, problems: Collection[Problem] | Iterator[Problem], start: int = 0) -> list[Tagged]:
    return [(phase, seq, problem) for seq, problem in enumerate(problems, start)]


def _ref_phase(table: str, column: str | None) -> float:
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
    index: int
    slices: tuple[Slice, ...]
    evaluate: bool = True  # False once the dataset is known to have a problem: only check the rows


class Held(NamedTuple):
    """An appointment as the one-holder-per-post check needs it."""

    position: str
    start: dt.date
    end: dt.date | None
    person: str


class _Holders:
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

    def __len__(self) -> int:
        return len(self.lines)

    def extend(self, rows: list[tuple[int, str, dt.date, dt.date | None, str]]) -> None:
        index = self._index
        for line, position, start, end, person in rows:
            number = index.get(position)
            if number is None:
                number = index[position] = len(self.names)
                self.names.append(position)
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
            held = [Held(self.names[positions[i]], date(self.starts[i]), date(self.ends[i]) if self.ends[i] else None,
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


class _Ids(ParsedTable):
    """A shared table as seen from a chunk's reference checks: its ids, and no column to check itself."""

    def __init__(self, table: ParsedTable) -> None:
        super().__init__(table.table, table.source)
        self.id_column = list(table.column("id"))

    def column(self, name: str) -> list[Any]:
        return self.id_column if name == "id" else []


# -- the parent's side ------------------------------------------------------------------------------
class StreamSource:
    """A dataset split into chunks of people: what to send the workers, and the checks across people."""

    def __init__(self, root: Path, manifest: Manifest | None, as_of: dt.date, shared: Shared, people: People,
                 scans: dict[str, TableScan], whole: dict[str, ParsedTable], books: dict[Path, Workbook],
                 problems: list[Tagged], specs: list[ChunkSpec]) -> None:
        self.root = root
        self.manifest = manifest
        self.as_of = as_of
        self.shared = shared
        self.people = people
        self.scans = scans
        self.whole = whole  # per-person tables loaded whole (not CSV)
        self.books = books
        self.problems = problems
        self.specs = specs
        self.invalid_people: list[tuple[int, str]] = []
        self.holders = _Holders()
        self.orphan_refs: list[tuple[str, int, int | None, str]] = []
        self.person_refs: dict[str, int] = {}
        self.valid_people = 0
        # Problems certain before any row is parsed: an unknown person, an id given twice, a bad file.
        self._doomed = bool(problems) or manifest is None or bool(people.dups) or any(
            scan.orphans for scan in scans.values()) or bool(self._whole_orphans())

    @property
    def person_count(self) -> int:
        """People records of people.csv (valid or not): the progress total."""
        return self.people.count if self.people.known else 0

    @property
    def has_problems(self) -> bool:
        return self._doomed or bool(self.problems)

    def chunks(self, evaluate: bool = True) -> Iterator[ChunkSpec]:
        """The chunks, in order; each told to evaluate (if `evaluate`) only while no problem is known."""
        for spec in self.specs:
            yield spec if evaluate and not self.has_problems else replace(spec, evaluate=False)

    def add(self, report: ChunkReport) -> None:
        self.problems.extend(report.problems)
        self.invalid_people.extend(report.invalid_people)
        self.orphan_refs.extend(report.orphan_refs)
        for table, rows in report.person_refs.items():
            self.person_refs[table] = self.person_refs.get(table, 0) + rows
        self.holders.extend(report.holders)
        self.valid_people += report.people

    def has_person(self, person: str) -> bool:
        """Whether people.csv gives the id `person` (as written, like Dataset.person_by_id)."""
        return person.encode("utf-8") in self.people.chunk_of

    def person_ids(self) -> list[str]:
        """Every person id, in file order (for suggestions)."""
        return [key.decode("utf-8") for key in self.people.chunk_of]

    # -- the checks across people -------------------------------------------------------------------
    def finish(self) -> None:
        """Raise InputError with every problem of the dataset, as the whole loader would, if there is one."""
        problems = _first_headerless(self.problems)
        problems += self._unique_people()
        problems += self._people_references()
        problems += self._one_holder()
        located = [(phase, seq, problem) for phase, seq, problem in problems]
        for book in self.books.values():
            located = [(phase, seq, book.locate(problem)) for phase, seq, problem in located]
        located.sort(key=lambda t: (*by_place(t[2]), t[0], t[1]))
        if located or self.manifest is None:
            raise InputError([problem for _phase, _seq, problem in located])

    def _people_label(self) -> str:
        return self.scans["people"].label

    def _all_lines(self, key: bytes) -> list[int]:
        """Every line of people.csv giving id `key` (one given twice: rare, and read again here)."""
        later = self.people.dups.get(key, [])
        spec = self.specs[self.people.chunk_of[key]]
        people = next(s for s in spec.slices if s.table == "people")
        index = self.scans["people"].key_index
        first = None
        for line, cells in _slice_records(people):
            if index is not None and index < len(cells) and clean(cells[index]) == key.decode("utf-8"):
                first = line
                break
        return sorted([first, *later] if first is not None else later)

    def _unique_people(self) -> list[Tagged]:
        if not self.people.dups:
            return []
        invalid = {line for line, _id in self.invalid_people}
        label = self._people_label()
        out: list[Problem] = []
        for key in self.people.dups:
            lines = [line for line in self._all_lines(key) if line not in invalid]
            value = key.decode("utf-8")
            for line in lines[1:]:
                message = f"mã trùng / duplicate id in people, first at {label}:{lines[0]}"
                out.append(Problem(label, line, "id", message, shown(value), code="duplicate-id"))
        return _tag(P_UNIQUE, out)

    def _valid_people_ids(self) -> list[str]:
        """The ids of the people rows that are valid (the targets suggested for an unknown person)."""
        excluded: set[bytes] = set()
        invalid_lines = {line for line, _id in self.invalid_people}
        for _line, value in self.invalid_people:
            key = value.encode("utf-8")
            if key in self.people.dups:
                if all(line in invalid_lines for line in self._all_lines(key)):
                    excluded.add(key)
            else:
                excluded.add(key)
        return sorted({key.decode("utf-8") for key in self.people.chunk_of if key not in excluded})

    def _whole_orphans(self) -> list[tuple[str, int, int | None, str]]:
        """Valid rows of the per-person tables loaded whole that name no person of people.csv."""
        chunk_of = self.people.chunk_of
        out = []
        for table, parsed in self.whole.items():
            if table == "people":
                continue
            for index, row in enumerate(parsed.rows):
                if row.person.encode("utf-8") not in chunk_of:  # type: ignore[attr-defined]
                    out.append((table, parsed.line(index) or 0, parsed.line_of(index, "person"),
                                row.person))  # type: ignore[attr-defined]
        return out

    def _people_references(self) -> list[Tagged]:
        if not self.people.known:
            return self._unchecked_references()
        refs = self.orphan_refs + self._whole_orphans()
        if not refs:
            return []
        valid = self._valid_people_ids()
        labels = {table: scan.label for table, scan in self.scans.items()}
        labels.update({table: parsed.source for table, parsed in self.whole.items()})
        out: list[Tagged] = []
        for table, line, field_line, value in sorted(refs, key=lambda r: (r[0], r[1])):
            message = "không có mã này trong people / no such id in people" + did_you_mean(value, valid)
            problem = Problem(labels[table], field_line if field_line is not None else line, "person", message,
                              shown(value), code="dangling-reference")
            out.append((_ref_phase(table, "person"), line, problem))
        return out

    def _unchecked_references(self) -> list[Tagged]:
        """people.csv could not be read through: its ids are unknown, so the references to it are summarised,
        one line per table, on people.csv after its problem (as the whole loader does: checks.references)."""
        label = self._people_label()
        out: list[Tagged] = []
        for table, column, target in checks.REFERENCES:
            if target != "people":
                continue
            rows = self.person_refs.get(table, 0) + (len(self.whole[table].rows) if table in self.whole else 0)
            if rows:
                source = self.scans[table].label if table in self.scans else self.whole[table].source
                problem = Problem(label, None, None, checks.unchecked_message(rows, source, column, target),
                                  code="table-unreadable")
                out.append((_ref_phase(table, column), 0, problem))
        return out

    def _one_holder(self) -> list[Tagged]:
        """One holder per post: the whole loader's check, run on a few posts at a time (it is per post)."""
        if not len(self.holders):
            return []
        problems: list[Problem] = []
        for lines, held in self.holders.shards(max(1, len(self.holders) // HOLDER_SHARD)):
            table = ParsedTable("appointments", self.scans["appointments"].label)
            table.lines = lines
            table.rows = held  # type: ignore[assignment]
            problems += checks.one_holder_per_post({"appointments": table})
        return _tag(P_HOLDER, problems)


def _first_headerless(problems: list[Tagged]) -> list[Tagged]:
    """A value under no header is reported once per file and column, at its first line (as the whole loader
    does); each chunk reported its own first."""
    first: dict[tuple[str, str], int] = {}
    for index, (_phase, _seq, problem) in enumerate(problems):
        if _HEADERLESS in problem.message:
            key = (problem.file, problem.message)
            if key not in first or (problem.line or 0) < (problems[first[key]][2].line or 0):
                first[key] = index
    if not first:
        return list(problems)
    keep = set(first.values())
    return [t for index, t in enumerate(problems) if _HEADERLESS not in t[2].message or index in keep]


def streamable(root: Path) -> bool:
    """Whether `root` can be streamed: people is one CSV file and no workbook may hold another copy of it.

    The other tables may be YAML too (they are loaded whole then, like the shared tables)."""
    if not root.is_dir() or not (root / "people.csv").is_file():
        return False
    for path in root.iterdir():
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml") and path.stem == "people":
            return False
        if suffix in (".xlsx", ".xls") and not path.name.startswith((".", "~$")):
            return False
    return True


def people_lines(root: Path) -> int:
    """Lines of people.csv (about its number of people), 0 if there is none."""
    path = root / "people.csv"
    return count_lines(path) if path.is_file() else 0


@contextmanager
def open_stream(root: Path, programme_codes: Collection[str] | None = None, as_of: dt.date | None = None,
                chunk_size: int = CHUNK_SIZE, temp_dir: Path | None = None) -> Iterator[StreamSource]:
    """Split the dataset folder `root` into chunks of people; the temp files are removed on the way out."""
    _check_root(root)
    if not streamable(root):
        raise ValueError(f"{root}: people must be one CSV file (people.csv) to be streamed")
    folder = Path(tempfile.mkdtemp(prefix="dtbd-stream-", dir=temp_dir))
    try:
        with paused():
            source = _split(root, programme_codes, as_of, chunk_size, folder)
        yield source
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _split(root: Path, programme_codes: Collection[str] | None, as_of: dt.date | None, chunk_size: int,
           folder: Path) -> StreamSource:
    allowed = frozenset(programme_codes if programme_codes is not None else codes.PROGRAMME.values)
    manifest, manifest_problems = _manifest(root)
    files, file_problems, books = _table_files(root)
    problems = _tag(P_FILE, manifest_problems + file_problems)
    parsed: dict[str, ParsedTable] = {}
    known: dict[str, set[str] | None] = {}
    streamed: dict[str, Path] = {}
    for table in TABLES:
        if table not in files:
            parsed[table] = ParsedTable(table)
            known[table] = set() if table not in REQUIRED_TABLES else None
            continue
        path = files[table]
        if table in PER_PERSON and path not in books and path.suffix.lower() == ".csv":
            streamed[table] = path
            continue
        raw = read_raw(root, table, path, books)
        parsed[table] = parse_table(raw, allowed)
        problems += _tag(P_PARSE, parsed[table].problems)
        known[table] = parsed[table].ids if raw.complete else None
    day = as_of or (manifest.as_of if manifest is not None else None) or dt.date.today()
    people = People(chunk_size)
    scans: dict[str, TableScan] = {}
    for table in PER_PERSON:  # people first: the others are split by its ids
        if table in streamed:
            scan = TableScan(table, streamed[table], _label(root, streamed[table].name), folder, people)
            scan.run()
            scans[table] = scan
            problems += _tag(P_PARSE, scan.file_problems, -(10**9))
            problems += _tag(P_PARSE, scan.header_problems, -(10**6))
            problems += _tag(P_PARSE, scan.end_problems, 10**9)
    known["people"] = None  # the references to people are checked across chunks (StreamSource.finish)
    # Checks of the tables loaded whole (the shared ones, and per-person ones that are not CSV).
    whole = parsed
    problems += _tag(P_UNIQUE, list(checks.unique_ids(whole)))
    for problem in checks.references(whole, known, summarise=False):
        table = next(t for t, p in whole.items() if p.source == problem.file)
        problems.append((_ref_phase(table, problem.field), 0, problem))
    problems += _tag(P_CYCLE, list(checks.cycles(whole)))
    problems += _tag(P_DATES, list(checks.ordered_dates(whole)))
    problems += _tag(P_HOLDER, list(checks.one_holder_per_post(whole)))
    problems += _tag(P_RATING, list(checks.one_rating_per_year(whole)))
    problems += _tag(P_AFTER, list(checks.not_after(day)(whole)))
    problems += _tag(P_GRADE, list(checks.grade_since_needs_grade(whole)))
    problems += _tag(P_PLAUSIBLE, list(checks.plausible_dates(day)(whole)))
    shared_tables = ("units", "positions", "courses", "quotas")
    base = Dataset(manifest=manifest or Manifest(name="-", rulesets=["-"]), root=root,
                   **{t: parsed[t].rows for t in shared_tables})  # type: ignore[arg-type]
    shared = Shared(base, allowed, day, {t: known.get(t) for t in ("units", "positions")},
                    {t: _Ids(parsed[t]) for t in ("units", "positions")},
                    {t: (parsed[t].source, parsed[t].lines) for t in shared_tables})
    whole_people = {t: parsed[t] for t in PER_PERSON if t not in streamed and t in files}
    specs = _specs(people, scans, whole_people)
    return StreamSource(root, manifest, day, shared, people, scans, whole_people, books, problems, specs)


def _specs(people: People, scans: dict[str, TableScan], whole: dict[str, ParsedTable]) -> list[ChunkSpec]:
    chunks = people.chunks
    rows: dict[str, list[list[Any]]] = {}
    for table, parsed in whole.items():  # rows of tables loaded whole go to their person's chunk
        rows[table] = [[] for _ in range(chunks)]
        for row in parsed.rows:
            key = row.person.encode("utf-8")  # type: ignore[attr-defined]
            chunk = people.chunk_of.get(key)
            rows[table][chunk if chunk is not None else zlib.crc32(key) % chunks].append(row)
    specs = []
    for chunk in range(chunks):
        slices = []
        for table, scan in scans.items():
            if scan.header is None or not scan.readable:
                continue
            start, end, first = scan.ranges.get(chunk, (0, 0, 0))
            assert scan.spill is not None
            spill = scan.spill.path(chunk)
            slices.append(Slice(table, scan.label, str(scan.path), scan.header, start, end, first,
                                str(spill) if chunk in scan.spill.written else None,
                                frozenset(scan.orphans.get(chunk, ()))))
        for table in whole:
            slices.append(Slice(table, whole[table].source, rows=tuple(rows[table][chunk])))
        specs.append(ChunkSpec(chunk, tuple(slices)))
    return specs


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


def _slice_records(piece: Slice) -> Iterator[tuple[int, list[str]]]:
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
        records: Any = _slice_records(piece)
        if piece.table == "people":
            records = list(records)
        header_line, header = piece.header
        raw = grid_table(piece.table, piece.label, chain([(header_line, list(header))], records), text=True)
        raw.problems.clear()  # the header's problems are the parent's, reported once
        table = parse_table(raw, shared.allowed)
        parsed[piece.table] = table
        rows[piece.table] = table.rows
        report.problems += _tag(P_PARSE, table.problems)
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
        report.problems.append((_ref_phase(tables_of.get(problem.file, ""), problem.field), 0, problem))
    report.problems += _tag(P_DATES, list(checks.ordered_dates(parsed)))
    report.problems += _tag(P_RATING, list(checks.one_rating_per_year(parsed)))
    report.problems += _tag(P_AFTER, list(checks.not_after(shared.as_of)(parsed)))
    report.problems += _tag(P_GRADE, list(checks.grade_since_needs_grade(parsed)))
    report.problems += _tag(P_PLAUSIBLE, list(checks.plausible_dates(shared.as_of)(parsed)))
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


__all__ = ["CHUNK_SIZE", "PER_PERSON", "ChunkReport", "ChunkSpec", "Shared", "Slice", "StreamSource", "load_chunk",
           "open_stream", "people_lines", "streamable"]
