"""Dates given as a month or a year (issue 19 item 1): what each field accepts, the errors, both ends of the
range in every rule, output as given, and day-precision data untouched."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cli.main import cli
from engine.dataset import Dataset
from engine.dates import day_text
from engine.errors import InputError, Problem
from engine.loading import load_dataset
from engine.loading.xlsx_writer import dataset_to_xlsx
from engine.model import Appointment, Course, Discipline, Person
from engine.precision import HighEnd, PartialDate
from engine.workspace import open_dataset, open_rulebook
from tests.scenario_support import run_case

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "data" / "minimal"
PERSON = {"id": "P", "full_name": "Nguyễn Văn A", "gender": "nam", "category": "cong-chuc", "unit": "U"}


# -- what each field accepts ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["03/2015", "3/2015", "2015-03", "03.2015", "03-2015"])
def test_a_history_date_takes_a_month_in_the_forms_offices_write(text: str) -> None:
    row = Appointment(person="P", position="X", start=text, kind="bo-nhiem")
    assert isinstance(row.start, PartialDate) and row.start.precision == "month"
    assert (row.start, row.start.last) == (dt.date(2015, 3, 1), dt.date(2015, 3, 31))


def test_an_appointment_end_given_as_a_month_is_its_last_day_not_a_range() -> None:
    row = Appointment(person="P", position="X", start="2014-05-06", end="02/2016", kind="bo-nhiem")
    assert row.end == row.end.last == dt.date(2016, 2, 29) and not row.end.is_range  # type: ignore[union-attr]
    assert day_text(row.end, "vi") == "02/2016"


@pytest.mark.parametrize("value", ["1975", 1975])
def test_only_the_birth_date_takes_a_year_alone(value: object) -> None:
    born = Person(**PERSON, birth_date=value).birth_date
    assert isinstance(born, PartialDate) and (born, born.last, born.precision) == (
        dt.date(1975, 1, 1), dt.date(1975, 12, 31), "year")
    with pytest.raises(ValidationError, match="only a birth date may be a year alone"):
        Appointment(person="P", position="X", start="2015", kind="bo-nhiem")


def test_day_dates_stay_plain_dates_and_course_dates_stay_days() -> None:
    assert type(Person(**PERSON, birth_date="12/04/1975").birth_date) is dt.date
    with pytest.raises(ValidationError, match="only a month and year: a full date"):  # the existing message
        Course(id="K", programme="x", start="03/2027", end="2027-04-01", capacity=3)


def test_a_partial_date_survives_pickling_and_date_arithmetic_gives_days() -> None:
    month = PartialDate.of_month(2015, 3)
    again = pickle.loads(pickle.dumps(month))
    assert (again, again.last, again.precision) == (month, month.last, "month")
    assert type(month + dt.timedelta(days=1)) is dt.date and type(month.replace(day=9)) is dt.date
    high = pickle.loads(pickle.dumps(HighEnd.of(month)))
    assert high == dt.date(2015, 3, 31) and high.given.isoformat() == "2015-03"


# -- bad input: file, row, field, code --------------------------------------------------------------------
def _dataset(tmp_path: Path, table: str, old: str, new: str) -> Path:
    root = tmp_path / "ds"
    shutil.copytree(MINIMAL, root)
    path = root / f"{table}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_dataset(root)
    return info.value.problems


@pytest.mark.parametrize(("value", "words"), [
    ('"13/2015"', "there is no month 13"), ('"2015-00"', "there is no month 0"), ('"0/2015"', "there is no month 0"),
    ('"2021"', "at least the month and year"), ('"31/02/2021"', "impossible date"),
    ('"2021/03/01"', "date must be YYYY-MM-DD or DD/MM/YYYY"),
])
def test_a_bad_month_or_a_year_where_a_month_is_needed_names_file_row_field_and_code(
        tmp_path: Path, value: str, words: str) -> None:
    problems = _problems(_dataset(tmp_path, "appointments", "start: 2021-03-01", f"start: {value}"))
    assert [(Path(p.file).name, p.line, p.field, p.code) for p in problems] == [
        ("appointments.yaml", 3, "start", "invalid-date")]
    assert words in problems[0].message


def test_a_month_in_a_field_that_needs_a_day_keeps_the_existing_message(tmp_path: Path) -> None:
    root = _dataset(tmp_path, "dataset", "as_of: 2026-01-15", 'as_of: "01/2026"')
    with pytest.raises(InputError) as info:
        open_dataset(root)
    assert "only a month and year: a full date (day, month, year) is needed" in str(info.value)


# -- both ends, evaluated per rule (the scenarios hold the rules' cases) -----------------------------------
def test_day_precision_data_has_no_partial_people_and_the_demo_is_evaluated_once() -> None:
    ws = open_dataset(ROOT / "fixtures" / "demo")
    assert ws.dataset is not None and ws.dataset.partial_people == frozenset()


def _demo_with(tmp_path: Path, person: str, appointment_start: str) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(ROOT / "fixtures" / "demo", root)
    path = root / "appointments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == person and cells[4] == "":  # the post held now
            cells[2], cells[5], cells[6] = appointment_start, "", ""
            lines[index] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _held_now(root: Path, person: str) -> tuple[str, str]:
    rows = [line.split(",") for line in (root / "appointments.csv").read_text(encoding="utf-8").splitlines()]
    found = next(cells for cells in rows if cells[0] == person and cells[4] == "")
    return found[1], found[2]


def test_the_json_of_check_writes_the_month_as_given_and_names_the_field(tmp_path: Path) -> None:
    demo = ROOT / "fixtures" / "demo"
    person = "CB0305"
    _position, start = _held_now(demo, person)
    root = _demo_with(tmp_path, person, f"{start[5:7]}/{start[:4]}")
    ws = open_dataset(root)
    assert ws.dataset is not None and ws.dataset.partial_people == {person}
    result = CliRunner().invoke(cli, ["--quiet", "audit", "--data", str(root), "--person", person, "--format", "json"])
    assert result.exit_code == 0, result.output
    audit = json.loads(result.output)
    starts = {item["start"] for item in audit["appointments"]}
    assert f"{start[:4]}-{start[5:7]}" in starts  # ISO, as given
    table = CliRunner().invoke(cli, ["--quiet", "audit", "--data", str(root), "--person", person])
    assert f"{start[5:7]}/{start[:4]}" in table.output  # as given, in the table


def test_an_unknown_finding_says_which_field_has_only_a_month_in_both_languages() -> None:
    book = open_rulebook(packs=["national"])
    post = {"tier": "cap-phong", "sector": "hanh-chinh", "unit_level": "tinh", "managed_by": "don-vi"}
    case: dict[str, Any] = {
        "as_of": dt.date(2024, 9, 1),
        "person": {"birth_date": dt.date(1982, 4, 10), "gender": "nam", "category": "cong-chuc",
                   "party_member_since": dt.date(2008, 1, 1), "education": "dai-hoc"},
        "history": [{"post": {**post, "role": "pho"}, "start": "09/2022"}],
        "event": {"basis": "proposed", "post": {**post, "role": "truong"}, "date": dt.date(2024, 9, 15)},
    }
    found = next(f for f in run_case(book, case) if f.rule == "TENURE-24M")
    assert found.status == "unknown" and found.unknown_fields == ["appointments.start"]
    assert "09/2022 chỉ có tháng/năm" in found.explanation
    assert found.to_json()["imprecise_dates"] == [
        {"field": "appointments.start", "value": "2022-09", "precision": "month"}]


# -- xlsx: a date cell formatted as the month, read back as given -----------------------------------------
def test_partial_dates_round_trip_through_a_workbook_as_month_and_year_cells(tmp_path: Path) -> None:
    import openpyxl

    ds = load_dataset(MINIMAL)
    people = [p.model_copy(update={"birth_date": PartialDate.of_year(1975)}) if p.id == "P1" else p
              for p in ds.people]
    appointments = [a.model_copy(update={"start": PartialDate.of_month(2021, 3)}) if a.person == "P1" else a
                    for a in ds.appointments]
    changed = Dataset(manifest=ds.manifest, root=ds.root, units=ds.units, positions=ds.positions, people=people,
                      credentials=ds.credentials, appointments=appointments, plans=ds.plans, ratings=ds.ratings,
                      disciplines=ds.disciplines, courses=ds.courses, quotas=ds.quotas)
    root = tmp_path / "book"
    root.mkdir()
    shutil.copy(MINIMAL / "dataset.yaml", root / "dataset.yaml")
    dataset_to_xlsx(changed, root / "data.xlsx")
    sheet = openpyxl.load_workbook(root / "data.xlsx").worksheets
    formats = {c.number_format for ws in sheet for row in ws.iter_rows() for c in row if isinstance(c.value, dt.date)}
    assert {"MM/YYYY", "YYYY"} <= formats
    again = load_dataset(root)
    p1 = next(p for p in again.people if p.id == "P1")
    a1 = next(a for a in again.appointments if a.person == "P1")
    assert repr(p1.birth_date) == repr(PartialDate.of_year(1975))
    assert repr(a1.start) == repr(PartialDate.of_month(2021, 3))
    assert again.partial_people == {"P1"}


def test_a_discipline_month_is_a_range_and_its_json_is_as_given() -> None:
    row = Discipline(person="P", kind="canh-cao", effective="09/2020")
    assert row.model_dump(mode="json")["effective"] == "2020-09"
    assert Person(**PERSON, birth_date="1975").model_dump(mode="json")["birth_date"] == "1975"
    assert Person(**PERSON, birth_date="1975-04-12").model_dump(mode="json")["birth_date"] == "1975-04-12"


# -- streamed and whole evaluations agree on partial dates ------------------------------------------------
def test_a_discipline_given_as_a_month_is_unknown_at_the_window_edge_streamed_or_whole(tmp_path: Path) -> None:
    # CB0020 was made trưởng phòng on 23/9/2022: a reprimand of "09/2021" bars it for 12 months from a day of
    # September 2021, so the appointment is inside the window if the reprimand came after 23/9/2021.
    root = tmp_path / "demo"
    shutil.copytree(ROOT / "fixtures" / "demo", root)
    with (root / "disciplines.yaml").open("a", encoding="utf-8") as out:
        out.write('- person: CB0020\n  kind: khien-trach\n  effective: "09/2021"\n')
    outputs = []
    for stream in ("--no-stream", "--stream"):
        result = CliRunner().invoke(cli, ["--quiet", "audit", "--data", str(root), "--person", "CB0020",
                                          "--format", "json", stream])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    whole, streamed = ({k: v for k, v in out.items() if k != "provenance"} for out in outputs)
    assert whole == streamed
    found = [f for a in whole["appointments"] if a["start"] == "2022-09-23" for f in a["findings"]
             if f["rule"] == "DISCIPLINE-BAR"]
    unknown = [f for f in found if f["status"] == "unknown"]  # the reprimand's variant; the others are met
    assert len(unknown) == 1 and {f["status"] for f in found} == {"unknown", "met"}
    assert unknown[0]["imprecise_dates"] == [
        {"field": "disciplines.effective", "value": "2021-09", "precision": "month"}]
