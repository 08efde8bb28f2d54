"""The planner's per-person work in worker processes gives the plan it gives alone."""

from __future__ import annotations

from pathlib import Path

import pytest

import engine.planning.planner as planning
from engine.evaluation.evaluator import Evaluator
from engine.planning import parallel
from engine.planning.planner import Planner
from engine.planning.results import PlanResult
from engine.workspace import open_dataset

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


def plan(jobs: int) -> PlanResult:
    ws = open_dataset(DEMO)
    planner = Planner(Evaluator(ws.book, ws.dataset), ws.as_of, "vi", jobs=jobs)
    return planner.plan(2027)


def summary(result: PlanResult) -> tuple[object, ...]:
    return (result.exact,
            [(a.candidate.key, a.course.id, a.late, a.warnings) for a in result.assignments],
            [(u.need.person, u.need.programme, u.kind, u.why) for u in result.unassigned],
            [(c.programme, c.assigned, c.needs) for c in result.by_programme])


def test_workers_give_the_same_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = summary(plan(1))
    monkeypatch.setattr(planning, "PARALLEL_FROM", 0)  # the demo is small: use the workers anyway,
    monkeypatch.setattr(parallel, "CHUNK", 40)  # several chunks of it
    assert summary(plan(2)) == alone
    assert alone[0] is True and alone[1]  # a proven optimal plan with assignments
