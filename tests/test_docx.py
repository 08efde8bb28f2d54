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
