"""`dtbd export` round trip through the template workbook, and `validate`'s completeness section."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from cli.main import cli
from engine.intake import completeness
from engine.loading import load_dataset
from engine.loading.xlsx_reader import CODES_SHEET, sheet_name
from engine.model import TABLES

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
MINIMAL = ROOT / "tests" / "data" / "minimal"


def _export(data: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["export", "--data", str(data), "--format", "xlsx", "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    assert "Đã ghi" in result.output


def test_export_round_trip_of_the_demo(tmp_path: Path) -> None:
    back = tmp_path / "back"
    back.mkdir()
    _export(DEMO, back / "du-lieu.xlsx")
    shutil.copy(DEMO / "dataset.yaml", back / "dataset.yaml")
    original, loaded = load_dataset(DEMO), load_dataset(back)
    for table in TABLES:
        assert getattr(loaded, table) == getattr(original, table), table
    book = openpyxl.load_workbook(back / "du-lieu.xlsx")
    assert CODES_SHEET in book.sheetnames and "Hướng dẫn" in book.sheetnames
    people = book[sheet_name("people")]
    assert people["D2"].value in ("nam", "nữ") and people["E2"].value == "công chức"  # names, not codes
    assert people["C2"].is_date


def test_export_masks_the_personal_id_unless_asked(tmp_path: Path) -> None:
    data = tmp_path / "ds"
    shutil.copytree(MINIMAL, data)
    people = (data / "people.yaml").read_text(encoding="utf-8")
    (data / "people.yaml").write_text(people.replace("  grade_since: 2015-07-01\n",
                                                     "  grade_since: 2015-07-01\n  personal_id: '001075012345'\n"),
                                      encoding="utf-8")
    masked, shown = tmp_path / "masked", tmp_path / "shown"
    for folder, extra in ((masked, ()), (shown, ("--show-personal-id",))):
        folder.mkdir()
        _export(data, folder / "data.xlsx", *extra)
        shutil.copy(data / "dataset.yaml", folder / "dataset.yaml")
    assert load_dataset(shown).person_by_id["P1"].personal_id == "001075012345"
    result = CliRunner().invoke(cli, ["validate", "--data", str(masked)])
    assert result.exit_code == 1
    assert "masked" in result.output and "001075012345" not in result.output and "*********345" in result.output


def test_validate_lists_missing_data_per_unit(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--data", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "Dữ liệu còn thiếu" in result.output
    dataset = load_dataset(DEMO)
    gaps = completeness.gaps(dataset)
    assert gaps, "the demo has people with missing data"
    first = gaps[0]
    assert first.person in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 120


def test_validate_csv_is_the_to_do_list() -> None:
    result = CliRunner().invoke(cli, ["validate", "--data", str(DEMO), "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    dataset = load_dataset(DEMO)
    assert [(r["person"], r["missing"]) for r in rows] == [(g.person, g.item) for g in completeness.gaps(dataset)]
    assert {r["field"] for r in rows} <= {field for _, field, *_ in completeness.ITEMS}


def test_completeness_items(tmp_path: Path) -> None:
    data = tmp_path / "ds"
    shutil.copytree(MINIMAL, data)
    dataset = load_dataset(data)
    found = {(g.person, g.item) for g in completeness.gaps(dataset)}
    leaders = {a.person for a in dataset.appointments if a.end is None}
    for person in dataset.people:
        rated = any(r.person == person.id and r.year == dataset.as_of().year - 1 for r in dataset.ratings)
        assert ((person.id, "rating") in found) == (not rated and person.retired is None)
        if person.id in leaders:
            assert ((person.id, "party_date") in found) == (person.party_member_since is None)
            assert ((person.id, "education") in found) == (person.education is None)
        else:
            assert (person.id, "party_date") not in found


def test_validate_says_which_csv_had_semicolons(tmp_path: Path) -> None:
    data = tmp_path / "ds"
    shutil.copytree(MINIMAL, data)
    people = load_dataset(MINIMAL).people
    (data / "people.yaml").unlink()
    with (data / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị"])
        for p in people:
            writer.writerow([p.id, p.full_name, p.birth_date.strftime("%d/%m/%Y"), p.gender, p.category, p.unit])
    result = CliRunner().invoke(cli, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if "people.csv" in line]
    assert len(notes) == 1 and "chấm phẩy" in notes[0]


def test_validate_csv_of_an_invalid_dataset_lists_its_problems(tmp_path: Path) -> None:
    data = tmp_path / "ds"
    shutil.copytree(MINIMAL, data)
    text = (data / "people.yaml").read_text(encoding="utf-8")
    (data / "people.yaml").write_text(text.replace("birth_date: 1975-04-12", "birth_date: 04/25/1975", 1),
                                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--data", str(data), "--format", "csv", "--lang", "en"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(Path(r["file"]).name, r["line"], r["field"]) for r in rows] == [("people.yaml", "3", "birth_date")]
    assert "write the day first" in rows[0]["message"]
