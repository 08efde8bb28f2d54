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

    def partition_rules(self, basis: str, value: str) -> list[ConcreteRule]:
        """The compiled rules of one partition of a basis."""
    def partition_of(self, basis: str, values: dict[str, Any]) -> str:
        """The partition of a context of `basis` whose facts are `values`."""
    def evaluate(self, contexts: Sequence[ContextInput]) -> list[tuple[str, str, str]]:
        """The outcomes (context id, rule key, outcome) of every rule that fires in `contexts`."""


class PythonProgram:
    """The oracle backend: same partitions as the engine, evaluation by engine.rules.oracle."""

    def __init__(self, rules: Sequence[ConcreteRule]) -> None:
        self.partitions = Partitions(rules)

    def partition_of(self, basis: str, values: dict[str, Any]) -> str:
        """The partition of a context of `basis` whose facts are `values`."""
        return self.partitions.value_of(basis, values)

    def partition_rules(self, basis: str, value: str) -> list[ConcreteRule]:
        """The compiled rules of one partition of a basis."""
        return self.partitions.rules(basis, value)

    def evaluate(self, contexts: Sequence[ContextInput]) -> list[tuple[str, str, str]]:
        """The outcomes (context id, rule key, outcome), worked out by engine.rules.oracle."""
        out = []
        for cid, basis, value, values in contexts:
            for key, result in oracle_evaluate(self.partition_rules(basis, value), values):
                out.append((cid, key, result))
        return out


def make_backend(rules: Sequence[ConcreteRule], name: str) -> Backend:
    """The backend `name`: "python" (the oracle) or "durable" (durable-rules)."""
    if name == "python":
        return PythonProgram(rules)
    from engine.rules.durable_backend import DurableProgram

    return DurableProgram(rules)


__all__ = ["Backend", "ContextInput", "PythonProgram", "make_backend"]
