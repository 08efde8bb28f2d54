"""The numbers of a plan a board files (issue 17, item 3): demand beside quota, "còn thiếu" against
both, and the allocation by unit × programme, in table, JSON and xlsx; checked against a count made
here from the plan's own lists and the people's units."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner

from cli.main import cli
from cli.xlsx_out import data_row, header_row

DEMO = Path(__file__).resolve().parent / "data" / "plan_demo"
ARGS = ["plan", "--year", "2026", "--data", str(DEMO), "--rulesets", str(DEMO / "rules")]


def _run(*extra: str) -> str:
    result = CliRunner().invoke(cli, [*ARGS, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_demand_is_not_hidden_by_the_quota() -> None:
    counts = {b["programme"]: b for b in json.loads(_run("--json"))["by_programme"]}
    # llct-trung-cap: 5 people need it, the quota is 4 and 3 are sent: 1 short of quota, 2 of demand.
    tc = counts["llct-trung-cap"]
    assert (tc["needs"], tc["quota"], tc["assigned"], tc["shortfall"], tc["unmet"]) == (5, 4, 3, 1, 2)
    for b in counts.values():
        assert b["unmet"] == max(0, b["needs"] - b["assigned"] - b["conditional"])


def test_allocation_by_unit_is_the_hand_count() -> None:
    data = json.loads(_run("--json"))
    unit_of = {p["id"]: p["unit"] for p in yaml.safe_load((DEMO / "people.yaml").read_text(encoding="utf-8"))}
    sent = Counter((unit_of[a["person"]], a["programme"]) for a in data["assignments"])
    needed = Counter((unit_of[a["person"]], a["programme"]) for a in data["assignments"] if a["basis"] != "object")
    needed.update((unit_of[u["person"]], u["programme"]) for u in data["unassigned"])
    by_unit = {(c["unit"], c["programme"]): c for c in data["by_unit"]}
    assert set(by_unit) == set(sent) | set(needed)
    for key, cell in by_unit.items():
        assert (cell["assigned"], cell["needs"], cell["unmet"]) == (sent[key], needed[key],
                                                                   max(0, needed[key] - sent[key])), key
    assert sum(c["assigned"] for c in data["by_unit"]) == len(data["assignments"])


def test_every_section_in_the_table_and_the_workbook(tmp_path: Path) -> None:
    text = _run()
    assert "Còn thiếu so với nhu cầu" in text and "Còn thiếu so với chỉ tiêu" in text
    assert "Phân bổ theo đơn vị" in text and "Nhu cầu" in text
    out = tmp_path / "plan.xlsx"
    _run("--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-2:] == ["Tổng hợp theo chương trình", "Phân bổ theo đơn vị"]
    counts = book["Tổng hợp theo chương trình"]
    assert [c.value for c in counts[header_row(counts)]] == [
        "Chương trình", "Nhu cầu", "Chỉ tiêu", "Đã xếp", "Xếp có điều kiện", "Sức chứa",
        "Còn thiếu so với nhu cầu", "Còn thiếu so với chỉ tiêu"]
    first = [c.value for c in counts[data_row(counts)]]
    assert first == ["trung cấp lý luận chính trị", 5, 4, 3, 0, 5, 2, 1]
    units = book["Phân bổ theo đơn vị"]
    rows = [[c.value for c in row] for row in units.iter_rows(min_row=data_row(units), max_row=units.max_row)]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    headers = [c.value for c in units[header_row(units)]]
    # Hand count from the plan's lists: 8 sent; 16 needs (3 + 3 unassigned of trung cấp at SNV, 1 at STC,
    # cao cấp 1 + 2, CVC 1, cấp phòng 4 + 2); 8 of them without a course.
    assert total[headers.index("Tổng số cử đi học")] == 8 and total[headers.index("Nhu cầu")] == 16
    assert total[headers.index("Còn thiếu so với nhu cầu")] == 8
