"""`dtbd rules verify` and the rulebook loader fail loudly on broken packs, naming file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from engine.errors import InputError
from engine.rules.loader import load_rulebook

BROKEN = Path(__file__).parent / "broken_rules"
MINI = Path(__file__).parent / "data" / "mini_rules"

CASES = {
    "typo-field": ["age.yaml:12", "dealine", "unknown field", "deadline"],
    "overlapping-versions": ["age.yaml:14", "AGE-X.valid_from", "overlaps version a"],
    "missing-source": ["age.yaml", "source", "Field required"],
    "unknown-fact": ["event.is_promoted", "unknown fact", "event.is_promotion"],
    "unknown-code": ["cap-sở", "unknown tier code", "cap-so"],
    "unknown-param": ["min_month", "unknown parameter", "min_months"],
    "past-instrument-end": ["age.yaml:2", "AGE-X.valid_to", "runs past the end of qd-80-2022 (ended 2025-10-07)"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_pack_is_refused_with_a_precise_message(case: str) -> None:
    with pytest.raises(InputError) as info:
        load_rulebook(BROKEN / case, ["national"])
    text = str(info.value)
    for keyword in CASES[case]:
        assert keyword in text, text


@pytest.mark.parametrize("case", sorted(CASES))
def test_verify_command_exits_1_on_broken_pack(case: str) -> None:
    result = CliRunner().invoke(cli, ["rules", "verify", "--rulesets", str(BROKEN / case)])
    assert result.exit_code == 1
    assert CASES[case][0] in result.output


def test_a_version_past_its_instrument_end_passes_when_it_says_why(tmp_path: Path) -> None:
    # law.md rule 39: a rule may outlive its instrument only with `continues_because` and a citation.
    root = tmp_path / "rules"
    shutil.copytree(BROKEN / "past-instrument-end", root)
    age = root / "national" / "age.yaml"
    age.write_text(age.read_text(encoding="utf-8").replace("    deadline: {before: event}\n", (
        "    deadline: {before: event}\n"
        "    continues_because:\n"
        "      text_vi: Văn bản thay thế giữ nguyên điều kiện.\n"
        "      source: {instrument: nd-29-2024, article: 1, confidence: C}\n")), encoding="utf-8")
    assert load_rulebook(root, ["national"]).rules
    ended = age.read_text(encoding="utf-8").replace("    valid_from: 2021-08-01\n",
                                                    "    valid_from: 2021-08-01\n    valid_to: 2025-10-07\n")
    age.write_text(ended.split("    continues_because:")[0], encoding="utf-8")
    assert load_rulebook(root, ["national"]).rules


def test_verify_passes_on_shipped_packs() -> None:
    result = CliRunner().invoke(cli, ["rules", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_unknown_pack_is_named() -> None:
    with pytest.raises(InputError) as info:
        load_rulebook(MINI, ["local/ha-noi"])
    assert "local/ha-noi" in str(info.value)


def test_rules_show_is_readable_and_names_scenarios_and_facts() -> None:
    result = CliRunner().invoke(cli, ["rules", "show", "TENURE-24M"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Phiên bản qd80: 18/08/2022 – 07/10/2025" in out and "Phiên bản qd377: 08/10/2025 –" in out
    assert "Khoản 3 Điều 18 Quy định 80-QĐ/TW" in out and "https://" in out
    assert "Tham số min_months: 24 từ 18/08/2022 months" in out
    assert "event.months_in_current_post" in out
    assert "tests/scenarios/national/tenure-24m.yaml" in out
    assert (Path(__file__).parent / "scenarios" / "national" / "tenure-24m.yaml").exists()
    data = CliRunner().invoke(cli, ["rules", "show", "TENURE-24M", "--json"])
    assert '"scenarios": "tests/scenarios/national/tenure-24m.yaml"' in data.output


def _rulesets_with_local(tmp_path: Path, extends: str) -> Path:
    root = tmp_path / "rulesets"
    shutil.copytree(Path(__file__).parent.parent / "rulesets", root)
    (root / "local" / "x").mkdir()
    (root / "local" / "x" / "pack.yaml").write_text(
        f"name: local/x\ntitle_vi: Thử\ntitle: Test\nextends: [{extends}]\n", encoding="utf-8")
    return root


def test_a_draft_pack_is_never_selected_by_a_dataset_and_never_extended(tmp_path: Path) -> None:
    # Issue 13, law.md rule 48: the NĐ 29 replacement draft is held as a pack that is not in force.
    with pytest.raises(InputError) as info:
        load_rulebook(None, ["national", "drafts/nd29-2025"])
    assert "is a draft, not in force" in str(info.value)
    assert load_rulebook(None, ["national", "drafts/nd29-2025"], allow_drafts=True).versions("ND29-DRAFT-LLCT")
    root = _rulesets_with_local(tmp_path, "drafts/nd29-2025")
    with pytest.raises(InputError) as info:
        load_rulebook(root, ["local/x"], allow_drafts=True)
    assert "local/x/pack.yaml extends: " in str(info.value) and "cannot extend the draft" in str(info.value)
    assert load_rulebook(_rulesets_with_local(tmp_path / "ok", "national"), ["local/x"]).packs
    verify = CliRunner().invoke(cli, ["rules", "verify", "--rulesets", str(root)])
    assert verify.exit_code == 1 and "cannot extend the draft" in verify.output
