"""Property: a finding computed from a date given as a month equals the day-precision finding whenever every day
of that month gives the same one, and is `unknown` (naming the field) when the days disagree. The ground truth
evaluates the same case once per day of the month."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.rules.rulebook import Rulebook
from engine.workspace import open_rulebook
from tests.scenario_support import run_case

RULES = ("TENURE-24M", "AGE-FULLTERM", "DISCIPLINE-BAR", "ND29-TRANS-QLNN", "QH-REQUIRED")
POST = {"sector": "hanh-chinh", "unit_level": "tinh", "managed_by": "don-vi"}
PHO = {**POST, "tier": "cap-phong", "role": "pho"}
TRUONG = {**POST, "tier": "cap-phong", "role": "truong"}
GD_SO = {**POST, "tier": "cap-so", "role": "truong", "managed_by": "btv-tinh-uy"}


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return open_rulebook(packs=["national"])


def _person(born: object, gender: str) -> dict[str, Any]:
    return {"birth_date": born, "gender": gender, "category": "cong-chuc", "party_member_since": dt.date(1995, 1, 1),
            "education": "dai-hoc", "grade": "01.002", "grade_since": dt.date(2012, 1, 1)}


def _tenure(month: tuple[int, int], day: dt.date, value: object) -> dict[str, Any]:
    return {"as_of": day, "person": _person(dt.date(1978, 6, 1), "nam"),
            "history": [{"post": PHO, "start": value}],
            "event": {"basis": "proposed", "post": TRUONG, "date": day}}


def _discipline(kind: str, day: dt.date, value: object) -> dict[str, Any]:
    return {"as_of": dt.date(2026, 11, 23), "person": _person(dt.date(1978, 6, 1), "nam"),
            "history": [{"post": PHO, "start": dt.date(2015, 1, 5), "end": day - dt.timedelta(days=1)}],
            "disciplines": [{"kind": kind, "effective": value}],
            "event": {"basis": "appointed", "post": TRUONG, "date": day}}


def _birth(gender: str, day: dt.date, value: object) -> dict[str, Any]:
    return {"as_of": dt.date(2026, 11, 23), "person": _person(value, gender),
            "history": [{"post": PHO, "start": dt.date(2012, 1, 5), "end": day - dt.timedelta(days=1)}],
            "event": {"basis": "appointed", "post": TRUONG, "date": day}}


def _nd29(gender: str, day: dt.date, value: object) -> dict[str, Any]:
    return {"as_of": day, "person": _person(value, gender),
            "event": {"basis": "holds", "post": GD_SO, "date": dt.date(2020, 6, 1)}}


def _dossier(gender: str, day: dt.date, value: object) -> dict[str, Any]:
    case = _birth(gender, day, dt.date(1966, 3, 20))
    case["event"]["submitted"] = value
    case["event"]["date"] = max(day, dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1]))
    return case


def _statuses(book: Rulebook, case: dict[str, Any]) -> dict[tuple[str, str | None], tuple[str, list[str]]]:
    return {(f.rule, f.variant): (f.status, f.unknown_fields) for f in run_case(book, case, backend="python")
            if f.rule in RULES}


def _check(book: Rulebook, build: Any, year: int, month: int, field: str) -> None:
    days = [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    truth = [_statuses(book, build(day)) for day in days]
    partial = _statuses(book, build(f"{month:02d}/{year}"))
    for key in {k for t in truth for k in t} | set(partial):
        seen = {t[key][0] if key in t else None for t in truth}
        if len(seen) == 1:
            assert partial.get(key, (None, []))[0] == seen.pop(), key
        else:
            assert partial[key][0] == "unknown" and field in partial[key][1], (key, seen, partial.get(key))


MONTHS = st.tuples(st.integers(2018, 2024), st.integers(1, 12))
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(month=MONTHS, offset=st.integers(-40, 40))
def test_months_in_post(book: Rulebook, month: tuple[int, int], offset: int) -> None:
    year, m = month
    day = dt.date(year + 2, m, 1) + dt.timedelta(days=offset)  # about 24 months after the start
    _check(book, lambda value: _tenure(month, day, value), year, m, "appointments.start")


@SETTINGS
@given(month=st.tuples(st.integers(2019, 2024), st.integers(1, 12)),
       kind=st.sampled_from(["khien-trach", "canh-cao", "cach-chuc"]), after=st.integers(300, 2000))
def test_discipline_windows(book: Rulebook, month: tuple[int, int], kind: str, after: int) -> None:
    year, m = month
    day = dt.date(year, m, 1) + dt.timedelta(days=after)
    _check(book, lambda value: _discipline(kind, day, value), year, m, "disciplines.effective")


@SETTINGS
@given(month=st.tuples(st.integers(1955, 1980), st.integers(1, 12)), gender=st.sampled_from(["nam", "nu"]),
       day=st.dates(dt.date(2015, 1, 1), dt.date(2026, 6, 30)))
def test_birth_month_in_the_age_rule(book: Rulebook, month: tuple[int, int], gender: str, day: dt.date) -> None:
    year, m = month
    _check(book, lambda value: _birth(gender, day, value), year, m, "people.birth_date")


@SETTINGS
@given(month=st.tuples(st.integers(1958, 1968), st.integers(1, 12)), gender=st.sampled_from(["nam", "nu"]),
       day=st.dates(dt.date(2024, 5, 1), dt.date(2026, 6, 30)))
def test_birth_month_in_the_nd29_exemption(book: Rulebook, month: tuple[int, int], gender: str, day: dt.date) -> None:
    year, m = month
    _check(book, lambda value: _nd29(gender, day, value), year, m, "people.birth_date")


@SETTINGS
@given(month=st.tuples(st.integers(2019, 2025), st.integers(1, 12)), gender=st.sampled_from(["nam", "nu"]))
def test_dossier_month_in_the_age_rule(book: Rulebook, month: tuple[int, int], gender: str) -> None:
    year, m = month
    day = dt.date(year, m, 1)
    _check(book, lambda value: _dossier(gender, day, value), year, m, "appointments.submitted")
