"""A table as read, before validation: its raw rows (RawRow, RawTable), and a grid's header mapped to fields
(`rows_from_grid`, `grid_table`: CSV files and spreadsheet sheets) with its problems."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from engine.errors import Problem
from engine.fields import nfc
from engine.loading.headers import field_for_header, header_for_field, suggest_field
from engine.loading.messages import shown
from engine.model import TABLES

NO_LINES: Mapping[str, int] = MappingProxyType({})


class RawRow(NamedTuple):
    """One row as read: its (first) line, the values by column name as written, and where each key is."""

    line: int | None
    values: Mapping[Any, Any]
    # column name as written -> line of that key (YAML rows span several lines); absent = `line`.
    field_lines: Mapping[str, int] = NO_LINES


@dataclass
class GridBody:
    """The rows under a grid's header, still to be read: a large CSV file's, read as they are checked.

    `text`: every cell is a str already NFC, so cleaning a cell only strips it.
    """

    columns: list[str | None]  # field of each column, None for one with no (known, single) header
    named: frozenset[int]  # columns with a header, known or not
    rows: Iterator[tuple[int | None, Sequence[object]]]
    text: bool = False
    reported: set[int] = field(default_factory=set)  # columns whose headerless values were reported

    def row(self, source: str, line: int | None, cells: Sequence[object], problems: list[Problem]) -> RawRow | None:
        """One row's cells as a RawRow by field (None for a blank row); values under no header reported."""
        values = [clean(c) for c in cells]
        if all(v is None for v in values):
            return None
        row: dict[str, Any] = {}
        columns = self.columns
        for index, value in enumerate(values):
            name = columns[index] if index < len(columns) else None
            if name is not None:
                row[name] = value
            elif value is not None and index not in self.reported and index not in self.named:
                # A value under an unknown or repeated header is covered by the header's problem.
                message = f"cột {index + 1} không có tên / value in column {index + 1}, which has no header"
                problems.append(Problem(source, line, None, message, shown(value), code="headerless-value"))
                self.reported.add(index)
        return RawRow(line, row)


@dataclass
class RawTable:
    """A table as read from one source, before validation."""

    table: str
    source: str
    rows: list[RawRow] = field(default_factory=list)
    # Required columns missing from a header: already reported once, not again on every row.
    absent: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)
    # False when the source could not be read through (bad encoding or syntax): rows may be missing.
    complete: bool = True
    # True when rows are already keyed by field name with clean values, all on one line (from a grid).
    mapped: bool = False
    # Rows of a grid not read yet, checked after `rows` (see grid_table).
    body: GridBody | None = None


def required_fields(table: str) -> list[str]:
    """The fields a row of `table` must have."""
    return [name for name, info in TABLES[table].model_fields.items() if info.is_required()]


def clean(value: Any) -> Any:
    """NFC and stripped text; an empty text is absent (None)."""
    value = nfc(value)
    return None if value == "" else value


def rows_from_grid(table: str, source: str, grid: Iterable[tuple[int, Sequence[object]]]) -> RawTable:
    """A header row then data rows, each (line, cells), as from CSV or a spreadsheet, into a RawTable.

    The header is checked once: an unknown column, a column named twice and a missing required
    column are one problem each on the header line, not one per row.
    """
    raw = grid_table(table, source, grid)
    if raw.body is not None:
        body, raw.body = raw.body, None
        for line, cells in body.rows:
            row = body.row(source, line, cells, raw.problems)
            if row is not None:
                raw.rows.append(row)
    return raw


def grid_table(table: str, source: str, grid: Iterable[tuple[int | None, Sequence[object]]],
               text: bool = False) -> RawTable:
    """As rows_from_grid, but only the header is read here: the rows are read by parse_table, one by one.

    `text`: every cell is a str already NFC (as a CSV file normalised whole), so that rows take the
    fast path of parse_table.
    """
    raw = RawTable(table, source, mapped=True)
    rows = iter(grid)
    first = next((record for record in rows if any(clean(c) is not None for c in record[1])), None)
    if first is None:
        return raw
    header_line, header = first
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    guessed: set[str] = set()
    for cell in header:
        written = clean(str(cell)) if cell is not None else None
        name = field_for_header(table, written) if written else None
        if written is not None and name is None:
            problem, guess = unknown_field(table, source, header_line, written)
            raw.problems.append(problem)
            if guess is not None:
                guessed.add(guess)
        elif name is not None and name in seen:
            message = f"cột trùng / column repeats '{seen[name]}'"
            raw.problems.append(Problem(source, header_line, written, message, code="duplicate-column"))
            name = None
        elif name is not None and written is not None:
            seen[name] = written
        columns.append(name)
    absent = [name for name in required_fields(table) if name not in seen]
    for name in absent:
        if name in guessed:
            continue  # the misspelt column's problem already names it
        raw.problems.append(Problem(source, header_line, name, f"thiếu cột bắt buộc / required column missing"
                                    f" (Vietnamese header: '{header_for_field(table, name)}')",
                                    code="missing-column"))
    raw.absent = frozenset(absent)
    if not seen:
        raw.complete = False  # no usable column (a wrong delimiter, another table's file): its ids are unknown
    named = frozenset(index for index, cell in enumerate(header) if clean(cell) is not None)
    raw.body = GridBody(columns, named, rows, text)
    return raw


def unknown_field(table: str, source: str, line: int | None, name: str) -> tuple[Problem, str | None]:
    """The problem for a column nobody knows, and the field it probably means (if any)."""
    near = suggest_field(table, name)
    target = field_for_header(table, near) if near is not None else None
    hint = ""
    if near is not None:
        hint = f"; có phải là / did you mean '{near}'" + (f" ({target})?" if target != near else "?")
    message = f"trường không tồn tại trong bảng {table} / unknown field of {table}"
    return Problem(source, line, name, message + hint, code="unknown-field"), target


__all__ = ["NO_LINES", "GridBody", "RawRow", "RawTable", "clean", "grid_table", "required_fields", "rows_from_grid",
           "unknown_field"]
