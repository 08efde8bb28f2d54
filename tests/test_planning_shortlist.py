"""Shortlists and readiness on the small demo (tests/data/plan_demo with its planning rule pack)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pytest

from engine.errors import UnknownIdError
from engine.evaluation.evaluator import Evaluator
from engine.planning.planner import Planner
from engine.planning.readiness import readiness
from engine.planning.shortlist import PastCourseError, default_reserves, shortlist
from engine.workspace import open_dataset
from tests.planning_world import DATA, PLAN_RULES, World

DEMO = DATA / "plan_demo"


@lru_cache(maxsize=2)
def demo_planner(lang: str = "vi") -> Planner:
    ws = open_dataset(DEMO, PLAN_RULES)
    return Planner(Evaluator(ws.book, ws.dataset, backend="python", lang=lang), ws.as_of, lang)


def test_nominees_up_to_capacity_then_reserves_then_the_excluded() -> None:
    sl = shortlist(demo_planner(), "K26-TC-01", reserves=10)
    assert [(n.rank, n.candidate.person) for n in sl.nominees] == [(1, "P08"), (2, "P02")]
    assert [(n.rank, n.candidate.person) for n in sl.reserves] == [(3, "P09")]
    # "Cannot tell" takes no seat (issue 13): P03 has no party membership on file, the object P10 (đối
    # tượng) no rating for 2025, a year that has ended on the as-of date (15/01/2026).
    assert [(n.candidate.person, n.candidate.basis, [f for _r, f, _t in n.items]) for n in sl.needs_data] == [
        ("P03", "holds", ["people.party_member_since"]), ("P10", "object", ["ratings"])]
    assert sl.conditional == []
    (excluded,) = sl.excluded
    assert excluded.candidate.person == "P06" and "xếp loại" in excluded.why[0]


def test_each_nominee_carries_its_deadline_and_rule() -> None:
    sl = shortlist(demo_planner(), "K26-CC-01")
    (first,) = sl.nominees
    assert first.candidate.person == "P05" and first.candidate.deadline == dt.date(2027, 1, 1)
    assert first.candidate.rule == "ND29-CAOCAP"
    assert any("Nghị định 29/2024/NĐ-CP" in r for r in first.reasons)
    assert [n.candidate.person for n in sl.reserves] == ["P01"]
    assert [e.candidate.person for e in sl.excluded] == ["P07"]
    assert "nghỉ hưu" in sl.excluded[0].why[0]


def test_a_late_course_ranks_those_who_could_be_on_time_elsewhere_lower() -> None:
    sl = shortlist(demo_planner(), "K26-TC-02")
    assert all(n.late for n in sl.nominees)
    assert any("sau hạn" in r for r in sl.nominees[0].reasons)
    assert "P10" in [e.candidate.person for e in sl.excluded]  # under 28: no part-time study


def test_reserves_default_to_a_fifth_of_the_capacity_and_are_capped() -> None:
    assert (default_reserves(30), default_reserves(2), default_reserves(0)) == (6, 1, 0)
    w = World()
    for i in range(8):
        w.person(f"P{i}", role="truong", appointed=dt.date(2021, 1, 1), credentials=("ldql-cap-phong",
                                                                                      "qlnn-chuyen-vien"))
    w.course("CVC", "qlnn-chuyen-vien-chinh", dt.date(2026, 4, 6), dt.date(2026, 5, 15), capacity=2)
    full = shortlist(w.planner(), "CVC", reserves=100)
    assert len(full.nominees) == 2 and len(full.reserves) == 6
    assert [n.candidate.person for n in shortlist(w.planner(), "CVC").reserves] == \
        [n.candidate.person for n in full.reserves[:1]]  # a fifth of 2 seats, at least one
    assert [n.rank for n in shortlist(w.planner(), "CVC", reserves=2).reserves] == [3, 4]
    assert shortlist(w.planner(), "CVC", reserves=0).reserves == []


def test_a_course_started_by_the_as_of_date_is_refused_unless_asked() -> None:
    planner = demo_planner()
    started = min(planner.ev.dataset.courses, key=lambda c: c.start)
    later = Planner(planner.ev, started.start, "vi")
    with pytest.raises(PastCourseError) as info:
        shortlist(later, started.id)
    assert started.id in str(info.value) and "--include-past" in str(info.value)
    assert shortlist(later, started.id, include_past=True).course == started


def test_unknown_course() -> None:
    with pytest.raises(UnknownIdError) as info:
        shortlist(demo_planner(), "K26-TC1")
    assert "K26-TC-01" in str(info.value)


def test_ranking_overdue_before_due_in_a_shortlist() -> None:
    w = World()
    cvc = ("ldql-cap-phong", "qlnn-chuyen-vien")
    w.person("DUE", role="truong", appointed=dt.date(2025, 6, 1), credentials=cvc)
    w.person("OVER", role="truong", appointed=dt.date(2021, 1, 1), credentials=cvc)
    w.course("CVC", "qlnn-chuyen-vien-chinh", dt.date(2026, 4, 6), dt.date(2026, 5, 15), capacity=1)
    sl = shortlist(w.planner(), "CVC")
    assert [n.candidate.person for n in sl.nominees] == ["OVER"]
    assert [n.candidate.person for n in sl.reserves] == ["DUE"]


def test_readiness_of_the_planned() -> None:
    rows = {r.person: r for r in readiness(demo_planner())}
    assert rows["P05"].status == "ready_from" and rows["P05"].ready_from == dt.date(2026, 12, 18)
    assert rows["P07"].status == "unscheduled" and rows["P07"].missing == ["llct-cao-cap"]
    assert rows["P10"].status == "ready_from" and rows["P10"].ready_from == dt.date(2026, 5, 15)
    only = readiness(demo_planner(), "STC-GD")
    assert [(r.person, r.position) for r in only] == [("P05", "STC-GD")]
    with pytest.raises(UnknownIdError):
        readiness(demo_planner(), "STC-XX")


def test_ready_now_when_nothing_is_needed() -> None:
    w = World()
    w.post("TP", "SNV", "cap-phong", "truong")
    w.person("A", tier=None, planned="TP", term="2026-2031")
    (row,) = readiness(w.planner())
    assert row.status == "ready" and row.items == [] and row.plan is not None
