"""`--format docx` (issue 17, item 5): the same documents in Word, from the repository's template, with
the form head, the header row repeated on every page, the signature block and labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from cli.docx_out import TEMPLATE
from cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
PLAN_DEMO = ROOT / "tests" / "data" / "plan_demo"
DONG_NAI = ROOT / "fixtures" / "demo-dong-nai"


def _doc(tmp_path: Path, *args: str) -> Any:
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(cli, [*args, "--format", "docx", "--output", str(out)])
    assert result.exit_code in (0, 3), result.output
    return Document(str(out))


def _texts(doc: Any) -> list[str]:
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p.text for p in cell.paragraphs]
    return found


@pytest.mark.parametrize("args", [
    ["shortlist", "--course", "K26-TC-01", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules")],
    ["plan", "--year", "2026", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules")],
    ["report", "phu-luc", "--years", "2027-2029", "--data", str(DONG_NAI)],
    ["audit", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules")],
], ids=["shortlist", "plan", "phu-luc", "audit"])
def test_word_documents_are_forms(tmp_path: Path, args: list[str]) -> None:
    doc = _doc(tmp_path, *args)
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and abs(section.page_width - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(1) and abs(section.right_margin - Mm(15)) < Mm(1)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    texts = _texts(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "Độc lập - Tự do - Hạnh phúc" in texts
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in texts
    assert any(t.startswith("Ngày chốt số liệu: ") for t in texts)
    data = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    assert data
    header = data[0].rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page


def test_the_phieu_ra_soat_is_portrait_with_the_verdict(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01")
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    texts = _texts(doc)
    assert "PHIẾU RÀ SOÁT TIÊU CHUẨN ĐÀO TẠO, BỒI DƯỠNG" in texts
    assert any(t.startswith("Dự kiến bổ nhiệm: ") and "01/12/2026" in t for t in texts)
    assert any("Nghị định" in t or "Quy định" in t or "Chỉ thị" in t for t in texts)  # citations


def test_the_template_is_in_the_repository_and_restyles_the_documents(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert TEMPLATE.is_file()
    restyled = Document(str(TEMPLATE))
    restyled.styles["Normal"].font.name = "Arial"
    custom = tmp_path / "mau.docx"
    restyled.save(str(custom))
    monkeypatch.setattr("cli.docx_out.TEMPLATE", custom)
    doc = _doc(tmp_path, "plan", "--year", "2026", "--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules"))
    assert doc.styles["Normal"].font.name == "Arial"


def test_check_all_refuses_docx() -> None:
    result = CliRunner().invoke(cli, ["check", "--all", "--format", "docx", "--output", "/dev/null"])
    assert result.exit_code == 2 and "docx" in result.output


def _table_texts(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_audit_summary_is_short_and_complete(tmp_path: Path) -> None:
    import json

    from cli.audit_docx import LISTED_VIOLATIONS

    args = ["audit", "--data", str(ROOT / "fixtures" / "demo"), "--unit", "SYT"]  # 7 violations, some remedied
    report = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    doc = _doc(tmp_path, *args)
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO TÓM TẮT KẾT QUẢ KIỂM TRA CÔNG TÁC BỔ NHIỆM" in paragraphs
    s = report["summary"]
    start, end = (f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d in (report["from"], report["to"]))
    assert f"Từ ngày {start} đến ngày {end}" in paragraphs
    totals = next(p for p in paragraphs if p.startswith("Tổng số "))
    assert totals.startswith(f"Tổng số {s['total']} lần bổ nhiệm: {s['ok']} đúng quy định, {s['violation']} vi phạm")
    assert [p for p in paragraphs if p[:2] in ("1.", "2.", "3.", "4.", "5.")][:3] == [
        "1. Tổng hợp chung", "2. Theo đơn vị", "3. Theo năm bổ nhiệm"]
    grids = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    by_unit, by_year = _table_texts(grids[0]), _table_texts(grids[1])
    assert by_unit[0][:3] == ["STT", "Đơn vị", "Tổng số"] and by_year[0][0] == "Năm"
    assert sum(int(r[2]) for r in by_unit[1:] if r[0]) == s["total"]  # group lines carry the totals
    rates = [float(r[6].replace(",", ".")) for r in by_unit[1:] if r[0]]
    assert rates == sorted(rates, reverse=True)  # worst group first
    assert sum(int(r[1]) for r in by_year[1:]) == s["total"]
    rules = next((_table_texts(t) for t in grids[2:] if _table_texts(t)[0][1] == "Tiêu chuẩn (quy tắc)"), None)
    assert 0 < s["violation"] <= LISTED_VIOLATIONS
    assert rules is not None and rules[0][4:6] == ["Đã bổ sung sau", "Còn tồn tại"]
    assert all(int(r[3]) == int(r[4]) + int(r[5]) for r in rules[1:])
    listed = [t for t in grids if _table_texts(t)[0][4:5] == ["Tiêu chuẩn không đạt"]]
    assert len(listed) == 1 and len(listed[0].rows) == s["violation"] + 1
    assert not [t for t in grids if "Chi tiết" in _table_texts(t)[0]]  # not the workbook's detail
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in _texts(doc)


def test_a_long_audit_counts_its_violations(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "audit", "--data", str(ROOT / "fixtures" / "demo"))
    said = [p.text for p in doc.paragraphs if "xem tệp Excel kèm theo" in p.text]
    assert len(said) == 1 and said[0].startswith("Có ") and "lần bổ nhiệm vi phạm" in said[0]


def test_wide_tables_fit_the_page_width() -> None:
    from cli.docx_out import column_widths, common_columns

    headers = [f"Cột {i}" for i in range(15)]
    rows = [[f"0{i}/01/1980", "x " * (60 + i), *(["Chương trình chung"] * 13)] for i in range(5)]
    rows[1][2] = "khác"
    dropped, lines = common_columns(headers, rows)
    assert dropped == list(range(3, 15)) and lines[0] == "Cột 3: Chương trình chung"  # said once, above
    widths = column_widths(headers[:3], [r[:3] for r in rows], 14287)
    assert sum(widths) <= 14287 and widths[0] >= 10 * 9 * 20 * 0.5  # the date keeps one line
    assert widths[1] > widths[2]  # the long text gets the room


def test_a_one_course_shortlist_says_its_course_once(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "shortlist", "--course", "K26-TC-01", "--data", str(PLAN_DEMO), "--rulesets",
               str(PLAN_DEMO / "rules"))
    grid = next(t for t in doc.tables if t.style is not None and t.style.name == "Table Grid")
    header = [c.text for c in grid.rows[0].cells]
    if len(grid.rows) >= 5:  # three nominees or more: the course, the same on every line, is above the table
        assert "Khóa học" not in header
        assert any(p.text == "Khóa học: K26-TC-01" for p in doc.paragraphs)
    else:
        assert "Khóa học" in header
