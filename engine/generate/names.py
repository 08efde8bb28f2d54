"""Vietnamese names of people (Kinh and minority families) and of the simulated places."""

from __future__ import annotations

import random
import unicodedata

from engine.generate.common import Weighted, nfc


def _words(text: str) -> tuple[str, ...]:
    return tuple(nfc(w.replace("_", " ")) for w in text.split())


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

PROVINCES = _words("Sông_Hồng Trường_Sơn Cửu_Long Hoàng_Liên Bạch_Đằng Lam_Sơn Hương_Giang Ngọc_Linh Sông_Đà "
                   "Tam_Đảo Ba_Vì Bình_Sơn An_Phú Phú_Xuân Sông_Mã Yên_Thế Sông_Cầu Tây_Đô Trà_Khúc Sông_Lam")
DISTRICTS = _words("Đông_Phong Tây_Lĩnh Nam_Sơn Bắc_Hà Phú_Lộc An_Khánh Thanh_Bình Vĩnh_Tường Kim_Sơn "
                   "Hòa_Mỹ Tân_Lập Yên_Hưng")
_SYLLABLE_A = _words("An Bình Cẩm Đại Đức Gia Hòa Hưng Kim Lạc Long Minh Mỹ Nghĩa Ngọc Phú Phúc Quang Quảng "
                     "Sơn Tân Thạch Thanh Thái Thiện Thuận Tiên Trung Vạn Vĩnh Xuân Yên")
_SYLLABLE_B = _words("Bình Châu Đông Hà Hải Hòa Hồng Hưng Khánh Lâm Lộc Lợi Long Mỹ Nghĩa Ninh Phong Phú "
                     "Phước Sơn Tân Thành Thịnh Thuận Tiến Trung Trường Vinh Xuân")

_FAMILY = Weighted.of(*((nfc(n), w) for n, w in _FAMILY_SHARE))
ETHNICITY = Weighted.of(*_ETHNICITY_SHARE)


def full_name(rng: random.Random, gender: str, ethnicity: str) -> str:
    """A Vietnamese full name for the gender and ethnicity."""
    if ethnicity in _MINORITY:
        families, middles, givens = _MINORITY[ethnicity]
        parts = [rng.choice(families), rng.choice(middles[gender]), rng.choice(givens[gender])]
    else:
        parts = [_FAMILY.draw(rng), rng.choice(_MIDDLE[gender])]
        if rng.random() < 0.15:
            parts.append(rng.choice(_MIDDLE[gender] if gender == "nu" else _GIVEN[gender]))
        parts.append(rng.choice(_GIVEN[gender]))
    return " ".join(p for p in parts if p)


def commune_name(h_index: int, c_index: int, taken: set[str]) -> str:
    """A commune name not in `taken` (added to it)."""
    k = h_index * 131 + c_index * 17
    while True:
        name = f"{_SYLLABLE_A[k % len(_SYLLABLE_A)]} {_SYLLABLE_B[(k // len(_SYLLABLE_A)) % len(_SYLLABLE_B)]}"
        if name not in taken and name.split()[0] != name.split()[1]:
            return name
        k += 7


def to_ascii(text: str) -> str:
    """`text` without diacritics, for ids and e-mail-like slugs."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
