"""`dtbd template --out FILE.xlsx`: the empty workbook a personnel office fills in, and that loads back."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cli.commands.template import CODE_FIELDS
from cli.main import cli
from engine import codes
from engine.dataset import Dataset
from engine.loading import header_for_field, load_dataset
from engine.loading.tables import required_fields
from engine.loading.xlsx_reader import CODES_SHEET, INSTRUCTIONS_SHEET, sheet_name
from engine.loading.xlsx_writer import field_kind
from engine.model import TABLES

MINIMAL = Path(__file__).parent / "data" / "minimal"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "mẫu" / "nhap-lieu.xlsx"
    result = CliRunner().invoke(cli, ["template", "--mkdir", "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    return path


@pytest.fixture(scope="module")
def book(template: Path) -> Any:
    return openpyxl.load_workbook(template)


def test_sheets_instructions_first_tables_then_hidden_codes(template: Path, book: Any) -> None:
    assert book.sheetnames == [INSTRUCTIONS_SHEET, *(sheet_name(t) for t in TABLES), CODES_SHEET]
    assert book[CODES_SHEET].sheet_state == "hidden"
    assert all(book[sheet_name(t)].sheet_state == "visible" for t in TABLES)
    assert sorted(p.name for p in template.parent.iterdir()) == [template.name]  # written atomically


def test_headers_are_vietnamese_with_the_field_as_comment(book: Any) -> None:
    for table, row_class in TABLES.items():
        ws = book[sheet_name(table)]
        required = set(required_fields(table))
        expected = [header_for_field(table, f) + (" *" if f in required else "") for f in row_class.model_fields]
        assert [c.value for c in ws[1]] == expected, table
        assert [c.comment.text.splitlines()[0] for c in ws[1]] == list(row_class.model_fields)
        assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
        assert ws.max_row == 1  # empty below the header


def _validations(ws: Any) -> dict[str, Any]:
    """Column letter -> the data validation covering its cells from row 2."""
    out = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_row == 2 and cell_range.max_row > 1000
            out[openpyxl.utils.get_column_letter(cell_range.min_col)] = validation
    return out


def test_every_code_field_has_a_drop_down_of_its_codes(book: Any) -> None:
    codes_sheet = book[CODES_SHEET]
    for table, row_class in TABLES.items():
        validations = _validations(book[sheet_name(table)])
        for index, name in enumerate(row_class.model_fields, 1):
            letter = openpyxl.utils.get_column_letter(index)
            if (table, name) not in CODE_FIELDS:
                assert letter not in validations or validations[letter].type != "list"
                continue
            validation = validations[letter]
            assert validation.type == "list" and not validation.showDropDown  # (True would hide the arrow)
            sheet, cells = validation.formula1.split("!")
            assert sheet == f"'{CODES_SHEET}'"
            labels = [row[0].value for row in codes_sheet[cells.replace("$", "")]]  # the drop-down offers names
            listed = [row[0].offset(column=-1).value for row in codes_sheet[cells.replace("$", "")]]
            code_list = CODE_FIELDS[(table, name)]
            assert listed == list(code_list.values)
            assert labels == [code_list.label(v) for v in code_list.values]


def _rejects_as_code(table: str, name: str, base: dict[str, Any]) -> str | None:
    """The code list whose error the model raises for a nonsense value of `name`, if any."""
    try:
        TABLES[table].model_validate({**base, name: "khong-co-ma-nay"})
    except ValidationError as exc:
        for error in exc.errors():
            found = re.search(r"unknown (\S+) code 'khong-co-ma-nay'", str(error["msg"]))
            if error["loc"] == (name,) and found:
                return found.group(1)
    return None


def test_code_fields_cover_every_field_the_model_checks_against_a_code_list() -> None:
    dataset = load_dataset(MINIMAL)
    checked = set()
    for table in TABLES:
        base = getattr(dataset, table)[0].model_dump()
        for name in TABLES[table].model_fields:
            list_name = _rejects_as_code(table, name, base)
            if list_name is not None:
                assert CODE_FIELDS.get((table, name)) is codes.ALL[list_name], (table, name)
                checked.add((table, name))
    # Programme codes are checked against the rulebook when loading, not by the model.
    assert checked == {key for key, code_list in CODE_FIELDS.items() if code_list is not codes.PROGRAMME}
    programme_fields = {(t, n) for t in TABLES for n in TABLES[t].model_fields if n == "programme"}
    assert all(CODE_FIELDS[key] is codes.PROGRAMME for key in programme_fields)


def test_date_and_number_columns(book: Any) -> None:
    ws = book[sheet_name("people")]
    validations = _validations(ws)
    assert ws.column_dimensions["C"].number_format == "DD/MM/YYYY"  # Ngày sinh
    assert validations["C"].type == "date" and validations["C"].errorStyle == "warning"
    assert validations["M"].type == "whole"  # foreign_language_level, 1–6
    assert (validations["M"].formula1, validations["M"].formula2) == ("1", "6")
    assert ws.column_dimensions["K"].number_format == "@"  # grade codes stay text: 01.003
    for table in TABLES:
        ws = book[sheet_name(table)]
        for index, name in enumerate(TABLES[table].model_fields, 1):
            letter = openpyxl.utils.get_column_letter(index)
            if field_kind(table, name) == "date":
                assert ws.column_dimensions[letter].number_format == "DD/MM/YYYY", (table, name)


def test_instructions_explain_every_table_required_fields_and_dates(book: Any) -> None:
    text = "\n".join(str(c) for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for c in row if c)
    assert text.startswith("HƯỚNG DẪN")
    for table in TABLES:
        assert f"Trang «{sheet_name(table)}» (bảng {table})" in text
    assert "Cột có dấu * là bắt buộc" in text and "dd/mm/yyyy" in text and "yyyy-mm-dd" in text
    rows = list(book[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    assert ("Ngày sinh", "birth_date", "*", "Ngày", "dd/mm/yyyy hoặc yyyy-mm-dd; chỉ biết tháng thì ghi mm/yyyy,"
            " chỉ biết năm thì ghi yyyy (tính nghỉ hưu từ 01/01 của năm đó, Khoản 1 Điều 3 Nghị định"
            " 135/2020/NĐ-CP).") in rows
    assert ("Ngày hiệu lực", "start", "*", "Ngày",  # a history date: a day or a month
            "dd/mm/yyyy hoặc yyyy-mm-dd; chỉ biết tháng thì ghi mm/yyyy (03/2015).") in rows
    assert ("Ngày bắt đầu", "start", "*", "Ngày", "dd/mm/yyyy hoặc yyyy-mm-dd.") in rows  # a course: days
    assert ("nu", "nữ", None, None, None) in rows  # the code lists with their names


def _fill(template: Path, dataset: Dataset, path: Path) -> None:
    """The template filled in by hand, so to speak: each value under the column its comment names."""
    book = openpyxl.load_workbook(template)
    for table in TABLES:
        ws = book[sheet_name(table)]
        names = [c.comment.text.splitlines()[0] for c in ws[1]]
        for row in getattr(dataset, table):
            values = row.model_dump()
            ws.append([values[name] for name in names])
    book.save(path)


def test_filled_template_loads(tmp_path: Path, template: Path) -> None:
    minimal = load_dataset(MINIMAL)
    root = tmp_path / "ds"
    root.mkdir()
    shutil.copy(MINIMAL / "dataset.yaml", root)
    _fill(template, minimal, root / "du-lieu.xlsx")
    back = load_dataset(root)
    for table in TABLES:
        assert [r.model_dump() for r in getattr(back, table)] == [r.model_dump() for r in getattr(minimal, table)]
    assert back.person_by_id["P2"].birth_date == dt.date(1984, 9, 12)


def test_out_must_be_an_xlsx_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["template", "--out", str(tmp_path / "mau.xls")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not list(tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["template"])
    assert result.exit_code == 2 and "--out" in result.output
