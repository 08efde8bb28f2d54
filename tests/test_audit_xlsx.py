"""`dtbd audit --format xlsx` (issue 17, item 3): by unit under its sở or commune, by year, unit × year,
by rule (remedied later vs outstanding), and the detail, with labels and date cells. The dataset is
tests/data/audit_demo (6 appointments, 2 violations: P3's age in 2021, P2's cao cấp in 2024 met later)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from cli.main import cli
from cli.xlsx_out import data_row, header_row

HERE = Path(__file__).parent
DEMO = HERE / "data" / "audit_demo"
MINI = HERE / "data" / "mini_rules"


def _book(tmp_path: Path, *extra: str) -> Any:
    out = tmp_path / "audit.xlsx"
    result = CliRunner().invoke(cli, ["audit", "--data", str(DEMO), "--rulesets", str(MINI), "--format", "xlsx",
                                      "--output", str(out), *extra])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _rows(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=data_row(sheet), max_row=sheet.max_row)
            if any(c.value is not None for c in row) and row[0].border.left.style == "thin"]


def test_sheets_in_the_order_a_board_reads_them(tmp_path: Path) -> None:
    assert _book(tmp_path).sheetnames == ["Theo đơn vị", "Theo năm", "Đơn vị theo năm", "Theo tiêu chuẩn", "Chi tiết"]


def test_units_grouped_under_their_so_or_district_worst_first(tmp_path: Path) -> None:
    sheet = _book(tmp_path)["Theo đơn vị"]
    assert [c.value for c in sheet[header_row(sheet)]] == ["STT", "Đơn vị", "Tổng số", "Đúng quy định", "Vi phạm",
                                                           "Chưa đủ dữ liệu", "Tỷ lệ vi phạm (%)"]
    # Hand count: SYT 1 of 1 violated; the huyện An Bình (HA 1 ok, HA-NV 1 of 2) 1 of 3; SNV 0 of 2.
    assert _rows(sheet) == [
        [1, "Sở Y tế", 1, 0, 1, 0, 100.0],
        [2, "Ủy ban nhân dân huyện An Bình", 3, 2, 1, 0, 33.3],
        [None, "    Phòng Nội vụ huyện An Bình", 2, 1, 1, 0, 50.0],
        [None, "    Ủy ban nhân dân huyện An Bình", 1, 1, 0, 0, 0.0],
        [3, "Sở Nội vụ", 2, 2, 0, 0, 0.0],
    ]


def test_by_year_and_unit_by_year(tmp_path: Path) -> None:
    book = _book(tmp_path)
    assert _rows(book["Theo năm"]) == [[2019, 1, 1, 0, 0, 0.0], [2021, 2, 1, 1, 0, 50.0], [2024, 3, 2, 1, 0, 33.3]]
    grid = book["Đơn vị theo năm"]
    assert [c.value for c in grid[header_row(grid)]] == ["Đơn vị", "2019", "2021", "2024"]
    assert ["Phòng Nội vụ huyện An Bình", "0/1", "1/1", None] in _rows(grid)


def test_by_rule_remedied_later_or_outstanding(tmp_path: Path) -> None:
    sheet = _book(tmp_path)["Theo tiêu chuẩn"]
    rows = {r[1]: r for r in _rows(sheet)}
    age = rows["Đủ tuổi công tác trọn nhiệm kỳ"]
    cao_cap = rows["Giám đốc Sở phải có cao cấp lý luận chính trị khi bổ nhiệm"]
    assert age[3:] == [1, 0, 1, 0]  # violated once, still outstanding
    assert cao_cap[3:] == [1, 1, 0, 0]  # P2 completed cao cấp on 01/06/2024: remedied later
    assert cao_cap[2] == "Khoản 2 Điều 6 Nghị định 29/2024/NĐ-CP"


def test_detail_one_row_per_appointment_with_labels_and_dates(tmp_path: Path) -> None:
    sheet = _book(tmp_path)["Chi tiết"]
    rows = _rows(sheet)
    assert len(rows) == 6
    dung = next(r for r in rows if r[1] == "Phạm Thị Dung")
    assert dung[2] == "Giám đốc Sở Y tế" and dung[5] == "bổ nhiệm" and dung[6] == "Vi phạm"
    assert dung[7] == "Giám đốc Sở phải có cao cấp lý luận chính trị khi bổ nhiệm"
    assert dung[4].date().isoformat() == "2024-05-01" and dung[8].date().isoformat() == "2024-06-01"
    column = [c.value for c in sheet[header_row(sheet)]].index("Ngày bổ nhiệm") + 1
    assert sheet.cell(row=data_row(sheet), column=column).number_format == "DD/MM/YYYY"
