"""Writing a dataset's tables to one Excel workbook, as `engine.loading.xlsx_reader` reads them back.

One sheet per table, named in Vietnamese (SHEETS_VI), the Vietnamese column headers of
`header_for_field` on the first row, real date cells shown dd/mm/yyyy, numbers as numbers and codes
and ids as text cells (so `01.003` stays a grade code and `010` an id when the sheet is edited).
The column kinds here are read off the model, so the template (`dtbd template`) uses them too.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import annotated_types

from engine.atomic import write_atomic
from engine.cells import neutralise
from engine.dataset import Dataset
from engine.intake import personal_id
from engine.loading.headers import header_for_field
from engine.loading.xlsx_reader import sheet_name
from engine.model import TABLES, Row, annotation_types
from engine.precision import MONTH, PartialDate

DATE_FORMAT = "DD/MM/YYYY"
# Dates given as a month or a year (engine.precision): Excel shows them so, and the reader reads them back
# so (engine.loading.xlsx_reader.date_precision).
MONTH_FORMAT = "MM/YYYY"
YEAR_FORMAT = "YYYY"
TEXT_FORMAT = "@"
_WIDEST = 60

Kind = Literal["date", "int", "text"]


def field_kind(table: str, name: str) -> Kind:
    """What a column holds: dates, whole numbers, or text (codes, ids, names)."""
    found = annotation_types(TABLES[table].model_fields[name].annotation)
    if dt.date in found:
        return "date"
    if int in found:
        return "int"
    return "text"


def int_bounds(table: str, name: str) -> tuple[int | None, int | None]:
    """The least and greatest value the model accepts for an int field (None: unbounded)."""
    low: int | None = None
    high: int | None = None
    for item in TABLES[table].model_fields[name].metadata:
        if isinstance(item, annotated_types.Ge) and isinstance(item.ge, int):
            low = item.ge
        elif isinstance(item, annotated_types.Le) and isinstance(item.le, int):
            high = item.le
    return low, high


def set_cell(cell: Any, value: object) -> None:
    """Write `value` so Excel shows what the loader reads: dates as dates, text never as a formula — not
    even once the cell is edited (engine.cells.neutralise; the reader restores it). Every cell dtbd writes
    with data in it goes through here."""
    if isinstance(value, dt.datetime):
        value = value.date()
    value = neutralise(value)
    if isinstance(value, PartialDate):  # a date cell showing what was given (the reader reads it back so)
        cell.value = dt.date(value.year, value.month, value.day)
        cell.number_format = MONTH_FORMAT if value.precision == MONTH else YEAR_FORMAT
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=…" for a formula


def shown_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_columns(ws: Any, rows: Iterable[Sequence[object]], least: int = 6) -> None:
    """Column widths from the longest value shown in each column, within reason."""
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, 1):
            widths[index] = max(widths.get(index, least), shown_width(value) + 2)
    from openpyxl.utils import get_column_letter  # openpyxl (and the numpy it takes) only when writing xlsx

    for index, width in widths.items():
        ws.column_dimensions[get_column_letter(index)].width = min(width, _WIDEST)


def table_sheet(book: Any, table: str, rows: Sequence[Row], headers: Sequence[str] | None = None,
                shown: Callable[[str, object], object] | None = None) -> Any:
    """A sheet for `table` in `book`: the header row (bold, frozen), then one line per row.

    `shown(field, value)` is what a cell shows (default: the value; the personal id masked).
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet_name(table))
    names = list(TABLES[table].model_fields)
    titles = list(headers) if headers is not None else [header_for_field(table, name) for name in names]
    for index, title in enumerate(titles, 1):
        set_cell(ws.cell(row=1, column=index), title)
        ws.cell(row=1, column=index).font = Font(bold=True)
    ws.freeze_panes = "A2"
    for index, name in enumerate(names, 1):
        kind = field_kind(table, name)
        if kind != "int":
            column = ws.column_dimensions[get_column_letter(index)]
            column.number_format = DATE_FORMAT if kind == "date" else TEXT_FORMAT
    show = shown or _masked
    lines = [[show(name, getattr(row, name)) for name in names] for row in rows]
    for line, values in enumerate(lines, 2):
        for index, value in enumerate(values, 1):
            if value is not None:
                set_cell(ws.cell(row=line, column=index), value)
    fit_columns(ws, [titles, *lines], least=10)
    return ws


def _masked(name: str, value: object) -> object:
    return personal_id.mask(value) if name == personal_id.FIELD else value


def workbook_bytes(book: Any) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dataset_to_xlsx(dataset: Dataset, path: Path) -> None:
    """Every table of `dataset`, empty ones too, as the sheets of one workbook at `path` (atomically)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        table_sheet(book, table, getattr(dataset, table))
    write_atomic(path, workbook_bytes(book))


__all__ = ["DATE_FORMAT", "TEXT_FORMAT", "dataset_to_xlsx", "field_kind", "fit_columns", "int_bounds",
           "set_cell", "table_sheet", "workbook_bytes"]
