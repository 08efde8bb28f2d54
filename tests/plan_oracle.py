"""An independent check of the planner's integer program: feasibility and the lexicographic score written
apart from engine.planning.assign, and the best score by brute force (a support module for the tests)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from engine.planning.assign import Demand, SideLimit, Slot

TIERS = 4


def feasible(chosen: dict[str, str], demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int],
             side: Sequence[SideLimit] = ()) -> bool:
    """Written apart from engine.planning.assign.check, which the solver applies itself."""
    by_slot = {s.id: s for s in slots}
    by_key = {d.key: d for d in demands}
    load = Counter(chosen.values())
    if any(load[s.id] > s.capacity for s in slots):
        return False
    gates: Counter[str] = Counter()
    for key, course in chosen.items():
        assert course in {o.course for o in by_key[key].options}
        gates.update(by_key[key].gates)
        gates.update(by_slot[course].gates)
    if any(gates[g] > limit for g, limit in limits.items()):
        return False
    if any(sum((k, c) in s.members for k, c in chosen.items()) > s.limit for s in side):
        return False
    for a, b in itertools.combinations(chosen.items(), 2):
        if by_key[a[0]].person == by_key[b[0]].person:
            sa, sb = by_slot[a[1]], by_slot[b[1]]
            if sa.start <= sb.end and sb.start <= sa.end:
                return False
    return True


def score(chosen: dict[str, str], demands: Sequence[Demand]) -> tuple[tuple[int, ...], int]:
    """Lexicographic: most sent of tier 0, then tier 1, ...; then least total cost."""
    by_key = {d.key: d for d in demands}
    counts = Counter(by_key[k].tier for k in chosen)
    cost = sum(next(o.cost for o in by_key[k].options if o.course == c) for k, c in chosen.items())
    return tuple(-counts[t] for t in range(TIERS)), cost


def brute_force(demands: Sequence[Demand], slots: Sequence[Slot], limits: dict[str, int],
                side: Sequence[SideLimit] = ()) -> tuple[tuple[int, ...], int]:
    best: tuple[tuple[int, ...], int] | None = None
    choices = [[None, *(o.course for o in d.options)] for d in demands]
    for pick in itertools.product(*choices):
        chosen = {d.key: c for d, c in zip(demands, pick, strict=True) if c is not None}
        if feasible(chosen, demands, slots, limits, side):
            s = score(chosen, demands)
            best = s if best is None or s < best else best
    assert best is not None  # sending nobody is always feasible
    return best
