"""The three-valued compiler and simplifier of engine expressions (pure: no durable_rules here).

Three-valued conditions compile to four expressions per tree: T (true), F (false), NT (not true) and
NF (not false); "unknown" is NT ∧ NF. Each concrete rule becomes up to six engine rules, one per
outcome, and its action records (context id, rule key, outcome). Expressions are simplified before
they reach the engine (engine.rules.simplifier): within a conjunction, tests decided by its other tests are
dropped, and so are tests decided by what every context of the ruleset shares (its basis and its
partition value); parts that can never hold are not compiled. Fewer and smaller patterns make each
`assert_facts` cheaper and keep pathological conditions within the engine's node limits (a parent
node takes at most 128 `$nex`/disjunction successors: error 107). The context fact carries only the
fields the ruleset's patterns test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from engine.rules.compiled import All, AnyOf, ConcreteRule, Cond, Tree
from engine.rules.facts import NULLABLE
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT

Expr = dict[str, Any]
ALWAYS: Expr = {"t": "ctx"}
NEVER: Expr = {"t": "__never__"}


@lru_cache(maxsize=4096)
def field_name(key: str) -> str:
    """Engine field for a fact key: alphanumerics only (durable reads dots as nesting)."""
    base = re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_")
    if base == key.replace(".", "_"):
        return base
    return f"{base[:40]}_{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def engine_value(value: Any) -> Any:
    """A fact value as the engine compares it: booleans as 0/1, dates as day numbers."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def flat(items: Iterable[Expr], key: str) -> list[Expr]:
    """The items of `items`, each `key` expression ($and or $or) replaced by its own items."""
    out: list[Expr] = []
    for e in items:
        out.extend(e.get(key, [e]))
    return out


def atom_of(expr: Expr) -> tuple[str, str, Any] | None:
    """(operator, field, value) of a single test, or None for $and/$or."""
    if "$and" in expr or "$or" in expr:
        return None
    key, inner = next(iter(expr.items()))
    if key.startswith("$"):
        field, value = next(iter(inner.items()))
        return key, field, value
    return "$eq", key, inner


def unique(items: list[Expr]) -> list[Expr]:
    """`items` without repeats, in order."""
    seen: dict[str, Expr] = {}
    for e in items:
        seen.setdefault(json.dumps(e, sort_keys=True), e)
    return list(seen.values())


def conjunction(items: Iterable[Expr]) -> Expr:
    """Conjunction, simplified: duplicates dropped, contradictions become NEVER, implied tests dropped.

    Keeping expressions small matters: durable caps one pattern at 32 terms and one alpha node at a
    fixed number of non-equality successors (errors 113 and 107)."""
    kept = unique([e for e in flat(items, "$and") if e != ALWAYS])
    if any(e == NEVER for e in kept):
        return NEVER
    atoms = [(e, atom_of(e)) for e in kept]
    equal: dict[str, Any] = {}
    absent: set[str] = set()
    for _e, atom in atoms:
        if atom is None or atom[1] == "t":
            continue
        op, field, value = atom
        if op == "$eq":
            if field in equal and equal[field] != value:
                return NEVER
            equal[field] = value
        elif op == "$nex":
            absent.add(field)
    out: list[Expr] = []
    for e, atom in atoms:
        if atom is not None and atom[1] != "t":
            op, field, value = atom
            if field in absent and op != "$nex":
                return NEVER  # a test on a field that is absent never holds
            if field in equal:
                if op == "$neq" and value == equal[field]:
                    return NEVER
                if op in ("$ex", "$neq"):
                    continue  # implied by the equality
        out.append(e)
    if not out:
        return ALWAYS
    return out[0] if len(out) == 1 else {"$and": out}


def disjunction(items: Iterable[Expr]) -> Expr:
    """Disjunction, simplified: impossible parts dropped, a part that always holds makes it ALWAYS."""
    kept = unique([e for e in flat(items, "$or") if e != NEVER])
    if any(e == ALWAYS for e in kept):
        return ALWAYS
    fields = {(a[0], a[1]) for a in map(atom_of, kept) if a is not None}
    if any(("$ex", f) in fields and ("$nex", f) in fields for _op, f in fields):
        return ALWAYS
    if not kept:
        return NEVER
    return kept[0] if len(kept) == 1 else {"$or": kept}


_NEGATE = {"lt": "gte", "lte": "gt", "gt": "lte", "gte": "lt"}


def _core(field: str, op: str, value: Any) -> tuple[Expr, Expr]:
    """(test, negated test) for a present field."""
    if op in ("eq", "ne"):
        pos, neg = {field: engine_value(value)}, {"$neq": {field: engine_value(value)}}
        return (pos, neg) if op == "eq" else (neg, pos)
    if op in ("in", "not_in"):
        values = [engine_value(v) for v in value]
        pos = disjunction({field: v} for v in values)
        neg = conjunction({"$neq": {field: v}} for v in values)
        return (pos, neg) if op == "in" else (neg, pos)
    return {f"${op}": {field: engine_value(value)}}, {f"${_NEGATE[op]}": {field: engine_value(value)}}


def tri(tree: Tree) -> tuple[Expr, Expr, Expr, Expr]:
    """(T, F, NT, NF) engine expressions of a condition tree."""
    if isinstance(tree, Cond):
        if tree.unknown is not None:
            return NEVER, NEVER, ALWAYS, ALWAYS
        field = field_name(tree.fact.key)
        if tree.fact.name not in NULLABLE and tree.op != "exists":
            pos, neg = _core(field, tree.op, tree.value)
            return pos, neg, neg, pos  # always present: never unknown
        present, absent = {"$ex": {field: 1}}, {"$nex": {field: 1}}
        if tree.op == "exists":
            t, f = (present, absent) if tree.value else (absent, present)
            return t, f, f, t
        pos, neg = _core(field, tree.op, tree.value)
        t, f = conjunction([present, pos]), conjunction([present, neg])
        return t, f, disjunction([absent, f]), disjunction([absent, t])
    parts = [tri(item) for item in tree.items]
    ts, fs, nts, nfs = ([p[i] for p in parts] for i in range(4))
    if isinstance(tree, All):
        return conjunction(ts), disjunction(fs), disjunction(nts), conjunction(nfs)
    assert isinstance(tree, AnyOf)
    return disjunction(ts), conjunction(fs), conjunction(nts), disjunction(nfs)


def can_be_unknown(tree: Tree) -> bool:
    """Whether a tree can evaluate to unknown: it reads a nullable fact or an unconfirmed parameter."""
    if isinstance(tree, Cond):
        return tree.unknown is not None or (tree.fact.name in NULLABLE and tree.op != "exists")
    return any(can_be_unknown(item) for item in tree.items)


def _unknown(nt: Expr, nf: Expr, tree: Tree) -> Expr:
    return conjunction([nt, nf]) if can_be_unknown(tree) else NEVER


def _window(rule: ConcreteRule) -> Expr:
    field = field_name(ANCHOR_EVENT if rule.anchor == "event" else ANCHOR_AS_OF)
    tests: list[Expr] = [{"$gte": {field: rule.window_from.toordinal()}}]
    if rule.window_to is not None:
        tests.append({"$lte": {field: rule.window_to.toordinal()}})
    return conjunction(tests)


def outcome_expressions(rule: ConcreteRule) -> dict[str, Expr]:
    """Engine expression for each outcome of one concrete rule (same semantics as oracle.outcome)."""
    w = _window(rule)
    app_t, _app_f, app_nt, app_nf = tri(rule.applies)
    out: dict[str, Expr] = {"unknown_a": conjunction([w, _unknown(app_nt, app_nf, rule.applies)])}
    if rule.requires is None:
        out["applies"] = conjunction([w, app_t])
        return out
    req_t, req_f, req_nt, req_nf = tri(rule.requires)
    out["met"] = conjunction([w, app_t, req_t])
    out["unknown_r"] = conjunction([w, app_t, _unknown(req_nt, req_nf, rule.requires)])
    if not rule.exemptions:
        out["unmet"] = conjunction([w, app_t, req_f])
        return out
    exemptions = AnyOf(tuple(tree for _e, tree in rule.exemptions))
    ex_t, ex_f, ex_nt, ex_nf = tri(exemptions)
    out["exempt"] = conjunction([w, app_t, req_f, ex_t])
    out["unmet"] = conjunction([w, app_t, req_f, ex_f])
    out["unknown_e"] = conjunction([w, app_t, req_f, _unknown(ex_nt, ex_nf, exemptions)])
    return out


def fields_of(expr: Expr) -> set[str]:
    """The fact fields an engine expression tests."""
    found: set[str] = set()
    for key in ("$and", "$or"):
        if key in expr:
            for item in expr[key]:
                found |= fields_of(item)
            return found
    atom = atom_of(expr)
    if atom is not None:
        found.add(atom[1])
    return found


__all__ = ["ALWAYS", "NEVER", "Expr", "atom_of", "can_be_unknown", "conjunction", "disjunction", "engine_value",
           "field_name", "fields_of", "flat", "outcome_expressions", "tri", "unique"]
