"""Shared vocabulary of the generator: row types, key dates, weighted draws, date helpers."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import unicodedata
from dataclasses import dataclass
from typing import Literal

Row = dict[str, object]
Format = Literal["csv", "yaml"]
Block = tuple[dt.date, dt.date | None]

AS_OF = dt.date(2026, 11, 23)
REFORM = dt.date(2025, 7, 1)  # two-level local government: districts dissolved, new communes created
ELECTIONS = (dt.date(2011, 6, 28), dt.date(2016, 6, 28), dt.date(2021, 6, 28), dt.date(2026, 6, 26))
PEOPLE_PER_PROVINCE = 40_000
DAY = dt.timedelta(days=1)


def nfc(text: str) -> str:
    """`text` in NFC."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class Weighted:
    """A fixed table of values and weights, drawn from by bisection on the cumulative weights."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, *pairs: tuple[str, float]) -> Weighted:
        """A weighted choice of (value, weight) pairs."""
        return cls(tuple(v for v, _ in pairs), tuple(itertools.accumulate(w for _, w in pairs)))

    def draw(self, rng: random.Random) -> str:
        """One value, drawn by weight."""
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def day_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    """A day between `low` and `high`, inclusive."""
    span = (high - low).days
    return low + dt.timedelta(days=rng.randint(0, span)) if span > 0 else low


def age_years(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
