"""Dates as offices write them: ISO, or day first — never month first, never guessed.

Accepted: `YYYY-MM-DD`, `DD/MM/YYYY`, `D/M/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY` (and date cells and
serial numbers in Excel workbooks: engine.intake.serials). Anything else is refused with a message
saying which forms are read; a month-and-year ("03/2015") or a year alone is refused as such, since
the dataset holds days. A day that does not exist ("31/02/1975", or "04/25/1991" typed month first)
is an impossible date.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{2})\.(\d{2})\.(\d{4})|(\d{2})-(\d{2})-(\d{4})")
_MONTH_ONLY = re.compile(r"(\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})")
_YEAR_ONLY = re.compile(r"\d{4}")

#: Text that is a day-first date in one of the accepted forms (the loader's fast path reads them too).
DAY_FIRST = _DAY_FIRST

FORMS = "YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY"
WRONG_FORM = (f"ngày phải có dạng {FORMS} / date must be YYYY-MM-DD or DD/MM/YYYY"
              " (also D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY)")
MONTH_ONLY = ("chỉ có tháng/năm, cần ghi đủ ngày / only a month and year: a full date (day, month, year)"
              " is needed")
YEAR_ONLY = "chỉ có năm, cần ghi đủ ngày / only a year: a full date (day, month, year) is needed"


def _impossible(day: int, month: int, year: int, exc: ValueError) -> ValueError:
    hint = ""
    if month > 12 and day <= 12:
        hint = (f"; tháng {month} không có — ngày ghi trước tháng (DD/MM/YYYY) / there is no month {month}:"
                " write the day first")
    return ValueError(f"ngày không tồn tại / impossible date ({exc}){hint}")


def parse_day(text: str) -> dt.date:
    """The date `text` writes (stripped), or ValueError saying why not."""
    found = _ISO.fullmatch(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = _DAY_FIRST.fullmatch(text)
        if found is None:
            if _MONTH_ONLY.fullmatch(text):
                raise ValueError(MONTH_ONLY)
            if _YEAR_ONLY.fullmatch(text):
                raise ValueError(YEAR_ONLY)
            raise ValueError(WRONG_FORM)
        day, month, year = (int(g) for g in found.groups() if g is not None)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise _impossible(day, month, year, exc) from None


def is_partial(text: str) -> bool:
    """Whether `text` is a month and year ("03/2015", "2015-03") or a year alone: a date without its day."""
    return bool(_MONTH_ONLY.fullmatch(text) or _YEAR_ONLY.fullmatch(text))


__all__ = ["DAY_FIRST", "FORMS", "MONTH_ONLY", "WRONG_FORM", "YEAR_ONLY", "is_partial", "parse_day"]
