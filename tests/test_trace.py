"""The decision trace (check/audit --explain, engine.trace) on six rule families — age, tenure, discipline window,
the NĐ 29 transition with an exemption, an equivalence, an admission rule — asserting the values and the records
they came from; and, over random persons, that trace outcomes agree with the findings for both backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli.main import cli
from engine.evaluation.evaluator import Evaluator
from engine.loading import load_dataset
from engine.rules.loader import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


def line_of(table: str, start: str) -> int:
    """The line of the demo's `table` file that starts with `start` (the record a trace must name)."""
    lines = (DEMO / table).read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, line in enumerate(lines, 1) if line.startswith(start)]
    return found


def run_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--explain", "--json"])
    assert result.exit_code in (0, 3), result.output
    payload: dict[str, Any] = json.loads(result.output)
    return payload


def audited(person: str, rule: str) -> list[dict[str, Any]]:
    payload = run_json("audit", "--person", person)
    return [f for a in payload["appointments"] for f in a["findings"] if f["rule"] == rule]


def checked(person: str, rule: str, *more: str) -> dict[str, Any]:
    (finding,) = [f for f in run_json("check", person, *more)["findings"] if f["rule"] == rule]
    return finding


def leaves(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        out.extend([item] if "fact" in item else leaves(item.get("any", item.get("all", []))))
    return out


def leaf(part: dict[str, Any], fact: str) -> dict[str, Any]:
    found = [x for x in leaves(part["conditions"]) if x["fact"].startswith(fact)]
    assert found, (fact, [x["fact"] for x in leaves(part["conditions"])])
    return found[0]


def source(item: dict[str, Any], table: str) -> dict[str, Any]:
    found = [s for s in item["sources"] if s.get("table") == table]
    assert found, item["sources"]
    return found[0]


def test_age_rule_names_the_retirement_day_birth_date_and_rows() -> None:
    (finding,) = [f for f in audited("CB0319", "AGE-FULLTERM") if f["trace"]["version"] == "kl08"]
    trace = finding["trace"]
    assert trace["version_chosen"]["anchor"] == "event" and trace["version_chosen"]["anchor_date"] == "2023-11-01"
    assert trace["version_chosen"]["valid_from"] == "2021-08-01"
    months = leaf(trace["requires"], "event.months_to_retirement")
    assert (months["value"], months["op"], months["target"], months["outcome"]) == (202, "gte", 60, "true")
    assert months["parameters"] == ["min_months_to_retirement"]
    person = source(months, "people")
    assert person["file"].endswith("people.csv") and person["line"] == line_of("people.csv", "CB0319,") \
        and person["record"]["id"] == "CB0319"
    assert "nghỉ hưu 31/07/2040" in person["note"] and "ngày sinh 07/07/1980" in person["note"]
    appointment = source(months, "appointments")
    assert appointment["record"]["submitted"] == "2023-09-12"
    assert appointment["line"] == line_of("appointments.csv", "CB0319,SYT-KHTC-TP,2023-11-01")
    assert trace["parameters"] == [{"name": "min_months_to_retirement", "value": 60, "unit": "months",
                                    "dated_from": "2021-08-01", "verified": trace["parameters"][0]["verified"],
                                    **({"source": trace["parameters"][0]["source"]}
                                       if "source" in trace["parameters"][0] else {})}]


def test_tenure_counts_the_months_in_the_previous_post_from_its_record() -> None:
    (finding,) = audited("CB0321", "TENURE-24M")
    assert finding["status"] == "violation"
    months = leaf(finding["trace"]["requires"], "event.months_in_current_post")
    assert months["outcome"] == "false" and months["value"] < months["target"]
    previous = [s for s in months["sources"] if s.get("table") == "appointments"]
    assert len(previous) >= 2  # the audited appointment and the earlier post(s) counted
    assert all(s["record"]["person"] == "CB0321" for s in previous)


def test_discipline_window_names_the_discipline_record() -> None:
    (finding,) = [f for f in audited("CB0319", "DISCIPLINE-BAR") if f["status"] == "violation"]
    within = leaf(finding["trace"]["requires"], "event.disciplined_within")
    assert within["value"] is True and within["outcome"] == "false"  # the test is "not disciplined within"
    record = source(within, "disciplines")
    assert record["record"]["person"] == "CB0319" and record["file"].endswith("disciplines.yaml")
    assert record["record"]["kind"] in within["fact"]


def test_nd29_transition_exemption_outcomes_values_and_records() -> None:
    finding = checked("CB0301", "ND29-TRANS-QLNN")
    trace = finding["trace"]
    assert finding["status"] == "overdue" and trace["outcome"] == "unmet" and trace["requires"]["outcome"] == "false"
    near, deemed = trace["exemptions"]
    assert (near["id"], near["outcome"]) == ("NEAR-RETIREMENT-24M", "false")
    months = leaf(near, "person.months_to_retirement")
    assert (months["value"], months["target"]) == (96, 24) and "on=2024-05-01" in months["fact"]
    assert "nghỉ hưu 31/05/2032" in source(months, "people")["note"]
    assert (deemed["id"], deemed["outcome"]) == ("DEEMED-QLNN-1848", "false")
    grade = leaf(deemed, "person.grade")
    assert (grade["value"], grade["outcome"], grade["field"]) == ("01.002", "false", "people.grade")
    exempt = checked("CB0308", "ND29-TRANS-LLCT")
    assert exempt["status"] == "exempt"
    assert any(e["outcome"] == "true" for e in exempt["trace"]["exemptions"])


def test_an_equivalent_credential_is_named_with_its_chain() -> None:
    finding = checked("CB0004", "ND29-CAOCAP")
    assert finding["status"] == "met"
    credential = leaf(finding["trace"]["requires"], "credential")
    row = source(credential, "credentials")
    assert row["record"]["programme"] == "cu-nhan-chinh-tri" and row["record"]["completed"] == "2006-02-04"
    assert row["file"].endswith("credentials.csv") and row["line"] > 1
    assert "tương đương" in row["note"] and "cao cấp lý luận chính trị" in row["note"]


def test_admission_rule_trace() -> None:
    book = load_rulebook(None, ["national"])
    dataset = load_dataset(DEMO, book.programme_codes)
    course = next(c for c in dataset.courses if c.programme == "qlnn-chuyen-vien-chinh")
    ev = Evaluator(book, dataset, backend="durable", lang="en", explain=True)
    people = [p.id for p in dataset.people]
    findings = []
    for pid in people[:80]:
        findings += [f for f in ev.evaluate([ev.admission_context(pid, course)]) if f.rule == "PREREQ-CVC"]
    missing = [f for f in findings if f.status == "missing"]
    met = [f for f in findings if f.status == "met"]
    assert missing and met
    for f in (missing[0], met[0]):
        assert f.trace is not None
        programme = leaf(f.trace["applies_when"], "course.programme")
        assert programme["value"] == "qlnn-chuyen-vien-chinh" and programme["outcome"] == "true"
        assert source(programme, "courses")["record"]["id"] == course.id
        assert f.trace["version_chosen"]["anchor_date"] == course.start.isoformat()
        need = leaf(f.trace["requires"], "credential")
        assert need["outcome"] == ("true" if f.status == "met" else "false")


def test_trace_table_tree_and_english() -> None:
    vi = CliRunner().invoke(cli, ["check", "CB0301", "--explain"])
    assert vi.exit_code == 0
    assert "Miễn trừ NEAR-RETIREMENT-24M" in vi.output and "✗ số tháng còn lại đến tuổi nghỉ hưu" in vi.output
    assert f"← fixtures/demo/people.csv:{line_of('people.csv', 'CB0301,')}" in vi.output
    en = CliRunner().invoke(cli, ["check", "CB0301", "--explain", "--lang", "en"])
    assert "Exemption NEAR-RETIREMENT-24M" in en.output and "months to retirement" in en.output
    plain = CliRunner().invoke(cli, ["check", "CB0301", "--json"])
    assert '"trace"' not in plain.output


def test_trace_on_the_second_xlsx_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "trace.xlsx"
    result = CliRunner().invoke(cli, ["check", "CB0301", "--explain", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[1] == "Giải thích"
    texts = [str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value is not None]
    where = f"people.csv:{line_of('people.csv', 'CB0301,')}"
    assert any("NEAR-RETIREMENT-24M" in t for t in texts) and any(where in t for t in texts)


def test_explain_is_for_one_person() -> None:
    assert CliRunner().invoke(cli, ["check", "--all", "--explain"]).exit_code == 2


def test_proposal_trace_names_the_plan_rows_and_the_proposal() -> None:
    payload = run_json("check", "CB0002", "--for-position", "SNV-PGD1", "--on", "2026-12-01")
    (finding,) = [f for f in payload["findings"] if f["rule"] == "QH-REQUIRED"]
    trace = finding["trace"]
    assert trace["context"]["basis"] == "proposed" and trace["version_chosen"]["anchor_date"] == "2026-12-01"
    planned = leaf(trace["requires"], "event.in_plan")
    assert (planned["value"], planned["outcome"]) == (False, "false")
    assert planned["sources"] and all(s["table"] == "plans" for s in planned["sources"])
    kind = leaf(trace["applies_when"], "event.kind")
    assert any(s.get("table") is None and "dòng lệnh" in s["note"] for s in kind["sources"])
