"""YAML scenarios collected per file (the pattern of OpenFisca's pytest plugin).

Each `*.yaml` file under this folder is a collector and each of its cases an item named by the case's
sentence, so `pytest tests/scenarios/national/tenure-24m.yaml` runs one rule's specification and a
failure names the file and the case. The folders mirror `rulesets/`: `national/` for the national pack,
`local/<province>/` for a local pack (whose cases default to `packs: [national, local/<province>]`),
`drafts/<draft>/` for a draft that is not in force (what it would change).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.rules.loader import load_rulebook
from engine.rules.rulebook import Rulebook
from engine.yamlio import load_path
from tests.scenario_support import mismatches, run_case

ROOT = Path(__file__).parent
_BOOKS: dict[tuple[str, ...], Rulebook] = {}


def book_for(packs: list[str]) -> Rulebook:
    key = tuple(packs)
    if key not in _BOOKS:
        _BOOKS[key] = load_rulebook(None, list(packs), allow_drafts=True)  # drafts/: what a draft would change
    return _BOOKS[key]


def default_packs(path: Path) -> list[str]:
    """The packs a scenario file's folder stands for: national/, or local/<province>/ over national."""
    parts = path.relative_to(ROOT).parts
    if parts[0] in ("local", "drafts") and len(parts) > 2:
        return ["national", f"{parts[0]}/{parts[1]}"]
    return ["national"]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and ROOT in file_path.parents:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        doc = load_path(self.path)
        packs = default_packs(self.path)
        seen: set[str] = set()
        for case in doc["cases"]:
            name = str(case["name"])
            if name in seen:
                raise ValueError(f"{self.path}: two cases are named {name!r}")
            seen.add(name)
            yield ScenarioItem.from_parent(self, name=name, rule=str(doc["rule"]), case=case, packs=packs)


class ScenarioItem(pytest.Item):
    def __init__(self, *, rule: str, case: dict[str, Any], packs: list[str], **kw: Any) -> None:
        super().__init__(**kw)
        self.rule = rule
        self.case = case
        self.packs = packs

    def runtest(self) -> None:
        book = book_for(self.case.get("packs", self.packs))
        findings = run_case(book, self.case)
        problems = mismatches(findings, self.case["expect"])
        if problems:
            lines = [f"  {f.rule}/{f.variant} {f.status} {f.deadline} {f.explanation}" for f in findings]
            raise ScenarioFailure("\n".join([*problems, "findings:", *lines]))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            return f"{self.path.name}: {self.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.rule}: {self.name}"


class ScenarioFailure(AssertionError):
    """A scenario's findings differ from its expectations."""
