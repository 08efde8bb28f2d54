"""YAML scenario tests of the shipped rule packs: each case flips one condition (tests/scenarios/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.rules.loader import load_rulebook
from engine.rules.rulebook import Rulebook
from engine.yamlio import load_path
from tests.scenario_support import mismatches, run_case

SCENARIOS = Path(__file__).parent / "scenarios"


def _cases() -> list[Any]:
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        doc = load_path(path)
        for case in doc["cases"]:
            out.append(pytest.param(doc["rule"], case, id=f"{path.stem}: {case['name']}"))
    return out


_BOOKS: dict[tuple[str, ...], Rulebook] = {}


def book_for(packs: list[str]) -> Rulebook:
    key = tuple(packs)
    if key not in _BOOKS:
        _BOOKS[key] = load_rulebook(None, list(packs))
    return _BOOKS[key]


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_scenario(rule: str, case: dict[str, Any]) -> None:
    book = book_for(case.get("packs", ["national"]))
    findings = run_case(book, case)
    assert not mismatches(findings, case["expect"]), "\n".join(
        [*mismatches(findings, case["expect"]), "findings:", *(f"  {f.rule}/{f.variant} {f.status} {f.deadline} "
                                                              f"{f.explanation}" for f in findings)])
