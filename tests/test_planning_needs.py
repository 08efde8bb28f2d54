"""Needs from the as-of evaluation, object candidacies, and the structure graph."""

from __future__ import annotations

import datetime as dt

from engine.planning.graph import overlaps
from engine.planning.needs import Need
from tests.planning_world import World

D = dt.date


def needs_of(w: World) -> dict[tuple[str, str], Need]:
    return {(n.person, n.programme): n for n in w.planner().survey.needs}


def test_a_held_post_gives_a_due_need_with_its_rule() -> None:
    w = World()
    w.person("A")
    (need,) = needs_of(w).values()
    assert (need.programme, need.deadline, need.status, need.basis) == ("llct-trung-cap", D(2027, 5, 1), "due", "holds")
    assert need.rules == ["ND29-TRANS-LLCT"] and need.position == "A-POST"


def test_a_planned_post_is_due_by_the_start_of_its_term() -> None:
    w = World()
    w.post("GD", "STC", "cap-so", "truong")
    w.person("A", tier=None, planned="GD", term="2027-2032")
    (need,) = needs_of(w).values()
    assert (need.programme, need.deadline, need.basis, need.planned_on) == ("llct-cao-cap", D(2027, 1, 1),
                                                                          "planned", D(2027, 1, 1))


def test_a_planned_post_whose_term_has_started_has_no_deadline() -> None:
    w = World()
    w.post("GD", "STC", "cap-so", "truong")
    w.person("A", tier=None, planned="GD", term="2025-2030")
    (need,) = needs_of(w).values()
    assert need.deadline is None and need.status == "pending"


def test_one_need_per_person_and_programme_with_the_earliest_deadline_and_every_rule() -> None:
    w = World()
    w.post("GD2", "STC", "cap-so", "truong")
    w.person("A", tier="cap-so", role="truong", appointed=D(2020, 3, 1), planned="GD2", term="2027-2032")
    (need,) = needs_of(w).values()
    assert need.programme == "llct-cao-cap"
    assert need.deadline == D(2027, 1, 1) and need.basis == "planned"
    assert need.rules == ["ND29-CAOCAP", "ND29-TRANS-LLCT"]


def test_a_lower_need_is_folded_into_a_higher_one() -> None:
    # trung cấp (held post) is covered by cao cấp (planned post): one need, both rules.
    w = World()
    w.post("GD", "STC", "cap-so", "truong")
    w.person("A", planned="GD", term="2027-2032")
    needs = needs_of(w)
    assert list(needs) == [("A", "llct-cao-cap")]
    assert needs[("A", "llct-cao-cap")].rules == ["ND29-CAOCAP", "ND29-TRANS-LLCT"]


def test_no_need_when_an_equivalent_is_held() -> None:
    w = World()
    w.person("A", credentials=("ldql-cap-phong", "llct-cao-cap-hc"))
    w.person("B", credentials=("ldql-cap-phong", "cu-nhan-chinh-tri"))
    assert needs_of(w) == {}


def test_no_need_when_exempt_near_retirement() -> None:
    w = World()
    w.person("A", born=D(1965, 2, 10))  # < 36 months to retirement on 01/05/2024 (NĐ 29 Art. 34)
    assert needs_of(w) == {}


def test_a_pending_need_without_deadline() -> None:
    w = World()
    w.person("A", credentials=("llct-trung-cap",))
    (need,) = needs_of(w).values()
    assert (need.programme, need.deadline, need.status) == ("ldql-cap-phong", None, "pending")


def test_objects_of_political_theory() -> None:
    w = World()
    w.post("TP", "SNV", "cap-phong", "truong")
    w.person("OBJ", tier=None, planned="TP", term="2026-2031")
    w.person("NEED")  # needs trung cấp: not also an object of it
    w.person("HOLDS", tier=None, planned="TP", credentials=("ldql-cap-phong", "llct-trung-cap"))
    objects = w.planner().survey.objects
    assert [(o.person, o.programme, o.rule, o.via) for o in objects] == [
        ("OBJ", "llct-trung-cap", "LLCT-TC-350-DOI-TUONG", "planned")]


def test_graph_structure() -> None:
    w = World()
    w.post("GD", "STC", "cap-so", "truong")
    w.person("A", planned="GD")
    w.course("K1", "llct-trung-cap", D(2026, 3, 2), D(2026, 7, 31), capacity=1)
    w.course("K0", "llct-trung-cap", D(2025, 3, 2), D(2025, 7, 31), capacity=1)
    graph = w.planner().graph
    assert graph.unit_chain("SNV") == ["TINH", "SNV"]
    assert graph.posts_of("A", "holds") == ["A-POST"] and graph.posts_of("A", "planned") == ["GD"]
    assert graph.planned_people() == [("A", "GD")] and graph.planned_people("X") == []
    assert graph.counts_for("cu-nhan-chinh-tri", "llct-trung-cap", D(2026, 1, 1))  # via cao cấp
    assert not graph.counts_for("llct-trung-cap", "llct-cao-cap", D(2026, 1, 1))
    # cao cấp LLCT-HC counts for the CVC QLNN certificate only if obtained before 30/6/2022.
    assert graph.counts_for("llct-cao-cap-hc", "qlnn-chuyen-vien-chinh", D(2020, 1, 1))
    assert not graph.counts_for("llct-cao-cap-hc", "qlnn-chuyen-vien-chinh", D(2026, 1, 1))
    assert graph.prerequisites("qlnn-chuyen-vien-chinh") == ["qlnn-chuyen-vien"]
    assert [c.id for c in graph.courses_of("llct-trung-cap")] == ["K0", "K1"]
    assert [c.id for c in graph.plan_courses(2026, D(2026, 1, 15))] == ["K1"]
    assert graph.family("llct-cao-cap") == "llct" and graph.level("llct-cao-cap") == 3


def test_overlap_is_inclusive() -> None:
    w = World()
    w.course("A", "llct-trung-cap", D(2026, 3, 2), D(2026, 3, 31), capacity=1)
    w.course("B", "llct-trung-cap", D(2026, 3, 31), D(2026, 4, 30), capacity=1)
    w.course("C", "llct-trung-cap", D(2026, 5, 1), D(2026, 5, 30), capacity=1)
    a, b, c = w.courses
    assert overlaps(a, b) and overlaps(b, a) and not overlaps(b, c)


def test_one_backend_run_gives_the_evaluator_s_findings_and_objects() -> None:
    from engine.planning.needs import evaluate_both

    w = World()
    w.post("TP", "SNV", "cap-phong", "truong")
    w.post("GD", "STC", "cap-so", "truong")
    w.person("A", planned="GD")
    w.person("B", tier=None, planned="TP", term="2026-2031")
    ev = w.planner().ev
    for pid in ("A", "B"):
        contexts = ev.person_contexts(pid, w.as_of)
        outcomes, objects = evaluate_both(ev, contexts)
        mine = [ev.finding(c, r, o, v).to_json() for c, r, o, v in outcomes]
        assert mine == [f.to_json() for f in ev.evaluate(contexts)]
        assert [(c.cid, r.key) for c, r in objects] == [(c.cid, r.key) for c, r in ev.objects(contexts)]
