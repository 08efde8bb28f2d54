"""Rows of one table, whatever file they came from, into validated model rows or Problems.

This is the format-independent half of the loader: the YAML and CSV readers (engine.loading.readers)
feed it, and so can an Excel reader — a sheet is a grid, so `rows_from_grid` maps its header and
`parse_table` validates its rows exactly as for a CSV file. Nothing here raises on bad input:
every fault becomes a `Problem` naming the file (`source`), the line and the field.

A large CSV file is read as it is checked (`grid_table`), and its rows take a fast path: built by
pydantic-core alone (engine.loading.native), stored by column (`ParsedTable`). A row the fast path
does not take — anything unusual, any fault — is checked as any other row, by the model itself.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from engine import codes
from engine.dataset import NO_LINE, Location
from engine.errors import Problem
from engine.intake import personal_id
from engine.intake.labels import code_for
from engine.loading.grid import (
    NO_LINES,
    GridBody,
    RawRow,
    RawTable,
    clean,
    grid_table,
    required_fields,
    rows_from_grid,
    unknown_field,
)
from engine.loading.headers import field_for_header
from engine.loading.messages import did_you_mean, shown
from engine.loading.native import NativeRows, set_fields_set
from engine.model import TABLES, Row

MISSING = "thiếu giá trị bắt buộc / required value missing"


@dataclass(frozen=True)
class Entry:
    """A validated row and where it came from (with the line of each field, for later checks)."""

    row: Row
    location: Location
    field_lines: Mapping[str, int]

    def line_of(self, name: str) -> int | None:
        """The line of field `name` (the row's line when the field has none of its own)."""
        return self.field_lines.get(name, self.location.line)


@dataclass
class ParsedTable:
    """The valid rows of a table, where each came from, and the problems of the others.

    Stored by column rather than as Entry objects, which a table of a million rows cannot afford:
    `rows[i]` came from line `lines[i]` (NO_LINE: none) of `source`, its fields from the lines in
    `field_lines[i]` when they differ (YAML rows span lines).
    """

    table: str
    source: str = ""
    rows: list[Row] = field(default_factory=list)
    lines: array[int] = field(default_factory=lambda: array("q"))
    field_lines: dict[int, Mapping[str, int]] = field(default_factory=dict)
    # ids written in the table, valid or not: a reference to a row that failed is not reported again.
    ids: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    _columns: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, row: Row, line: int | None, field_lines: Mapping[str, int]) -> None:
        """Keep a validated row and where it came from."""
        if field_lines:
            self.field_lines[len(self.rows)] = MappingProxyType(dict(field_lines))
        self.rows.append(row)
        self.lines.append(NO_LINE if line is None else line)

    def line(self, index: int) -> int | None:
        """The line of row `index`."""
        line = self.lines[index]
        return None if line == NO_LINE else line

    def line_of(self, index: int, name: str) -> int | None:
        """The line of field `name` of row `index` (the row's line when the field has none of its own)."""
        lines = self.field_lines.get(index)
        return lines.get(name, self.line(index)) if lines else self.line(index)

    def location(self, index: int) -> Location:
        """Where row `index` was read."""
        return Location(self.source, self.line(index))

    def column(self, name: str) -> list[Any]:
        """Field `name` of every row, in order (kept: the cross-table checks ask for some twice)."""
        found = self._columns.get(name)
        if found is None or len(found) != len(self.rows):
            found = self._columns[name] = list(map(attrgetter(name), self.rows))
        return found

    @property
    def entries(self) -> list[Entry]:
        """The rows as Entry objects (row, location, field lines)."""
        return [Entry(row, self.location(index), self.field_lines.get(index, NO_LINES))
                for index, row in enumerate(self.rows)]


def _given_cells(names: Sequence[str], shared: Collection[str]) -> Callable[[list[str]], dict[str, str]]:
    """For a header of `names`: a function from a row's cells (as many) to {name: cell} of those not blank.

    Written out for the header, an `if` per cell, as a third cheaper than a comprehension over zip(),
    which counts when a table has a million rows. The cells of `shared` columns are taken from a pool,
    so that equal ones are one str, not one for each row.
    """
    cells = [f"c{index}" for index in range(len(names))]
    lines = ["def given(row):", f"    {', '.join(cells)}, = row", "    values = {}"]
    lines += [f"    if {cell}: values[{name!r}] = " + (f"pooled({cell}, {cell})" if name in shared else cell)
              for cell, name in zip(cells, names, strict=True)]
    lines.append("    return values")
    pool: dict[str, str] = {}
    namespace: dict[str, Any] = {"pooled": pool.setdefault}
    exec("\n".join(lines), namespace)  # the names are field names, written as string literals
    given: Callable[[list[str]], dict[str, str]] = namespace["given"]
    return given


def parse_table(
    raw: RawTable,
    programme_codes: Collection[str],
) -> ParsedTable:
    """Validate every row of `raw` against its model; rows with any problem are left out."""
    check = _RowCheck(raw, programme_codes)
    for raw_row in raw.rows:
        if raw.mapped:  # grid rows: header mapped and values cleaned once already (fast path)
            check(raw_row.line, dict(raw_row.values), {}, [], set())
        else:
            check(raw_row.line, *_map_row(raw, raw_row))
    if raw.body is not None:
        known = len(raw.problems)
        check.body(raw.body)
        check.parsed.problems.extend(raw.problems[known:])  # met while reading the body (bad CSV)
    return check.parsed


class _RowCheck:
    """Checks the rows of one table into a ParsedTable."""

    def __init__(self, raw: RawTable, programme_codes: Collection[str]) -> None:
        self.raw = raw
        self.programme_codes = programme_codes
        self.row_class = TABLES[raw.table]
        self.required = required_fields(raw.table)
        self.native = NativeRows.of(self.row_class)
        self.parsed = ParsedTable(raw.table, raw.source, problems=list(raw.problems))

    def __call__(
        self, line: int | None, values: dict[str, Any], lines: dict[str, int], problems: list[Problem],
        guessed: set[str],
    ) -> None:
        """One row: values by field name (None: absent), the line of each field, problems found so far."""
        raw, parsed = self.raw, self.parsed
        for name in self.required:
            if values.get(name) is None and name not in raw.absent and name not in guessed:
                problems.append(Problem(raw.source, line, name, MISSING, code="missing-value"))
        if "id" in values and isinstance(values["id"], str | int):
            parsed.ids.add(str(values["id"]))
        programme = values.get("programme")
        if isinstance(programme, str) and programme not in self.programme_codes:
            programme = values["programme"] = code_for(codes.PROGRAMME, programme)  # its name, as offices write it
        if isinstance(programme, str) and programme not in self.programme_codes:
            problems.append(Problem(
                raw.source, lines.get("programme", line), "programme",
                "mã chương trình không có trong danh mục / unknown programme code" + did_you_mean(
                    programme, self.programme_codes), programme, code="unknown-code"))
        present = {k: v for k, v in values.items() if v is not None}
        row = self.native.build(present) if self.native is not None and not problems else None
        if row is None:
            try:
                row = self.row_class.model_validate(present)
            except ValidationError as exc:
                problems.extend(pydantic_problems(raw.source, line, lines, exc, skip=self.required))
        if row is not None and not problems:
            parsed.add(row, line, lines)
        parsed.problems.extend(problems)

    def body(self, body: GridBody) -> None:
        """The rows of a grid, read one by one: built natively when they can be, else as by __call__."""
        parsed, native = self.parsed, self.native
        columns = body.columns
        if native is None or not body.text or None in columns:
            for line, cells in body.rows:
                self._grid_row(body, line, cells)
            return
        names: list[str] = columns  # type: ignore[assignment]  # no None, as just checked
        width = len(names)
        given = _given_cells(names, native.texts)
        required = frozenset(self.required)
        full_row = native.fields_set(dict.fromkeys(names))  # the fields of a row with every cell given
        whole = required <= full_row  # a row with every cell given has the required ones
        programmes = self.programme_codes if "programme" in full_row else None
        ids = parsed.ids if "id" in full_row else None
        validate, build, fields_set_of = native.validate, native.build, native.fields_set
        add_row, add_line = parsed.rows.append, parsed.lines.append
        text_rows = cast(Iterator[tuple[int | None, list[str]]], body.rows)  # body.text: cells are str
        for line, cells in text_rows:
            # Cells are NFC text; the native checks reject any with whitespace at an edge (the model
            # strips it), so the blank ones are all that is left out here.
            if len(cells) == width:
                values = given(cells)
            elif len(cells) < width:
                values = {name: cell for name, cell in zip(names, cells, strict=False) if cell}
            else:
                self._grid_row(body, line, cells)  # cells beyond the header: reported there
                continue
            complete = len(values) == width
            if ((complete and whole) or required <= values.keys()) and (
                    programmes is None or values.get("programme") in programmes):
                try:
                    row = validate(values)
                except ValidationError:
                    row = build(values, full_row if complete else None)  # DD/MM/YYYY dates, else None
                else:
                    set_fields_set(row, full_row if complete else fields_set_of(values))
                if row is not None:
                    add_row(row)
                    add_line(NO_LINE if line is None else line)
                    if ids is not None:
                        ids.add(values["id"])
                    continue
            elif not values:
                continue  # a blank row
            self._grid_row(body, line, cells)

    def _grid_row(self, body: GridBody, line: int | None, cells: Sequence[object]) -> None:
        raw_row = body.row(self.raw.source, line, cells, self.parsed.problems)
        if raw_row is not None:
            self(line, dict(raw_row.values), {}, [], set())


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
            problem, guess = unknown_field(raw.table, raw.source, line, text or repr(key))
            problems.append(problem)
            if guess is not None:
                guessed.add(guess)
            continue
        if name in written:
            message = f"trường trùng / field repeats '{written[name]}'"
            problems.append(Problem(raw.source, line, text, message, code="duplicate-key"))
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
        if name == personal_id.FIELD:
            value = personal_id.mask(value)  # never shown in full (engine.intake.personal_id)
        problems.append(Problem(source, lines.get(name or "", line), ".".join(loc) or None, message, value,
                                code=problem_code(error)))
    return problems


def problem_code(error: ErrorDetails) -> str:
    """The stable code (engine.errors.PROBLEM_CODES) of a pydantic error on a row."""
    kind = error["type"]
    message = str(error.get("msg", ""))
    if kind == "missing":
        return "missing-value"
    if kind == "extra_forbidden":
        return "unknown-field"
    if "implausible" in message or "the year is outside" in message:
        return "implausible-date"
    if kind.startswith("date") or ("date" in message and kind == "value_error"):
        return "invalid-date"
    if kind == "literal_error" or " code '" in message:
        return "unknown-code"
    if "control character" in message:
        return "control-character"
    return "invalid-value"


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
    "GridBody",
    "ParsedTable",
    "RawRow",
    "RawTable",
    "clean",
    "grid_table",
    "parse_table",
    "pydantic_problems",
    "required_fields",
    "rows_from_grid",
]
