"""Retirement age and date of generated people, read from the national pack's retirement table
(rulesets/national/retirement.yaml: BLLĐ 2019 Art. 169, NĐ 135/2020; law.md R1-R3), as the evaluator reads it."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from engine.evaluation.retirement import RetirementCalculator


@lru_cache(maxsize=1)
def _calculator() -> RetirementCalculator:
    from engine.rules.loader import NATIONAL, load_rulebook

    return RetirementCalculator(load_rulebook(None, [NATIONAL], verify=False).retirement)


def retirement_age_months(year: int, gender: str) -> int:
    """Retirement age in months in `year` (the ages before the roadmap for earlier years)."""
    return _calculator().age_months(year, gender)


def retirement_date(birth: dt.date, gender: str) -> dt.date:
    """Last day of the first month M in which the age in whole months reaches the age of year(M)."""
    return _calculator().retirement_date(birth, gender)
