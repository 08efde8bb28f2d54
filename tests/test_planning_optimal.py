"""The solver against brute force on small random instances, and the cost model's lexicographic order."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.planning.assign import CostModel, Demand, Option, Priority, SideLimit, Slot, check, solve
from tests.plan_oracle import TIERS, brute_force, feasible, score

DAY0 = dt.date(2026, 3, 1)
SOURCE_CHAINS = [(), ("U",), ("U", "V")]  # nested unit quota gates
COURSE_CHAINS = [(), ("P",), ("P", "M")]  # nested programme and programme-mode gates


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Demand], list[Slot], dict[str, int]]:
    n_slots = draw(st.integers(1, 4))
    slots = []
    for i in range(n_slots):
        start = DAY0 + dt.timedelta(days=draw(st.integers(0, 12)))
        end = start + dt.timedelta(days=draw(st.integers(0, 6)))
        slots.append(Slot(f"c{i}", draw(st.integers(0, 2)), start, end, draw(st.sampled_from(COURSE_CHAINS))))
    n_demands = draw(st.integers(1, 6))
    demands = []
    for i in range(n_demands):
        chosen = draw(st.lists(st.sampled_from([s.id for s in slots]), min_size=1, max_size=n_slots, unique=True))
        options = tuple(Option(c, draw(st.integers(0, 30)), draw(st.booleans())) for c in sorted(chosen))
        demands.append(Demand(f"d{i}", f"p{draw(st.integers(0, 2))}", options,
                              draw(st.sampled_from(SOURCE_CHAINS)), draw(st.integers(0, TIERS - 1))))
    limits = {g: draw(st.integers(0, 4)) for g in ("U", "V", "P", "M")}
    return demands, slots, limits


@settings(max_examples=400, deadline=None)
@given(instances())
def test_the_plan_is_optimal(instance: tuple[list[Demand], list[Slot], dict[str, int]]) -> None:
    demands, slots, limits = instance
    sol = solve(demands, slots, limits)
    assert feasible(sol.chosen, demands, slots, limits)
    assert sol.exact
    assert score(sol.chosen, demands) == brute_force(demands, slots, limits)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_the_independent_check_agrees_with_brute_force_feasibility(
        instance: tuple[list[Demand], list[Slot], dict[str, int]]) -> None:
    demands, slots, limits = instance
    for pick in itertools.islice(itertools.product(*[[None, *(o.course for o in d.options)] for d in demands]), 200):
        chosen = {d.key: c for d, c in zip(demands, pick, strict=True) if c is not None}
        assert (not check(chosen, demands, slots, limits)) == feasible(chosen, demands, slots, limits)


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 2), st.data())
def test_side_limits_are_respected(instance: tuple[list[Demand], list[Slot], dict[str, int]], limit: int,
                                   data: st.DataObject) -> None:
    demands, slots, limits = instance
    edges = sorted((d.key, o.course) for d in demands for o in d.options)
    members = frozenset(data.draw(st.lists(st.sampled_from(edges), unique=True)))
    side = [SideLimit("S", limit, members)]
    sol = solve(demands, slots, limits, side)
    assert feasible(sol.chosen, demands, slots, limits, side)
    assert sol.exact
    assert score(sol.chosen, demands) == brute_force(demands, slots, limits, side)


def test_identical_demands_are_merged_and_given_out_in_key_order() -> None:
    slot = Slot("c", 2, DAY0, DAY0)
    demands = [Demand(f"d{i}", f"p{i}", (Option("c", 5),)) for i in range(4)]
    sol = solve(demands, [slot])
    assert sol.chosen == {"d0": "c", "d1": "c"} and sol.exact


def test_gates_that_do_not_nest_are_rows_like_any_other() -> None:
    """A quota gate met on different paths (not nested) is just a row of the integer program."""
    slots = [Slot("a", 1, DAY0, DAY0, ("P", "M")), Slot("b", 1, DAY0, DAY0, ("M",))]
    demands = [Demand("d", "p", (Option("a", 1), Option("b", 2))), Demand("e", "q", (Option("a", 1), Option("b", 2)))]
    sol = solve(demands, slots, {"P": 1, "M": 1})
    assert sol.chosen == {"d": "a"} and sol.exact


def test_cost_components_are_minimised_in_order() -> None:
    """With `levels`, the first component decides even against a large sum of later ones."""
    slots = [Slot("a", 1, DAY0, DAY0), Slot("b", 1, DAY0 + dt.timedelta(days=9), DAY0 + dt.timedelta(days=9))]
    demands = [Demand("d", "p", (Option("a", 0, levels=(0, 99)), Option("b", 0, levels=(1, 0)))),
               Demand("e", "q", (Option("a", 0, levels=(1, 0)), Option("b", 0, levels=(0, 0))))]
    sol = solve(demands, slots)
    assert sol.chosen == {"d": "a", "e": "b"}


PRIORITIES = st.builds(Priority, st.integers(0, 3),
                       st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31))),
                       st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2030, 1, 1))),
                       st.integers(0, 2))
ENDS = st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PRIORITIES, st.booleans(), ENDS), min_size=1, max_size=6),
       st.lists(st.tuples(PRIORITIES, st.booleans(), ENDS), min_size=1, max_size=6))
def test_costs_add_up_like_tuples(a: list[tuple[Priority, bool, dt.date]],
                                  b: list[tuple[Priority, bool, dt.date]]) -> None:
    everything = a + b
    model = CostModel([p for p, _l, _e in everything], [e for _p, _l, e in everything], max(len(a), len(b)))

    def total(items: list[tuple[Priority, bool, dt.date]]) -> tuple[int, tuple[int, ...]]:
        vectors = [model.vector(p, late, end) for p, late, end in items]
        summed = tuple(sum(v[i] for v in vectors) for i in range(len(vectors[0])))
        return sum(model.cost(p, late, end) for p, late, end in items), summed

    (ca, va), (cb, vb) = total(a), total(b)
    assert (ca < cb) == (va < vb) and (ca == cb) == (va == vb)


def test_urgency_order() -> None:
    late_day = dt.date(2027, 5, 1)
    ps = [Priority(0, dt.date(2022, 1, 1), None, 0), Priority(1, late_day, None, 0),
          Priority(1, late_day, None, 2), Priority(2, None, None, 0), Priority(3, None, None, 2)]
    model = CostModel(ps, [dt.date(2026, 7, 31)], 5)
    costs = [model.cost(p, False, dt.date(2026, 7, 31)) for p in ps]
    # overdue < due (favoured) < due < pending < object
    assert costs[0] < costs[2] < costs[1] < costs[3] < costs[4]
    assert model.cost(ps[0], True, dt.date(2026, 7, 31)) > max(costs)


def test_only_the_cheapest_of_interchangeable_demands_compete() -> None:
    slots = [Slot("a", 1, DAY0, DAY0), Slot("b", 1, DAY0 + dt.timedelta(days=3), DAY0 + dt.timedelta(days=3))]
    demands = [Demand(f"d{i}", f"p{i}", (Option("a", 10 + i), Option("b", 20 + i))) for i in range(6)]
    sol = solve(demands, slots)
    assert sol.chosen == {"d0": "b", "d1": "a"} or sol.chosen == {"d0": "a", "d1": "b"}
    assert score(sol.chosen, demands) == brute_force(demands, slots, {})


def test_always_clashing_demands_of_one_person_are_bundled() -> None:
    slots = [Slot(c, 5, DAY0, DAY0 + dt.timedelta(days=4)) for c in "abc"]
    demands = [Demand(f"d{c}", "p", (Option(c, 1),)) for c in "abc"]
    sol = solve(demands, slots)
    assert len(sol.chosen) == 1 and sol.exact


def test_one_person_with_several_demands_of_a_class_is_not_counted_as_several_blockers() -> None:
    """Found by hypothesis: four demands of one person compete with another person's for two seats. One
    sent demand of that person keeps out the other three, so the other person may not be cut."""
    slots = [Slot("c0", 2, DAY0, DAY0)]
    demands = [Demand("d0", "p1", (Option("c0", 1),)),
               *(Demand(f"d{i}", "p0", (Option("c0", 0),)) for i in range(1, 5))]
    sol = solve(demands, slots)
    assert sol.exact and len(sol.chosen) == 2 and "d0" in sol.chosen
    assert score(sol.chosen, demands) == brute_force(demands, slots, {})
