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

The expressions come from engine.rules.expressions (pure: the three-valued compiler and simplifier).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import durable_rules_engine as native
from durable import engine as durable_engine

from engine.errors import EngineError
from engine.rules.compiled import ConcreteRule
from engine.rules.expressions import (
    NEVER,
    Expr,
    conjunction,
    engine_value,
    field_name,
    fields_of,
    outcome_expressions,
    unique,
)
from engine.rules.partition import ANY, Partitions, partition_fact
from engine.rules.simplifier import Known, split

SID = "0"


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
        """The compiled rules of one partition of a basis."""
        return self.partitions.rules(basis, value)

    def partition_of(self, basis: str, values: dict[str, Any]) -> str:
        """The partition of a context of `basis` whose facts are `values`."""
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
            facts = Known()
            for field, value in known:
                facts.add("$eq", field, value)
            found = []
            for outcome, expr in outcome_expressions(rule).items():
                if expr == NEVER:
                    continue
                parts = unique([conjunction([{"t": "ctx"}, part]) for part in split(expr, facts)])
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
                tested.update(fields_of(next(iter(pattern.values()))))
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
