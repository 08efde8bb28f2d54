"""Retirement date (Bộ luật Lao động 2019 Art. 169 + Nghị định 135/2020), from the ruleset's table.

The retirement month is the first month M in which the person's age in whole months reaches the
retirement age of M's year (digest R3); retirement takes effect at the end of that month. The ages
themselves live in rulesets/national/retirement.yaml.
"""

from __future__ import annotations

import datetime as dt

from engine.dates import end_of_month, month_index, whole_months
from engine.precision import birth_for_retirement
from engine.rules.schema import RetirementTable


class RetirementCalculator:
    """Retirement ages and dates from the pack's retirement table, the month search cached by birth month."""

    def __init__(self, table: RetirementTable) -> None:
        self.table = table
        self._rows = {row.year: row for row in table.rows}
        self._first = min(self._rows)
        self._last = max(self._rows)
        self._by_month: dict[tuple[int, str], dt.date] = {}

    def age_months(self, year: int, gender: str) -> int:
        """The retirement age in months in `year`."""
        row = self.table.before_first_year if year < self._first else self._rows[min(year, self._last)]
        return row.men_months if gender == "nam" else row.women_months

    def retirement_date(self, birth: dt.date, gender: str) -> dt.date:
        """The retirement date of a person born on `birth` (a birth year alone counts from 01/01 of it: NĐ
        135/2020 Art. 3(1), law.md R3, also at the high end of its range)."""
        birth = birth_for_retirement(birth)
        # Only the birth month counts (the day never enters the rule): one search per month and gender.
        key = (birth.year * 12 + birth.month - 1, gender)
        found = self._by_month.get(key)
        if found is None:
            found = self._by_month[key] = self._retirement_month(birth, gender)
        return found

    def _retirement_month(self, birth: dt.date, gender: str) -> dt.date:
        start = month_index(birth)
        # The youngest possible retirement age bounds the search from below.
        index = start + min(self.age_months(y, gender) for y in range(self._first - 1, self._last + 1))
        while True:
            year = index // 12
            if index - start >= self.age_months(year, gender):
                return end_of_month(dt.date(year, index % 12 + 1, 1))
            index += 1

    def months_to_retirement(self, birth: dt.date, gender: str, on: dt.date) -> int:
        """Whole months from `on` to the retirement date."""
        return whole_months(on, self.retirement_date(birth, gender))
