"""Excel output of the commands (`--format xlsx`): lists laid out as a personnel office files them.

Every sheet has a Vietnamese title on its first row, "Ngày chốt số liệu: dd/mm/yyyy" (the date the
figures are as of) under it, then a bold header row that stays in view when scrolling. Dates are
real date cells shown dd/mm/yyyy, so the list sorts and filters by date in Excel. The file appears
whole or not at all (temp file, then rename).

Also the trích ngang (the one-line summary of a person that goes with a list of nominees):
`TRICH_NGANG_HEADERS` and `trich_ngang_row`, used by the planner and the shortlist.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from cli.render_findings import HEADERS, post_text, requirement_text
from engine import codes
from engine.atomic import write_atomic
from engine.contract import fit_columns, set_cell, workbook_bytes
from engine.results import Dataset, Finding, Rulebook
from engine.workspace import Workspace

HEADER_ROW = 4  # title, date line, a blank row, then the header
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: "-" for c in "[]:*?/\\"})

TRICH_NGANG_HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị",
                       "Trình độ LLCT", "Chương trình", "Khóa học", "Hạn", "Căn cứ"]
# Level of a political-theory programme (rule packs: family "llct", `level`) -> how a trích ngang
# writes it, and the programme that is that level itself (others are equivalents, named after it).
LLCT_LEVELS_VI = {1: ("Sơ cấp", "llct-so-cap"), 2: ("Trung cấp", "llct-trung-cap"), 3: ("Cao cấp", "llct-cao-cap")}
# Display names of common ethnic groups; other slugs are shown as written.
ETHNICITY_VI = {
    "kinh": "Kinh", "tay": "Tày", "thai": "Thái", "muong": "Mường", "khmer": "Khmer", "hoa": "Hoa",
    "nung": "Nùng", "hmong": "Mông", "mong": "Mông", "dao": "Dao", "gia-rai": "Gia Rai", "e-de": "Ê Đê",
    "ba-na": "Ba Na", "san-chay": "Sán Chay", "cham": "Chăm", "xo-dang": "Xơ Đăng", "san-diu": "Sán Dìu",
    "hre": "Hrê", "co-ho": "Cơ Ho", "ra-glai": "Ra Glai", "tho": "Thổ", "kho-mu": "Khơ Mú",
}


def _sheet_title(name: str) -> str:
    return name.translate(_FORBIDDEN_IN_SHEET_NAMES)[:31] or "Sheet"


def _fill_sheet(ws: Any, title: str, as_of: dt.date, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                lang: str, notes: Sequence[str] = ()) -> None:
    width = max(len(headers), 1)
    set_cell(ws["A1"], title)  # titles name people: neutralised like any cell (engine.cells)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    label = "Ngày chốt số liệu" if lang == "vi" else "Data as of"
    ws["A2"] = f"{label}: {as_of:%d/%m/%Y}"
    ws["A2"].font = Font(italic=True)
    line = Side(style="thin")
    for column, header in enumerate(headers, 1):
        cell = ws.cell(row=HEADER_ROW, column=column)
        set_cell(cell, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(bottom=line)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for offset, values in enumerate(rows, 1):
        for column, value in enumerate(values, 1):
            if value is not None:
                set_cell(ws.cell(row=HEADER_ROW + offset, column=column), value)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1).coordinate
    if headers:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{ws.cell(row=HEADER_ROW, column=width).column_letter}" \
                             f"{HEADER_ROW + len(rows)}"
    below = HEADER_ROW + len(rows) + 2
    for index, note in enumerate(notes):
        set_cell(ws.cell(row=below + index, column=1), note)
    fit_columns(ws, [headers, *rows])


def xlsx_bytes(title: str, as_of: dt.date, headers: Sequence[str], rows: Sequence[Sequence[Any]],
               sheet: str = "Danh sách",
               extra_sheets: Sequence[tuple[str, list[str], list[list[Any]]]] | None = None,
               lang: str = "vi", notes: Sequence[str] = ()) -> bytes:
    """The workbook of `write_sheet_xlsx`, as bytes."""
    book = Workbook()
    ws = book.active
    ws.title = _sheet_title(sheet)
    _fill_sheet(ws, title, as_of, headers, rows, lang, notes)
    taken = {ws.title}
    for name, extra_headers, extra_rows in extra_sheets or ():
        sheet_title = _sheet_title(name)
        suffix = 2
        while sheet_title in taken:
            sheet_title = _sheet_title(f"{name[:27]} ({suffix})")
            suffix += 1
        taken.add(sheet_title)
        _fill_sheet(book.create_sheet(sheet_title), name, as_of, extra_headers, extra_rows, lang)
    return workbook_bytes(book)


def write_xlsx_bytes(output: Path | None, data: bytes) -> None:
    """To `output` atomically; without one, to stdout when it is redirected (never to a terminal)."""
    if output is not None:
        write_atomic(output, data)
        from cli.progress import wrote

        wrote(output)
        return
    if sys.stdout.isatty():
        raise click.UsageError("--format xlsx needs --output FILE (or stdout redirected to a file)")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def write_sheet_xlsx(output: Path | None, title: str, as_of: dt.date, headers: list[str], rows: list[list[Any]],
                     sheet: str = "Danh sách",
                     extra_sheets: list[tuple[str, list[str], list[list[Any]]]] | None = None,
                     *, lang: str = "vi", notes: Sequence[str] = ()) -> None:
    """A list as an Excel workbook: title row, "Ngày chốt số liệu", bold frozen header, fitted columns.

    `extra_sheets` are (sheet name, headers, rows), laid out the same way with the name as title;
    `notes` are lines under the main list (footnotes, legal bases).
    """
    write_xlsx_bytes(output, xlsx_bytes(title, as_of, headers, rows, sheet, extra_sheets, lang, notes))


def _next_course(finding: Finding, lang: str) -> str:
    if not finding.courses:
        return ""
    first = finding.courses[0]
    start, end = (dt.date.fromisoformat(first[key]) for key in ("start", "end"))
    text = f"{first['course']} ({start:%d/%m/%Y} – {end:%d/%m/%Y})"
    if first["late"]:
        text += " — kết thúc sau hạn" if lang == "vi" else " — ends after the deadline"
    return text


def findings_rows(ws: Workspace, findings: list[Finding], lang: str) -> list[list[Any]]:
    """The rows of `check` (cli.render_findings), with real dates, the explanation and the next course."""
    out: list[list[Any]] = []
    for index, f in enumerate(findings, 1):
        status = codes.STATUS.label(f.status, lang) + ("" if f.verified else " *")
        out.append([index, f.rule + (f"/{f.variant}" if f.variant else ""), status,
                    requirement_text(ws.book, f.requirement, lang), post_text(ws.dataset, f, lang), f.deadline,
                    codes.STRENGTH.label(f.strength, lang), f.source, f.explanation, _next_course(f, lang)])
    return out


def write_findings_xlsx(ws: Workspace, findings: list[Finding], output: Path | None, lang: str,
                        title_person: str | None = None) -> None:
    """`dtbd check --format xlsx`: the findings of one person, one row each."""
    vi = lang == "vi"
    title = "Kết quả rà soát tiêu chuẩn đào tạo, bồi dưỡng" if vi else "Training requirements check"
    person = ws.dataset.person_by_id.get(title_person or "")
    if person is not None:
        title += f": {person.full_name} ({person.id}) — {codes.CATEGORY.label(person.category, lang)}"
    headers = [*HEADERS[lang], *(["Giải thích", "Khóa học gần nhất"] if vi else ["Explanation", "Next course"])]
    notes = []
    if any(not f.verified for f in findings):
        notes.append("* chưa xác minh: quy tắc dựa trên nguồn chưa được kiểm chứng đầy đủ" if vi
                     else "* unverified: the rule rests on a source not fully confirmed")
    if not findings:
        notes.append("Không có yêu cầu nào áp dụng." if vi else "No requirement applies.")
    write_sheet_xlsx(output, title, ws.as_of, headers, findings_rows(ws, findings, lang),
                     sheet="Kết quả rà soát" if vi else "Findings", lang=lang, notes=notes)


def llct_level(dataset: Dataset, book: Rulebook, person_id: str, as_of: dt.date | None = None) -> str:
    """The highest political-theory (LLCT) level a person holds by `as_of`: "Cao cấp", "Trung cấp", "Sơ cấp".

    Levels come from the rule packs (programmes of family `llct` and their `level`); an equivalent
    credential (cử nhân chính trị, LLCT-HC, giấy xác nhận) is shown with its name. "" when none.
    """
    day = dataset.as_of(as_of)
    best: tuple[int, bool, str] | None = None
    for credential in dataset.records(person_id).credentials:
        programme = book.programmes.get(credential.programme)
        if programme is None or programme.family != "llct" or credential.completed > day:
            continue
        exact = LLCT_LEVELS_VI.get(programme.level, ("", ""))[1] == programme.code
        key = (programme.level, exact, programme.code)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return ""
    level, exact, code = best
    if level not in LLCT_LEVELS_VI:
        return book.programme_label(code, "vi")
    label = LLCT_LEVELS_VI[level][0]
    return label if exact else f"{label} ({book.programme_label(code, 'vi')})"


def _current_posts(dataset: Dataset, person_id: str, day: dt.date) -> str:
    titles = []
    for appointment in dataset.records(person_id).appointments:
        if appointment.start <= day and (appointment.end is None or appointment.end > day):
            post = dataset.position_by_id.get(appointment.position)
            titles.append(post.title if post is not None else appointment.position)
    return "; ".join(titles)


def _course_text(dataset: Dataset, course_id: str | None) -> str:
    if course_id is None:
        return ""
    course = dataset.course_by_id.get(course_id)
    if course is None:
        return course_id
    name = f"{course.title} ({course.id})" if course.title else course.id
    return f"{name}, {course.start:%d/%m/%Y} – {course.end:%d/%m/%Y}"


def trich_ngang_row(dataset: Dataset, book: Rulebook, person_id: str, programme: str, course_id: str | None,
                    deadline: dt.date | None, basis_text: str, index: int, *,
                    as_of: dt.date | None = None) -> list[Any]:
    """One line of the trích ngang (TRICH_NGANG_HEADERS) for a person sent to `programme`.

    Posts are those held on `as_of` (default the dataset's date); dates stay dates, for the sheet.
    """
    person = dataset.person_by_id[person_id]
    day = dataset.as_of(as_of)
    unit = dataset.unit_by_id.get(person.unit)
    gender = codes.GENDER.label(person.gender, "vi")
    return [
        index,
        person.full_name,
        person.birth_date,
        gender[:1].upper() + gender[1:],
        ETHNICITY_VI.get(person.ethnicity, person.ethnicity),
        _current_posts(dataset, person_id, day),
        unit.name if unit is not None else person.unit,
        llct_level(dataset, book, person_id, day),
        book.programme_label(programme, "vi"),
        _course_text(dataset, course_id),
        deadline,
        basis_text,
    ]


__all__ = ["TRICH_NGANG_HEADERS", "findings_rows", "llct_level", "trich_ngang_row", "write_findings_xlsx",
           "write_sheet_xlsx", "xlsx_bytes"]
