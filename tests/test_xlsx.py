"""Excel in and out: workbooks load like CSV/YAML with problems naming sheet, row and column letter;
exports show Vietnamese headers and real date cells; the progress line of long runs."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cli import progress as progress_module
from cli.context import AppContext
from cli.main import cli
from cli.progress import progress, progress_enabled
from cli.xlsx_out import (
    TRICH_NGANG_HEADERS,
    header_row,
    llct_level,
    trich_ngang_row,
    write_findings_xlsx,
    write_sheet_xlsx,
)
from engine.dataset import Dataset
from engine.errors import InputError, Problem
from engine.evaluation.findings import Finding
from engine.loading import header_for_field, load_dataset
from engine.loading.xlsx_reader import SHEETS_VI, sheet_name, table_for_sheet
from engine.loading.xlsx_writer import dataset_to_xlsx
from engine.model import TABLES, Credential
from engine.rules.rulebook import Rulebook
from engine.workspace import EngineConfig, Workspace

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal"
PEOPLE_HEADER = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đơn vị"]
PEOPLE: list[list[Any]] = [
    ["P1", "Nguyễn Văn An", dt.datetime(1975, 4, 12), "nam", "cong-chuc", "SNV"],
    ["P2", "Lê Thị Bình", "12/09/1984", "nu", "cong-chuc", "SNV"],
]


@pytest.fixture(scope="module")
def minimal() -> Dataset:
    return load_dataset(MINIMAL)


def folder(tmp_path: Path, keep: Sequence[str] = ()) -> Path:
    """A dataset folder with the minimal manifest and the minimal tables named in `keep` (YAML)."""
    root = tmp_path / "ds"
    root.mkdir()
    for name in ("dataset.yaml", *(f"{table}.yaml" for table in keep)):
        shutil.copy(MINIMAL / name, root / name)
    return root


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return book


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_dataset(root)
    return info.value.problems


def dumps(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    return {table: [row.model_dump() for row in getattr(dataset, table)] for table in TABLES}


# --- import ---------------------------------------------------------------------------------------


def test_dataset_round_trips_through_one_workbook(tmp_path: Path, minimal: Dataset) -> None:
    root = folder(tmp_path)
    dataset_to_xlsx(minimal, root / "data.xlsx")
    back = load_dataset(root)
    assert dumps(back) == dumps(minimal)
    assert back.locations[("people", 1)].file == f"{root / 'data.xlsx'}[Cán bộ]"
    assert back.locations[("people", 1)].line == 3  # header on row 1
    assert sorted(p.name for p in root.iterdir()) == ["data.xlsx", "dataset.yaml"]  # no temp file left


def test_demo_province_round_trips(tmp_path: Path, book: Rulebook) -> None:
    """The bundled demo through one workbook and back, row for row."""
    demo = HERE.parent / "fixtures" / "demo"
    original = load_dataset(demo, book.programme_codes)
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(demo / "dataset.yaml", root)
    dataset_to_xlsx(original, root / "demo.xlsx")
    assert dumps(load_dataset(root, book.programme_codes)) == dumps(original)


def test_awkward_values_round_trip(tmp_path: Path, minimal: Dataset) -> None:
    """Ids that look like numbers, grade codes that look like decimals, text that looks like a formula."""
    people = [p.model_copy(update={"id": "007", "foreign_language_level": 4}) if p.id == "P1" else p
              for p in minimal.people]
    swap = {"P1": "007"}
    dataset = Dataset(
        manifest=minimal.manifest, root=tmp_path, units=minimal.units, positions=minimal.positions,
        people=people,
        credentials=[c.model_copy(update={"person": swap.get(c.person, c.person), "note": "=1+1"})
                     for c in minimal.credentials],
        appointments=[a.model_copy(update={"person": swap.get(a.person, a.person)}) for a in minimal.appointments],
        courses=[c.model_copy(update={"capacity": 0}) for c in minimal.courses],
    )
    root = folder(tmp_path)
    dataset_to_xlsx(dataset, root / "data.xlsx")
    back = load_dataset(root)
    assert dumps(back) == dumps(dataset)
    assert back.person_by_id["P2"].grade == "01.003"
    assert back.credentials[0].note == "=1+1"


def test_english_sheet_names_and_headers_dates_as_text_ints_as_numbers(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("positions",))
    workbook(root / "data.xlsx", {
        "units": [["id", "name", "level", "parent"], ["TINH", "Ủy ban nhân dân tỉnh", "tinh"],
                  ["SNV", "Sở Nội vụ", "tinh", "TINH"]],
        "people": [["id", "full_name", "birth_date", "gender", "category", "unit", "foreign_language_level"],
                   ["P1", "Nguyễn Văn An", "1975-04-12", "nam", "cong-chuc", "SNV", 4],
                   ["P2", "Lê Thị Bình", "12/09/1984", "nu", "cong-chuc", "SNV", 3.0]],
        "Chỉ tiêu": [["Năm", "Chương trình", "Chỉ tiêu"], [2026, "ldql-cap-phong", 10]],
    })
    dataset = load_dataset(root)
    assert [p.birth_date for p in dataset.people] == [dt.date(1975, 4, 12), dt.date(1984, 9, 12)]
    assert [p.foreign_language_level for p in dataset.people] == [4, 3]
    assert dataset.quotas[0].year == 2026 and dataset.quotas[0].target == 10


def test_header_found_below_merged_title_rows(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("units", "positions"))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Cán bộ"
    ws["A1"] = "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
    ws.merge_cells("A1:F1")
    ws["A2"] = "DANH SÁCH CÁN BỘ, CÔNG CHỨC"
    ws.merge_cells("A2:F2")
    ws["A3"] = "Cán bộ"  # a title that happens to read like a header
    ws.append(PEOPLE_HEADER)
    ws.append([f"({n})" for n in range(1, 7)])  # official forms number the columns under the header
    for row in PEOPLE:
        ws.append(row)
    book.save(root / "data.xlsx")
    dataset = load_dataset(root)
    assert [p.id for p in dataset.people] == ["P1", "P2"]
    assert dataset.people[0].birth_date == dt.date(1975, 4, 12)
    assert dataset.locations[("people", 0)].line == 6


def test_problems_name_sheet_row_and_column_letter(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("units", "positions"))
    header = [h for h in PEOPLE_HEADER if h != "Đối tượng"]  # required column missing: category
    workbook(root / "data.xlsx", {"Cán bộ": [
        ["DANH SÁCH CÁN BỘ"],
        header,
        ["P1", "Nguyễn Văn An", "31/02/1975", "nam", "SNV"],  # a date that does not exist
        ["P2", "Lê Thị Bình", dt.datetime(1984, 9, 12), "nư", "SNV"],  # a bad code ("nữ" is the label of nu)
    ]})
    problems = problems_of(root)
    sheet = f"{root / 'data.xlsx'}[Cán bộ]"
    assert all(p.file == sheet for p in problems), problems
    found = {(p.line, p.field) for p in problems}
    assert found == {(2, "category"), (3, "C (birth_date)"), (4, "D (gender)")}
    text = "\n".join(map(str, problems))
    assert f"{sheet}:3 C (birth_date): ngày không tồn tại / impossible date" in text
    assert "unknown gender code 'nư'" in text
    assert "required column missing (Vietnamese header: 'Đối tượng')" in text


def test_cross_table_problems_carry_the_column_letter_too(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("units", "positions"))
    workbook(root / "data.xlsx", {"Cán bộ": [PEOPLE_HEADER, *PEOPLE,
                                             ["P1", "Trần Văn Cường", "02/01/1980", "nam", "cong-chuc", "SNVV"]]})
    sheet = f"{root / 'data.xlsx'}[Cán bộ]"
    assert sorted(map(str, problems_of(root))) == [
        f"{sheet}:4 A (id): mã trùng / duplicate id in people, first at {sheet}:2 (P1) [duplicate-id]",
        f"{sheet}:4 F (unit): không có mã này trong units / no such id in units; có phải là / did you mean"
        " 'SNV'? (SNVV) [dangling-reference]",
    ]


def test_unknown_header_carries_its_column_letter(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("units", "positions"))
    workbook(root / "data.xlsx", {"people": [[*PEOPLE_HEADER, "Ngày sinhh"], *PEOPLE]})
    problems = problems_of(root)
    assert [(p.line, p.field) for p in problems] == [(1, "G (Ngày sinhh)")]
    assert "did you mean 'Ngày sinh'" in problems[0].message


def test_workbook_that_cannot_be_opened_is_one_problem(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "data.xlsx").write_bytes(b"not a zip file at all")
    problems = problems_of(root)
    assert len(problems) == 1, problems
    assert problems[0].file == str(root / "data.xlsx") and problems[0].line is None
    assert "cannot open the workbook" in problems[0].message


def test_sheets_that_are_no_table(tmp_path: Path, minimal: Dataset) -> None:
    """An empty sheet, a hidden one and the template's own are skipped; another with content is not."""
    root = folder(tmp_path, keep=("units", "positions"))
    book = workbook(root / "data.xlsx", {"Cán bộ": [PEOPLE_HEADER, *PEOPLE], "Sheet1": [],
                                         "Hướng dẫn": [["Đọc kỹ"]], "Danh mục": [["nam", "nam"]],
                                         "Tra cứu": [["x"]], "Nhân viên": [["ghi chú"]]})
    book["Tra cứu"].sheet_state = "hidden"
    book.save(root / "data.xlsx")
    problems = problems_of(root)
    assert [(p.file, p.line) for p in problems] == [(f"{root / 'data.xlsx'}[Nhân viên]", None)]
    assert "sheet is not named after a table" in problems[0].message
    assert "did you mean 'Nhân sự'" in problems[0].message


def test_table_given_twice_in_a_workbook_or_beside_it(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("units", "positions", "people"))
    workbook(root / "data.xlsx", {"people": [PEOPLE_HEADER, *PEOPLE], "Cán bộ": [PEOPLE_HEADER, *PEOPLE]})
    problems = problems_of(root)
    assert sorted((Path(p.file).name, p.line) for p in problems) == [
        ("data.xlsx[Cán bộ]", None), ("people.yaml", None)]
    assert all("table given twice" in p.message for p in problems)


def test_workbook_named_after_its_table_and_excel_lock_file(tmp_path: Path) -> None:
    root = folder(tmp_path, keep=("units", "positions"))
    workbook(root / "people.xlsx", {"Sheet1": [PEOPLE_HEADER, *PEOPLE]})
    (root / "~$people.xlsx").write_bytes(b"\x00owner")  # Excel's lock file while the workbook is open
    dataset = load_dataset(root)
    assert [p.id for p in dataset.people] == ["P1", "P2"]
    assert dataset.locations[("people", 0)].file.endswith("people.xlsx[Sheet1]")


def test_sheet_names_are_declared_for_every_table() -> None:
    assert set(SHEETS_VI) == set(TABLES)
    for table in TABLES:
        assert table_for_sheet(table) == table
        assert table_for_sheet(sheet_name(table).upper()) == table


# --- export ---------------------------------------------------------------------------------------


def test_exported_workbook_has_vietnamese_headers_and_date_cells(tmp_path: Path, minimal: Dataset) -> None:
    path = tmp_path / "out.xlsx"
    dataset_to_xlsx(minimal, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet_name(table) for table in TABLES]
    ws = book["Cán bộ"]
    assert [c.value for c in ws[1]] == [header_for_field("people", f) for f in TABLES["people"].model_fields]
    assert ws["B1"].value == "Họ và tên" and ws["C1"].value == "Ngày sinh"
    assert ws["C2"].is_date and ws["C2"].value.date() == dt.date(1975, 4, 12)
    assert ws["C2"].number_format == "DD/MM/YYYY"
    assert ws["K3"].value == "01.003" and ws["K3"].data_type == "s"
    assert ws.freeze_panes == "A2"


def test_write_sheet_xlsx_layout(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    rows: list[list[Any]] = [[1, "Nguyễn Văn An", dt.date(1975, 4, 12)], [2, "Lê Thị Bình", None]]
    write_sheet_xlsx(path, "DANH SÁCH CỬ ĐI HỌC", dt.date(2026, 1, 15), ["STT", "Họ và tên", "Ngày sinh"], rows,
                     extra_sheets=[("Chưa bố trí", ["STT", "Lý do"], [[1, "hết chỗ"]])])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Danh sách", "Chưa bố trí"]
    ws = book["Danh sách"]
    assert ws["A5"].value == "DANH SÁCH CỬ ĐI HỌC" and "A5:D5" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A6"].value == "Ngày chốt số liệu: 15/01/2026"
    assert header_row(ws) == 8 and [c.value for c in ws[8]][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert all(c.font.bold for c in ws[8][:3])
    assert ws.freeze_panes == "A9"
    assert ws["C9"].is_date and ws["C9"].number_format == "DD/MM/YYYY" and ws["C10"].value is None
    assert ws.column_dimensions["B"].width >= len("Nguyễn Văn An")
    assert book["Chưa bố trí"]["B9"].value == "hết chỗ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.xlsx"]


def test_xlsx_to_a_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(click.UsageError):
        write_sheet_xlsx(None, "x", dt.date(2026, 1, 1), ["a"], [])


def _finding(**changes: Any) -> Finding:
    base: dict[str, Any] = dict(
        rule="ND29-CAOCAP", version="v1", variant=None, status="due", requirement="llct-cao-cap",
        position="SNV-GD", basis="holds", deadline=dt.date(2027, 5, 1), source="Khoản 2 Điều 34 Nghị định 29",
        strength="law", verified=False, remedy="llct-cao-cap", explanation="Cần cao cấp LLCT.", title="t",
        context="c", courses=[{"course": "K26", "start": "2026-03-02", "end": "2026-04-10", "late": False}])
    return Finding(**{**base, **changes})


def test_findings_workbook(tmp_path: Path, minimal: Dataset, book: Rulebook) -> None:
    ws = Workspace.from_dataset(minimal, book, dt.date(2026, 1, 15))
    path = tmp_path / "p1.xlsx"
    write_findings_xlsx(ws, [_finding()], path, "vi", title_person="P1")
    sheet = openpyxl.load_workbook(path).active
    assert "Nguyễn Văn An (P1)" in sheet["A6"].value
    assert sheet.page_setup.orientation == "portrait"
    assert sheet["A9"].value == "STT" and sheet["C10"].value == "đến hạn *"
    assert sheet["D10"].value == "cao cấp lý luận chính trị"
    assert sheet["F10"].is_date and sheet["F10"].value.date() == dt.date(2027, 5, 1)
    assert sheet["J10"].value == "K26 (02/03/2026 – 10/04/2026)"
    assert sheet["A12"].value.startswith("* chưa xác minh")


def test_check_format_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "out" / "p1.xlsx"
    result = CliRunner().invoke(cli, ["check", "P1", "--data", str(MINIMAL), "--format", "xlsx", "--mkdir",
                                      "--output", str(path)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A7"].value == "Ngày chốt số liệu: 15/01/2026"
    assert sheet["A9"].value == "STT"


# --- trích ngang ----------------------------------------------------------------------------------


def test_trich_ngang_row(minimal: Dataset, book: Rulebook) -> None:
    row = trich_ngang_row(minimal, book, "P2", "ldql-cap-phong", "K26-LDP-01", dt.date(2026, 6, 1),
                          "Trưởng phòng (đang giữ)", 1)
    assert len(row) == len(TRICH_NGANG_HEADERS)
    named = dict(zip(TRICH_NGANG_HEADERS, row, strict=True))
    assert named["Họ và tên"] == "Lê Thị Bình" and named["Ngày sinh|Nữ"] == dt.date(1984, 9, 12)
    assert named["Ngày sinh|Nam"] is None and named["Dân tộc"] == "Tày"
    assert named["Chức vụ"] == "Trưởng phòng Tổ chức" and named["Đơn vị"] == "Sở Nội vụ"
    assert named["Trình độ LLCT"] == "" and named["Ngạch"] == "Chuyên viên"
    assert named["Trình độ chuyên môn"] == "" and named["Ngày vào Đảng"] is None
    p1 = dict(zip(TRICH_NGANG_HEADERS, trich_ngang_row(minimal, book, "P1", "ldql-cap-phong", None, None, "", 2),
                  strict=True))
    assert p1["Ngày sinh|Nam"] == dt.date(1975, 4, 12) and p1["Ngày sinh|Nữ"] is None
    assert p1["Ngạch"] == "Chuyên viên chính" and p1["Trình độ chuyên môn"] == "Thạc sĩ"
    assert named["Chương trình"] == "bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương"
    assert named["Khóa học"].startswith("K26-LDP-01, 02/03/2026")
    assert named["Hạn"] == dt.date(2026, 6, 1)
    assert llct_level(minimal, book, "P1") == "Cao cấp"


def test_llct_level_names_an_equivalent(minimal: Dataset, book: Rulebook) -> None:
    extra = [Credential(person="P2", programme="llct-trung-cap", completed=dt.date(2010, 1, 1)),
             Credential(person="P2", programme="cu-nhan-chinh-tri", completed=dt.date(2015, 1, 1)),
             Credential(person="P2", programme="llct-cao-cap", completed=dt.date(2030, 1, 1))]  # after as_of
    dataset = Dataset(manifest=minimal.manifest, root=minimal.root, units=minimal.units,
                      positions=minimal.positions, people=minimal.people, credentials=extra)
    assert llct_level(dataset, book, "P2") == "Cao cấp (cử nhân chính trị)"
    assert llct_level(dataset, book, "P2", dt.date(2012, 1, 1)) == "Trung cấp"


# --- progress -------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_appears_after_a_second_on_clicks_bar() -> None:
    stream, clock = Terminal(), Clock()
    with progress(4, "Đang kiểm tra", True, stream=stream, clock=clock) as bar:
        bar.advance()
        assert stream.getvalue() == ""  # a quick run shows nothing
        clock.now = 2.0
        bar.advance()
        assert bar.shown
        last = stream.getvalue().split("\r")[-1]
        assert "Đang kiểm tra" in last and "2/4" in last and "50%" in last
        bar.advance(2)
        assert "4/4" in stream.getvalue().split("\r")[-1]
    assert not bar.shown


def test_phase_shows_its_label_on_a_terminal_only() -> None:
    from cli.progress import phase

    terminal, pipe = Terminal(), io.StringIO()
    with phase("Đang xếp lớp", enabled=True, stream=terminal):
        pass
    with phase("Đang xếp lớp", enabled=True, stream=pipe):
        pass
    with phase("Đang xếp lớp", enabled=False, stream=Terminal()):
        pass
    assert "Đang xếp lớp" in terminal.getvalue()
    assert pipe.getvalue() == ""


@pytest.mark.parametrize(("enabled", "stream"), [(False, Terminal()), (True, io.StringIO())])
def test_progress_silent_when_quiet_or_not_a_terminal(enabled: bool, stream: io.StringIO) -> None:
    clock = Clock()
    with progress(2, "x", enabled, stream=stream, clock=clock) as bar:
        clock.now = 5.0
        bar.advance(2)
    assert stream.getvalue() == ""


def test_progress_enabled_follows_quiet() -> None:
    import click

    assert progress_enabled()
    with click.Context(cli, obj=AppContext(quiet=True)):
        assert not progress_enabled()
    with click.Context(cli, obj=AppContext(quiet=False)):
        assert progress_enabled()


def test_check_all_draws_progress_on_a_terminal(tmp_path: Path, minimal: Dataset, book: Rulebook,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.commands.check_all import run_all

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    ws = Workspace.from_dataset(minimal, book, dt.date(2026, 1, 15), EngineConfig("python"))
    run_all(ws, "csv", tmp_path / "all.csv", "en", jobs=1)
    assert "2/2  100%" in terminal.getvalue() and "0/2" not in terminal.getvalue()
    assert (tmp_path / "all.csv").read_text(encoding="utf-8-sig").startswith("person,rule")


def test_an_output_that_is_not_a_regular_file_is_written_to_not_replaced(tmp_path: Path) -> None:
    """`--output /dev/null` (or a named pipe) must stay what it is: renaming a temp file onto it would replace it."""
    import os
    import stat
    import threading

    from engine.atomic import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, b"plan")
    reader.join(timeout=10)
    assert got == [b"plan"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
