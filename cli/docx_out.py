"""Word output (`--format docx`): the documents that travel as Word files attached to a tờ trình (the
shortlist's trích ngang, the plan's list, the appendix tables, one person's phiếu rà soát, the audit's
summary), laid out on the same form as the workbooks (cli.xlsx_form: Nghị định 30/2020/NĐ-CP, Phụ lục I).

The page, fonts and styles come from the template `cli/templates/bieu-mau.docx` (styles "Normal",
"Table Grid"; A4, margins 20/20/30/15 mm): a province restyles its documents by editing that file in
Word, without code. python-docx (a well-kept library) writes the file.

Every command that writes a workbook writes the same document in Word: `emit` runs the command's xlsx
renderer inside `docx_mode()`, and `cli.xlsx_out.write_sheet_xlsx` then asks `docx_bytes` for the file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cli.xlsx_form import CELL_SIZE, DOTS, HEAD_SIZE, MARGINS_MM, MOTTO_SIZE, TEXT_SIZE, TITLE_SIZE, FormHead

TEMPLATE = Path(__file__).parent / "templates" / "bieu-mau.docx"
GROUP = "|"
_DOCX: ContextVar[bool] = ContextVar("dtbd_docx", default=False)


@contextmanager
def docx_mode() -> Iterator[None]:
    token = _DOCX.set(True)
    try:
        yield
    finally:
        _DOCX.reset(token)


def docx_requested() -> bool:
    return _DOCX.get()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _para(container: Any, text: str, size: int, *, bold: bool = False, italic: bool = False,
          align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _head(doc: Any, head: FormHead, title: str, as_of: dt.date, lang: str) -> None:
    vi = lang == "vi"
    grid = doc.add_table(rows=1, cols=2)
    left, right = grid.rows[0].cells
    left.paragraphs[0].text = ""
    _para(left, (head.parent_agency or DOTS).upper(), HEAD_SIZE)
    _para(left, (head.agency or DOTS).upper(), HEAD_SIZE, bold=True)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" if vi else "SOCIALIST REPUBLIC OF VIETNAM", HEAD_SIZE,
          bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc" if vi else "Independence - Freedom - Happiness", MOTTO_SIZE, bold=True)
    place = head.place or DOTS
    _para(right, f"{place}, ngày …… tháng …… năm ……" if vi else f"{place}, date {DOTS}", TEXT_SIZE, italic=True)
    _para(doc, "", TEXT_SIZE)
    _para(doc, title.upper(), TITLE_SIZE, bold=True)
    for line in head.subtitles:
        _para(doc, line, TEXT_SIZE, bold=True)
    if head.attached_to:
        _para(doc, f"(Kèm theo {head.attached_to})" if vi else f"(Attached to {head.attached_to})", TEXT_SIZE,
              italic=True)
    _para(doc, f"{'Ngày chốt số liệu' if vi else 'Data as of'}: {as_of:%d/%m/%Y}", TEXT_SIZE, italic=True)


def _repeat_header(row: Any) -> None:
    """Mark a table row as a header row, repeated at the top of every page (w:tblHeader)."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _table(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not headers:
        return
    grouped = any(GROUP in h for h in headers)
    depth = 2 if grouped else 1
    table = doc.add_table(rows=depth + len(rows), cols=len(headers))
    table.style = "Table Grid"
    for index, header in enumerate(headers):
        group, _, name = header.rpartition(GROUP)
        if not grouped:
            table.cell(0, index).text = name
        elif not group:
            table.cell(0, index).merge(table.cell(1, index)).text = name
        else:
            table.cell(1, index).text = name
            first = index
            while first > 0 and headers[first - 1].rpartition(GROUP)[0] == group:
                first -= 1
            if first == index:
                table.cell(0, index).text = group
            else:
                table.cell(0, first).merge(table.cell(0, index))
    for row in table.rows[:depth]:
        _repeat_header(row)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in paragraph.runs:
                    run.bold, run.font.size = True, Pt(CELL_SIZE)
    for offset, values in enumerate(rows):
        cells = table.rows[depth + offset].cells
        for index, value in enumerate(values[: len(headers)]):
            cells[index].text = _text(value)
            for run in cells[index].paragraphs[0].runs:
                run.font.size = Pt(CELL_SIZE)


def _signature(doc: Any, head: FormHead, lang: str) -> None:
    grid = doc.add_table(rows=1, cols=2)
    right = grid.rows[0].cells[1]
    right.paragraphs[0].text = ""
    _para(right, (head.signer_title or DOTS).upper(), TEXT_SIZE, bold=True)
    _para(right, "(Ký, ghi rõ họ tên, đóng dấu)" if lang == "vi" else "(signature and seal)", CELL_SIZE, italic=True)
    for _ in range(3):
        _para(right, "", TEXT_SIZE)
    _para(right, head.signer_name or DOTS, TEXT_SIZE, bold=True)


def new_document(head: FormHead, title: str, as_of: dt.date, lang: str) -> Any:
    """A document from the template (its page and styles), emptied, turned as `head` says, with the form
    head and the title: what every Word output starts with."""
    doc = Document(str(TEMPLATE))
    for element in list(doc.element.body):
        if element.tag != qn("w:sectPr"):
            doc.element.body.remove(element)
    section = doc.sections[0]
    if head.portrait != (section.orientation == WD_ORIENT.PORTRAIT):
        section.orientation = WD_ORIENT.PORTRAIT if head.portrait else WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    _head(doc, head, title, as_of, lang)
    return doc


def add_table(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A bordered table ("Table Grid"), its header repeated on every page; "Group|Name" headers grouped."""
    _table(doc, headers, rows)


def add_text(doc: Any, text: str, *, bold: bool = False, italic: bool = False, left: bool = True) -> None:
    """A paragraph at the body's size (left-aligned, or centred)."""
    _para(doc, text, TEXT_SIZE, bold=bold, italic=italic,
          align=WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER)


def finish(doc: Any, head: FormHead, lang: str) -> bytes:
    """The signature block, then the document as bytes."""
    _para(doc, "", TEXT_SIZE)
    _signature(doc, head, lang)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_bytes(title: str, as_of: dt.date, headers: Sequence[str], rows: Sequence[Sequence[Any]],
               extra_sheets: Sequence[tuple[str, list[str], list[list[Any]]]] | None, lang: str,
               notes: Sequence[str], head: FormHead) -> bytes:
    """The document: the form head, the main table, its notes, each extra table under its name, the
    signature block."""
    doc = new_document(head, title, as_of, lang)
    _table(doc, headers, rows)
    for note in notes:
        _para(doc, note, CELL_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    for name, extra_headers, extra_rows in extra_sheets or ():
        _para(doc, "", TEXT_SIZE)
        _para(doc, name.upper(), TEXT_SIZE, bold=True)
        _table(doc, extra_headers, extra_rows)
    return finish(doc, head, lang)


def make_template(path: Path = TEMPLATE) -> None:
    """Write the default template (run once; the file is committed): A4 landscape, the margins of
    Mục I.4, Times New Roman 13 pt (Mục I.2, II.6)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(TEXT_SIZE)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


__all__ = ["TEMPLATE", "add_table", "add_text", "docx_bytes", "docx_mode", "docx_requested", "finish",
           "make_template", "new_document"]
