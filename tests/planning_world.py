"""Small worlds for the planner tests, built in Python with the planning test pack (a support module:
test modules import it, and none imports another).

The pack (tests/data/plan_demo/rules) holds ND29-TRANS-LLCT (cấp phòng → trung cấp LLCT by
01/05/2027; giám đốc sở → cao cấp), ND29-CAOCAP (planned giám đốc sở → cao cấp before the term),
QLNN-TRUONG-PHONG (trưởng phòng → CVC QLNN within 12 months), LDQL-CAP-PHONG (pending), the
admission rules LLCT-TC-350-* (party, education, ratings, part-time age), PREREQ-CVC and the object
rule LLCT-TC-350-DOI-TUONG.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.dataset import Dataset
from engine.evaluation.evaluator import Evaluator
from engine.model import (
    Appointment,
    Course,
    Credential,
    Manifest,
    Person,
    Plan,
    Position,
    Quota,
    RatingRow,
    Unit,
)
from engine.planning.planner import Planner
from engine.rules.loader import load_rulebook
from engine.rules.rulebook import Rulebook

DATA = Path(__file__).parent / "data"
PLAN_RULES = DATA / "plan_demo" / "rules"
AS_OF = dt.date(2026, 1, 15)
GOOD = "hoan-thanh-tot"


@lru_cache(maxsize=1)
def plan_book() -> Rulebook:
    return load_rulebook(PLAN_RULES, ["national"])


class World:
    """Units TINH > SNV, STC; people each in a post of their own; courses; quotas."""

    def __init__(self, as_of: dt.date = AS_OF) -> None:
        self.as_of = as_of
        self.units = [Unit(id="TINH", name="Tỉnh", level="tinh"),
                      Unit(id="SNV", name="Sở Nội vụ", level="tinh", parent="TINH"),
                      Unit(id="STC", name="Sở Tài chính", level="tinh", parent="TINH")]
        self.positions: list[Position] = []
        self.people: list[Person] = []
        self.appointments: list[Appointment] = []
        self.credentials: list[Credential] = []
        self.ratings: list[RatingRow] = []
        self.plans: list[Plan] = []
        self.courses: list[Course] = []
        self.quotas: list[Quota] = []

    def post(self, pid: str, unit: str, tier: str, role: str) -> str:
        if all(p.id != pid for p in self.positions):
            self.positions.append(Position(id=pid, title=f"Chức vụ {pid}", unit=unit, tier=tier, role=role,
                                           sector="hanh-chinh"))
        return pid

    def person(self, pid: str, *, gender: str = "nam", born: dt.date = dt.date(1980, 1, 1), unit: str = "SNV",
               ethnicity: str = "kinh", education: str | None = "dai-hoc",
               party: dt.date | None = dt.date(2005, 1, 1), ratings: tuple[str | None, ...] = (GOOD, GOOD),
               tier: str | None = "cap-phong", role: str = "pho", appointed: dt.date = dt.date(2021, 1, 1),
               credentials: tuple[str, ...] = ("ldql-cap-phong",), planned: str | None = None,
               term: str = "2027-2032") -> str:
        self.people.append(Person(id=pid, full_name=f"Người {pid}", birth_date=born, gender=gender,
                                  category="cong-chuc", unit=unit, ethnicity=ethnicity, education=education,
                                  party_member_since=party))
        if tier is not None:
            post = self.post(f"{pid}-POST", unit, tier, role)
            self.appointments.append(Appointment(person=pid, position=post, start=appointed, kind="bo-nhiem"))
        for code in credentials:
            self.credentials.append(Credential(person=pid, programme=code, completed=dt.date(2015, 6, 1),
                                               evidence="chung-chi"))
        for offset, rating in enumerate(ratings):
            if rating is not None:
                self.ratings.append(RatingRow(person=pid, year=self.as_of.year - 1 - offset, rating=rating))
        if planned is not None:
            self.plans.append(Plan(person=pid, position=planned, approved=dt.date(2025, 6, 1), term=term))
        return pid

    def course(self, cid: str, programme: str, start: dt.date, end: dt.date, capacity: int,
               mode: str = "tap-trung") -> str:
        self.courses.append(Course(id=cid, programme=programme, start=start, end=end, capacity=capacity, mode=mode))
        return cid

    def quota(self, programme: str, target: int, year: int = 2026, mode: str | None = None,
              unit: str | None = None) -> None:
        self.quotas.append(Quota(year=year, programme=programme, target=target, mode=mode, unit=unit))

    def dataset(self) -> Dataset:
        return Dataset(manifest=Manifest(name="thử", rulesets=["national"], as_of=self.as_of), root=Path("."),
                       units=self.units, positions=self.positions, people=self.people,
                       credentials=self.credentials, appointments=self.appointments, plans=self.plans,
                       ratings=self.ratings, courses=self.courses, quotas=self.quotas)

    def planner(self, lang: str = "vi", **kw: Any) -> Planner:
        ev = Evaluator(plan_book(), self.dataset(), backend="python", lang=lang)
        return Planner(ev, self.as_of, lang, **kw)


def assigned(result: Any) -> dict[tuple[str, str], str]:
    """(person, programme) -> course id of a PlanResult."""
    return {(a.candidate.person, a.candidate.programme): a.course.id for a in result.assignments}


def unassigned(result: Any) -> dict[tuple[str, str], Any]:
    return {(u.need.person, u.need.programme): u for u in result.unassigned}
