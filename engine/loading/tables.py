"""Rows of one table, whatever file they came from, into validated model rows or Problems.

This is the format-independent half of the loader: the YAML and CSV readers (engine.loading.readers)
feed it, and so can an Excel reader — a sheet is a grid, so `rows_from_grid` maps its header and
`parse_table` validates its rows exactly as for a CSV file. Nothing here raises on bad input:
every fault becomes a `Problem` naming the file (`source`), the line and the field.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from engine.dataset import Location
from engine.errors import Problem
from engine.loading.headers import field_for_header, header_for_field, suggest_field
from engine.loading.messages import did_you_mean, shown
from engine.model import TABLES, Row, nfc

_NO_LINES: Mapping[str, int] = MappingProxyType({})
MISSING = "thiếu giá trị bắt buộc / required value missing"


class RawRow(NamedTuple):
    """One row as read: its (first) line, the values by column name as written, and where each key is."""

    line: int | None
    values: Mapping[Any, Any]
    # column name as written -> line of that key (YAML rows span several lines); absent = `line`.
    field_lines: Mapping[str, int] = _NO_LINES


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


@dataclass(frozen=True)
class Entry:
    """A validated row and where it came from (with the line of each field, for later checks)."""

    row: Row
    location: Location
    field_lines: Mapping[str, int]

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.location.line)


@dataclass
class ParsedTable:
    table: str
    entries: list[Entry] = field(default_factory=list)
    # ids written in the table, valid or not: a reference to a row that failed is not reported again.
    ids: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def required_fields(table: str) -> list[str]:
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
        text = clean(str(cell)) if cell is not None else None
        name = field_for_header(table, text) if text else None
        if text is not None and name is None:
            problem, guess = _unknown_field(table, source, header_line, text)
            raw.problems.append(problem)
            if guess is not None:
                guessed.add(guess)
        elif name is not None and name in seen:
            message = f"cột trùng / column repeats '{seen[name]}'"
            raw.problems.append(Problem(source, header_line, text, message))
            name = None
        elif name is not None and text is not None:
            seen[name] = text
        columns.append(name)
    absent = [name for name in required_fields(table) if name not in seen]
    for name in absent:
        if name in guessed:
            continue  # the misspelt column's problem already names it
        raw.problems.append(Problem(source, header_line, name, f"thiếu cột bắt buộc / required column missing"
                                    f" (Vietnamese header: '{header_for_field(table, name)}')"))
    raw.absent = frozenset(absent)
    named = {index for index, cell in enumerate(header) if clean(cell) is not None}
    reported: set[int] = set()
    for line, cells in rows:
        values = [clean(c) for c in cells]
        if all(v is None for v in values):
            continue
        row: dict[str, Any] = {}
        for index, value in enumerate(values):
            name = columns[index] if index < len(columns) else None
            if name is not None:
                row[name] = value
            elif value is not None and index not in reported and index not in named:
                # A value under an unknown or repeated header is covered by the header's problem.
                message = f"cột {index + 1} không có tên / value in column {index + 1}, which has no header"
                raw.problems.append(Problem(source, line, None, message, shown(value)))
                reported.add(index)
        raw.rows.append(RawRow(line, row))
    return raw


def _unknown_field(table: str, source: str, line: int | None, name: str) -> tuple[Problem, str | None]:
    """The problem for a column nobody knows, and the field it probably means (if any)."""
    near = suggest_field(table, name)
    target = field_for_header(table, near) if near is not None else None
    hint = ""
    if near is not None:
        hint = f"; có phải là / did you mean '{near}'" + (f" ({target})?" if target != near else "?")
    message = f"trường không tồn tại trong bảng {table} / unknown field of {table}"
    return Problem(source, line, name, message + hint), target


def parse_table(
    raw: RawTable,
    programme_codes: Collection[str],
) -> ParsedTable:
    """Validate every row of `raw` against its model; rows with any problem are left out."""
    row_class = TABLES[raw.table]
    parsed = ParsedTable(raw.table, problems=list(raw.problems))
    required = required_fields(raw.table)
    for raw_row in raw.rows:
        if raw.mapped:  # grid rows: header mapped and values cleaned once already (fast path)
            values: dict[str, Any] = dict(raw_row.values)
            lines: dict[str, int] = {}
            problems: list[Problem] = []
            guessed: set[str] = set()
        else:
            values, lines, problems, guessed = _map_row(raw, raw_row)
        for name in required:
            if values.get(name) is None and name not in raw.absent and name not in guessed:
                problems.append(Problem(raw.source, raw_row.line, name, MISSING))
        if "id" in values and isinstance(values["id"], str | int):
            parsed.ids.add(str(values["id"]))
        programme = values.get("programme")
        if isinstance(programme, str) and programme not in programme_codes:
            problems.append(Problem(
                raw.source, lines.get("programme", raw_row.line), "programme",
                "mã chương trình không có trong danh mục / unknown programme code" + did_you_mean(
                    programme, programme_codes), programme))
        present = {k: v for k, v in values.items() if v is not None}
        try:
            row = row_class.model_validate(present)
        except ValidationError as exc:
            problems.extend(pydantic_problems(raw.source, raw_row.line, lines, exc, skip=required))
        else:
            if not problems:
                location = Location(raw.source, raw_row.line)
                parsed.entries.append(Entry(row, location, MappingProxyType(lines) if lines else _NO_LINES))
        parsed.problems.extend(problems)
    return parsed


def _map_row(
    raw: RawTable, raw_row: RawRow
) -> tuple[dict[str, Any], dict[str, int], list[Problem], set[str]]:
    """Column names (English or Vietnamese) to field names; values cleaned; unknown columns reported.

    Also returns the fields the unknown columns probably meant, whose absence is then not reported.
    """
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    guessed: set[str] = set()
    written: dict[str, str] = {}
    for key, value in raw_row.values.items():
        text = clean(str(key)) if key is not None else None
        line = raw_row.field_lines.get(str(key), raw_row.line)
        name = field_for_header(raw.table, text) if text else None
        if name is None:
            problem, guess = _unknown_field(raw.table, raw.source, line, text or repr(key))
            problems.append(problem)
            if guess is not None:
                guessed.add(guess)
            continue
        if name in written:
            message = f"trường trùng / field repeats '{written[name]}'"
            problems.append(Problem(raw.source, line, text, message))
            continue
        written[name] = text or name
        values[name] = clean(value)
        if line is not None:
            lines[name] = line
    return values, lines, problems, guessed


def pydantic_problems(
    source: str,
    line: int | None,
    lines: Mapping[str, int],
    exc: ValidationError,
    skip: Collection[str] = (),
    fields: Collection[str] = (),
) -> list[Problem]:
    """Pydantic's errors as Problems, each on the line of its field when known.

    A `missing` error for a field in `skip` is left out (the caller reported it, knowing the header);
    an unknown field gets a suggestion among `fields`.
    """
    problems = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        name = loc[0] if loc else None
        if error["type"] == "missing" and name in skip:
            continue
        message = _readable(error)
        if error["type"] == "extra_forbidden" and name is not None:
            message += did_you_mean(name, fields)
        value = None if error["type"] in ("missing", "extra_forbidden") else shown(error.get("input"))
        problems.append(Problem(source, lines.get(name or "", line), ".".join(loc) or None, message, value))
    return problems


# Pydantic error type -> message (formatted with the error's context), for the errors our rows raise.
_MESSAGES = {
    "missing": MISSING,
    "extra_forbidden": "trường không tồn tại / unknown field",
    "int_parsing": "phải là số nguyên / must be a whole number",
    "int_type": "phải là số nguyên / must be a whole number",
    "int_from_float": "phải là số nguyên / must be a whole number",
    "string_type": "phải là văn bản / must be text",
    "list_type": "phải là một danh sách / must be a list",
    "too_short": "không được để trống / must not be empty",
    "greater_than_equal": "phải từ {ge} trở lên / must be at least {ge}",
    "less_than_equal": "không được quá {le} / must be at most {le}",
    "string_pattern_mismatch": "sai định dạng / must match {pattern}",
}


def _readable(error: ErrorDetails) -> str:
    """A pydantic error in plain words; a validator's own message without the 'Value error, ' prefix."""
    template = _MESSAGES.get(error["type"])
    if template is not None:
        try:
            return template.format(**error.get("ctx", {}))
        except (KeyError, IndexError):
            pass
    message = error["msg"]
    return message.removeprefix("Value error, ")


__all__ = [
    "MISSING",
    "Entry",
    "ParsedTable",
    "RawRow",
    "RawTable",
    "parse_table",
    "pydantic_problems",
    "required_fields",
    "rows_from_grid",
]
