"""Excel date serial numbers in the date columns of a workbook sheet.

A date typed into a cell formatted as a number (or pasted from another program) is a serial: days
since the workbook's epoch (30/12/1899 in the 1900 system, 01/01/1904 in the other). openpyxl gives
date-formatted cells as dates already; a plain number in a date column is read as a serial only
between 01/01/1920 and 31/12/2100, so that a year typed alone (1991) is never read as a day of 1905: it
is a year where the field takes one (a birth date: `date_accepts`), else reported. Serials are read in
workbooks only: in a CSV file, "33353" is refused like any other text.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Sequence
from typing import Any

from engine.intake.dates import DAY
from engine.model import TABLES, annotation_types

_EPOCH_1900 = dt.date(1899, 12, 30)
_EARLIEST = dt.date(1920, 1, 1)
_LATEST = dt.date(2100, 12, 31)


def date_fields(table: str) -> frozenset[str]:
    """The fields of `table` that hold dates."""
    return frozenset(name for name, info in TABLES[table].model_fields.items()
                     if dt.date in annotation_types(info.annotation))


def date_accepts(table: str, name: str) -> str:
    """The precision a date field takes (engine.intake.dates.DAY, MONTH, MONTH_END or YEAR; docs/data.md)."""
    info = TABLES[table].model_fields[name]
    pending: list[Any] = [*info.metadata, info.annotation]
    while pending:
        item = pending.pop()
        accepts = getattr(getattr(item, "func", None), "accepts", None)
        if isinstance(accepts, str):
            return accepts
        if typing.get_origin(item) is typing.Annotated:
            pending.extend(item.__metadata__)
        pending.extend(a for a in typing.get_args(item) if typing.get_origin(item) is not typing.Annotated)
    return DAY


def from_serial(value: object, epoch: dt.date | None = None) -> dt.date | None:
    """The day an Excel serial number stands for (a time of day dropped), or None if it is no plausible date."""
    epoch = epoch or _EPOCH_1900
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or value < 1:  # NaN, or before the epoch
        return None
    day = epoch + dt.timedelta(days=int(value))
    return day if _EARLIEST <= day <= _LATEST else None


def convert(cells: Sequence[object], columns: frozenset[int], epoch: dt.date | None = None) -> list[object]:
    """`cells` with the numbers in `columns` (indexes of date columns) read as serials where plausible."""
    out = list(cells)
    for index in columns:
        if index < len(out):
            day = from_serial(out[index], epoch)
            if day is not None:
                out[index] = day
    return out


__all__ = ["convert", "date_fields", "from_serial"]
