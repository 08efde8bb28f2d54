"""Every xlsx output is a document a personnel board can file (issue 17, item 1): A4, fitted to one page
wide, header repeated, "Trang N/M", Times New Roman, the form head of Nghị định 30/2020/NĐ-CP and a
signature block, from the manifest or the options, dotted blanks when absent; labels, not codes."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli
from cli.xlsx_form import DOTS, MARGINS_MM, MM_PER_INCH
from cli.xlsx_out import data_row, header_row

ROOT = Path(__file__).resolve().parent.parent
PLAN_DEMO = ROOT / "tests" / "data" / "plan_demo"
MINI = ROOT / "tests" / "data" / "mini_rules"
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
# A code slug (two or more lowercase ASCII words joined by hyphens, or a bare status code) in a cell
# under --lang vi is a code the officer would have to translate.
SLUG = re.compile(r"^((?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)+"
                  r"|ok|violation|unknown|due|met|overdue|holds|planned|true|false)$")


def _invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 3), result.output
    return result


def _texts(sheet: Any) -> list[str]:
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def _with_manifest(tmp_path: Path, **fields: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(PLAN_DEMO, data)
    manifest = yaml.safe_load((data / "dataset.yaml").read_text(encoding="utf-8"))
    (data / "dataset.yaml").write_text(yaml.safe_dump({**manifest, **fields}, allow_unicode=True), encoding="utf-8")
    return data


OUTPUTS = [["plan", "--year", "2026"], ["shortlist", "--course", "K26-TC-01"], ["readiness"], ["audit"],
           ["check", "P01"], ["check", "--all", "--jobs", "1"]]


@pytest.mark.parametrize("command", OUTPUTS, ids=lambda c: " ".join(c[:2]))
def test_every_xlsx_output_is_a_printable_form(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out.xlsx"
    _invoke(*command, "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules"), "--format", "xlsx",
            "--output", str(out))
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.paperSize == 9  # A4 in the OOXML list of paper sizes
        assert setup.orientation == ("portrait" if command == ["check", "P01"] else "landscape")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
        top, first = header_row(sheet), data_row(sheet)
        assert sheet.print_title_rows == f"${top}:${first - 1}" and first - top in (1, 2)  # repeated on every page
        assert sheet.oddFooter.center.text == "Trang &P/&N"
        assert round(sheet.page_margins.left * MM_PER_INCH) == MARGINS_MM["left"] == 30
        assert round(sheet.page_margins.right * MM_PER_INCH) == MARGINS_MM["right"] == 15
        texts = _texts(sheet)
        assert MOTTO[0] in texts and MOTTO[1] in texts
        assert DOTS.upper() in texts  # no agency given: a blank to fill by hand
        assert any(t.startswith(f"{DOTS}, ngày …… tháng …… năm") for t in texts)
        assert any(t.startswith("Ngày chốt số liệu: ") for t in texts)
        header = [c for r in range(top, first) for c in sheet[r]]
        assert all(c.font.bold and c.font.name == "Times New Roman" and c.border.left.style == "thin"
                   for c in header if c.value is not None)
        body = [c for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row) for c in row
                if c.value is not None and c.border.left.style == "thin"]
        assert all(c.alignment.wrap_text and c.font.name == "Times New Roman" for c in body)
        assert all(d.width <= 32 for d in sheet.column_dimensions.values() if d.width)
        assert "(Ký, ghi rõ họ tên, đóng dấu)" in texts
        slugs = sorted({t for t in texts if SLUG.match(t)})
        assert slugs == [], f"codes in Vietnamese cells of {sheet.title}: {slugs}"


def test_the_form_head_comes_from_the_manifest(tmp_path: Path) -> None:
    data = _with_manifest(tmp_path, agency="Ban Tổ chức Tỉnh ủy", parent_agency="Tỉnh ủy Sông Hồng",
                          place="Sông Hồng", signer_title="Trưởng ban", signer_name="Nguyễn Văn Ký")
    out = tmp_path / "plan.xlsx"
    _invoke("plan", "--year", "2026", "--data", str(data), "--rulesets", str(data / "rules"), "--format", "xlsx",
            "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet["A1"].value == "TỈNH ỦY SÔNG HỒNG" and not sheet["A1"].font.bold
    assert sheet["A2"].value == "BAN TỔ CHỨC TỈNH ỦY" and sheet["A2"].font.bold
    assert sheet["A2"].font.name == "Times New Roman" and sheet["A2"].font.size == 13
    right = [c for c in sheet[1] if c.value == MOTTO[0]]
    assert right and right[0].column > 1 and right[0].font.bold
    assert [c.value for c in sheet[3] if c.value] == ["Sông Hồng, ngày …… tháng …… năm ……"]
    assert sheet["A5"].value == "KẾ HOẠCH CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG NĂM 2026" and sheet["A5"].font.size == 14
    texts = _texts(sheet)
    assert "TRƯỞNG BAN" in texts and "Nguyễn Văn Ký" in texts
    signer = next(c for row in sheet.iter_rows() for c in row if c.value == "TRƯỞNG BAN")
    assert signer.row > header_row(sheet) and signer.font.bold


def test_options_win_over_the_manifest_and_add_the_attached_line(tmp_path: Path) -> None:
    data = _with_manifest(tmp_path, agency="Ban Tổ chức Tỉnh ủy")
    out = tmp_path / "sl.xlsx"
    _invoke("shortlist", "--course", "K26-TC-01", "--data", str(data), "--rulesets", str(data / "rules"),
            "--agency", "Sở Nội vụ", "--attached-to", "Tờ trình số 12/TTr-SNV ngày 01/12/2026",
            "--signer-name", "Lê Thị Ký", "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    texts = _texts(sheet)
    assert sheet["A2"].value == "SỞ NỘI VỤ"
    assert "(Kèm theo Tờ trình số 12/TTr-SNV ngày 01/12/2026)" in texts
    assert "Lê Thị Ký" in texts and DOTS.upper() in texts  # the signer's title stays blank


def test_check_for_position_says_post_day_and_verdict_in_the_title_rows(tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    _invoke("check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01", "--format", "xlsx",
            "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    title_rows = [sheet.cell(row=r, column=1).value or "" for r in range(5, header_row(sheet))]
    assert title_rows[0] == "PHIẾU RÀ SOÁT TIÊU CHUẨN ĐÀO TẠO, BỒI DƯỠNG"
    proposal = next(t for t in title_rows if t.startswith("Dự kiến bổ nhiệm: "))
    assert "ngày 01/12/2026" in proposal and proposal.endswith("CHƯA ĐỦ ĐIỀU KIỆN")
    assert sheet.page_setup.orientation == "portrait"
    deadlines = [c for c in sheet[header_row(sheet) + 1] if c.is_date]
    assert deadlines and deadlines[0].number_format == "DD/MM/YYYY"


def test_check_csv_has_an_eligible_column() -> None:
    proposed = _invoke("check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01", "--format", "csv",
                       "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(proposed.output.lstrip("\ufeff"))))
    assert rows and {r["eligible"] for r in rows} == {"false"}
    plain = _invoke("check", "CB0301", "--format", "csv", "--lang", "en")
    assert {r["eligible"] for r in csv.DictReader(io.StringIO(plain.output.lstrip("\ufeff")))} == {""}


def test_english_form(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    _invoke("plan", "--year", "2026", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules"),
            "--lang", "en", "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    texts = _texts(sheet)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in texts and sheet.oddFooter.center.text == "Page &P/&N"


@pytest.mark.parametrize("command", [["plan", "--year", "2026"], ["shortlist", "--course", "K26-TC-01"], ["readiness"]],
                         ids=lambda c: c[0])
def test_trich_ngang_list(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "list.xlsx"
    _invoke(*command, "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules"), "--format", "xlsx",
            "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    top, first = header_row(sheet), data_row(sheet)
    assert first == top + 2  # "Ngày sinh" over "Nam" and "Nữ"
    groups = [c.value for c in sheet[top]]
    subs = [c.value for c in sheet[top + 1]]
    assert groups[2] == "Ngày sinh" and subs[2:4] == ["Nam", "Nữ"]
    assert f"C{top}:D{top}" in {str(r) for r in sheet.merged_cells.ranges}
    tail = ("Chức danh quy hoạch", "Tình trạng") if command[0] == "readiness" else ("Chương trình", "Khóa học", "Hạn",
                                                                                  "Căn cứ")
    for name in ("Họ và tên", "Dân tộc", "Chức vụ", "Đơn vị", "Ngạch", "Trình độ chuyên môn", "Trình độ LLCT",
                 "Ngày vào Đảng", *tail):
        assert name in groups, name
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row)]
    listed = [r for r in rows if isinstance(r[0], int)]
    assert listed
    born = [c for row in sheet.iter_rows(min_row=first, max_row=first + len(listed) - 1, min_col=3, max_col=4)
            for c in row if c.value is not None]
    assert len(born) == len(listed) and all(c.is_date for c in born)  # one birth date each, in its column


def test_the_plan_cites_rules_by_title(tmp_path: Path) -> None:
    common = ["plan", "--year", "2026", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules")]
    import json

    ids = {a["rule"] for a in json.loads(_invoke(*common, "--json").output)["assignments"]}
    out = tmp_path / "plan.xlsx"
    _invoke(*common, "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    column = [c.value for c in sheet[header_row(sheet)]].index("Căn cứ") + 1
    bases = [sheet.cell(row=r, column=column).value for r in range(data_row(sheet), sheet.max_row + 1)
             if isinstance(sheet.cell(row=r, column=1).value, int)]
    assert ids and bases
    assert not [b for b in bases if any(b.startswith(i) for i in ids)], bases


DEMO = ROOT / "fixtures" / "demo"


@pytest.mark.parametrize("command", [["plan", "--year", "2026"], ["audit"], ["check", "--all", "--jobs", "1"],
                                     ["audit", "--stream"], ["check", "--all", "--stream", "--jobs", "1"]],
                         ids=" ".join)
def test_a_csv_file_starts_with_a_bom_for_excel(tmp_path: Path, command: list[str]) -> None:
    data = ["--data", str(DEMO)] if "--stream" in command else ["--data", str(PLAN_DEMO), "--rulesets",
                                                                 str(PLAN_DEMO / "rules")]
    common = [*command, *data, "--format", "csv"]
    out = tmp_path / "out.csv"
    _invoke(*common, "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    printed = _invoke(*common).output
    assert not printed.startswith("\ufeff")  # stdout stays plain for pipes
    assert raw.decode("utf-8-sig") == printed


@pytest.mark.parametrize(("command", "sheet"), [(["plan", "--year", "2026"], "Tổng hợp theo chương trình"),
                                               (["audit"], "Theo đơn vị")], ids=["plan", "audit"])
def test_native_charts(tmp_path: Path, command: list[str], sheet: str) -> None:
    out = tmp_path / "out.xlsx"
    _invoke(*command, "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules"), "--format", "xlsx",
            "--output", str(out))
    import zipfile

    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode("utf-8")
    assert "<barChart>" in xml and f"'{sheet}'!" in xml


def test_targets_chart(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    _invoke("targets", "--data", str(ROOT / "fixtures" / "demo-thanh-hoa"), "--format", "xlsx", "--output", str(out))
    import zipfile

    with zipfile.ZipFile(out) as archive:
        assert [n for n in archive.namelist() if n.startswith("xl/charts/chart")] == ["xl/charts/chart1.xml"]


def test_wrapped_rows_get_their_height_and_wide_tables_their_page(tmp_path: Path) -> None:
    from cli.xlsx_form import PAGE_UNITS, wrapped_lines

    assert wrapped_lines("một hai ba", 30) == 1 and wrapped_lines("một hai ba bốn năm sáu bảy tám", 5) > 3
    assert wrapped_lines("a\nb", 30) == 2
    out = tmp_path / "plan.xlsx"
    _invoke("plan", "--year", "2026", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules"),
            "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    widths = [d.width for d in sheet.column_dimensions.values() if d.width]
    assert sum(widths) <= PAGE_UNITS["landscape"] + 1
    heights = [sheet.row_dimensions[r].height for r in range(data_row(sheet), sheet.max_row + 1)]
    assert any(h and h > 20 for h in heights)  # a line that wraps is as tall as its lines
