"""Reading an Excel workbook (`NAME.xlsx`) into RawTables: one sheet per table (docs/data.md).

Personnel offices keep their lists in Excel, laid out for people: a merged title or two above the
column names, Vietnamese headers, dates typed as dates or as text. This reader accepts that layout
and hands each sheet to the same `rows_from_grid`/`parse_table` as a CSV file, so every check is
the same. What differs is where a problem points: the file is `data.xlsx[Cán bộ]` (workbook and
sheet), the line is the sheet's row number, and the field carries the column letter, `C (birth_date)`,
which is what an official can find in Excel.

Cell values become what a CSV cell would hold — text — except dates, which stay dates: numbers
become their digits (`40`, not `40.0`), so an int field takes a number cell and an id typed as a
number is still an id; formulas count by their last computed value (`data_only`).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

from engine.cells import restore
from engine.errors import Problem
from engine.intake import serials
from engine.loading.headers import field_for_header, header_key
from engine.loading.messages import did_you_mean
from engine.loading.tables import RawTable, clean, rows_from_grid
from engine.model import TABLES

# table -> Vietnamese sheet names; the first is the one exports and templates write. Declared once,
# here: the writer, the template and this reader all use it.
_SHEETS_VI: dict[str, tuple[str, ...]] = {
    "units": ("Đơn vị", "Cơ quan, đơn vị"),
    "positions": ("Chức vụ", "Chức vụ lãnh đạo, quản lý"),
    "people": ("Cán bộ", "Cán bộ, công chức, viên chức", "Nhân sự"),
    "credentials": ("Văn bằng, chứng chỉ", "Văn bằng chứng chỉ", "Chứng chỉ"),
    "appointments": ("Quá trình giữ chức vụ", "Bổ nhiệm"),
    "plans": ("Quy hoạch",),
    "ratings": ("Đánh giá, xếp loại", "Xếp loại", "Đánh giá"),
    "disciplines": ("Kỷ luật",),
    "courses": ("Lớp học", "Khóa học", "Lớp đào tạo, bồi dưỡng"),
    "quotas": ("Chỉ tiêu",),
}
SHEETS_VI: Mapping[str, tuple[str, ...]] = MappingProxyType(_SHEETS_VI)

# Sheets of the template (`dtbd template`) that hold no table: skipped on input.
INSTRUCTIONS_SHEET = "Hướng dẫn"
CODES_SHEET = "Danh mục"
_AUXILIARY = frozenset(header_key(name) for name in (INSTRUCTIONS_SHEET, CODES_SHEET))

# Rows searched for the header below title rows; a header further down is not looked for.
_HEADER_SCAN = 30
# A cell of the row official forms put under the header to number the columns: "1", "(2)".
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")


def _sheet_lookup() -> dict[str, str]:
    if set(_SHEETS_VI) != set(TABLES):
        raise AssertionError(f"sheet names for {sorted(set(_SHEETS_VI))}, tables are {sorted(TABLES)}")
    lookup: dict[str, str] = {}
    for table, names in _SHEETS_VI.items():
        for name in (table, *names):
            if len(name) > 31 or lookup.setdefault(header_key(name), table) != table:
                raise AssertionError(f"sheet name '{name}' is too long or names two tables")
    return lookup


_SHEET_LOOKUP = _sheet_lookup()


def sheet_name(table: str) -> str:
    """The Vietnamese name of the sheet that holds `table` in exports and templates."""
    return _SHEETS_VI[table][0]


def table_for_sheet(name: str) -> str | None:
    """The table a sheet (or workbook) name stands for: its English or Vietnamese name, any case."""
    return _SHEET_LOOKUP.get(header_key(name))


@dataclass
class Workbook:
    """What one workbook holds: a RawTable per table sheet, and where each column of each sheet is."""

    source: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    # Problems of the workbook itself (cannot be opened, a sheet that is no table, a table twice).
    problems: list[Problem] = field(default_factory=list)
    # sheet source -> column name (field, or header as written when it names no field) -> letter.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    # False when the workbook could not be opened: which tables it holds is unknown.
    opened: bool = True

    def locate(self, problem: Problem) -> Problem:
        """`problem` with the column letter before its field, when it is about a column of a sheet here."""
        letters = self.columns.get(problem.file)
        if letters is None or problem.field is None or problem.field not in letters:
            return problem
        return replace(problem, field=f"{letters[problem.field]} ({problem.field})")


def cell_value(value: object) -> object:
    """A cell's value as the loader takes it: dates as dates, everything else as text (or None)."""
    if value is None:
        return value
    if isinstance(value, str):
        return restore(value)  # a text dtbd wrote with a leading ' (engine.cells) reads back as it was
    if isinstance(value, dt.datetime):
        return value.date()  # a time of day means nothing in these tables
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _known(table: str, cells: Sequence[object]) -> int:
    return sum(1 for c in cells if isinstance(c, str) and clean(c) and field_for_header(table, c))


def _header_at(table: str, rows: Sequence[tuple[int, Sequence[object]]]) -> int:
    """Index of the header row: the first naming two known fields, below any merged title rows.

    A title cell may happen to read like a header ("Cán bộ"), hence two. Failing that, the row naming
    the most fields, else the first row with anything in it — where the header's problems are then
    reported (unknown columns, required columns missing).
    """
    scanned = rows[:_HEADER_SCAN]
    counts = [_known(table, cells) for _, cells in scanned]
    for index, count in enumerate(counts):
        if count >= 2:
            return index
    if counts and max(counts) > 0:
        return counts.index(max(counts))
    return next((i for i, (_, cells) in enumerate(scanned) if any(clean(c) is not None for c in cells)), 0)


def _numbers_columns(cells: Sequence[object]) -> bool:
    """Whether a row only numbers the columns above it — (1), (2), (3)… — as official forms do."""
    numbers = []
    for cell in cells:
        text = clean(cell) if isinstance(cell, str) else None
        if text is None and cell is not None and not isinstance(cell, str):
            return False
        if text is not None:
            found = _COLUMN_NUMBER.match(text)
            if found is None:
                return False
            numbers.append(int(found.group(1)))
    return len(numbers) >= 2 and all(a < b for a, b in pairwise(numbers))


def _columns(table: str, header: Sequence[object]) -> dict[str, str]:
    letters: dict[str, str] = {}
    for index, cell in enumerate(header):
        text = clean(cell) if isinstance(cell, str) else None
        if not text:
            continue
        name = field_for_header(table, text)
        key = name if name is not None and name not in letters else text
        letters.setdefault(key, column_letter(index + 1))
    return letters


def column_letter(index: int) -> str:
    """Excel's column letters: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_sheet(table: str, source: str, rows: Sequence[tuple[int, Sequence[object]]],
               epoch: dt.date | None = None) -> tuple[RawTable, dict[str, str]]:
    """One sheet's rows (row number, cell values) into a RawTable, and the letter of each column.

    Numbers in date columns are Excel serials (engine.intake.serials), counted from `epoch`.
    """
    grid = [(line, [cell_value(c) for c in cells]) for line, cells in rows]
    start = _header_at(table, grid)
    if grid:
        dated = serials.date_fields(table)
        columns = frozenset(i for i, c in enumerate(grid[start][1])
                            if isinstance(c, str) and field_for_header(table, c) in dated)
        if columns:
            grid[start + 1:] = [(line, [cell_value(c) for c in serials.convert(cells, columns, epoch)])
                                for line, cells in rows[start + 1:]]
    body = grid[start + 1:]
    if body and _numbers_columns(body[0][1]):
        body = body[1:]
    raw = rows_from_grid(table, source, grid[start:start + 1] + body)
    return raw, (_columns(table, grid[start][1]) if grid else {})


def _has_content(rows: Sequence[tuple[int, Sequence[object]]]) -> bool:
    return any(clean(cell_value(c)) is not None for _, cells in rows for c in cells)


Sheet = tuple[str, str, list[tuple[int, tuple[Any, ...]]]]  # title, state, rows
FORMULA_WITHOUT_VALUE = ("công thức không có giá trị / formula without a value: open and save the workbook in"
                         " Excel, or type the value")


def _has_formulas(path: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (an `<f>` element): most hold none."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    data = part.read()
                if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                    return True
    return False


def _formulas_without_value(path: Path, sheets: Sequence[Sheet]) -> list[tuple[str, int, int]]:
    """(sheet, row, column) of every formula whose last computed value the file does not hold.

    openpyxl's `data_only` gives such a cell as empty (a workbook written by a program, never opened
    in Excel, has no computed values): read as blank, a required value would be silently missing.
    """
    holes = {(title, line, column) for title, _, rows in sheets for line, cells in rows
             for column, value in enumerate(cells, 1) if value is None}
    if not holes or not _has_formulas(path):
        return []
    import openpyxl

    found: list[tuple[str, int, int]] = []
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for ws in book.worksheets:
            ws.reset_dimensions()
            for line, cells in enumerate(ws.iter_rows(), start=1):
                for column, cell in enumerate(cells, 1):
                    if getattr(cell, "data_type", None) == "f" and (str(ws.title), line, column) in holes:
                        found.append((str(ws.title), line, column))
    finally:
        book.close()
    return found


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def date_precision(number_format: str) -> str | None:
    """"month" for a date format showing only month and year (mm/yyyy, mmm-yy), "year" for one showing the
    year alone (yyyy), else None (a day, or no date)."""
    shown = _QUOTED.sub("", number_format.split(";", 1)[0]).lower()
    if "y" not in shown or any(c in shown for c in "dhs"):
        return None
    return "month" if "m" in shown else "year"


def _partial_formats(book: Any) -> frozenset[str]:
    """The number formats of the workbook's cell styles that show a date without its day."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    formats = list(getattr(book, "_number_formats", []))
    found = set()
    for style in getattr(book, "_cell_styles", []):
        fid = style.numFmtId
        text = BUILTIN_FORMATS.get(fid) if fid < 164 else (formats[fid - 164] if fid - 164 < len(formats) else None)
        if text and date_precision(text):
            found.add(text)
    return frozenset(found)


def _as_given(cell: Any, partial: frozenset[str]) -> object:
    """A cell's value; a date cell formatted as a month (or a year) as the text it shows: "03/2015", "1975"."""
    value = getattr(cell, "value", None)
    if isinstance(value, dt.date) and getattr(cell, "number_format", None) in partial:
        precision = date_precision(cell.number_format)
        return f"{value.month:02d}/{value.year:04d}" if precision == "month" else f"{value.year:04d}"
    return value


def _sheets(path: Path) -> tuple[list[Sheet], dt.date]:
    """The sheets of the workbook, and the day its date serials count from."""
    # openpyxl warns about parts it drops (extensions, unknown styles); they hold no data.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import openpyxl  # only when a workbook is read: it takes a fifth of a second to import, with numpy

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets: list[Sheet] = []
            partial = _partial_formats(book)
            for ws in book.worksheets:
                ws.reset_dimensions()  # some writers record wrong dimensions; read what is there
                if partial:
                    rows = [(line, tuple(_as_given(cell, partial) for cell in cells))
                            for line, cells in enumerate(ws.iter_rows(), start=1)]
                else:
                    rows = list(enumerate(ws.iter_rows(values_only=True), start=1))
                sheets.append((str(ws.title), str(ws.sheet_state), rows))
            epoch = getattr(book, "epoch", None)
        finally:
            book.close()
        return sheets, (epoch.date() if isinstance(epoch, dt.datetime) else dt.date(1899, 12, 30))


def read_workbook(path: Path, label: str) -> Workbook:
    """Every table sheet of the workbook `path` (shown as `label`), each named `label[sheet]`.

    A sheet is a table when named after one (English or Vietnamese name, see SHEETS_VI). A workbook
    named after a table (`people.xlsx`) may hold it in one sheet of any name. Other sheets with
    anything in them are problems; empty and hidden ones, and the template's own, are skipped.
    """
    book = Workbook(label)
    try:
        sheets, epoch = _sheets(path)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file; all mean one thing
        reason = str(exc) or type(exc).__name__
        book.problems.append(Problem(label, None, None, "không mở được tệp Excel / cannot open the workbook"
                                     f" (.xlsx saved by Excel or LibreOffice expected): {reason}",
                                     code="workbook-unreadable"))
        book.opened = False
        return book
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for title, line, column in _formulas_without_value(path, sheets):
            book.problems.append(Problem(f"{label}[{title}]", line, column_letter(column), FORMULA_WITHOUT_VALUE,
                                         code="formula-without-value"))
    named: list[tuple[str, str, list[tuple[int, tuple[Any, ...]]]]] = []
    others: list[Sheet] = []
    for title, state, rows in sheets:
        table = table_for_sheet(title)
        if table is not None:
            named.append((table, title, rows))
        elif header_key(title) not in _AUXILIARY and state == "visible" and _has_content(rows):
            others.append((title, state, rows))
    implied = table_for_sheet(path.stem)
    if implied is not None and len(others) == 1 and all(table != implied for table, _, _ in named):
        title, _, rows = others.pop()
        named.append((implied, title, rows))
    choices = [*TABLES, *(name for names in _SHEETS_VI.values() for name in names)]
    for title, _, _ in others:
        book.problems.append(Problem(f"{label}[{title}]", None, None, "trang tính không mang tên bảng nào /"
                                     " sheet is not named after a table" + did_you_mean(title, choices)
                                     + f" (tables: {', '.join(TABLES)})", code="unknown-table"))
    first: dict[str, str] = {}
    for table, title, rows in named:
        source = f"{label}[{title}]"
        if table in first:
            book.problems.append(Problem(source, None, None, f"bảng {table} có hai trang tính / table given"
                                         f" twice, also as sheet '{first[table]}'; keep one", code="duplicate-table"))
            continue
        first[table] = title
        book.tables[table], book.columns[source] = read_sheet(table, source, rows, epoch)
    return book


__all__ = [
    "CODES_SHEET",
    "INSTRUCTIONS_SHEET",
    "SHEETS_VI",
    "Workbook",
    "cell_value",
    "read_sheet",
    "read_workbook",
    "sheet_name",
    "table_for_sheet",
]
