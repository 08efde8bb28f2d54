"""Spreadsheets as offices write them (issue 16.7) and the 2025 vocabulary (issue 19.3): each accepted
label and date form loads to the same row, each refused one is an error naming file, line and field."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from engine import codes
from engine.errors import InputError, Problem
from engine.intake import delimiter, labels, personal_id, serials
from engine.intake.dates import parse_day
from engine.loading import load_dataset
from engine.model import Person
from engine.precision import PartialDate

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal"
BASE: dict[str, Any] = {"id": "P9", "full_name": "Lê Thị Cúc", "birth_date": "1984-09-12", "gender": "nu",
                        "category": "cong-chuc", "unit": "SNV"}


def folder(tmp_path: Path, keep: tuple[str, ...] = ("units", "positions")) -> Path:
    root = tmp_path / "ds"
    root.mkdir()
    for name in ("dataset.yaml", *(f"{table}.yaml" for table in keep)):
        shutil.copy(MINIMAL / name, root / name)
    return root


def write_csv(path: Path, rows: list[list[str]], delimiter_char: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter_char, lineterminator="\n").writerows(rows)


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_dataset(root)
    return info.value.problems


# --- labels -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "written", "code"), [
    ("gender", "Nữ", "nu"), ("gender", "nữ", "nu"), ("gender", "NỮ", "nu"), ("gender", "Nam", "nam"),
    ("gender", unicodedata.normalize("NFD", "Nữ"), "nu"),  # decomposed diacritics
    ("category", "Công chức", "cong-chuc"), ("category", "CÔNG CHỨC", "cong-chuc"),
    ("category", "Viên chức", "vien-chuc"), ("category", "cán bộ,  công chức cấp xã", "cbcc-cap-xa"),
    ("category", "Người lao động", "nguoi-lao-dong"),
    ("education", "Đại học", "dai-hoc"), ("education", "Thạc sĩ", "thac-si"), ("education", "THPT", "thpt"),
    ("grade", "Chuyên viên chính", "01.002"),
    ("ethnicity", "Tày", "tay"), ("ethnicity", "H'Mông", "hmong"), ("ethnicity", "Mông", "hmong"),
    ("ethnicity", "Khơ-me", "khmer"), ("ethnicity", "Khmer", "khmer"),
])
def test_a_label_names_its_code(field: str, written: str, code: str) -> None:
    assert getattr(Person.model_validate({**BASE, field: written}), field) == code


@pytest.mark.parametrize(("name", "written", "code"), [
    ("rating", "Hoàn thành tốt nhiệm vụ", "hoan-thanh-tot"),
    ("rating", "hoàn thành xuất sắc nhiệm vụ", "hoan-thanh-xuat-sac"),
    ("rating", "Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực", "hoan-thanh"),  # law.md P3
    ("discipline", "Khiển trách", "khien-trach"), ("discipline", "Bãi nhiệm", "bai-nhiem"),
    ("discipline", "Khai trừ", "khai-tru"), ("kind", "Bổ nhiệm lại", "bo-nhiem-lai"),
    ("kind", "Biệt phái", "biet-phai"), ("kind", "Kiêm nhiệm", "kiem-nhiem"),
    ("tier", "Cấp phòng", "cap-phong"), ("mode", "Không tập trung", "khong-tap-trung"),
    ("programme", "Cao cấp lý luận chính trị", "llct-cao-cap"),
])
def test_labels_of_every_list(name: str, written: str, code: str) -> None:
    assert labels.code_for(codes.ALL[name], written) == code


def test_tone_mark_placement_does_not_matter() -> None:
    # Old ("hoà", "thuỷ") and new ("hòa", "thủy") placement of the tone mark are one word.
    assert labels.label_key("Hoà Bình") == labels.label_key("Hòa Bình")
    assert labels.label_key("thuỷ") == labels.label_key("thủy")
    assert labels.label_key("Khoá") != labels.label_key("Khoa")


@pytest.mark.parametrize(("field", "written"), [
    ("gender", "Nũ"),  # another tone is another word
    ("gender", "nư"), ("gender", "female"), ("category", "Công"), ("category", "cong chuc"),
    ("education", "Dai hoc"), ("ethnicity", "Tay Nguyen!"),
])
def test_refused_labels(field: str, written: str) -> None:
    with pytest.raises(ValueError, match=r"unknown|ethnicity must be"):
        Person.model_validate({**BASE, field: written})


def test_labels_in_a_csv_load_and_bad_ones_name_line_and_field(tmp_path: Path) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [
        ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị", "Dân tộc", "Xếp loại"][:7],
        ["P1", "Nguyễn Văn An", "12/04/1975", "Nam", "Công chức", "SNV", "Kinh"],
        ["P2", "Lê Thị Bình", "25.04.1991", "NỮ", "VIÊN CHỨC", "SNV", "Tày"],
    ])
    dataset = load_dataset(root)
    assert [(p.gender, p.category, p.ethnicity, p.birth_date) for p in dataset.people] == [
        ("nam", "cong-chuc", "kinh", dt.date(1975, 4, 12)), ("nu", "vien-chuc", "tay", dt.date(1991, 4, 25))]
    write_csv(root / "people.csv", [
        ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị"],
        ["P1", "Nguyễn Văn An", "12/04/1975", "Nữ", "Cong chuc", "SNV"],  # a label without its diacritics
    ])
    problems = problems_of(root)
    assert [(p.line, p.field) for p in problems] == [(2, "category")]
    assert "unknown category code 'Cong chuc'" in problems[0].message


# --- dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["1991-04-25", "25/04/1991", "25.04.1991", "25-04-1991"])
def test_accepted_date_forms(written: str) -> None:
    assert parse_day(written) == dt.date(1991, 4, 25)


def test_one_digit_day_and_month_with_slashes() -> None:
    assert parse_day("5/4/1991") == dt.date(1991, 4, 5)  # day first: 5 April, never 4 May


@pytest.mark.parametrize(("written", "why"), [
    ("04/25/1991", "impossible date"),  # month first: there is no month 25
    ("31/02/1975", "impossible date"), ("1975-02-30", "impossible date"), ("31.04.2020", "impossible date"),
    ("1991/04/25", "date must be"), ("25/04/91", "date must be"), ("5.4.1991", "date must be"),
    ("5-4-1991", "date must be"), ("1991-4-25", "date must be"), ("25 04 1991", "date must be"),
    ("25/04/1991 08:00", "date must be"), ("April 25, 1991", "date must be"),
    ("03/2015", "only a month and year"), ("2015-03", "only a month and year"), ("1991", "only a year"),
])
def test_refused_date_forms(written: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_day(written)


def test_month_first_date_says_to_write_the_day_first() -> None:
    with pytest.raises(ValueError, match="write the day first"):
        parse_day("04/25/1991")


@pytest.mark.parametrize(("written", "day"), [
    ("25.04.1991", dt.date(1991, 4, 25)), ("25-04-1991", dt.date(1991, 4, 25)), ("5/4/1991", dt.date(1991, 4, 5)),
])
def test_date_forms_load_from_csv(tmp_path: Path, written: str, day: dt.date) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [["id", "full_name", "birth_date", "gender", "category", "unit"],
                                    ["P1", "Nguyễn Văn An", written, "nam", "cong-chuc", "SNV"]])
    assert load_dataset(root).people[0].birth_date == day


def test_impossible_date_in_csv_names_file_line_and_field(tmp_path: Path) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [["id", "full_name", "birth_date", "gender", "category", "unit"],
                                    ["P1", "Nguyễn Văn An", "12/04/1975", "nam", "cong-chuc", "SNV"],
                                    ["P2", "Lê Thị Bình", "30.02.1984", "nu", "cong-chuc", "SNV"]])
    problems = problems_of(root)
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [("people.csv", 3, "birth_date")]
    assert "impossible date" in problems[0].message


# --- Excel date cells and serials -------------------------------------------------------------------

def _people_book(path: Path, birth: list[object]) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Cán bộ"
    ws.append(["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị"])
    for index, value in enumerate(birth, 1):
        ws.append([f"P{index}", f"Người {index}", value, "Nữ", "Công chức", "SNV"])
    book.save(path)


def test_excel_date_cells_and_serials(tmp_path: Path) -> None:
    root = folder(tmp_path)
    serial = (dt.date(1991, 4, 25) - dt.date(1899, 12, 30)).days
    _people_book(root / "data.xlsx", [dt.datetime(1975, 4, 12), serial, float(serial) + 0.5, "25.04.1991"])
    days = [p.birth_date for p in load_dataset(root).people]
    assert days == [dt.date(1975, 4, 12), dt.date(1991, 4, 25), dt.date(1991, 4, 25), dt.date(1991, 4, 25)]


def test_a_year_typed_as_a_number_is_not_a_serial(tmp_path: Path) -> None:
    # a birth date may be a year alone (NĐ 135/2020 Art. 3(1), law.md R3; docs/data.md): 1991, not a serial
    root = folder(tmp_path)
    _people_book(root / "data.xlsx", [1991])
    born = load_dataset(root).people[0].birth_date
    assert repr(born) == repr(PartialDate.of_year(1991))


def test_a_year_typed_as_a_number_where_a_month_is_the_least_is_refused(tmp_path: Path) -> None:
    root = folder(tmp_path)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Cán bộ"
    ws.append(["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị", "Ngày tuyển dụng"])
    ws.append(["P1", "Người 1", dt.datetime(1975, 4, 12), "Nữ", "Công chức", "SNV", 2015])
    book.save(root / "data.xlsx")
    problems = problems_of(root)
    assert [(p.line, p.field, p.code) for p in problems] == [(2, "G (service_start)", "invalid-date")]
    assert "only a year" in problems[0].message


def test_serial_bounds() -> None:
    assert serials.from_serial(33353) == dt.date(1991, 4, 25)
    assert serials.from_serial(1991) is None and serials.from_serial(True) is None
    assert serials.from_serial("33353") is None  # text (a CSV cell) is never a serial


def test_serials_are_not_read_in_csv(tmp_path: Path) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [["id", "full_name", "birth_date", "gender", "category", "unit"],
                                    ["P1", "Nguyễn Văn An", "33353", "nam", "cong-chuc", "SNV"]])
    assert [(p.line, p.field) for p in problems_of(root)] == [(2, "birth_date")]


# --- CSV delimiters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("char", [";", "\t"])
def test_semicolon_and_tab_csv_load(tmp_path: Path, char: str) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị"],
                                    ["P1", "Nguyễn Văn An", "12/04/1975", "Nam", "Công chức", "SNV"],
                                    ["P2", "Lê, Thị Bình", "1/2/1980", "Nữ", "Công chức", "SNV"]], char)
    people = load_dataset(root).people
    assert [(p.id, p.full_name, p.birth_date) for p in people] == [
        ("P1", "Nguyễn Văn An", dt.date(1975, 4, 12)), ("P2", "Lê, Thị Bình", dt.date(1980, 2, 1))]
    assert delimiter.delimiters(root) == {"people.csv": char}
    note = delimiter.note(delimiter.delimiters(root))
    assert note is not None and "people.csv" in note and "\n" not in note


def test_sniff_reads_only_the_header() -> None:
    assert delimiter.sniff("a,b;c\n1;2;3\n") == ","
    assert delimiter.sniff("\n\na;b\n1,5;2\n") == ";"
    assert delimiter.sniff("a\tb\n") == "\t"
    assert delimiter.sniff("a b\n") == ","


# --- the 2025 vocabulary ----------------------------------------------------------------------------

def _disciplines(root: Path, rows: list[str]) -> None:
    (root / "disciplines.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_abolished_discipline_kinds_load_as_history_only(tmp_path: Path) -> None:
    root = folder(tmp_path, ("units", "positions", "people"))
    _disciplines(root, ["- {person: P1, kind: ha-bac-luong, effective: 2024-05-01}",
                        "- {person: P2, kind: giang-chuc, effective: 2025-06-30}"])
    assert len(load_dataset(root).disciplines) == 2
    _disciplines(root, ["- {person: P1, kind: ha-bac-luong, effective: 2025-07-01}",
                        "- {person: P2, kind: Giáng chức, effective: 15/09/2025}"])
    problems = problems_of(root)
    assert [(p.line, p.field) for p in problems] == [(1, "kind"), (2, "kind")]
    assert all("172/2025" in p.message and "30/06/2025" in p.message for p in problems)


def test_new_discipline_kinds_and_system(tmp_path: Path) -> None:
    root = folder(tmp_path, ("units", "positions", "people"))
    _disciplines(root, ["- {person: P1, kind: bai-nhiem, effective: 2025-09-01, system: chinh-quyen}",
                        "- {person: P2, kind: khai-tru, effective: 2025-09-01, system: Kỷ luật đảng}"])
    assert [(d.kind, d.system) for d in load_dataset(root).disciplines] == [
        ("bai-nhiem", "chinh-quyen"), ("khai-tru", "dang")]
    _disciplines(root, ["- {person: P2, kind: khai-tru, effective: 2025-09-01, system: doan-the}",
                        "- {person: P2, kind: canh-cao, effective: 2025-09-01, system: he-khac}"])
    problems = problems_of(root)
    assert [(p.line, p.field) for p in problems] == [(1, "system"), (2, "system")]


def test_appointment_kinds_party_official_date_and_credential_mode() -> None:
    from engine.model import Appointment, Credential

    assert Appointment.model_validate({"person": "P1", "position": "X", "start": "2025-01-01",
                                       "kind": "biet-phai"}).kind == "biet-phai"
    assert Credential.model_validate({"person": "P1", "programme": "llct-trung-cap", "completed": "2020-01-01",
                                      "mode": "Không tập trung"}).mode == "khong-tap-trung"
    person = Person.model_validate({**BASE, "party_member_since": "2010-03-02", "party_official_since": "02/03/2011"})
    assert person.party_official_since == dt.date(2011, 3, 2)


def test_party_official_date_not_before_joining(tmp_path: Path) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [["id", "full_name", "birth_date", "gender", "category", "unit",
                                     "party_member_since", "party_official_since"],
                                    ["P1", "Nguyễn Văn An", "12/04/1975", "nam", "cong-chuc", "SNV",
                                     "2010-03-02", "2009-03-02"]])
    assert [(p.line, p.field) for p in problems_of(root)] == [(2, "party_official_since")]


# --- the personal identification number -------------------------------------------------------------

def test_personal_id_is_masked_in_problems(tmp_path: Path) -> None:
    root = folder(tmp_path)
    write_csv(root / "people.csv", [["id", "full_name", "birth_date", "gender", "category", "unit", "personal_id"],
                                    ["P1", "Nguyễn Văn An", "12/04/1975", "nam", "cong-chuc", "SNV", "001075012345"],
                                    ["P2", "Lê Thị Bình", "12/04/1980", "nu", "cong-chuc", "SNV", "001075012345"],
                                    ["P3", "Lê Thị Cúc", "12/04/1981", "nu", "cong-chuc", "SNV", "00107501234x"]])
    problems = problems_of(root)
    assert [(p.line, p.field) for p in problems] == [(3, "personal_id"), (4, "personal_id")]
    text = "\n".join(map(str, problems))
    assert "001075012345" not in text and "00107501234x" not in text and "*********345" in text


def test_mask() -> None:
    assert personal_id.mask("001075012345") == "*********345"
    assert personal_id.mask("12") == "**" and personal_id.mask(None) is None
