"""Plain-Python evaluation of compiled rules: the reference semantics and the differential-test oracle.

Three-valued logic: True (met), False (not met), None (unknown: a fact is absent or a parameter is
not confirmed). `outcome` maps a concrete rule and one context's fact values to
`met | unmet | exempt | unknown | applies` (object rules) or None when the rule does not apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.rules.compiled import All, AnyOf, ConcreteRule, Cond, Tree

ANCHOR_EVENT = "__anchor_event"
ANCHOR_AS_OF = "__anchor_as_of"
Tri = bool | None


def eval_cond(cond: Cond, values: Mapping[str, Any]) -> Tri:
    """A condition's value on `values`: true, false or unknown."""
    if cond.unknown is not None:
        return None
    value = values.get(cond.fact.key)
    if cond.op == "exists":
        return (value is not None) == bool(cond.value)
    if value is None:
        return None
    target = cond.value
    match cond.op:
        case "eq":
            return bool(value == target)
        case "ne":
            return bool(value != target)
        case "in":
            return value in target
        case "not_in":
            return value not in target
        case "lt":
            return bool(value < target)
        case "lte":
            return bool(value <= target)
        case "gt":
            return bool(value > target)
        case "gte":
            return bool(value >= target)
    raise ValueError(f"unknown operator {cond.op}")


def eval_tree(tree: Tree, values: Mapping[str, Any]) -> Tri:
    """A condition tree's value on `values`: true, false or unknown."""
    if isinstance(tree, Cond):
        return eval_cond(tree, values)
    results = [eval_tree(item, values) for item in tree.items]
    if isinstance(tree, All):
        if any(r is False for r in results):
            return False
        return True if all(r is True for r in results) else None
    assert isinstance(tree, AnyOf)
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def unknown_facts(tree: Tree | None, values: Mapping[str, Any]) -> list[str]:
    """Facts (or parameters) whose absence makes `tree` unknown, for the explanation."""
    if tree is None:
        return []
    if isinstance(tree, Cond):
        if eval_cond(tree, values) is not None:
            return []
        return [f"param:{tree.unknown}"] if tree.unknown else [tree.fact.key]
    out: list[str] = []
    for item in tree.items:
        if eval_tree(item, values) is None:
            out.extend(unknown_facts(item, values))
    return out


def in_window(rule: ConcreteRule, values: Mapping[str, Any]) -> bool:
    """Whether the context's reference date is in the rule's window."""
    day = values.get(ANCHOR_EVENT if rule.anchor == "event" else ANCHOR_AS_OF)
    return day is not None and rule.in_window(day)


def exemption_state(rule: ConcreteRule, values: Mapping[str, Any]) -> Tri:
    """Whether an exemption holds: true, false or unknown."""
    if not rule.exemptions:
        return False
    results = [eval_tree(tree, values) for _e, tree in rule.exemptions]
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def outcome(rule: ConcreteRule, values: Mapping[str, Any]) -> str | None:
    """The rule's outcome on `values`, or None when it does not apply."""
    if not in_window(rule, values):
        return None
    applies = eval_tree(rule.applies, values)
    if applies is False:
        return None
    if applies is None:
        return "unknown"
    if rule.requires is None:
        return "applies"
    met = eval_tree(rule.requires, values)
    if met is True:
        return "met"
    if met is None:
        return "unknown"
    exempt = exemption_state(rule, values)
    if exempt is True:
        return "exempt"
    return "unknown" if exempt is None else "unmet"


def evaluate(rules: list[ConcreteRule], values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(rule key, outcome) for every rule that applies or is unknown, in rule order."""
    out = []
    for rule in rules:
        result = outcome(rule, values)
        if result is not None:
            out.append((rule.key, result))
    return out
