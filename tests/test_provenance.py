"""Provenance on every output (issue 15, item 4): the version, a hash of each rule pack and of the dataset's
files, the as-of date, when and by which command line; the same inputs give the same hashes, and a
changed rule file changes its own pack's hash only."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli.main import cli
from engine.provenance import dtbd_version
from tests.provenance_support import neutral

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
THANH_HOA = ROOT / "fixtures" / "demo-thanh-hoa"


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 3), result.output
    return result


def block(*args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run(*args, "--json").output)["provenance"]
    return found


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    return dt.datetime.fromtimestamp(1795000000, dt.UTC)


def test_version_option() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"dtbd {dtbd_version()}"
    assert dtbd_version() != "unknown"


def test_check_json_names_everything_it_was_made_from(fixed_clock: dt.datetime) -> None:
    found = block("check", "CB0301", "--data", str(THANH_HOA))
    assert found["dtbd"] == dtbd_version()
    assert list(found["rulesets"]["packs"]) == ["national", "local/thanh-hoa"]
    assert all(v.startswith("sha256:") and len(v) == 71 for v in found["rulesets"]["packs"].values())
    assert found["rulesets"]["sources"].startswith("sha256:")
    files = found["data"]["files"]
    assert "people.csv" in files and "dataset.yaml" in files and found["data"]["hash"].startswith("sha256:")
    assert found["as_of"] == "2026-11-23"
    assert found["generated_at"] == fixed_clock.isoformat()
    assert found["command"] == ["dtbd", "check", "CB0301", "--data", str(THANH_HOA), "--json"]


def test_same_inputs_same_hashes_and_a_changed_rule_file_changes_its_pack(tmp_path: Path) -> None:
    rules, data = tmp_path / "rulesets", tmp_path / "data"
    shutil.copytree(ROOT / "rulesets", rules)
    shutil.copytree(THANH_HOA, data)
    args = ("check", "CB0301", "--data", str(data), "--rulesets", str(rules))
    first, second = block(*args), block(*args)
    assert first["rulesets"] == second["rulesets"] and first["data"] == second["data"]
    llct = rules / "national" / "llct.yaml"
    llct.write_text(llct.read_text(encoding="utf-8") + "\n# một dòng chú thích\n", encoding="utf-8")
    changed = block(*args)
    assert changed["rulesets"]["packs"]["national"] != first["rulesets"]["packs"]["national"]
    assert changed["rulesets"]["packs"]["local/thanh-hoa"] == first["rulesets"]["packs"]["local/thanh-hoa"]
    assert changed["rulesets"]["sources"] == first["rulesets"]["sources"] and changed["data"] == first["data"]
    ratings = data / "ratings.csv"
    ratings.write_text(ratings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = block(*args)
    assert edited["data"]["hash"] != first["data"]["hash"]
    assert {k for k, v in edited["data"]["files"].items() if first["data"]["files"][k] != v} == {"ratings.csv"}


def test_the_same_rules_in_another_folder_hash_the_same(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "rulesets", tmp_path / "copy")
    here = block("check", "CB0301")
    there = block("check", "CB0301", "--rulesets", str(tmp_path / "copy"))
    assert here["rulesets"]["packs"] == there["rulesets"]["packs"]
    assert here["rulesets"]["root"] == "rulesets" and there["rulesets"]["root"] == str(tmp_path / "copy")


def test_every_json_output_carries_it() -> None:
    plan_data = ROOT / "tests" / "data" / "plan_demo"
    outputs = [("check", "CB0301"), ("check", "CB0002", "--for-position", "SNV-PGD1", "--on", "2026-12-01"),
               ("audit",), ("plan", "--data", str(plan_data), "--rulesets", str(plan_data / "rules")),
               ("shortlist", "--course", "K26-CC-01", "--data", str(plan_data), "--rulesets",
                str(plan_data / "rules")),
               ("readiness", "--data", str(plan_data), "--rulesets", str(plan_data / "rules"))]
    for args in outputs:
        found = block(*args)
        assert found["data"]["files"] and found["rulesets"]["packs"], args
    first = run("check", "--all", "--json", "--jobs", "1").output.splitlines()[0]
    assert json.loads(first)["provenance"]["rulesets"]["packs"]["national"].startswith("sha256:")


def test_tables_end_with_a_one_line_footer(fixed_clock: dt.datetime) -> None:
    national = block("check", "CB0301")["rulesets"]["packs"]["national"].split(":")[1][:12]
    cases = ((("check", "CB0301"), "lập lúc 18/11/2026 11:06 UTC"),
             (("audit", "--lang", "en"), "made 2026-11-18 11:06 UTC"), (("check", "--all", "--jobs", "1"), "lập lúc"))
    for args, made in cases:
        last = run(*args).output.rstrip("\n").splitlines()[-1]
        assert last.startswith("— dtbd ") and f"national {national}" in last and made in last, last
        assert "fixtures/demo" in last


def test_runs_differ_only_by_time_and_command_line() -> None:
    one = run("audit", "--json").output
    two = run("audit", "--json", "--backend", "python").output
    assert one != two and neutral(one) == neutral(two)


def test_xlsx_carries_it_in_the_page_footer(tmp_path: Path) -> None:
    out = tmp_path / "check.xlsx"
    run("check", "CB0301", "--format", "xlsx", "--output", str(out))
    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    text = sheet.oddFooter.left.text
    assert text.startswith("— dtbd ") and "national " in text and "fixtures/demo" in text
