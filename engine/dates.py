"""Calendar arithmetic used by derived facts. All of it is done here, never inside the rule engine."""

from __future__ import annotations

import calendar
import datetime as dt

from engine.precision import PartialDate, given_date


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clamped to the end of a shorter month (31/1 + 1 = 28/2)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def end_of_month(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_months(start: dt.date, end: dt.date) -> int:
    """Complete calendar months from `start` to `end` (negative when `end` is earlier)."""
    if end < start:
        return -whole_months(end, start)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def whole_years(start: dt.date, end: dt.date) -> int:
    """Complete years from `start` to `end`."""
    return whole_months(start, end) // 12


def month_index(day: dt.date) -> int:
    """Months since year 0 of `day`'s month (consecutive months, consecutive numbers)."""
    return day.year * 12 + day.month - 1


def subtract_working_days(day: dt.date, count: int) -> dt.date:
    """`count` working days (Monday to Friday) before `day`; public holidays are not modelled."""
    current = day
    left = count
    while left > 0:
        current -= dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def ordinal(day: dt.date) -> int:
    """The day number the inference engine receives for a date."""
    return day.toordinal()


def resolve_as_of(given: dt.date | None, manifest_as_of: dt.date | None) -> dt.date:
    """The evaluation date: the one asked for, else the dataset manifest's `as_of`, else today.

    The one place this rule is written (the facade, the loaders and Dataset.as_of all use it)."""
    return given or manifest_as_of or dt.date.today()


def day_text(day: dt.date | None, lang: str) -> str:
    """A date for people: dd/mm/yyyy in Vietnamese, ISO 8601 in English; "" for no date. A date given as a
    month or a year (engine.precision) reads as given: "03/2015", "1975" ("2015-03" in English)."""
    if day is None:
        return ""
    if type(day) is not dt.date:
        given = given_date(day)
        if isinstance(given, PartialDate):
            return given.text(lang)
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()
