"""Careers: an event-driven simulation of who holds which post of a cluster from when to when.

Five-year terms (NĐ 138/2020 Art. 41), People's Council elections for elected posts, retirement, the age
caps and full-term rule of each period, the 24-month tenure and the discipline bar.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.dates import add_months, whole_months
from engine.generate.common import DAY, ELECTIONS, Block, age_years
from engine.generate.layout import Cluster, SlotSpec


@dataclass(slots=True, eq=False)
class Tenure:
    """One generated term of a person in a post."""

    slot: Slot
    start: dt.date
    kind: str
    decided: dt.date | None
    submitted: dt.date | None
    higher: bool
    end: dt.date | None = None


@dataclass(slots=True, eq=False)
class Member:
    """One generated person and their career."""

    id: str
    gender: str
    birth: dt.date
    retire: dt.date
    ethnicity: str
    home: str
    service_start: dt.date
    party_since: dt.date | None
    disciplines: list[tuple[str, dt.date]]
    tenures: list[Tenure] = field(default_factory=list)
    slot: Slot | None = None
    since: dt.date | None = None
    level: int = 0
    displaced: bool = False


@dataclass(slots=True, eq=False)
class Slot:
    """One generated post and who holds it over time."""

    index: int
    spec: SlotSpec
    blocks: list[Block]
    holder: Member | None = None
    tenure: Tenure | None = None
    terms: int = 0
    version: int = 0
    ending: str = ""  # why the current tenure ends: term, retire, relief, close, block
    last: Member | None = None  # the previous holder, not appointed again after leaving


_END, _FILL = 0, 1
_LOOKAHEAD = 730  # days: a generated person is not appointed to a post reserved within two years
_DISCIPLINE_BAR = {"khien-trach": 36, "canh-cao": 36, "ha-bac-luong": 36, "cach-chuc": 60}


class Career:
    """Event-driven simulation of one cluster's posts: who holds which post from when to when."""

    def __init__(self, rng: random.Random, cluster: Cluster, members: list[Member],
                 blocks: Mapping[str, Sequence[Block]], as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.members = members
        self.slots = [Slot(i, spec, sorted(blocks.get(spec.id, ()), key=lambda b: b[0]))
                      for i, spec in enumerate(cluster.slots)]
        self.by_home: dict[str, list[Member]] = {}
        for m in members:
            self.by_home.setdefault(m.home, []).append(m)
        # Whose holders may be promoted to each post: one or two levels below, in the same unit for
        # posts up to trưởng phòng, anywhere in the cluster above (a division head to deputy director).
        self.lower = [[o for o in self.slots if s.spec.level - 2 <= o.spec.level < s.spec.level
                       and (s.spec.level >= 5 or o.spec.unit == s.spec.unit)] for s in self.slots]
        self.heap: list[tuple[int, int, int, int, int, int]] = []
        self.seq = 0

    # events
    def _push(self, day: dt.date, kind: int, index: int) -> None:
        if day > self.as_of:
            return
        slot = self.slots[index]
        self.seq += 1
        heapq.heappush(self.heap, (day.toordinal(), kind, -slot.spec.level, self.seq, index, slot.version))

    def run(self) -> None:
        """Fill the posts over the years up to the evaluation date."""
        for i in sorted(range(len(self.slots)), key=lambda i: -self.slots[i].spec.level):
            spec = self.slots[i].spec
            if spec.opens is not None:
                self._push(spec.opens, _FILL, i)
            else:
                self._initial(i)
        while self.heap:
            ordinal, kind, _, _, i, version = heapq.heappop(self.heap)
            slot = self.slots[i]
            if version != slot.version:
                continue
            day = dt.date.fromordinal(ordinal)
            if kind == _END:
                self._end(slot, day)
            else:
                self._fill(slot, day)

    def _initial(self, i: int) -> None:
        """The first holder of a post that exists from the start: appointed 2010-2014, or elected in 2011."""
        slot, rng = self.slots[i], self.rng
        if slot.spec.elected and rng.random() < 0.7:
            day = ELECTIONS[0]
        else:
            day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        self._push(day, _FILL, i)

    def _blocked(self, slot: Slot, day: dt.date) -> bool:
        """A hand-written holder has the post on `day`, or will within two years (no short stints)."""
        return any((start <= day and (end is None or day < end)) or 0 <= (start - day).days < _LOOKAHEAD
                   for start, end in slot.blocks)

    def _reopen(self, slot: Slot, day: dt.date) -> dt.date | None:
        """The first day from `day` on when the post may be filled again (None: never)."""
        for start, end in slot.blocks:
            if (start <= day and (end is None or day < end)) or 0 <= (start - day).days < _LOOKAHEAD:
                if end is None:
                    return None
                day = max(day, end)
        return day

    # holding and leaving
    def _appoint(self, slot: Slot, member: Member, day: dt.date, kind: str, higher: bool) -> None:
        rng = self.rng
        if member.slot is not None and member.slot is not slot:
            self._vacate(member.slot, day, refill=True)
        reappointed = kind == "bo-nhiem-lai" or (slot.holder is member)
        if reappointed:
            decided = day - dt.timedelta(days=rng.randint(3, 30)) if rng.random() < 0.9 else None
            submitted = day - dt.timedelta(days=rng.randint(95, 160)) if rng.random() < 0.7 else None
        else:
            decided = day - dt.timedelta(days=rng.randint(3, 25)) if rng.random() < 0.9 else None
            submitted = day - dt.timedelta(days=rng.randint(26, 120)) if rng.random() < 0.75 else None
        if slot.tenure is not None and slot.holder is member:
            slot.tenure.end = day
            slot.terms += 1
        else:
            slot.terms = 1
            member.since = day
        tenure = Tenure(slot, day, kind, decided, submitted, higher)
        member.tenures.append(tenure)
        slot.holder, slot.tenure = member, tenure
        member.slot, member.level, member.displaced = slot, slot.spec.level, False
        slot.version += 1
        self._push(self._term_end(slot, member, day), _END, slot.index)

    def _term_end(self, slot: Slot, member: Member, day: dt.date) -> dt.date:
        """When, and why, the tenure starting on `day` ends (recorded in `slot.ending`)."""
        if slot.spec.elected:
            natural = next((e for e in ELECTIONS if e > day + dt.timedelta(days=180)), dt.date(2031, 6, 28))
        else:
            natural = add_months(day, 60)
        ends = [(natural, "term"), (member.retire + DAY, "retire")]
        if slot.spec.closes is not None:
            ends.append((slot.spec.closes, "close"))
        ends.extend((start, "block") for start, _ in slot.blocks if start > day)
        if self.rng.random() < 0.06:  # relieved early: moved out of the province, resigned, ill
            ends.append((day + dt.timedelta(days=self.rng.randint(400, 1700)), "relief"))
        when, slot.ending = min(ends)
        return when

    def _vacate(self, slot: Slot, day: dt.date, refill: bool) -> None:
        member, tenure = slot.holder, slot.tenure
        assert member is not None and tenure is not None
        tenure.end = min(day, member.retire)
        slot.holder = slot.tenure = None
        slot.last = member
        member.slot = None
        slot.terms = 0
        slot.version += 1
        if refill:
            delay = 0 if slot.spec.elected and day in ELECTIONS else self.rng.randint(30, 270)
            self._push(day + dt.timedelta(days=delay), _FILL, slot.index)

    def _end(self, slot: Slot, day: dt.date) -> None:
        member = slot.holder
        assert member is not None
        if slot.ending == "close":  # the unit is dissolved; its people wait for the new communes' posts
            self._vacate(slot, day, refill=False)
            member.displaced = True
        elif slot.ending == "block":
            self._vacate(slot, day, refill=False)
            reopen = self._reopen(slot, day)
            if reopen is not None:
                self._push(reopen, _FILL, slot.index)
        elif slot.ending == "term" and not self._blocked(slot, day) and self._again(slot, member, day):
            self._appoint(slot, member, day, "bau-cu" if slot.spec.elected else "bo-nhiem-lai", False)
        else:
            self._vacate(slot, day, refill=True)

    def _again(self, slot: Slot, member: Member, day: dt.date) -> bool:
        """Reappointed (or re-elected) at the end of the term: usually, rarely for a third term."""
        rng = self.rng
        return (whole_months(day, member.retire) >= 12 and (slot.terms < 2 or rng.random() < 0.05)
                and rng.random() < (0.8 if slot.spec.elected else 0.75) and not self._barred(member, day))

    # choosing people
    def _barred(self, member: Member, day: dt.date) -> bool:
        return any(effective <= day and whole_months(effective, day) < _DISCIPLINE_BAR[kind]
                   for kind, effective in member.disciplines)

    def _age_ok(self, member: Member, slot: Slot, day: dt.date) -> bool:
        """The age rule of the period (law.md A5/A6): caps before 2020-12-01, then a full term."""
        if self.rng.random() < 0.01:
            return True  # the occasional exception an audit will find
        if day < dt.date(2020, 12, 1):
            cap = 55 if member.gender == "nam" else 50
            if slot.spec.closes is not None and slot.spec.tier == "cap-phong":
                cap = 45  # trưởng/phó phòng of a district (QĐ 27/2003/QĐ-TTg Art. 6)
            return age_years(member.birth, day) <= cap and whole_months(day, member.retire) >= 60
        return whole_months(day, member.retire) >= 61

    def _eligible(self, member: Member, slot: Slot, day: dt.date) -> bool:
        if member.slot is not None or member is slot.last or member.retire <= day:
            return False
        if member.service_start > day - dt.timedelta(days=3 * 365):
            return False
        if age_years(member.birth, day) < (35 if slot.spec.level >= 5 else 27):
            return False
        if slot.spec.level >= 3 and (member.party_since is None or member.party_since > day):
            return False
        return not self._barred(member, day) and self._age_ok(member, slot, day)

    def _staff(self, slot: Slot, day: dt.date) -> Member | None:
        rng = self.rng
        local = self.by_home.get(slot.spec.unit)
        for attempt in range(48):
            pool = local if local and attempt < 16 else self.members
            member = pool[rng.randrange(len(pool))]
            if self._eligible(member, slot, day):
                return member
        return None

    def _promotion(self, slot: Slot, day: dt.date) -> Member | None:
        found: list[tuple[int, int, dt.date, str, Member]] = []
        for other in self.lower[slot.index]:
            m = other.holder
            if m is None or m.since is None:
                continue
            if whole_months(m.since, day) < 24 and self.rng.random() > 0.03:
                continue
            if m.retire <= day or self._barred(m, day) or not self._age_ok(m, slot, day):
                continue
            found.append((other.spec.group != slot.spec.group, -other.spec.level, m.since, m.id, m))
        return min(found, key=lambda f: f[:4])[4] if found else None

    def _fill(self, slot: Slot, day: dt.date) -> None:
        spec, i = slot.spec, slot.index
        if spec.opens is not None and day < spec.opens:
            self._push(spec.opens, _FILL, i)
            return
        if (spec.closes is not None and day >= spec.closes) or slot.holder is not None:
            return
        if self._blocked(slot, day):
            reopen = self._reopen(slot, day)
            if reopen is not None and reopen > day:
                self._push(reopen, _FILL, i)
            return
        kind = "bau-cu" if spec.elected else "bo-nhiem"
        if spec.opens == day:  # the reform: posts of the dissolved district go to the new communes
            displaced = [m for m in self.members if m.displaced and m.slot is None and m.retire > day
                         and m.level >= spec.level - 1]
            if displaced:
                moved = max(displaced, key=lambda m: (m.level, m.id))
                self._appoint(slot, moved, day, "dieu-dong" if moved.level >= spec.level else "bo-nhiem",
                              moved.level < spec.level)
                return
        member: Member | None = None
        if spec.level >= 3 and self.rng.random() < 0.8:
            member = self._promotion(slot, day)
        if member is None:
            member = self._staff(slot, day)
        if member is None:
            self._push(day + dt.timedelta(days=90), _FILL, i)
            return
        self._appoint(slot, member, day, kind, True)
