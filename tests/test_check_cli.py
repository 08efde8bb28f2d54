"""`dtbd check` on the demo province: JSON, every status, eligibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli

STATUSES = {"met", "due", "overdue", "pending", "exempt", "missing", "violation", "unknown"}
FINDING_KEYS = {"rule", "status", "requirement", "for", "deadline", "source", "strength", "verified", "remedy",
                "explanation"}


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    return result


def assert_finding(finding: dict[str, Any]) -> None:
    assert finding.keys() >= FINDING_KEYS
    assert finding["status"] in STATUSES
    assert finding["strength"] in {"law", "party", "target", "local"}
    assert isinstance(finding["verified"], bool)
    assert finding["for"]["basis"] in {"holds", "planned", "proposed", "appointed"}
    assert finding["deadline"] is None or len(finding["deadline"]) == 10
    assert finding["source"] and finding["explanation"]


def assert_check_payload(payload: dict[str, Any]) -> None:
    assert set(payload) == {"person", "as_of", "eligible", "findings", "provenance"}
    assert len(payload["as_of"]) == 10
    for finding in payload["findings"]:
        assert_finding(finding)


def test_check_json_follows_the_contract() -> None:
    result = run("check", "CB0301", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert_check_payload(payload)
    assert payload["eligible"] is None
    statuses = {f["status"] for f in payload["findings"]}
    assert {"overdue", "due", "pending"} <= statuses
    transition = [f for f in payload["findings"] if f["rule"] == "ND29-TRANS-LLCT"]
    assert transition and transition[0]["deadline"] == "2027-05-01"
    assert "Nghị định 29/2024/NĐ-CP" in transition[0]["source"]


def test_check_all_json_lines_cover_every_status() -> None:
    result = run("check", "--all", "--json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    seen: set[str] = set()
    first, *lines = result.output.splitlines()
    assert set(json.loads(first)) == {"provenance"}  # the first line says what made the rest
    for line in lines:
        payload = json.loads(line)
        payload["provenance"] = None
        assert_check_payload(payload)
        seen |= {f["status"] for f in payload["findings"]}
    assert {"met", "due", "overdue", "pending", "exempt", "unknown"} <= seen


def test_for_position_eligible_and_ineligible() -> None:
    good = json.loads(run("check", "CB0033", "--for-position", "SNV-VP-TP", "--on", "2026-12-01", "--json").output)
    assert good["eligible"] is True
    assert {f["status"] for f in good["findings"]} == {"met"}
    assert all(f["for"]["basis"] == "proposed" for f in good["findings"])
    bad = json.loads(run("check", "CB0002", "--for-position", "SNV-PGD1", "--on", "2026-12-01", "--json").output)
    assert bad["eligible"] is False
    missing = {f["rule"] for f in bad["findings"] if f["status"] == "missing"}
    # A công chức appointed from 01/7/2025 is trained after appointment (NĐ 171/2025): CT28-PREAPPT is no
    # longer a precondition for him (law.md D7, rule 1); the plan and NĐ 29 standards still are.
    assert {"QH-REQUIRED", "ND29-TRUNGCAP"} <= missing and "CT28-PREAPPT" not in missing


def test_table_is_vietnamese_and_english_on_request() -> None:
    vi = run("check", "CB0301")
    assert vi.exit_code == 0 and "quá hạn" in vi.output and "Ghi chú" in vi.output
    assert "Nghị định 29/2024/NĐ-CP" in vi.output
    en = run("check", "CB0301", "--lang", "en")
    assert en.exit_code == 0 and "overdue" in en.output and "Notes" in en.output


SEVERITY = ["quá hạn", "đến hạn", "thiếu", "vi phạm", "chưa đủ dữ liệu", "chờ bổ sung", "miễn", "đạt"]


def table_statuses(text: str) -> list[str]:
    """The status cell of each numbered table row (between the dashes and the notes)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("---"))
    end = lines.index("Ghi chú")
    out = []
    for line in lines[start + 1:end]:
        head = line.split("  ")
        if head[0].strip().isdigit():
            out.append(next(p.strip() for p in head[1:] if p.strip()).rstrip(" *"))
    return out


def test_check_opens_with_the_summary_and_orders_rows_by_severity() -> None:
    result = run("check", "CB0301")
    findings = json.loads(run("check", "CB0301", "--json").output)["findings"]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["status"]] = counts.get(f["status"], 0) + 1
    labels = {"overdue": "quá hạn", "due": "đến hạn", "pending": "chờ bổ sung (chưa có thời hạn)", "met": "đạt",
              "exempt": "miễn", "unknown": "chưa đủ dữ liệu"}
    order = ["overdue", "due", "unknown", "pending", "exempt", "met"]
    expected = " · ".join(f"{counts[s]} {labels[s]}" for s in order if s in counts)
    lines = result.output.split("\n")
    summary = lines.index(f"TÓM TẮT — {len(findings)} yêu cầu")
    assert summary < 5  # after the person's name and the date, before any table
    assert lines[summary + 1].strip().startswith(expected)
    assert lines[summary + 2].strip().startswith("Việc gấp nhất: bồi dưỡng QLNN ngạch chuyên viên cao cấp: quá hạn "
                                                 "từ 01/05/2025")
    statuses = table_statuses(result.output)
    assert statuses == sorted(statuses, key=SEVERITY.index) and statuses[0] == "quá hạn" and statuses[-1] == "đạt"
    assert result.output.index("Ghi chú") > result.output.index("---")  # notes come last
    assert "1. ND29-TRANS-QLNN/giam-doc-so (" in result.output  # ids in the notes, not the table
    assert "ND29-TRANS-QLNN" not in result.output[:result.output.index("Ghi chú")]


def test_only_gaps_hides_met_and_exempt() -> None:
    result = run("check", "CB0301", "--only-gaps")
    statuses = table_statuses(result.output)
    assert statuses and "đạt" not in statuses and "miễn" not in statuses
    findings = json.loads(run("check", "CB0301", "--json").output)["findings"]
    assert len(statuses) == sum(1 for f in findings if f["status"] not in ("met", "exempt"))


def test_check_accepts_a_unique_name_and_lists_a_shared_one() -> None:
    by_name = run("check", "tran quoc hung", "--json")
    assert by_name.exit_code == 0 and json.loads(by_name.stdout)["person"] == "CB0301"
    shared = run("check", "Nguyễn Văn Tiến")
    assert shared.exit_code == 1
    assert "CB0032" in shared.output and "CB0254" in shared.output and "Traceback" not in shared.output
    post = run("check", "CB0301", "--for-position", "giám đốc sở nội vụ", "--json")
    assert post.exit_code == 0 and json.loads(post.stdout)["findings"][0]["for"]["position"] == "SNV-GD"


def test_check_for_position_states_the_verdict_in_the_summary() -> None:
    result = run("check", "CB0002", "--for-position", "SNV-PGD1", "--on", "2026-12-01")
    lines = result.output.split("\n")
    summary = next(i for i, line in enumerate(lines) if line.startswith("TÓM TẮT"))
    assert "CHƯA ĐỦ điều kiện" in lines[summary + 1]
    assert table_statuses(result.output)[0] == "thiếu"


@pytest.mark.parametrize(("args", "code", "words"), [
    (["check", "CB9999"], 1, ["CB9999"]),
    (["check", "CB0301", "--for-position", "KHONG-CO", "--on", "2026-12-01"], 1, ["KHONG-CO"]),
    (["check", "CB0301", "--as-of", "2026-02-30"], 2, ["impossible date"]),
    (["check"], 2, ["PERSON_ID"]),
])
def test_bad_ids_and_usage(args: list[str], code: int, words: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == code
    text = result.output + (result.stderr if result.stderr_bytes else "")
    for word in words:
        assert word in text
    assert "Traceback" not in text


def test_fail_on_findings_exit_code() -> None:
    assert run("check", "CB0301", "--fail-on-findings").exit_code == 3


def test_check_all_xlsx_has_findings_and_summary(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "ra-soat.xlsx"
    result = run("check", "--all", "--format", "xlsx", "--output", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Kết quả rà soát", "Tổng hợp"]
    sheet = book.worksheets[0]
    header_row = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Mã")
    assert "Căn cứ pháp lý" in header_row
    dates = [c for row in sheet.iter_rows() for c in row if getattr(c, "is_date", False) and c.value is not None]
    assert dates, "deadlines are real date cells"
