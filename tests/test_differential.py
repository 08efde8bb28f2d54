"""Differential test: the durable-rules engine and the plain-Python oracle give identical findings
on the demo province and on a generated population of 10,000 people (every context kind)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.dataset import Dataset
from engine.evaluation.derive import Context
from engine.evaluation.evaluator import Evaluator
from engine.loading import load_dataset
from engine.rules.loader import load_rulebook
from engine.rules.rulebook import Rulebook

ROOT = Path(__file__).resolve().parent.parent
ALL_PACKS = ["national", "local/thanh-hoa", "local/dong-nai"]


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook(None, ALL_PACKS)


def contexts(ev: Evaluator, ds: Dataset, admissions: int) -> Iterator[list[Context]]:
    as_of = ds.as_of()
    for person in ds.people:
        yield ev.person_contexts(person.id, as_of)
    for index, appt in enumerate(ds.appointments):
        yield [ev.appointment_context(appt, cid=f"a{index}")]
    for index, person in enumerate(ds.people[:admissions]):
        yield [ev.admission_context(person.id, course, cid=f"c{index}-{k}") for k, course in enumerate(ds.courses)]


def signature(ev: Evaluator, batch: list[Context]) -> list[tuple[object, ...]]:
    return sorted((f.context, f.rule, f.version, f.variant, f.status, f.deadline, tuple(f.unknown_fields))
                  for f in ev.evaluate(batch))


def compare(book: Rulebook, ds: Dataset, admissions: int) -> int:
    engine = Evaluator(book, ds, backend="durable")
    oracle = Evaluator(book, ds, backend="python")
    total = 0
    for batch in contexts(engine, ds, admissions):
        mine, reference = signature(engine, batch), signature(oracle, batch)
        assert mine == reference, (batch[0].records.person.id if batch else None, mine, reference)
        total += len(mine)
    return total


def test_demo_engine_equals_oracle(book: Rulebook) -> None:
    ds = load_dataset(ROOT / "fixtures" / "demo", book.programme_codes)
    assert compare(book, ds, admissions=len(ds.people)) > 500


def test_generated_population_engine_equals_oracle(book: Rulebook, tmp_path: Path) -> None:
    from engine.generate import generate_dataset

    generate_dataset(10_000, 7, tmp_path / "gen")
    ds = load_dataset(tmp_path / "gen", book.programme_codes)
    assert len(ds.people) == 10_000
    assert compare(book, ds, admissions=300) > 10_000
