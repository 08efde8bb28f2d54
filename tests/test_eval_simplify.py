"""The engine-expression simplifier (durable_backend.simplify, split) keeps the meaning of an expression.

The reference is the engine's semantics as the compiler uses it: a test on an absent field never holds,
`$nex` holds exactly when the field is absent, `{"t": "ctx"}` always holds (every fact is the context).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules.expressions import ALWAYS, NEVER
from engine.rules.simplifier import Known, simplify, size, split

Expr = dict[str, Any]
INT_FIELDS = ("m", "n")
CODE_FIELDS = ("k",)


def holds(expr: Expr, fact: dict[str, Any]) -> bool:
    if "$and" in expr:
        return all(holds(e, fact) for e in expr["$and"])
    if "$or" in expr:
        return any(holds(e, fact) for e in expr["$or"])
    key, inner = next(iter(expr.items()))
    if key == "t":
        return inner == "ctx"
    if not key.startswith("$"):
        return key in fact and fact[key] == inner
    field, value = next(iter(inner.items()))
    if key == "$ex":
        return field in fact
    if key == "$nex":
        return field not in fact
    if field not in fact:
        return False
    got = fact[field]
    if key == "$neq":
        return bool(got != value)
    if type(got) is not type(value):
        return False
    return {"$lt": got < value, "$lte": got <= value, "$gt": got > value, "$gte": got >= value}[key]


def int_atom() -> st.SearchStrategy[Expr]:
    field = st.sampled_from(INT_FIELDS)
    value = st.integers(-2, 3)
    return st.one_of(
        st.builds(lambda f, v: {f: v}, field, value),
        st.builds(lambda op, f, v: {op: {f: v}}, st.sampled_from(["$neq", "$lt", "$lte", "$gt", "$gte"]), field,
                  value),
        st.builds(lambda op, f: {op: {f: 1}}, st.sampled_from(["$ex", "$nex"]), field),
    )


def code_atom() -> st.SearchStrategy[Expr]:
    field = st.sampled_from(CODE_FIELDS)
    value = st.sampled_from(["a", "b", "c"])
    return st.one_of(
        st.builds(lambda f, v: {f: v}, field, value),
        st.builds(lambda f, v: {"$neq": {f: v}}, field, value),
        st.builds(lambda op, f: {op: {f: 1}}, st.sampled_from(["$ex", "$nex"]), field),
        st.just({"t": "ctx"}),
        st.just({"t": "__never__"}),
    )


exprs = st.recursive(st.one_of(int_atom(), code_atom()), lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=4).map(lambda xs: {"$and": xs}),
    st.lists(inner, min_size=1, max_size=4).map(lambda xs: {"$or": xs})), max_leaves=12)

facts = st.fixed_dictionaries({}, optional={
    "m": st.integers(-3, 4), "n": st.integers(-3, 4), "k": st.sampled_from(["a", "b", "c", "d"])})


@settings(max_examples=400, deadline=None)
@given(expr=exprs, fact=facts)
def test_simplify_keeps_the_meaning(expr: Expr, fact: dict[str, Any]) -> None:
    simpler = simplify(expr)
    assert holds(simpler, fact) == holds(expr, fact), simpler
    assert size(simpler) <= size(expr) or simpler in (ALWAYS, NEVER)


@settings(max_examples=200, deadline=None)
@given(expr=exprs, fact=facts, code=st.sampled_from(["a", "b"]))
def test_simplify_under_known_values(expr: Expr, fact: dict[str, Any], code: str) -> None:
    known = Known()
    known.add("$eq", "k", code)  # a ruleset whose contexts all have k == code
    fact = {**fact, "k": code}
    assert holds(simplify(expr, known), fact) == holds(expr, fact)


@settings(max_examples=200, deadline=None)
@given(expr=exprs, fact=facts)
def test_split_parts_together_mean_the_expression(expr: Expr, fact: dict[str, Any]) -> None:
    parts = split(expr)
    assert any(holds(part, fact) for part in parts) == holds(expr, fact)
    assert NEVER not in parts


def test_simplify_examples() -> None:
    # An alternative the conjunction contradicts is dropped; one it implies makes the disjunction true.
    absent = {"$nex": {"m": 1}}
    unknown_or_small = {"$or": [absent, {"$and": [{"$ex": {"m": 1}}, {"$lt": {"m": 1}}]}]}
    assert simplify({"$and": [absent, unknown_or_small]}) == absent
    assert simplify({"$and": [{"$lt": {"m": 0}}, unknown_or_small]}) == {"$lt": {"m": 0}}
    assert simplify({"$and": [{"m": 5}, {"$lt": {"m": 3}}]}) == NEVER
    assert simplify({"$and": [{"$ex": {"m": 1}}, {"$gte": {"m": 2}}]}) == {"$gte": {"m": 2}}
    known = Known()
    known.add("$eq", "basis", "holds")
    assert simplify({"$or": [{"basis": "planned"}, {"k": "a"}]}, known) == {"k": "a"}
