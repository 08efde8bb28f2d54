"""Unit tests of the calendar, retirement and equivalence helpers (values from the law digest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.dates import add_months, subtract_working_days, whole_months
from engine.evaluation.credentials import Equivalences
from engine.evaluation.retirement import RetirementCalculator
from engine.model import Credential
from engine.rules.citation import render
from engine.rules.loader import load_rulebook
from engine.rules.schema import Source

MINI = Path(__file__).parent / "data" / "mini_rules"
D = dt.date


@pytest.fixture(scope="module")
def mini():  # type: ignore[no-untyped-def]
    return load_rulebook(MINI, ["national"])


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2022, 8, 18), 30) == D(2025, 2, 18)


def test_whole_months_counts_complete_months() -> None:
    assert whole_months(D(2021, 8, 15), D(2026, 8, 31)) == 60
    assert whole_months(D(2021, 9, 1), D(2026, 8, 31)) == 59
    assert whole_months(D(2024, 1, 31), D(2024, 2, 29)) == 1


def test_working_days_skip_weekends() -> None:
    assert subtract_working_days(D(2026, 11, 23), 5) == D(2026, 11, 16)


@pytest.mark.parametrize(("birth", "gender", "expected"), [
    (D(1965, 2, 10), "nam", D(2026, 8, 31)),   # HD 06 example: 61y6m
    (D(1960, 12, 1), "nam", D(2020, 12, 31)),  # 60y before the roadmap
    (D(1961, 1, 5), "nam", D(2021, 4, 30)),    # 60y3m in 2021
    (D(1970, 6, 1), "nam", D(2032, 6, 30)),    # 62y from 2028
    (D(1966, 5, 1), "nu", D(2021, 9, 30)),     # 55y4m (664 months) reached in 09/2021
])
def test_retirement_dates(mini, birth: dt.date, gender: str, expected: dt.date) -> None:  # type: ignore[no-untyped-def]
    calc = RetirementCalculator(mini.retirement)
    assert calc.retirement_date(birth, gender) == expected


def test_months_to_retirement_hd06_example(mini) -> None:  # type: ignore[no-untyped-def]
    calc = RetirementCalculator(mini.retirement)
    assert calc.months_to_retirement(D(1965, 2, 10), "nam", D(2021, 8, 20)) == 60


def test_equivalences_follow_satisfies_transitively_with_date_windows(mini) -> None:  # type: ignore[no-untyped-def]
    eq = Equivalences(mini)
    cnct = Credential(person="P", programme="cu-nhan-chinh-tri", completed=D(2010, 1, 1))
    assert eq.satisfying(cnct, "llct-trung-cap") is not None  # cử nhân -> cao cấp -> trung cấp
    early = Credential(person="P", programme="llct-cao-cap-hc", completed=D(2022, 6, 29))
    late = Credential(person="P", programme="llct-cao-cap-hc", completed=D(2022, 6, 30))
    assert eq.satisfying(early, "qlnn-chuyen-vien-chinh") is not None
    assert eq.satisfying(late, "qlnn-chuyen-vien-chinh") is None
    lower = Credential(person="P", programme="ldql-cap-phong", completed=D(2020, 1, 1))
    assert eq.satisfying(lower, "ldql-cap-so") is None  # a lower certificate never satisfies a higher one


def test_citation_renders_in_vietnamese_order(mini) -> None:  # type: ignore[no-untyped-def]
    src = Source(instrument="nd-29-2024", article=34, clause=2, point="a")
    assert render(src, mini.sources) == "Điểm a Khoản 2 Điều 34 Nghị định 29/2024/NĐ-CP"
    assert render(src, mini.sources, "en") == "Art. 34(2)(a), Decree 29/2024/NĐ-CP"


def test_the_collector_is_paused_restored_and_frozen_only_when_asked() -> None:
    import gc

    from engine.collector import paused

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with paused():
        assert not gc.isenabled()
        made = [[i] for i in range(10)]
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # what a chunk makes is left to the collector
    with paused(freeze=True):
        made += [[i] for i in range(10)]
    assert gc.isenabled() and gc.get_freeze_count() > frozen
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # turned back on only if it was on
    finally:
        gc.enable()
        gc.unfreeze()
