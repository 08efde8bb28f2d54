"""Codes written as their Vietnamese labels, as offices type them: "Nữ", "NỮ", "Công chức".

A cell matches a code when it is the code itself, or its Vietnamese label (engine.codes) or one of the
aliases below, compared case-insensitively and whatever the form of the diacritics: composed (NFC) or
decomposed (NFD) text, and the old or new placement of the tone mark ("hoà" / "hòa", "thuỷ" / "thủy").
Nothing is guessed beyond that: a label without its diacritics ("Nu") or a shortened one is not a match,
and the loader reports it as an unknown code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from engine import codes
from engine.codes import CodeList

# The five Vietnamese tone marks, as combining characters (NFD).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SPACES = re.compile(r"\s+")

# Further names of codes met in office files (code list -> code -> names), beside the label.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "rating": {
        # law.md P3: the 2015-2020 level "hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực" is `hoan-thanh`.
        "hoan-thanh": ("hoàn thành", "hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực"),
        "hoan-thanh-tot": ("hoàn thành tốt",),
        "hoan-thanh-xuat-sac": ("hoàn thành xuất sắc",),
        "khong-hoan-thanh": ("không hoàn thành",),
    },
    "discipline": {"khai-tru": ("khai trừ khỏi Đảng",)},
    "category": {"nguoi-lao-dong": ("hợp đồng lao động",)},
    "education": {"thpt": ("THPT", "12/12")},
    # law.md P5: before TT 02/2021 (01/8/2021) the code 01.005 was the grade «kỹ thuật viên đánh máy».
    "grade": {"01.005": ("kỹ thuật viên đánh máy",)},
}

# Ethnic groups (an open list of slugs, engine.model.Ethnicity): names and spelling variants -> slug.
ETHNICITIES: dict[str, tuple[str, ...]] = {
    "kinh": ("Kinh",),
    "tay": ("Tày",),
    "thai": ("Thái",),
    "muong": ("Mường",),
    "khmer": ("Khmer", "Khơ-me", "Khơ me", "Khơme"),
    "hmong": ("H'Mông", "HMông", "H’Mông", "Mông", "Hmông"),
    "nung": ("Nùng",),
    "dao": ("Dao",),
    "hoa": ("Hoa",),
    "gia-rai": ("Gia Rai", "Gia-rai", "Jrai"),
    "e-de": ("Ê Đê", "Ê-đê", "Êđê"),
    "ba-na": ("Ba Na", "Ba-na", "Bahnar"),
    "cham": ("Chăm", "Chàm"),
    "san-diu": ("Sán Dìu",),
    "san-chay": ("Sán Chay", "Cao Lan"),
    "xo-dang": ("Xơ Đăng", "Xơ-đăng"),
    "co-ho": ("Cơ Ho", "Cờ Ho"),
    "tho": ("Thổ",),
    "kho-mu": ("Khơ Mú", "Khơ-mú"),
    "giay": ("Giáy",),
}


def label_key(text: str) -> str:
    """The form labels are compared in: case-folded, spaces collapsed, each word's tone mark at its end."""
    decomposed = unicodedata.normalize("NFD", _SPACES.sub(" ", text.strip()).casefold())
    words = []
    for word in decomposed.split(" "):
        tones = sorted(ch for ch in word if ch in _TONES)
        words.append("".join(ch for ch in word if ch not in _TONES) + "".join(tones))
    return " ".join(words)


@cache
def _lookup(name: str) -> dict[str, str]:
    """Label key -> code for the code list `name`: its codes, labels and aliases (no key names two codes)."""
    code_list = codes.ALL[name]
    found: dict[str, str] = {}
    for code in code_list.codes:
        for text in (code.value, code.vi, *ALIASES.get(name, {}).get(code.value, ())):
            if found.setdefault(label_key(text), code.value) != code.value:
                raise AssertionError(f"'{text}' names two {name} codes")
    return found


def code_for(code_list: CodeList, value: str) -> str:
    """The code `value` names in `code_list` (itself, its label or an alias), else `value` unchanged."""
    if value in code_list:
        return value
    return _lookup(code_list.name).get(label_key(value), value)


@cache
def _ethnicities() -> dict[str, str]:
    found: dict[str, str] = {}
    for slug, names in ETHNICITIES.items():
        for text in (slug, *names):
            if found.setdefault(label_key(text), slug) != slug:
                raise AssertionError(f"'{text}' names two ethnic groups")
    return found


def ethnicity_for(value: str) -> str:
    """The slug of an ethnic group written by name ("Tày", "H'Mông"), else `value` unchanged."""
    if value.isascii() and value.islower():
        return value
    return _ethnicities().get(label_key(value), value)


__all__ = ["ALIASES", "ETHNICITIES", "code_for", "ethnicity_for", "label_key"]
