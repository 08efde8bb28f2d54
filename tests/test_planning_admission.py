"""Admission exclusions, one condition flipped per case (QĐ 350 standards, prerequisites, generic ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.planning.admission import Verdict
from tests.planning_world import GOOD, World

D = dt.date
TC: dict[str, Any] = dict(programme="llct-trung-cap", start=D(2026, 3, 2), end=D(2026, 7, 31))
TCK: dict[str, Any] = dict(programme="llct-trung-cap", start=D(2026, 9, 7), end=D(2027, 6, 30), mode="khong-tap-trung")
CVC: dict[str, Any] = dict(programme="qlnn-chuyen-vien-chinh", start=D(2026, 6, 1), end=D(2026, 7, 10))
CC: dict[str, Any] = dict(programme="llct-cao-cap", start=D(2026, 4, 6), end=D(2026, 12, 18))


def verdict(course: dict[str, Any], **person: Any) -> Verdict:
    w = World()
    w.person("P", **person)
    w.course("K", capacity=5, **course)
    planner = w.planner()
    return planner.admission.verdict("P", planner.ev.dataset.course_by_id["K"])


CASES = [
    # (case, course, person fields, excluding rule or None, text expected in the reason)
    ("a party member is admitted", TC, {}, None, None),
    ("not yet a party member on the course start", TC, {"party": D(2026, 6, 1)}, "LLCT-TC-350-DANG-VIEN",
     "đảng viên"),
    ("education below college", TC, {"education": "trung-cap"}, "LLCT-TC-350-TRINH-DO", "trình độ đào tạo"),
    ("rated only 'hoàn thành' last year", TC, {"ratings": ("hoan-thanh", GOOD)}, "LLCT-TC-350-XEP-LOAI",
     "xếp loại"),
    ("a woman under 28 may not study part-time", TCK, {"gender": "nu", "born": D(1999, 2, 14)},
     "LLCT-TC-350-KHONG-TAP-TRUNG", "không tập trung"),
    ("a woman under 28 may study full-time", TC, {"gender": "nu", "born": D(1999, 2, 14)}, None, None),
    ("a man of 29 may not study part-time", TCK, {"born": D(1997, 1, 1)}, "LLCT-TC-350-KHONG-TAP-TRUNG", None),
    ("a man of 30 may study part-time", TCK, {"born": D(1996, 1, 1)}, None, None),
    ("retiring before the course ends", CC, {"born": D(1965, 2, 10)}, "nghi-huu", "nghỉ hưu từ 31/08/2026"),
    ("retiring after the course ends", TC, {"born": D(1965, 2, 10)}, None, None),
    ("already holds the programme", TC, {"credentials": ("llct-trung-cap",)}, "da-co", "đã có trung cấp"),
    ("already holds an equivalent", TC, {"credentials": ("llct-cao-cap-hc",)}, "da-co",
     "được tính là trung cấp lý luận chính trị"),
    ("lacks the prerequisite of the CVC course", CVC, {"role": "truong"}, "PREREQ-CVC", "ngạch chuyên viên"),
    ("holds the prerequisite of the CVC course", CVC, {"role": "truong", "credentials": ("qlnn-chuyen-vien",)},
     None, None),
]


@pytest.mark.parametrize(("case", "course", "person", "rule", "text"), CASES, ids=[c[0] for c in CASES])
def test_admission(case: str, course: dict[str, Any], person: dict[str, Any], rule: str | None,
                   text: str | None) -> None:
    v = verdict(course, **person)
    if rule is None:
        assert v.admitted, v.reasons
        return
    assert not v.admitted
    assert rule in v.codes
    if text is not None:
        assert any(text in r for r in v.reasons), v.reasons


def test_reasons_cite_their_source() -> None:
    v = verdict(TC, party=D(2026, 6, 1))
    assert any("Quy định 350-QĐ/TW" in r for r in v.reasons)
    v = verdict(CC, born=D(1965, 2, 10))
    assert any("Bộ luật Lao động 2019" in r for r in v.reasons)


@pytest.mark.parametrize(("person", "field"), [
    ({"party": None}, "ngày vào Đảng (cán bộ)"),
    ({"education": None}, "trình độ đào tạo (cán bộ)"),
    ({"ratings": (GOOD, None)}, "đánh giá, xếp loại"),
])
def test_missing_data_is_a_warning_not_an_exclusion(person: dict[str, Any], field: str) -> None:
    v = verdict(TC, **person)
    assert v.admitted
    assert any(field in w for w in v.warnings), v.warnings


def test_admission_rules_in_force_on_the_course_start() -> None:
    # QĐ 350 applies from 29/8/2025: a course that started before is not held to its standards.
    v = verdict(dict(programme="llct-trung-cap", start=D(2025, 3, 3), end=D(2025, 7, 31)), party=D(2026, 6, 1))
    assert v.admitted


def test_an_admission_that_cannot_be_told_takes_no_seat_but_asks_for_the_data() -> None:
    # Issue 13: no party membership on file is data to complete, never a seat with a warning.
    w = World()
    w.person("P", party=None)
    w.course("K", capacity=5, **TC)
    result = w.planner().plan(2026)
    assert result.assignments == []
    (left,) = result.unassigned
    assert left.kind == "needs-data"
    assert "people.party_member_since" in left.why and "DANG-VIEN" in left.why


def test_an_excluded_need_is_reported_per_course_when_courses_differ() -> None:
    w = World()
    w.person("P", gender="nu", born=D(1999, 2, 14), ratings=("hoan-thanh", GOOD))
    w.course("TC", capacity=5, **TC)
    w.course("TCK", capacity=5, **TCK)
    (left,) = w.planner().plan(2026).unassigned
    assert left.kind == "not_admissible"
    assert any(r.endswith("[TCK]") and "không tập trung" in r for r in left.reasons)
    assert any("xếp loại" in r and not r.endswith("]") for r in left.reasons)


@pytest.mark.parametrize("course", [TC, TCK, CVC, CC], ids=["TC", "TCK", "CVC", "CC"])
def test_findings_remembered_across_people_are_each_persons_own(course: dict[str, Any]) -> None:
    """One Admission for everyone (as in a plan): each verdict is the one the person gets alone, whatever
    was worked out for the people before (Admission remembers findings by rule and fact values)."""
    people = [person for _case, c, person, _rule, _text in CASES if c is course]
    people += [{"party": None}, {"education": None}, {"ratings": (GOOD, None)}, {}]
    w = World()
    for i, person in enumerate(people):
        w.person(f"P{i}", **person)
    w.course("K", capacity=5, **course)
    planner = w.planner()
    shared = planner.ev.dataset.course_by_id["K"]
    for i in [*range(len(people)), *reversed(range(len(people)))]:
        assert planner.admission.verdict(f"P{i}", shared) == verdict(course, **people[i]), people[i]
