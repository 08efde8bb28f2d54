"""The 2025 personnel vocabulary in the engine (issue 19 items 2–5): people out of scope of the CBCCVC rules,
ratings read under the decree of their year, grade codes by the code set in force on the grade date, undated
credentials."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from engine.evaluation.scope import Scope
from engine.planning.results import PlanResult
from engine.workspace import open_dataset

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
