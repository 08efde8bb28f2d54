"""Who the rules are for: people of a category out of scope of the CBCCVC rules (người lao động, contract
workers: rulesets/vocabulary.yaml `out_of_scope_categories`) get findings only from the rules the vocabulary
names for that category (`rules_apply`, none today)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engine.evaluation.derive import Context
from engine.intake.vocabulary import vocabulary
from engine.rules.compiled import ConcreteRule

Fired = tuple[str, str, str]  # (context id, concrete rule key, outcome): what a backend gives


class Scope:
    """The categories out of scope and, for each, the rule ids that still apply to it."""

    def __init__(self) -> None:
        self.rules_apply = {entry.code: frozenset(entry.rules_apply)
                            for entry in vocabulary().out_of_scope_categories}

    def applies(self, category: str, rule_id: str) -> bool:
        """Whether the rule `rule_id` applies to a person of `category`."""
        allowed = self.rules_apply.get(category)
        return allowed is None or rule_id in allowed

    def keep(self, contexts: Sequence[Context], fired: Iterable[Fired],
             rules: dict[str, ConcreteRule]) -> list[Fired]:
        """The outcomes of `fired` whose rule applies to the context's person."""
        out = list(fired)
        if not self.rules_apply:
            return out
        category = {c.cid: c.records.person.category for c in contexts}
        return [f for f in out if self.applies(category[f[0]], rules[f[1]].rule.id)]


__all__ = ["Fired", "Scope"]
