"""The administrative form every xlsx output is laid out on: page, fonts, form head, signature block.

One module for the form and the page, used by every workbook the commands write (cli.xlsx_out). The
form follows the state's rules on the presentation of administrative documents, Nghị định
30/2020/NĐ-CP ngày 05/3/2020 về công tác văn thư, Phụ lục I "Thể thức, kỹ thuật trình bày văn bản
hành chính":
- Mục I.3 (khổ giấy): A4 (210 mm x 297 mm); a document holding tables may be laid out landscape
  ("theo chiều rộng"). Lists are landscape here, a one-person form (phiếu) portrait.
- Mục I.4 (định lề trang): top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. We take the
  lower bound of each range: 20, 20, 30, 15 mm.
- Mục I.2 (phông chữ): Times New Roman (Unicode, TCVN 6909:2001), black.
- Mục II.1 (Quốc hiệu và Tiêu ngữ): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in capitals, 12–13 pt,
  bold; "Độc lập - Tự do - Hạnh phúc" 13–14 pt, bold, hyphens between the phrases; at the right.
- Mục II.2 (tên cơ quan ban hành): the parent agency (cơ quan chủ quản) in capitals 12–13 pt upright,
  the issuing agency in capitals 12–13 pt bold, at the left, above one another.
- Mục II.4 (địa danh và thời gian): "Địa danh, ngày … tháng … năm …", 13–14 pt italic, under the motto.
- Mục II.5 (tên loại và trích yếu): the title in capitals, 13–14 pt bold, centred.
- Mục II.7 (chức vụ, họ tên người ký): the signer's title in capitals 13–14 pt bold, the name 13–14 pt
  bold, at the right under the content, with room for the signature between them.
- Mục III.1 (phụ lục): an appendix says which document it goes with: "(Kèm theo … số … ngày …)".
The decree sets no size for the cells of a table; 11 pt keeps a 12-column list readable once the
sheet is fitted to one page wide. Mục I.6 puts the page number at the top centre; a list that runs
over many pages carries "Trang N/M" in its footer instead, so that each page says how many there are.

Agency, place and signer come from the dataset's manifest (`agency`, `parent_agency`, `place`,
`signer_title`, `signer_name`: docs/data.md) or the options of the same names (`--agency`, …, and
`--attached-to` for the "Kèm theo" line), options first; absent, the form shows dotted blanks to fill
in by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import click
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from engine.contract import set_cell

FONT = "Times New Roman"  # Phụ lục I, Mục I.2
HEAD_SIZE = 13  # Quốc hiệu, agency: 12–13 pt (Mục II.1, II.2)
MOTTO_SIZE = 13  # Tiêu ngữ: 13–14 pt (Mục II.1)
TITLE_SIZE = 14  # tên loại: 13–14 pt (Mục II.5)
TEXT_SIZE = 13  # place and date, signer: 13–14 pt (Mục II.4, II.7)
CELL_SIZE = 11  # cells of a table: the decree sets none
MM_PER_INCH = 25.4
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # Mục I.4, lower bounds
WIDEST = 32  # a column never wider than this (characters); longer text wraps
DOTS = "…………………"
FORM_FIELDS = ("agency", "parent_agency", "place", "signer_title", "signer_name")
_META = "dtbd.form"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class FormHead:
    """What the head and the foot of a form say; None is a dotted blank."""

    agency: str | None = None
    parent_agency: str | None = None
    place: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    attached_to: str | None = None  # "(Kèm theo …)": the document this list goes with
    signed: dt.date | None = None  # the date beside the place; None: dotted
    subtitles: tuple[str, ...] = ()  # lines under the title (the verdict of a check, a period)
    portrait: bool = False


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and param.name is not None:
        ctx.meta.setdefault(_META, {})[param.name] = value
    return value


def form_options(func: F) -> F:
    """--agency, --parent-agency, --place, --signer-title, --signer-name, --attached-to: the form head.

    Not passed to the command: kept in the click context, read by `form_head`."""
    helps = {"agency": "Cơ quan ban hành (đầu biểu mẫu) / issuing agency",
             "parent_agency": "Cơ quan chủ quản / parent agency",
             "place": "Địa danh (\"…, ngày … tháng … năm …\") / place of issue",
             "signer_title": "Chức vụ người ký / signer's title", "signer_name": "Họ tên người ký / signer's name",
             "attached_to": "Văn bản kèm theo, vd. \"Tờ trình số 12/TTr-BTC ngày 01/12/2026\" / "
                            "the document this list goes with"}
    for name, text in reversed(helps.items()):
        func = click.option(f"--{name.replace('_', '-')}", name, metavar="TEXT", default=None, expose_value=False,
                            callback=_store, help=text)(func)
    return func


def form_head(manifest: Any = None, **extra: Any) -> FormHead:
    """The form head from the options of the running command, else the manifest's fields, else blanks."""
    ctx = click.get_current_context(silent=True)
    given: dict[str, Any] = dict(ctx.find_root().meta.get(_META, {})) if ctx is not None else {}
    if ctx is not None:
        given.update(ctx.meta.get(_META, {}))
    values: dict[str, Any] = {name: given.get(name) or getattr(manifest, name, None) for name in FORM_FIELDS}
    return FormHead(**values, attached_to=given.get("attached_to"), **extra)


def _font(size: int = CELL_SIZE, **style: Any) -> Font:
    return Font(name=FONT, size=size, **style)


def _put(ws: Any, row: int, first: int, last: int, text: str, font: Font, align: str = "center") -> None:
    cell = ws.cell(row=row, column=first)
    set_cell(cell, text)  # titles and heads name people and agencies: neutralised like any cell
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _date_line(head: FormHead, lang: str) -> str:
    place = head.place or DOTS
    if lang != "vi":
        return f"{place}, {head.signed:%d/%m/%Y}" if head.signed else f"{place}, date {DOTS}"
    if head.signed is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return f"{place}, ngày {head.signed:%d} tháng {head.signed:%m} năm {head.signed:%Y}"


def _split(width: int) -> tuple[int, int]:
    """The columns of the left block (agency) and where the right block (motto) starts."""
    span = max(width, 4)
    left = max(span * 2 // 5, 1)
    return left, span


def write_head(ws: Any, head: FormHead, title: str, as_of: dt.date, width: int, lang: str) -> int:
    """The form head on the first rows; returns the row the table's header goes on."""
    vi = lang == "vi"
    left, span = _split(width)
    parent = (head.parent_agency or DOTS).upper()
    agency = (head.agency or DOTS).upper()
    _put(ws, 1, 1, left, parent, _font(HEAD_SIZE))
    _put(ws, 2, 1, left, agency, _font(HEAD_SIZE, bold=True))
    _put(ws, 1, left + 1, span, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" if vi else "SOCIALIST REPUBLIC OF VIETNAM",
         _font(HEAD_SIZE, bold=True))
    _put(ws, 2, left + 1, span, "Độc lập - Tự do - Hạnh phúc" if vi else "Independence - Freedom - Happiness",
         _font(MOTTO_SIZE, bold=True))
    _put(ws, 3, left + 1, span, _date_line(head, lang), _font(TEXT_SIZE, italic=True))
    row = 5
    _put(ws, row, 1, span, title.upper(), _font(TITLE_SIZE, bold=True))
    ws.row_dimensions[row].height = 36 if len(title) > 80 else 20
    for line in head.subtitles:
        row += 1
        _put(ws, row, 1, span, line, _font(TEXT_SIZE, bold=True))
    if head.attached_to:
        row += 1
        _put(ws, row, 1, span, f"(Kèm theo {head.attached_to})" if vi else f"(Attached to {head.attached_to})",
             _font(TEXT_SIZE, italic=True))
    row += 1
    _put(ws, row, 1, span, f"{'Ngày chốt số liệu' if vi else 'Data as of'}: {as_of:%d/%m/%Y}",
         _font(TEXT_SIZE, italic=True))
    return row + 2


def style_table(ws: Any, header_row: int, last_row: int, width: int, header_end: int | None = None) -> None:
    """Bordered, wrapped cells in Times New Roman; a shaded bold header (rows `header_row`..`header_end`)
    repeated on every printed page."""
    line = Side(style="thin")
    box = Border(left=line, right=line, top=line, bottom=line)
    header_end = header_row if header_end is None else header_end
    for row in ws.iter_rows(min_row=header_row, max_row=last_row, max_col=width):
        for cell in row:
            header = cell.row <= header_end
            cell.border = box
            cell.font = _font(bold=header)
            cell.alignment = Alignment(wrap_text=True, vertical="center" if header else "top",
                                       horizontal="center" if header else None)
            if header:
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.print_title_rows = f"{header_row}:{header_end}"


def write_notes(ws: Any, first_row: int, notes: Sequence[str], width: int) -> int:
    """Footnotes under the table, one merged row each; returns the next free row."""
    for index, note in enumerate(notes):
        _put(ws, first_row + index, 1, max(width, 4), note, _font(), align="left")
    return first_row + len(notes)


def write_signature(ws: Any, row: int, head: FormHead, width: int, lang: str) -> int:
    """The signature block at the right (Mục II.7): title, room to sign, name. Returns its last row."""
    left, span = _split(width)
    title = (head.signer_title or DOTS).upper()
    _put(ws, row, left + 1, span, title, _font(TEXT_SIZE, bold=True))
    _put(ws, row + 1, left + 1, span, "(Ký, ghi rõ họ tên, đóng dấu)" if lang == "vi" else "(signature and seal)",
         _font(CELL_SIZE, italic=True))
    _put(ws, row + 5, left + 1, span, head.signer_name or DOTS, _font(TEXT_SIZE, bold=True))
    return row + 5


def set_page(ws: Any, head: FormHead, lang: str) -> None:
    """A4, landscape for lists (portrait for a form), one page wide, margins of Mục I.4, "Trang N/M"."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if head.portrait else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(**{side: mm / MM_PER_INCH for side, mm in MARGINS_MM.items()},
                                  header=0.3, footer=0.3)
    ws.oddFooter.center.text = ("Trang &P/&N" if lang == "vi" else "Page &P/&N")
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = CELL_SIZE


def cap_widths(ws: Any, width: int) -> None:
    """No column wider than WIDEST characters: longer text wraps in its cell."""
    for index in range(1, width + 1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        if dimension.width is None or dimension.width > WIDEST:
            dimension.width = WIDEST


# Characters of Times New Roman at CELL_SIZE in one unit of Excel's column width (a '0' of the default font),
# and the height of one line of a cell, in points (the font's size and its leading).
CHARS_PER_UNIT = 1.5
LINE_PT = CELL_SIZE * 1.25
# The widths a table may take before it is printed smaller than about two thirds of its size (fit to one page
# wide): A4 landscape, and portrait, in column-width units.
PAGE_UNITS = {"landscape": 190, "portrait": 130}


def share_width(least: Sequence[float], wanted: Sequence[float], usable: float) -> list[float]:
    """Widths over `usable`: each column its `wanted` width when they all fit (stretched to fill), else its
    `least` (the longest word) and the rest shared in proportion to what each would still want."""
    if sum(wanted) <= usable:
        return [w * usable / sum(wanted) for w in wanted]
    if sum(least) >= usable:
        return [w * usable / sum(least) for w in least]
    spare, extra = usable - sum(least), [max(0.0, w - m) for w, m in zip(wanted, least, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def fit_page(ws: Any, first: int, last: int, width: int, portrait: bool) -> None:
    """Columns narrowed, when the table is wider than PAGE_UNITS, down to the longest word of each (a date or
    a name stays whole): the page then prints at a readable size and the text wraps (fit_rows)."""
    budget = PAGE_UNITS["portrait" if portrait else "landscape"]
    letters = [get_column_letter(i) for i in range(1, width + 1)]
    wanted = [float(ws.column_dimensions[c].width or 8.43) for c in letters]
    if sum(wanted) <= budget:
        return
    least = []
    for index in range(1, width + 1):
        words = [w for row in range(first, last + 1) for w in _cell_text(ws.cell(row=row, column=index).value).split()]
        longest = max((len(w) for w in words), default=3)
        least.append(min(wanted[index - 1], longest / CHARS_PER_UNIT + 1.5))
    for letter, value in zip(letters, share_width(least, wanted, budget), strict=True):
        ws.column_dimensions[letter].width = round(value, 1)


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return "00/00/0000"
    return "" if value is None else str(value)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` units wide, words wrapped as a spreadsheet does."""
    room = max(1, int(width * CHARS_PER_UNIT) - 1)
    lines = 0
    for paragraph in text.split("\n"):
        used, count = 0, 1
        for word in paragraph.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= room:
                used = need
            else:
                count += max(1, -(-len(word) // room)) if used else max(0, -(-len(word) // room) - 1)
                used = len(word) % room or room
        lines += count
    return max(1, lines)


def fit_rows(ws: Any, first: int, last: int, width: int) -> None:
    """Row heights for the wrapped text of rows `first`..`last`: a spreadsheet program that does not size
    rows itself on opening (LibreOffice printing a file) would print one line of each and overlap the rest.
    Merged header cells are left to their rows."""
    merged = {(r, c) for cell_range in ws.merged_cells.ranges for r in range(cell_range.min_row, cell_range.max_row + 1)
              for c in range(cell_range.min_col, cell_range.max_col + 1)}
    widths = [ws.column_dimensions[get_column_letter(i)].width or 8.43 for i in range(1, width + 1)]
    for row in range(first, last + 1):
        lines = 1
        for column in range(1, width + 1):
            value = ws.cell(row=row, column=column).value
            if isinstance(value, str) and (row, column) not in merged:
                lines = max(lines, wrapped_lines(value, widths[column - 1]))
        if lines > 1:
            ws.row_dimensions[row].height = round(lines * LINE_PT + 3, 1)


def with_subtitles(head: FormHead, *lines: str) -> FormHead:
    return replace(head, subtitles=(*head.subtitles, *lines))


__all__ = ["FORM_FIELDS", "FormHead", "cap_widths", "fit_page", "fit_rows", "form_head", "form_options", "set_page",
           "share_width", "style_table", "with_subtitles", "wrapped_lines", "write_head", "write_notes",
           "write_signature"]
