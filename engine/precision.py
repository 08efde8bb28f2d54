"""Dates given without their day: a month ("03/2015") or, for a birth date, a year ("1975").

Offices write histories month/year (law.md P4) and sometimes know only a birth year (R3). Such a value
is a `PartialDate`: a `datetime.date` that is the first day of its range, with the last day in `last`
and the precision it was given in. Code that knows nothing of precision reads it as that first day;
the evaluator (engine.evaluation.ends) evaluates a person with partial dates at both ends of their
ranges and keeps a result only where both ends agree. Day-precision data never meets this module.

An appointment `end` given as a month is the last day of that month (a day, not a range:
`PartialDate.month_end`); it still prints as it was given.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

MONTH = "month"
YEAR = "year"

# PartialDate values made in this process: a dataset (engine.dataset) looks for them only when any exist,
# so loading day-precision data costs nothing more.
_made = [0]


def partial_dates_made() -> int:
    """How many PartialDate values this process has made (0: no dataset of it can hold one)."""
    return _made[0]


class PartialDate(dt.date):
    """A date known to its month or year: as a date, the first day of the range; `last`, its last day."""

    __slots__ = ("last", "precision")
    last: dt.date
    precision: str

    def __new__(cls, year: int, month: int = 1, day: int = 1) -> Any:  # noqa: D102
        # date arithmetic (`+ timedelta`) rebuilds a subclass from (year, month, day): that is a plain day.
        return dt.date(year, month, day)

    @classmethod
    def _make(cls, first: dt.date, last: dt.date, precision: str) -> PartialDate:
        made = dt.date.__new__(cls, first.year, first.month, first.day)
        made.last = last
        made.precision = precision
        _made[0] += 1
        return made

    @classmethod
    def of_month(cls, year: int, month: int) -> PartialDate:
        """The month `month` of `year`: its first to its last day."""
        last = calendar.monthrange(year, month)[1]
        return cls._make(dt.date(year, month, 1), dt.date(year, month, last), MONTH)

    @classmethod
    def of_year(cls, year: int) -> PartialDate:
        """The year `year`: 01/01 to 31/12."""
        return cls._make(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR)

    @classmethod
    def month_end(cls, year: int, month: int) -> PartialDate:
        """The last day of a month, given as the month (an appointment's `end`): one day, shown as the month."""
        day = dt.date(year, month, calendar.monthrange(year, month)[1])
        return cls._make(day, day, MONTH)

    def __reduce__(self) -> Any:
        return _rebuild, (self.year, self.month, self.day, self.last.toordinal(), self.precision)

    def replace(self, *args: Any, **kwargs: Any) -> dt.date:  # type: ignore[override]
        """A plain day (a replaced date has a day)."""
        return dt.date(self.year, self.month, self.day).replace(*args, **kwargs)

    @property
    def is_range(self) -> bool:
        """Whether the value stands for more than one day (an `end` month is one day)."""
        return self.last != dt.date(self.year, self.month, self.day)

    def isoformat(self) -> str:
        """As given, in ISO 8601: "2015-03" or "1975"."""
        if self.precision == YEAR:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}"

    def text(self, lang: str) -> str:
        """As given, for people: "03/2015" / "1975" in Vietnamese, ISO in English."""
        if lang != "vi" or self.precision == YEAR:
            return self.isoformat()
        return f"{self.month:02d}/{self.year:04d}"

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r}, last={self.last.isoformat()})"


def _rebuild(year: int, month: int, day: int, last: int, precision: str) -> PartialDate:
    return PartialDate._make(dt.date(year, month, day), dt.date.fromordinal(last), precision)


class HighEnd(dt.date):
    """The last day of a PartialDate's range, standing for it in an evaluation at the high end."""

    __slots__ = ("given",)
    given: PartialDate

    def __new__(cls, year: int, month: int = 1, day: int = 1) -> Any:  # noqa: D102
        return dt.date(year, month, day)

    @classmethod
    def of(cls, given: PartialDate) -> HighEnd:
        """The high end of `given`."""
        last = given.last
        made = dt.date.__new__(cls, last.year, last.month, last.day)
        made.given = given
        return made

    def __reduce__(self) -> Any:
        return HighEnd.of, (self.given,)

    def replace(self, *args: Any, **kwargs: Any) -> dt.date:  # type: ignore[override]
        """A plain day."""
        return dt.date(self.year, self.month, self.day).replace(*args, **kwargs)

    def isoformat(self) -> str:
        """As the value was given."""
        return self.given.isoformat()

    def __str__(self) -> str:
        return self.given.isoformat()


def given_date(day: dt.date) -> dt.date:
    """The value as given: a HighEnd's PartialDate, else `day` itself."""
    return day.given if type(day) is HighEnd else day


def latest(day: dt.date) -> dt.date:
    """The last day a date may be: a PartialDate's last day, else the day itself."""
    return day.last if type(day) is PartialDate else day


def earliest(day: dt.date) -> dt.date:
    """The first day a date given as a month may be (an `end` month stands for its last day, but the post
    may have been left on any day of it), else the day itself."""
    return dt.date(day.year, day.month, 1) if type(day) is PartialDate else day


def is_range(value: object) -> bool:
    """Whether `value` is a PartialDate standing for more than one day."""
    return type(value) is PartialDate and value.is_range


def birth_for_retirement(birth: dt.date) -> dt.date:
    """The birth date NĐ 135/2020 Art. 3(1) counts from: a year alone is 01/01 of it (law.md R3, rule 25);
    a month gives its month whatever the day (only the month enters the rule)."""
    return given_date(birth)


__all__ = [
    "MONTH",
    "YEAR",
    "HighEnd",
    "PartialDate",
    "birth_for_retirement",
    "earliest",
    "given_date",
    "is_range",
    "latest",
    "partial_dates_made",
]
