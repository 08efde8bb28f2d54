"""Concrete rules built by hand for the engine tests (a support module: test modules import it)."""

from __future__ import annotations

import datetime as dt

from engine.rules.compiled import ConcreteRule, Tree
from engine.rules.rulebook import LoadedRule
from engine.rules.schema import Exemption, Rule, Source

RULE = Rule(id="T", title_vi="t", title="t", source=Source(instrument="x", article=1), text_vi="t", strength="law",
            verified=True, valid_from=dt.date(2020, 1, 1), requires={"condition": "c", "test": []}
            if False else {"programme": "p"}, deadline={"none": True})


def concrete(key: str, applies: Tree, requires: Tree, exemptions: list[Tree]) -> ConcreteRule:
    loaded = LoadedRule(RULE, "t.yaml", 1, "national")
    return ConcreteRule(
        key=key, loaded=loaded, variant=None, window_from=dt.date(2020, 1, 1), window_to=dt.date(2030, 1, 1),
        anchor="event", bases=("proposed",), applies=applies, requires=requires, requirement="c",
        requirement_is_programme=False, since_event=False,
        exemptions=tuple((Exemption(id=f"e{i}", when=[], text_vi="x") if False else _exemption(i), t)
                         for i, t in enumerate(exemptions)),
        deadline=None, remedy=None, verified=True, source=RULE.source, params=())


def _exemption(i: int) -> Exemption:
    return Exemption.model_construct(id=f"e{i}", when=[], text_vi="miễn")
