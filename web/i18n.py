"""Labels of the pages in Vietnamese (default) and English; data values stay as the data has them."""

from __future__ import annotations

import datetime as dt

from engine.dates import day_text

LABELS: dict[str, dict[str, str]] = {
    "app": {"vi": "Quy tắc đào tạo, bồi dưỡng CBCCVC", "en": "Training rules for cadres and civil servants"},
    "overview": {"vi": "Tổng quan", "en": "Overview"},
    "search": {"vi": "Tra cứu", "en": "Search"},
    "plan": {"vi": "Kế hoạch", "en": "Plan"},
    "courses": {"vi": "Khóa học", "en": "Courses"},
    "audit": {"vi": "Thanh tra", "en": "Audit"},
    "readiness": {"vi": "Sẵn sàng", "en": "Readiness"},
    "rules": {"vi": "Quy tắc", "en": "Rules"},
    "data": {"vi": "Dữ liệu", "en": "Data"},
    "admin": {"vi": "Quản trị", "en": "Administration"},
    "login": {"vi": "Đăng nhập", "en": "Log in"},
    "logout": {"vi": "Đăng xuất", "en": "Log out"},
    "name": {"vi": "Tên đăng nhập", "en": "Account name"},
    "password": {"vi": "Mật khẩu", "en": "Password"},
    "query": {"vi": "Họ tên hoặc mã", "en": "Name or id"},
    "find": {"vi": "Tìm", "en": "Find"},
    "no_snapshot": {"vi": "Chưa có bộ dữ liệu chốt nào. Quản trị viên tải lên ở trang Dữ liệu.",
                    "en": "No snapshot yet. An administrator uploads one on the Data page."},
    "not_found": {"vi": "Không tìm thấy", "en": "Not found"},
    "forbidden": {"vi": "Không có quyền", "en": "Forbidden"},
    "why": {"vi": "Vì sao?", "en": "Why?"},
    "unverified": {"vi": "chưa xác minh", "en": "unverified"},
    "eligibility": {"vi": "Kiểm tra bổ nhiệm", "en": "Appointment check"},
    "position": {"vi": "Chức vụ", "en": "Post"},
    "date": {"vi": "Ngày", "en": "Date"},
    "kind": {"vi": "Hình thức", "en": "Kind"},
    "check": {"vi": "Kiểm tra", "en": "Check"},
    "upload": {"vi": "Tải lên", "en": "Upload"},
    "snapshot": {"vi": "Bộ dữ liệu chốt ngày", "en": "Snapshot as of"},
    "people": {"vi": "Số người", "en": "People"},
    "download": {"vi": "Tải về", "en": "Download"},
    "working": {"vi": "Đang tính, trang tự làm mới…", "en": "Working; reload in a moment…"},
    "access_log": {"vi": "Nhật ký truy cập", "en": "Access log"},
    "users": {"vi": "Tài khoản", "en": "Accounts"},
    "role": {"vi": "Vai trò", "en": "Role"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
}


def label(key: str, lang: str) -> str:
    entry = LABELS.get(key)
    return key if entry is None else entry.get(lang, entry["vi"])


def day(value: object, lang: str) -> str:
    """A date as people read it: dd/mm/yyyy in Vietnamese, ISO in English; anything else as is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return day_text(parsed, lang)
    if isinstance(value, str) and len(value) == 7 and value[4] == "-" and value[:4].isdigit() and lang == "vi":
        return f"{value[5:]}/{value[:4]}"  # a month as given (engine.precision): 03/2015
    if isinstance(value, dt.date):
        return day_text(value, lang)
    return "" if value is None else str(value)
