"""The units and posts of a simulated province, grouped in clusters simulated one at a time."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.generate.agencies import (
    COMMUNE_DIVISIONS,
    DEPARTMENTS,
    DISTRICT_DIVISIONS,
    PARTY_BODIES,
    PROVINCE_OFFICE_DIVISIONS,
    SERVICE_CYCLE,
    SERVICE_UNITS,
)
from engine.generate.common import REFORM, Row, nfc
from engine.generate.names import DISTRICTS, PROVINCES, commune_name, to_ascii


@dataclass(frozen=True, slots=True)
class SlotSpec:
    """A position row plus what the simulation needs: its seniority `level`, its division `group`."""

    id: str
    title: str
    unit: str
    tier: str
    role: str
    sector: str
    managed_by: str
    reports_to: str | None
    level: int
    group: str
    elected: bool = False
    opens: dt.date | None = None
    closes: dt.date | None = None

    def row(self) -> Row:
        """The post as a row of positions."""
        return {"id": self.id, "title": self.title, "unit": self.unit, "tier": self.tier, "role": self.role,
                "sector": self.sector, "managed_by": self.managed_by, "reports_to": self.reports_to,
                "term_years": None}


@dataclass(slots=True)
class Cluster:
    """Units whose people move between each other's posts; simulated and written as one piece."""

    units: list[Row] = field(default_factory=list)
    slots: list[SlotSpec] = field(default_factory=list)
    homes: list[tuple[str, float]] = field(default_factory=list)  # current units of its staff, with weight
    kinds: dict[str, str] = field(default_factory=dict)  # unit id -> tinh|so|sn|huyen|xa|dang
    people: int = 0
    district: str | None = None


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Builder:
    """Adds units and their posts to clusters, naming posts the way Vietnamese decisions do."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def unit(self, cluster: Cluster, code: str, name: str, level: str, kind: str, parent: str | None,
             weight: float = 0.0, dissolved: dt.date | None = None) -> str:
        uid = self.prefix + code
        cluster.units.append({"id": uid, "name": nfc(name), "level": level, "parent": parent,
                              "dissolved": dissolved})
        cluster.kinds[uid] = kind
        if weight:
            cluster.homes.append((uid, weight))
        return uid

    @staticmethod
    def post(cluster: Cluster, uid: str, suffix: str, title: str, tier: str, role: str, sector: str,
             managed_by: str, reports_to: str | None, level: int, group: str | None = None,
             elected: bool = False, opens: dt.date | None = None, closes: dt.date | None = None) -> str:
        pid = f"{uid}-{suffix}"
        cluster.slots.append(SlotSpec(pid, nfc(title), uid, tier, role, sector, managed_by, reports_to, level,
                                      group or uid, elected, opens, closes))
        return pid

    def leaders(self, cluster: Cluster, uid: str, head: str, deputy: str, deputies: int, spec: tuple[str, str, str],
                reports_to: str | None, levels: tuple[int, int], codes: tuple[str, str] = ("GD", "PGD"),
                elected: bool = False, opens: dt.date | None = None, closes: dt.date | None = None) -> str:
        tier, sector, managed_by = spec
        top = self.post(cluster, uid, codes[0], head, tier, "truong", sector, managed_by, reports_to, levels[0],
                        elected=elected, opens=opens, closes=closes)
        deputy_managed = "don-vi" if tier == "cap-xa" else managed_by
        for k in range(1, deputies + 1):
            self.post(cluster, uid, f"{codes[1]}{k}", deputy, tier, "pho", sector, deputy_managed, top, levels[1],
                      elected=elected, opens=opens, closes=closes)
        return top

    def divisions(self, cluster: Cluster, uid: str, unit_name: str, divisions: Sequence[tuple[str, str]],
                  deputies: int, sector: str, managed_by: str, reports_to: str | None, base: int,
                  opens: dt.date | None = None, closes: dt.date | None = None, office: bool = False) -> None:
        for index, (code, name) in enumerate(divisions):
            if office and index == 0:
                head, deputy = f"Chánh Văn phòng {unit_name}", f"Phó Chánh Văn phòng {unit_name}"
                code = "VP"
            else:
                head, deputy = f"Trưởng phòng {name}, {unit_name}", f"Phó Trưởng phòng {name}, {unit_name}"
            group = f"{uid}-{code}"
            top = self.post(cluster, uid, f"{code}-TP", head, "cap-phong", "truong", sector, managed_by, reports_to,
                            base + 1, group, opens=opens, closes=closes)
            for k in range(1, deputies + 1):
                self.post(cluster, uid, f"{code}-PP{k}", deputy, "cap-phong", "pho", sector, "don-vi", top, base,
                          group, opens=opens, closes=closes)


def province_layout(index: int, people: int, multi: bool) -> tuple[str, str, list[Cluster]]:
    """The units and posts of one province of `people` people: (name, top unit id, clusters).

    Ratios (one department per ~60 people, 3 to 13; one public service unit per ~100; one district per
    ~150, 2 to 12, each replaced by communes) keep a 300-person province small enough to read and a
    40,000-person one close to a real province.
    """
    base = PROVINCES[index % len(PROVINCES)]
    pname = base if index < len(PROVINCES) else f"{base} {index // len(PROVINCES) + 1}"
    b = _Builder(f"T{index + 1:02d}-" if multi else "")
    n = people
    departments = _clamp(n / 60, 3, len(DEPARTMENTS))
    divisions = _clamp(n / 100, 2, 7) + 1  # + the office
    deputies = 2 if n < 3000 else 3
    division_deputies = 1 if n < 1500 else 2
    service_units = _clamp(n / 100, 1, 400)
    districts = _clamp(n / 150, 2, len(DISTRICTS))
    communes = _clamp(n / 150, 1, 12)
    clusters: list[Cluster] = []

    top = Cluster()
    ubnd = b.unit(top, "UBND", f"Ủy ban nhân dân tỉnh {pname}", "tinh", "tinh", None)
    chair = b.leaders(top, ubnd, f"Chủ tịch Ủy ban nhân dân tỉnh {pname}", f"Phó Chủ tịch Ủy ban nhân dân tỉnh {pname}",
                      3 if n < 20_000 else 4, ("cap-vu", "hanh-chinh", "bct"), None, (8, 7),
                      ("CT", "PCT"), elected=True)
    vice_chairs = [s.id for s in top.slots if s.role == "pho"]
    office = b.unit(top, "VPUB", f"Văn phòng Ủy ban nhân dân tỉnh {pname}", "tinh", "tinh", ubnd, 8 + 3 * divisions)
    head = b.leaders(top, office, f"Chánh Văn phòng Ủy ban nhân dân tỉnh {pname}",
                     f"Phó Chánh Văn phòng Ủy ban nhân dân tỉnh {pname}", 2, ("cap-so", "hanh-chinh", "btv-tinh-uy"),
                     chair, (6, 5), ("CVP", "PCVP"))
    b.divisions(top, office, f"Văn phòng Ủy ban nhân dân tỉnh {pname}",
                PROVINCE_OFFICE_DIVISIONS[:_clamp(n / 150, 2, 6)], division_deputies, "hanh-chinh", "don-vi", head, 2)
    party = b.unit(top, "TU", f"Tỉnh ủy {pname}", "tinh", "dang", None)
    bodies = 1 + (n >= 1000) * 2 + (n >= 3000)
    for code, name, head_title, deputy_title, body_divisions in PARTY_BODIES[:bodies]:
        uid = b.unit(top, code, name.replace("Tỉnh ủy", f"Tỉnh ủy {pname}"), "tinh", "dang", party,
                     4 + 3 * len(body_divisions))
        body_head = b.leaders(top, uid, head_title, deputy_title, 2,
                              ("cap-so", "dang", "btv-tinh-uy"), None, (6, 5), ("TB", "PTB"))
        b.divisions(top, uid, name, body_divisions, division_deputies, "dang", "don-vi", body_head, 2)
    clusters.append(top)

    for d_index in range(departments):
        code, name, dept_divisions = DEPARTMENTS[d_index]
        cluster = Cluster()
        uid = b.unit(cluster, code, name, "tinh", "so", ubnd, 10 + 6 * divisions)
        director = b.leaders(cluster, uid, f"Giám đốc {name}", f"Phó Giám đốc {name}", deputies,
                             ("cap-so", "hanh-chinh", "btv-tinh-uy"), vice_chairs[d_index % len(vice_chairs)], (6, 5))
        b.divisions(cluster, uid, name, (("VP", "Văn phòng"), *dept_divisions[: divisions - 1]),
                    division_deputies, "hanh-chinh", "don-vi", director, 2, office=True)
        clusters.append(cluster)
    by_department = {c.units[0]["id"]: c for c in clusters[1:]}
    counters: dict[str, int] = {}
    cycle = [d for d in SERVICE_CYCLE if b.prefix + d in by_department] or [DEPARTMENTS[0][0]]
    for s_index in range(service_units):
        dept = cycle[s_index % len(cycle)]
        cluster = by_department[b.prefix + dept]
        k = counters.get(dept, 0)
        counters[dept] = k + 1
        named, (pattern_code, pattern) = SERVICE_UNITS.get(dept, ((), ("TTDV", "Trung tâm Dịch vụ công số {k}")))
        if k < len(named):
            code, uname = named[k][0], named[k][1].format(p=pname)
        else:
            code, uname = f"{pattern_code}{k - len(named) + 1}", pattern.format(k=k - len(named) + 1, p=pname)
        uid = b.unit(cluster, code, uname, "tinh", "sn", b.prefix + dept, 18)
        school = uname.startswith("Trường")
        b.leaders(cluster, uid, ("Hiệu trưởng " if school else "Giám đốc ") + uname,
                  ("Phó Hiệu trưởng " if school else "Phó Giám đốc ") + uname, 2,
                  ("cap-phong", "su-nghiep", "don-vi"), f"{b.prefix}{dept}-GD", (3, 2),
                  ("HT", "PHT") if school else ("GD", "PGD"))

    taken: set[str] = set()
    codes: set[str] = set()
    for h_index in range(districts):
        dname = DISTRICTS[h_index]
        cluster = Cluster()
        dcode = "".join(w[0] for w in to_ascii(dname).split()).upper()
        dcode = next(c for c in (dcode, *(f"{dcode}{k}" for k in range(2, 99))) if c not in codes)
        codes.add(dcode)
        uid = b.unit(cluster, f"H{dcode}", f"Huyện {dname}", "huyen", "huyen", ubnd, 0, REFORM)
        cluster.district = uid
        dchair = b.leaders(cluster, uid, f"Chủ tịch Ủy ban nhân dân huyện {dname}",
                           f"Phó Chủ tịch Ủy ban nhân dân huyện {dname}", 2, ("cap-huyen", "hanh-chinh", "btv-tinh-uy"),
                           chair, (6, 5), ("CT", "PCT"), elected=True, closes=REFORM)
        b.divisions(cluster, uid, f"Ủy ban nhân dân huyện {dname}", DISTRICT_DIVISIONS[: divisions - 1],
                    division_deputies, "hanh-chinh", "btv-huyen-uy", dchair, 2, closes=REFORM)
        for c_index in range(communes):
            cname = dname if c_index == 0 else commune_name(h_index, c_index, taken)
            taken.add(cname)
            cid = b.unit(cluster, f"X{dcode}{c_index + 1}", f"Xã {cname}", "xa", "xa", ubnd, 12)
            cchair = b.leaders(cluster, cid, f"Chủ tịch Ủy ban nhân dân xã {cname}",
                               f"Phó Chủ tịch Ủy ban nhân dân xã {cname}", 2, ("cap-xa", "hanh-chinh", "btv-tinh-uy"),
                               chair, (4, 3), ("CT", "PCT"), elected=True, opens=REFORM)
            b.divisions(cluster, cid, f"Ủy ban nhân dân xã {cname}", COMMUNE_DIVISIONS[: 2 if n < 5000 else 3],
                        1, "hanh-chinh", "don-vi", cchair, 1, opens=REFORM)
        clusters.append(cluster)
    _share_people(clusters, people)
    return pname, ubnd, clusters


def _share_people(clusters: list[Cluster], people: int) -> None:
    """Split `people` over clusters in proportion to their home units' weights (largest remainder)."""
    weights = [sum(w for _, w in c.homes) for c in clusters]
    total = sum(weights)
    exact = [people * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(clusters)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: people - sum(counts)]:
        counts[i] += 1
    for cluster, count in zip(clusters, counts, strict=True):
        cluster.people = count
