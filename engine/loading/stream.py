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

import datetime as dt
import shutil
import tempfile
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine import codes
from engine.collector import paused
from engine.dataset import Dataset
from engine.dates import resolve_as_of
from engine.errors import InputError, Problem
from engine.intake.vocabulary import repeated_personal_ids, row_problems
from engine.loading import checks
from engine.loading.dataset_loader import check_root, read_folder
from engine.loading.messages import by_place, did_you_mean, shown
from engine.loading.stream_chunk import (
    P_AFTER,
    P_CYCLE,
    P_DATES,
    P_FILE,
    P_GRADE,
    P_HOLDER,
    P_PARSE,
    P_PLAUSIBLE,
    P_RATING,
    P_UNIQUE,
    P_VOCAB,
    PER_PERSON,
    ChunkReport,
    ChunkSpec,
    Holders,
    Ids,
    Shared,
    Slice,
    Tagged,
    first_headerless,
    load_chunk,
    ref_phase,
    slice_records,
    tag,
)
from engine.loading.stream_split import People, TableScan, count_lines
from engine.loading.tables import ParsedTable, clean, parse_table
from engine.loading.xlsx_reader import Workbook
from engine.model import REQUIRED_TABLES, TABLES, Manifest

CHUNK_SIZE = 2000
HOLDER_SHARD = 20_000  # appointments checked at once for one holder per post (at the end, in the parent)

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
        self.holders = Holders()
        self.orphan_refs: list[tuple[str, int, int | None, str]] = []
        self.person_refs: dict[str, int] = {}
        self.personal_ids: list[tuple[int | None, str, str]] = []
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
        """Whether a problem of the dataset is known already."""
        return self._doomed or bool(self.problems)

    def chunks(self, evaluate: bool = True) -> Iterator[ChunkSpec]:
        """The chunks, in order; each told to evaluate (if `evaluate`) only while no problem is known."""
        for spec in self.specs:
            yield spec if evaluate and not self.has_problems else replace(spec, evaluate=False)

    def add(self, report: ChunkReport) -> None:
        """Take in what a worker found in its chunk."""
        self.problems.extend(report.problems)
        self.invalid_people.extend(report.invalid_people)
        self.orphan_refs.extend(report.orphan_refs)
        for table, rows in report.person_refs.items():
            self.person_refs[table] = self.person_refs.get(table, 0) + rows
        self.holders.extend(report.holders)
        self.personal_ids.extend(report.personal_ids)
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
        problems = first_headerless(self.problems)
        problems += self._unique_people()
        problems += self._people_references()
        problems += self._one_holder()
        problems += self._unique_personal_ids()
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
        for line, cells in slice_records(people):
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
        return tag(P_UNIQUE, out)

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
            out.append((ref_phase(table, "person"), line, problem))
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
                out.append((ref_phase(table, column), 0, problem))
        return out

    def _unique_personal_ids(self) -> list[Tagged]:
        """One personal identification number per person, across the chunks (the whole loader's check)."""
        if not self.personal_ids or "people" not in self.scans:
            return []
        entries = sorted(self.personal_ids, key=lambda e: e[0] or 0)
        return tag(P_VOCAB, list(repeated_personal_ids(self._people_label(), entries)), 10**6)

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
        return tag(P_HOLDER, problems)


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
    check_root(root)
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
    dataset_folder = read_folder(root)
    manifest, files, books = dataset_folder.manifest, dataset_folder.files, dataset_folder.books
    problems = tag(P_FILE, dataset_folder.problems)
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
        raw = dataset_folder.raw(table)
        parsed[table] = parse_table(raw, allowed)
        problems += tag(P_PARSE, parsed[table].problems)
        known[table] = parsed[table].ids if raw.complete else None
    day = resolve_as_of(as_of, manifest.as_of if manifest is not None else None)
    people = People(chunk_size)
    scans: dict[str, TableScan] = {}
    for table in PER_PERSON:  # people first: the others are split by its ids
        if table in streamed:
            scan = TableScan(table, streamed[table], dataset_folder.label(streamed[table].name), folder, people)
            scan.run()
            scans[table] = scan
            problems += tag(P_PARSE, scan.file_problems, -(10**9))
            problems += tag(P_PARSE, scan.header_problems, -(10**6))
            problems += tag(P_PARSE, scan.end_problems, 10**9)
    known["people"] = None  # the references to people are checked across chunks (StreamSource.finish)
    # Checks of the tables loaded whole (the shared ones, and per-person ones that are not CSV).
    whole = parsed
    problems += tag(P_UNIQUE, list(checks.unique_ids(whole)))
    for problem in checks.references(whole, known, summarise=False):
        table = next(t for t, p in whole.items() if p.source == problem.file)
        problems.append((ref_phase(table, problem.field), 0, problem))
    problems += tag(P_CYCLE, list(checks.cycles(whole)))
    problems += tag(P_DATES, list(checks.ordered_dates(whole)))
    problems += tag(P_HOLDER, list(checks.one_holder_per_post(whole)))
    problems += tag(P_RATING, list(checks.one_rating_per_year(whole)))
    problems += tag(P_AFTER, list(checks.not_after(day)(whole)))
    problems += tag(P_GRADE, list(checks.grade_since_needs_grade(whole)))
    problems += tag(P_PLAUSIBLE, list(checks.plausible_dates(day)(whole)))
    problems += tag(P_VOCAB, row_problems(whole))
    shared_tables = ("units", "positions", "courses", "quotas")
    base = Dataset(manifest=manifest or Manifest(name="-", rulesets=["-"]), root=root,
                   **{t: parsed[t].rows for t in shared_tables})  # type: ignore[arg-type]
    shared = Shared(base, allowed, day, {t: known.get(t) for t in ("units", "positions")},
                    {t: Ids(parsed[t]) for t in ("units", "positions")},
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


__all__ = ["CHUNK_SIZE", "PER_PERSON", "ChunkReport", "ChunkSpec", "Shared", "Slice", "StreamSource", "load_chunk",
           "open_stream", "people_lines", "streamable"]
