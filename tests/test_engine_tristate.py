"""The durable-rules compilation of three-valued conditions agrees with the Python oracle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.rules.compiled import All, AnyOf, Cond, FactRef, Tree
from engine.rules.durable_backend import DurableProgram
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT, outcome
from engine.rules.simplifier import size, split
from tests.rule_support import concrete

# A nullable int, a nullable code, an always-present code and an always-present bool.
FACTS = {
    "event.months_to_retirement": st.one_of(st.none(), st.integers(0, 100)),
    "person.education": st.one_of(st.none(), st.sampled_from(["thpt", "cao-dang", "dai-hoc"])),
    "post.tier": st.sampled_from(["cap-phong", "cap-so"]),
    "event.is_promotion": st.booleans(),
}


def leaf() -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.builds(lambda op, v: Cond(FactRef("event.months_to_retirement"), op, v),
                  st.sampled_from(["lt", "lte", "gt", "gte", "eq", "ne"]), st.integers(0, 100)),
        st.builds(lambda op, v: Cond(FactRef("person.education"), op, v),
                  st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(["thpt", "cao-dang", "dai-hoc"]),
                                                              min_size=1, max_size=2).map(tuple)),
        st.builds(lambda v: Cond(FactRef("person.education"), "exists", v), st.booleans()),
        st.builds(lambda v: Cond(FactRef("post.tier"), "eq", v), st.sampled_from(["cap-phong", "cap-so"])),
        st.builds(lambda v: Cond(FactRef("event.is_promotion"), "eq", v), st.booleans()),
        st.just(Cond(FactRef("event.months_to_retirement"), "gte", "__unknown_param__", unknown="x")),
    )


trees = st.recursive(leaf(), lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3).map(lambda xs: All(tuple(xs))),
    st.lists(inner, min_size=1, max_size=3).map(lambda xs: AnyOf(tuple(xs)))), max_leaves=5)

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applies=trees, requires=trees, exemptions=st.lists(trees, max_size=2),
       values=st.fixed_dictionaries(FACTS), anchor=st.dates(dt.date(2019, 1, 1), dt.date(2031, 1, 1)))
def test_engine_matches_oracle(applies: Tree, requires: Tree, exemptions: list[Tree], values: dict[str, Any],
                               anchor: dt.date) -> None:
    rule = concrete("R", applies, requires, exemptions)
    facts = {**values, ANCHOR_EVENT: anchor, ANCHOR_AS_OF: anchor}
    expected = outcome(rule, facts)
    for mode in ("lean", "host"):
        program = DurableProgram([rule], mode=mode)
        fired = program.evaluate([("c1", "proposed", program.partition_of("proposed", facts), facts)])
        assert [o for _c, _k, o in fired] == ([] if expected is None else [expected]), mode


def test_split_keeps_expressions_under_the_engine_limit() -> None:
    # 40 alternatives on an always-present fact: one expression would exceed durable's 32 terms.
    many = AnyOf(tuple(Cond(FactRef("event.consecutive_terms"), "eq", i) for i in range(40)))
    rule = concrete("R", All((many,)), Cond(FactRef("event.months_to_retirement"), "gte", 60), [])
    program = DurableProgram([rule])
    for terms, months, expected in ((5, 70, "met"), (99, 70, None), (5, None, "unknown"), (39, 10, "unmet")):
        facts = {"event.consecutive_terms": terms, "event.months_to_retirement": months,
                 ANCHOR_EVENT: dt.date(2025, 1, 1), ANCHOR_AS_OF: dt.date(2025, 1, 1)}
        part = program.partition_of("proposed", facts)
        fired = [o for _c, _k, o in program.evaluate([("c", "proposed", part, facts)])]
        assert fired == ([] if expected is None else [expected])
        assert outcome(rule, facts) == expected
    big = {"$or": [{"a": i} for i in range(40)]}
    assert all(size(part) <= 30 for part in split({"$and": [{"t": "ctx"}, big]}))


def test_outside_window_nothing_fires() -> None:
    rule = concrete("R", All(()), Cond(FactRef("event.is_promotion"), "eq", True), [])
    facts = {"event.is_promotion": True, ANCHOR_EVENT: dt.date(2031, 1, 1), ANCHOR_AS_OF: dt.date(2031, 1, 1)}
    assert DurableProgram([rule]).evaluate([("c", "proposed", "*", facts)]) == []
    assert outcome(rule, facts) is None


def test_module_is_the_only_durable_importer() -> None:
    root = Path(__file__).resolve().parent.parent
    sources = {p: p.read_text(encoding="utf-8") for folder in ("engine", "cli") for p in (root / folder).rglob("*.py")}
    importers = [p for p, text in sources.items() if "from durable" in text or "import durable" in text]
    assert [p.name for p in importers] == ["durable_backend.py"]
