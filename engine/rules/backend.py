"""The two evaluators of compiled rules behind one protocol: the durable-rules program
(engine.rules.durable_backend, the default) and the plain-Python oracle (engine.rules.oracle), which
share partitions and give the same outcomes (tests/test_differential.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from engine.rules.compiled import ConcreteRule
from engine.rules.oracle import evaluate as oracle_evaluate
from engine.rules.partition import Partitions

ContextInput = tuple[str, str, str, dict[str, Any]]


class Backend(Protocol):
    """What the evaluator asks of a backend: the rules of a partition, a context's partition, and the
    outcomes (context id, rule key, outcome) of a batch of contexts."""

    def partition_rules(self, basis: str, value: str) -> list[ConcreteRule]: ...
    def partition_of(self, basis: str, values: dict[str, Any]) -> str: ...
    def evaluate(self, contexts: Sequence[ContextInput]) -> list[tuple[str, str, str]]: ...


class PythonProgram:
    """The oracle backend: same partitions as the engine, evaluation by engine.rules.oracle."""

    def __init__(self, rules: Sequence[ConcreteRule]) -> None:
        self.partitions = Partitions(rules)

    def partition_of(self, basis: str, values: dict[str, Any]) -> str:
        return self.partitions.value_of(basis, values)

    def partition_rules(self, basis: str, value: str) -> list[ConcreteRule]:
        return self.partitions.rules(basis, value)

    def evaluate(self, contexts: Sequence[ContextInput]) -> list[tuple[str, str, str]]:
        out = []
        for cid, basis, value, values in contexts:
            for key, result in oracle_evaluate(self.partition_rules(basis, value), values):
                out.append((cid, key, result))
        return out


def make_backend(rules: Sequence[ConcreteRule], name: str) -> Backend:
    if name == "python":
        return PythonProgram(rules)
    from engine.rules.durable_backend import DurableProgram

    return DurableProgram(rules)


__all__ = ["Backend", "ContextInput", "PythonProgram", "make_backend"]
