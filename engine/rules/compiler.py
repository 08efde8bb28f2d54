"""Compile loaded rules into concrete rules (engine.rules.compiled): variants expanded, parameters
resolved per dated period, code orderings expanded, defaults applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.rules.compiled import (
    TRUE,
    UNKNOWN_PARAM,
    All,
    AnyOf,
    ConcreteRule,
    Cond,
    FactRef,
    ResolvedDeadline,
    Tree,
    rule_facts,
)
from engine.rules.facts import CATALOGUE
from engine.rules.rulebook import LoadedRule, Rulebook
from engine.rules.schema import AllNode, AnyNode, Deadline, Leaf, Node, ParamRef, Rule, Variant

ONE_DAY = dt.timedelta(days=1)


def _resolve(value: Any, params: dict[str, int | None]) -> tuple[Any, str | None]:
    if isinstance(value, ParamRef):
        resolved = params.get(value.param)
        return (UNKNOWN_PARAM, value.param) if resolved is None else (resolved, None)
    if isinstance(value, list):
        return tuple(value), None
    return value, None


def _ordered(fact: str, value: str, op: str) -> tuple[str, ...]:
    spec = CATALOGUE[fact]
    code_list = spec.code_list
    assert code_list is not None, f"{fact} is not an ordered code fact"
    rank = code_list.rank(value)
    if op == "at_least":
        return tuple(v for v in code_list.values if code_list.rank(v) >= rank)
    return tuple(v for v in code_list.values if code_list.rank(v) <= rank)


def compile_node(node: Node, params: dict[str, int | None]) -> Tree:
    """A condition node compiled to a tree, its parameters resolved."""
    if isinstance(node, AnyNode):
        return AnyOf(tuple(compile_node(n, params) for n in node.any))
    if isinstance(node, AllNode):
        return All(tuple(compile_node(n, params) for n in node.all))
    assert isinstance(node, Leaf)
    unknown: str | None = None
    args: list[tuple[str, Any]] = []
    for name, raw in sorted(node.args.items()):
        if isinstance(raw, dict) and set(raw) == {"param"}:
            raw = ParamRef(param=raw["param"])
        value, missing = _resolve(raw, params)
        unknown = unknown or missing
        args.append((name, value))
    fact = FactRef(node.fact, tuple(args))
    op = node.op
    value, missing = _resolve(node.value, params)
    unknown = unknown or missing
    if op in ("at_least", "at_most") and unknown is None:
        return Cond(fact, "in", _ordered(node.fact, str(value), op))
    if op in ("at_least", "at_most"):
        op = "in"
    return Cond(fact, op, value, unknown)


def _all(nodes: list[Node], params: dict[str, int | None], extra: tuple[Tree, ...] = ()) -> Tree:
    items = tuple(compile_node(n, params) for n in nodes) + extra
    return All(items) if items else TRUE


def _periods(rule: Rule) -> list[tuple[dt.date, dt.date | None]]:
    """Split the validity window at every date where a parameter value changes."""
    cuts = sorted({d for p in rule.parameters.values() for d in p.values if rule.valid_from < d
                   and (rule.valid_to is None or d <= rule.valid_to)})
    starts = [rule.valid_from, *cuts]
    out: list[tuple[dt.date, dt.date | None]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - ONE_DAY if i + 1 < len(starts) else rule.valid_to
        out.append((start, end))
    return out


def _params_at(rule: Rule, day: dt.date) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for name, param in rule.parameters.items():
        dates = [d for d in param.values if d <= day]
        out[name] = param.values[max(dates)] if dates else None
    return out


def default_bases(rule: Rule) -> tuple[str, ...]:
    """The bases a rule applies on unless it names them."""
    if rule.bases:
        return tuple(rule.bases)
    if rule.kind == "admission":
        return ("admission",)
    if rule.kind == "object":
        return ("holds", "planned")
    if rule.deadline is not None and rule.deadline.kind == "before_event":
        return ("holds", "planned", "proposed", "appointed")
    return ("holds", "planned")


def _deadline(deadline: Deadline | None, params: dict[str, int | None]) -> ResolvedDeadline | None:
    if deadline is None:
        return None
    if deadline.kind == "months_after":
        months, missing = _resolve(deadline.months_after, params)
        return ResolvedDeadline("months_after", None if missing else int(months), missing, deadline.from_)
    return ResolvedDeadline(deadline.kind, on=deadline.on)


def compile_rule(loaded: LoadedRule) -> list[ConcreteRule]:
    """The concrete rules of one rule version: one per variant and window of its dated parameters."""
    rule = loaded.rule
    out: list[ConcreteRule] = []
    variants: list[Variant | None] = list(rule.variants) or [None]
    for start, end in _periods(rule):
        params = _params_at(rule, start)
        for variant in variants:
            requires = (variant.requires if variant and variant.requires else rule.requires)
            extra: tuple[Tree, ...] = ()
            if rule.kind == "admission" and rule.programmes:
                extra = (Cond(FactRef("course.programme"), "in", tuple(rule.programmes)),)
            applies = _all(list(rule.applies_when) + (list(variant.when) if variant else []), params, extra)
            req_tree: Tree | None = None
            requirement = ""
            is_programme = False
            since_event = False
            if requires is not None and requires.programme is not None:
                args: tuple[tuple[str, Any], ...] = (("programme", requires.programme),)
                if requires.since:
                    args += (("since", requires.since),)
                req_tree = Cond(FactRef("credential", args), "eq", True)
                requirement, is_programme, since_event = requires.programme, True, requires.since == "event"
            elif requires is not None and requires.condition is not None:
                req_tree = _all(list(requires.test or []), params)
                requirement = requires.condition
            elif rule.kind == "object" and rule.programmes:
                requirement, is_programme = rule.programmes[0], True
            key = f"{rule.id}@{rule.version}" + (f"/{variant.key}" if variant else "")
            key += f"#{start.isoformat()}" if len(_periods(rule)) > 1 else ""
            remedy = (variant.remedy if variant and variant.remedy else None) or rule.remedy
            if remedy is None and is_programme and rule.kind == "requirement":
                remedy = requirement
            verified = rule.verified and (variant.verified if variant and variant.verified is not None else True)
            out.append(ConcreteRule(
                key=key, loaded=loaded, variant=variant, window_from=start, window_to=end, anchor=rule.anchor,
                bases=default_bases(rule), applies=applies, requires=req_tree, requirement=requirement,
                requirement_is_programme=is_programme, since_event=since_event,
                exemptions=tuple((e, _all(list(e.when), params)) for e in rule.exemptions),
                deadline=_deadline(rule.deadline, params), remedy=remedy, verified=verified,
                source=(variant.source if variant and variant.source else rule.source),
                params=tuple(sorted(params.items())),
            ))
    return out


def compile_rulebook(book: Rulebook) -> list[ConcreteRule]:
    """The concrete rules of every rule of the book."""
    compiled: list[ConcreteRule] = []
    for loaded in book.rules:
        compiled.extend(compile_rule(loaded))
    return compiled


def facts_read(loaded: LoadedRule) -> list[str]:
    """The facts (engine/rules/facts.py) the rule's versions read, with their arguments."""
    return sorted({ref.key for concrete in compile_rule(loaded) for ref in rule_facts(concrete)})


__all__ = ["AnyOf", "compile_node", "compile_rule", "compile_rulebook", "default_bases", "facts_read"]
