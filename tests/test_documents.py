"""Every xlsx and docx output of every command is a form a board can file (issue 17, "Done when"): opened with
openpyxl / python-docx, each has the A4 page in its orientation, the header rows repeated on every page,
the form head and the signature block, labels and not codes in its cells (checked against the code lists
of engine.codes and the programme codes of the rule packs, not a pattern), and dates as date cells."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from cli.main import cli
from cli.xlsx_form import DOTS
from cli.xlsx_out import data_row, header_row
from engine import codes
from engine.workspace import open_dataset

ROOT = Path(__file__).resolve().parent.parent
DEMO, DONG_NAI, THANH_HOA = (str(ROOT / "fixtures" / n) for n in ("demo", "demo-dong-nai", "demo-thanh-hoa"))
PLAN_DEMO = ROOT / "tests" / "data" / "plan_demo"
PLAN = ["--data", str(PLAN_DEMO), "--rulesets", str(PLAN_DEMO / "rules")]
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SIGNATURE = "(Ký, ghi rõ họ tên, đóng dấu)"
A_DATE = re.compile(r"^(\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})$")
# (command, portrait): every command that writes a workbook or a Word document
DOCUMENTS: list[tuple[list[str], bool]] = [
    (["check", "CB0301", "--data", DEMO], True),
    (["check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01", "--data", DEMO], True),
    (["check", "--all", "--jobs", "1", *PLAN], False),
    (["audit", *PLAN], False), (["audit", "--data", DEMO, "--unit", "SYT"], False),
    (["plan", "--year", "2026", *PLAN], False), (["shortlist", "--course", "K27-CC-KTT-01", "--data", DONG_NAI], False),
    (["readiness", *PLAN], False), (["candidates", "--position", "SNV-GD", "--data", DEMO], False),
    (["targets", "--data", THANH_HOA], False),
    (["targets", "--data", THANH_HOA, "--people", "TH-CAP-XA-HANG-NAM"], False),
    (["report", "phu-luc", "--years", "2027-2029", "--data", DONG_NAI], False),
    (["diff", "audit", "--packs-b", "national,local/thanh-hoa", "--jobs", "1", "--data", DEMO], False),
]
WORD = [(c, p) for c, p in DOCUMENTS if c[:2] != ["check", "--all"] and c[0] != "diff"]  # no docx for those


def _slugs(command: list[str]) -> set[str]:
    """The codes a Vietnamese cell must not show: each code list's codes whose label differs from them ("nam"
    is both), and the programme codes of the command's rule packs."""
    data = Path(command[command.index("--data") + 1])
    rules = Path(command[command.index("--rulesets") + 1]) if "--rulesets" in command else None
    book = open_dataset(data, rules).book
    listed = {c.value for cl in codes.ALL.values() for c in cl.codes if c.value != c.vi}
    return listed | {code for code in book.programmes if book.programme_label(code, "vi") != code}


def _write(tmp_path: Path, command: list[str], fmt: str) -> Path:
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, [*command, "--format", fmt, "--output", str(out)])
    assert result.exit_code in (0, 3), result.output
    return out


def _words(text: str) -> set[str]:
    return {w.strip("()[],;:.") for w in text.split()}


def _id(value: Any) -> str:
    return " ".join(value[:3]) if isinstance(value, list) else ""


@pytest.mark.parametrize(("command", "portrait"), DOCUMENTS, ids=_id)
def test_every_workbook_is_a_form_with_labels_and_date_cells(tmp_path: Path, command: list[str],
                                                            portrait: bool) -> None:
    book = openpyxl.load_workbook(_write(tmp_path, command, "xlsx"))
    slugs = _slugs(command)
    for index, sheet in enumerate(book.worksheets):
        setup = sheet.page_setup
        assert setup.paperSize == 9 and setup.fitToWidth == 1, sheet.title
        assert setup.orientation == ("portrait" if portrait and index == 0 else "landscape"), sheet.title
        top, first = header_row(sheet), data_row(sheet)
        assert sheet.print_title_rows == f"${top}:${first - 1}"
        texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert MOTTO in texts and DOTS.upper() in texts and SIGNATURE in texts, sheet.title
        body = [c for row in sheet.iter_rows(min_row=first) for c in row]
        codes_shown = sorted({w for c in body if isinstance(c.value, str) for w in _words(c.value) if w in slugs})
        assert codes_shown == [], f"codes in the Vietnamese cells of {sheet.title}: {codes_shown}"
        as_text = [c.value for c in body if isinstance(c.value, str) and A_DATE.match(c.value)]
        assert as_text == [], f"dates written as text in {sheet.title}: {as_text[:3]}"
        dates = [c for c in body if isinstance(c.value, dt.date | dt.datetime)]
        assert all(c.number_format == "DD/MM/YYYY" for c in dates), sheet.title


@pytest.mark.parametrize(("command", "portrait"), WORD, ids=_id)
def test_every_word_document_is_a_form_with_labels(tmp_path: Path, command: list[str], portrait: bool) -> None:
    doc = Document(str(_write(tmp_path, command, "docx")))
    section = doc.sections[0]
    assert section.orientation == (WD_ORIENT.PORTRAIT if portrait else WD_ORIENT.LANDSCAPE)
    assert abs(section.page_width - (section.page_height * (210 / 297 if portrait else 297 / 210))) < 20000
    texts = [p.text for p in doc.paragraphs]
    grids = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    cells: list[Any] = [c for t in doc.tables for row in t.rows for c in row.cells]
    texts += [p.text for c in cells for p in c.paragraphs]
    assert any(MOTTO in t for t in texts) and SIGNATURE in texts
    assert grids and all(t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
                         for t in grids)  # each table's header repeated on every page
    slugs = _slugs(command)
    shown = sorted({w for c in (c for t in grids for row in t.rows[1:] for c in row.cells) for w in _words(c.text)
                    if w in slugs})
    assert shown == [], f"codes in the Vietnamese cells: {shown}"
