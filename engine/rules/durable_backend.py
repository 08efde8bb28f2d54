"""Compile concrete rules to durable-rules and run them. The ONLY module that imports durable_rules.

durable-rules 2.0.28 is unmaintained and has measured defects (shared/engine-notes/durable-rules.md);
this module applies the §6 wrapper:
- a host without background timer threads (defect 2), one person per `assert_facts` call (defect 3);
- every rule is a single pattern on the context fact, so there is no negation and no join at all
  (defect 4 cannot arise); a sentinel rule fires for every context (defect 1: `delete_state` is only
  safe after an action ran) and a catch-all makes every fact handled (defect 8);
- explicit fact ids (defect 7), one constant session id reused per call and deleted after it (defect 6);
- all date arithmetic is done in Python: dates reach the engine as day numbers (defect 5);
- an exception returned in the session state is raised as EngineError.

Agenda drain (mode "lean", the default): the engine's own loop runs every action through a Closure,
a JSON dump of the session state and an `update_state` call, which is where most time goes. Our
actions only record which rule fired on which context, so the lean mode drains the agenda directly
(`start_action_for_state` / `complete_and_start_action`) and reads the fired rule from the action
name; no Python code runs inside the engine, so no exception can be swallowed. Mode "host" keeps
the stock loop; the differential tests run both.

Three-valued conditions compile to four expressions per tree: T (true), F (false), NT (not true) and
NF (not false); "unknown" is NT ∧ NF. Each concrete rule becomes up to six engine rules, one per
outcome, and its action records (context id, rule key, outcome).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import durable_rules_engine as native
from durable import engine as durable_engine

from engine.errors import EngineError
from engine.rules.compiled import All, AnyOf, ConcreteRule, Cond, Tree
from engine.rules.facts import NULLABLE
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT
from engine.rules.partition import Partitions

Expr = dict[str, Any]
ALWAYS: Expr = {"t": "ctx"}
NEVER: Expr = {"t": "__never__"}
SID = "0"


@lru_cache(maxsize=4096)
def field_name(key: str) -> str:
    """Engine field for a fact key: alphanumerics only (durable reads dots as nesting)."""
    base = re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_")
    if base == key.replace(".", "_"):
        return base
    return f"{base[:40]}_{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def engine_value(value: Any) -> Any:
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def _flat(items: Iterable[Expr], key: str) -> list[Expr]:
    out: list[Expr] = []
    for e in items:
        out.extend(e.get(key, [e]))
    return out


def _atom(expr: Expr) -> tuple[str, str, Any] | None:
    """(operator, field, value) of a single test, or None for $and/$or."""
    if "$and" in expr or "$or" in expr:
        return None
    key, inner = next(iter(expr.items()))
    if key.startswith("$"):
        field, value = next(iter(inner.items()))
        return key, field, value
    return "$eq", key, inner


def _unique(items: list[Expr]) -> list[Expr]:
    seen: dict[str, Expr] = {}
    for e in items:
        seen.setdefault(json.dumps(e, sort_keys=True), e)
    return list(seen.values())


def _and(items: Iterable[Expr]) -> Expr:
    """Conjunction, simplified: duplicates dropped, contradictions become NEVER, implied tests dropped.

    Keeping expressions small matters: durable caps one pattern at 32 terms and one alpha node at a
    fixed number of non-equality successors (errors 113 and 107)."""
    kept = _unique([e for e in _flat(items, "$and") if e != ALWAYS])
    if any(e == NEVER for e in kept):
        return NEVER
    atoms = [(e, _atom(e)) for e in kept]
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


def _or(items: Iterable[Expr]) -> Expr:
    kept = _unique([e for e in _flat(items, "$or") if e != NEVER])
    if any(e == ALWAYS for e in kept):
        return ALWAYS
    fields = {(a[0], a[1]) for a in map(_atom, kept) if a is not None}
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
        pos = _or({field: v} for v in values)
        neg = _and({"$neq": {field: v}} for v in values)
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
        t, f = _and([present, pos]), _and([present, neg])
        return t, f, _or([absent, f]), _or([absent, t])
    parts = [tri(item) for item in tree.items]
    ts, fs, nts, nfs = ([p[i] for p in parts] for i in range(4))
    if isinstance(tree, All):
        return _and(ts), _or(fs), _or(nts), _and(nfs)
    assert isinstance(tree, AnyOf)
    return _or(ts), _and(fs), _and(nts), _or(nfs)


def can_be_unknown(tree: Tree) -> bool:
    """Whether a tree can evaluate to unknown: it reads a nullable fact or an unconfirmed parameter."""
    if isinstance(tree, Cond):
        return tree.unknown is not None or (tree.fact.name in NULLABLE and tree.op != "exists")
    return any(can_be_unknown(item) for item in tree.items)


def _unknown(nt: Expr, nf: Expr, tree: Tree) -> Expr:
    return _and([nt, nf]) if can_be_unknown(tree) else NEVER


def _window(rule: ConcreteRule) -> Expr:
    field = field_name(ANCHOR_EVENT if rule.anchor == "event" else ANCHOR_AS_OF)
    tests: list[Expr] = [{"$gte": {field: rule.window_from.toordinal()}}]
    if rule.window_to is not None:
        tests.append({"$lte": {field: rule.window_to.toordinal()}})
    return _and(tests)


def outcome_expressions(rule: ConcreteRule) -> dict[str, Expr]:
    """Engine expression for each outcome of one concrete rule (same semantics as oracle.outcome)."""
    w = _window(rule)
    app_t, _app_f, app_nt, app_nf = tri(rule.applies)
    out: dict[str, Expr] = {"unknown_a": _and([w, _unknown(app_nt, app_nf, rule.applies)])}
    if rule.requires is None:
        out["applies"] = _and([w, app_t])
        return out
    req_t, req_f, req_nt, req_nf = tri(rule.requires)
    out["met"] = _and([w, app_t, req_t])
    out["unknown_r"] = _and([w, app_t, _unknown(req_nt, req_nf, rule.requires)])
    if not rule.exemptions:
        out["unmet"] = _and([w, app_t, req_f])
        return out
    exemptions = AnyOf(tuple(tree for _e, tree in rule.exemptions))
    ex_t, ex_f, ex_nt, ex_nf = tri(exemptions)
    out["exempt"] = _and([w, app_t, req_f, ex_t])
    out["unmet"] = _and([w, app_t, req_f, ex_f])
    out["unknown_e"] = _and([w, app_t, req_f, _unknown(ex_nt, ex_nf, exemptions)])
    return out


LIMIT = 30  # MAX_SEQUENCE_EXPRESSIONS is 32 in durable's rete.h (error 113 beyond it)


def size(expr: Expr) -> int:
    for key in ("$and", "$or"):
        if key in expr:
            return 2 + sum(size(e) for e in expr[key])
    return 1


def split(expr: Expr) -> list[Expr]:
    """Disjuncts whose OR equals `expr`, each small enough for one engine pattern."""
    if size(expr) <= LIMIT:
        return [expr]
    if "$or" in expr:
        return [part for child in expr["$or"] for part in split(child)]
    children = expr["$and"]
    ors = [c for c in children if "$or" in c]
    if not ors:
        raise ValueError(f"condition too large for the engine ({size(expr)} terms): split the rule")
    widest = max(ors, key=size)
    rest = [c for c in children if c is not widest]
    return [part for option in widest["$or"] for part in split(_and([*rest, option]))]


class _SyncHost(durable_engine.Host):  # type: ignore[misc]
    def _run(self) -> None:  # no background timer threads (defect 2)
        return None


class DurableProgram:
    """Engine rulesets for a list of concrete rules, partitioned by basis and tier/programme."""

    _counter = 0

    def __init__(self, rules: Sequence[ConcreteRule], mode: str = "lean") -> None:
        self.mode = mode
        self.rules = {r.key: r for r in rules}
        self._fired_by: dict[str, tuple[str, str]] = {}  # engine rule name -> (rule key, outcome)
        self._handles: dict[str, Any] = {}
        self._host = _SyncHost()
        self._sink: list[tuple[str, str, str]] = []
        self._names: dict[tuple[str, str], str] = {}
        self.partitions = Partitions(rules)

    def partition_rules(self, basis: str, value: str) -> list[ConcreteRule]:
        return self.partitions.rules(basis, value)

    def partition_of(self, basis: str, values: dict[str, Any]) -> str:
        return self.partitions.value_of(basis, values)

    def _ruleset(self, basis: str, value: str) -> str:
        key = (basis, value)
        name = self._names.get(key)
        if name is not None:
            return name
        DurableProgram._counter += 1
        name = f"dtbd_{DurableProgram._counter}"
        sink = self._sink
        definition: dict[str, Any] = {
            "_sentinel": {"all": [{"ctx": {"t": "ctx"}}], "run": lambda c: None},
            "_catchall": {"all": [{"any": {"$ex": {"t": 1}}}, {"never": {"t": "__never__"}}], "run": lambda c: None},
        }
        for index, rule in enumerate(self.partition_rules(basis, value)):
            for outcome, expr in outcome_expressions(rule).items():
                if expr == NEVER:
                    continue

                def action(c: Any, *, _key: str = rule.key, _outcome: str = outcome) -> None:
                    sink.append((c.ctx.cid, _key, _outcome.split("_")[0]))

                for part_no, part in enumerate(split(expr)):
                    pattern = _and([{"t": "ctx"}, part])
                    rule_name = f"r{index}_{outcome}_{part_no}"
                    definition[rule_name] = {"all": [{"ctx": pattern}], "run": action}
                    self._fired_by[f"{name}:{rule_name}"] = (rule.key, outcome.split("_")[0])
        self._host.set_rulesets({name: definition})  # note: durable pops 'run' out of the dict
        self._handles[name] = self._host.get_ruleset(name)._handle
        self._names[key] = name
        return name

    def _drain(self, name: str, facts: list[Expr]) -> list[tuple[str, str, str]]:
        handle = self._handles[name]
        code, state = native.assert_facts(handle, json.dumps(facts, ensure_ascii=False))
        if code not in (0, 3):
            raise EngineError(f"lỗi bộ máy suy diễn / inference engine error: code {code} on {name}")
        out: list[tuple[str, str, str]] = []
        try:
            started = native.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message:
                for rule_name, match in json.loads(message).items():
                    fired = self._fired_by.get(f"{name}:{rule_name}")
                    if fired is not None:
                        out.append((match["ctx"]["cid"], *fired))
                message = native.complete_and_start_action(handle, state)
        finally:
            native.delete_state(handle, SID)
        return out

    def evaluate(self, contexts: Sequence[tuple[str, str, str, dict[str, Any]]]) -> list[tuple[str, str, str]]:
        """Run contexts of ONE person: (context id, basis, partition value, fact values by key).

        Returns (context id, rule key, outcome) for every firing, in no particular order."""
        groups: dict[str, list[Expr]] = {}
        for cid, basis, value, values in contexts:
            name = self._ruleset(basis, value)
            fact: Expr = {"sid": SID, "id": f"ctx-{cid}", "t": "ctx", "cid": cid}
            for key, raw in values.items():
                if raw is not None:
                    fact[field_name(key)] = engine_value(raw)
            groups.setdefault(name, []).append(fact)
        results: list[tuple[str, str, str]] = []
        if self.mode == "lean":
            for name, facts in groups.items():
                results.extend(self._drain(name, facts))
            return [r for r in dict.fromkeys(results) if r[1] in self.rules]
        for name, facts in groups.items():
            self._sink.clear()
            state = self._host.assert_facts(name, facts)
            self._host.delete_state(name, SID)
            if isinstance(state, dict) and state.get("exception"):
                raise EngineError(f"lỗi bộ máy suy diễn / inference engine error: {state['exception']}")
            results.extend(self._sink)
        # A split outcome can fire once per true disjunct: keep one firing each.
        return [r for r in dict.fromkeys(results) if r[1] in self.rules]
