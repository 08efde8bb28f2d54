"""CSV in the two forms of --lang (issue 17, item 6; cli.csv_form): under vi (the default) Vietnamese headers
and labels, dd/mm/yyyy dates, Có/Không, for a person opening the file in Excel; under en the machine form
(snake_case keys, code slugs, ISO dates) integrations read. Files start with the BOM; output files get
the umask's mode and a replaced file keeps its mode, whichever writer made them."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.commands.audit import CSV_FIELDS as AUDIT_FIELDS
from cli.commands.plan import CSV_FIELDS as PLAN_FIELDS
from cli.commands.shortlist import CSV_FIELDS as SHORTLIST_FIELDS
from cli.csv_form import COLUMNS, WORDS, CsvForm
from cli.main import cli
from cli.render_findings import CSV_FIELDS as FINDING_FIELDS
from engine import codes

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
DONG_NAI = ROOT / "fixtures" / "demo-dong-nai"
THANH_HOA = ROOT / "fixtures" / "demo-thanh-hoa"
PLAN_DEMO = ROOT / "tests" / "data" / "plan_demo"
PLAN = ["--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules")]
# Every code of the glossary's lists whose Vietnamese label differs from it ("nam" is both), the words of
# cli.csv_form, and the machine form's booleans: none may stand alone in a Vietnamese cell.
SLUGS = ({c.value for cl in codes.ALL.values() for c in cl.codes if c.value != c.vi}
         | {k for table in WORDS.values() for k in table} | {"true", "false", "True", "False"})
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SNAKE = re.compile(r"^[a-z]+(_[a-z]+)*$")

COMMANDS = [
    ["check", "CB0301", "--data", str(DEMO)],
    ["check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01", "--data", str(DEMO)],
    ["check", "--all", "--jobs", "1", *PLAN],
    ["check", "--all", "--stream", "--jobs", "1", "--data", str(DEMO)],
    ["audit", *PLAN], ["audit", "--stream", "--jobs", "1", "--data", str(DEMO)],
    ["plan", "--year", "2026", *PLAN], ["shortlist", "--course", "K26-TC-01", *PLAN], ["readiness", *PLAN],
    ["candidates", "--position", "SNV-GD", "--data", str(DEMO)], ["targets", "--data", str(THANH_HOA)],
    ["report", "phu-luc", "--years", "2027-2029", "--data", str(DONG_NAI)],
    ["people", "--data", str(DEMO)], ["positions", "--data", str(DEMO)], ["courses", "--data", str(DEMO)],
    ["validate", "--data", str(DEMO)],
    ["diff", "audit", "--packs-b", "national,local/thanh-hoa", "--jobs", "1", "--data", str(DEMO)],
]


def _csv(*args: str) -> list[list[str]]:
    result = CliRunner().invoke(cli, [*args, "--format", "csv"])
    assert result.exit_code in (0, 3), result.output
    return list(csv.reader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_vietnamese_csv_has_headers_and_labels_not_codes(command: list[str]) -> None:
    rows = _csv(*command)
    assert rows and rows[0], "no header"
    english = [h for h in rows[0] if SNAKE.match(h)]
    assert english == [], f"machine keys as headers: {english}"
    cells = [c for row in rows[1:] for c in row]
    assert [c for c in cells if c in SLUGS] == [], "code slugs in Vietnamese cells"
    assert [c for c in cells if ISO_DAY.match(c)] == [], "ISO dates in Vietnamese cells"


@pytest.mark.parametrize(("command", "keys"), [
    (["check", "CB0301", "--data", str(DEMO)], [*FINDING_FIELDS, "eligible"]),
    (["audit", *PLAN], AUDIT_FIELDS), (["plan", "--year", "2026", *PLAN], PLAN_FIELDS),
    (["shortlist", "--course", "K26-TC-01", *PLAN], SHORTLIST_FIELDS)], ids=lambda c: str(c[0]))
def test_english_csv_keeps_the_machine_form(command: list[str], keys: list[str]) -> None:
    rows = _csv(*command, "--lang", "en")
    assert rows[0] == list(keys)
    assert all(len(r) == len(keys) for r in rows[1:])  # one table, no sections


def test_check_for_position_says_eligible_in_vietnamese() -> None:
    rows = _csv("check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01", "--data", str(DEMO))
    column = rows[0].index("Đủ điều kiện")
    assert {r[column] for r in rows[1:]} == {"Không"}
    deadlines = [r[rows[0].index("Hạn")] for r in rows[1:] if r[rows[0].index("Hạn")]]
    assert deadlines and all(re.match(r"^\d{2}/\d{2}/\d{4}$", d) for d in deadlines)
    status = {r[rows[0].index("Trạng thái")] for r in rows[1:]}
    assert status <= {c.vi for c in codes.STATUS.codes} and status


def test_vietnamese_plan_csv_has_every_section() -> None:
    rows = _csv("plan", "--year", "2026", *PLAN)
    titles = [r[0] for i, r in enumerate(rows) if len(r) == 1 and i and not rows[i - 1]]
    assert titles == ["Trong đó: cử đi học có điều kiện", "Cần bổ sung dữ liệu", "Chưa xếp được",
                      "Tổng hợp theo chương trình", "Phân bổ theo đơn vị"]
    counts = rows[rows.index(["Tổng hợp theo chương trình"]) + 1]
    assert counts[:4] == ["Chương trình", "Nhu cầu", "Chỉ tiêu", "Đã xếp"]


def test_vietnamese_appendix_csv_has_both_tables() -> None:
    rows = _csv("report", "phu-luc", "--years", "2027-2029", "--data", str(DONG_NAI))
    assert rows[0][:4] == ["Stt", "Chương trình bồi dưỡng", "Đối tượng", "Tổng số"]
    language = next(i for i, r in enumerate(rows) if len(r) == 1 and "ngoại ngữ" in r[0])
    assert rows[language + 1][:3] == ["Stt", "Đối tượng", "Chỉ tiêu"] and len(rows) > language + 2


def test_the_form_labels_cells_by_kind() -> None:
    form = CsvForm(("status", "deadline", "verified", "share", "list", "programme", "gender"), "vi",
                   titles={"programme": {"p-x": "Chương trình X"}})
    assert form.row(["overdue", "2026-05-01", "true", 0.25, "reserve", "p-x", "nu"]) == [
        "quá hạn", "01/05/2026", "Có", "25", "Dự bị", "Chương trình X", "nữ"]
    assert form.headers() == [COLUMNS[k].vi for k in form.keys]
    machine = CsvForm(form.keys, "en")
    assert machine.row(["overdue", "2026-05-01", "true", 0.25, "reserve", "p-x", "nu"])[:2] == ["overdue",
                                                                                                "2026-05-01"]


def test_every_csv_key_has_a_vietnamese_header() -> None:
    from cli.commands.candidates import CSV_FIELDS as CANDIDATES
    from cli.commands.diff import CSV_FIELDS as DIFF
    from cli.commands.readiness import CSV_FIELDS as READINESS
    from cli.commands.targets import CSV_FIELDS as TARGETS
    from cli.commands.validate import GAP_FIELDS

    for keys in (FINDING_FIELDS, AUDIT_FIELDS, PLAN_FIELDS, SHORTLIST_FIELDS, CANDIDATES, DIFF, READINESS, TARGETS,
                 GAP_FIELDS):
        assert [k for k in keys if k not in COLUMNS] == []


# -- the mode of output files ----------------------------------------------------------------------------
WRITERS: list[tuple[str, list[str]]] = [
    ("csv", ["check", "CB0301", "--data", str(DEMO), "--format", "csv"]),
    ("csv", ["audit", "--stream", "--jobs", "1", "--data", str(DEMO), "--format", "csv"]),
    ("csv", ["check", "--all", "--jobs", "1", "--data", str(DEMO), "--format", "csv"]),
    ("csv", ["validate", "--data", str(DEMO), "--format", "csv"]),
    ("csv", ["people", "--data", str(DEMO), "--format", "csv"]),
    ("txt", ["plan", "--data", str(DEMO), "--summary"]),
    ("xlsx", ["plan", *PLAN, "--year", "2026", "--format", "xlsx"]),
    ("docx", ["shortlist", "--course", "K26-TC-01", *PLAN, "--format", "docx"]),
    ("docx", ["audit", *PLAN, "--format", "docx"]),
    ("xlsx", ["export", "--data", str(DEMO)]),
    ("xlsx", ["template"]),
    ("csv", ["diff", "audit", "--packs-b", "national,local/thanh-hoa", "--jobs", "1", "--data", str(DEMO), "--format",
             "csv"]),
]


def _write(command: list[str], out: Path) -> None:
    flag = "--out" if command[0] in ("export", "template") else "--output"
    result = CliRunner().invoke(cli, [*command, flag, str(out)])
    assert result.exit_code in (0, 3), result.output


@pytest.mark.parametrize(("suffix", "command"), WRITERS, ids=lambda c: " ".join(c[:2]) if isinstance(c, list) else c)
def test_output_files_get_the_umask_and_keep_a_replaced_mode(tmp_path: Path, suffix: str, command: list[str]) -> None:
    new, replaced = tmp_path / f"new.{suffix}", tmp_path / f"old.{suffix}"
    replaced.write_bytes(b"old")
    replaced.chmod(0o604)
    old: Any = os.umask(0o027)
    try:
        _write(command, new)
        _write(command, replaced)
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    assert stat.S_IMODE(replaced.stat().st_mode) == 0o604 and replaced.read_bytes() != b"old"
