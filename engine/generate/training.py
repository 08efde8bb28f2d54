"""Training: the course catalogue of a province and the yearly training quotas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from engine.dates import add_months
from engine.generate.common import Row, nfc


def _monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


_TC_KTT = "Trung cấp lý luận chính trị hệ không tập trung"
_QPAN_TITLE = "Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng"
# (id stem, programme, mode, capacity, (month, day) of the first Monday on or after, length, title)
# length: weeks (Monday to Friday) when positive, months when negative.
_CATALOGUE: tuple[tuple[str, str, str, int, tuple[int, int], int, str], ...] = (
    ("LDP-01", "ldql-cap-phong", "tap-trung", 30, (3, 9), 2, "Bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương"),
    ("LDP-02", "ldql-cap-phong", "tap-trung", 30, (12, 1), 2, "Bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương"),
    ("LDS-01", "ldql-cap-so", "tap-trung", 25, (12, 7), 2, "Bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương"),
    ("LDH-01", "ldql-cap-huyen", "tap-trung", 25, (6, 8), 2, "Bồi dưỡng lãnh đạo, quản lý cấp huyện"),
    ("LDX-01", "ldql-cap-xa", "tap-trung", 40, (12, 7), 2, "Bồi dưỡng lãnh đạo, quản lý cấp xã"),
    ("LDV-01", "ldql-cap-vu", "tap-trung", 20, (9, 7), 2, "Bồi dưỡng lãnh đạo, quản lý cấp vụ và tương đương"),
    ("CC-TT-01", "llct-cao-cap", "tap-trung", 60, (3, 2), -8, "Cao cấp lý luận chính trị hệ tập trung"),
    ("CC-KTT-01", "llct-cao-cap", "khong-tap-trung", 80, (5, 4), -18, "Cao cấp lý luận chính trị hệ không tập trung"),
    ("TC-TT-01", "llct-trung-cap", "tap-trung", 60, (3, 2), -5, "Trung cấp lý luận chính trị hệ tập trung"),
    ("TC-KTT-01", "llct-trung-cap", "khong-tap-trung", 70, (4, 6), -8, _TC_KTT),
    ("TC-KTT-02", "llct-trung-cap", "khong-tap-trung", 70, (12, 1), -8, _TC_KTT),
    ("CV-01", "qlnn-chuyen-vien", "tap-trung", 60, (7, 6), 4, "Bồi dưỡng ngạch chuyên viên"),
    ("CVC-01", "qlnn-chuyen-vien-chinh", "tap-trung", 50, (5, 11), 6, "Bồi dưỡng ngạch chuyên viên chính"),
    ("CVC-02", "qlnn-chuyen-vien-chinh", "tap-trung", 50, (12, 1), 6, "Bồi dưỡng ngạch chuyên viên chính"),
    ("CVCC-01", "qlnn-chuyen-vien-cao-cap", "tap-trung", 40, (8, 3), 8, "Bồi dưỡng ngạch chuyên viên cao cấp"),
    ("QP1-01", "qpan-doi-tuong-1", "tap-trung", 3, (5, 10), 4, _QPAN_TITLE + " 1"),
    ("QP2-01", "qpan-doi-tuong-2", "tap-trung", 25, (8, 10), 3, _QPAN_TITLE + " 2"),
    ("QP3-01", "qpan-doi-tuong-3", "tap-trung", 60, (11, 30), 2, _QPAN_TITLE + " 3"),
    ("QP4-01", "qpan-doi-tuong-4", "tap-trung", 50, (12, 14), 1, _QPAN_TITLE + " 4"),
    ("CNKT-01", "cap-nhat-kien-thuc", "tap-trung", 40, (12, 2), 1,
     "Bồi dưỡng, cập nhật kiến thức theo Quy định 145-QĐ/TW"),
)


def courses(year: int, pname: str, prefix: str = "") -> Iterator[Row]:
    """The course catalogue of `year` and the next: realistic lengths (≤ the caps of NĐ 89/2021)."""
    providers = {"llct-cao-cap": "Học viện Chính trị khu vực I", "qpan-doi-tuong-1": "Học viện Quốc phòng",
                 "qpan-doi-tuong-2": "Trường Quân sự Quân khu 3",
                 "qlnn-chuyen-vien-cao-cap": "Học viện Hành chính và Quản trị công",
                 "ldql-cap-so": "Học viện Hành chính và Quản trị công",
                 "ldql-cap-vu": "Học viện Hành chính và Quản trị công"}
    for y in (year, year + 1):
        for stem, programme, mode, capacity, (month, day), length, title in _CATALOGUE:
            start = _monday(dt.date(y, month, day))
            if length > 0:
                end = start + dt.timedelta(days=7 * length - 3)
            else:
                end = add_months(start, -length)
                end -= dt.timedelta(days=(end.weekday() - 4) % 7)
            local_defence = programme in ("qpan-doi-tuong-3", "qpan-doi-tuong-4")
            location = f"Trường Quân sự tỉnh {pname}" if local_defence else None
            yield {"id": f"{prefix}K{y % 100:02d}-{stem}", "programme": programme, "start": start, "end": end,
                   "capacity": capacity, "mode": mode,
                   "provider": providers.get(programme, f"Trường Chính trị tỉnh {pname}"),
                   "title": f"{nfc(title)} năm {y}", "location": location}


# Yearly quotas of one province, in the style of seed 003 ("cử từ 35 ... hệ tập trung").
_QUOTAS: tuple[tuple[str, str | None, int, int], ...] = (
    ("llct-cao-cap", "tap-trung", 35, 36), ("llct-cao-cap", "khong-tap-trung", 42, 45),
    ("llct-trung-cap", "tap-trung", 20, 25), ("llct-trung-cap", "khong-tap-trung", 60, 60),
    ("qpan-doi-tuong-1", None, 2, 2), ("qpan-doi-tuong-2", None, 20, 22), ("qpan-doi-tuong-3", None, 60, 60),
    ("qpan-doi-tuong-4", None, 40, 40), ("qlnn-chuyen-vien-cao-cap", None, 5, 6),
    ("qlnn-chuyen-vien-chinh", None, 30, 30), ("qlnn-chuyen-vien", None, 40, 40), ("ldql-cap-so", None, 5, 8),
    ("ldql-cap-phong", None, 50, 55), ("ldql-cap-xa", None, 40, 40), ("cap-nhat-kien-thuc", None, 15, 15),
)


def quotas(year: int, provinces: int = 1) -> Iterator[Row]:
    """The training quota rows of `year`."""
    for offset in (0, 1):
        for programme, mode, first, second in _QUOTAS:
            yield {"year": year + offset, "programme": programme, "target": (first, second)[offset] * provinces,
                   "mode": mode, "unit": None}
