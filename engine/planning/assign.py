"""Assign candidates to courses: a lexicographic integer program solved exactly by HiGHS (engine.planning.mip).

Variables: how many of a demand (one candidate: a need, or an object of a political-theory programme)
go to each course it may attend (admitted, of its programme, in the plan year). Rows:

- a demand goes to at most one course;
- a course takes at most its capacity;
- a quota (year, programme[, mode]) bounds the assignments to all its courses (a quota is what the
  board must send: never more; a shortfall is reported when fewer are sent); a quota for one unit
  bounds the assignments of the unit's people (sub-units included); a quota for one unit and one
  mode bounds the pairs (demand, course) it covers;
- a person is never in two courses whose dates overlap: for each person with several demands and each
  day a course of theirs starts, at most one of their assignments covers that day (intervals that
  pairwise overlap share a day, the latest start, so these rows forbid exactly the overlaps).

Objective, lexicographic: send as many tier-0 demands (overdue needs) as possible, then tier 1 (due),
tier 2 (pending), tier 3 (objects); then the least cost, compared component by component (CostModel:
avoidable lateness first, then urgency of who is sent, who is late, course end). Each level is solved
with the earlier ones held at their optimum. A time limit (a province-size plan) keeps the best plan
found, marked not proven optimal.

Three reductions keep the program small for large populations, all exact. Twin courses (same dates,
gates, admission, costs and side limits: several classes of one programme) are one course to the solver
and split back in order (engine.planning.twins). Then of a class of interchangeable
demands only the cheapest that could ever be needed are kept (`_prefixes`), and demands with identical
tier, gates and options of people with no other demand are merged into one variable per course (same
costs, so any split among them is optimal; they are given out in key order). Demands that share no
course, gate, quota or person are independent: each group of connected demands is solved on its own.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from engine.errors import EngineError
from engine.planning.mip import Objective, Row, solve_lexicographic
from engine.planning.problem import Demand, Option, Priority, SideLimit, Slot, Solution
from engine.planning.twins import Twins

# Priority tiers: overdue before due before pending; objects (đối tượng) after every need.
TIERS = {"overdue": 0, "due": 1, "pending": 2, "object": 3, "conditional": 4}  # conditional: awaiting a rating


# -- costs --------------------------------------------------------------------------------------
class CostModel:
    """Lexicographic costs as integers, most important first:
    1. avoidable lateness (a course ending after the deadline when an on-time course was open);
    2. urgency of who is sent: tier, then deadline (earliest first, none last), planned appointment
       (soonest first), women and ethnic minorities (the seeds' priority at ties);
    3. who is late: lateness weighs more on the more urgent person, so it falls on the least urgent;
    4. course end (earliest first).
    Each weight exceeds what all lower components of `demands` assignments can add up to, so a sum
    of costs compares like the tuples."""

    def __init__(self, priorities: Iterable[Priority], ends: Iterable[dt.date], demands: int) -> None:
        ps = list(priorities)
        self._deadline = {d: i for i, d in enumerate(sorted({p.deadline for p in ps if p.deadline}))}
        self._planned = {d: i for i, d in enumerate(sorted({p.planned_on for p in ps if p.planned_on}))}
        self._end = {d: i for i, d in enumerate(sorted(set(ends)))}
        keys = sorted({self.urgency_key(p) for p in ps})
        # 0 for the least urgent key: being late costs the most for the most urgent person.
        self._urgency = {k: len(keys) - 1 - i for i, k in enumerate(keys)}
        maxima = (1, max(TIERS.values()), len(self._deadline), len(self._planned), 2, max(len(keys) - 1, 0),
                  max(len(self._end) - 1, 0))
        n = max(demands, 1)
        weights = [1] * len(maxima)
        for i in range(len(maxima) - 2, -1, -1):
            weights[i] = n * sum(maxima[j] * weights[j] for j in range(i + 1, len(maxima))) + 1
        self.weights = tuple(weights)
        self._memo: dict[tuple[Priority, bool, dt.date], tuple[int, tuple[int, ...]]] = {}

    def option(self, p: Priority, late_avoidable: bool, end: dt.date) -> tuple[int, tuple[int, ...]]:
        """(cost, levels), remembered: a province's demands share a few thousand distinct priorities."""
        key = (p, late_avoidable, end)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = (self.cost(p, late_avoidable, end), self.levels(p, late_avoidable, end))
        return found

    def urgency_key(self, p: Priority) -> tuple[int, int, int, int]:
        """Smaller is more urgent."""
        return (p.tier, self._deadline[p.deadline] if p.deadline else len(self._deadline),
                self._planned[p.planned_on] if p.planned_on else len(self._planned), 2 - p.favoured)

    def vector(self, p: Priority, late_avoidable: bool, end: dt.date) -> tuple[int, ...]:
        """The cost components of sending a demand of priority `p` to a course ending on `end`."""
        key = self.urgency_key(p)
        late = int(late_avoidable)
        return (late, *key, late * self._urgency[key], self._end[end])

    def cost(self, p: Priority, late_avoidable: bool, end: dt.date) -> int:
        """The cost components as one integer, in their lexicographic order."""
        return sum(w * v for w, v in zip(self.weights, self.vector(p, late_avoidable, end), strict=True))

    def levels(self, p: Priority, late_avoidable: bool, end: dt.date) -> tuple[int, ...]:
        """The vector without its tier: once the number sent of each tier is fixed (the solver's first
        levels), the tiers of those sent add up to the same whatever the plan, so minimising the other
        components in order minimises `cost`."""
        vector = self.vector(p, late_avoidable, end)
        return (vector[0], *vector[2:])




# -- the integer program ---------------------------------------------------------------------------
class _Model:
    """Reduced, aggregated demands and their rows, cut into independent groups."""

    def __init__(self, demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int],
                 side: Sequence[SideLimit]) -> None:
        self.slots = {s.id: s for s in slots}
        self.limits = limits
        self.side = list(side)
        self.demands = {d.key: d for d in demands}
        for d in demands:
            for o in d.options:
                if o.course not in self.slots:
                    raise ValueError(f"demand {d.key}: unknown course {o.course}")
        many = {p for p, n in Counter(d.person for d in demands).items() if n > 1}
        in_side = {k for s in side for k, _c in s.members}
        self.multi: dict[str, list[str]] = {}
        groups: dict[Any, list[str]] = {}
        for d in sorted(self._prefixes(demands, in_side), key=lambda d: d.key):
            single = d.person in many or d.key in in_side
            groups.setdefault(("one", d.key) if single else ("agg", d.tier, d.gates, d.options), []).append(d.key)
            if d.person in many:
                self.multi.setdefault(d.person, []).append(d.key)
        self.groups = list(groups.values())  # each: the keys of one variable set, in key order

    def _overlap(self, a: str, b: str) -> bool:
        sa, sb = self.slots[a], self.slots[b]
        return sa.start <= sb.end and sb.start <= sa.end

    def _throughput(self, courses: Iterable[str]) -> int:
        """The most assignments the courses can take together: capacities, capped by the course-side
        quota gates they pass through (nested, outermost first)."""

        def through(group: list[Slot], depth: int) -> int:
            total = 0
            inner: dict[str, list[Slot]] = {}
            for s in group:
                if len(s.gates) > depth:
                    inner.setdefault(s.gates[depth], []).append(s)
                else:
                    total += s.capacity
            for gate, members in inner.items():
                total += min(self.limits[gate], through(members, depth + 1))
            return total

        return through([self.slots[c] for c in set(courses)], 0)

    def _prefixes(self, demands: Sequence[Demand], in_side: set[str]) -> list[Demand]:
        """Drop the demands that an optimal plan never needs, so the program stays small.

        Demands of one class (same tier, gates, courses and late flags) compete for the same seats.
        Sorted by cost, each costs no more than the next on every course (checked). Let S be the most
        assignments the class's courses and gates can take, and B the most that the courses overlapping
        them, which the class's people may attend for other demands, can take. Suppose an optimal plan
        sends a demand d that has K cheaper demands of its class before it. At most S - 1 of them are
        sent too, so K - S + 1 are not; of these, one can be kept out of d's course only by a clash: its
        person is sent to an overlapping course for another demand. At most B people are, and each keeps
        out all of their demands among the K that have an option overlapping the class's courses, so at
        most X are kept out: the sum of those demand counts over the B people with the most (in real
        data a person has one demand per programme, and X is the smaller of B and their number). If
        K - X >= S, one of the K is free: sending it instead of d is no dearer (its cost components
        compare no higher, in order), passes the same gates and clashes with nothing. So a class is cut
        after the first demand at which K - X reaches S."""
        classes: dict[Any, list[Demand]] = {}
        kept: list[Demand] = []
        for d in demands:
            if d.key in in_side:
                kept.append(d)
            else:
                classes.setdefault((d.tier, d.gates, tuple((o.course, o.late) for o in d.options)), []).append(d)
        others: dict[str, list[tuple[str, frozenset[str]]]] = {}  # person -> (demand key, courses)
        for d in demands:
            others.setdefault(d.person, []).append((d.key, frozenset(o.course for o in d.options)))
        for (_tier, gates, courses), members in classes.items():
            mine = {c for c, _late in courses}
            seats = min([self._throughput(mine), *(self.limits[g] for g in gates)])
            near = {s for s in self.slots if any(self._overlap(s, c) for c in mine)}
            exposed_by: dict[str, bool] = {}
            rivals: set[str] = set()
            for d in members:
                reach = {c for key, cs in others[d.person] if key != d.key for c in cs & near}
                exposed_by[d.key] = bool(reach)
                rivals |= reach
            blockers = self._throughput(rivals)
            members.sort(key=lambda d: ([_key(o) for o in d.options], d.key))
            ordered = all(_key(a) <= _key(b) for x, y in pairwise(members)
                          for a, b in zip(x.options, y.options, strict=True))
            exposed: Counter[str] = Counter()  # person -> their exposed demands kept so far
            most = 0  # the largest count in `exposed`
            for ahead, d in enumerate(members):
                if ordered and ahead - _kept_out(exposed, most, blockers) >= seats:
                    break
                kept.append(d)
                if exposed_by[d.key]:
                    exposed[d.person] += 1
                    most = max(most, exposed[d.person])
        return kept

    def components(self) -> list[list[int]]:
        """The groups cut into sets sharing no course, gate, side limit or person (union-find)."""
        parent = list(range(len(self.groups)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first: dict[Any, int] = {}
        side_of = {k: i for i, s in enumerate(self.side) for k, _c in s.members}
        for index, keys in enumerate(self.groups):
            d = self.demands[keys[0]]
            links: list[Any] = [("g", g) for g in d.gates]
            for o in d.options:
                links.append(("c", o.course))
                links.extend(("q", g) for g in self.slots[o.course].gates)
            links.extend(("s", side_of[k]) for k in keys if k in side_of)
            if d.person in self.multi:
                links.append(("p", d.person))
            for link in links:
                other = first.setdefault(link, index)
                parent[find(index)] = find(other)
        out: dict[int, list[int]] = {}
        for index in range(len(self.groups)):
            out.setdefault(find(index), []).append(index)
        return list(out.values())

    def program(self, group_ids: Sequence[int]) -> tuple[list[tuple[int, str]], list[int], list[Row],
                                                         list[Objective]]:
        """Variables (group, course), their upper bounds, rows and objectives of some groups."""
        variables: list[tuple[int, str]] = []
        upper: list[int] = []
        rows: list[Row] = []
        for g in group_ids:
            keys = self.groups[g]
            d = self.demands[keys[0]]
            start = len(variables)
            for o in d.options:
                variables.append((g, o.course))
                upper.append(len(keys))
            rows.append((list(range(start, len(variables))), len(keys)))
        by: dict[Any, list[int]] = {}
        for i, (g, course) in enumerate(variables):
            d = self.demands[self.groups[g][0]]
            by.setdefault(("c", course), []).append(i)
            for gate in (*d.gates, *self.slots[course].gates):
                by.setdefault(("q", gate), []).append(i)
            by.setdefault(("p", d.person), []).append(i)
        for key, members in by.items():
            if key[0] == "c":
                rows.append((members, self.slots[key[1]].capacity))
            elif key[0] == "q":
                rows.append((members, self.limits[key[1]]))
        index = {(self.groups[g][0], course): i for i, (g, course) in enumerate(variables)
                 if len(self.groups[g]) == 1}
        for limit in self.side:
            members = sorted(index[e] for e in limit.members if e in index)
            if len(members) > limit.limit:
                rows.append((members, limit.limit))
        rows.extend(self._clash_rows(variables, by))
        return variables, upper, rows, self._objectives(variables)

    def _clash_rows(self, variables: list[tuple[int, str]], by: dict[Any, list[int]]) -> list[Row]:
        rows: list[Row] = []
        for person in sorted(self.multi):
            mine = by.get(("p", person), [])
            spans = {i: (self.slots[variables[i][1]].start, self.slots[variables[i][1]].end) for i in mine}
            for day in sorted({start for start, _end in spans.values()}):
                covering = [i for i in mine if spans[i][0] <= day <= spans[i][1]]
                if len({variables[i][0] for i in covering}) > 1:
                    rows.append((covering, 1))
        return rows

    def _objectives(self, variables: list[tuple[int, str]]) -> list[Objective]:
        """Most of tier 0 sent, then tier 1, ...; then the cost, component by component."""
        options = {(g, o.course): o for g in {g for g, _c in variables}
                   for o in self.demands[self.groups[g][0]].options}
        tiers = sorted({self.demands[self.groups[g][0]].tier for g, _c in variables})
        out: list[Objective] = [{i: -1 for i, (g, _c) in enumerate(variables)
                                 if self.demands[self.groups[g][0]].tier == t} for t in tiers]
        chosen = [options[v] for v in variables]
        if chosen and all(o.levels for o in chosen):
            width = len(chosen[0].levels)
            shift = [min(o.levels[k] for o in chosen) for k in range(width)]
            for k in range(width):
                out.append({i: o.levels[k] - shift[k] for i, o in enumerate(chosen) if o.levels[k] != shift[k]})
        else:
            low = min((o.cost for o in chosen), default=0)
            out.append({i: o.cost - low for i, o in enumerate(chosen) if o.cost != low})
        return out


def _kept_out(exposed: Counter[str], most: int, sends: int) -> int:
    """The most demands that `sends` assignments to overlapping courses can keep out: all the exposed
    demands of the `sends` people with the most of them (_Model._prefixes); `most` is the largest count."""
    if sends >= len(exposed):
        return exposed.total()
    if most <= 1:
        return sends
    return sum(n for _person, n in exposed.most_common(sends))


def _key(o: Option) -> tuple[int, ...]:
    """An option's cost as compared within a class: its components when known, else its cost."""
    return o.levels or (o.cost,)


def solve(demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int] | None = None,
          side: Sequence[SideLimit] = (), time_limit: float = 60.0) -> Solution:
    """The plan sending the most people, tier by tier, at the least cost, with no clash (module docstring).

    Each group of connected demands is one integer program; past `time_limit` seconds in all, the best
    plan found is kept and the solution is marked not proven optimal. Twin courses are solved as one
    (engine.planning.twins); the plan is checked against the problem as given."""
    limits = limits or {}
    twins = Twins(demands, slots, side)
    sol = _solve(twins.demands, twins.slots, limits, twins.side, time_limit)
    sol.chosen = twins.split(sol.chosen)
    violated = check(sol.chosen, demands, slots, limits, side)
    if violated:
        raise EngineError(f"the solver returned a plan that breaks {violated[0]}; "
                           "this is a defect, please report it with the data")
    return sol


def _solve(demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int], side: Sequence[SideLimit],
           time_limit: float) -> Solution:
    model = _Model(demands, slots, limits, side)
    sol = Solution()
    deadline = time.monotonic() + time_limit
    for component in sorted(model.components(), key=lambda c: min(c)):
        variables, upper, rows, objectives = model.program(component)
        result = solve_lexicographic(upper, rows, objectives, max(deadline - time.monotonic(), 0.0))
        sol.exact = sol.exact and result.proven
        sol.solves += result.solves
        given: dict[int, list[tuple[str, int]]] = {}
        for (g, course), units in zip(variables, result.values, strict=True):
            if units:
                given.setdefault(g, []).append((course, units))
        for g, parts in given.items():
            keys = iter(model.groups[g])
            for course, units in sorted(parts):
                for _ in range(units):
                    key = next(keys)
                    sol.chosen[key] = course
                    sol.cost += next(o.cost for o in model.demands[key].options if o.course == course)
    sol.count = len(sol.chosen)
    return sol


def check(chosen: dict[str, str], demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int],
          side: Sequence[SideLimit] = ()) -> list[str]:
    """What a plan breaks (capacities, quotas, clashes), checked apart from the solver: empty when sound."""
    by_slot = {s.id: s for s in slots}
    by_key = {d.key: d for d in demands}
    out = [f"capacity of {c}" for c, n in sorted(Counter(chosen.values()).items()) if n > by_slot[c].capacity]
    through: Counter[str] = Counter()
    mine: dict[str, list[Slot]] = {}
    for key, course in chosen.items():
        if course not in {o.course for o in by_key[key].options}:
            out.append(f"options of {key}")
        through.update({*by_key[key].gates, *by_slot[course].gates})
        mine.setdefault(by_key[key].person, []).append(by_slot[course])
    out += [f"quota {g}" for g, n in sorted(through.items()) if n > limits[g]]
    out += [f"quota {s.id}" for s in side if sum((k, c) in s.members for k, c in chosen.items()) > s.limit]
    for person, taken in sorted(mine.items()):
        taken.sort(key=lambda s: s.start)
        if any(b.start <= a.end for a, b in pairwise(taken)):
            out.append(f"overlapping courses of {person}")
    return out


__all__ = ["TIERS", "CostModel", "Demand", "Option", "Priority", "SideLimit", "Slot", "Solution", "check", "solve"]
