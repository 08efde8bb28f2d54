"""The rows that follow from a simulated career: the person, their credentials and yearly ratings.

With a little deliberate noise (a leadership certificate obtained after the appointment) so that audits
find something, as in a real province.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from engine.dates import add_months
from engine.generate.careers import Member, Tenure
from engine.generate.common import DAY, REFORM, Row, Weighted, age_years, day_between
from engine.generate.layout import Cluster
from engine.generate.names import full_name

_GRADE_TOP = Weighted.of(("01.001", 55), ("01.002", 45))
_GRADE_SENIOR = Weighted.of(("01.001", 10), ("01.002", 75), ("01.003", 15))
_GRADE_DIVISION = Weighted.of(("01.002", 45), ("01.003", 55))
_GRADE_COMMUNE = Weighted.of(("01.003", 55), ("01.004", 40), ("01.005", 5))
_GRADE_STAFF = Weighted.of(("01.002", 10), ("01.003", 65), ("01.004", 18), ("01.005", 7))
_EDUCATION_LEADER = Weighted.of(("dai-hoc", 55), ("thac-si", 38), ("tien-si", 7))
_EDUCATION_COMMUNE = Weighted.of(("thpt", 5), ("trung-cap", 15), ("cao-dang", 15), ("dai-hoc", 60), ("thac-si", 5))
_EDUCATION_SERVICE = Weighted.of(("cao-dang", 10), ("dai-hoc", 60), ("thac-si", 25), ("tien-si", 5))
_EDUCATION_STAFF = Weighted.of(("cao-dang", 5), ("dai-hoc", 75), ("thac-si", 18), ("tien-si", 2))
_LANGUAGE = Weighted.of(("2", 25), ("3", 40), ("4", 25), ("5", 8), ("6", 2))
_LLCT_HIGH = Weighted.of(("llct-cao-cap", 75), ("llct-cao-cap-hc", 15), ("cu-nhan-chinh-tri", 10))
_LLCT_MIDDLE = Weighted.of(("llct-trung-cap", 80), ("llct-trung-cap-hc", 20))
_RATING_DISCIPLINED = Weighted.of(("hoan-thanh", 80), ("khong-hoan-thanh", 20))
_RATING = Weighted.of(("hoan-thanh-xuat-sac", 15), ("hoan-thanh-tot", 66), ("hoan-thanh", 17), ("khong-hoan-thanh", 2))


def person_row(rng: random.Random, m: Member, cluster: Cluster, as_of: dt.date) -> Row:
    """The people row of member `m`."""
    last = m.tenures[-1] if m.tenures else None
    retired = m.retire if m.retire <= as_of else None
    if m.slot is not None:
        unit = m.slot.spec.unit
    elif retired is not None and last is not None:
        unit = last.slot.spec.unit
    elif retired is not None and cluster.district is not None and retired < REFORM:
        unit = cluster.district
    else:
        unit = m.home
    kind = cluster.kinds[unit]
    top = max((t.slot.spec.level for t in m.tenures), default=0)
    current = m.slot.spec if m.slot is not None else (last.slot.spec if last and retired else None)
    if current is not None and current.elected:
        category = "cbcc-cap-xa" if kind == "xa" else "can-bo"
    elif kind == "sn":
        category = "vien-chuc"
    elif kind == "xa":
        category = "khong-chuyen-trach" if not m.tenures and rng.random() < 0.06 else "cbcc-cap-xa"
    else:
        category = "cong-chuc"
    grade = grade_since = None
    if category not in ("vien-chuc", "khong-chuyen-trach"):
        if top >= 6:
            grade = _GRADE_TOP.draw(rng)
        elif top >= 4:
            grade = _GRADE_SENIOR.draw(rng)
        elif top >= 2:
            grade = _GRADE_DIVISION.draw(rng)
        elif kind == "xa":
            grade = _GRADE_COMMUNE.draw(rng)
        else:
            grade = _GRADE_STAFF.draw(rng)
        years = {"01.001": (17, 26), "01.002": (8, 15)}.get(grade, (0, 3))
        grade_since = add_months(m.service_start, rng.randint(12 * years[0], 12 * years[1]))
        grade_since = min(grade_since, as_of - dt.timedelta(days=30), retired or as_of)
    if rng.random() < 0.02:
        education = None
    elif top >= 4:
        education = _EDUCATION_LEADER.draw(rng)
    elif kind == "xa" and not m.tenures:
        education = _EDUCATION_COMMUNE.draw(rng)
    elif kind == "sn":
        education = _EDUCATION_SERVICE.draw(rng)
    else:
        education = _EDUCATION_STAFF.draw(rng)
    language = None
    if rng.random() < (0.5 if age_years(m.birth, as_of) < 40 else 0.25):
        language = int(_LANGUAGE.draw(rng))
    return {"id": m.id, "full_name": full_name(rng, m.gender, m.ethnicity), "birth_date": m.birth,
            "gender": m.gender, "category": category, "unit": unit,
            "ethnicity": None if m.ethnicity == "kinh" and rng.random() < 0.5 else m.ethnicity,
            "education": education, "service_start": m.service_start, "party_member_since": m.party_since,
            "grade": grade, "grade_since": grade_since, "foreign_language_level": language, "retired": retired}


_LDQL = {"cap-xa": "ldql-cap-xa", "cap-phong": "ldql-cap-phong", "cap-huyen": "ldql-cap-huyen",
         "cap-so": "ldql-cap-so", "cap-vu": "ldql-cap-vu"}
_QPAN = {"bct": "qpan-doi-tuong-1", "btv-tinh-uy": "qpan-doi-tuong-2"}


def _issuer(programme: str, pname: str) -> str:
    if programme in ("llct-cao-cap", "llct-cao-cap-hc", "cap-nhat-kien-thuc"):
        return "Học viện Chính trị khu vực I"
    if programme == "cu-nhan-chinh-tri":
        return "Học viện Báo chí và Tuyên truyền"
    if programme in ("qlnn-chuyen-vien-cao-cap", "ldql-cap-so", "ldql-cap-vu", "ldql-cap-huyen"):
        return "Học viện Hành chính Quốc gia"
    if programme == "qpan-doi-tuong-1":
        return "Học viện Quốc phòng"
    if programme == "qpan-doi-tuong-2":
        return "Trường Quân sự Quân khu 3"
    if programme.startswith("qpan"):
        return f"Trường Quân sự tỉnh {pname}"
    return f"Trường Chính trị tỉnh {pname}"


def credential_rows(rng: random.Random, m: Member, person: Row, pname: str, as_of: dt.date) -> Iterator[Row]:
    """The credentials rows of member `m`: education, political theory, state management and the rest."""
    limit = min(as_of - DAY, m.retire)
    earliest = add_months(m.birth, 12 * 21)
    found: dict[str, dt.date] = {}

    def add(programme: str, day: dt.date) -> None:
        day = max(day, earliest)
        if day <= limit and programme not in found:
            found[programme] = day

    grade, since = person["grade"], person["grade_since"]
    if isinstance(since, dt.date):
        before = since - dt.timedelta(days=rng.randint(30, 900))
        if grade == "01.004" and rng.random() < 0.7:
            add("qlnn-can-su", before)
        if grade in ("01.003", "01.002", "01.001") and rng.random() < 0.8:
            add("qlnn-chuyen-vien", m.service_start + dt.timedelta(days=rng.randint(200, 1500)))
        if grade in ("01.002", "01.001") and rng.random() < 0.88:
            add("qlnn-chuyen-vien-chinh", before if grade == "01.002" else add_months(m.service_start, 12 * 8))
        if grade == "01.001" and rng.random() < 0.8:
            add("qlnn-chuyen-vien-cao-cap", before)
    firsts: dict[str, Tenure] = {}
    for t in m.tenures:
        firsts.setdefault(t.slot.spec.tier, t)
    top = max(m.tenures, key=lambda t: t.slot.spec.level) if m.tenures else None
    if m.party_since is not None:  # political theory schools admit party members (law.md L6, L9)
        admitted = m.party_since + dt.timedelta(days=180)
        senior = next((t for t in m.tenures if t.slot.spec.level >= 5), None)
        first = m.tenures[0] if m.tenures else None
        if senior is not None and rng.random() < 0.85:
            programme = _LLCT_HIGH.draw(rng)
            offset = -rng.randint(60, 6 * 365) if rng.random() < 0.75 else rng.randint(30, 3 * 365)
            add(programme, max(senior.start + dt.timedelta(days=offset), admitted))
        if first is not None and rng.random() < 0.85:
            offset = -rng.randint(60, 6 * 365) if rng.random() < 0.8 else rng.randint(30, 3 * 365)
            add(_LLCT_MIDDLE.draw(rng), max(first.start + dt.timedelta(days=offset), admitted))
        elif first is None and rng.random() < 0.12:
            add("llct-trung-cap", day_between(rng, admitted, as_of))
    for tier, t in firsts.items():
        threshold = t.decided or t.start
        if t.start >= dt.date(2022, 1, 1):
            x = rng.random()
            if x < 0.9:
                add(_LDQL[tier], threshold - dt.timedelta(days=rng.randint(20, 500)))
            elif x < 0.96:
                add(_LDQL[tier], t.start + dt.timedelta(days=rng.randint(20, 600)))
        elif rng.random() < 0.82:
            add(_LDQL[tier], t.start + dt.timedelta(days=rng.randint(-700, 1100)))
    if top is not None and rng.random() < 0.7:
        spec = top.slot.spec
        group = _QPAN.get(spec.managed_by, "qpan-doi-tuong-4" if spec.tier == "cap-xa" else "qpan-doi-tuong-3")
        add(group, top.start + dt.timedelta(days=rng.randint(-365, 3 * 365)))
    level = m.slot.spec.level if m.slot is not None else 0
    if rng.random() < (0.45 if level >= 5 else 0.15 if level >= 3 else 0):
        add("cap-nhat-kien-thuc", day_between(rng, dt.date(2024, 6, 1), as_of - DAY))
    for programme, day in sorted(found.items(), key=lambda item: (item[1], item[0])):
        evidence = "giay-chung-nhan" if rng.random() < 0.15 else "chung-chi"
        yield {"person": m.id, "programme": programme, "completed": day, "evidence": evidence,
               "issuer": _issuer(programme, pname), "note": None}


def rating_rows(rng: random.Random, m: Member, as_of: dt.date) -> Iterator[Row]:
    """The yearly rating rows of member `m`."""
    disciplined = {effective.year for _, effective in m.disciplines}
    for year in range(2020, min(as_of.year, 2026)):
        if m.service_start.year > year or m.retire < dt.date(year, 7, 1):
            continue
        if year == as_of.year - 1 and rng.random() < 0.03:
            continue  # not yet entered
        rating = (_RATING_DISCIPLINED if year in disciplined else _RATING).draw(rng)
        yield {"person": m.id, "year": year, "rating": rating}
