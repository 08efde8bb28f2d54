"""`dtbd plan`, `dtbd shortlist`, `dtbd readiness` through click's CliRunner (the JSON shapes)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.commands.plan import CSV_FIELDS
from cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests" / "data" / "plan_demo"
MINI = ROOT / "tests" / "data" / "mini_rules"
PLAN_RULES = DEMO / "rules"


def run(*args: str, rules: Path = MINI, backend: str = "python", data: Path = DEMO) -> Result:
    extra = ["--backend", backend] if backend else []
    return CliRunner().invoke(cli, [*args, "--data", str(data), "--rulesets", str(rules), *extra])


def payload(*args: str, **kw: Any) -> dict[str, Any]:
    result = run(*args, "--json", **kw)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


# -- plan ---------------------------------------------------------------------------------------
def test_plan_json_has_the_contract_shape() -> None:
    data = payload("plan", "--year", "2026")
    assert data["year"] == 2026 and data["as_of"] == "2026-01-15"
    assert data["assignments"] and data["unassigned"] and data["by_programme"]
    for item in data["assignments"]:
        assert {"person", "programme", "course", "course_end", "deadline", "basis", "rule"} <= set(item)
        assert item["basis"] in ("holds", "planned", "object")
    for item in data["unassigned"]:
        assert {"person", "programme", "deadline", "why"} <= set(item)
    for item in data["by_programme"]:
        assert {"programme", "assigned", "quota", "capacity"} <= set(item)


def test_plan_content_with_the_mini_pack() -> None:
    data = payload("plan")  # default year: the as-of year
    assert data["year"] == 2026
    got = {(a["person"], a["programme"]): a for a in data["assignments"]}
    assert got[("P05", "llct-cao-cap")]["course"] == "K26-CC-01"
    assert got[("P05", "llct-cao-cap")]["basis"] == "planned"
    assert got[("P05", "llct-cao-cap")]["deadline"] == "2027-01-01"
    late = [a for a in data["assignments"] if a["course"] == "K26-TC-02"]
    assert late and all(a["late"] for a in late)
    why = {(u["person"], u["programme"]): u for u in data["unassigned"]}
    assert why[("P01", "llct-cao-cap")]["why"] == (
        "cần khóa cao cấp lý luận chính trị trước 01/05/2027: các khóa đã đủ chỉ tiêu/hết chỗ")
    assert why[("P07", "llct-cao-cap")]["why"].startswith(
        "cần khóa cao cấp lý luận chính trị trước 01/01/2027: không đủ điều kiện dự học: nghỉ hưu từ 31/08/2026")
    counts = {b["programme"]: b for b in data["by_programme"]}
    assert (counts["llct-trung-cap"]["quota"], counts["llct-trung-cap"]["assigned"],
            counts["llct-trung-cap"]["capacity"]) == (4, 4, 5)
    assert counts["llct-cao-cap"]["shortfall"] == 1
    assert data["optimal"] is True


def test_plan_admission_reasons_carry_citations() -> None:
    data = payload("plan", rules=PLAN_RULES)
    why = {(u["person"], u["programme"]): u for u in data["unassigned"]}
    p02 = why[("P02", "qlnn-chuyen-vien-chinh")]
    assert p02["kind"] == "not_admissible" and "Quyết định 421/QĐ-BNV" in p02["why"]
    p06 = why[("P06", "llct-trung-cap")]
    assert "Quy định 350-QĐ/TW" in p06["why"]
    quota = [q for q in data["quotas"] if q["unit"] == "SNV"]
    assert quota == [{"year": 2026, "programme": "ldql-cap-phong", "mode": None, "unit": "SNV", "target": 2,
                      "assigned": 2, "shortfall": 0}]


def test_plan_next_year_uses_next_year_courses() -> None:
    data = payload("plan", "--year", "2027")
    assert {a["course"] for a in data["assignments"]} == {"K27-CC-01"}
    assert {a["person"] for a in data["assignments"]} == {"P01", "P05"}


def test_plan_table_vi_and_en() -> None:
    result = run("plan")
    assert result.exit_code == 0, result.output
    for text in ("KẾ HOẠCH CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG NĂM 2026", "Họ và tên", "Tình trạng", "Căn cứ (chức vụ)",
                 "Khóa học", "Kết thúc", "Chỉ tiêu", "Đã xếp", "Sức chứa",
                 "Hoàng Văn Em", "không đủ điều kiện dự học"):
        assert text in result.output
    result = run("plan", "--lang", "en")
    assert result.exit_code == 0 and "Full name" in result.output and "needs advanced political theory" in result.output


def test_plan_csv() -> None:
    result = run("plan", "--format", "csv", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == CSV_FIELDS
    assert len(rows) - 1 == len(payload("plan")["assignments"])


def test_plan_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.json"
    result = run("plan", "--json", "--mkdir", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"Đã ghi: {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["year"] == 2026
    assert [p.name for p in target.parent.iterdir()] == ["plan.json"]


@pytest.mark.parametrize("command", [["plan"], ["shortlist", "--course", "K26-TC-01"], ["readiness"]])
def test_xlsx(tmp_path: Path, command: list[str]) -> None:
    import openpyxl

    target = tmp_path / "list.xlsx"
    result = run(*command, "--format", "xlsx", "--output", str(target), rules=PLAN_RULES)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet["A1"].value


def test_plan_same_with_the_durable_engine() -> None:
    durable, python = payload("plan", rules=PLAN_RULES, backend=""), payload("plan", rules=PLAN_RULES)
    assert durable.pop("provenance")["command"] != python.pop("provenance")["command"]
    assert durable == python


def test_plan_bad_year_is_a_usage_error() -> None:
    assert run("plan", "--year", "twenty").exit_code == 2


# -- shortlist ----------------------------------------------------------------------------------
def test_shortlist_json_has_the_contract_shape() -> None:
    data = payload("shortlist", "--course", "K26-CC-01")
    assert (data["course"], data["programme"], data["capacity"]) == ("K26-CC-01", "llct-cao-cap", 1)
    (first,) = data["nominees"]
    assert {"rank", "person", "deadline", "reasons"} <= set(first)
    assert (first["rank"], first["person"], first["deadline"]) == (1, "P05", "2027-01-01")
    assert first["rule"] == "ND29-CAOCAP" and first["reasons"]
    assert [(r["rank"], r["person"]) for r in data["reserves"]] == [(2, "P01")]
    assert [e["person"] for e in data["excluded"]] == ["P07"]
    assert "nghỉ hưu" in data["excluded"][0]["why"][0]


def test_shortlist_objects_and_exclusions_with_the_planning_pack() -> None:
    data = payload("shortlist", "--course", "K26-TC-02", rules=PLAN_RULES)
    excluded = {e["person"]: e["why"] for e in data["excluded"]}
    assert "không tập trung" in " ".join(excluded["P10"])
    result = run("shortlist", "--course", "K26-TC-01", rules=PLAN_RULES)
    assert result.exit_code == 0
    assert "Đề cử" in result.output and "Dự bị" in result.output and "Không đủ điều kiện dự học" in result.output


def test_shortlist_unknown_course() -> None:
    result = run("shortlist", "--course", "K26-TC1")
    assert result.exit_code == 1
    assert "K26-TC-01" in result.output


def test_shortlist_needs_a_course() -> None:
    assert run("shortlist").exit_code == 2


def test_shortlist_csv() -> None:
    result = run("shortlist", "--course", "K26-CC-01", "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["list"], r["person"]) for r in rows] == [("nominee", "P05"), ("reserve", "P01"), ("excluded", "P07")]


# -- readiness ----------------------------------------------------------------------------------
def test_readiness_json_and_table() -> None:
    data = payload("readiness", rules=PLAN_RULES)
    people = {p["person"]: p for p in data["people"]}
    assert people["P05"]["status"] == "ready_from" and people["P05"]["ready_from"] == "2026-12-18"
    assert people["P07"]["status"] == "unscheduled" and people["P07"]["missing"] == ["llct-cao-cap"]
    result = run("readiness", rules=PLAN_RULES)
    assert "sẵn sàng từ 18/12/2026" in result.output and "chưa xếp được khóa" in result.output
    only = payload("readiness", "--position", "STC-GD", rules=PLAN_RULES)
    assert [p["person"] for p in only["people"]] == ["P05"]


def test_readiness_unknown_position() -> None:
    result = run("readiness", "--position", "STC-G")
    assert result.exit_code == 1 and "STC-GD" in result.output


# -- the bundled demo with the real packs ----------------------------------------------------------------
def test_the_bundled_demo() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["plan", "--json", "--data", str(ROOT / "fixtures" / "demo")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["assignments"]
    courses = {c["course"] for c in data["assignments"]}
    seats: dict[str, int] = {}
    for a in data["assignments"]:
        seats[a["course"]] = seats.get(a["course"], 0) + 1
    import yaml

    capacity = {c["id"]: c["capacity"] for c in yaml.safe_load((ROOT / "fixtures/demo/courses.yaml").read_text())}
    assert all(seats[c] <= capacity[c] for c in courses)
    course = sorted(courses)[0]
    result = runner.invoke(cli, ["shortlist", "--course", course, "--json", "--data", str(ROOT / "fixtures" / "demo")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["readiness", "--json", "--data", str(ROOT / "fixtures" / "demo")])
    assert result.exit_code == 0, result.output


def test_plan_json_on_standard_output_is_pure_json() -> None:
    """The solver library prints a banner on first use; it must not reach standard output."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "cli", "plan", "--json", "--data", str(root / "fixtures" / "demo")],
                          cwd=root, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["optimal"] is True
