"""`dtbd audit`: table, JSON, CSV, xlsx, filters and exit codes.

The dataset is tests/data/audit_demo, evaluated with the test rule pack tests/data/mini_rules.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli

HERE = Path(__file__).parent
DEMO = HERE / "data" / "audit_demo"
MINI = HERE / "data" / "mini_rules"

FINDING_KEYS = {"rule", "status", "requirement", "for", "deadline", "source", "strength", "verified", "remedy",
                "explanation"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["audit", "--data", str(DEMO), "--rulesets", str(MINI), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict[str, Any]:
    code, out, _err = run("--json", *args)
    assert code == 0, out
    payload: dict[str, Any] = json.loads(out)
    return payload


def test_json_has_the_spec_shape() -> None:
    payload = run_json()
    assert {"from", "to", "appointments", "summary"} <= set(payload)
    assert payload["from"] == "2019-06-01" and payload["to"] == "2026-01-15"
    assert set(payload["summary"]) == {"total", "ok", "violation", "unknown"}
    assert payload["summary"] == {"total": 6, "ok": 4, "violation": 2, "unknown": 0}
    for item in payload["appointments"]:
        assert {"person", "position", "start", "kind", "status", "findings"} <= set(item)
        assert item["status"] in ("ok", "violation", "unknown")
        assert item["kind"] in ("bo-nhiem", "bo-nhiem-lai", "bau-cu")
        for finding in item["findings"]:
            assert set(finding) >= FINDING_KEYS
            assert finding["status"] in ("met", "violation", "unknown", "exempt")
            assert finding["for"]["basis"] == "appointed"
    # the transfer (điều động) of P5 is not audited
    assert "P5" not in {a["person"] for a in payload["appointments"]}


def test_json_violations_met_later_and_dossier_notes() -> None:
    items = {(a["person"], a["start"]): a for a in run_json()["appointments"]}
    late = items[("P2", "2024-05-01")]
    assert late["status"] == "violation" and late["violations"] == ["ND29-CAOCAP"]
    [caocap] = [f for f in late["findings"] if f["rule"] == "ND29-CAOCAP"]
    assert caocap["met_later"] == "2024-06-01" and "bổ sung sau, ngày 01/06/2024" in caocap["explanation"]
    assert caocap["source"] == "Khoản 2 Điều 6 Nghị định 29/2024/NĐ-CP"
    # the day before Nghị định 29/2024 took effect: no cao cấp requirement
    assert items[("P6", "2024-04-30")]["status"] == "ok"
    # exactly 60 months to retirement on the start date (no submitted, no decided) → met, with a note
    exact = items[("P1", "2021-08-15")]
    [age] = [f for f in exact["findings"] if f["rule"] == "AGE-FULLTERM"]
    assert age["status"] == "met" and exact["dossier_date"] == {"date": "2021-08-15", "field": "start"}
    assert any("lấy theo ngày bắt đầu giữ chức vụ" in d for d in age["details"])
    assert items[("P3", "2021-09-01")]["violations"] == ["AGE-FULLTERM"]
    elected = items[("P4", "2024-01-01")]
    assert elected["kind"] == "bau-cu" and elected["dossier_date"]["field"] == "decided"


def test_json_summaries_by_unit_and_year() -> None:
    payload = run_json()
    assert [(r["unit"], r["total"], r["violation"], r["rate"]) for r in payload["by_unit"]] == [
        ("HA", 1, 0, 0.0), ("HA-NV", 2, 1, 0.5), ("SNV", 2, 0, 0.0), ("SYT", 1, 1, 1.0)]
    assert [(r["year"], r["total"], r["ok"], r["violation"]) for r in payload["by_year"]] == [
        (2019, 1, 1, 0), (2021, 2, 1, 1), (2024, 3, 2, 1)]


def test_filters_period_unit_and_person() -> None:
    payload = run_json("--from", "2021-01-01", "--to", "31/12/2021")
    assert payload["from"] == "2021-01-01" and payload["to"] == "2021-12-31"
    assert [a["person"] for a in payload["appointments"]] == ["P1", "P3"]
    by_unit = run_json("--unit", "HA")  # HA and the Phòng Nội vụ under it
    assert [(a["person"], a["position"]) for a in by_unit["appointments"]] == [
        ("P4", "HA-NV-TP"), ("P3", "HA-NV-TP"), ("P4", "HA-CT")]
    assert by_unit["summary"] == {"total": 3, "ok": 2, "violation": 1, "unknown": 0}
    assert [a["start"] for a in run_json("--person", "P4")["appointments"]] == ["2019-06-01", "2024-01-01"]
    assert run_json("--from", "2025-01-01")["appointments"] == []


def test_table_in_vietnamese() -> None:
    code, out, _ = run()
    assert code == 0
    for text in ("STT", "Họ và tên", "Chức vụ", "Ngày bổ nhiệm", "Hình thức", "Kết quả", "Vi phạm",
                 "Phạm Thị Dung", "01/05/2024", "bầu cử", "ND29-CAOCAP", "bổ sung sau, ngày 01/06/2024",
                 "Tổng hợp theo đơn vị", "Tổng hợp theo năm", "Sở Y tế", "100,0%", "33,3%",
                 "Khoản 2 Điều 6 Nghị định 29/2024/NĐ-CP"):
        assert text in out, text
    assert "Vũ Văn Hải" not in out  # the transfer


def test_table_in_english() -> None:
    code, out, _ = run("--lang", "en")
    assert code == 0
    for text in ("Full name", "Start", "Result", "violation", "met only later, on 2024-06-01", "Summary by unit",
                 "Summary by year", "33.3%", "election"):
        assert text in out, text


def test_empty_period_table() -> None:
    code, out, _ = run("--from", "2025-01-01")
    assert code == 0 and "Không có lần bổ nhiệm nào trong kỳ." in out


def test_csv_one_row_per_finding() -> None:
    code, out, _ = run("--format", "csv", "--lang", "en")  # the machine form, by key
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"person", "position", "start", "kind", "appointment_status", "rule", "status", "met_later",
            "source", "explanation"} <= set(rows[0])
    caocap = [r for r in rows if r["rule"] == "ND29-CAOCAP"]
    assert len(caocap) == 1 and caocap[0]["met_later"] == "2024-06-01"
    assert caocap[0]["appointment_status"] == "violation" and caocap[0]["person"] == "P2"
    # an appointment with no finding still has its row
    assert [r["rule"] for r in rows if r["person"] == "P4" and r["start"] == "2019-06-01"] == [""]


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out" / "audit.json"
    code, out, _ = run("--json", "--mkdir", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["total"] == 6


def test_xlsx_needs_an_output_file() -> None:
    code, _, err = run("--format", "xlsx")
    assert code == 2 and "--output" in err


def test_fail_on_findings_exits_3_only_with_a_violation() -> None:
    assert run("--fail-on-findings")[0] == 3
    assert run("--fail-on-findings", "--json")[0] == 3
    assert run("--fail-on-findings", "--person", "P1")[0] == 0
    assert run("--person", "P3")[0] == 0


@pytest.mark.parametrize(("option", "value", "kind"), [("--unit", "HA-N", "unit"), ("--person", "P9", "person")])
def test_unknown_id_exits_1_with_one_line(option: str, value: str, kind: str) -> None:
    code, out, err = run(option, value)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and kind in lines[0] and value in lines[0]


def test_usage_errors_exit_2() -> None:
    assert run("--from", "2024-01-01", "--to", "2023-01-01")[0] == 2
    assert run("--from", "31/02/2024")[0] == 2
