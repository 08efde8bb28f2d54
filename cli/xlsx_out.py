"""Excel output of the commands (`--format xlsx`): lists laid out as a personnel office files them.

Every sheet is an administrative form (cli.xlsx_form: the head with agency and national motto, the
title in capitals, "Ngày chốt số liệu: dd/mm/yyyy", the table whose header repeats on every printed
page and stays in view when scrolling, the signature block, A4 one page wide). Dates are
real date cells shown dd/mm/yyyy, so the list sorts and filters by date in Excel. The file appears
whole or not at all (temp file, then rename).

Also the trích ngang (the one-line summary of a person that goes with a list of nominees):
`TRICH_NGANG_HEADERS` and `trich_ngang_row`, used by the planner and the shortlist.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

import engine.intake.facade as intake
from cli.render_findings import HEADERS, post_text, requirement_text
from cli.stamp import current, footer
from cli.xlsx_charts import ChartSpec, add_chart
from cli.xlsx_form import (
    FormHead,
    cap_widths,
    fit_page,
    fit_rows,
    form_head,
    set_page,
    style_table,
    write_head,
    write_notes,
    write_signature,
)
from engine import codes
from engine.atomic import write_atomic
from engine.contract import fit_columns, set_cell, workbook_bytes
from engine.results import Dataset, Finding, Rulebook
from engine.workspace import Workspace

_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: "-" for c in "[]:*?/\\"})

# A header "Group|Column" sits under a merged group header ("Ngày sinh" over "Nam" and "Nữ").
GROUP = "|"
TRICH_NGANG_HEADERS = ["STT", "Họ và tên", f"Ngày sinh{GROUP}Nam", f"Ngày sinh{GROUP}Nữ", "Dân tộc", "Chức vụ",
                       "Đơn vị", "Ngạch", "Trình độ chuyên môn", "Trình độ LLCT", "Ngày vào Đảng", "Chương trình",
                       "Khóa học", "Hạn", "Căn cứ"]
PERSON_HEADERS = TRICH_NGANG_HEADERS[1:11]  # the person's columns, "Họ và tên" to "Ngày vào Đảng"
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
                lang: str, notes: Sequence[str] = (), form: FormHead | None = None) -> None:
    """The form head (cli.xlsx_form), the table, its notes and the signature block, on an A4 page."""
    head = form if form is not None else form_head()
    width = max(len(headers), 1)
    top = write_head(ws, head, title, as_of, width, lang)
    bottom = _write_headers(ws, top, headers)
    for offset, values in enumerate(rows, 1):
        for column, value in enumerate(values, 1):
            if value is not None:
                set_cell(ws.cell(row=bottom + offset, column=column), value)
    last = bottom + len(rows)
    style_table(ws, top, last, width, bottom)
    ws.freeze_panes = ws.cell(row=bottom + 1, column=1).coordinate
    if headers:
        ws.auto_filter.ref = f"A{bottom}:{get_column_letter(width)}{last}"
    below = write_notes(ws, last + 2, notes, width)
    write_signature(ws, below + 1, head, width, lang)
    fit_columns(ws, [[h.rpartition(GROUP)[2] for h in headers], *rows])
    cap_widths(ws, width)
    fit_page(ws, top, last, width, head.portrait)
    fit_rows(ws, top, last, width)
    set_page(ws, head, lang)


def _write_headers(ws: Any, row: int, headers: Sequence[str]) -> int:
    """The header on `row`, or on two rows when some are grouped ("Ngày sinh|Nam"); returns its last row."""
    if not any(GROUP in h for h in headers):
        for column, header in enumerate(headers, 1):
            set_cell(ws.cell(row=row, column=column), header)
        return row
    column = 1
    while column <= len(headers):
        group, _, name = headers[column - 1].rpartition(GROUP)
        if not group:
            set_cell(ws.cell(row=row, column=column), name)
            ws.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
            column += 1
            continue
        end = column
        while end < len(headers) and headers[end].rpartition(GROUP)[0] == group:
            end += 1
        set_cell(ws.cell(row=row, column=column), group)
        if end > column:
            ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
        for index in range(column, end + 1):
            set_cell(ws.cell(row=row + 1, column=index), headers[index - 1].rpartition(GROUP)[2])
        column = end + 1
    return row + 1


def header_row(ws: Any) -> int:
    """The first row of a sheet's table header (the rows its print titles repeat)."""
    return int(str(ws.print_title_rows).split(":")[0].lstrip("$"))


def data_row(ws: Any) -> int:
    """The first row under a sheet's table header."""
    return int(str(ws.print_title_rows).split(":")[1].lstrip("$")) + 1


def form_for(ws: Workspace, *subtitles: str, portrait: bool = False) -> FormHead:
    """The form head of a workbook about `ws`'s dataset: options, else its manifest, else blanks."""
    return form_head(ws.dataset.manifest, subtitles=tuple(subtitles), portrait=portrait)


def xlsx_bytes(title: str, as_of: dt.date, headers: Sequence[str], rows: Sequence[Sequence[Any]],
               sheet: str = "Danh sách",
               extra_sheets: Sequence[tuple[str, list[str], list[list[Any]]]] | None = None,
               lang: str = "vi", notes: Sequence[str] = (), form: FormHead | None = None,
               charts: Mapping[int, ChartSpec] | None = None) -> bytes:
    """The workbook of `write_sheet_xlsx`, as bytes; `charts`: a chart (cli.xlsx_charts) by sheet index."""
    book = Workbook()
    ws = book.active
    ws.title = _sheet_title(sheet)
    head = form if form is not None else form_head()
    _fill_sheet(ws, title, as_of, headers, rows, lang, notes, head)
    sizes = [(len(headers), len(rows))]
    taken = {ws.title}
    for name, extra_headers, extra_rows in extra_sheets or ():
        sheet_title = _sheet_title(name)
        suffix = 2
        while sheet_title in taken:
            sheet_title = _sheet_title(f"{name[:27]} ({suffix})")
            suffix += 1
        taken.add(sheet_title)
        _fill_sheet(book.create_sheet(sheet_title), name, as_of, extra_headers, extra_rows, lang,
                    form=replace(head, subtitles=(), portrait=False))
        sizes.append((len(extra_headers), len(extra_rows)))
    for index, spec in (charts or {}).items():
        sheet_ws = book.worksheets[index]
        first = data_row(sheet_ws)
        add_chart(sheet_ws, spec, first - 1, first, first + sizes[index][1] - 1, sizes[index][0])
    stamp_footer(book, lang)
    return workbook_bytes(book)


def stamp_footer(book: Any, lang: str) -> None:
    """The output's provenance (cli.stamp) in the page footer of every sheet, where a printed list carries it."""
    line = footer(current(), lang)
    if not line:
        return
    for sheet in book.worksheets:
        sheet.oddFooter.left.text = line.replace("&", "&&")[:250]  # & starts a footer code; Excel's limit is 255
        sheet.oddFooter.left.size = 7


def write_xlsx_bytes(output: Path | None, data: bytes, fmt: str = "xlsx") -> None:
    """To `output` atomically; without one, to stdout when it is redirected (never to a terminal)."""
    if output is not None:
        write_atomic(output, data)
        from cli.progress import wrote

        wrote(output)
        return
    if sys.stdout.isatty():
        raise click.UsageError(f"--format {fmt} needs --output FILE (or stdout redirected to a file)")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def write_sheet_xlsx(output: Path | None, title: str, as_of: dt.date, headers: list[str], rows: list[list[Any]],
                     sheet: str = "Danh sách",
                     extra_sheets: list[tuple[str, list[str], list[list[Any]]]] | None = None,
                     *, lang: str = "vi", notes: Sequence[str] = (), form: FormHead | None = None,
                     charts: Mapping[int, ChartSpec] | None = None) -> None:
    """A list as an Excel workbook: title row, "Ngày chốt số liệu", bold frozen header, fitted columns.

    `extra_sheets` are (sheet name, headers, rows), laid out the same way with the name as title;
    `notes` are lines under the main list (footnotes, legal bases).
    """
    from cli.docx_out import docx_bytes, docx_requested

    if docx_requested():  # `--format docx`: the same document in Word (cli.docx_out)
        head = form if form is not None else form_head()
        write_xlsx_bytes(output, docx_bytes(title, as_of, headers, rows, extra_sheets, lang, notes, head), "docx")
        return
    write_xlsx_bytes(output, xlsx_bytes(title, as_of, headers, rows, sheet, extra_sheets, lang, notes, form, charts))


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
                        title_person: str | None = None,
                        proposal: tuple[str, bool | None, dt.date] | None = None, explain: bool = False) -> None:
    """`dtbd check --format xlsx`: the phiếu rà soát of one person, one row per finding (portrait form).

    `proposal` (post, eligible, day) of `check --for-position`: the verdict, the post and the day go in
    the title rows; `explain`: the decision traces on a second sheet, one row per condition."""
    vi = lang == "vi"
    title = "Phiếu rà soát tiêu chuẩn đào tạo, bồi dưỡng" if vi else "Training requirements check"
    person = ws.dataset.person_by_id.get(title_person or "")
    lines = []
    if person is not None:
        lines.append(f"{person.full_name} ({person.id}) — {codes.CATEGORY.label(person.category, lang)}")
    if proposal is not None:
        post_id, eligible, day = proposal
        post = ws.dataset.position_by_id.get(post_id)
        verdict = {True: "ĐỦ ĐIỀU KIỆN" if vi else "ELIGIBLE", False: "CHƯA ĐỦ ĐIỀU KIỆN" if vi else "NOT ELIGIBLE",
                   None: "CHƯA ĐỦ DỮ LIỆU ĐỂ KẾT LUẬN" if vi else "UNDECIDED (missing data)"}[eligible]
        lines.append((f"Dự kiến bổ nhiệm: {post.title if post else post_id}, ngày {day:%d/%m/%Y} — {verdict}") if vi
                     else f"Proposed post: {post.title if post else post_id}, on {day:%d/%m/%Y} — {verdict}")
    headers = [*HEADERS[lang], *(["Giải thích", "Khóa học gần nhất"] if vi else ["Explanation", "Next course"])]
    notes = []
    if any(not f.verified for f in findings):
        notes.append("* chưa xác minh: quy tắc dựa trên nguồn chưa được kiểm chứng đầy đủ" if vi
                     else "* unverified: the rule rests on a source not fully confirmed")
    if not findings:
        notes.append("Không có yêu cầu nào áp dụng." if vi else "No requirement applies.")
    from cli.render_trace import trace_sheet

    extra = [trace_sheet(findings, lang)] if explain else []
    write_sheet_xlsx(output, title, ws.as_of, headers, findings_rows(ws, findings, lang),
                     sheet="Kết quả rà soát" if vi else "Findings", extra_sheets=extra, lang=lang, notes=notes,
                     form=form_for(ws, *lines, portrait=True))


def llct_level(dataset: Dataset, book: Rulebook, person_id: str, as_of: dt.date | None = None) -> str:
    """The highest political-theory (LLCT) level a person holds by `as_of`: "Cao cấp", "Trung cấp", "Sơ cấp".

    Levels come from the rule packs (programmes of family `llct` and their `level`); an equivalent
    credential (cử nhân chính trị, LLCT-HC, giấy xác nhận) is shown with its name. "" when none.
    """
    day = dataset.as_of(as_of)
    best: tuple[int, bool, str] | None = None
    for credential in dataset.records(person_id).credentials:
        programme = book.programmes.get(credential.programme)
        done = credential.completed  # an undated level (Mẫu 2C) is the level the record gives
        if programme is None or programme.family != "llct" or (done is not None and done > day):
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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def trich_ngang_row(dataset: Dataset, book: Rulebook, person_id: str, programme: str, course_id: str | None,
                    deadline: dt.date | None, basis_text: str, index: int, *,
                    as_of: dt.date | None = None, course_named: bool = True) -> list[Any]:
    """One line of the trích ngang (TRICH_NGANG_HEADERS) for a person sent to `programme`.

    Posts are those held on `as_of` (default the dataset's date); dates stay dates, for the sheet. The
    course by its title, id and dates, or (`course_named=False`) by its id.
    """
    return [index, *person_columns(dataset, book, person_id, as_of), book.programme_label(programme, "vi"),
            _course_text(dataset, course_id) if course_named else (course_id or ""), deadline, basis_text]


def person_columns(dataset: Dataset, book: Rulebook, person_id: str, as_of: dt.date | None = None) -> list[Any]:
    """The person's part of a trích ngang line (PERSON_HEADERS): name to Ngày vào Đảng."""
    person = dataset.person_by_id[person_id]
    day = dataset.as_of(as_of)
    unit = dataset.unit_by_id.get(person.unit)
    male = person.gender == "nam"
    return [
        person.full_name,
        person.birth_date if male else None,
        None if male else person.birth_date,
        ETHNICITY_VI.get(person.ethnicity, person.ethnicity),
        _current_posts(dataset, person_id, day),
        unit.name if unit is not None else person.unit,
        _capital(intake.grade_label(person.grade, person.grade_since, "vi")) if person.grade else "",  # by its date
        _capital(codes.EDUCATION.label(person.education, "vi")) if person.education else "",
        llct_level(dataset, book, person_id, day),
        person.party_member_since,
    ]


__all__ = ["PERSON_HEADERS", "TRICH_NGANG_HEADERS", "data_row", "findings_rows", "form_for", "header_row",
           "llct_level", "person_columns", "trich_ngang_row", "write_findings_xlsx", "write_sheet_xlsx", "xlsx_bytes"]
