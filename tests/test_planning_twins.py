"""Twin courses (engine.planning.twins): merged only when nothing tells them apart, and exact against brute force."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.planning.assign import Demand, Option, SideLimit, Slot, solve
from engine.planning.twins import Twins
from tests.plan_oracle import brute_force, feasible, score

DAY0 = dt.date(2026, 3, 1)
LATER = dt.date(2026, 3, 20)


def three(capacity: int = 2, gates: tuple[str, ...] = ()) -> list[Slot]:
    return [Slot(f"T0{i}", capacity, DAY0, DAY0 + dt.timedelta(days=5), gates) for i in (1, 2, 3)]


def offer(courses: list[Slot], cost: int = 1) -> tuple[Option, ...]:
    return tuple(Option(s.id, cost) for s in courses)


def test_identical_classes_are_merged_with_their_capacities_added() -> None:
    slots = [*three(2), Slot("X", 1, LATER, LATER)]
    demands = [Demand(f"d{i}", f"p{i}", offer(slots[:3])) for i in range(3)]
    twins = Twins(demands, slots, ())
    assert [(s.id, s.capacity) for s in twins.slots] == [("T01", 6), ("X", 1)]
    assert all([o.course for o in d.options] == ["T01"] for d in twins.demands)


def test_a_merged_plan_fills_the_classes_in_order_up_to_capacity() -> None:
    slots = three(2)
    demands = [Demand(f"d{i}", f"p{i}", offer(slots)) for i in range(5)]
    sol = solve(demands, slots)
    assert sol.chosen == {"d0": "T01", "d1": "T01", "d2": "T02", "d3": "T02", "d4": "T03"} and sol.exact


def test_a_class_some_cannot_attend_is_not_merged() -> None:
    slots = three(1)
    demands = [Demand("d", "p", offer(slots)), Demand("e", "q", offer(slots[:2]))]  # e not admitted to T03
    twins = Twins(demands, slots, ())
    assert [s.id for s in twins.slots] == ["T01", "T03"]  # T01 and T02 are still twins
    assert [o.course for o in twins.demands[1].options] == ["T01"]
    sol = solve([*demands, Demand("f", "r", offer(slots[2:]))], slots)
    assert len(sol.chosen) == 3 and sol.chosen["f"] == "T03"


def test_classes_that_cost_differently_or_sit_in_different_quotas_are_not_merged() -> None:
    slots = three(1)
    cheap_first = Demand("d", "p", (Option("T01", 1), Option("T02", 2), Option("T03", 2)))
    assert [s.id for s in Twins([cheap_first], slots, ()).slots] == ["T01", "T02"]
    gated = [*slots[:2], Slot("T03", 1, slots[2].start, slots[2].end, ("Q",))]
    assert [s.id for s in Twins([Demand("d", "p", offer(gated))], gated, ()).slots] == ["T01", "T03"]
    side = [SideLimit("S", 0, frozenset({("d", "T01")}))]
    assert [s.id for s in Twins([Demand("d", "p", offer(slots))], slots, side).slots] == ["T01", "T02"]


@st.composite
def twin_instances(draw: st.DrawFn) -> tuple[list[Demand], list[Slot], dict[str, int], list[SideLimit]]:
    """Few dates, several classes on each: twins are common, and so are near-twins."""
    slots: list[Slot] = []
    for t in range(draw(st.integers(1, 2))):
        start = DAY0 + dt.timedelta(days=draw(st.integers(0, 6)))
        end = start + dt.timedelta(days=draw(st.integers(0, 4)))
        gates = draw(st.sampled_from([(), ("P",)]))
        slots += [Slot(f"c{t}{i}", draw(st.integers(0, 2)), start, end, gates) for i in range(draw(st.integers(1, 3)))]
    demands = []
    for i in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):  # a whole date: all its classes at one cost
            template = draw(st.sampled_from(sorted({s.id[:2] for s in slots})))
            cost = draw(st.integers(0, 9))
            options = tuple(Option(s.id, cost) for s in slots if s.id.startswith(template))
        else:
            chosen = draw(st.lists(st.sampled_from([s.id for s in slots]), min_size=1, unique=True))
            options = tuple(Option(c, draw(st.integers(0, 9))) for c in sorted(chosen))
        demands.append(Demand(f"d{i}", f"p{draw(st.integers(0, 2))}", options, (), draw(st.integers(0, 1))))
    limits = {"P": draw(st.integers(0, 4))}
    side = []
    if draw(st.booleans()):
        edges = sorted((d.key, o.course) for d in demands for o in d.options)
        side = [SideLimit("S", draw(st.integers(0, 2)), frozenset(draw(st.lists(st.sampled_from(edges), unique=True))))]
    return demands, slots, limits, side


@settings(max_examples=300, deadline=None)
@given(twin_instances())
def test_merging_twins_keeps_the_plan_optimal(
        instance: tuple[list[Demand], list[Slot], dict[str, int], list[SideLimit]]) -> None:
    demands, slots, limits, side = instance
    sol = solve(demands, slots, limits, side)
    assert feasible(sol.chosen, demands, slots, limits, side)
    assert sol.exact
    assert score(sol.chosen, demands) == brute_force(demands, slots, limits, side)
