"""Fixtures shared by the test modules (support code they share lives in plain modules: planning_world,
rule_support, plan_oracle, scenario_support; no test module imports another)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.dataset import Dataset
from engine.loading import load_dataset
from engine.rules.loader import load_rulebook
from engine.rules.rulebook import Rulebook

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


@pytest.fixture(scope="session")
def book() -> Rulebook:
    """The bundled national pack (a module may define its own `book`)."""
    return load_rulebook(None, ["national"])


@pytest.fixture(scope="session")
def demo(book: Rulebook) -> Dataset:
    """The bundled demo province (fixtures/demo), loaded whole."""
    return load_dataset(DEMO, book.programme_codes)


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables are as wide as `COLUMNS`, else the terminal, else 120 columns (cli.layout): the tests do not
    depend on the terminal they run in (or on having none, as under pytest-xdist's workers)."""
    monkeypatch.setenv("COLUMNS", "120")
