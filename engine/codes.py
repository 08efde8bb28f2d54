"""Code lists of the glossary (docs/codes.md), each code defined once with its labels.

Code values are the glossary's ASCII slugs. A dataset or ruleset that uses a code outside these
lists (or the extensions a rule pack declares) is an input error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Code:
    """One code of a list: its slug and its Vietnamese and English labels."""

    value: str
    vi: str
    en: str
    # Where the code comes from, when it is not the glossary's own (law.md row and instrument).
    source: str = ""


@dataclass(frozen=True)
class CodeList:
    """An ordered code list; order matters where the glossary implies a ranking (education, tier)."""

    name: str
    codes: tuple[Code, ...]

    @cached_property
    def values(self) -> tuple[str, ...]:
        """The slugs, in the list's order."""
        return tuple(c.value for c in self.codes)

    @cached_property
    def _members(self) -> frozenset[str]:
        return frozenset(self.values)

    def __contains__(self, value: object) -> bool:
        return value in self._members

    def label(self, value: str, lang: str = "vi") -> str:
        """The label of `value` in `lang` (the value itself when it is not in the list)."""
        for c in self.codes:
            if c.value == value:
                return c.vi if lang == "vi" else c.en
        return value

    def rank(self, value: str) -> int:
        """Position of `value` in the list (its rank where the order is a ranking)."""
        return self.values.index(value)


def _codes(name: str, *rows: tuple[str, str, str] | tuple[str, str, str, str]) -> CodeList:
    return CodeList(name, tuple(Code(*r) for r in rows))


CATEGORY = _codes(
    "category",
    ("can-bo", "cán bộ", "cadre"),
    ("cong-chuc", "công chức", "civil servant"),
    ("vien-chuc", "viên chức", "public employee"),
    ("cbcc-cap-xa", "cán bộ, công chức cấp xã", "commune cadre or civil servant"),
    ("khong-chuyen-trach", "người hoạt động không chuyên trách ở cấp xã", "non-specialised commune worker"),
    ("nguoi-lao-dong", "người lao động", "employee under a labour contract",
     "law.md P1 (NĐ 27/2026/NĐ-CP: the CBCCVC database); out of scope of most rules (rulesets/vocabulary.yaml)"),
)
GENDER = _codes("gender", ("nam", "nam", "male"), ("nu", "nữ", "female"))
EDUCATION = _codes(
    "education",
    ("thpt", "trung học phổ thông", "upper secondary"),
    ("trung-cap", "trung cấp", "vocational secondary"),
    ("cao-dang", "cao đẳng", "college"),
    ("dai-hoc", "đại học", "university"),
    ("thac-si", "thạc sĩ", "master"),
    ("tien-si", "tiến sĩ", "doctorate"),
)
RATING = _codes(
    "rating",
    ("khong-hoan-thanh", "không hoàn thành nhiệm vụ", "not completed"),
    ("hoan-thanh", "hoàn thành nhiệm vụ", "completed"),
    ("hoan-thanh-tot", "hoàn thành tốt nhiệm vụ", "good"),
    ("hoan-thanh-xuat-sac", "hoàn thành xuất sắc nhiệm vụ", "excellent"),
)
DISCIPLINE = _codes(
    "discipline",
    ("khien-trach", "khiển trách", "reprimand"),
    ("canh-cao", "cảnh cáo", "warning"),
    ("ha-bac-luong", "hạ bậc lương", "salary-step demotion"),
    ("giang-chuc", "giáng chức", "demotion"),
    ("cach-chuc", "cách chức", "dismissal from post"),
    ("buoc-thoi-viec", "buộc thôi việc", "discharge"),
    ("bai-nhiem", "bãi nhiệm", "removal from elected office", "law.md P2 (NĐ 172/2025/NĐ-CP, cán bộ)"),
    ("khai-tru", "khai trừ", "expulsion from the Party", "law.md P2 (Party discipline)"),
)
DISCIPLINE_SYSTEM = _codes(
    "discipline_system",
    ("dang", "kỷ luật đảng", "Party discipline", "law.md P2"),
    ("chinh-quyen", "kỷ luật hành chính (chính quyền)", "state (administrative) discipline", "law.md P2"),
    ("doan-the", "kỷ luật đoàn thể", "mass-organisation discipline", "law.md P1"),
)
GRADE = _codes(
    "grade",
    # Clerical grades of TT 02/2021/TT-BNV (law.md P5, U123): codes of new decisions from 01/8/2021 only
    # (rulesets/vocabulary.yaml); 01.005 meant another grade before (labels by the grade's date).
    ("02.008", "văn thư viên trung cấp", "intermediate clerical officer", "law.md P5 (TT 02/2021/TT-BNV)"),
    ("02.007", "văn thư viên", "clerical officer", "law.md P5 (TT 02/2021/TT-BNV)"),
    ("02.006", "văn thư viên chính", "principal clerical officer", "law.md P5 (TT 02/2021/TT-BNV)"),
    ("01.005", "nhân viên", "clerk"),
    ("01.004", "cán sự", "officer"),
    ("01.003", "chuyên viên", "specialist"),
    ("01.002", "chuyên viên chính", "principal specialist"),
    ("01.001", "chuyên viên cao cấp", "senior specialist"),
)
TIER = _codes(
    "tier",
    ("cap-xa", "cấp xã", "commune leadership"),
    ("cap-phong", "cấp phòng", "division"),
    ("cap-huyen", "cấp huyện", "district leadership"),
    ("cap-so", "cấp sở", "department"),
    ("cap-vu", "cấp vụ", "ministry department"),
    ("thu-truong", "cấp thứ trưởng", "vice-minister and above"),
)
ROLE = _codes("role", ("pho", "cấp phó", "deputy"), ("truong", "cấp trưởng", "head"))
SECTOR = _codes(
    "sector",
    ("hanh-chinh", "cơ quan hành chính nhà nước", "state administrative body"),
    ("dang", "cơ quan đảng", "party body"),
    ("doan-the", "Mặt trận Tổ quốc và đoàn thể", "Fatherland Front and mass organisations"),
    ("su-nghiep", "đơn vị sự nghiệp công lập", "public service unit"),
    ("doanh-nghiep", "doanh nghiệp nhà nước", "state enterprise"),
)
MANAGED_BY = _codes(
    "managed_by",
    ("bct", "Bộ Chính trị, Ban Bí thư quản lý", "Politburo/Secretariat"),
    ("btv-tinh-uy", "Ban Thường vụ Tỉnh ủy quản lý", "provincial standing committee"),
    ("btv-huyen-uy", "Ban Thường vụ Huyện ủy quản lý", "district standing committee"),
    ("don-vi", "đơn vị quản lý", "the unit itself"),
)
UNIT_LEVEL = _codes(
    "level",
    ("trung-uong", "trung ương", "central"),
    ("tinh", "tỉnh", "province"),
    ("huyen", "huyện", "district"),
    ("xa", "xã", "commune"),
)
APPOINTMENT_KIND = _codes(
    "kind",
    ("bo-nhiem", "bổ nhiệm", "appointment"),
    ("bo-nhiem-lai", "bổ nhiệm lại", "reappointment"),
    ("bau-cu", "bầu cử", "election"),
    ("dieu-dong", "điều động", "transfer"),
    ("luan-chuyen", "luân chuyển", "rotation"),
    ("biet-phai", "biệt phái", "secondment", "law.md P1 (NĐ 27/2026/NĐ-CP field group: biệt phái)"),
    ("kiem-nhiem", "kiêm nhiệm", "concurrent post", "law.md P1 (a second post held at the same time)"),
)
PROGRAMME = _codes(
    "programme",
    ("llct-so-cap", "sơ cấp lý luận chính trị", "elementary political theory"),
    ("llct-trung-cap", "trung cấp lý luận chính trị", "intermediate political theory"),
    ("llct-trung-cap-hc", "trung cấp lý luận chính trị - hành chính",
     "intermediate political theory and administration"),
    ("llct-cao-cap", "cao cấp lý luận chính trị", "advanced political theory"),
    ("llct-cao-cap-hc", "cao cấp lý luận chính trị - hành chính", "advanced political theory and administration"),
    ("cu-nhan-chinh-tri", "cử nhân chính trị", "bachelor of politics"),
    ("llct-xac-nhan-cao-cap", "giấy xác nhận tương đương trình độ cao cấp LLCT",
     "certified equivalence to advanced political theory"),
    ("llct-xac-nhan-trung-cap", "giấy xác nhận tương đương trình độ trung cấp LLCT",
     "certified equivalence to intermediate political theory"),
    ("qlnn-can-su", "bồi dưỡng QLNN ngạch cán sự", "state management, officer grade"),
    ("qlnn-chuyen-vien", "bồi dưỡng QLNN ngạch chuyên viên", "state management, specialist grade"),
    ("qlnn-chuyen-vien-chinh", "bồi dưỡng QLNN ngạch chuyên viên chính",
     "state management, principal specialist grade"),
    ("qlnn-chuyen-vien-cao-cap", "bồi dưỡng QLNN ngạch chuyên viên cao cấp",
     "state management, senior specialist grade"),
    ("ldql-cap-xa", "bồi dưỡng lãnh đạo, quản lý cấp xã", "leadership, commune level"),
    ("ldql-cap-phong", "bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương", "leadership, division level"),
    ("ldql-cap-huyen", "bồi dưỡng lãnh đạo, quản lý cấp huyện", "leadership, district level"),
    ("ldql-cap-so", "bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương", "leadership, department level"),
    ("ldql-cap-vu", "bồi dưỡng lãnh đạo, quản lý cấp vụ và tương đương", "leadership, ministry-department level"),
    ("ldql-thu-truong", "bồi dưỡng lãnh đạo cấp thứ trưởng và tương đương", "leadership, vice-minister level"),
    ("qpan-doi-tuong-1", "bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 1", "defence and security, group 1"),
    ("qpan-doi-tuong-2", "bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 2", "defence and security, group 2"),
    ("qpan-doi-tuong-3", "bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 3", "defence and security, group 3"),
    ("qpan-doi-tuong-4", "bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4", "defence and security, group 4"),
    ("cap-nhat-kien-thuc", "bồi dưỡng, cập nhật kiến thức (Quy định 145-QĐ/TW)", "knowledge update (Regulation 145)"),
)
EVIDENCE = _codes(
    "evidence",
    ("chung-chi", "chứng chỉ", "certificate"),
    ("giay-chung-nhan", "giấy chứng nhận hoàn thành khóa học", "certificate of completion"),
)
MODE = _codes(
    "mode",
    ("tap-trung", "tập trung", "full-time"),
    ("khong-tap-trung", "không tập trung", "part-time"),
    ("truc-tuyen", "trực tuyến", "online"),
)
STATUS = _codes(
    "status",
    ("met", "đạt", "met"),
    ("due", "đến hạn", "due"),
    ("overdue", "quá hạn", "overdue"),
    ("pending", "chờ bổ sung (chưa có thời hạn)", "pending (no deadline)"),
    ("exempt", "miễn", "exempt"),
    ("missing", "thiếu", "missing"),
    ("violation", "vi phạm", "violation"),
    ("unknown", "chưa đủ dữ liệu", "unknown"),
)
BASIS = _codes(
    "basis",
    ("holds", "đang giữ chức vụ", "post held"),
    ("planned", "trong quy hoạch", "planned (succession plan)"),
    ("proposed", "dự kiến bổ nhiệm", "proposed appointment"),
    ("appointed", "đã bổ nhiệm", "appointment audited"),
    ("admission", "điều kiện dự học", "course admission"),
)
STRENGTH = _codes(
    "strength",
    ("law", "văn bản quy phạm pháp luật", "law"),
    ("party", "quy định của Đảng", "party regulation"),
    ("target", "chỉ tiêu của Chỉ thị", "directive target"),
    ("local", "quy định của địa phương", "local regulation"),
)

ALL: dict[str, CodeList] = {
    cl.name: cl
    for cl in (
        CATEGORY, GENDER, EDUCATION, RATING, DISCIPLINE, DISCIPLINE_SYSTEM, GRADE, TIER, ROLE, SECTOR, MANAGED_BY,
        UNIT_LEVEL, APPOINTMENT_KIND, PROGRAMME, EVIDENCE, MODE, STATUS, BASIS, STRENGTH,
    )
}


def is_ethnic_slug(value: str) -> bool:
    """Ethnicity is open-ended: `kinh` or any lowercase ASCII slug of an ethnic group."""
    return bool(value) and all(ch.isascii() and (ch.islower() or ch.isdigit() or ch == "-") for ch in value)
