"""`dtbd template --out FILE.xlsx`: an empty workbook for a personnel office to fill in.

One sheet per table, named and headed in Vietnamese as the Excel import reads them (required columns
marked *, the English field name in each header's comment), drop-down lists for every code field
(the codes and their Vietnamese names on a hidden "Danh mục" sheet), date-formatted date columns,
and a "Hướng dẫn" sheet explaining each table. A filled-in copy loads as it is with `--data`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cli.context import output_option
from engine import codes
from engine.atomic import write_atomic
from engine.contract import (
    CODES_SHEET,
    INSTRUCTIONS_SHEET,
    REFERENCES,
    TABLES,
    CodeList,
    date_accepts,
    field_kind,
    header_for_field,
    int_bounds,
    required_fields,
    sheet_name,
    table_sheet,
    workbook_bytes,
)
from engine.intake.facade import vocabulary

# (table, field) -> the code list its values come from (engine.codes). tests/test_template_cli.py
# checks that every field the model validates against a code list is here.
CODE_FIELDS: dict[tuple[str, str], CodeList] = {
    ("units", "level"): codes.UNIT_LEVEL,
    ("positions", "tier"): codes.TIER,
    ("positions", "role"): codes.ROLE,
    ("positions", "sector"): codes.SECTOR,
    ("positions", "managed_by"): codes.MANAGED_BY,
    ("people", "gender"): codes.GENDER,
    ("people", "category"): codes.CATEGORY,
    ("people", "education"): codes.EDUCATION,
    ("people", "grade"): codes.GRADE,
    ("credentials", "programme"): codes.PROGRAMME,
    ("credentials", "evidence"): codes.EVIDENCE,
    ("appointments", "kind"): codes.APPOINTMENT_KIND,
    ("ratings", "rating"): codes.RATING,
    ("disciplines", "kind"): codes.DISCIPLINE,
    ("disciplines", "system"): codes.DISCIPLINE_SYSTEM,
    ("credentials", "mode"): codes.MODE,
    ("courses", "programme"): codes.PROGRAMME,
    ("courses", "mode"): codes.MODE,
    ("quotas", "programme"): codes.PROGRAMME,
    ("quotas", "mode"): codes.MODE,
}
# Rule packs may declare further programme codes: a code outside the list warns instead of refusing.
_OPEN_LISTS = {codes.PROGRAMME.name}

TABLE_NOTES_VI: dict[str, str] = {
    "units": "Cơ quan, đơn vị (trung ương, tỉnh, huyện, xã) và đơn vị cấp trên.",
    "positions": "Chức vụ lãnh đạo, quản lý: đơn vị, cấp, cấp trưởng/phó, khối cơ quan, diện quản lý.",
    "people": "Cán bộ, công chức, viên chức: thông tin cá nhân, đối tượng, đơn vị công tác, ngạch.",
    "credentials": "Văn bằng, chứng chỉ đào tạo, bồi dưỡng đã có (lý luận chính trị, QLNN, lãnh đạo quản lý,"
                   " quốc phòng và an ninh, ...).",
    "appointments": "Quá trình giữ chức vụ (bổ nhiệm, bổ nhiệm lại, bầu cử, điều động, luân chuyển);"
                    " chức vụ đang giữ thì để trống cột Đến ngày.",
    "plans": "Quy hoạch chức danh lãnh đạo, quản lý.",
    "ratings": "Kết quả đánh giá, xếp loại chất lượng hằng năm (mỗi người một dòng cho mỗi năm).",
    "disciplines": "Kỷ luật và thời gian có hiệu lực.",
    "courses": "Các lớp đào tạo, bồi dưỡng dự kiến mở: chương trình, thời gian học, số học viên tối đa.",
    "quotas": "Chỉ tiêu số người phải cử đi đào tạo, bồi dưỡng theo năm và chương trình.",
}
FIELD_NOTES_VI: dict[tuple[str, str], str] = {
    ("people", "ethnicity"): "Chữ thường, không dấu: kinh, tay, thai, muong, khmer, hmong, ...",
    ("people", "foreign_language_level"): "Bậc 1–6 theo Khung năng lực ngoại ngữ 6 bậc (bậc 4 tương đương B2).",
    ("people", "retired"): "Ngày nghỉ hưu (nếu đã nghỉ).",
    ("people", "party_official_since"): "Ngày vào Đảng chính thức (sau ngày vào Đảng).",
    ("people", "personal_id"): "Số định danh cá nhân, chỉ gồm chữ số; nhập dạng văn bản để giữ số 0 đầu."
                               " Được che ở mọi đầu ra.",
    ("appointments", "end"): "Để trống nếu đang giữ chức vụ.",
    ("appointments", "submitted"): "Ngày cơ quan có thẩm quyền nhận hồ sơ; dùng để tính tuổi bổ nhiệm.",
    ("plans", "term"): "Dạng 2025-2030.",
    ("quotas", "unit"): "Để trống nếu là chỉ tiêu chung.",
}
GENERAL_VI = [
    "Mỗi trang tính là một bảng dữ liệu. Giữ nguyên tên trang tính và tên cột; có thể thêm dòng tiêu đề"
    " (tên đơn vị, tên biểu) phía trên dòng tên cột.",
    "Cột có dấu * là bắt buộc. Ô để trống nghĩa là không có thông tin: chương trình không tự suy đoán;"
    " quy định cần thông tin đó sẽ báo 'chưa đủ dữ liệu'.",
    "Ngày: nhập dd/mm/yyyy (ví dụ 12/09/1984, 5/4/1991), dd.mm.yyyy, dd-mm-yyyy hoặc yyyy-mm-dd"
    " (1984-09-12); ngày luôn ghi trước tháng. Nếu máy tính đặt kiểu ngày tháng/ngày/năm, hãy nhập"
    " yyyy-mm-dd để tránh nhầm ngày với tháng. Quá trình công tác, văn bằng, kỷ luật, quy hoạch có thể ghi"
    " tháng/năm (03/2015 hoặc 2015-03) khi hồ sơ chỉ ghi như vậy; «Đến ngày» ghi tháng là ngày cuối tháng."
    " Ngày sinh có thể chỉ ghi năm (1975). Quy định mà kết quả phụ thuộc vào ngày chưa biết sẽ báo"
    " 'chưa đủ dữ liệu'.",
    "Mã (đối tượng, giới tính, cấp, chương trình, ...): chọn tên gọi trong danh sách thả xuống (ví dụ «nữ»,"
    " «công chức»); cũng có thể gõ mã (nu, cong-chuc). Chữ hoa, chữ thường, kiểu bỏ dấu đều được."
    " Danh sách mã và tên gọi ở cuối trang này.",
    "Mã đơn vị, mã chức vụ, mã cán bộ, mã lớp là duy nhất trong bảng của nó; các bảng khác ghi lại đúng mã đó.",
    "Đặt tệp này trong thư mục bộ dữ liệu cùng tệp dataset.yaml, rồi kiểm tra: dtbd validate --data THƯ_MỤC"
    " (mọi lỗi được báo kèm tên trang tính, số dòng và cột).",
]
KIND_VI = {"date": "Ngày", "int": "Số", "code": "Mã", "text": "Văn bản"}
# What a date column takes (engine.model.date_accepts; docs/data.md "Độ chính xác của ngày").
DATE_NOTES_VI = {
    "day": "dd/mm/yyyy hoặc yyyy-mm-dd.",
    "month": "dd/mm/yyyy hoặc yyyy-mm-dd; chỉ biết tháng thì ghi mm/yyyy (03/2015).",
    "month-end": "dd/mm/yyyy hoặc yyyy-mm-dd; ghi tháng (mm/yyyy) là ngày cuối của tháng đó.",
    "year": "dd/mm/yyyy hoặc yyyy-mm-dd; chỉ biết tháng thì ghi mm/yyyy, chỉ biết năm thì ghi yyyy"
            " (tính nghỉ hưu từ 01/01 của năm đó, Khoản 1 Điều 3 Nghị định 135/2020/NĐ-CP).",
}
LAST_ROW = 5000  # rows below the header that get drop-downs and validations
_INLINE_CODES = 8


def _references() -> dict[tuple[str, str], str]:
    return {(table, name): target for table, name, target in REFERENCES}


def _codes_sheet(book: Any) -> dict[str, str]:
    """The hidden sheet of every code list used; list name -> the range of its names (labels)."""
    ws = book.create_sheet(CODES_SHEET)
    ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    column = 1
    for code_list in dict.fromkeys(CODE_FIELDS.values()):
        code_col, label_col = get_column_letter(column), get_column_letter(column + 1)
        ws.cell(row=1, column=column, value=f"Mã ({code_list.name})").font = Font(bold=True)
        ws.cell(row=1, column=column + 1, value="Tên gọi").font = Font(bold=True)
        for row, code in enumerate(code_list.codes, 2):
            ws.cell(row=row, column=column, value=code.value).number_format = "@"
            ws.cell(row=row, column=column + 1, value=code.vi)
        # The drop-down offers the names (the import reads them, and the codes too: engine.intake.labels).
        ranges[code_list.name] = f"'{CODES_SHEET}'!${label_col}$2:${label_col}${len(code_list.codes) + 1}"
        ws.column_dimensions[code_col].width = 26
        ws.column_dimensions[label_col].width = 48
        column += 2
    return ranges


def _validation(table: str, name: str, ranges: dict[str, str]) -> DataValidation | None:
    code_list = CODE_FIELDS.get((table, name))
    kind = field_kind(table, name)
    if code_list is not None:
        open_list = code_list.name in _OPEN_LISTS
        return DataValidation(
            type="list", formula1=ranges[code_list.name], allow_blank=True, showErrorMessage=True,
            # A warning, not a refusal: the code itself (nu, cong-chuc) is accepted on import too.
            errorStyle="warning", errorTitle="Không có trong danh mục",
            error="Chọn một tên gọi trong danh sách, hoặc gõ đúng mã (xem trang Hướng dẫn)."
                  + (" Mã do gói quy tắc địa phương bổ sung vẫn được nhận." if open_list else ""))
    if kind == "date":
        # A warning, not a refusal: a date typed as text (yyyy-mm-dd) is accepted on import.
        return DataValidation(
            type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)",
            allow_blank=True, showErrorMessage=True, errorStyle="warning", errorTitle="Ngày không hợp lệ",
            error=f"Nhập ngày dạng {DATE_NOTES_VI[date_accepts(table, name)]}", showInputMessage=True,
            promptTitle="Ngày", prompt="dd/mm/yyyy" if date_accepts(table, name) == "day" else "dd/mm/yyyy, mm/yyyy")
    if kind == "int":
        low, high = int_bounds(table, name)
        operator, formula1, formula2 = "between", str(low if low is not None else 0), str(high)
        if high is None:
            operator, formula1, formula2 = "greaterThanOrEqual", str(low or 0), ""
        return DataValidation(
            type="whole", operator=operator, formula1=formula1, formula2=formula2 or None, allow_blank=True,
            showErrorMessage=True, errorStyle="stop", errorTitle="Số không hợp lệ",
            error=f"Nhập số nguyên {'từ ' + formula1 + ' đến ' + formula2 if formula2 else '≥ ' + formula1}.")
    return None


def _table_sheet(book: Any, table: str, ranges: dict[str, str]) -> None:
    required = set(required_fields(table))
    names = list(TABLES[table].model_fields)
    headers = [header_for_field(table, name) + (" *" if name in required else "") for name in names]
    ws = table_sheet(book, table, [], headers)
    for index, name in enumerate(names, 1):
        cell = ws.cell(row=1, column=index)
        cell.comment = Comment(name, "dtbd", height=40, width=160)
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 14)
        validation = _validation(table, name, ranges)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{LAST_ROW + 1}")


def _note(table: str, name: str, references: dict[tuple[str, str], str]) -> str:
    parts = []
    code_list = CODE_FIELDS.get((table, name))
    if code_list is not None:
        if len(code_list.codes) <= _INLINE_CODES:
            parts.append("; ".join(f"{c.value} = {c.vi}" for c in code_list.codes))
        else:
            parts.append(f"Mã trong danh mục «{code_list.name}» (cuối trang).")
    if name == "id":
        parts.append("Mã duy nhất trong bảng.")
    if (table, name) in references:
        parts.append(f"Mã trong trang «{sheet_name(references[(table, name)])}».")
    kind = field_kind(table, name)
    if kind == "date":
        parts.append(DATE_NOTES_VI[date_accepts(table, name)])
    elif kind == "int":
        low, high = int_bounds(table, name)
        if low is not None and high is not None:
            parts.append(f"Số nguyên từ {low} đến {high}.")
    if (table, name) in FIELD_NOTES_VI:
        parts.append(FIELD_NOTES_VI[(table, name)])
    for dated in vocabulary().dated_codes:  # codes the law dates (rulesets/vocabulary.yaml)
        if (dated.table, dated.field) == (table, name) and dated.valid_to is not None:
            parts.append(f"{dated.code}: chỉ cho quyết định đến ngày {dated.valid_to.strftime('%d/%m/%Y')}"
                         f" ({dated.citation_vi.strip()})")
    default = TABLES[table].model_fields[name].default
    if not TABLES[table].model_fields[name].is_required() and default is not None:
        parts.append(f"Để trống = {default}.")
    return " ".join(parts)


def _instructions(book: Any) -> None:
    ws = book.active
    ws.title = INSTRUCTIONS_SHEET
    bold = Font(bold=True)
    ws.append(["HƯỚNG DẪN NHẬP DỮ LIỆU ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    for line in GENERAL_VI:
        ws.append([f"• {line}"])
    references = _references()
    for table in TABLES:
        ws.append([])
        ws.append([f"Trang «{sheet_name(table)}» (bảng {table}): {TABLE_NOTES_VI[table]}"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        ws.append(["Cột", "Trường (field)", "Bắt buộc", "Kiểu", "Ghi chú"])
        for cell in ws[ws.max_row]:
            cell.font = bold
        required = set(required_fields(table))
        for name in TABLES[table].model_fields:
            kind = "code" if (table, name) in CODE_FIELDS else field_kind(table, name)
            ws.append([header_for_field(table, name), name, "*" if name in required else "", KIND_VI[kind],
                       _note(table, name, references)])
    ws.append([])
    ws.append(["DANH MỤC MÃ"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
    for code_list in dict.fromkeys(CODE_FIELDS.values()):
        used = ", ".join(f"{sheet_name(t)}/{header_for_field(t, n)}" for (t, n), cl in CODE_FIELDS.items()
                         if cl is code_list)
        ws.append([f"«{code_list.name}» — dùng ở: {used}"])
        ws.cell(row=ws.max_row, column=1).font = bold
        for code in code_list.codes:
            ws.append([code.value, code.vi])
    for letter, width in zip("ABCDE", (34, 24, 10, 10, 90), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def template_workbook() -> Any:
    """The template as an openpyxl Workbook: instructions, one sheet per table, the hidden code lists."""
    book = Workbook()
    _instructions(book)
    ranges = _codes_sheet(book)
    for table in TABLES:
        _table_sheet(book, table, ranges)
    codes_index = book.sheetnames.index(CODES_SHEET)
    book.move_sheet(CODES_SHEET, offset=len(book.sheetnames) - 1 - codes_index)  # last, after the tables
    book.active = 0
    return book


@click.command("template")
@output_option("--out", "out", help="Nơi ghi tệp Excel mẫu (FILE.xlsx) / where to write the workbook (FILE.xlsx).")
def command(out: Path | None) -> None:
    """Tạo tệp Excel mẫu để nhập dữ liệu / write an empty Excel workbook to fill in."""
    if out is None:
        raise click.UsageError("Missing option '--out'.")
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("the file name must end in .xlsx", param_hint="--out")
    write_atomic(out, workbook_bytes(template_workbook()))
    click.echo(f"Đã tạo tệp mẫu / template written: {out}")


__all__ = ["CODE_FIELDS", "command", "template_workbook"]
