"""`dtbd import --mapping`: the shipped mappings read the sample workbooks made from the demo (round trip),
and everything not carried over is listed with its sheet, row and column; nothing is written unless the
result validates, or with --partial, the valid part and a report."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cli.main import cli
from engine.dataset import Dataset
from engine.errors import InputError
from engine.intake import importer
from engine.intake.mapping import load_mapping
from engine.loading import load_dataset
from engine.model import TABLES
from engine.precision import PartialDate

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
SAMPLES = ROOT / "fixtures" / "import"
MAPPINGS = ROOT / "mappings"


def _make_sources() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sources", SAMPLES / "make_sources.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo() -> Dataset:
    return load_dataset(DEMO)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory, demo: Dataset) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    _make_sources().write(demo, folder)
    return folder


def _import(source: Path, mapping: str, out: Path, base: Path, *extra: str) -> Any:
    return CliRunner().invoke(cli, ["import", "--mapping", str(MAPPINGS / f"{mapping}.yaml"), str(source),
                                    "--base", str(base), "--out", str(out), *extra])


def _sorted(rows: list[Any]) -> list[str]:
    return sorted(repr(row) for row in rows)


def test_hs02_round_trip_gives_the_demo(sources: Path, demo: Dataset, tmp_path: Path) -> None:
    result = _import(sources / "hs02.xlsx", "hs02", tmp_path / "out", sources / "base")
    assert result.exit_code == 0, result.output
    loaded = load_dataset(tmp_path / "out")
    for table in TABLES:
        assert _sorted(getattr(loaded, table)) == _sorted(getattr(demo, table)), table
    runner = CliRunner()
    findings = [runner.invoke(cli, ["check", "CB0301", "--data", str(folder), "--json"]).output
                for folder in (DEMO, tmp_path / "out")]
    assert json.loads(findings[0])["findings"] == json.loads(findings[1])["findings"]


def test_trich_ngang_gives_the_people_it_holds(sources: Path, demo: Dataset, tmp_path: Path) -> None:
    result = _import(sources / "trich-ngang.xlsx", "trich-ngang", tmp_path / "out", sources / "base")
    assert result.exit_code == 0, result.output
    assert "Quê quán / Xã" in result.output  # ignored on purpose, and said so
    loaded = load_dataset(tmp_path / "out")
    held = ("id", "full_name", "birth_date", "gender", "ethnicity", "category", "unit", "education", "grade",
            "party_member_since", "party_official_since")
    assert [[getattr(p, f) for f in held] for p in loaded.people] == [[getattr(p, f) for f in held]
                                                                      for p in demo.people]
    # the list writes the recruitment date month/year: a month, kept as such
    assert [repr(p.service_start) for p in loaded.people] == [
        repr(PartialDate.of_month(p.service_start.year, p.service_start.month)) if p.service_start else "None"
        for p in demo.people]


def test_mau_2c_reports_every_undated_cell_and_writes_only_with_partial(sources: Path, demo: Dataset,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _import(sources / "mau-2c.xlsx", "mau-2c", out, sources / "base")
    assert result.exit_code == 1 and not out.exists()
    source = str(sources / "mau-2c.xlsx")
    years = [line for line in result.output.splitlines() if "only a year" in line]
    assert len(years) == len({d.person for d in demo.disciplines})  # the latest discipline of each, by year only
    assert all(line.startswith(f"{source}[Mẫu 2C]:") and " N «Kỷ luật / Năm»" in line for line in years)
    result = _import(sources / "mau-2c.xlsx", "mau-2c", out, sources / "base", "--partial")
    assert result.exit_code == 0, result.output
    loaded = load_dataset(out)
    assert [p.id for p in loaded.people] == [p.id for p in demo.people]
    assert loaded.credentials == [] and loaded.disciplines == []
    with (tmp_path / f"out-{importer.REPORT}").open(encoding="utf-8") as handle:
        report = list(csv.DictReader(handle))
    undated = [r for r in report if r["kind"] == "left-out" and r["column"] == "completed"]
    assert all(r["where"].startswith(f"{source}[Mẫu 2C]:") for r in undated)
    levels = {(c.person, c.programme.split("-")[0]) for c in demo.credentials
              if c.programme.startswith(("llct-", "cu-nhan-chinh-tri", "qlnn-"))}
    assert len(undated) == len({(person, "qlnn" if kind == "qlnn" else "llct") for person, kind in levels})
    assert len([r for r in report if r["kind"] == "unmapped"]) == len(years)


def test_committed_samples_import(tmp_path: Path) -> None:
    for name in ("hs02", "trich-ngang"):
        result = _import(SAMPLES / f"{name}.xlsx", name, tmp_path / name, SAMPLES / "base")
        assert result.exit_code == 0, result.output


def _edit(path: Path, sheet: str, edit: Any) -> None:
    book = openpyxl.load_workbook(path)
    edit(book[sheet])
    book.save(path)


def test_unmapped_column_value_and_month_dates_are_listed_with_their_cell(sources: Path, tmp_path: Path) -> None:
    source = tmp_path / "tn.xlsx"
    shutil.copy(sources / "trich-ngang.xlsx", source)

    def edit(ws: Any) -> None:
        ws.cell(row=3, column=16, value="Sở thích")  # a column the mapping does not name: P
        ws.cell(row=5, column=6, value="Người Sao Hỏa")  # an ethnicity the mapping's table lacks: F5
        ws.cell(row=6, column=14, value="2015")  # a year where a month is the least: N6
    _edit(source, "Trích ngang", edit)
    out = tmp_path / "out"
    result = _import(source, "trich-ngang", out, sources / "base")
    assert result.exit_code == 1 and not out.exists()
    text = result.output
    assert f"{source}[Trích ngang]:4 P «Sở thích»: cột không có trong tệp ánh xạ" in text
    assert f"{source}[Trích ngang]:5 F «Dân tộc»: giá trị không có trong bảng «dan-toc»" in text
    assert f"{source}[Trích ngang]:6 N «Ngày tuyển dụng»: chỉ có năm" in text and "(2015)" in text


def test_problems_of_imported_rows_name_the_source_cell(sources: Path, tmp_path: Path) -> None:
    source = tmp_path / "hs.xlsx"
    shutil.copy(sources / "hs02.xlsx", source)
    _edit(source, "Sơ yếu lý lịch", lambda ws: ws.cell(row=5, column=6, value="Công an viên"))  # no such category
    result = _import(source, "hs02", tmp_path / "out", sources / "base")
    assert result.exit_code == 1
    assert f"{source}[Sơ yếu lý lịch]:5 F (category): unknown category code 'Công an viên'" in result.output


def test_a_title_two_posts_share_needs_the_id(sources: Path, tmp_path: Path) -> None:
    source = tmp_path / "hs.xlsx"
    shutil.copy(sources / "hs02.xlsx", source)
    book = openpyxl.load_workbook(source)
    ws = book["Quá trình công tác"]
    row = next(r for r in range(5, ws.max_row + 1) if " (" in str(ws.cell(row=r, column=2).value))
    ws.cell(row=row, column=2, value=str(ws.cell(row=row, column=2).value).split(" (")[0])  # the title alone
    book.save(source)
    result = _import(source, "hs02", tmp_path / "out", sources / "base")
    assert result.exit_code == 1
    assert f"{source}[Quá trình công tác]:{row} B «Chức vụ»: tên này ứng với nhiều mã" in result.output


def test_mapping_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("name: x\nsheets:\n  - sheet: A\n    header_rows: [1]\n    columns:\n      Tên: people.ten\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(path)
    assert "people has no field ten" in str(info.value)
    assert info.value.problems[0].line is not None


def test_output_folder_is_not_overwritten(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    result = _import(sources / "trich-ngang.xlsx", "trich-ngang", out, sources / "base")
    assert result.exit_code == 1 and (out / "keep.txt").exists()


def test_a_cell_with_line_breaks_does_not_shift_the_rows_after_it(sources: Path, tmp_path: Path) -> None:
    source = tmp_path / "hs.xlsx"
    shutil.copy(sources / "hs02.xlsx", source)

    def edit(ws: Any) -> None:
        ws.cell(row=5, column=7, value="dòng một\ndòng hai\ndòng ba")  # a note over three lines: G5
        ws.cell(row=7, column=2, value="Chương trình lạ")  # a programme nobody knows, two rows below: B7
    _edit(source, "Lý luận chính trị", edit)
    result = _import(source, "hs02", tmp_path / "out", sources / "base")
    assert result.exit_code == 1
    found = [line for line in result.output.splitlines() if "Chương trình lạ" in line]
    assert len(found) == 1 and found[0].startswith(f"{source}[Lý luận chính trị]:7 B (programme): "), found


def test_names_from_the_base_need_a_base(sources: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import", "--mapping", str(MAPPINGS / "trich-ngang.yaml"),
                                      str(sources / "trich-ngang.xlsx"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "--base" in result.output and len(result.output.splitlines()) <= 3


def test_a_problem_naming_another_imported_row_names_its_cell(sources: Path, tmp_path: Path) -> None:
    source = tmp_path / "hs.xlsx"
    shutil.copy(sources / "hs02.xlsx", source)
    book = openpyxl.load_workbook(source)
    ws = book["Quá trình công tác"]
    current = [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=4).value is None]
    first, second = current[0], current[1]
    ws.cell(row=second, column=2, value=ws.cell(row=first, column=2).value)  # two people in one post
    book.save(source)
    result = _import(source, "hs02", tmp_path / "out", sources / "base")
    assert result.exit_code == 1
    assert ".dtbd-import-" not in result.output
    assert f"{source}[Quá trình công tác]:{first}" in result.output
