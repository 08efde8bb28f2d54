"""`dtbd validate`: every problem as FILE:LINE field, exit 1; a summary and exit 0 when the data is clean."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cli.main import cli
from engine import codes, workspace
from engine.errors import InputError, Problem

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal"
BROKEN = HERE / "broken"


@pytest.fixture
def packs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A stand-in rule pack loader: these tests are about the dataset, not the packs."""
    asked: list[list[str]] = []

    def load_rulebook(root: Path | None, names: list[str]) -> SimpleNamespace:
        asked.append(names)
        return SimpleNamespace(programme_codes={*codes.PROGRAMME.values, "llct-cao-cao"})

    monkeypatch.setattr(workspace, "load_rulebook", load_rulebook)
    return asked


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_valid_dataset_prints_a_summary_in_vietnamese(packs: list[list[str]]) -> None:
    code, output = run("--data", str(MINIMAL))
    assert code == 0, output
    assert packs == [["national"]]
    assert "Bộ dữ liệu: Tỉnh mẫu tối thiểu" in output
    assert "Ngày đánh giá: 15/01/2026" in output
    assert "công chức" in output and "cấp sở" in output and "cấp phòng" in output
    assert "quá trình giữ chức vụ" in output


def test_valid_dataset_summary_in_english_and_json(packs: list[list[str]]) -> None:
    code, output = run("--data", str(MINIMAL), "--lang", "en", "--as-of", "2026-06-01")
    assert code == 0, output
    assert "As of: 2026-06-01" in output and "civil servant" in output
    code, output = run("--data", str(MINIMAL), "--json")
    data = json.loads(output)
    assert code == 0
    assert data["people_by_category"] == {"cong-chuc": 2}
    assert data["positions_by_tier"] == {"cap-phong": 1, "cap-so": 1}
    assert data["counts"]["appointments"] == 3 and data["counts"]["current"] == 2


def test_broken_dataset_lists_file_line_field(packs: list[list[str]]) -> None:
    code, output = run("--data", str(BROKEN / "impossible-date"))
    assert code == 1
    assert f"{BROKEN / 'impossible-date' / 'people.yaml'}:3 birth_date: " in output
    assert "impossible date" in output and "Traceback" not in output


def test_codes_declared_by_the_rule_packs_are_accepted(packs: list[list[str]]) -> None:
    code, output = run("--data", str(BROKEN / "unknown-code"))
    assert code == 0, output


def test_rule_pack_and_data_problems_are_listed_together(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_packs(root: Path | None, names: list[str]) -> SimpleNamespace:
        raise InputError([Problem("rulesets/national/pack.yaml", 2, "title", "required value missing")])

    monkeypatch.setattr(workspace, "load_rulebook", broken_packs)
    code, output = run("--data", str(BROKEN / "duplicate-id"), "--json")
    assert code == 1
    problems = json.loads(output)["problems"]
    assert [(Path(p["file"]).name, p["line"], p["field"]) for p in problems] == [
        ("people.yaml", 7, "id"), ("pack.yaml", 2, "title"),
    ]


def test_codes_not_declared_by_the_rule_packs_are_refused() -> None:
    code, output = run("--data", str(BROKEN / "unknown-code"))
    assert code == 1
    assert "credentials.yaml:5 programme: " in output


def test_unknown_data_folder_is_one_line(tmp_path: Path) -> None:
    code, output = run("--data", str(tmp_path / "nowhere"))
    assert code == 1
    assert output.count("\n") == 1 and "nowhere" in output


def test_unsupported_format_is_a_usage_error() -> None:
    code, _ = run("--data", str(MINIMAL), "--format", "xlsx")
    assert code == 2
