"""Mapping files: how the columns of an office's workbook become dtbd's tables (issue 19, item 2).

A mapping (YAML, docs/anh-xa-du-lieu.md) names the sheets to read, the rows that hold each sheet's
header (several rows are merged: a column's header is its non-empty header cells from top to bottom,
joined by " / ", a merged cell counting for every column it spans), what each column gives, and tables
turning labels and names into codes and ids. A column gives one or more targets `table.field`, or
`table[group].field` when one source row gives several rows of a table (an LLCT and a QLNN credential).

Nothing is guessed: a column the mapping does not name, a value its table does not hold, a date with
less than its field takes (a month where a day is needed, a year where a month is: docs/data.md) —
each is an `Unmapped` naming sheet, row and column. A date cell formatted as a month ("mm/yyyy") is the
month it shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.errors import InputError, Problem
from engine.intake import serials
from engine.intake.dates import parse_partial
from engine.intake.labels import label_key
from engine.loading.xlsx_reader import column_letter, date_precision
from engine.model import TABLES, nfc
from engine.yamlio import line_at, load_path

# Tables of names read from the base dataset (engine.intake.importer): unit names and post titles -> ids.
BASE_TABLES = ("@units", "@positions")
AMBIGUOUS = ""  # a name that stands for several ids in a base table
_TARGET = re.compile(r"^(?P<table>[a-z_]+)(?:\[(?P<group>[a-z0-9_-]+)\])?\.(?P<field>[a-z_]+)$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(_Strict):
    """What one source column gives."""

    to: list[str] = Field(default_factory=list)  # targets, `table.field` or `table[group].field`
    values: str | None = None  # name of a label -> code table of the mapping
    gender: str | None = None  # a value in this column also gives people.gender (the Nam / Nữ columns)
    split: str | None = None  # regex dividing a stacked cell into one part per target, in order
    prefix: str = ""  # put before the value (ids made from a serial number)
    ignore: bool = False  # read and dropped on purpose (no field for it): not reported as unmapped
    note: str | None = None  # why (shown in the report of ignored columns)

    @field_validator("to", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("to")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        for target in value:
            target_parts(target)
        return value


class Sheet(_Strict):
    """One sheet to read: its header rows, first (and last) data row, columns and constants."""

    sheet: str
    header_rows: list[int] = Field(min_length=1)
    first_row: int | None = None  # first data row (default: the row after the last header row)
    last_row: int | None = None  # last data row (default: the sheet's last), to leave out signatures below
    columns: dict[str, Column]
    constants: dict[str, str] = Field(default_factory=dict)  # target -> value, for each row group given

    @field_validator("columns", mode="before")
    @classmethod
    def _short_forms(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        out: dict[str, Any] = {}
        for header, spec in value.items():
            if spec is None or spec == "ignore":
                out[str(header)] = {"ignore": True}
            elif isinstance(spec, str | list):
                out[str(header)] = {"to": spec}
            else:
                out[str(header)] = spec
        return out

    @field_validator("constants")
    @classmethod
    def _constant_targets(cls, value: dict[str, str]) -> dict[str, str]:
        for target in value:
            target_parts(target)
        return value


class MappingFile(_Strict):
    """A mapping file: its name, label -> code tables and sheets."""

    name: str
    description_vi: str | None = None
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    sheets: list[Sheet] = Field(min_length=1)


def target_parts(target: str) -> tuple[str, str, str]:
    """(table, group, field) of a target; ValueError for a table or field dtbd does not have."""
    found = _TARGET.match(target)
    if found is None:
        raise ValueError(f"'{target}': a target is table.field or table[group].field")
    table, group, name = found.group("table"), found.group("group") or "", found.group("field")
    if table not in TABLES:
        raise ValueError(f"'{target}': no table {table} (tables: {', '.join(TABLES)})")
    if name not in TABLES[table].model_fields:
        raise ValueError(f"'{target}': {table} has no field {name}")
    return table, group, name


def load_mapping(path: Path) -> MappingFile:
    """The mapping file `path`, or InputError naming its line and what is wrong."""
    label = str(path)
    try:
        data = load_path(path)
    except OSError as exc:
        raise InputError([Problem(label, None, None, f"không đọc được tệp / cannot read file: {exc.strerror}",
                                  code="file-unreadable")]) from None
    except Exception as exc:  # yaml errors of every kind: one problem naming the file
        raise InputError([Problem(label, None, None, f"YAML không hợp lệ / invalid YAML: {exc}",
                                  code="invalid-yaml")]) from None
    try:
        found = MappingFile.model_validate(data)
    except ValidationError as exc:
        raise InputError([Problem(label, line_at(data, tuple(e["loc"])), ".".join(map(str, e["loc"])),
                                  e["msg"].removeprefix("Value error, "), code="invalid-mapping")
                          for e in exc.errors()]) from None
    problems = [Problem(label, None, f"sheets.{sheet.sheet}.{header}", "không có bảng giá trị / no values table"
                        f" '{column.values}'", code="invalid-mapping")
                for sheet in found.sheets for header, column in sheet.columns.items()
                if column.values is not None and column.values not in found.values
                and column.values not in BASE_TABLES]
    if problems:
        raise InputError(problems)
    return found


@dataclass(frozen=True)
class Cell:
    """Where a value came from: a sheet, its row and column letter."""

    sheet: str
    row: int
    column: str


@dataclass(frozen=True)
class Unmapped:
    """A source cell (or a header) not carried over, and why."""

    cell: Cell
    header: str
    message: str
    value: object = None


@dataclass
class Result:
    """The rows each table gets, where each came from (cell of each field), and what was not mapped."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    origins: dict[str, list[tuple[str, int, dict[str, str]]]] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    ignored: list[tuple[str, str, str | None]] = field(default_factory=list)  # sheet, header, note


def _shown(cell: Any) -> object:
    """A cell's value; a date cell formatted as a month or a year as the text it shows ("03/2015", "1975")."""
    value = cell.value
    if isinstance(value, dt.date):
        precision = date_precision(str(cell.number_format or ""))
        if precision == "month":
            return f"{value.month:02d}/{value.year:04d}"
        if precision == "year":
            return f"{value.year:04d}"
    return _cell(value)


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        text = nfc(value)
        return text or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _headers(ws: Any, rows: list[int]) -> dict[int, str]:
    """Column index (1-based) -> its header, the header rows merged (merged cells fill their span)."""
    spans: dict[tuple[int, int], object] = {}
    for merged in ws.merged_cells.ranges:
        top = ws.cell(row=merged.min_row, column=merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                spans[(r, c)] = top
    width = ws.max_column
    out: dict[int, str] = {}
    for c in range(1, width + 1):
        parts: list[str] = []
        for r in rows:
            value = spans.get((r, c), ws.cell(row=r, column=c).value)
            text = " ".join(str(value).split()) if value is not None else ""
            if text and (not parts or parts[-1] != text):
                parts.append(nfc(text))
        if parts:
            out[c] = " / ".join(parts)
    return out


def read(mapping: MappingFile, source: Path, named: Mapping[str, Mapping[str, str]] | None = None) -> Result:
    """Apply `mapping` to the workbook `source`; InputError if it cannot be opened or lacks a sheet.

    `named`: the base tables of names (BASE_TABLES) -> {name: id}, AMBIGUOUS for a name of several ids.
    """
    import openpyxl  # only when importing

    label = str(source)
    try:
        book = openpyxl.load_workbook(source, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise InputError([Problem(label, None, None, "không mở được tệp Excel / cannot open the workbook:"
                                  f" {exc or type(exc).__name__}", code="workbook-unreadable")]) from None
    epoch = book.epoch.date() if isinstance(book.epoch, dt.datetime) else None
    result = Result()
    missing = [s.sheet for s in mapping.sheets if s.sheet not in book.sheetnames]
    if missing:
        raise InputError([Problem(label, None, None, f"không có trang tính / no sheet '{name}' (sheets:"
                                  f" {', '.join(book.sheetnames)})", code="sheet-missing") for name in missing])
    lookups = {name: {label_key(k): v for k, v in table.items()} for name, table in mapping.values.items()}
    for name, table in (named or {}).items():
        lookups[name] = {label_key(k): v for k, v in table.items()}
    for sheet in mapping.sheets:
        _read_sheet(book[sheet.sheet], sheet, lookups, epoch, result)
    return result


def _read_sheet(ws: Any, sheet: Sheet, lookups: dict[str, dict[str, str]], epoch: dt.date | None,
                result: Result) -> None:
    headers = _headers(ws, sheet.header_rows)
    wanted = {label_key(header): (header, column) for header, column in sheet.columns.items()}
    columns: dict[int, tuple[str, Column]] = {}
    header_row = sheet.header_rows[-1]
    for index, header in headers.items():
        found = wanted.pop(label_key(header), None)
        if found is None:
            result.unmapped.append(Unmapped(Cell(sheet.sheet, header_row, column_letter(index)), header,
                                            "cột không có trong tệp ánh xạ / column not in the mapping"))
        elif found[1].ignore:
            result.ignored.append((sheet.sheet, header, found[1].note))
        else:
            columns[index] = (header, found[1])
    for header, _ in wanted.values():
        result.unmapped.append(Unmapped(Cell(sheet.sheet, header_row, ""), header,
                                        "tệp ánh xạ nêu cột không có trong trang tính / mapped column not found"))
    first = sheet.first_row or max(sheet.header_rows) + 1
    rows = ws.iter_rows(min_row=first, max_row=sheet.last_row)
    for row_number, cells in enumerate(rows, start=first):
        values = [_shown(c) for c in cells]
        if all(v is None for v in values):
            continue
        _read_row(sheet, row_number, values, columns, lookups, epoch, result)


def _parts(column: Column, value: object) -> list[object]:
    if column.split is None or not isinstance(value, str):
        return [value]
    return [part.strip() or None for part in re.split(column.split, value)]


def _read_row(sheet: Sheet, row_number: int, values: list[object], columns: dict[int, tuple[str, Column]],
              lookups: dict[str, dict[str, str]], epoch: dt.date | None, result: Result) -> None:
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    where: dict[tuple[str, str], dict[str, str]] = {}
    for index, (header, column) in columns.items():
        value = values[index - 1] if index - 1 < len(values) else None
        if value is None:
            continue
        cell = Cell(sheet.sheet, row_number, column_letter(index))
        if column.gender is not None:
            groups.setdefault(("people", ""), {})["gender"] = column.gender
        for target, part in zip(column.to, _parts(column, value), strict=False):
            if part is None:
                continue
            table, group, name = target_parts(target)
            converted = _convert(table, name, part, column, lookups, epoch)
            if isinstance(converted, Unmapped):
                result.unmapped.append(Unmapped(cell, header, converted.message, part))
                continue
            groups.setdefault((table, group), {})[name] = converted
            where.setdefault((table, group), {})[name] = cell.column
    if not groups:
        return
    for target, constant in sheet.constants.items():
        table, group, name = target_parts(target)
        if (table, group) in groups:
            groups[(table, group)].setdefault(name, constant)
    person = groups.get(("people", ""), {}).get("id")
    for (table, _group), row in groups.items():
        if table != "people" and "person" in TABLES[table].model_fields and "person" not in row and person:
            row["person"] = person
    for key, row in groups.items():
        table = key[0]
        result.tables.setdefault(table, []).append(row)
        result.origins.setdefault(table, []).append((sheet.sheet, row_number, where.get(key, {})))


def _convert(table: str, name: str, value: object, column: Column, lookups: dict[str, dict[str, str]],
             epoch: dt.date | None) -> object:
    """The value a field gets, or an Unmapped (its cell filled in by the caller) saying why none."""
    if column.values is not None:
        code = lookups.get(column.values, {}).get(label_key(str(value)))
        if code == AMBIGUOUS:
            return Unmapped(Cell("", 0, ""), "", f"tên này ứng với nhiều mã trong «{column.values}»: ghi kèm mã trong"
                            " ngoặc, ví dụ «Phó Giám đốc Sở Nội vụ (SNV-PGD1)» / the name stands for several ids:"
                            " add the id in brackets")
        if code is None:
            return Unmapped(Cell("", 0, ""), "", f"giá trị không có trong bảng «{column.values}» / value not in"
                            f" the mapping's table '{column.values}'")
        return code
    if name in serials.date_fields(table):
        if isinstance(value, dt.date):
            return value
        day = serials.from_serial(value, epoch) if isinstance(value, int | float) else None
        if day is not None:
            return day
        try:
            return parse_partial(str(value), serials.date_accepts(table, name))
        except ValueError as exc:
            return Unmapped(Cell("", 0, ""), "", str(exc))
    text = str(value)
    return column.prefix + text if column.prefix else text


__all__ = ["AMBIGUOUS", "BASE_TABLES", "Cell", "Column", "MappingFile", "Result", "Sheet", "Unmapped",
           "column_letter", "load_mapping", "read", "target_parts"]
