"""Assign candidates to courses: min-cost flow (networkx network simplex), then branch and bound.

Network (capacities on edges, integer costs on demand → course edges):

    source → [unit quota gates] → demand → course → [programme-mode gate] → [programme gate] → sink
    source → sink (the bypass: supply not sent anywhere)

- a **demand** is one candidate (a need, or an object of a political-theory programme); it has an
  edge to each course it may attend (admitted, of its programme, in the plan year);
- a course edge carries the course capacity; a quota (year, programme[, mode]) is a gate the flow of
  all its courses passes through, so it bounds the assignments (a quota is what the board must send:
  never more; a shortfall is reported when fewer are sent); a quota for one unit is a gate on the
  source side that the demands of the unit's people (sub-units included) pass through. Both gate
  families are nested (laminar), which is what a flow can express exactly;
- a quota for one unit *and* one mode is not nested with the course capacities, so it is checked
  after the flow and repaired greedily (the dearest assignment over the limit is forbidden, then the
  flow is solved again); the result is then marked not proven optimal.

Objective, lexicographic: send as many tier-0 demands (overdue needs) as possible, then tier 1 (due),
tier 2 (pending), tier 3 (objects); then the least total cost (CostModel: avoidable lateness first).
It is one min-cost flow: a demand → course edge costs `cost − reward(tier)`, each tier's reward
exceeding everything the lower tiers and all costs can add up to, and unsent supply takes the free
bypass.

A person may not be in two courses whose dates overlap: the flow ignores this, so when its optimum
has a clash the search branches on the cheaper assignment of the clash — either it is forbidden, or
every option of the same person overlapping it is — and solves again, pruning any branch whose flow
(a relaxation) is no better than the best clash-free plan found. This is exact; after `max_solves`
flows it stops and keeps the best plan found, else repairs greedily (`exact` is then false).

Two reductions keep the network small for large populations, both exact: of a class of
interchangeable demands only the cheapest as many as there are seats are kept (`_prefixes`), and
demands with identical tier, gates and options are merged into one node of capacity k (same costs,
so any split among them is optimal; they are given out in key order).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import Any

import networkx as nx

Edge = tuple[str, str]  # (demand key, course id)

# Priority tiers: overdue before due before pending; objects (đối tượng) after every need.
TIERS = {"overdue": 0, "due": 1, "pending": 2, "object": 3}


@dataclass(frozen=True)
class Option:
    course: str
    cost: int
    late: bool = False


@dataclass(frozen=True)
class Demand:
    key: str
    person: str
    options: tuple[Option, ...]
    gates: tuple[str, ...] = ()  # source-side quota gates, outermost first
    tier: int = 0  # 0 is served first (TIERS)


@dataclass(frozen=True)
class Slot:
    id: str
    capacity: int
    start: dt.date
    end: dt.date
    gates: tuple[str, ...] = ()  # course-side quota gates, outermost first


@dataclass(frozen=True)
class SideLimit:
    """At most `limit` of the (demand, course) pairs in `members` (a quota not expressible as a gate)."""

    id: str
    limit: int
    members: frozenset[Edge]


@dataclass
class Solution:
    chosen: dict[str, str] = field(default_factory=dict)  # demand key -> course id
    count: int = 0
    cost: int = 0
    objective: int = 0  # sum of (cost - reward) over the assignments: lower is better
    exact: bool = True
    solves: int = 0


def rewards(demands: Sequence[Demand]) -> dict[int, int]:
    """Reward of sending one demand of each tier: more than all lower tiers and all costs together."""
    n = max(len(demands), 1)
    top = max((o.cost for d in demands for o in d.options), default=0)
    out: dict[int, int] = {}
    below = n * top  # the most that all costs can differ by
    for tier in sorted({d.tier for d in demands}, reverse=True):
        out[tier] = below + 1
        below += n * out[tier]
    return out


# -- costs --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Priority:
    tier: int
    deadline: dt.date | None
    planned_on: dt.date | None
    favoured: int  # how many of (woman, ethnic minority): the seeds' priority at ties


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

    def urgency_key(self, p: Priority) -> tuple[int, int, int, int]:
        """Smaller is more urgent."""
        return (p.tier, self._deadline[p.deadline] if p.deadline else len(self._deadline),
                self._planned[p.planned_on] if p.planned_on else len(self._planned), 2 - p.favoured)

    def vector(self, p: Priority, late_avoidable: bool, end: dt.date) -> tuple[int, ...]:
        key = self.urgency_key(p)
        late = int(late_avoidable)
        return (late, *key, late * self._urgency[key], self._end[end])

    def cost(self, p: Priority, late_avoidable: bool, end: dt.date) -> int:
        return sum(w * v for w, v in zip(self.weights, self.vector(p, late_avoidable, end), strict=True))


# -- the network ----------------------------------------------------------------------------------
class _Network:
    def __init__(self, demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int],
                 side: Sequence[SideLimit]) -> None:
        self.slots = {s.id: s for s in slots}
        self.side = list(side)
        self.demands = {d.key: d for d in demands}
        self.cost = {(d.key, o.course): o.cost for d in demands for o in d.options}
        self.reward = rewards(demands)
        self.value = {(d.key, o.course): o.cost - self.reward[d.tier] for d in demands for o in d.options}
        many = {p for p, n in Counter(d.person for d in demands).items() if n > 1}
        in_side = {k for s in side for k, _c in s.members}
        self.multi: dict[str, list[str]] = {}
        groups: dict[Any, list[str]] = {}
        for d in sorted(self._prefixes(demands, many, in_side), key=lambda d: d.key):
            single = d.person in many or d.key in in_side
            gkey = ("one", d.key) if single else ("agg", d.tier, d.gates, d.options)
            groups.setdefault(gkey, []).append(d.key)
            if d.person in many:
                self.multi.setdefault(d.person, []).append(d.key)
        g: nx.DiGraph = nx.DiGraph()
        parent: dict[Any, Any] = {}

        def link(a: Any, b: Any, capacity: int, **kw: int) -> None:
            # Gate nodes must nest: a gate is entered from (source side) or leaves to (course side) one node.
            gate, other = (b, a) if b[0] == "g" else (a, b)
            if gate[0] in ("g", "q") and parent.setdefault(gate, other) != other:
                raise ValueError(f"quota gates do not nest: {gate[1]}")
            g.add_edge(a, b, capacity=capacity, **kw)

        self.members: dict[Any, list[str]] = {}
        g.add_node(("s", ""), demand=-len(demands))
        g.add_node(("t", ""), demand=len(demands))
        g.add_edge(("s", ""), ("t", ""), weight=0)
        bundles = self._bundles()
        for index, (gkey, keys) in enumerate(groups.items()):
            d = self.demands[keys[0]]
            node = ("d", d.key if gkey[0] == "one" else f"#{index}")
            self.members[node] = keys
            prev: Any = ("s", "")
            for gate in d.gates:
                link(prev, ("g", gate), limits[gate])
                prev = ("g", gate)
            if d.key in bundles:  # at most one of the person's demands that always clash
                prev = ("p", bundles[d.key])
                g.add_edge(("s", ""), prev, capacity=1)
            g.add_edge(prev, node, capacity=len(keys))
            for o in d.options:
                if o.course not in self.slots:
                    raise ValueError(f"demand {d.key}: unknown course {o.course}")
                g.add_edge(node, ("c", o.course), capacity=len(keys), weight=self.value[(d.key, o.course)])
        for s in slots:
            chain: list[Any] = [("c", s.id), *(("q", q) for q in reversed(s.gates)), ("t", "")]
            caps = [s.capacity, *(limits[q] for q in reversed(s.gates))]
            for a, b, cap in zip(chain, chain[1:], caps, strict=False):
                link(a, b, cap)
        self.g = g

    def _prefixes(self, demands: Sequence[Demand], many: set[str], in_side: set[str]) -> list[Demand]:
        """Drop the demands that an optimal plan never needs, so the network stays small.

        Demands of one class (same tier, gates, courses and late flags) compete for the same seats.
        Sorted by cost, each costs no more than the next on every course (checked). A demand behind
        as many cheaper demands of people with no other demand (and no side limit) as the class has
        seats can be dropped: if it were sent, one of those would be left out, and sending that one
        instead is no worse and breaks no other constraint."""
        classes: dict[Any, list[Demand]] = {}
        kept: list[Demand] = []
        for d in demands:
            if d.key in in_side:
                kept.append(d)
            else:
                classes.setdefault((d.tier, d.gates, tuple((o.course, o.late) for o in d.options)), []).append(d)
        for (_tier, _gates, courses), members in classes.items():
            seats = sum(self.slots[c].capacity for c, _late in courses if c in self.slots)
            members.sort(key=lambda d: ([o.cost for o in d.options], d.key))
            ordered = all(a.cost <= b.cost for x, y in pairwise(members)
                          for a, b in zip(x.options, y.options, strict=True))
            singles = 0
            for d in members:
                if ordered and singles >= seats:
                    break
                kept.append(d)
                singles += d.person not in many
        return kept

    def _always_clash(self, a: str, b: str) -> bool:
        return all(self._overlap(x.course, y.course) for x in self.demands[a].options for y in self.demands[b].options)

    def _overlap(self, a: str, b: str) -> bool:
        sa, sb = self.slots[a], self.slots[b]
        return sa.start <= sb.end and sb.start <= sa.end

    def _bundles(self) -> dict[str, str]:
        """Demands of one person (without unit gates) every option of which overlaps every option of
        the others: at most one of them can be sent, which the flow can express with a person node.
        This tightens the relaxation; the clash search handles the rest."""
        out: dict[str, str] = {}
        for person, keys in self.multi.items():
            chosen: list[str] = []
            for key in keys:
                if not self.demands[key].gates and all(self._always_clash(key, k) for k in chosen):
                    chosen.append(key)
            if len(chosen) > 1:
                out.update(dict.fromkeys(chosen, person))
        return out

    def run(self, banned: frozenset[Edge]) -> Solution:
        saved = []
        for key, course in banned:
            edge = (("d", key), ("c", course))
            saved.append((edge, self.g.edges[edge]["capacity"]))
            self.g.edges[edge]["capacity"] = 0
        try:
            _total, flow = nx.network_simplex(self.g)
        finally:
            for edge, cap in saved:
                self.g.edges[edge]["capacity"] = cap
        sol = Solution()
        for node, keys in self.members.items():
            given = iter(keys)
            for target, units in sorted(flow[node].items()):
                for _ in range(units):
                    key = next(given)
                    sol.chosen[key] = target[1]
                    sol.cost += self.cost[(key, target[1])]
                    sol.objective += self.value[(key, target[1])]
        sol.count = len(sol.chosen)
        return sol

    def side_violation(self, sol: Solution) -> Edge | None:
        """The dearest assignment of the first side limit exceeded, to forbid."""
        for limit in self.side:
            used = [(k, c) for k, c in sol.chosen.items() if (k, c) in limit.members]
            if len(used) > limit.limit:
                return max(used, key=lambda e: (self.cost[e], e))
        return None

    def clash(self, sol: Solution) -> tuple[Edge, Edge] | None:
        """Two assignments of one person to overlapping courses: (cheaper, dearer)."""
        for person in sorted(self.multi):
            mine = sorted((k, sol.chosen[k]) for k in self.multi[person] if k in sol.chosen)
            for a, b in combinations(mine, 2):
                if self._overlap(a[1], b[1]):
                    return (a, b) if (self.cost[a], a) <= (self.cost[b], b) else (b, a)
        return None

    def clashes(self, sol: Solution) -> list[tuple[Edge, Edge]]:
        """One clash per person who has any (cheaper, dearer), for banning several at once."""
        found = []
        for person in sorted(self.multi):
            mine = sorted((k, sol.chosen[k]) for k in self.multi[person] if k in sol.chosen)
            for a, b in combinations(mine, 2):
                if self._overlap(a[1], b[1]):
                    found.append((a, b) if (self.cost[a], a) <= (self.cost[b], b) else (b, a))
                    break
        return found

    def rivals(self, edge: Edge) -> frozenset[Edge]:
        """The person's other options whose course overlaps the course of `edge`."""
        key, course = edge
        person = self.demands[key].person
        return frozenset((k, o.course) for k in self.multi.get(person, []) if k != key
                         for o in self.demands[k].options if self._overlap(course, o.course))


def solve(demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int] | None = None,
          side: Sequence[SideLimit] = (), max_solves: int = 200, time_budget: float = 20.0) -> Solution:
    """The plan sending the most people at the least total cost, with no clash (module docstring).

    The exact search stops after `max_solves` flow solves or `time_budget` seconds (a province-size
    plan), then the best plan found, or a clash-free repair, is returned marked not proven optimal."""
    net = _Network(demands, slots, limits or {}, side)
    stop_at = time.monotonic() + time_budget
    best: Solution | None = None
    exact = True
    solves = 0
    stack: list[frozenset[Edge]] = [frozenset()]
    while stack:
        if solves >= max_solves or (solves and time.monotonic() > stop_at):
            exact = False
            break
        banned = stack.pop()
        sol = net.run(banned)
        solves += 1
        if best is not None and sol.objective >= best.objective:
            continue  # the relaxation of this branch is no better than a plan already found
        violated = net.side_violation(sol)
        if violated is not None:
            exact = False
            stack.append(banned | {violated})
            continue
        clash = net.clash(sol)
        if clash is None:
            best = sol
            continue
        # Every clash-free plan either does not use `kept`, or uses it and none of its rivals.
        kept = clash[0]
        stack.append(banned | {kept})
        stack.append(banned | net.rivals(kept))  # explored first: keep the cheaper assignment
    if best is None:
        banned = frozenset()
        while True:
            sol = net.run(banned)
            solves += 1
            violation = net.side_violation(sol)
            if violation is not None:
                banned = banned | {violation}
                continue
            clashes = net.clashes(sol)
            if not clashes:
                best = sol
                break
            banned = banned | {dearer for _cheaper, dearer in clashes}  # all at once: one solve per round
    best.exact = exact
    best.solves = solves
    return best


__all__ = ["TIERS", "CostModel", "Demand", "Option", "Priority", "SideLimit", "Slot", "Solution", "rewards", "solve"]
