"""The generator: people drawn cluster by cluster, careers simulated, rows streamed to a sink."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import engine.generate as package  # for PEOPLE_PER_PROVINCE, read when used: callers may change it
from engine.dates import add_months
from engine.errors import DtbdError
from engine.generate.careers import Career, Member
from engine.generate.common import AS_OF, Block, Format, Weighted, day_between, nfc
from engine.generate.layout import Cluster, province_layout
from engine.generate.names import ETHNICITY
from engine.generate.plans import Plans
from engine.generate.records import credential_rows, person_row, rating_rows
from engine.generate.retirement import retirement_age_months, retirement_date
from engine.generate.training import courses, quotas
from engine.generate.writers import FileSink, Sink, write_manifest
from engine.intake.vocabulary import valid_code
from engine.model import TABLES

ONE_DAY = dt.timedelta(days=1)

_DISCIPLINE_KINDS = Weighted.of(("khien-trach", 65), ("canh-cao", 30), ("ha-bac-luong", 5))


class Generator:
    """Builds a synthetic dataset and hands every row to a sink as soon as it exists.

    `blocks` reserves periods of given posts for people written by hand (the demo's special cases):
    nobody generated holds a post during one of its blocks, nor is appointed to it within two years of one.
    """

    def __init__(self, people: int, seed: int, as_of: dt.date = AS_OF,
                 blocks: Mapping[str, Sequence[Block]] | None = None) -> None:
        if people < 1:
            raise ValueError("people must be at least 1")
        self.people = people
        self.seed = seed
        self.as_of = as_of
        self.blocks = blocks or {}
        self.provinces = max(1, math.ceil(people / package.PEOPLE_PER_PROVINCE))
        self.width = max(4, len(str(people)))
        self.province_names: list[str] = []
        self.demo_person: str | None = None

    def run(self, sink: Sink, progress: Callable[[int], None] | None = None) -> None:
        """Generate the dataset into `sink`; `progress(done)` after each block of people."""
        rng = random.Random(self.seed)
        multi = self.provinces > 1
        next_id = 1
        done = 0
        for p in range(self.provinces):
            share = self.people // self.provinces + (p < self.people % self.provinces)
            pname, _, clusters = province_layout(p, share, multi)
            self.province_names.append(pname)
            for cluster in clusters:
                homes = Weighted.of(*cluster.homes)
                members = [self._member(rng, homes, next_id + k) for k in range(cluster.people)]
                next_id += cluster.people
                career = Career(rng, cluster, members, self.blocks, self.as_of)
                career.run()
                for unit in cluster.units:
                    sink.write("units", unit)
                for spec in cluster.slots:
                    sink.write("positions", spec.row())
                self._write_people(rng, sink, cluster, members, career, pname)
                done += cluster.people
                if progress is not None:
                    progress(done)
        for p, pname in enumerate(self.province_names):
            for row in courses(self.as_of.year, pname, f"T{p + 1:02d}-" if multi else ""):
                sink.write("courses", row)
        for row in quotas(self.as_of.year, self.provinces):
            sink.write("quotas", row)

    def _member(self, rng: random.Random, homes: Weighted, number: int) -> Member:
        gender = "nam" if rng.random() < 0.52 else "nu"
        as_of = self.as_of
        if rng.random() < 0.07:  # retires between 2014 and as_of: the earlier holders of today's posts
            target = day_between(rng, dt.date(2014, 6, 1), as_of)
            birth = add_months(target, -retirement_age_months(target.year, gender))
            birth = birth.replace(day=rng.randint(1, 28))
        else:
            while True:
                oldest = 61 if gender == "nam" else 56
                age_days = int((25 + (oldest - 25) * rng.betavariate(1.6, 1.4)) * 365.25)
                birth = as_of - dt.timedelta(days=age_days)
                if retirement_date(birth, gender) > as_of:
                    break
        retire = retirement_date(birth, gender)
        ethnicity = ETHNICITY.draw(rng)
        home = homes.draw(rng)
        start = birth + dt.timedelta(days=8036 + rng.randint(0, 2557))  # recruited at 22 to 29
        start = min(start.replace(day=1), as_of - dt.timedelta(days=200))
        party = None
        if rng.random() < 0.72:  # admitted at 21 to 36, rarely long before recruitment
            party = max(birth + dt.timedelta(days=7670 + rng.randint(0, 5479)), start - dt.timedelta(days=700))
            party = party if party < as_of else None
        disciplines: list[tuple[str, dt.date]] = []
        if rng.random() < 0.025:
            low = max(dt.date(2019, 1, 1), start)
            if low < as_of - dt.timedelta(days=30):
                kind, day = _DISCIPLINE_KINDS.draw(rng), day_between(rng, low, as_of - dt.timedelta(days=30))
                # A kind abolished for new decisions by then (rulesets/vocabulary.yaml) is drawn as cảnh cáo.
                disciplines.append((kind if valid_code("disciplines", "kind", kind, day) else "canh-cao", day))
        return Member(f"CB{number:0{self.width}d}", gender, birth, retire, ethnicity, home, start, party, disciplines)

    def _write_people(self, rng: random.Random, sink: Sink, cluster: Cluster, members: list[Member],
                      career: Career, pname: str) -> None:
        plans = Plans(rng, cluster, members, career, self.as_of)
        for m in members:
            person = person_row(rng, m, cluster, self.as_of)
            sink.write("people", person)
            if self.demo_person is None and m.slot is not None and m.slot.spec.tier == "cap-so" \
                    and m.slot.spec.role == "truong":
                self.demo_person = m.id
            for t in m.tenures:
                if t.end is not None and t.end <= t.start:
                    continue  # passed on the day it began: held no day
                sink.write("appointments", {"person": m.id, "position": t.slot.spec.id, "start": t.start,
                                            # a tenure ends the day the post passes on; `end` is the last day held
                                            "kind": t.kind,
                                            "end": t.end - ONE_DAY if t.end and t.end <= self.as_of else None,
                                            "decided": t.decided, "submitted": t.submitted})
            for row in credential_rows(rng, m, person, pname, self.as_of):
                sink.write("credentials", row)
            for row in plans.of(m):
                sink.write("plans", row)
            for row in rating_rows(rng, m, self.as_of):
                sink.write("ratings", row)
            for kind, effective in m.disciplines:
                sink.write("disciplines", {"person": m.id, "kind": kind, "effective": effective, "ends": None})


def _existing(out: Path) -> list[str]:
    if not out.is_dir():
        return []
    names = {"dataset.yaml"} | {f"{t}.{ext}" for t in TABLES for ext in ("csv", "yaml", "yml", "xlsx")}
    return sorted(p.name for p in out.iterdir() if p.name in names)


def generate_dataset(people: int, seed: int, out: Path, fmt: Format = "csv", as_of: dt.date = AS_OF, *,
                     overwrite: bool = False, progress: Callable[[int], None] | None = None) -> None:
    """Write a synthetic dataset of `people` people into the folder `out` (same seed, same bytes).

    A folder that already holds dataset files is refused unless `overwrite`; then every table file of
    the dataset is replaced, in either format, so the folder never holds a table twice.
    """
    found = _existing(out)
    if found and not overwrite:
        raise DtbdError(f"thư mục đã có dữ liệu / {out} already holds a dataset ({', '.join(found[:4])}…);"
                        " use --force to replace it")
    for name in found:
        (out / name).unlink()
    generator = Generator(people, seed, as_of)
    sink = FileSink(out, dict.fromkeys(TABLES, fmt))
    try:
        generator.run(sink, progress)
    except BaseException as exc:  # Ctrl-C, SIGTERM, a full disk: no half-written table is left
        sink.abort(exc)
        raise
    sink.close()
    names = generator.province_names
    manifest: dict[str, object] = {
        "name": f"Dữ liệu mô phỏng {people} người (seed {seed})",
        "province": f"Tỉnh {names[0]} (dữ liệu mô phỏng)" if len(names) == 1
        else f"{len(names)} tỉnh mô phỏng",
        "rulesets": ["national"],
        "as_of": as_of,
    }
    if generator.demo_person is not None:
        manifest["demo_person"] = generator.demo_person
    manifest["description"] = nfc("Sinh bởi `dtbd generate`: dữ liệu giả lập, không phải người thật.")
    write_manifest(out, manifest)
