"""Partitions of concrete rules by evaluation basis and post tier (or course programme).

A context is only matched against the rules of its partition: the engine builds one ruleset per
partition (fewer rules per pattern, fewer tests per context) and the oracle filters the same way, so
both backends see exactly the same rules for a context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.rules.compiled import All, ConcreteRule, Cond

PARTITION_FACT = {"admission": "course.programme"}
DEFAULT_PARTITION_FACT = "post.tier"
ANY = "*"


def partition_fact(basis: str) -> str:
    """The fact that partitions the rules of `basis`."""
    return PARTITION_FACT.get(basis, DEFAULT_PARTITION_FACT)


def restricted_to(rule: ConcreteRule, fact: str) -> tuple[str, ...] | None:
    """Values of `fact` a rule is restricted to by a top-level condition, or None (any value)."""
    items = rule.applies.items if isinstance(rule.applies, All) else (rule.applies,)
    for item in items:
        if isinstance(item, Cond) and item.fact.key == fact and item.unknown is None:
            if item.op == "eq":
                return (str(item.value),)
            if item.op == "in":
                return tuple(str(v) for v in item.value)
    return None


class Partitions:
    """The rules of each basis, by the value of its partition fact."""

    def __init__(self, rules: Sequence[ConcreteRule]) -> None:
        self._by: dict[tuple[str, str], list[ConcreteRule]] = {}
        for rule in rules:
            for basis in rule.bases:
                for value in restricted_to(rule, partition_fact(basis)) or (ANY,):
                    self._by.setdefault((basis, value), []).append(rule)
        self._order = {rule.key: index for index, rule in enumerate(rules)}
        self._rules: dict[tuple[str, str], tuple[ConcreteRule, ...]] = {}

    def value_of(self, basis: str, values: dict[str, Any]) -> str:
        """The partition of a context of `basis` whose facts are `values`."""
        return str(values.get(partition_fact(basis)))

    def rules(self, basis: str, value: str) -> list[ConcreteRule]:
        """The rules of `basis` that can apply when the partition fact has `value`, in rule order."""
        cached = self._rules.get((basis, value))
        if cached is None:
            found = {r.key: r for r in (*self._by.get((basis, ANY), []), *self._by.get((basis, value), []))}
            cached = self._rules[(basis, value)] = tuple(sorted(found.values(), key=lambda r: self._order[r.key]))
        return list(cached)
