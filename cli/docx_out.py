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
from docx.shared import Mm, Pt, Twips

from cli.xlsx_form import (
    CELL_SIZE,
    DOTS,
    HEAD_SIZE,
    MARGINS_MM,
    MOTTO_SIZE,
    TEXT_SIZE,
    TITLE_SIZE,
    WIDEST,
    FormHead,
    share_width,
)

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


def common_columns(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[list[int], list[str]]:
    """The columns of a wide table (WIDE_COLUMNS or more, three rows or more) whose every cell holds the same
    text (a shortlist's programme, course and basis), not grouped: their indexes, and a line for each
    that is not empty ("Khóa học: K27-TC-01"), said once above the table instead of on every row."""
    if len(headers) < WIDE_COLUMNS or len(rows) < 3:
        return [], []
    dropped, lines = [], []
    for index, header in enumerate(headers):
        values = {_text(r[index]) if index < len(r) else "" for r in rows}
        if GROUP in header or len(values) != 1 or index == 0:
            continue
        dropped.append(index)
        value = values.pop()
        if value:
            lines.append(f"{header}: {value}")
    return dropped, lines


def _table(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not headers:
        return
    wide = len(headers) >= WIDE_COLUMNS
    dropped, lines = common_columns(headers, rows)
    if dropped:
        for line in lines:
            _para(doc, line, CELL_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
        headers = [h for i, h in enumerate(headers) if i not in dropped]
        rows = [[v for i, v in enumerate(r) if i not in dropped] for r in rows]
    grouped = any(GROUP in h for h in headers)
    depth = 2 if grouped else 1
    table = doc.add_table(rows=depth + len(rows), cols=len(headers))
    table.style = "Table Grid"
    size = WIDE_CELL_SIZE if wide else CELL_SIZE
    if wide:
        _narrow_padding(table)
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
                    run.bold, run.font.size = True, Pt(size)
    for offset, values in enumerate(rows):
        cells = table.rows[depth + offset].cells
        for index, value in enumerate(values[: len(headers)]):
            cells[index].text = _text(value)
            cells[index].paragraphs[0].paragraph_format.space_after = Pt(0)
            for run in cells[index].paragraphs[0].runs:
                run.font.size = Pt(size)
    _fit_widths(doc, table, headers, rows, size, NARROW_PADDING_DXA if wide else PADDING_DXA)


# A table of this many columns or more (the trích ngang has 15) is set in WIDE_CELL_SIZE with narrow cell
# padding, so that its lines fit an A4 landscape page: the decree sets no size for tables.
WIDE_COLUMNS = 12
WIDE_CELL_SIZE = 9
# A cell's side padding, in twentieths of a point (OOXML's dxa): Word's default 0.19 cm each side, or 0.1 cm.
PADDING_DXA = 2 * 108
NARROW_PADDING_DXA = 2 * 57


def _narrow_padding(table: Any) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(NARROW_PADDING_DXA // 2))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema's order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], usable: int, size: int = CELL_SIZE,
                  padding: int = PADDING_DXA) -> list[int]:
    """Column widths (dxa) over the `usable` text width: each column first gets its longest word (a date,
    a name stays whole), then what is left goes to the columns with longer text, in proportion to what they
    would need to be one line up to WIDEST characters (as the workbook's widths). A character is taken as
    a little over half an em of the cells' `size` (Times New Roman's average), `padding` the cell's two
    sides."""
    char = size * 20 * 0.55
    least, wanted = [], []
    for index, header in enumerate(headers):
        texts = [_text(r[index]) for r in rows if index < len(r)]
        words = [w for t in [header.rpartition(GROUP)[2], *texts] for w in t.split()]
        word = max((len(w) for w in words), default=3)
        line = max(word, min(max((len(t) for t in texts), default=0), WIDEST))
        least.append(word * char + padding)
        wanted.append(line * char + padding)
    return [int(w) for w in share_width(least, wanted, usable)]


def _fit_widths(doc: Any, table: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]], size: int,
                padding: int) -> None:
    """Column widths over the text width of the page (`column_widths`). LibreOffice reads the table grid,
    Word the cells' widths: both are set (a merged cell spans the widths of its columns)."""
    section = doc.sections[0]
    usable = int((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> dxa
    widths = column_widths(headers, rows, usable, size, padding)
    table.autofit = False
    for index, width in enumerate(widths):
        table.columns[index].width = Twips(width)
    for row in table.rows:
        for tc in row._tr.tc_lst:
            first, span = tc.grid_offset, tc.grid_span
            tc.width = Twips(sum(widths[first:first + span]))


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
