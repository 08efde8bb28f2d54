"""Compile concrete rules to durable-rules and run them. The ONLY module that imports durable_rules.

durable-rules 2.0.28 is unmaintained and has measured defects (third_party/durable-rules/patches/ fixes three);
this module applies a defensive wrapper:
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
name; no Python code runs inside the engine, so no exception can be swallowed. An action message is
`{"<engine rule>":{"ctx":<the fact's JSON text as asserted>}}`, so the rule name and the fact's
position (its id) are read from the text instead of decoding it (anything else is decoded). Mode
"host" keeps the stock loop; the differential tests run both.

Three-valued conditions compile to four expressions per tree: T (true), F (false), NT (not true) and
NF (not false); "unknown" is NT ∧ NF. Each concrete rule becomes up to six engine rules, one per
outcome, and its action records (context id, rule key, outcome). Expressions are simplified before
they reach the engine (`simplify`): within a conjunction, tests decided by its other tests are
dropped, and so are tests decided by what every context of the ruleset shares (its basis and its
partition value); parts that can never hold are not compiled. Fewer and smaller patterns make each
`assert_facts` cheaper and keep pathological conditions within the engine's node limits (a parent
node takes at most 128 `$nex`/disjunction successors: error 107). The context fact carries only the
fields the ruleset's patterns test.
"""

from __future__ import annotations

import copy
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
from engine.rules.partition import ANY, Partitions, partition_fact

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


class _Known:
    """What a conjunction has established about the context fact's fields, to simplify what follows.

    The engine's semantics, which the compiler relies on throughout: a test on an absent field never
    holds (only `$nex` does). Bounds are kept for integer tests only (days, months, counts)."""

    __slots__ = ("eq", "hi", "lo", "neq", "present")

    def __init__(self) -> None:
        self.present: dict[str, bool] = {}
        self.eq: dict[str, Any] = {}
        self.neq: dict[str, set[Any]] = {}
        self.lo: dict[str, int] = {}  # field >= lo
        self.hi: dict[str, int] = {}  # field <= hi

    def copy(self) -> _Known:
        other = _Known()
        other.present, other.eq, other.lo, other.hi = dict(self.present), dict(self.eq), dict(self.lo), dict(self.hi)
        other.neq = {f: set(v) for f, v in self.neq.items()}
        return other

    def test(self, op: str, field: str, value: Any) -> bool | None:
        """The truth of one atom given what is known: True, False or None (undecided)."""
        present = self.present.get(field)
        if op == "$nex":
            return None if present is None else not present
        if op == "$ex":
            return present
        if present is False:
            return False
        if field in self.eq:
            known = self.eq[field]
            if type(known) is not type(value) or (op not in ("$eq", "$neq") and type(value) is not int):
                return None
            return _compare(op, known, value)
        if type(value) is not int:
            if op == "$eq" and value in self.neq.get(field, ()):
                return False
            if op == "$neq" and value in self.neq.get(field, ()):
                return True
            return None
        lo, hi = self.lo.get(field), self.hi.get(field)
        bound = _BOUND.get(op)
        if bound is not None:  # x <= c or x >= c
            kind, c = bound[0], value + bound[1]
            if kind == "le":
                return True if hi is not None and hi <= c else False if lo is not None and lo > c else None
            return True if lo is not None and lo >= c else False if hi is not None and hi < c else None
        outside = (lo is not None and value < lo) or (hi is not None and value > hi)
        if op == "$eq":
            return False if outside or value in self.neq.get(field, ()) else None
        if op == "$neq":
            return True if outside or value in self.neq.get(field, ()) else None
        return None

    def add(self, op: str, field: str, value: Any) -> None:
        """Record an atom that holds."""
        if op == "$nex":
            self.present[field] = False
            return
        self.present[field] = True
        if op == "$eq":
            self.eq[field] = value
        elif op == "$neq":
            self.neq.setdefault(field, set()).add(value)
        elif type(value) is int and op in _BOUND:
            kind, c = _BOUND[op][0], value + _BOUND[op][1]
            if kind == "le":
                self.hi[field] = min(self.hi.get(field, c), c)
            else:
                self.lo[field] = max(self.lo.get(field, c), c)


# Integer comparisons as bounds: $lt v is x <= v - 1, $gt v is x >= v + 1.
_BOUND = {"$lt": ("le", -1), "$lte": ("le", 0), "$gt": ("ge", 1), "$gte": ("ge", 0)}


def _compare(op: str, left: Any, right: Any) -> bool | None:
    try:
        if op == "$eq":
            return bool(left == right)
        if op == "$neq":
            return bool(left != right)
        if op == "$lt":
            return bool(left < right)
        if op == "$lte":
            return bool(left <= right)
        if op == "$gt":
            return bool(left > right)
        if op == "$gte":
            return bool(left >= right)
    except TypeError:
        return None
    return None


def simplify(expr: Expr, known: _Known | None = None) -> Expr:
    """`expr` without what `known` or the other members of a conjunction decide.

    The atoms of a conjunction are read in order, each under the ones kept before it (a repeated
    one is dropped, a contradicted one makes the whole NEVER); its other members are simplified
    under all of them: an alternative they contradict is dropped, one they imply makes its
    disjunction true. The result holds for exactly the same facts (given `known`), with fewer terms
    and fewer disjunctions to split."""
    known = known or _Known()
    if "$or" in expr:
        alternatives = []
        for item in expr["$or"]:
            item = simplify(item, known)
            if item == ALWAYS:
                return ALWAYS
            if item != NEVER:
                alternatives.append(item)
        return _or(alternatives)
    if "$and" not in expr:
        atom = _atom(expr)
        assert atom is not None
        if atom[1] == "t":
            return ALWAYS if atom[2] == "ctx" else NEVER
        result = known.test(*atom)
        return expr if result is None else ALWAYS if result else NEVER
    mine = known.copy()
    atoms: list[Expr] = []  # kept and recorded in `mine`, in order
    pending = _flat(expr["$and"], "$and")
    compounds: list[Expr] = []
    while pending:
        for item in pending:
            atom = _atom(item)
            if atom is None:
                compounds.append(item)
                continue
            if atom[1] == "t":
                if atom[2] != "ctx":
                    return NEVER
                continue
            holds = mine.test(*atom)
            if holds is False:
                return NEVER
            if holds is None:
                mine.add(*atom)
                atoms.append(item)
        pending, kept = [], []
        for item in compounds:  # under every atom kept so far
            simpler = simplify(item, mine)
            if simpler == NEVER:
                return NEVER
            if simpler == ALWAYS:
                continue
            if "$or" in simpler:
                kept.append(simpler)
            else:  # became an atom or a conjunction: its members join this one's, and the rest is redone
                pending.extend(_flat([simpler], "$and"))
        compounds = kept
    # `$ex f` is implied by any other test on f that the conjunction keeps.
    tested = {a[1] for a in map(_atom, atoms) if a is not None and a[0] not in ("$ex", "$nex")}
    atoms = [e for e in atoms if not ((a := _atom(e)) is not None and a[0] == "$ex" and a[1] in tested)]
    return _and([*atoms, *compounds])


LIMIT = 30  # MAX_SEQUENCE_EXPRESSIONS is 32 in durable's rete.h (error 113 beyond it)


def size(expr: Expr) -> int:
    for key in ("$and", "$or"):
        if key in expr:
            return 2 + sum(size(e) for e in expr[key])
    return 1


def split(expr: Expr, known: _Known | None = None) -> list[Expr]:
    """Disjuncts whose OR equals `expr` (given `known`), each simplified and small enough for one
    engine pattern; none when `expr` never holds."""
    expr = simplify(expr, known)
    if expr == NEVER:
        return []
    if size(expr) <= LIMIT:
        return [expr]
    if "$or" in expr:
        return [part for child in expr["$or"] for part in split(child, known)]
    children = expr["$and"]
    ors = [c for c in children if "$or" in c]
    if not ors:
        raise ValueError(f"condition too large for the engine ({size(expr)} terms): split the rule")
    widest = max(ors, key=size)
    rest = [c for c in children if c is not widest]
    return [part for option in widest["$or"] for part in split(_and([*rest, option]), known)]


class _SyncHost(durable_engine.Host):  # type: ignore[misc]
    def _run(self) -> None:  # no background timer threads (defect 2)
        return None


class DurableProgram:
    """Engine rulesets for a list of concrete rules, partitioned by basis and tier/programme."""

    _counter = 0

    def __init__(self, rules: Sequence[ConcreteRule], mode: str = "lean") -> None:
        self.mode = mode
        self.rules = {r.key: r for r in rules}
        self._fired_by: dict[str, dict[str, tuple[str, str]]] = {}  # ruleset -> engine rule -> (key, outcome)
        self._handles: dict[str, Any] = {}
        self._host = _SyncHost()
        self._sink: list[tuple[str, str, str]] = []
        self._names: dict[tuple[str, str, tuple[tuple[str, Any], ...]], str] = {}
        self._empty: dict[tuple[str, str], bool] = {}  # (basis, partition) -> no rule in it
        # (rule key, known equalities) -> (outcome, part no, pattern)
        self._patterns: dict[tuple[str, tuple[tuple[str, Any], ...]], list[tuple[str, str, Expr]]] = {}
        self._fields_of: dict[str, dict[str, str]] = {}  # ruleset -> fact key -> tested engine field or ""
        self._tested: dict[str, set[str]] = {}  # ruleset -> the engine fields its patterns test
        self.partitions = Partitions(rules)

    def partition_rules(self, basis: str, value: str) -> list[ConcreteRule]:
        return self.partitions.rules(basis, value)

    def partition_of(self, basis: str, values: dict[str, Any]) -> str:
        return self.partitions.value_of(basis, values)

    def _rule_patterns(self, rule: ConcreteRule, known: tuple[tuple[str, Any], ...]
                       ) -> list[tuple[str, str, Expr]]:
        """The engine patterns of one concrete rule: (outcome with stage, part number, pattern).

        `known` are (field, value) equalities that hold for every context of the ruleset (its basis,
        its partition value): tests they decide are compiled away. A part that never holds, or
        repeats another, would add engine rules and no firing: it is left out."""
        cache_key = (rule.key, known)
        found = self._patterns.get(cache_key)
        if found is None:
            facts = _Known()
            for field, value in known:
                facts.add("$eq", field, value)
            found = []
            for outcome, expr in outcome_expressions(rule).items():
                if expr == NEVER:
                    continue
                parts = _unique([_and([{"t": "ctx"}, part]) for part in split(expr, facts)])
                for part_no, pattern in enumerate(p for p in parts if p != NEVER):
                    found.append((outcome, str(part_no), pattern))
            self._patterns[cache_key] = found
        return found

    def _known(self, basis: str, value: str, values: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        """The equalities every context of (basis, partition value) has, when this context's values
        have them too: the basis, and the partition fact unless the partition is the catch-all."""
        known: list[tuple[str, Any]] = []
        if values.get("basis") == basis:
            known.append((field_name("basis"), basis))
        fact = partition_fact(basis)
        got = values.get(fact)
        if value != ANY and isinstance(got, str) and got == value:
            known.append((field_name(fact), value))
        return tuple(known)

    def _ruleset(self, basis: str, value: str, known: tuple[tuple[str, Any], ...] = ()) -> str:
        key = (basis, value, known)
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
        fired_by: dict[str, tuple[str, str]] = {}
        for index, rule in enumerate(self.partition_rules(basis, value)):
            actions: dict[str, Any] = {}
            for outcome, part_no, pattern in self._rule_patterns(rule, known):
                action = actions.get(outcome)
                if action is None:
                    def action(c: Any, *, _key: str = rule.key, _outcome: str = outcome.split("_")[0]) -> None:
                        sink.append((c.ctx.cid, _key, _outcome))

                    actions[outcome] = action
                rule_name = f"r{index}_{outcome}_{part_no}"
                definition[rule_name] = {"all": [{"ctx": copy.deepcopy(pattern)}], "run": action}
                fired_by[rule_name] = (rule.key, outcome.split("_")[0])
        tested: set[str] = set()
        for rule_definition in definition.values():
            for pattern in rule_definition["all"]:
                tested.update(_fields(next(iter(pattern.values()))))
        self._host.set_rulesets({name: definition})  # note: durable pops 'run' out of the dict
        self._handles[name] = self._host.get_ruleset(name)._handle
        self._fired_by[name] = fired_by
        self._tested[name] = tested
        self._fields_of[name] = {}
        self._names[key] = name
        return name

    def _drain(self, name: str, facts: list[Expr], cids: list[str]) -> list[tuple[str, str, str]]:
        """Assert the facts of one ruleset, run its agenda without the engine's host loop, delete the session.

        An action message is `{"<engine rule>":{"ctx":<the fact's JSON text as asserted>}}`: the rule
        name and the fact's position (its id, `ctx-<n>`) are read from the text; anything else falls
        back to decoding the JSON."""
        handle = self._handles[name]
        fired_by = self._fired_by[name]
        code, state = native.assert_facts(handle, _ENCODER.encode(facts))
        if code not in (0, 3):
            raise EngineError(f"lỗi bộ máy suy diễn / inference engine error: code {code} on {name}")
        out: list[tuple[str, str, str]] = []
        single = cids[0] if len(cids) == 1 else None
        try:
            started = native.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message:
                end = message.find('"', 2)
                fired = fired_by.get(message[2:end]) if end > 2 and message.startswith(_OPEN) else None
                if fired is not None and message.startswith(_MATCH, end):
                    if single is not None:
                        out.append((single, *fired))
                    else:
                        start = end + len(_MATCH)
                        stop = message.find('"', start)
                        index = message[start:stop]
                        if index.isdigit() and int(index) < len(cids):
                            out.append((cids[int(index)], *fired))
                        else:
                            out.extend(_decoded(message, fired_by))
                elif end <= 2 or not message.startswith(_OPEN) or message[2:end] not in _ENGINE_ONLY:
                    out.extend(_decoded(message, fired_by))
                message = native.complete_and_start_action(handle, state)
        finally:
            native.delete_state(handle, SID)
        return out

    def _fact(self, name: str, index: int, cid: str, values: dict[str, Any]) -> Expr:
        """The context fact for ruleset `name`: the values its patterns test, as engine values."""
        fields = self._fields_of[name]  # fact key -> engine field, or "" when no pattern tests it
        fact: Expr = {"sid": SID, "id": f"ctx-{index}", "t": "ctx", "cid": cid}
        for key, raw in values.items():
            if raw is None:
                continue
            field = fields.get(key)
            if field is None:
                field = field_name(key)
                field = fields[key] = field if field in self._tested[name] else ""
            if not field:
                continue
            kind = raw.__class__
            if kind is bool:
                raw = 1 if raw else 0
            elif kind is dt.date:
                raw = raw.toordinal()
            elif kind is not int and kind is not str:
                raw = engine_value(raw)
            fact[field] = raw
        return fact

    def evaluate(self, contexts: Sequence[tuple[str, str, str, dict[str, Any]]]) -> list[tuple[str, str, str]]:
        """Run contexts of ONE person: (context id, basis, partition value, fact values by key).

        Returns (context id, rule key, outcome) for every firing, in no particular order."""
        if not contexts:
            return []
        groups: dict[str, tuple[list[Expr], list[str]]] = {}
        for cid, basis, value, values in contexts:
            empty = self._empty.get((basis, value))
            if empty is None:
                empty = self._empty[(basis, value)] = not self.partitions.rules(basis, value)
            if empty:
                continue  # no rule can apply (a course with no admission rule, say): nothing to fire
            name = self._ruleset(basis, value, self._known(basis, value, values))
            group = groups.get(name)
            if group is None:
                group = groups[name] = ([], [])
            group[0].append(self._fact(name, len(group[0]), cid, values))
            group[1].append(cid)
        results: list[tuple[str, str, str]] = []
        if self.mode == "lean":
            for name, (facts, cids) in groups.items():
                results.extend(self._drain(name, facts, cids))
            return [r for r in dict.fromkeys(results) if r[1] in self.rules]
        for name, (facts, _cids) in groups.items():
            self._sink.clear()
            state = self._host.assert_facts(name, facts)
            self._host.delete_state(name, SID)
            if isinstance(state, dict) and state.get("exception"):
                raise EngineError(f"lỗi bộ máy suy diễn / inference engine error: {state['exception']}")
            results.extend(self._sink)
        # A split outcome can fire once per true disjunct: keep one firing each.
        return [r for r in dict.fromkeys(results) if r[1] in self.rules]


def _fields(expr: Expr) -> set[str]:
    """The fact fields an engine expression tests."""
    found: set[str] = set()
    for key in ("$and", "$or"):
        if key in expr:
            for item in expr[key]:
                found |= _fields(item)
            return found
    atom = _atom(expr)
    if atom is not None:
        found.add(atom[1])
    return found


# json.dumps(facts, ensure_ascii=False), without building an encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)
# The start of an action message, and what follows the engine rule name up to the fact's position.
_OPEN = '{"'
_MATCH = f'":{{"ctx":{{"sid": "{SID}", "id": "ctx-'
_ENGINE_ONLY = frozenset({"_sentinel", "_catchall"})


def _decoded(message: str, fired_by: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """The firings of an action message read by decoding its JSON (the slow, general path)."""
    out: list[tuple[str, str, str]] = []
    for rule_name, match in json.loads(message).items():
        fired = fired_by.get(rule_name)
        if fired is not None:
            out.append((match["ctx"]["cid"], *fired))
    return out
