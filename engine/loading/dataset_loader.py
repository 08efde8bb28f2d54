"""Loading a dataset folder (docs/data.md): manifest, table files, rows, cross-table checks.

Nothing stops at the first fault: every problem of every file is collected, then one InputError
carries them all, sorted by file and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine import codes
from engine.collector import paused
from engine.dataset import Dataset, Locations
from engine.dates import resolve_as_of
from engine.errors import InputError, Problem
from engine.intake.vocabulary import vocabulary_problems
from engine.loading.checks import cross_check, same_day_handovers
from engine.loading.messages import by_place, did_you_mean
from engine.loading.readers import read_csv_table, read_yaml_mapping, read_yaml_table
from engine.loading.tables import ParsedTable, RawTable, clean, parse_table, pydantic_problems
from engine.loading.xlsx_reader import Workbook, read_workbook
from engine.model import REQUIRED_TABLES, TABLES, Manifest

MANIFEST = "dataset.yaml"
# Suffix -> reader of one table file.
READERS: dict[str, Callable[[str, Path, str], RawTable]] = {
    ".yaml": read_yaml_table,
    ".csv": read_csv_table,
}
# Suffix -> reader of a workbook holding several tables, one per sheet (engine.loading.xlsx_reader).
BOOK_READERS: dict[str, Callable[[Path, str], Workbook]] = {".xlsx": read_workbook}
# Suffixes of files that look like a table: read if accepted (READERS, BOOK_READERS), else refused by name —
# a table saved as .xlsm, .ods or .tsv must not be silently left out.
_TABLE_LIKE = (".yaml", ".yml", ".csv", ".tsv", ".json", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods",
               ".numbers")


def _label(root: Path, name: str) -> str:
    return str(root / name)


def check_root(root: Path) -> None:
    """InputError naming `root` when it is not a folder."""
    if not root.is_dir():
        message = "không tìm thấy thư mục dữ liệu / dataset folder not found"
        raise InputError([Problem(str(root), None, None, message, code="folder-not-found")])


def _manifest(root: Path) -> tuple[Manifest | None, list[Problem]]:
    label = _label(root, MANIFEST)
    path = root / MANIFEST
    if not path.is_file():
        return None, [Problem(label, None, None, "thiếu tệp mô tả bộ dữ liệu / manifest missing"
                              " (name, province, rulesets, as_of)", code="manifest-missing")]
    raw, problems = read_yaml_mapping(path, label)
    if raw is None:
        return None, problems
    values = {str(key): clean(value) for key, value in raw.values.items()}
    try:
        return Manifest.model_validate({k: v for k, v in values.items() if v is not None}), problems
    except ValidationError as exc:
        problems += pydantic_problems(label, raw.line, raw.field_lines, exc, fields=Manifest.model_fields)
        return None, problems


def load_manifest(root: Path) -> Manifest:
    """The dataset's manifest `dataset.yaml`, or InputError naming what is wrong with it."""
    check_root(root)
    manifest, problems = _manifest(root)
    if manifest is None or problems:
        raise InputError(sorted(problems, key=by_place))
    return manifest


def _table_files(root: Path) -> tuple[dict[str, Path], list[Problem], dict[Path, Workbook]]:
    """Table name -> its file; problems for unknown names, tables given twice, required tables absent.

    Workbooks are read here, since only their sheets tell which tables they hold.
    """
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    books: dict[Path, Workbook] = {}
    for path in sorted(root.iterdir()):
        suffix = path.suffix.lower()
        # `~$NAME.xlsx` is the lock file Excel keeps beside a workbook it has open.
        if path.name.startswith((".", "~$")) or path.name == MANIFEST:
            continue
        if suffix not in _TABLE_LIKE and path.stem not in TABLES:
            continue  # README.md, notes.docx: not data
        if not path.is_file():
            continue
        label = _label(root, path.name)
        if suffix in BOOK_READERS:
            books[path] = BOOK_READERS[suffix](path, label)
            problems += books[path].problems
            tables = {table: raw.source for table, raw in books[path].tables.items()}
        elif suffix not in READERS:
            problems.append(Problem(label, None, None, f"chưa đọc được tệp {suffix or 'không đuôi'} / {suffix or 'a'}"
                                    " file is not read: save each table as NAME.csv, NAME.yaml or a sheet of"
                                    " NAME.xlsx (accepted: .csv, .yaml, .xlsx)",
                                    code="unsupported-file"))
            continue
        elif path.stem not in TABLES:
            problems.append(Problem(label, None, None, "không phải tên bảng / not a table name"
                                    + did_you_mean(path.stem, TABLES) + f" (tables: {', '.join(TABLES)})",
                                    code="unknown-table"))
            continue
        else:
            tables = {path.stem: label}
        for table, where in tables.items():
            if table in found:
                problems.append(Problem(where, None, None, f"bảng {table} có hai tệp / table given twice,"
                                        f" also as {_label(root, found[table].name)}; keep one",
                                        code="duplicate-table"))
            else:
                found[table] = path
    unread = any(not book.opened for book in books.values())  # its tables are unknown, not missing
    for table in REQUIRED_TABLES:
        if table not in found and not unread:
            message = (f"thiếu bảng bắt buộc / required table missing ({table}.yaml, {table}.csv"
                       f" or a sheet '{table}' of a .xlsx workbook)")
            problems.append(Problem(_label(root, f"{table}.yaml"), None, None, message, code="required-table-missing"))
    return found, problems, books


def ignored_files(root: Path) -> list[str]:
    """Files of the dataset folder that are not read (not a table, not the manifest): a user is told of them."""
    return [path.name for path in sorted(root.iterdir())
            if path.is_file() and not path.name.startswith((".", "~$")) and path.name != MANIFEST
            and path.suffix.lower() not in _TABLE_LIKE and path.stem not in TABLES]


def read_raw(root: Path, table: str, path: Path, books: dict[Path, Workbook]) -> RawTable:
    """The raw rows of `table` from its file: a sheet of a workbook already read, or a YAML/CSV file."""
    return books[path].tables[table] if path in books else READERS[path.suffix.lower()](
        table, path, _label(root, path.name))


@dataclass
class Folder:
    """A dataset folder as both loaders (whole, and streamed: engine.loading.stream) read it: the manifest,
    which file holds each table (workbooks already read), and the problems of the manifest and the files."""

    root: Path
    manifest: Manifest | None
    problems: list[Problem]
    files: dict[str, Path]
    books: dict[Path, Workbook]

    def label(self, name: str) -> str:
        """How problems name the file `name` of the folder."""
        return _label(self.root, name)

    def raw(self, table: str) -> RawTable:
        """The raw rows of `table` (one of `files`)."""
        return read_raw(self.root, table, self.files[table], self.books)


def read_folder(root: Path) -> Folder:
    """Read the manifest of the folder `root` and find its table files (the one reader of a dataset folder)."""
    manifest, problems = _manifest(root)
    files, file_problems, books = _table_files(root)
    return Folder(root, manifest, problems + file_problems, files, books)


def load_dataset(
    root: Path,
    programme_codes: Collection[str] | None = None,
    as_of: dt.date | None = None,
) -> Dataset:
    """Load and check the dataset folder `root`; InputError carries every problem found.

    `programme_codes` are the codes allowed in credentials, courses and quotas (the glossary's, or
    those of the rule packs in use, which may extend them). `as_of` (else the manifest's, else today)
    is the date no credential may be completed after.
    """
    check_root(root)
    # A large dataset is a few million objects, none of them garbage: collecting cycles among them
    # while they are made would cost as much as making them; it is kept, so it is frozen after.
    with paused(freeze=True):
        return _load(root, programme_codes, as_of)


def _load(root: Path, programme_codes: Collection[str] | None, as_of: dt.date | None) -> Dataset:
    allowed = frozenset(programme_codes if programme_codes is not None else codes.PROGRAMME.values)
    folder = read_folder(root)
    manifest, problems, files, books = folder.manifest, folder.problems, folder.files, folder.books
    parsed: dict[str, ParsedTable] = {}
    known: dict[str, set[str] | None] = {}
    for table in TABLES:
        if table not in files:
            parsed[table] = ParsedTable(table)
            known[table] = set() if table not in REQUIRED_TABLES else None
            continue
        raw = folder.raw(table)
        parsed[table] = parse_table(raw, allowed)
        problems += parsed[table].problems
        known[table] = parsed[table].ids if raw.complete else None
    day = resolve_as_of(as_of, manifest.as_of if manifest is not None else None)
    problems += cross_check(parsed, known, day)
    problems += vocabulary_problems(parsed)  # codes the law dates (engine.intake.vocabulary)
    for book in books.values():
        problems = [book.locate(problem) for problem in problems]
    if problems or manifest is None:
        raise InputError(sorted(problems, key=by_place))
    tables: dict[str, Any] = {table: p.rows for table, p in parsed.items()}
    dataset = Dataset(manifest=manifest, root=root, **tables)
    locations = Locations()
    for table, p in parsed.items():
        locations.add_table(table, p.source, p.lines)
    dataset.locations = locations
    dataset.ignored = ignored_files(root)
    warnings = list(same_day_handovers(parsed))
    for book in books.values():
        warnings = [book.locate(w) for w in warnings]
    dataset.warnings = sorted(warnings, key=by_place)
    return dataset
