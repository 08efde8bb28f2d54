"""Succession plans (quy hoạch) of a cluster, from its simulated careers."""

from __future__ import annotations

import datetime as dt
import random

from engine.dates import add_months
from engine.generate.careers import Career, Member
from engine.generate.common import Row, day_between
from engine.generate.layout import Cluster


class Plans:
    """Succession plans (quy hoạch) of a cluster: for appointments, and for today's next posts."""

    def __init__(self, rng: random.Random, cluster: Cluster, members: list[Member], career: Career,
                 as_of: dt.date) -> None:
        self.rows: dict[str, list[Row]] = {}
        seen: set[tuple[str, str, str]] = set()

        def add(m: Member, slot_id: str, approved: dt.date, term: str, removable: bool) -> None:
            if (m.id, slot_id, term) in seen or approved > as_of:
                return
            seen.add((m.id, slot_id, term))
            removed = None
            late = next((e for _, e in m.disciplines if e > approved), None)
            if removable and late is not None:
                removed = min(late + dt.timedelta(days=rng.randint(20, 90)), as_of)
            elif removable and rng.random() < 0.06:
                removed = day_between(rng, approved + dt.timedelta(days=180), as_of)
            if removed is not None and removed <= approved:
                removed = None
            self.rows.setdefault(m.id, []).append({"person": m.id, "position": slot_id, "approved": approved,
                                                   "term": term, "removed": removed})

        for m in members:
            for t in m.tenures:
                if not t.higher or t.start < dt.date(2019, 10, 1) or rng.random() < 0.1:
                    continue
                before = t.start - dt.timedelta(days=60)
                if t.start < dt.date(2025, 1, 1):
                    add(m, t.slot.spec.id, day_between(rng, dt.date(2019, 9, 1), before), "2020-2025", False)
                else:
                    add(m, t.slot.spec.id, day_between(rng, dt.date(2023, 6, 1), before), "2025-2030", False)
        staff = [m for m in members if m.slot is None and m.retire > as_of and not m.tenures]
        horizon = add_months(as_of, 60)  # planned people can serve a full term (QĐ 50-QĐ/TW)
        holders = [(o.spec.level, o.holder) for o in career.slots
                   if o.holder is not None and o.holder.retire > horizon]
        for slot in career.slots:
            spec = slot.spec
            if spec.closes is not None or spec.level < 2:
                continue
            pool = [holder for level, holder in holders if spec.level - 2 <= level < spec.level]
            for _ in range(rng.randint(1, 2)):
                if pool and (spec.level >= 3 or rng.random() < 0.5):
                    planned = pool[rng.randrange(len(pool))]
                elif staff and spec.level <= 3:
                    planned = staff[rng.randrange(len(staff))]
                else:
                    continue
                add(planned, spec.id, day_between(rng, dt.date(2024, 3, 1), dt.date(2025, 9, 30)), "2025-2030", True)
        day = dt.date(2020, 6, 30)
        held_2020 = [(m, t) for m in members for t in m.tenures
                     if t.start <= day and (t.end is None or t.end > day)]
        for slot in career.slots:
            spec = slot.spec
            if spec.opens is not None or spec.level < 2 or rng.random() < 0.4:
                continue
            then = [m for m, t in held_2020 if spec.level - 2 <= t.slot.spec.level < spec.level]
            if then:
                approved = day_between(rng, dt.date(2019, 10, 1), dt.date(2020, 12, 31))
                add(then[rng.randrange(len(then))], spec.id, approved, "2020-2025", True)

    def of(self, m: Member) -> list[Row]:
        """The succession-plan rows of member `m`."""
        return self.rows.get(m.id, [])
