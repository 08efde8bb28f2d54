"""The strict dataset loader: one broken dataset per failure mode, and the forms valid data may take."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest

from engine import codes
from engine.dataset import Location
from engine.errors import InputError, Problem
from engine.loading import (
    HEADERS_VI,
    RawRow,
    field_for_header,
    header_for_field,
    load_dataset,
    load_manifest,
    parse_table,
    rows_from_grid,
)
from engine.loading.tables import RawTable
from engine.model import TABLES

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
MINIMAL = HERE / "data" / "minimal"


def problems_of(root: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_dataset(root, **kwargs)  # type: ignore[arg-type]
    return info.value.problems


def dataset_with(tmp_path: Path, files: dict[str, str | bytes], drop: tuple[str, ...] = ()) -> Path:
    """The minimal dataset copied to tmp_path, with `files` written over it and `drop` removed."""
    root = tmp_path / "ds"
    shutil.copytree(MINIMAL, root)
    for name in drop:
        (root / name).unlink()
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# case -> (file, line, field, words the message must contain). Each case breaks exactly one thing; CODES
# holds the problem code each must carry (engine.errors.PROBLEM_CODES).
CASES = {
    "unknown-code": ("credentials.yaml", 5, "programme", ["unknown programme code",
                                                          "did you mean 'llct-cao-cap'"]),
    "impossible-date": ("people.yaml", 3, "birth_date", ["impossible date", "1985-02-30"]),
    "dangling-reference": ("appointments.yaml", 2, "position", ["no such id in positions", "SNV-GDD",
                                                                "did you mean 'SNV-GD'"]),
    "duplicate-id": ("people.yaml", 7, "id", ["duplicate id", "people.yaml:1"]),
    "csv-missing-column": ("people.csv", 1, "birth_date", ["required column missing", "Ngày sinh"]),
    "post-held-twice": ("appointments.yaml", 7, "start", ["SNV-GD", "also held by P1", "2023-06-01", "P2"]),
    "duplicate-yaml-key": ("people.yaml", 6, "gender", ["duplicate key", "first at line 4"]),
    "bad-yaml-syntax": ("units.yaml", 3, None, ["invalid YAML"]),
    "non-utf8-csv": ("people.csv", 2, None, ["not UTF-8", "0xea"]),
    "unknown-field": ("people.yaml", 3, "birthdate", ["unknown field", "did you mean 'birth_date'"]),
    "credential-after-as-of": ("credentials.yaml", 3, "completed", ["after the evaluation date 2026-01-15"]),
    "table-given-twice": ("units.yaml", None, None, ["table given twice", "units.csv"]),
    "unknown-table-file": ("credential.yaml", None, None, ["not a table name", "did you mean 'credentials'"]),
    "end-before-start": ("appointments.yaml", 4, "end", ["end is before start", "2021-03-01"]),
    "duplicate-rating": ("ratings.yaml", 2, "year", ["already rated for 2024", "ratings.yaml:1"]),
}


CODES = {
    "unknown-code": "unknown-code",
    "impossible-date": "invalid-date",
    "dangling-reference": "dangling-reference",
    "duplicate-id": "duplicate-id",
    "csv-missing-column": "missing-column",
    "post-held-twice": "post-held-twice",
    "duplicate-yaml-key": "duplicate-key",
    "bad-yaml-syntax": "invalid-yaml",
    "non-utf8-csv": "not-utf8",
    "unknown-field": "unknown-field",
    "credential-after-as-of": "completed-after-as-of",
    "table-given-twice": "duplicate-table",
    "unknown-table-file": "unknown-table",
    "end-before-start": "dates-out-of-order",
    "duplicate-rating": "duplicate-rating",
}


def test_every_broken_folder_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_dataset_is_rejected_naming_file_line_field(case: str) -> None:
    file, line, field, words = CASES[case]
    problems = problems_of(BROKEN / case)
    problem, *consequences = problems
    # One cause: what it leaves unchecked elsewhere is summarised after it, never listed (issue 14.11).
    assert all(p.code == "table-unreadable" and p.file == problem.file for p in consequences), \
        "\n".join(map(str, problems))
    assert problem.code == CODES[case]
    assert Path(problem.file).name == file
    assert problem.line == line
    assert problem.field == field
    text = str(problem)
    where = f"{file}:{line}" if line is not None else file
    assert where in text
    if field is not None:
        assert f" {field}: " in text
    for word in words:
        assert word in text


def test_minimal_dataset_loads_every_table() -> None:
    dataset = load_dataset(MINIMAL)
    assert dataset.manifest.as_of == dt.date(2026, 1, 15)
    assert {name: len(getattr(dataset, name)) for name in TABLES} == {
        "units": 2, "positions": 2, "people": 2, "credentials": 2, "appointments": 3, "plans": 1,
        "ratings": 2, "disciplines": 1, "courses": 1, "quotas": 1,
    }
    assert dataset.person_by_id["P2"].birth_date == dt.date(1984, 9, 12)  # written 12/09/1984
    # Plain YAML scalars stay text: `grade: 01.003` is the grade code, not the float 1.003.
    assert dataset.person_by_id["P2"].grade == "01.003"
    assert dataset.locations[("people", 1)] == Location(str(MINIMAL / "people.yaml"), 10)
    assert len(dataset.locations) == sum(len(getattr(dataset, name)) for name in TABLES)
    assert dataset.records("P2").appointments[-1].kind == "bo-nhiem-lai"


def test_csv_with_bom_and_vietnamese_headers(tmp_path: Path) -> None:
    header = ("Mã cán bộ,Họ và tên,Ngày sinh,Giới tính,Đối tượng,Đơn vị,Dân tộc,Trình độ đào tạo,"
              "Ngày vào Đảng,Ngạch")
    rows = [
        "P1,Nguyễn Văn An,12/04/1975,nam,cong-chuc,SNV,,thac-si,03/02/2000,01.002",
        # Decomposed diacritics (as some Mac and Excel exports write them) become NFC.
        "P2," + unicodedata.normalize("NFD", "Lê Thị Bình") + ",1984-09-12,nu,cong-chuc,SNV,tay,,,",
    ]
    text = "\r\n".join([header, *rows]) + "\r\n"
    root = dataset_with(tmp_path, {"people.csv": "\ufeff".encode() + text.encode()}, drop=("people.yaml",))
    dataset = load_dataset(root)
    first, second = dataset.people
    assert first.birth_date == dt.date(1975, 4, 12)
    assert first.party_member_since == dt.date(2000, 2, 3)
    assert first.education == "thac-si" and first.ethnicity == "kinh"  # empty cell = absent = default
    assert second.full_name == unicodedata.normalize("NFC", "Lê Thị Bình")
    assert second.ethnicity == "tay" and second.grade is None
    assert dataset.locations[("people", 1)].line == 3


def test_csv_lines_are_physical_lines(tmp_path: Path) -> None:
    text = ('person,programme,completed,note\n'
            'P1,llct-cao-cap,2018-06-30,"two\nlines"\n'
            '\n'
            'P2,llct-cao-cao,2019-06-30,\n')
    problems = problems_of(dataset_with(tmp_path, {"credentials.csv": text}, drop=("credentials.yaml",)))
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [("credentials.csv", 5, "programme")]


def test_every_problem_of_every_file_is_reported_in_order(tmp_path: Path) -> None:
    root = dataset_with(tmp_path, {
        "units.yaml": "- {id: SNV, name: Sở Nội vụ, level: tinh, parent: TINH}\n",
        "people.yaml": (MINIMAL / "people.yaml").read_text(encoding="utf-8").replace("r: nam", "r: name"),
        "ratings.yaml": "- {person: P1, year: 2024, ratting: hoan-thanh}\n",
        "notes.csv": "a,b\n",
    })
    problems = problems_of(root)
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [
        ("notes.csv", None, None),
        ("people.yaml", 4, "gender"),
        ("ratings.yaml", 1, "ratting"),
        ("units.yaml", 1, "parent"),
    ]
    assert "did you mean 'nam'" in problems[1].message
    assert "did you mean 'rating'" in problems[2].message


def test_reference_to_a_rejected_row_is_not_reported_again(tmp_path: Path) -> None:
    people = (MINIMAL / "people.yaml").read_text(encoding="utf-8").replace("1984", "1984-13")
    problems = problems_of(dataset_with(tmp_path, {"people.yaml": people}))
    assert [p.field for p in problems] == ["birth_date"]


def test_unreadable_table_does_not_bury_its_problem_under_references(tmp_path: Path) -> None:
    problems = problems_of(dataset_with(tmp_path, {"people.yaml": "- id: P1\n  - broken\n"}))
    # the cause first, then one line per table whose references to people cannot be checked
    assert [(Path(p.file).name, p.code) for p in problems] == [
        ("people.yaml", "invalid-yaml"), *[("people.yaml", "table-unreadable")] * 5]
    assert all(" reference(s) from " in p.message for p in problems[1:])


def test_handover_on_the_same_day_is_a_warning_naming_both_rows_and_a_day_more_is_an_overlap(tmp_path: Path) -> None:
    # `end` is the last day held (law.md rule 38): end == the successor's start is a same-day handover.
    appointments = (MINIMAL / "appointments.yaml").read_text(encoding="utf-8")
    dataset = load_dataset(MINIMAL)
    assert dataset.appointments[1].end == dataset.appointments[2].start
    assert len(dataset.warnings) == 1
    warning = dataset.warnings[0]
    assert (Path(warning.file).name, warning.line, warning.field) == ("appointments.yaml", 13, "start")
    assert "same-day handover of post SNV-TP on 2024-01-01" in warning.message
    assert "appointments.yaml:6" in warning.message  # the predecessor's row
    overlapping = appointments.replace("  end: 2024-01-01", "  end: 2024-01-02")
    problems = problems_of(dataset_with(tmp_path, {"appointments.yaml": overlapping}))
    assert len(problems) == 1
    assert "holds post SNV-TP twice at once from 2024-01-01" in problems[0].message


def test_the_day_after_the_last_day_held_is_a_clean_handover(tmp_path: Path) -> None:
    appointments = (MINIMAL / "appointments.yaml").read_text(encoding="utf-8")
    clean = appointments.replace("  end: 2024-01-01", "  end: 2023-12-31")
    assert load_dataset(dataset_with(tmp_path, {"appointments.yaml": clean})).warnings == []


def test_as_of_argument_overrides_the_manifest() -> None:
    problems = problems_of(MINIMAL, as_of=dt.date(2015, 1, 1))
    assert [(Path(p.file).name, p.field, p.value) for p in problems] == [
        ("credentials.yaml", "completed", "2018-06-30"),
    ]


def test_programme_codes_come_from_the_caller() -> None:
    extended = {*codes.PROGRAMME.values, "dia-phuong-x"}
    root = BROKEN / "unknown-code"
    assert "did you mean" in problems_of(root, programme_codes=extended)[0].message
    assert len(load_dataset(root, programme_codes={*extended, "llct-cao-cao"}).credentials) == 2


def test_grade_since_without_grade(tmp_path: Path) -> None:
    people = (MINIMAL / "people.yaml").read_text(encoding="utf-8").replace('  grade: "01.002"\n', "")
    problems = problems_of(dataset_with(tmp_path, {"people.yaml": people}))
    assert [(p.line, p.field) for p in problems] == [(8, "grade_since")]


def test_yaml_table_must_be_a_list_of_mappings(tmp_path: Path) -> None:
    root = dataset_with(tmp_path, {"courses.yaml": "id: K1\n", "quotas.yaml": "- just text\n"})
    problems = problems_of(root)
    assert [(Path(p.file).name, p.line) for p in problems] == [("courses.yaml", 1), ("quotas.yaml", 1)]


def test_missing_folder_manifest_and_required_table(tmp_path: Path) -> None:
    assert "dataset folder not found" in problems_of(tmp_path / "nowhere")[0].message
    root = dataset_with(tmp_path, {}, drop=("dataset.yaml", "positions.yaml"))
    assert sorted(Path(p.file).name for p in problems_of(root)) == ["dataset.yaml", "positions.yaml"]
    with pytest.raises(InputError):
        load_manifest(root)


def test_manifest_problems_name_the_key_line(tmp_path: Path) -> None:
    manifest = "name: X\nrulesets: [national]\nas_of: 2026-02-30\nprovnce: Y\n"
    root = dataset_with(tmp_path, {"dataset.yaml": manifest})
    problems = problems_of(root)
    assert [(p.line, p.field) for p in problems] == [(3, "as_of"), (4, "provnce")]
    assert "did you mean 'province'" in problems[1].message


def test_excel_hook_rows_from_grid_then_parse_table() -> None:
    grid = [(1, ["Mã đơn vị", "Tên đơn vị", "Cấp", None]), (2, ["SNV", "Sở Nội vụ", "tinh", None]),
            (3, ["X", None, "tinh", "stray"])]
    parsed = parse_table(rows_from_grid("units", "book.xlsx#units", grid), codes.PROGRAMME.values)
    assert [e.row.model_dump()["id"] for e in parsed.entries] == ["SNV"]
    assert [(p.line, p.field) for p in parsed.problems] == [(3, None), (3, "name")]
    yaml_like = RawTable("units", "book", [RawRow(7, {"id": "U", "name": "Tỉnh", "level": "tinh"})])
    assert parse_table(yaml_like, ()).entries[0].location == Location("book", 7)


def test_vietnamese_headers_cover_every_field_once() -> None:
    for table, row_class in TABLES.items():
        for name in row_class.model_fields:
            header = header_for_field(table, name)
            assert header == unicodedata.normalize("NFC", header) and not header.isascii()
            assert field_for_header(table, header) == name
            assert field_for_header(table, name) == name
        assert set(HEADERS_VI[table].values()) == set(row_class.model_fields)
    assert field_for_header("people", "  HỌ VÀ  TÊN * ") == "full_name"
    assert field_for_header("appointments", "Hình thức") == "kind"
    assert field_for_header("courses", "Hình thức") == "mode"
    assert field_for_header("people", "Chức vụ") is None
    with pytest.raises(KeyError):
        header_for_field("people", "position")


@pytest.mark.parametrize("text", [
    "- {id: SNV, name: !!timestamp 1985-02-30, level: tinh}\n",
    "- {id: SNV, name: !!int abc, level: tinh}\n",
    "- {id: SNV, name: !!python/object:os.system x, level: tinh}\n",
    "- {id: SNV, name: !!binary '%%%', level: tinh}\n",
    "- {id: SNV, [a]: b, level: tinh}\n",
    "- {id: SNV, name: " + "[" * 5000 + "]" * 5000 + ", level: tinh}\n",
    "- &a {id: SNV, name: *a, level: tinh}\n",
    "- {id: SNV}\n---\n- {id: X}\n",
    "- id: SNV\n  name: \x07\n",
    "",
])
def test_hostile_yaml_becomes_problems(tmp_path: Path, text: str) -> None:
    problems = problems_of(dataset_with(tmp_path, {"units.yaml": text}))
    assert problems and all(p.file.endswith(".yaml") for p in problems)
