"""The compiled form of rules: concrete rules with resolved parameters and condition trees.

One YAML rule becomes one concrete rule per (variant × parameter period). Both evaluators — the
durable-rules backend and the plain-Python oracle — read only this form, so they share one semantics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from engine.rules.rulebook import LoadedRule
from engine.rules.schema import Exemption, Rule, Source, Variant

UNKNOWN_PARAM = "__unknown_param__"


@dataclass(frozen=True)
class FactRef:
    """A derived fact a condition reads, with its arguments."""

    name: str
    args: tuple[tuple[str, Any], ...] = ()

    @property
    def key(self) -> str:
        """The fact's key (its name and arguments)."""
        if not self.args:
            return self.name
        inner = ",".join(f"{k}={_arg_text(v)}" for k, v in self.args)
        return f"{self.name}[{inner}]"

    def arg(self, name: str, default: Any = None) -> Any:
        """The argument `name`, or `default`."""
        return dict(self.args).get(name, default)


def _arg_text(value: Any) -> str:
    if isinstance(value, tuple):
        return "|".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Cond:
    """A leaf: `fact op value`. `unknown` names a parameter whose value is not confirmed."""

    fact: FactRef
    op: str  # eq ne in not_in lt lte gt gte exists
    value: Any
    unknown: str | None = None


@dataclass(frozen=True)
class All:
    """A conjunction of conditions."""

    items: tuple[Tree, ...]


@dataclass(frozen=True)
class AnyOf:
    """A disjunction of conditions."""

    items: tuple[Tree, ...]


Tree = Cond | All | AnyOf
TRUE: Tree = All(())


@dataclass(frozen=True)
class ResolvedDeadline:
    """A rule's deadline with its parameters resolved for one validity window."""

    kind: str  # before_event | months_after | fixed | none
    months: int | None = None
    months_unknown: str | None = None
    from_: str | None = None  # event | plan_approval
    on: dt.date | None = None


@dataclass(frozen=True)
class ConcreteRule:
    """One rule version (and variant) compiled for one window of its dated parameters."""

    key: str
    loaded: LoadedRule
    variant: Variant | None
    window_from: dt.date
    window_to: dt.date | None
    anchor: str  # event | as_of
    bases: tuple[str, ...]
    applies: Tree
    requires: Tree | None
    requirement: str  # programme code or condition code; object rules: the programme
    requirement_is_programme: bool
    since_event: bool
    exemptions: tuple[tuple[Exemption, Tree], ...]
    deadline: ResolvedDeadline | None
    remedy: str | None
    verified: bool
    source: Source
    params: tuple[tuple[str, int | None], ...]

    @property
    def rule(self) -> Rule:
        """The rule version it was compiled from."""
        return self.loaded.rule

    @property
    def kind(self) -> str:
        """The rule's kind (requirement, precondition, admission, object)."""
        return self.rule.kind

    def in_window(self, day: dt.date) -> bool:
        """Whether `day` is in the concrete rule's window."""
        return self.window_from <= day and (self.window_to is None or day <= self.window_to)


def facts_of(tree: Tree | None) -> list[FactRef]:
    """The facts a condition tree reads."""
    if tree is None:
        return []
    if isinstance(tree, Cond):
        return [tree.fact]
    out: list[FactRef] = []
    for item in tree.items:
        out.extend(facts_of(item))
    return out


def rule_facts(rule: ConcreteRule) -> set[FactRef]:
    """Every fact a concrete rule reads (applies, requires, exemptions)."""
    found = set(facts_of(rule.applies)) | set(facts_of(rule.requires))
    for _exemption, tree in rule.exemptions:
        found |= set(facts_of(tree))
    return found
