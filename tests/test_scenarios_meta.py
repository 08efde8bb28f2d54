"""Every rule id has its scenario file and every fact its citation (issue 12 item 6)."""

from __future__ import annotations

from pathlib import Path

from engine.rules.facts import CATALOGUE
from engine.rules.loader import load_rulebook
from engine.yamlio import load_path

SCENARIOS = Path(__file__).parent / "scenarios"


def _scenario_rules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(SCENARIOS.rglob("*.yaml")):
        out[str(load_path(path)["rule"])] = path
    return out


def test_every_rule_id_has_a_scenario_file_named_after_it_in_its_packs_folder() -> None:
    book = load_rulebook(None, ["national", "local/thanh-hoa", "local/dong-nai"])
    files = _scenario_rules()
    missing = sorted({lr.rule.id for lr in book.rules} - set(files))
    assert not missing, f"rule ids without a scenario file: {missing}"
    for lr in book.rules:
        path = files[lr.rule.id]
        assert path.stem == lr.rule.id.lower(), path
        folder = path.parent.relative_to(SCENARIOS).as_posix()
        assert folder == lr.pack, (lr.rule.id, folder, lr.pack)


def test_every_fact_names_the_provision_or_data_field_it_implements() -> None:
    missing = sorted(name for name, spec in CATALOGUE.items() if not spec.source)
    assert not missing, f"facts without a source: {missing}"
