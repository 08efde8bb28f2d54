"""Dates as offices write them: ISO, or day first — never month first, never guessed.

Accepted: `YYYY-MM-DD`, `DD/MM/YYYY`, `D/M/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY` (and date cells and
serial numbers in Excel workbooks: engine.intake.serials). Anything else is refused with a message
saying which forms are read. A day that does not exist ("31/02/1975", or "04/25/1991" typed month first)
is an impossible date.

Where the contract allows less than a day (`parse_partial`; docs/data.md "Độ chính xác"), a month and
year (`MM/YYYY`, `M/YYYY`, `MM.YYYY`, `MM-YYYY`, `YYYY-MM`) gives an engine.precision.PartialDate, and
for a birth date a year alone (`YYYY`) does too; elsewhere they are refused as such.
"""

from __future__ import annotations

import datetime as dt
import re

from engine.precision import PartialDate

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
YEAR_NEEDS_MONTH = ("chỉ có năm, cần ít nhất tháng/năm (MM/YYYY); chỉ ngày sinh được ghi năm / only a year: at"
                    " least the month and year (MM/YYYY) are needed; only a birth date may be a year alone"
                    " (Khoản 1 Điều 3 Nghị định 135/2020/NĐ-CP)")
MONTH_FORMS = "MM/YYYY, M/YYYY, YYYY-MM"

#: How much of a date a field accepts: a day; a day or a month; a day or a month read as its last day
#: (an appointment's `end`); a day, a month or a year (the birth date).
DAY, MONTH, MONTH_END, YEAR = "day", "month", "month-end", "year"


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


def _month(month: int, year: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"ngày sai: tháng {month} không có (tháng từ 1 đến 12) / invalid date: there is no month"
                         f" {month} (months are 1 to 12); write {MONTH_FORMS}")


def parse_partial(text: str, accepts: str) -> dt.date:
    """The date `text` writes (stripped) with the precision the field `accepts` (DAY, MONTH, MONTH_END, YEAR):
    a day, or a PartialDate; ValueError saying why not (a day-only field keeps parse_day's messages)."""
    if accepts == DAY:
        return parse_day(text)
    found = _MONTH_ONLY.fullmatch(text)
    if found:
        groups = found.groups()
        month, year = (int(groups[0]), int(groups[1])) if groups[0] is not None else (int(groups[3]),
                                                                                         int(groups[2]))
        _month(month, year)
        return PartialDate.month_end(year, month) if accepts == MONTH_END else PartialDate.of_month(year, month)
    if _YEAR_ONLY.fullmatch(text):
        if accepts != YEAR:
            raise ValueError(YEAR_NEEDS_MONTH)
        return PartialDate.of_year(int(text))
    return parse_day(text)


def is_partial(text: str) -> bool:
    """Whether `text` is a month and year ("03/2015", "2015-03") or a year alone: a date without its day."""
    return bool(_MONTH_ONLY.fullmatch(text) or _YEAR_ONLY.fullmatch(text))


__all__ = ["DAY", "DAY_FIRST", "FORMS", "MONTH", "MONTH_END", "MONTH_ONLY", "WRONG_FORM", "YEAR", "YEAR_NEEDS_MONTH",
           "YEAR_ONLY", "is_partial", "parse_day", "parse_partial"]
