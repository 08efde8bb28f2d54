"""Synthetic datasets of any size with the shape of the demo province (`dtbd generate`).

The output is valid by construction: ids are unique, every reference resolves, every code is a glossary
code, no post is held by two people on the same day and no credential is dated after `as_of`.

The structure grows with the number of people: one province per ~40,000 people; in each, departments
(sở) with their divisions (phòng) and public service units, districts (dissolved on 2025-07-01 by the
two-level local government reform, history kept) and the communes created that day, the provincial
People's Committee and party bodies. Careers are simulated post by post with an event queue from 2010 to
`as_of`: five-year terms (NĐ 138/2020 Art. 41), People's Council elections for elected posts, retirement
(BLLĐ 2019 Art. 169, NĐ 135/2020), the age caps and full-term rule of each period, the 24-month tenure
and the discipline bar. Credentials, succession plans, ratings and disciplines follow from the careers,
with a little deliberate noise (a leadership certificate obtained after the appointment, an appointment
outside the plan) so that audits find something, as in a real province.

Rows are written as soon as one cluster (a department with its public service units, a district with
its communes, the provincial leadership) is simulated: memory is bounded by the largest cluster, so
millions of people stream to disk.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import heapq
import itertools
import json
import math
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, Protocol

import yaml

from engine.dates import add_months, end_of_month, whole_months
from engine.errors import DtbdError
from engine.model import TABLES

Row = dict[str, object]
Format = Literal["csv", "yaml"]
Block = tuple[dt.date, dt.date | None]

AS_OF = dt.date(2026, 11, 23)
REFORM = dt.date(2025, 7, 1)  # two-level local government: districts dissolved, new communes created
ELECTIONS = (dt.date(2011, 6, 28), dt.date(2016, 6, 28), dt.date(2021, 6, 28), dt.date(2026, 6, 26))
PEOPLE_PER_PROVINCE = 40_000
_DAY = dt.timedelta(days=1)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_nfc(w.replace("_", " ")) for w in text.split())


# --- retirement (law.md R1-R3) ---------------------------------------------------------------------

def retirement_age_months(year: int, gender: str) -> int:
    """Retirement age in months for a year: BLLĐ 2019 Art. 169 and NĐ 135/2020; 60/55 before 2021."""
    if gender == "nam":
        return 720 + 3 * min(max(year - 2020, 0), 8)
    return 660 + 4 * min(max(year - 2020, 0), 15)


def retirement_date(birth: dt.date, gender: str) -> dt.date:
    """Last day of the first month M in which the age in whole months reaches the age of year(M)."""
    born = birth.year * 12 + birth.month - 1
    year = (born + retirement_age_months(0, gender)) // 12  # the youngest age the law ever set
    while True:
        month = max(year * 12, born + retirement_age_months(year, gender))
        if month <= year * 12 + 11:
            return end_of_month(dt.date(month // 12, month % 12 + 1, 1))
        year += 1


# --- names -------------------------------------------------------------------------------------------

_FAMILY_SHARE = (  # weights ~ share of Vietnamese family names
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 22), ("Phan", 45),
    ("Vũ", 22), ("Võ", 17), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
    ("Lý", 5), ("Đinh", 7), ("Trương", 6), ("Lương", 4), ("Mai", 4), ("Cao", 3), ("Tạ", 2), ("Kiều", 2),
)
_MIDDLE = {"nam": _words("Văn Văn Văn Đức Minh Quang Hữu Thanh Xuân Công Ngọc Đình Mạnh Trọng Hoàng Anh Tuấn"),
           "nu": _words("Thị Thị Thị Thị Thu Thanh Ngọc Minh Phương Thùy Hồng Kim Mai Bích Diệu Hải")}
_GIVEN = {
    "nam": _words("Hùng Dũng Tuấn Minh Nam Long Hải Sơn Thắng Cường Hiếu Quân Đạt Trung Khánh Phong Bình "
                  "Thành Tùng Quang Việt Huy Hoàng Lâm Tài Lộc Phúc Tiến Hưng Kiên Định Toàn Vinh Đức Tâm "
                  "Hòa Thái Nghĩa Trí Khải Hậu Công Chiến Tú"),
    "nu": _words("Lan Hương Hoa Mai Linh Thảo Trang Hằng Ngọc Nga Hà Thủy Yến Nhung Phương Huyền Loan Dung "
                 "Vân Oanh Hạnh Thúy Giang Liên Quyên Chi Anh Nhi Tâm Hiền Lệ Ly Thư Vy Duyên Xuân"),
}
_MINORITY: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = {
    # ethnicity -> (family names, middle names by gender, given names by gender)
    "tay": (_words("Hoàng Nông Lương Hà Vi Triệu Lục Ma Đàm Lăng"),
            {"nam": _words("Văn Đức Quang"), "nu": _words("Thị")},
            {"nam": _words("Thắng Hùng Cường Tuấn Sơn Khánh"), "nu": _words("Hoa Mai Thảo Liên Nhung")}),
    "thai": (_words("Lò Cầm Lường Quàng Vì Tòng Hà Lừ"),
             {"nam": _words("Văn"), "nu": _words("Thị")},
             {"nam": _words("Khăm Pọm Xuân Chiến Ún Piềng"), "nu": _words("Ín Xuân Bua Hương Ngân")}),
    "muong": (_words("Bùi Đinh Quách Hà Xa Bạch"),
              {"nam": _words("Văn Công"), "nu": _words("Thị")},
              {"nam": _words("Thuận Hải Lâm Khoa Nghĩa"), "nu": _words("Thơm Nhàn Hằng Duyên")}),
    "khmer": (_words("Thạch Danh Sơn Kim Lâm Chau"),
              {"nam": ("",), "nu": _words("Thị")},
              {"nam": _words("Sô_Phanh Sóc_Khon Rô_Ni Sa_Rươl Ra_Đa Chanh_Đa"),
               "nu": _words("Sa_Rết Sóc_Kha Sa_Mol Chanh_Thu Pha_Ly")}),
    "hmong": (_words("Giàng Sùng Vàng Lý Thào Mùa Hờ Vừ"),
              {"nam": _words("A Seo Mí"), "nu": _words("Thị")},
              {"nam": _words("Páo Chứ Dế Dính Lử Tủa Sử"), "nu": _words("Mai Dợ Say Pà Chua")}),
}
_ETHNICITY_SHARE = (("kinh", 920), ("tay", 25), ("thai", 20), ("muong", 15), ("khmer", 12), ("hmong", 8))

_PROVINCES = _words("Sông_Hồng Trường_Sơn Cửu_Long Hoàng_Liên Bạch_Đằng Lam_Sơn Hương_Giang Ngọc_Linh Sông_Đà "
                    "Tam_Đảo Ba_Vì Bình_Sơn An_Phú Phú_Xuân Sông_Mã Yên_Thế Sông_Cầu Tây_Đô Trà_Khúc Sông_Lam")
_DISTRICTS = _words("Đông_Phong Tây_Lĩnh Nam_Sơn Bắc_Hà Phú_Lộc An_Khánh Thanh_Bình Vĩnh_Tường Kim_Sơn "
                    "Hòa_Mỹ Tân_Lập Yên_Hưng")
_SYLLABLE_A = _words("An Bình Cẩm Đại Đức Gia Hòa Hưng Kim Lạc Long Minh Mỹ Nghĩa Ngọc Phú Phúc Quang Quảng "
                     "Sơn Tân Thạch Thanh Thái Thiện Thuận Tiên Trung Vạn Vĩnh Xuân Yên")
_SYLLABLE_B = _words("Bình Châu Đông Hà Hải Hòa Hồng Hưng Khánh Lâm Lộc Lợi Long Mỹ Nghĩa Ninh Phong Phú "
                     "Phước Sơn Tân Thành Thịnh Thuận Tiến Trung Trường Vinh Xuân")

# Departments: (id, name, divisions). The first division of each is its office (Văn phòng Sở).
_DEPARTMENTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = tuple(
    (code, _nfc(name), tuple((c, _nfc(n)) for c, n in divisions))
    for code, name, divisions in (
        ("SNV", "Sở Nội vụ", (("TCBC", "Tổ chức, biên chế"), ("CCVC", "Công chức, viên chức"),
                              ("XDCQ", "Xây dựng chính quyền"), ("TDKT", "Thi đua, khen thưởng"),
                              ("LDVL", "Lao động - Việc làm"), ("VTLT", "Văn thư, lưu trữ"),
                              ("CTTN", "Công tác thanh niên"))),
        ("STC", "Sở Tài chính", (("NS", "Quản lý ngân sách"), ("DT", "Quản lý đầu tư"), ("GCS", "Giá - Công sản"),
                                 ("TCDN", "Tài chính doanh nghiệp"), ("DKKD", "Đăng ký kinh doanh"),
                                 ("THQH", "Tổng hợp, quy hoạch"), ("HCSN", "Tài chính hành chính sự nghiệp"))),
        ("SYT", "Sở Y tế", (("NVY", "Nghiệp vụ Y"), ("KHTC", "Kế hoạch - Tài chính"), ("NVD", "Nghiệp vụ Dược"),
                            ("TCCB", "Tổ chức cán bộ"), ("BTXH", "Bảo trợ xã hội"), ("DS", "Dân số"),
                            ("ATTP", "An toàn thực phẩm"))),
        ("SGDDT", "Sở Giáo dục và Đào tạo", (("GDTH", "Giáo dục Trung học"), ("TCCB", "Tổ chức cán bộ"),
                                             ("GDMN", "Giáo dục Mầm non"), ("GDTX", "Giáo dục thường xuyên"),
                                             ("KTKD", "Khảo thí và Kiểm định chất lượng"),
                                             ("KHTC", "Kế hoạch - Tài chính"), ("GDTiH", "Giáo dục Tiểu học"))),
        ("SNNMT", "Sở Nông nghiệp và Môi trường", (("TT", "Trồng trọt và Bảo vệ thực vật"), ("DD", "Đất đai"),
                                                   ("MT", "Môi trường"), ("CN", "Chăn nuôi và Thú y"),
                                                   ("TL", "Thủy lợi"), ("KHTC", "Kế hoạch - Tài chính"),
                                                   ("TNN", "Tài nguyên nước"))),
        ("SXD", "Sở Xây dựng", (("QLXD", "Quản lý xây dựng"), ("QHKT", "Quy hoạch - Kiến trúc"),
                                ("GT", "Quản lý giao thông"), ("NO", "Nhà ở và Thị trường bất động sản"),
                                ("VT", "Quản lý vận tải"), ("HTKT", "Hạ tầng kỹ thuật"),
                                ("KTVL", "Kinh tế và Vật liệu"))),
        ("SCT", "Sở Công Thương", (("QLCN", "Quản lý công nghiệp"), ("QLTM", "Quản lý thương mại"),
                                   ("QLNL", "Quản lý năng lượng"), ("KTAT", "Kỹ thuật an toàn - Môi trường"),
                                   ("XNK", "Xuất nhập khẩu"), ("QLTT", "Quản lý thị trường"),
                                   ("KHTC", "Kế hoạch - Tài chính"))),
        ("SKHCN", "Sở Khoa học và Công nghệ", (("QLKH", "Quản lý khoa học"), ("CNS", "Chuyển đổi số"),
                                               ("BCVT", "Bưu chính, viễn thông"),
                                               ("TDC", "Tiêu chuẩn Đo lường Chất lượng"),
                                               ("SHTT", "Sở hữu trí tuệ"), ("KHTC", "Kế hoạch - Tài chính"),
                                               ("CNTT", "Công nghệ thông tin"))),
        ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", (("QLVH", "Quản lý văn hóa"), ("QLDL", "Quản lý du lịch"),
                                                        ("QLTT", "Quản lý thể dục thể thao"), ("GD", "Gia đình"),
                                                        ("DSVH", "Di sản văn hóa"), ("TTBC", "Thông tin - Báo chí"),
                                                        ("KHTC", "Kế hoạch - Tài chính"))),
        ("STP", "Sở Tư pháp", (("XDVB", "Xây dựng và Kiểm tra văn bản"), ("PBGD", "Phổ biến, giáo dục pháp luật"),
                               ("HCTP", "Hành chính tư pháp"), ("BTTP", "Bổ trợ tư pháp"),
                               ("QLXL", "Quản lý xử lý vi phạm hành chính"),
                               ("TGPL", "Trợ giúp pháp lý"), ("CT", "Chứng thực"))),
        ("SDTTG", "Sở Dân tộc và Tôn giáo", (("CSDT", "Chính sách dân tộc"), ("TG", "Tôn giáo"),
                                             ("KHTH", "Kế hoạch - Tổng hợp"), ("TTDT", "Tuyên truyền"),
                                             ("DTTS", "Địa bàn dân tộc thiểu số"),
                                             ("TCTG", "Tổ chức tôn giáo"), ("HTQT", "Hợp tác quốc tế"))),
        ("SNGV", "Sở Ngoại vụ", (("LT", "Lãnh sự"), ("HTQT", "Hợp tác quốc tế"), ("BG", "Biên giới"),
                                 ("NVNONN", "Người Việt Nam ở nước ngoài"), ("TTDN", "Thông tin đối ngoại"),
                                 ("LT2", "Lễ tân"), ("KTDN", "Kinh tế đối ngoại"))),
        ("TTT", "Thanh tra tỉnh", (("NV1", "Nghiệp vụ 1"), ("NV2", "Nghiệp vụ 2"), ("PCTN", "Phòng, chống tham nhũng"),
                                   ("TCD", "Tiếp công dân, xử lý đơn"),
                                   ("GSKT", "Giám sát, kiểm tra và xử lý sau thanh tra"),
                                   ("NV3", "Nghiệp vụ 3"), ("NV4", "Nghiệp vụ 4"))),
    )
)
# Public service units (đơn vị sự nghiệp): department -> named units, then a numbered pattern.
_SERVICE_UNITS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, str]]] = {
    "SYT": ((("BVDK", "Bệnh viện Đa khoa tỉnh {p}"), ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh {p}"),
             ("BVYHCT", "Bệnh viện Y dược cổ truyền tỉnh {p}"), ("BVSN", "Bệnh viện Sản - Nhi tỉnh {p}")),
            ("TTYT", "Trung tâm Y tế khu vực số {k}")),
    "SGDDT": ((("THPTC", "Trường Trung học phổ thông chuyên {p}"), ("CDSP", "Trường Cao đẳng Sư phạm {p}")),
              ("THPT", "Trường Trung học phổ thông số {k}")),
    "SNNMT": ((("TTKN", "Trung tâm Khuyến nông tỉnh {p}"), ("VPDK", "Văn phòng Đăng ký đất đai tỉnh {p}")),
              ("BQLR", "Ban Quản lý rừng phòng hộ số {k}")),
    "SNV": ((("TTLT", "Trung tâm Lưu trữ lịch sử tỉnh {p}"),), ("TTDVVL", "Trung tâm Dịch vụ việc làm số {k}")),
}
_SERVICE_CYCLE = ("SYT", "SGDDT", "SYT", "SGDDT", "SGDDT", "SNNMT", "SYT", "SGDDT", "SNV")
_DISTRICT_DIVISIONS = (("NV", "Nội vụ"), ("TCKH", "Tài chính - Kế hoạch"), ("GDDT", "Giáo dục và Đào tạo"),
                       ("TNMT", "Tài nguyên và Môi trường"), ("KT", "Kinh tế"), ("VHTT", "Văn hóa và Thông tin"))
_COMMUNE_DIVISIONS = (("KT", "Kinh tế"), ("VHXH", "Văn hóa - Xã hội"), ("VP", "Văn phòng HĐND và UBND"))
_PROVINCE_OFFICE_DIVISIONS = (("TH", "Tổng hợp"), ("KGVX", "Khoa giáo - Văn xã"), ("KT", "Kinh tế"),
                              ("NC", "Nội chính"), ("HCTC", "Hành chính - Tổ chức"), ("CNTT", "Tin học - Công báo"))
# Party bodies: (id, name, head, deputy, divisions); the province's name is added after "Tỉnh ủy" in unit names.
_PARTY_BODIES = (
    ("BTCTU", "Ban Tổ chức Tỉnh ủy", "Trưởng Ban Tổ chức Tỉnh ủy", "Phó Trưởng Ban Tổ chức Tỉnh ủy",
     (("TCCS", "Tổ chức cơ sở đảng - đảng viên"), ("CB", "Cán bộ"))),
    ("VPTU", "Văn phòng Tỉnh ủy", "Chánh Văn phòng Tỉnh ủy", "Phó Chánh Văn phòng Tỉnh ủy",
     (("TH", "Tổng hợp"), ("HCLT", "Hành chính - Lưu trữ"))),
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
     (("KT1", "Kiểm tra số 1"), ("KT2", "Kiểm tra số 2"))),
    ("BTGDVTU", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
     "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy", (("LLCT", "Lý luận chính trị"), ("DV", "Dân vận"))),
)

def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


# --- layout: units and posts ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SlotSpec:
    """A position row plus what the simulation needs: its seniority `level`, its division `group`."""

    id: str
    title: str
    unit: str
    tier: str
    role: str
    sector: str
    managed_by: str
    reports_to: str | None
    level: int
    group: str
    elected: bool = False
    opens: dt.date | None = None
    closes: dt.date | None = None

    def row(self) -> Row:
        return {"id": self.id, "title": self.title, "unit": self.unit, "tier": self.tier, "role": self.role,
                "sector": self.sector, "managed_by": self.managed_by, "reports_to": self.reports_to,
                "term_years": None}


@dataclass(slots=True)
class Cluster:
    """Units whose people move between each other's posts; simulated and written as one piece."""

    units: list[Row] = field(default_factory=list)
    slots: list[SlotSpec] = field(default_factory=list)
    homes: list[tuple[str, float]] = field(default_factory=list)  # current units of its staff, with weight
    kinds: dict[str, str] = field(default_factory=dict)  # unit id -> tinh|so|sn|huyen|xa|dang
    people: int = 0
    district: str | None = None


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Builder:
    """Adds units and their posts to clusters, naming posts the way Vietnamese decisions do."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def unit(self, cluster: Cluster, code: str, name: str, level: str, kind: str, parent: str | None,
             weight: float = 0.0, dissolved: dt.date | None = None) -> str:
        uid = self.prefix + code
        cluster.units.append({"id": uid, "name": _nfc(name), "level": level, "parent": parent,
                              "dissolved": dissolved})
        cluster.kinds[uid] = kind
        if weight:
            cluster.homes.append((uid, weight))
        return uid

    @staticmethod
    def post(cluster: Cluster, uid: str, suffix: str, title: str, tier: str, role: str, sector: str,
             managed_by: str, reports_to: str | None, level: int, group: str | None = None,
             elected: bool = False, opens: dt.date | None = None, closes: dt.date | None = None) -> str:
        pid = f"{uid}-{suffix}"
        cluster.slots.append(SlotSpec(pid, _nfc(title), uid, tier, role, sector, managed_by, reports_to, level,
                                      group or uid, elected, opens, closes))
        return pid

    def leaders(self, cluster: Cluster, uid: str, head: str, deputy: str, deputies: int, spec: tuple[str, str, str],
                reports_to: str | None, levels: tuple[int, int], codes: tuple[str, str] = ("GD", "PGD"),
                elected: bool = False, opens: dt.date | None = None, closes: dt.date | None = None) -> str:
        tier, sector, managed_by = spec
        top = self.post(cluster, uid, codes[0], head, tier, "truong", sector, managed_by, reports_to, levels[0],
                        elected=elected, opens=opens, closes=closes)
        deputy_managed = "don-vi" if tier == "cap-xa" else managed_by
        for k in range(1, deputies + 1):
            self.post(cluster, uid, f"{codes[1]}{k}", deputy, tier, "pho", sector, deputy_managed, top, levels[1],
                      elected=elected, opens=opens, closes=closes)
        return top

    def divisions(self, cluster: Cluster, uid: str, unit_name: str, divisions: Sequence[tuple[str, str]],
                  deputies: int, sector: str, managed_by: str, reports_to: str | None, base: int,
                  opens: dt.date | None = None, closes: dt.date | None = None, office: bool = False) -> None:
        for index, (code, name) in enumerate(divisions):
            if office and index == 0:
                head, deputy = f"Chánh Văn phòng {unit_name}", f"Phó Chánh Văn phòng {unit_name}"
                code = "VP"
            else:
                head, deputy = f"Trưởng phòng {name}, {unit_name}", f"Phó Trưởng phòng {name}, {unit_name}"
            group = f"{uid}-{code}"
            top = self.post(cluster, uid, f"{code}-TP", head, "cap-phong", "truong", sector, managed_by, reports_to,
                            base + 1, group, opens=opens, closes=closes)
            for k in range(1, deputies + 1):
                self.post(cluster, uid, f"{code}-PP{k}", deputy, "cap-phong", "pho", sector, "don-vi", top, base,
                          group, opens=opens, closes=closes)


def province_layout(index: int, people: int, multi: bool) -> tuple[str, str, list[Cluster]]:
    """The units and posts of one province of `people` people: (name, top unit id, clusters).

    Ratios (one department per ~60 people, 3 to 13; one public service unit per ~100; one district per
    ~150, 2 to 12, each replaced by communes) keep a 300-person province small enough to read and a
    40,000-person one close to a real province.
    """
    base = _PROVINCES[index % len(_PROVINCES)]
    pname = base if index < len(_PROVINCES) else f"{base} {index // len(_PROVINCES) + 1}"
    b = _Builder(f"T{index + 1:02d}-" if multi else "")
    n = people
    departments = _clamp(n / 60, 3, len(_DEPARTMENTS))
    divisions = _clamp(n / 100, 2, 7) + 1  # + the office
    deputies = 2 if n < 3000 else 3
    division_deputies = 1 if n < 1500 else 2
    service_units = _clamp(n / 100, 1, 400)
    districts = _clamp(n / 150, 2, len(_DISTRICTS))
    communes = _clamp(n / 150, 1, 12)
    clusters: list[Cluster] = []

    top = Cluster()
    ubnd = b.unit(top, "UBND", f"Ủy ban nhân dân tỉnh {pname}", "tinh", "tinh", None)
    chair = b.leaders(top, ubnd, f"Chủ tịch Ủy ban nhân dân tỉnh {pname}", f"Phó Chủ tịch Ủy ban nhân dân tỉnh {pname}",
                      3 if n < 20_000 else 4, ("cap-vu", "hanh-chinh", "bct"), None, (8, 7),
                      ("CT", "PCT"), elected=True)
    vice_chairs = [s.id for s in top.slots if s.role == "pho"]
    office = b.unit(top, "VPUB", f"Văn phòng Ủy ban nhân dân tỉnh {pname}", "tinh", "tinh", ubnd, 8 + 3 * divisions)
    head = b.leaders(top, office, f"Chánh Văn phòng Ủy ban nhân dân tỉnh {pname}",
                     f"Phó Chánh Văn phòng Ủy ban nhân dân tỉnh {pname}", 2, ("cap-so", "hanh-chinh", "btv-tinh-uy"),
                     chair, (6, 5), ("CVP", "PCVP"))
    b.divisions(top, office, f"Văn phòng Ủy ban nhân dân tỉnh {pname}",
                _PROVINCE_OFFICE_DIVISIONS[:_clamp(n / 150, 2, 6)], division_deputies, "hanh-chinh", "don-vi", head, 2)
    party = b.unit(top, "TU", f"Tỉnh ủy {pname}", "tinh", "dang", None)
    bodies = 1 + (n >= 1000) * 2 + (n >= 3000)
    for code, name, head_title, deputy_title, body_divisions in _PARTY_BODIES[:bodies]:
        uid = b.unit(top, code, name.replace("Tỉnh ủy", f"Tỉnh ủy {pname}"), "tinh", "dang", party,
                     4 + 3 * len(body_divisions))
        body_head = b.leaders(top, uid, head_title, deputy_title, 2,
                              ("cap-so", "dang", "btv-tinh-uy"), None, (6, 5), ("TB", "PTB"))
        b.divisions(top, uid, name, body_divisions, division_deputies, "dang", "don-vi", body_head, 2)
    clusters.append(top)

    for d_index in range(departments):
        code, name, dept_divisions = _DEPARTMENTS[d_index]
        cluster = Cluster()
        uid = b.unit(cluster, code, name, "tinh", "so", ubnd, 10 + 6 * divisions)
        director = b.leaders(cluster, uid, f"Giám đốc {name}", f"Phó Giám đốc {name}", deputies,
                             ("cap-so", "hanh-chinh", "btv-tinh-uy"), vice_chairs[d_index % len(vice_chairs)], (6, 5))
        b.divisions(cluster, uid, name, (("VP", "Văn phòng"), *dept_divisions[: divisions - 1]),
                    division_deputies, "hanh-chinh", "don-vi", director, 2, office=True)
        clusters.append(cluster)
    by_department = {c.units[0]["id"]: c for c in clusters[1:]}
    counters: dict[str, int] = {}
    cycle = [d for d in _SERVICE_CYCLE if b.prefix + d in by_department] or [_DEPARTMENTS[0][0]]
    for s_index in range(service_units):
        dept = cycle[s_index % len(cycle)]
        cluster = by_department[b.prefix + dept]
        k = counters.get(dept, 0)
        counters[dept] = k + 1
        named, (pattern_code, pattern) = _SERVICE_UNITS.get(dept, ((), ("TTDV", "Trung tâm Dịch vụ công số {k}")))
        if k < len(named):
            code, uname = named[k][0], named[k][1].format(p=pname)
        else:
            code, uname = f"{pattern_code}{k - len(named) + 1}", pattern.format(k=k - len(named) + 1, p=pname)
        uid = b.unit(cluster, code, uname, "tinh", "sn", b.prefix + dept, 18)
        school = uname.startswith("Trường")
        b.leaders(cluster, uid, ("Hiệu trưởng " if school else "Giám đốc ") + uname,
                  ("Phó Hiệu trưởng " if school else "Phó Giám đốc ") + uname, 2,
                  ("cap-phong", "su-nghiep", "don-vi"), f"{b.prefix}{dept}-GD", (3, 2),
                  ("HT", "PHT") if school else ("GD", "PGD"))

    taken: set[str] = set()
    codes: set[str] = set()
    for h_index in range(districts):
        dname = _DISTRICTS[h_index]
        cluster = Cluster()
        dcode = "".join(w[0] for w in _ascii(dname).split()).upper()
        dcode = next(c for c in (dcode, *(f"{dcode}{k}" for k in range(2, 99))) if c not in codes)
        codes.add(dcode)
        uid = b.unit(cluster, f"H{dcode}", f"Huyện {dname}", "huyen", "huyen", ubnd, 0, REFORM)
        cluster.district = uid
        dchair = b.leaders(cluster, uid, f"Chủ tịch Ủy ban nhân dân huyện {dname}",
                           f"Phó Chủ tịch Ủy ban nhân dân huyện {dname}", 2, ("cap-huyen", "hanh-chinh", "btv-tinh-uy"),
                           chair, (6, 5), ("CT", "PCT"), elected=True, closes=REFORM)
        b.divisions(cluster, uid, f"Ủy ban nhân dân huyện {dname}", _DISTRICT_DIVISIONS[: divisions - 1],
                    division_deputies, "hanh-chinh", "btv-huyen-uy", dchair, 2, closes=REFORM)
        for c_index in range(communes):
            cname = dname if c_index == 0 else _commune_name(h_index, c_index, taken)
            taken.add(cname)
            cid = b.unit(cluster, f"X{dcode}{c_index + 1}", f"Xã {cname}", "xa", "xa", ubnd, 12)
            cchair = b.leaders(cluster, cid, f"Chủ tịch Ủy ban nhân dân xã {cname}",
                               f"Phó Chủ tịch Ủy ban nhân dân xã {cname}", 2, ("cap-xa", "hanh-chinh", "btv-tinh-uy"),
                               chair, (4, 3), ("CT", "PCT"), elected=True, opens=REFORM)
            b.divisions(cluster, cid, f"Ủy ban nhân dân xã {cname}", _COMMUNE_DIVISIONS[: 2 if n < 5000 else 3],
                        1, "hanh-chinh", "don-vi", cchair, 1, opens=REFORM)
        clusters.append(cluster)
    _share_people(clusters, people)
    return pname, ubnd, clusters


def _commune_name(h_index: int, c_index: int, taken: set[str]) -> str:
    k = h_index * 131 + c_index * 17
    while True:
        name = f"{_SYLLABLE_A[k % len(_SYLLABLE_A)]} {_SYLLABLE_B[(k // len(_SYLLABLE_A)) % len(_SYLLABLE_B)]}"
        if name not in taken and name.split()[0] != name.split()[1]:
            return name
        k += 7


def _share_people(clusters: list[Cluster], people: int) -> None:
    """Split `people` over clusters in proportion to their home units' weights (largest remainder)."""
    weights = [sum(w for _, w in c.homes) for c in clusters]
    total = sum(weights)
    exact = [people * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(clusters)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: people - sum(counts)]:
        counts[i] += 1
    for cluster, count in zip(clusters, counts, strict=True):
        cluster.people = count


# --- people and careers --------------------------------------------------------------------------------

@dataclass(slots=True, eq=False)
class Tenure:
    slot: Slot
    start: dt.date
    kind: str
    decided: dt.date | None
    submitted: dt.date | None
    higher: bool
    end: dt.date | None = None


@dataclass(slots=True, eq=False)
class Member:
    id: str
    gender: str
    birth: dt.date
    retire: dt.date
    ethnicity: str
    home: str
    service_start: dt.date
    party_since: dt.date | None
    disciplines: list[tuple[str, dt.date]]
    tenures: list[Tenure] = field(default_factory=list)
    slot: Slot | None = None
    since: dt.date | None = None
    level: int = 0
    displaced: bool = False


@dataclass(slots=True, eq=False)
class Slot:
    index: int
    spec: SlotSpec
    blocks: list[Block]
    holder: Member | None = None
    tenure: Tenure | None = None
    terms: int = 0
    version: int = 0
    ending: str = ""  # why the current tenure ends: term, retire, relief, close, block
    last: Member | None = None  # the previous holder, not appointed again after leaving


_END, _FILL = 0, 1
_LOOKAHEAD = 730  # days: a generated person is not appointed to a post reserved within two years
_DISCIPLINE_BAR = {"khien-trach": 36, "canh-cao": 36, "ha-bac-luong": 36, "cach-chuc": 60}


def _age_years(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class _Career:
    """Event-driven simulation of one cluster's posts: who holds which post from when to when."""

    def __init__(self, rng: random.Random, cluster: Cluster, members: list[Member],
                 blocks: Mapping[str, Sequence[Block]], as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.members = members
        self.slots = [Slot(i, spec, sorted(blocks.get(spec.id, ()), key=lambda b: b[0]))
                      for i, spec in enumerate(cluster.slots)]
        self.by_home: dict[str, list[Member]] = {}
        for m in members:
            self.by_home.setdefault(m.home, []).append(m)
        # Whose holders may be promoted to each post: one or two levels below, in the same unit for
        # posts up to trưởng phòng, anywhere in the cluster above (a division head to deputy director).
        self.lower = [[o for o in self.slots if s.spec.level - 2 <= o.spec.level < s.spec.level
                       and (s.spec.level >= 5 or o.spec.unit == s.spec.unit)] for s in self.slots]
        self.heap: list[tuple[int, int, int, int, int, int]] = []
        self.seq = 0

    # events
    def _push(self, day: dt.date, kind: int, index: int) -> None:
        if day > self.as_of:
            return
        slot = self.slots[index]
        self.seq += 1
        heapq.heappush(self.heap, (day.toordinal(), kind, -slot.spec.level, self.seq, index, slot.version))

    def run(self) -> None:
        for i in sorted(range(len(self.slots)), key=lambda i: -self.slots[i].spec.level):
            spec = self.slots[i].spec
            if spec.opens is not None:
                self._push(spec.opens, _FILL, i)
            else:
                self._initial(i)
        while self.heap:
            ordinal, kind, _, _, i, version = heapq.heappop(self.heap)
            slot = self.slots[i]
            if version != slot.version:
                continue
            day = dt.date.fromordinal(ordinal)
            if kind == _END:
                self._end(slot, day)
            else:
                self._fill(slot, day)

    def _initial(self, i: int) -> None:
        """The first holder of a post that exists from the start: appointed 2010-2014, or elected in 2011."""
        slot, rng = self.slots[i], self.rng
        if slot.spec.elected and rng.random() < 0.7:
            day = ELECTIONS[0]
        else:
            day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        self._push(day, _FILL, i)

    def _blocked(self, slot: Slot, day: dt.date) -> bool:
        """A hand-written holder has the post on `day`, or will within two years (no short stints)."""
        return any((start <= day and (end is None or day < end)) or 0 <= (start - day).days < _LOOKAHEAD
                   for start, end in slot.blocks)

    def _reopen(self, slot: Slot, day: dt.date) -> dt.date | None:
        """The first day from `day` on when the post may be filled again (None: never)."""
        for start, end in slot.blocks:
            if (start <= day and (end is None or day < end)) or 0 <= (start - day).days < _LOOKAHEAD:
                if end is None:
                    return None
                day = max(day, end)
        return day

    # holding and leaving
    def _appoint(self, slot: Slot, member: Member, day: dt.date, kind: str, higher: bool) -> None:
        rng = self.rng
        if member.slot is not None and member.slot is not slot:
            self._vacate(member.slot, day, refill=True)
        reappointed = kind == "bo-nhiem-lai" or (slot.holder is member)
        if reappointed:
            decided = day - dt.timedelta(days=rng.randint(3, 30)) if rng.random() < 0.9 else None
            submitted = day - dt.timedelta(days=rng.randint(95, 160)) if rng.random() < 0.7 else None
        else:
            decided = day - dt.timedelta(days=rng.randint(3, 25)) if rng.random() < 0.9 else None
            submitted = day - dt.timedelta(days=rng.randint(26, 120)) if rng.random() < 0.75 else None
        if slot.tenure is not None and slot.holder is member:
            slot.tenure.end = day
            slot.terms += 1
        else:
            slot.terms = 1
            member.since = day
        tenure = Tenure(slot, day, kind, decided, submitted, higher)
        member.tenures.append(tenure)
        slot.holder, slot.tenure = member, tenure
        member.slot, member.level, member.displaced = slot, slot.spec.level, False
        slot.version += 1
        self._push(self._term_end(slot, member, day), _END, slot.index)

    def _term_end(self, slot: Slot, member: Member, day: dt.date) -> dt.date:
        """When, and why, the tenure starting on `day` ends (recorded in `slot.ending`)."""
        if slot.spec.elected:
            natural = next((e for e in ELECTIONS if e > day + dt.timedelta(days=180)), dt.date(2031, 6, 28))
        else:
            natural = add_months(day, 60)
        ends = [(natural, "term"), (member.retire + _DAY, "retire")]
        if slot.spec.closes is not None:
            ends.append((slot.spec.closes, "close"))
        ends.extend((start, "block") for start, _ in slot.blocks if start > day)
        if self.rng.random() < 0.06:  # relieved early: moved out of the province, resigned, ill
            ends.append((day + dt.timedelta(days=self.rng.randint(400, 1700)), "relief"))
        when, slot.ending = min(ends)
        return when

    def _vacate(self, slot: Slot, day: dt.date, refill: bool) -> None:
        member, tenure = slot.holder, slot.tenure
        assert member is not None and tenure is not None
        tenure.end = min(day, member.retire)
        slot.holder = slot.tenure = None
        slot.last = member
        member.slot = None
        slot.terms = 0
        slot.version += 1
        if refill:
            delay = 0 if slot.spec.elected and day in ELECTIONS else self.rng.randint(30, 270)
            self._push(day + dt.timedelta(days=delay), _FILL, slot.index)

    def _end(self, slot: Slot, day: dt.date) -> None:
        member = slot.holder
        assert member is not None
        if slot.ending == "close":  # the unit is dissolved; its people wait for the new communes' posts
            self._vacate(slot, day, refill=False)
            member.displaced = True
        elif slot.ending == "block":
            self._vacate(slot, day, refill=False)
            reopen = self._reopen(slot, day)
            if reopen is not None:
                self._push(reopen, _FILL, slot.index)
        elif slot.ending == "term" and not self._blocked(slot, day) and self._again(slot, member, day):
            self._appoint(slot, member, day, "bau-cu" if slot.spec.elected else "bo-nhiem-lai", False)
        else:
            self._vacate(slot, day, refill=True)

    def _again(self, slot: Slot, member: Member, day: dt.date) -> bool:
        """Reappointed (or re-elected) at the end of the term: usually, rarely for a third term."""
        rng = self.rng
        return (whole_months(day, member.retire) >= 12 and (slot.terms < 2 or rng.random() < 0.05)
                and rng.random() < (0.8 if slot.spec.elected else 0.75) and not self._barred(member, day))

    # choosing people
    def _barred(self, member: Member, day: dt.date) -> bool:
        return any(effective <= day and whole_months(effective, day) < _DISCIPLINE_BAR[kind]
                   for kind, effective in member.disciplines)

    def _age_ok(self, member: Member, slot: Slot, day: dt.date) -> bool:
        """The age rule of the period (law.md A5/A6): caps before 2020-12-01, then a full term."""
        if self.rng.random() < 0.01:
            return True  # the occasional exception an audit will find
        if day < dt.date(2020, 12, 1):
            cap = 55 if member.gender == "nam" else 50
            if slot.spec.closes is not None and slot.spec.tier == "cap-phong":
                cap = 45  # trưởng/phó phòng of a district (QĐ 27/2003/QĐ-TTg Art. 6)
            return _age_years(member.birth, day) <= cap and whole_months(day, member.retire) >= 60
        return whole_months(day, member.retire) >= 61

    def _eligible(self, member: Member, slot: Slot, day: dt.date) -> bool:
        if member.slot is not None or member is slot.last or member.retire <= day:
            return False
        if member.service_start > day - dt.timedelta(days=3 * 365):
            return False
        if _age_years(member.birth, day) < (35 if slot.spec.level >= 5 else 27):
            return False
        if slot.spec.level >= 3 and (member.party_since is None or member.party_since > day):
            return False
        return not self._barred(member, day) and self._age_ok(member, slot, day)

    def _staff(self, slot: Slot, day: dt.date) -> Member | None:
        rng = self.rng
        local = self.by_home.get(slot.spec.unit)
        for attempt in range(48):
            pool = local if local and attempt < 16 else self.members
            member = pool[rng.randrange(len(pool))]
            if self._eligible(member, slot, day):
                return member
        return None

    def _promotion(self, slot: Slot, day: dt.date) -> Member | None:
        found: list[tuple[int, int, dt.date, str, Member]] = []
        for other in self.lower[slot.index]:
            m = other.holder
            if m is None or m.since is None:
                continue
            if whole_months(m.since, day) < 24 and self.rng.random() > 0.03:
                continue
            if m.retire <= day or self._barred(m, day) or not self._age_ok(m, slot, day):
                continue
            found.append((other.spec.group != slot.spec.group, -other.spec.level, m.since, m.id, m))
        return min(found, key=lambda f: f[:4])[4] if found else None

    def _fill(self, slot: Slot, day: dt.date) -> None:
        spec, i = slot.spec, slot.index
        if spec.opens is not None and day < spec.opens:
            self._push(spec.opens, _FILL, i)
            return
        if (spec.closes is not None and day >= spec.closes) or slot.holder is not None:
            return
        if self._blocked(slot, day):
            reopen = self._reopen(slot, day)
            if reopen is not None and reopen > day:
                self._push(reopen, _FILL, i)
            return
        kind = "bau-cu" if spec.elected else "bo-nhiem"
        if spec.opens == day:  # the reform: posts of the dissolved district go to the new communes
            displaced = [m for m in self.members if m.displaced and m.slot is None and m.retire > day
                         and m.level >= spec.level - 1]
            if displaced:
                moved = max(displaced, key=lambda m: (m.level, m.id))
                self._appoint(slot, moved, day, "dieu-dong" if moved.level >= spec.level else "bo-nhiem",
                              moved.level < spec.level)
                return
        member: Member | None = None
        if spec.level >= 3 and self.rng.random() < 0.8:
            member = self._promotion(slot, day)
        if member is None:
            member = self._staff(slot, day)
        if member is None:
            self._push(day + dt.timedelta(days=90), _FILL, i)
            return
        self._appoint(slot, member, day, kind, True)


# --- rows --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Weighted:
    """A fixed table of values and weights, drawn from by bisection on the cumulative weights."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, *pairs: tuple[str, float]) -> Weighted:
        return cls(tuple(v for v, _ in pairs), tuple(itertools.accumulate(w for _, w in pairs)))

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


_DISCIPLINE_KINDS = Weighted.of(("khien-trach", 65), ("canh-cao", 30), ("ha-bac-luong", 5))
_GRADE_TOP = Weighted.of(("01.001", 55), ("01.002", 45))
_GRADE_SENIOR = Weighted.of(("01.001", 10), ("01.002", 75), ("01.003", 15))
_GRADE_DIVISION = Weighted.of(("01.002", 45), ("01.003", 55))
_GRADE_COMMUNE = Weighted.of(("01.003", 55), ("01.004", 40), ("01.005", 5))
_GRADE_STAFF = Weighted.of(("01.002", 10), ("01.003", 65), ("01.004", 18), ("01.005", 7))
_EDUCATION_LEADER = Weighted.of(("dai-hoc", 55), ("thac-si", 38), ("tien-si", 7))
_EDUCATION_COMMUNE = Weighted.of(("thpt", 5), ("trung-cap", 15), ("cao-dang", 15), ("dai-hoc", 60), ("thac-si", 5))
_EDUCATION_SERVICE = Weighted.of(("cao-dang", 10), ("dai-hoc", 60), ("thac-si", 25), ("tien-si", 5))
_EDUCATION_STAFF = Weighted.of(("cao-dang", 5), ("dai-hoc", 75), ("thac-si", 18), ("tien-si", 2))
_LANGUAGE = Weighted.of(("2", 25), ("3", 40), ("4", 25), ("5", 8), ("6", 2))
_LLCT_HIGH = Weighted.of(("llct-cao-cap", 75), ("llct-cao-cap-hc", 15), ("cu-nhan-chinh-tri", 10))
_LLCT_MIDDLE = Weighted.of(("llct-trung-cap", 80), ("llct-trung-cap-hc", 20))
_RATING_DISCIPLINED = Weighted.of(("hoan-thanh", 80), ("khong-hoan-thanh", 20))
_RATING = Weighted.of(("hoan-thanh-xuat-sac", 15), ("hoan-thanh-tot", 66), ("hoan-thanh", 17), ("khong-hoan-thanh", 2))
_FAMILY = Weighted.of(*((_nfc(n), w) for n, w in _FAMILY_SHARE))
_ETHNICITY = Weighted.of(*_ETHNICITY_SHARE)


def _day_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    span = (high - low).days
    return low + dt.timedelta(days=rng.randint(0, span)) if span > 0 else low


class Generator:
    """Builds a synthetic dataset and hands every row to a sink as soon as it exists.

    `blocks` reserves periods of given posts for people written by hand (the demo's special cases):
    nobody generated holds a post during one of its blocks, nor is appointed to it within two years of one.
    """

    def __init__(self, people: int, seed: int, as_of: dt.date = AS_OF,
                 blocks: Mapping[str, Sequence[Block]] | None = None) -> None:
        if people < 1:
            raise ValueError("people must be at least 1")
        self.people = people
        self.seed = seed
        self.as_of = as_of
        self.blocks = blocks or {}
        self.provinces = max(1, math.ceil(people / PEOPLE_PER_PROVINCE))
        self.width = max(4, len(str(people)))
        self.province_names: list[str] = []
        self.demo_person: str | None = None

    def run(self, sink: Sink, progress: Callable[[int], None] | None = None) -> None:
        rng = random.Random(self.seed)
        multi = self.provinces > 1
        next_id = 1
        done = 0
        for p in range(self.provinces):
            share = self.people // self.provinces + (p < self.people % self.provinces)
            pname, _, clusters = province_layout(p, share, multi)
            self.province_names.append(pname)
            for cluster in clusters:
                homes = Weighted.of(*cluster.homes)
                members = [self._member(rng, homes, next_id + k) for k in range(cluster.people)]
                next_id += cluster.people
                career = _Career(rng, cluster, members, self.blocks, self.as_of)
                career.run()
                for unit in cluster.units:
                    sink.write("units", unit)
                for spec in cluster.slots:
                    sink.write("positions", spec.row())
                self._write_people(rng, sink, cluster, members, career, pname)
                done += cluster.people
                if progress is not None:
                    progress(done)
        for p, pname in enumerate(self.province_names):
            for row in courses(self.as_of.year, pname, f"T{p + 1:02d}-" if multi else ""):
                sink.write("courses", row)
        for row in quotas(self.as_of.year, self.provinces):
            sink.write("quotas", row)

    def _member(self, rng: random.Random, homes: Weighted, number: int) -> Member:
        gender = "nam" if rng.random() < 0.52 else "nu"
        as_of = self.as_of
        if rng.random() < 0.07:  # retires between 2014 and as_of: the earlier holders of today's posts
            target = _day_between(rng, dt.date(2014, 6, 1), as_of)
            birth = add_months(target, -retirement_age_months(target.year, gender))
            birth = birth.replace(day=rng.randint(1, 28))
        else:
            while True:
                oldest = 61 if gender == "nam" else 56
                age_days = int((25 + (oldest - 25) * rng.betavariate(1.6, 1.4)) * 365.25)
                birth = as_of - dt.timedelta(days=age_days)
                if retirement_date(birth, gender) > as_of:
                    break
        retire = retirement_date(birth, gender)
        ethnicity = _ETHNICITY.draw(rng)
        home = homes.draw(rng)
        start = birth + dt.timedelta(days=8036 + rng.randint(0, 2557))  # recruited at 22 to 29
        start = min(start.replace(day=1), as_of - dt.timedelta(days=200))
        party = None
        if rng.random() < 0.72:  # admitted at 21 to 36, rarely long before recruitment
            party = max(birth + dt.timedelta(days=7670 + rng.randint(0, 5479)), start - dt.timedelta(days=700))
            party = party if party < as_of else None
        disciplines: list[tuple[str, dt.date]] = []
        if rng.random() < 0.025:
            low = max(dt.date(2019, 1, 1), start)
            if low < as_of - dt.timedelta(days=30):
                disciplines.append((_DISCIPLINE_KINDS.draw(rng),
                                    _day_between(rng, low, as_of - dt.timedelta(days=30))))
        return Member(f"CB{number:0{self.width}d}", gender, birth, retire, ethnicity, home, start, party, disciplines)

    def _write_people(self, rng: random.Random, sink: Sink, cluster: Cluster, members: list[Member],
                      career: _Career, pname: str) -> None:
        plans = _Plans(rng, cluster, members, career, self.as_of)
        for m in members:
            person = _person_row(rng, m, cluster, self.as_of)
            sink.write("people", person)
            if self.demo_person is None and m.slot is not None and m.slot.spec.tier == "cap-so" \
                    and m.slot.spec.role == "truong":
                self.demo_person = m.id
            for t in m.tenures:
                sink.write("appointments", {"person": m.id, "position": t.slot.spec.id, "start": t.start,
                                            "kind": t.kind, "end": t.end if t.end and t.end <= self.as_of else None,
                                            "decided": t.decided, "submitted": t.submitted})
            for row in _credential_rows(rng, m, person, pname, self.as_of):
                sink.write("credentials", row)
            for row in plans.of(m):
                sink.write("plans", row)
            for row in _rating_rows(rng, m, self.as_of):
                sink.write("ratings", row)
            for kind, effective in m.disciplines:
                sink.write("disciplines", {"person": m.id, "kind": kind, "effective": effective, "ends": None})


def _person_row(rng: random.Random, m: Member, cluster: Cluster, as_of: dt.date) -> Row:
    last = m.tenures[-1] if m.tenures else None
    retired = m.retire if m.retire <= as_of else None
    if m.slot is not None:
        unit = m.slot.spec.unit
    elif retired is not None and last is not None:
        unit = last.slot.spec.unit
    elif retired is not None and cluster.district is not None and retired < REFORM:
        unit = cluster.district
    else:
        unit = m.home
    kind = cluster.kinds[unit]
    top = max((t.slot.spec.level for t in m.tenures), default=0)
    current = m.slot.spec if m.slot is not None else (last.slot.spec if last and retired else None)
    if current is not None and current.elected:
        category = "cbcc-cap-xa" if kind == "xa" else "can-bo"
    elif kind == "sn":
        category = "vien-chuc"
    elif kind == "xa":
        category = "khong-chuyen-trach" if not m.tenures and rng.random() < 0.06 else "cbcc-cap-xa"
    else:
        category = "cong-chuc"
    grade = grade_since = None
    if category not in ("vien-chuc", "khong-chuyen-trach"):
        if top >= 6:
            grade = _GRADE_TOP.draw(rng)
        elif top >= 4:
            grade = _GRADE_SENIOR.draw(rng)
        elif top >= 2:
            grade = _GRADE_DIVISION.draw(rng)
        elif kind == "xa":
            grade = _GRADE_COMMUNE.draw(rng)
        else:
            grade = _GRADE_STAFF.draw(rng)
        years = {"01.001": (17, 26), "01.002": (8, 15)}.get(grade, (0, 3))
        grade_since = add_months(m.service_start, rng.randint(12 * years[0], 12 * years[1]))
        grade_since = min(grade_since, as_of - dt.timedelta(days=30), retired or as_of)
    if rng.random() < 0.02:
        education = None
    elif top >= 4:
        education = _EDUCATION_LEADER.draw(rng)
    elif kind == "xa" and not m.tenures:
        education = _EDUCATION_COMMUNE.draw(rng)
    elif kind == "sn":
        education = _EDUCATION_SERVICE.draw(rng)
    else:
        education = _EDUCATION_STAFF.draw(rng)
    language = None
    if rng.random() < (0.5 if _age_years(m.birth, as_of) < 40 else 0.25):
        language = int(_LANGUAGE.draw(rng))
    return {"id": m.id, "full_name": _full_name(rng, m.gender, m.ethnicity), "birth_date": m.birth,
            "gender": m.gender, "category": category, "unit": unit,
            "ethnicity": None if m.ethnicity == "kinh" and rng.random() < 0.5 else m.ethnicity,
            "education": education, "service_start": m.service_start, "party_member_since": m.party_since,
            "grade": grade, "grade_since": grade_since, "foreign_language_level": language, "retired": retired}


def _full_name(rng: random.Random, gender: str, ethnicity: str) -> str:
    if ethnicity in _MINORITY:
        families, middles, givens = _MINORITY[ethnicity]
        parts = [rng.choice(families), rng.choice(middles[gender]), rng.choice(givens[gender])]
    else:
        parts = [_FAMILY.draw(rng), rng.choice(_MIDDLE[gender])]
        if rng.random() < 0.15:
            parts.append(rng.choice(_MIDDLE[gender] if gender == "nu" else _GIVEN[gender]))
        parts.append(rng.choice(_GIVEN[gender]))
    return " ".join(p for p in parts if p)


_LDQL = {"cap-xa": "ldql-cap-xa", "cap-phong": "ldql-cap-phong", "cap-huyen": "ldql-cap-huyen",
         "cap-so": "ldql-cap-so", "cap-vu": "ldql-cap-vu"}
_QPAN = {"bct": "qpan-doi-tuong-1", "btv-tinh-uy": "qpan-doi-tuong-2"}


def _issuer(programme: str, pname: str) -> str:
    if programme in ("llct-cao-cap", "llct-cao-cap-hc", "cap-nhat-kien-thuc"):
        return "Học viện Chính trị khu vực I"
    if programme == "cu-nhan-chinh-tri":
        return "Học viện Báo chí và Tuyên truyền"
    if programme in ("qlnn-chuyen-vien-cao-cap", "ldql-cap-so", "ldql-cap-vu", "ldql-cap-huyen"):
        return "Học viện Hành chính Quốc gia"
    if programme == "qpan-doi-tuong-1":
        return "Học viện Quốc phòng"
    if programme == "qpan-doi-tuong-2":
        return "Trường Quân sự Quân khu 3"
    if programme.startswith("qpan"):
        return f"Trường Quân sự tỉnh {pname}"
    return f"Trường Chính trị tỉnh {pname}"


def _credential_rows(rng: random.Random, m: Member, person: Row, pname: str, as_of: dt.date) -> Iterator[Row]:
    limit = min(as_of - _DAY, m.retire)
    earliest = add_months(m.birth, 12 * 21)
    found: dict[str, dt.date] = {}

    def add(programme: str, day: dt.date) -> None:
        day = max(day, earliest)
        if day <= limit and programme not in found:
            found[programme] = day

    grade, since = person["grade"], person["grade_since"]
    if isinstance(since, dt.date):
        before = since - dt.timedelta(days=rng.randint(30, 900))
        if grade == "01.004" and rng.random() < 0.7:
            add("qlnn-can-su", before)
        if grade in ("01.003", "01.002", "01.001") and rng.random() < 0.8:
            add("qlnn-chuyen-vien", m.service_start + dt.timedelta(days=rng.randint(200, 1500)))
        if grade in ("01.002", "01.001") and rng.random() < 0.88:
            add("qlnn-chuyen-vien-chinh", before if grade == "01.002" else add_months(m.service_start, 12 * 8))
        if grade == "01.001" and rng.random() < 0.8:
            add("qlnn-chuyen-vien-cao-cap", before)
    firsts: dict[str, Tenure] = {}
    for t in m.tenures:
        firsts.setdefault(t.slot.spec.tier, t)
    top = max(m.tenures, key=lambda t: t.slot.spec.level) if m.tenures else None
    if m.party_since is not None:  # political theory schools admit party members (law.md L6, L9)
        admitted = m.party_since + dt.timedelta(days=180)
        senior = next((t for t in m.tenures if t.slot.spec.level >= 5), None)
        first = m.tenures[0] if m.tenures else None
        if senior is not None and rng.random() < 0.85:
            programme = _LLCT_HIGH.draw(rng)
            offset = -rng.randint(60, 6 * 365) if rng.random() < 0.75 else rng.randint(30, 3 * 365)
            add(programme, max(senior.start + dt.timedelta(days=offset), admitted))
        if first is not None and rng.random() < 0.85:
            offset = -rng.randint(60, 6 * 365) if rng.random() < 0.8 else rng.randint(30, 3 * 365)
            add(_LLCT_MIDDLE.draw(rng), max(first.start + dt.timedelta(days=offset), admitted))
        elif first is None and rng.random() < 0.12:
            add("llct-trung-cap", _day_between(rng, admitted, as_of))
    for tier, t in firsts.items():
        threshold = t.decided or t.start
        if t.start >= dt.date(2022, 1, 1):
            x = rng.random()
            if x < 0.9:
                add(_LDQL[tier], threshold - dt.timedelta(days=rng.randint(20, 500)))
            elif x < 0.96:
                add(_LDQL[tier], t.start + dt.timedelta(days=rng.randint(20, 600)))
        elif rng.random() < 0.82:
            add(_LDQL[tier], t.start + dt.timedelta(days=rng.randint(-700, 1100)))
    if top is not None and rng.random() < 0.7:
        spec = top.slot.spec
        group = _QPAN.get(spec.managed_by, "qpan-doi-tuong-4" if spec.tier == "cap-xa" else "qpan-doi-tuong-3")
        add(group, top.start + dt.timedelta(days=rng.randint(-365, 3 * 365)))
    level = m.slot.spec.level if m.slot is not None else 0
    if rng.random() < (0.45 if level >= 5 else 0.15 if level >= 3 else 0):
        add("cap-nhat-kien-thuc", _day_between(rng, dt.date(2024, 6, 1), as_of - _DAY))
    for programme, day in sorted(found.items(), key=lambda item: (item[1], item[0])):
        evidence = "giay-chung-nhan" if rng.random() < 0.15 else "chung-chi"
        yield {"person": m.id, "programme": programme, "completed": day, "evidence": evidence,
               "issuer": _issuer(programme, pname), "note": None}


def _rating_rows(rng: random.Random, m: Member, as_of: dt.date) -> Iterator[Row]:
    disciplined = {effective.year for _, effective in m.disciplines}
    for year in range(2020, min(as_of.year, 2026)):
        if m.service_start.year > year or m.retire < dt.date(year, 7, 1):
            continue
        if year == as_of.year - 1 and rng.random() < 0.03:
            continue  # not yet entered
        rating = (_RATING_DISCIPLINED if year in disciplined else _RATING).draw(rng)
        yield {"person": m.id, "year": year, "rating": rating}


class _Plans:
    """Succession plans (quy hoạch) of a cluster: for appointments, and for today's next posts."""

    def __init__(self, rng: random.Random, cluster: Cluster, members: list[Member], career: _Career,
                 as_of: dt.date) -> None:
        self.rows: dict[str, list[Row]] = {}
        seen: set[tuple[str, str, str]] = set()

        def add(m: Member, slot_id: str, approved: dt.date, term: str, removable: bool) -> None:
            if (m.id, slot_id, term) in seen or approved > as_of:
                return
            seen.add((m.id, slot_id, term))
            removed = None
            late = next((e for _, e in m.disciplines if e > approved), None)
            if removable and late is not None:
                removed = min(late + dt.timedelta(days=rng.randint(20, 90)), as_of)
            elif removable and rng.random() < 0.06:
                removed = _day_between(rng, approved + dt.timedelta(days=180), as_of)
            if removed is not None and removed <= approved:
                removed = None
            self.rows.setdefault(m.id, []).append({"person": m.id, "position": slot_id, "approved": approved,
                                                   "term": term, "removed": removed})

        for m in members:
            for t in m.tenures:
                if not t.higher or t.start < dt.date(2019, 10, 1) or rng.random() < 0.1:
                    continue
                before = t.start - dt.timedelta(days=60)
                if t.start < dt.date(2025, 1, 1):
                    add(m, t.slot.spec.id, _day_between(rng, dt.date(2019, 9, 1), before), "2020-2025", False)
                else:
                    add(m, t.slot.spec.id, _day_between(rng, dt.date(2023, 6, 1), before), "2025-2030", False)
        staff = [m for m in members if m.slot is None and m.retire > as_of and not m.tenures]
        horizon = add_months(as_of, 60)  # planned people can serve a full term (QĐ 50-QĐ/TW)
        holders = [(o.spec.level, o.holder) for o in career.slots
                   if o.holder is not None and o.holder.retire > horizon]
        for slot in career.slots:
            spec = slot.spec
            if spec.closes is not None or spec.level < 2:
                continue
            pool = [holder for level, holder in holders if spec.level - 2 <= level < spec.level]
            for _ in range(rng.randint(1, 2)):
                if pool and (spec.level >= 3 or rng.random() < 0.5):
                    planned = pool[rng.randrange(len(pool))]
                elif staff and spec.level <= 3:
                    planned = staff[rng.randrange(len(staff))]
                else:
                    continue
                add(planned, spec.id, _day_between(rng, dt.date(2024, 3, 1), dt.date(2025, 9, 30)), "2025-2030", True)
        day = dt.date(2020, 6, 30)
        held_2020 = [(m, t) for m in members for t in m.tenures
                     if t.start <= day and (t.end is None or t.end > day)]
        for slot in career.slots:
            spec = slot.spec
            if spec.opens is not None or spec.level < 2 or rng.random() < 0.4:
                continue
            then = [m for m, t in held_2020 if spec.level - 2 <= t.slot.spec.level < spec.level]
            if then:
                approved = _day_between(rng, dt.date(2019, 10, 1), dt.date(2020, 12, 31))
                add(then[rng.randrange(len(then))], spec.id, approved, "2020-2025", True)

    def of(self, m: Member) -> list[Row]:
        return self.rows.get(m.id, [])


# --- courses and quotas ------------------------------------------------------------------------------

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
                   "title": f"{_nfc(title)} năm {y}", "location": location}


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
    for offset in (0, 1):
        for programme, mode, first, second in _QUOTAS:
            yield {"year": year + offset, "programme": programme, "target": (first, second)[offset] * provinces,
                   "mode": mode, "unit": None}


# --- writing -----------------------------------------------------------------------------------------

class Sink(Protocol):
    def write(self, table: str, row: Row) -> None: ...


def columns(table: str) -> list[str]:
    return list(TABLES[table].model_fields)


_PLAIN = re.compile(r"[^\W\d_][\w .,()/'-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def yaml_scalar(value: object) -> str:
    """A YAML scalar that reads back as the same text (or date, or number) under any safe loader."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


class TableWriter:
    """Writes one table, row by row, as CSV (header of English field names) or as a YAML list."""

    def __init__(self, path: Path, table: str, fmt: Format) -> None:
        self.fmt = fmt
        self.columns = columns(table)
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.count = 0
        self.csv = csv.writer(self.handle, lineterminator="\n") if fmt == "csv" else None
        if self.csv is not None:
            self.csv.writerow(self.columns)

    def write(self, row: Row) -> None:
        self.count += 1
        if self.csv is not None:
            self.csv.writerow(map(row.get, self.columns))  # None -> "", date -> ISO
            return
        lines = [f"{c}: {yaml_scalar(row[c])}" for c in self.columns if row.get(c) is not None]
        self.handle.write("- " + "\n  ".join(lines) + "\n")

    def close(self) -> None:
        if self.fmt == "yaml" and self.count == 0:
            self.handle.write("[]\n")
        self.handle.close()


class FileSink:
    """Streams every table of a dataset into `out/NAME.csv` or `out/NAME.yaml`."""

    def __init__(self, out: Path, formats: Mapping[str, Format]) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.writers = {t: TableWriter(out / f"{t}.{formats[t]}", t, formats[t]) for t in TABLES}

    def write(self, table: str, row: Row) -> None:
        self.writers[table].write(row)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class CollectSink:
    """Keeps every row in memory (for small datasets that are completed by hand, like the demo)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Row]] = {t: [] for t in TABLES}

    def write(self, table: str, row: Row) -> None:
        self.tables[table].append(row)


def write_manifest(out: Path, manifest: Mapping[str, object]) -> None:
    text = yaml.safe_dump(dict(manifest), allow_unicode=True, sort_keys=False, width=110)
    (out / "dataset.yaml").write_text(text, encoding="utf-8")


def _existing(out: Path) -> list[str]:
    if not out.is_dir():
        return []
    names = {"dataset.yaml"} | {f"{t}.{ext}" for t in TABLES for ext in ("csv", "yaml", "yml", "xlsx")}
    return sorted(p.name for p in out.iterdir() if p.name in names)


def generate_dataset(people: int, seed: int, out: Path, fmt: Format = "csv", as_of: dt.date = AS_OF, *,
                     overwrite: bool = False, progress: Callable[[int], None] | None = None) -> None:
    """Write a synthetic dataset of `people` people into the folder `out` (same seed, same bytes).

    A folder that already holds dataset files is refused unless `overwrite`; then every table file of
    the dataset is replaced, in either format, so the folder never holds a table twice.
    """
    found = _existing(out)
    if found and not overwrite:
        raise DtbdError(f"thư mục đã có dữ liệu / {out} already holds a dataset ({', '.join(found[:4])}…);"
                        " use --force to replace it")
    for name in found:
        (out / name).unlink()
    generator = Generator(people, seed, as_of)
    sink = FileSink(out, dict.fromkeys(TABLES, fmt))
    try:
        generator.run(sink, progress)
    finally:
        sink.close()
    names = generator.province_names
    manifest: dict[str, object] = {
        "name": f"Dữ liệu mô phỏng {people} người (seed {seed})",
        "province": f"Tỉnh {names[0]} (dữ liệu mô phỏng)" if len(names) == 1
        else f"{len(names)} tỉnh mô phỏng",
        "rulesets": ["national"],
        "as_of": as_of,
    }
    if generator.demo_person is not None:
        manifest["demo_person"] = generator.demo_person
    manifest["description"] = _nfc("Sinh bởi `dtbd generate`: dữ liệu giả lập, không phải người thật.")
    write_manifest(out, manifest)
