"""The planner tests' small worlds (tests/planning_world.py) build valid datasets."""

from __future__ import annotations

from tests.planning_world import World


def test_world_builds_a_valid_dataset() -> None:
    w = World()
    w.person("A")
    planner = w.planner()
    needs = {(n.person, n.programme) for n in planner.survey.needs}
    assert needs == {("A", "llct-trung-cap")}
