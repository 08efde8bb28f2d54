"""The 2025 personnel vocabulary in the engine (issue 19 items 2–5): people out of scope of the CBCCVC rules,
ratings read under the decree of their year, grade codes by the code set in force on the grade date, undated
credentials."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.evaluation.findings import Finding
from engine.evaluation.scope import Scope
from engine.intake.vocabulary import grade_label, rating_label, rating_period
from engine.loading import load_dataset
from engine.planning.results import PlanResult
from engine.workspace import open_dataset, open_rulebook
from tests.scenario_support import run_case

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


def _edit_people(folder: Path, person: str, **values: str) -> None:
    path = folder / "people.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        if row["id"] == person:
            row.update(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def _planned(plan: PlanResult) -> set[str]:
    return {a.candidate.person for a in plan.assignments} | {u.need.person for u in plan.unassigned}


@pytest.fixture()
def demo_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    return folder


def test_contract_workers_get_no_findings_from_cbccvc_rules(demo_copy: Path) -> None:
    person = "CB0301"  # the demo person, with gaps
    before = open_dataset(demo_copy)
    assert before.check(person)
    assert person in _planned(before.plan())
    _edit_people(demo_copy, person, category="nguoi-lao-dong")
    after = open_dataset(demo_copy)
    assert after.check(person) == []
    assert person not in _planned(after.plan())


def test_scope_of_the_vocabulary() -> None:
    scope = Scope()
    assert not scope.applies("nguoi-lao-dong", "DISCIPLINE-BAR")
    assert scope.applies("cong-chuc", "DISCIPLINE-BAR")


# -- grade codes by the code set in force on the grade date (law.md P5) ------------------------------------
def test_grade_labels_follow_the_grade_date() -> None:
    assert grade_label("01.005", dt.date(2019, 5, 1)) == "kỹ thuật viên đánh máy"
    assert grade_label("01.005", dt.date(2021, 7, 31), "en") == "typist"
    assert grade_label("01.005", dt.date(2021, 8, 1)) == "nhân viên"
    assert grade_label("01.005", None) == "nhân viên"
    assert grade_label("02.007", dt.date(2022, 1, 1)) == "văn thư viên"


def test_outputs_name_the_grade_by_its_date(demo_copy: Path) -> None:
    from cli.xlsx_out import person_columns

    _edit_people(demo_copy, "CB0301", grade="01.005", grade_since="2015-03-01")
    dataset = load_dataset(demo_copy)
    book = open_rulebook(packs=["national"])
    assert "Kỹ thuật viên đánh máy" in person_columns(dataset, book, "CB0301")
    _edit_people(demo_copy, "CB0301", grade="01.005", grade_since="2022-03-01")
    assert "Nhân viên" in person_columns(load_dataset(demo_copy), book, "CB0301")


@pytest.mark.parametrize("code", ["02.006", "02.007", "02.008"])
def test_a_clerical_grade_code_before_tt_02_2021_is_an_error(demo_copy: Path, code: str) -> None:
    _edit_people(demo_copy, "CB0002", grade=code, grade_since="2019-01-01")
    with pytest.raises(InputError) as info:
        load_dataset(demo_copy)
    [problem] = info.value.problems
    assert (Path(problem.file).name, problem.line, problem.field, problem.code) == (
        "people.csv", 3, "grade", "code-not-valid-on-date")
    assert "01/08/2021" in problem.message and "Thông tư 02/2021/TT-BNV" in problem.message
    _edit_people(demo_copy, "CB0002", grade=code, grade_since="2021-08-01")
    assert load_dataset(demo_copy).person_by_id["CB0002"].grade == code


def test_the_old_name_of_01_005_reads_as_its_code(demo_copy: Path) -> None:
    _edit_people(demo_copy, "CB0002", grade="Kỹ thuật viên đánh máy", grade_since="2015-01-01")
    assert load_dataset(demo_copy).person_by_id["CB0002"].grade == "01.005"


# -- ratings read under the decree of their year (law.md P3) -----------------------------------------------
def _xep_loai(ratings: list[dict[str, object]], start: dt.date, lang: str = "vi") -> Finding:
    case = {"as_of": start - dt.timedelta(days=30),
            "person": {"birth_date": dt.date(1990, 2, 15), "gender": "nu", "category": "cong-chuc",
                       "party_member_since": dt.date(2015, 5, 19), "education": "dai-hoc"},
            "ratings": ratings,
            "event": {"basis": "admission", "course": {"programme": "llct-trung-cap", "mode": "tap-trung",
                                                       "start": start, "end": start + dt.timedelta(days=180)}}}
    book = open_rulebook(packs=["national"])
    [finding] = [f for f in run_case(book, case, backend="python") if f.rule == "LLCT-TC-XEP-LOAI"]
    return finding


def test_a_2026_rating_is_read_under_nd_335_2025() -> None:
    finding = _xep_loai([{"year": 2025, "rating": "hoan-thanh-tot"}, {"year": 2026, "rating": "hoan-thanh"}],
                        dt.date(2027, 3, 1))
    assert finding.status == "missing"
    assert ("xếp loại năm 2025: quy định về đánh giá, xếp loại trước Nghị định 335/2025/NĐ-CP (chưa xác minh);"
            " 2026: Nghị định 335/2025/NĐ-CP") in finding.details
    assert "Nghị định 335/2025/NĐ-CP" in finding.explanation


def test_ratings_before_2026_name_the_earlier_rules() -> None:
    finding = _xep_loai([{"year": 2024, "rating": "hoan-thanh-tot"}, {"year": 2025, "rating": "hoan-thanh-tot"}],
                        dt.date(2026, 3, 1), "vi")
    assert finding.status == "met"
    assert finding.details == ["xếp loại năm 2024, 2025: quy định về đánh giá, xếp loại trước Nghị định"
                               " 335/2025/NĐ-CP (chưa xác minh)"]


def test_rating_labels_by_year() -> None:
    assert rating_label("hoan-thanh", 2018) == "hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực"
    assert rating_label("hoan-thanh", 2026) == "hoàn thành nhiệm vụ"
    assert rating_period(2026).instrument == "nd-335-2025"  # type: ignore[union-attr]
