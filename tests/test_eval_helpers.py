"""The evaluation fast paths give what the plain definitions give: retirement by birth month, the
equivalence index, the engine's action-message reading, people without posts, compiled fact plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.dataset import Dataset
from engine.dates import end_of_month, month_index
from engine.errors import UnknownIdError
from engine.evaluation.credentials import Equivalences
from engine.evaluation.credentials import Path as EqPath
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.retirement import RetirementCalculator
from engine.model import Credential
from engine.rules.compiled import All, Cond, FactRef
from engine.rules.durable_backend import DurableProgram, _decoded
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT
from engine.rules.rulebook import Rulebook
from tests.rule_support import concrete

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


def reference_retirement(calc: RetirementCalculator, birth: dt.date, gender: str) -> dt.date:
    """The month-by-month search of the law digest, without any cache."""
    start = month_index(birth)
    index = start
    while True:
        year = index // 12
        if index - start >= calc.age_months(year, gender):
            return end_of_month(dt.date(year, index % 12 + 1, 1))
        index += 1


@settings(max_examples=300, deadline=None)
@given(birth=st.dates(D(1940, 1, 1), D(2010, 12, 31)), gender=st.sampled_from(["nam", "nu"]))
def test_retirement_date_depends_on_the_birth_month_only(book: Rulebook, birth: dt.date, gender: str) -> None:
    calc = RetirementCalculator(book.retirement)
    expected = reference_retirement(calc, birth, gender)
    assert calc.retirement_date(birth, gender) == expected
    assert calc.retirement_date(birth.replace(day=1), gender) == expected  # cached by month: same answer


def reference_first_meeting(eq: Equivalences, credentials: list[Credential], target: str, by: dt.date | None,
                            since: dt.date | None) -> tuple[Credential, EqPath] | None:
    for cred in credentials:
        if by is not None and cred.completed > by:
            break
        if since is not None and cred.completed < since:
            continue
        if cred.evidence is not None and cred.evidence not in eq.accepted:
            continue
        for path in eq.paths.get(target, ()):
            if path.via == cred.programme and path.admits(cred.completed):
                return cred, path
    return None


CREDENTIAL = st.tuples(st.dates(D(2000, 1, 1), D(2030, 1, 1)), st.sampled_from([None, "chung-chi", "giay-chung-nhan"]))


@settings(max_examples=200, deadline=None)
@given(programmes=st.lists(st.integers(0, 10_000), max_size=6), details=st.lists(CREDENTIAL, min_size=6, max_size=6),
       target=st.integers(0, 10_000), by=st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2030, 1, 1))),
       since=st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2030, 1, 1))))
def test_first_meeting_equals_the_scan_of_every_path(book: Rulebook, programmes: list[int],
                                                     details: list[tuple[dt.date, str | None]], target: int,
                                                     by: dt.date | None, since: dt.date | None) -> None:
    eq = Equivalences(book)
    eq.accepted = {"chung-chi"}  # so that some evidence does not count
    codes = sorted(book.programmes)
    creds = sorted((Credential(person="P", programme=codes[p % len(codes)], completed=d, evidence=e)
                    for p, (d, e) in zip(programmes, details, strict=False)), key=lambda c: c.completed)
    goal = codes[target % len(codes)]
    assert eq.first_meeting(creds, goal, by, since) == reference_first_meeting(eq, creds, goal, by, since)
    for cred in creds:
        expected = reference_first_meeting(eq, [cred], goal, None, None)
        assert eq.satisfying(cred, goal) == (expected[1] if expected else None)


def test_several_contexts_in_one_ruleset_are_told_apart() -> None:
    rule = concrete("R", All(()), Cond(FactRef("event.is_promotion"), "eq", True), [])
    day = D(2025, 1, 1)
    contexts = [(cid, "proposed", "*", {"event.is_promotion": promoted, ANCHOR_EVENT: day, ANCHOR_AS_OF: day})
                for cid, promoted in (('x"0', True), ("x1", False), ("x\\2", True), ("x3", False))]
    for mode in ("lean", "host"):
        fired = sorted(DurableProgram([rule], mode=mode).evaluate(contexts))
        assert fired == [('x"0', "R", "met"), ("x1", "R", "unmet"), ("x3", "R", "unmet"), ("x\\2", "R", "met")]


def test_an_action_message_in_another_shape_is_decoded() -> None:
    message = '{"r0_met_0": {"ctx": {"id": "ctx-0", "sid": "0", "cid": "h1"}}}'
    assert _decoded(message, {"r0_met_0": ("K", "met")}) == [("h1", "K", "met")]
    assert _decoded('{"_sentinel": {"ctx": {"cid": "h1"}}}', {"r0_met_0": ("K", "met")}) == []


def test_people_without_posts_have_no_context_and_unknown_ids_still_fail(book: Rulebook, demo: Dataset) -> None:
    ev = Evaluator(book, demo)
    as_of = demo.as_of()
    for person in demo.people:
        records = demo.records(person.id)
        if not records.appointments and not records.plans:
            assert ev.person_contexts(person.id, as_of) == []
    with pytest.raises(UnknownIdError):
        ev.person_contexts("KHONG-CO", as_of)


def test_compiled_fact_plans_give_the_values_of_the_fact_set(book: Rulebook, demo: Dataset) -> None:
    ev = Evaluator(book, demo)
    as_of = demo.as_of()
    seen = 0
    for person in demo.people:
        for context in ev.person_contexts(person.id, as_of):
            _cid, basis, value, values = ev.prepare(context)
            assert values == ev.deriver.values(context, ev._needed(basis, value))
            seen += 1
    assert seen > 100
