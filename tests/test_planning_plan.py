"""The plan: capacities, quotas, ranking, late flags, overlapping courses, objects."""

from __future__ import annotations

import datetime as dt

from tests.planning_world import World, assigned, unassigned

D = dt.date
TC = ("llct-trung-cap", D(2026, 3, 2), D(2026, 7, 31))  # on time for the 01/05/2027 deadline
TCK = ("llct-trung-cap", D(2026, 9, 7), D(2027, 6, 30))  # ends after it


def test_capacity_is_never_exceeded_and_the_rest_is_full() -> None:
    w = World()
    for pid in ("A", "B", "C"):
        w.person(pid)
    w.course("TC", *TC, capacity=2)
    result = w.planner().plan(2026)
    assert len(result.assignments) == 2
    (left,) = result.unassigned
    assert left.kind == "full"
    assert left.why == "cần khóa trung cấp lý luận chính trị trước 01/05/2027: các khóa đã đủ chỉ tiêu/hết chỗ"
    (count,) = result.by_programme
    assert (count.assigned, count.capacity, count.quota, count.needs) == (2, 2, None, 3)


def test_a_quota_bounds_the_assignments_and_reports_its_shortfall() -> None:
    w = World()
    for pid in ("A", "B", "C"):
        w.person(pid)
    w.course("TC", *TC, capacity=10)
    w.quota("llct-trung-cap", 1)
    result = w.planner().plan(2026)
    assert len(result.assignments) == 1
    assert {u.kind for u in result.unassigned} == {"full"}

    w2 = World()
    for pid in ("A", "B"):
        w2.person(pid)
    w2.course("TC", *TC, capacity=10)
    w2.quota("llct-trung-cap", 5)
    result = w2.planner().plan(2026)
    (count,) = result.by_programme
    assert (count.assigned, count.quota, count.shortfall) == (2, 5, 3)
    (use,) = result.quotas
    assert (use.target, use.assigned, use.shortfall) == (5, 2, 3)


def test_a_quota_of_another_year_does_not_apply() -> None:
    w = World()
    for pid in ("A", "B"):
        w.person(pid)
    w.course("TC", *TC, capacity=10)
    w.quota("llct-trung-cap", 1, year=2027)
    result = w.planner().plan(2026)
    assert len(result.assignments) == 2
    assert result.quotas == []


def test_a_quota_per_mode_bounds_only_that_mode() -> None:
    w = World()
    for pid in ("A", "B", "C"):
        w.person(pid)
    w.course("TC", *TC, capacity=5)
    w.course("TCK", *TCK, capacity=5, mode="khong-tap-trung")
    w.quota("llct-trung-cap", 1, mode="tap-trung")
    result = w.planner().plan(2026)
    courses = sorted(assigned(result).values())
    assert courses == ["TC", "TCK", "TCK"]


def test_a_quota_per_unit_counts_the_people_of_its_sub_units() -> None:
    w = World()
    w.person("A", unit="SNV")
    w.person("B", unit="SNV")
    w.person("C", unit="STC")
    w.course("TC", *TC, capacity=10)
    w.quota("llct-trung-cap", 1, unit="SNV")
    got = assigned(w.planner().plan(2026))
    assert len(got) == 2 and ("C", "llct-trung-cap") in got

    w.quota("llct-trung-cap", 1, unit="TINH")  # the province's quota covers both departments
    result = w.planner().plan(2026)
    assert len(result.assignments) == 1
    by_unit = {q.unit: q.assigned for q in result.quotas}
    assert by_unit == {"SNV": sum(a.candidate.person in "AB" for a in result.assignments), "TINH": 1}


def test_a_quota_per_unit_and_mode_is_respected() -> None:
    w = World()
    w.person("A", unit="SNV")
    w.person("B", unit="SNV")
    w.course("TC", *TC, capacity=5)
    w.course("TCK", *TCK, capacity=5, mode="khong-tap-trung")
    w.quota("llct-trung-cap", 1, mode="tap-trung", unit="SNV")
    result = w.planner().plan(2026)
    assert sorted(assigned(result).values()) == ["TC", "TCK"]


def test_only_courses_of_the_plan_year_starting_after_the_as_of_date() -> None:
    w = World()
    w.person("A")
    w.course("OLD", "llct-trung-cap", D(2025, 9, 8), D(2026, 3, 27), capacity=10)
    w.course("NEXT", "llct-trung-cap", D(2027, 3, 1), D(2027, 4, 30), capacity=10)
    planner = w.planner()
    result = planner.plan(2026)
    assert result.assignments == []
    (left,) = result.unassigned
    assert left.kind == "no_course"
    assert left.why.endswith(": không có khóa học phù hợp")
    assert assigned(planner.plan(2027)) == {("A", "llct-trung-cap"): "NEXT"}


def test_overdue_before_due() -> None:
    w = World()
    cvc = ("ldql-cap-phong", "qlnn-chuyen-vien")
    w.person("OVER", role="truong", appointed=D(2021, 1, 1), credentials=cvc)  # deadline 01/01/2022
    w.person("DUE", role="truong", appointed=D(2025, 6, 1), credentials=cvc)  # deadline 01/06/2026
    w.course("CVC", "qlnn-chuyen-vien-chinh", D(2026, 4, 6), D(2026, 5, 15), capacity=1)
    result = w.planner().plan(2026)
    assert assigned(result) == {("OVER", "qlnn-chuyen-vien-chinh"): "CVC"}
    (a,) = result.assignments
    assert a.candidate.status == "overdue" and a.late
    assert unassigned(result)[("DUE", "qlnn-chuyen-vien-chinh")].kind == "full"


def test_earliest_deadline_first() -> None:
    w = World()
    cvc = ("ldql-cap-phong", "qlnn-chuyen-vien")
    w.person("LATER", role="truong", appointed=D(2025, 9, 1), credentials=cvc)
    w.person("SOONER", role="truong", appointed=D(2025, 3, 1), credentials=cvc)
    w.course("CVC", "qlnn-chuyen-vien-chinh", D(2026, 1, 19), D(2026, 2, 27), capacity=1)
    assert assigned(w.planner().plan(2026)) == {("SOONER", "qlnn-chuyen-vien-chinh"): "CVC"}


def test_due_before_pending() -> None:
    w = World()
    w.post("GD1", "SNV", "cap-so", "truong")
    w.person("DUE", tier="cap-so", role="truong", appointed=D(2020, 3, 1))  # transition: by 01/05/2027
    w.person("PENDING", tier=None, planned="GD1", term="2025-2030")  # term started: no date
    w.course("CC", "llct-cao-cap", D(2026, 4, 6), D(2026, 12, 18), capacity=1)
    planner = w.planner()
    statuses = {(n.person, n.status) for n in planner.survey.needs}
    assert statuses == {("DUE", "due"), ("PENDING", "pending")}
    assert assigned(planner.plan(2026)) == {("DUE", "llct-cao-cap"): "CC"}


def test_women_and_ethnic_minorities_first_at_ties() -> None:
    w = World()
    w.person("M")
    w.person("W", gender="nu")
    w.person("WE", gender="nu", ethnicity="muong")
    w.person("E", ethnicity="tay")
    w.course("TC", *TC, capacity=1)
    assert assigned(w.planner().plan(2026)) == {("WE", "llct-trung-cap"): "TC"}
    for favoured in ("W", "E"):
        w2 = World()
        w2.person("M")
        w2.person(favoured, gender="nu" if favoured == "W" else "nam",
                  ethnicity="tay" if favoured == "E" else "kinh")
        w2.course("TC", *TC, capacity=1)
        assert assigned(w2.planner().plan(2026)) == {(favoured, "llct-trung-cap"): "TC"}


def test_late_flag_when_the_course_ends_after_the_deadline() -> None:
    w = World()
    w.person("A")
    w.course("TCK", *TCK, capacity=5, mode="khong-tap-trung")
    (a,) = w.planner().plan(2026).assignments
    assert a.late and a.course.id == "TCK"
    w.course("TC", *TC, capacity=5)
    (a,) = w.planner().plan(2026).assignments
    assert not a.late and a.course.id == "TC"


def test_lateness_is_avoided_before_anything_else() -> None:
    # A's deadline (30/06/2026) is met only by CVC1; B (a woman of an ethnic minority, deadline
    # 31/10/2026) is met by both: B must take CVC2 so that nobody is late.
    w = World()
    cvc = ("ldql-cap-phong", "qlnn-chuyen-vien")
    w.person("A", role="truong", appointed=D(2025, 6, 30), credentials=cvc)
    w.person("B", role="truong", appointed=D(2025, 10, 31), credentials=cvc, gender="nu", ethnicity="tay")
    w.course("CVC1", "qlnn-chuyen-vien-chinh", D(2026, 4, 20), D(2026, 5, 29), capacity=1)
    w.course("CVC2", "qlnn-chuyen-vien-chinh", D(2026, 8, 24), D(2026, 9, 30), capacity=1)
    result = w.planner().plan(2026)
    got = {k: v for k, v in assigned(result).items() if k[1] == "qlnn-chuyen-vien-chinh"}
    assert got == {("A", "qlnn-chuyen-vien-chinh"): "CVC1", ("B", "qlnn-chuyen-vien-chinh"): "CVC2"}
    assert not any(a.late for a in result.assignments)


def test_lateness_falls_on_the_least_urgent() -> None:
    w = World()
    w.person("M")
    w.person("W", gender="nu")
    w.course("TC", *TC, capacity=1)
    w.course("TCK", *TCK, capacity=1, mode="khong-tap-trung")
    got = assigned(w.planner().plan(2026))
    assert got == {("W", "llct-trung-cap"): "TC", ("M", "llct-trung-cap"): "TCK"}


def test_no_two_overlapping_courses_for_one_person() -> None:
    w = World()
    w.person("X", role="truong", appointed=D(2021, 1, 1), credentials=("ldql-cap-phong", "qlnn-chuyen-vien"))
    w.course("TC", *TC, capacity=5)
    w.course("CVC1", "qlnn-chuyen-vien-chinh", D(2026, 6, 1), D(2026, 7, 10), capacity=5)
    w.course("CVC2", "qlnn-chuyen-vien-chinh", D(2026, 9, 1), D(2026, 10, 9), capacity=5)
    result = w.planner().plan(2026)
    assert assigned(result) == {("X", "llct-trung-cap"): "TC", ("X", "qlnn-chuyen-vien-chinh"): "CVC2"}
    assert result.exact

    w.courses = [c for c in w.courses if c.id != "CVC2"]
    result = w.planner().plan(2026)
    # The overdue CVC need wins; the trung cấp need clashes with it.
    assert assigned(result) == {("X", "qlnn-chuyen-vien-chinh"): "CVC1"}
    left = unassigned(result)[("X", "llct-trung-cap")]
    assert left.kind == "clash" and "trùng thời gian với khóa CVC1" in left.why


def test_objects_fill_seats_after_every_need() -> None:
    w = World()
    w.post("TP", "SNV", "cap-phong", "truong")
    w.person("NEED")
    w.person("OBJ", tier=None, planned="TP", term="2026-2031")  # đối tượng of trung cấp (QĐ 350)
    w.course("TC", *TC, capacity=1)
    result = w.planner().plan(2026)
    assert assigned(result) == {("NEED", "llct-trung-cap"): "TC"}
    assert all(u.need.person != "OBJ" for u in result.unassigned)  # an object is no need
    w.courses = []
    w.course("TC", *TC, capacity=2)
    result = w.planner().plan(2026)
    bases = {a.candidate.person: a.candidate.basis for a in result.assignments}
    assert bases == {"NEED": "holds", "OBJ": "object"}


def test_an_object_is_sent_to_one_course_of_a_family_only() -> None:
    w = World()
    w.post("TP", "SNV", "cap-phong", "truong")
    w.person("OBJ", tier=None, planned="TP", term="2026-2031")
    w.course("TC1", *TC, capacity=2)
    w.course("TC2", "llct-trung-cap", D(2026, 8, 3), D(2026, 12, 18), capacity=2)
    assert len(w.planner().plan(2026).assignments) == 1


def test_not_admissible_needs_say_why_with_the_citation() -> None:
    w = World()
    w.person("A", ratings=("hoan-thanh", "hoan-thanh-tot"))  # 2025 only "hoàn thành"
    w.course("TC", *TC, capacity=5)
    result = w.planner().plan(2026)
    (left,) = result.unassigned
    assert left.kind == "not_admissible"
    assert left.why.startswith("cần khóa trung cấp lý luận chính trị trước 01/05/2027: không đủ điều kiện dự học: ")
    assert "Quy định 350-QĐ/TW" in left.why and left.reasons


def test_english_texts() -> None:
    w = World()
    for pid in ("A", "B"):
        w.person(pid)
    w.course("TC", *TC, capacity=1)
    (left,) = w.planner(lang="en").plan(2026).unassigned
    assert left.why == ("needs intermediate political theory by 2027-05-01: "
                        "the courses are full (quota or capacity reached)")


def test_horizon_does_not_plan_a_need_twice() -> None:
    w = World()
    w.person("A")
    w.person("B")
    w.course("TC", *TC, capacity=1)
    w.course("NEXT", "llct-trung-cap", D(2027, 1, 11), D(2027, 4, 30), capacity=1)
    planner = w.planner()
    first, second = planner.horizon([2026, 2027])
    assert len(first.assignments) == 1 and len(second.assignments) == 1
    assert {a.candidate.person for a in first.assignments + second.assignments} == {"A", "B"}
    assert planner.course_years() == [2026, 2027]
