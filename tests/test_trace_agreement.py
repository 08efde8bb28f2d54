"""Property: over random persons, the outcomes in each finding's trace agree with the finding, for both backends
(durable-rules and the plain-Python oracle) — the leaves combine into their groups, the parts into the rule's
outcome, and that outcome is the finding's status."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.dataset import Dataset
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.loading import load_dataset
from engine.model import Discipline, RatingRow
from engine.rules.loader import Rulebook, load_rulebook

ROOT = Path(__file__).resolve().parent.parent
PACKS = ["national", "local/thanh-hoa"]


@pytest.fixture(scope="module")
def world() -> tuple[Rulebook, Dataset, list[str]]:
    book = load_rulebook(None, PACKS)
    dataset = load_dataset(ROOT / "fixtures" / "demo", book.programme_codes)
    with_posts = [p.id for p in dataset.people if dataset.has_posts(p.id)]
    return book, dataset, with_posts


def combine_all(outcomes: list[str]) -> str:
    if "false" in outcomes:
        return "false"
    return "true" if all(o == "true" for o in outcomes) else "unknown"


def combine_any(outcomes: list[str]) -> str:
    if "true" in outcomes:
        return "true"
    return "false" if all(o == "false" for o in outcomes) else "unknown"


def check_group(items: list[dict[str, Any]]) -> list[str]:
    """The outcomes of `items`, after checking that each group's outcome combines its children's."""
    out = []
    for item in items:
        if "fact" in item:
            assert item["outcome"] in ("true", "false", "unknown")
            out.append(item["outcome"])
            continue
        kind = "any" if "any" in item else "all"
        children = check_group(item[kind])
        assert item["outcome"] == (combine_any(children) if kind == "any" else combine_all(children)), item
        out.append(item["outcome"])
    return out


def part_outcome(part: dict[str, Any] | None) -> str:
    if part is None:
        return "true"
    assert part["outcome"] == combine_all(check_group(part["conditions"])), part
    return str(part["outcome"])


def trace_outcome(trace: dict[str, Any]) -> str:
    applies = combine_all([part_outcome(trace["applies_when"]), part_outcome(trace["when"])])
    assert applies != "false", trace  # a rule that does not apply gives no finding
    if applies == "unknown":
        return "unknown"
    if trace["requires"] is None:
        return "applies"
    met = part_outcome(trace["requires"])
    if met != "false":
        return "met" if met == "true" else "unknown"
    exemptions = [part_outcome(e) for e in trace["exemptions"]]
    exempt = combine_any(exemptions) if exemptions else "false"
    return {"true": "exempt", "false": "unmet", "unknown": "unknown"}[exempt]


STATUS_OF = {"met": {"met"}, "exempt": {"exempt"}, "unknown": {"unknown"},
             "unmet": {"due", "overdue", "pending", "missing", "violation"}}


def agree(findings: list[Finding]) -> None:
    for f in findings:
        assert f.trace is not None
        derived = trace_outcome(f.trace)
        assert derived == f.trace["outcome"], (f.rule, derived, f.trace["outcome"])
        assert f.status in STATUS_OF[derived], (f.rule, f.status, derived)
        chosen = f.trace["version_chosen"]
        anchor = chosen["anchor_date"]
        assert chosen["period_from"] <= anchor and (chosen["period_to"] is None or anchor <= chosen["period_to"])


@st.composite
def person_changes(draw: st.DrawFn, ids: list[str]) -> tuple[str, dict[str, Any]]:
    pid = draw(st.sampled_from(ids))
    return pid, {
        "birth_shift": draw(st.integers(-4000, 4000)),
        "drop": draw(st.sets(st.integers(0, 12), max_size=6)),
        "discipline": draw(st.none() | st.tuples(st.sampled_from(["khien-trach", "canh-cao", "cach-chuc"]),
                                                 st.dates(dt.date(2015, 1, 1), dt.date(2026, 11, 1)))),
        "ratings": draw(st.lists(st.sampled_from(["hoan-thanh-tot", "hoan-thanh", "khong-hoan-thanh"]), max_size=4)),
        "grade": draw(st.sampled_from([None, "01.001", "01.002", "01.003"])),
        "as_of": draw(st.dates(dt.date(2023, 1, 1), dt.date(2028, 12, 31))),
    }


def mutated(dataset: Dataset, pid: str, change: dict[str, Any]) -> Dataset:
    person = dataset.person_by_id[pid]
    birth = person.birth_date + dt.timedelta(days=change["birth_shift"])
    new_person = person.model_copy(update={"birth_date": birth, "grade": change["grade"] or person.grade})
    mine = [c for c in dataset.credentials if c.person == pid]
    dropped = {id(c) for i, c in enumerate(mine) if i in change["drop"]}
    disciplines = list(dataset.disciplines)
    if change["discipline"]:
        disciplines.append(Discipline(person=pid, kind=change["discipline"][0], effective=change["discipline"][1]))
    ratings = [r for r in dataset.ratings if r.person != pid]
    ratings += [RatingRow(person=pid, year=change["as_of"].year - 1 - k, rating=r)
                for k, r in enumerate(change["ratings"])]
    return replace(dataset, people=[new_person if p.id == pid else p for p in dataset.people],
                   credentials=[c for c in dataset.credentials if id(c) not in dropped],
                   disciplines=disciplines, ratings=ratings)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_trace_outcomes_agree_with_findings_for_both_backends(world: tuple[Rulebook, Dataset, list[str]],
                                                             data: st.DataObject) -> None:
    book, dataset, ids = world
    pid, change = data.draw(person_changes(ids))
    changed = mutated(dataset, pid, change)
    results = {}
    for backend in ("durable", "python"):
        ev = Evaluator(book, changed, backend=backend, explain=True)
        findings = ev.check_person(pid, change["as_of"])
        findings += ev.evaluate([ev.appointment_context(a, cid=f"a{i}")
                                 for i, a in enumerate(changed.records(pid).appointments)])
        agree(findings)
        results[backend] = [(f.context, f.rule, f.variant, f.status, f.trace) for f in findings]
    assert results["durable"] == results["python"]
