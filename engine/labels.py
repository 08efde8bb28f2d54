"""Labels of data fields and code values for prose: "thiếu ngày vào Đảng", "giới tính: nữ (cần = nam)".

Field labels come from the one header table (engine/loading/headers.py: the Vietnamese column headers
officials use, the first of each field being its label); code labels from the glossary's code lists
(engine/codes.py). Data and JSON keep the English field names and the code slugs.
"""

from __future__ import annotations

from functools import lru_cache

from engine.codes import CodeList
from engine.loading.headers import header_for_field

TABLE_LABELS = {
    "units": ("đơn vị", "units"), "positions": ("chức vụ", "positions"), "people": ("cán bộ", "people"),
    "credentials": ("văn bằng, chứng chỉ", "credentials"), "appointments": ("quá trình bổ nhiệm", "appointments"),
    "plans": ("quy hoạch", "succession plans"), "ratings": ("đánh giá, xếp loại", "ratings"),
    "disciplines": ("kỷ luật", "disciplines"), "courses": ("khóa học", "courses"), "quotas": ("chỉ tiêu", "quotas"),
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


@lru_cache(maxsize=1024)
def field_label(name: str, lang: str = "vi") -> str:
    """The label of a data field named `table.field` (or a table, or anything else, given back as is)."""
    table, _, column = name.partition(".")
    if table not in TABLE_LABELS:
        return name
    where = TABLE_LABELS[table][0 if lang == "vi" else 1]
    if not column:
        return where
    if lang != "vi":
        return f"{column.replace('_', ' ')} ({where})"
    try:
        return f"{_lower_first(header_for_field(table, column))} ({where})"
    except KeyError:
        return name


def code_label(code_list: CodeList | None, value: object, lang: str = "vi") -> str | None:
    """The label of a code value of `code_list`, or None when the value is not a code of it."""
    if code_list is None or not isinstance(value, str) or value not in code_list:
        return None
    return code_list.label(value, lang)


__all__ = ["TABLE_LABELS", "code_label", "field_label"]
