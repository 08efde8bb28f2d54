"""Retirement age and date (law.md R1-R3: BLLĐ 2019 Art. 169, NĐ 135/2020)."""

from __future__ import annotations

import datetime as dt

from engine.dates import end_of_month


def retirement_age_months(year: int, gender: str) -> int:
    """Retirement age in months for a year: BLLĐ 2019 Art. 169 and NĐ 135/2020; 60/55 before 2021."""
    if gender == "nam":
        return 720 + 3 * min(max(year - 2020, 0), 8)
    return 660 + 4 * min(max(year - 2020, 0), 15)


def retirement_date(birth: dt.date, gender: str) -> dt.date:
    """Last day of the first month M in which the age in whole months reaches the age of year(M)."""
    born = birth.year * 12 + birth.month - 1
    year = (born + retirement_age_months(0, gender)) // 12  # the youngest age the law ever set
    while True:
        month = max(year * 12, born + retirement_age_months(year, gender))
        if month <= year * 12 + 11:
            return end_of_month(dt.date(month // 12, month % 12 + 1, 1))
        year += 1
