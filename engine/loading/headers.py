"""Column names of the tables: the English field names and the Vietnamese headers officials use.

The mapping is declared once, here (docs/data.md: the Vietnamese headers officials use are accepted
as well); the CSV/YAML loader, the Excel import and the templates all read it. For each field the
first header listed is the one written in exports and templates; the others are accepted on input.
A header common to several tables ("Mã", "Đơn vị", "Chương trình") is declared once in `_COMMON` and
applies to every table that has the field; a table's own headers come first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from engine.model import TABLES
from engine.suggest import closest

# field -> headers, for every table that has the field.
_COMMON: dict[str, tuple[str, ...]] = {
    "id": ("Mã", "Mã số"),
    "person": ("Mã cán bộ", "Cán bộ", "Mã số cán bộ"),
    "position": ("Chức vụ", "Mã chức vụ"),
    "unit": ("Đơn vị", "Mã đơn vị"),
    "programme": ("Chương trình", "Mã chương trình"),
    "start": ("Ngày bắt đầu", "Từ ngày"),
    "end": ("Đến ngày", "Ngày kết thúc"),
    "year": ("Năm",),
    "mode": ("Hình thức đào tạo", "Hình thức"),
    "note": ("Ghi chú",),
}

# table -> field -> headers specific to that table (listed before the common ones).
_PER_TABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "units": {
        "id": ("Mã đơn vị",),
        "name": ("Tên đơn vị",),
        "level": ("Cấp hành chính", "Cấp"),
        "parent": ("Đơn vị cấp trên", "Mã đơn vị cấp trên"),
        "dissolved": ("Ngày giải thể",),
    },
    "positions": {
        "id": ("Mã chức vụ",),
        "title": ("Tên chức vụ", "Chức vụ"),
        "tier": ("Cấp lãnh đạo, quản lý", "Cấp chức vụ"),
        "role": ("Cấp trưởng/phó", "Vai trò"),
        "sector": ("Khối cơ quan", "Khối"),
        "managed_by": ("Diện quản lý",),
        "reports_to": ("Cấp trên trực tiếp", "Chức vụ cấp trên"),
        "term_years": ("Thời hạn giữ chức vụ (năm)", "Thời hạn bổ nhiệm"),
    },
    "people": {
        "id": ("Mã cán bộ", "Mã số cán bộ"),
        "full_name": ("Họ và tên", "Họ tên"),
        "birth_date": ("Ngày sinh",),
        "gender": ("Giới tính",),
        "category": ("Đối tượng", "Loại cán bộ"),
        "ethnicity": ("Dân tộc",),
        "education": ("Trình độ đào tạo", "Trình độ chuyên môn"),
        "service_start": ("Ngày tuyển dụng",),
        "party_member_since": ("Ngày vào Đảng",),
        "party_official_since": ("Ngày chính thức", "Ngày vào Đảng chính thức"),
        "personal_id": ("Số định danh cá nhân", "Số CCCD", "Số căn cước"),
        "grade": ("Ngạch", "Mã ngạch"),
        "grade_since": ("Ngày bổ nhiệm ngạch", "Giữ ngạch từ ngày"),
        "foreign_language_level": ("Trình độ ngoại ngữ (bậc)", "Trình độ ngoại ngữ", "Bậc ngoại ngữ"),
        "retired": ("Ngày nghỉ hưu",),
    },
    "credentials": {
        "completed": ("Ngày hoàn thành", "Ngày cấp"),
        "undated": ("Không ghi ngày",),
        "evidence": ("Loại văn bằng, chứng chỉ", "Văn bằng, chứng chỉ"),
        "issuer": ("Cơ sở cấp", "Nơi cấp"),
    },
    "appointments": {
        "start": ("Ngày hiệu lực",),
        "kind": ("Hình thức bổ nhiệm", "Hình thức"),
        "decided": ("Ngày quyết định", "Ngày ký quyết định"),
        "submitted": ("Ngày nhận hồ sơ",),
    },
    "plans": {
        "approved": ("Ngày phê duyệt", "Ngày phê duyệt quy hoạch"),
        "term": ("Giai đoạn quy hoạch", "Giai đoạn"),
        "removed": ("Ngày đưa ra khỏi quy hoạch",),
    },
    "ratings": {
        "year": ("Năm đánh giá",),
        "rating": ("Xếp loại", "Kết quả đánh giá", "Xếp loại chất lượng"),
    },
    "disciplines": {
        "kind": ("Hình thức kỷ luật", "Hình thức"),
        "effective": ("Ngày hiệu lực", "Ngày có hiệu lực"),
        "ends": ("Ngày hết hiệu lực",),
        "system": ("Hệ thống kỷ luật", "Kỷ luật của"),
    },
    "courses": {
        "id": ("Mã lớp", "Mã khóa học"),
        "title": ("Tên lớp", "Tên khóa học"),
        "capacity": ("Số học viên tối đa", "Quy mô lớp"),
        "provider": ("Cơ sở đào tạo",),
        "location": ("Địa điểm",),
    },
    "quotas": {
        "target": ("Chỉ tiêu", "Số người cử đi học"),
    },
}


def header_key(text: str) -> str:
    """The form headers are compared in: NFC, case-folded, inner spaces collapsed, a trailing '*' dropped.

    Templates mark required columns with '*', and spreadsheets often differ only in case or spacing.
    """
    text = unicodedata.normalize("NFC", text).strip().rstrip("*").strip()
    return " ".join(text.split()).casefold()


def _build() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    headers: dict[str, dict[str, str]] = {}
    canonical: dict[str, dict[str, str]] = {}
    lookup: dict[str, dict[str, str]] = {}
    for table, row_class in TABLES.items():
        own = _PER_TABLE.get(table, {})
        unknown = set(own) - set(row_class.model_fields)
        if unknown:
            raise AssertionError(f"headers for fields {sorted(unknown)} that {table} does not have")
        headers[table], canonical[table], lookup[table] = {}, {}, {}
        for name in row_class.model_fields:
            names = own.get(name, ()) + _COMMON.get(name, ())
            if not names:
                raise AssertionError(f"no Vietnamese header for {table}.{name}")
            canonical[table][name] = names[0]
            for header in (name, *names):
                key = header_key(header)
                if lookup[table].setdefault(key, name) != name:
                    raise AssertionError(f"header '{header}' of {table} names two fields")
                if header != name:
                    headers[table][unicodedata.normalize("NFC", header)] = name
    return headers, canonical, lookup


_HEADERS, _CANONICAL, _LOOKUP = _build()

#: table -> {Vietnamese header -> English field name}, every accepted header.
HEADERS_VI: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {table: MappingProxyType(mapping) for table, mapping in _HEADERS.items()}
)


@lru_cache(maxsize=8192)
def field_for_header(table: str, header: str) -> str | None:
    """The English field a column header names in `table` (English name or Vietnamese header), or None."""
    return _LOOKUP.get(table, {}).get(header_key(header))


def header_for_field(table: str, field: str) -> str:
    """The Vietnamese header written for `field` of `table` in exports and templates."""
    try:
        return _CANONICAL[table][field]
    except KeyError:
        raise KeyError(f"{table}.{field} is not a field of the dataset") from None


def suggest_field(table: str, header: str) -> str | None:
    """The accepted column name (English or Vietnamese) closest to a header nobody recognises."""
    options = [*TABLES[table].model_fields, *_HEADERS[table]]
    by_key = {header_key(option): option for option in options}
    near = closest(header_key(header), by_key)
    return by_key[near[0]] if near else None
