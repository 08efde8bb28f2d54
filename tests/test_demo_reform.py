"""The demo province across 01/7/2025 (two-level local government, NĐ 171/2025): the audit of each
appointment by the rules of its own day shows the change (issue 13; law.md rules 1, 39–42)."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from cli.main import cli

DEMO = Path(__file__).parent.parent / "fixtures" / "demo"


@lru_cache(maxsize=1)
def audited() -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["audit", "--data", str(DEMO), "--from", "2024-07-01", "--json"])
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.output)["appointments"]
    return items


def categories() -> dict[str, str]:
    with (DEMO / "people.csv").open(encoding="utf-8") as handle:
        return {row["id"]: row["category"] for row in csv.DictReader(handle)}


def units() -> tuple[dict[str, str], set[str]]:
    """Post -> unit, and the district (huyện) units."""
    posts = yaml.safe_load((DEMO / "positions.yaml").read_text(encoding="utf-8"))
    levels = yaml.safe_load((DEMO / "units.yaml").read_text(encoding="utf-8"))
    return {str(p["id"]): str(p["unit"]) for p in posts}, {str(u["id"]) for u in levels if u["level"] == "huyen"}


def test_civil_servants_need_the_leadership_certificate_before_appointment_only_up_to_30_june_2025() -> None:
    kinds = categories()
    before = [a for a in audited() if a["start"] < "2025-07-01" and kinds[a["person"]] == "cong-chuc"]
    after = [a for a in audited() if a["start"] >= "2025-07-01" and kinds[a["person"]] == "cong-chuc"]
    assert before and after
    assert any(f["rule"] == "CT28-PREAPPT" for a in before for f in a["findings"])
    assert not any(f["rule"] in ("CT28-PREAPPT", "TERM-5Y") for a in after for f in a["findings"])


def test_no_appointment_to_a_district_post_after_the_districts_dissolve() -> None:
    where, districts = units()
    assert any(where[a["position"]] in districts for a in audited() if a["start"] < "2025-07-01")
    assert not any(where[a["position"]] in districts for a in audited() if a["start"] >= "2025-07-01")
