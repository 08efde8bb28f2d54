"""What a valid dataset still lacks that will later make findings `unknown` (issue 16, item 8).

Beside the errors `validate` reports, a to-do list for the personnel office, per unit:
- people in service with no rating for the last year ended before the evaluation date (the rules that
  count good years read ratings: LLCT-TC-350, POSTGRAD);
- people holding or planned for a leadership post with no date of joining the Party (LLCT objects and
  standards ask whether they are party members), no grade (công chức, cán bộ and commune cadres: the
  QLNN rules read the grade), or no education (LLCT-TC-350 reads the degree);
- credentials recorded without their date (`undated`, a level from a Mẫu 2C list, law.md P4): a rule
  that needs the credential by a date answers `unknown` until the date of its certificate is filled in.

An absent optional field is never guessed (docs/data.md): each entry names the field to fill.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from engine.dataset import Dataset

# (item, field to fill, Vietnamese label, English label), in the order they are listed.
ITEMS: tuple[tuple[str, str, str, str], ...] = (
    ("rating", "ratings.rating", "thiếu đánh giá, xếp loại năm {year}", "no rating for {year}"),
    ("party_date", "people.party_member_since", "lãnh đạo/quy hoạch thiếu ngày vào Đảng",
     "leader or planned with no party date"),
    ("grade", "people.grade", "lãnh đạo/quy hoạch thiếu ngạch", "leader or planned with no grade"),
    ("education", "people.education", "lãnh đạo/quy hoạch thiếu trình độ đào tạo",
     "leader or planned with no education"),
    ("undated", "credentials.completed", "văn bằng, chứng chỉ chưa có ngày cấp (chỉ ghi trình độ)",
     "credential with no date (level only)"),
)
# Items shown as a column only when some unit has them (the first four always are).
OPTIONAL_ITEMS = frozenset({"undated"})
# item -> (Vietnamese, English) column heading.
HEADINGS: dict[str, tuple[str, str]] = {
    "rating": ("đánh giá {year}", "rating {year}"),
    "party_date": ("ngày vào Đảng", "party date"),
    "grade": ("ngạch", "grade"),
    "education": ("trình độ", "education"),
    "undated": ("văn bằng chưa có ngày", "undated credentials"),
}
# Categories that hold a grade (ngạch); viên chức hold professional titles instead.
GRADED = frozenset({"can-bo", "cong-chuc", "cbcc-cap-xa"})
# Categories that are rated under the rating decrees (not contract workers).
NOT_RATED = frozenset({"nguoi-lao-dong"})


@dataclass(frozen=True)
class Gap:
    """One missing item of one person."""

    unit: str
    person: str
    item: str
    field: str
    year: int | None = None


@dataclass(frozen=True)
class UnitGaps:
    """The gaps of one unit: counts and person ids by item."""

    unit: str
    name: str
    counts: dict[str, int]
    people: dict[str, list[str]]  # item -> person ids


def _in_service(retired: dt.date | None, start: dt.date | None, last: dt.date) -> bool:
    """In service on the last day of the year rated (recruited by then, not retired)."""
    return (retired is None or retired > last) and (start is None or start <= last)


def _leaders(dataset: Dataset, day: dt.date) -> set[str]:
    """People holding a post on `day`, or in a succession plan in force on `day`."""
    found = {a.person for a in dataset.appointments if a.start <= day and (a.end is None or a.end >= day)}
    found |= {p.person for p in dataset.plans if p.approved <= day and (p.removed is None or p.removed > day)}
    return found


def gaps(dataset: Dataset, as_of: dt.date | None = None) -> list[Gap]:
    """Every missing item, person by person in the order of the people table."""
    day = dataset.as_of(as_of)
    year = day.year - 1
    last = dt.date(year, 12, 31)
    rated = {r.person for r in dataset.ratings if r.year == year}
    leaders = _leaders(dataset, day)
    undated = {c.person for c in dataset.credentials if c.undated}
    found: list[Gap] = []
    for person in dataset.people:
        if person.retired is not None and person.retired <= day:
            continue
        if (person.category not in NOT_RATED and person.id not in rated
                and _in_service(person.retired, person.service_start, last)):
            found.append(Gap(person.unit, person.id, "rating", "ratings.rating", year))
        if person.id in undated:
            found.append(Gap(person.unit, person.id, "undated", "credentials.completed"))
        if person.id not in leaders:
            continue
        if person.party_member_since is None:
            found.append(Gap(person.unit, person.id, "party_date", "people.party_member_since"))
        if person.grade is None and person.category in GRADED:
            found.append(Gap(person.unit, person.id, "grade", "people.grade"))
        if person.education is None:
            found.append(Gap(person.unit, person.id, "education", "people.education"))
    return found


def by_unit(dataset: Dataset, found: Iterable[Gap]) -> list[UnitGaps]:
    """The gaps per unit (units in the order of the units table), with counts and person ids."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for gap in found:
        grouped.setdefault(gap.unit, {}).setdefault(gap.item, []).append(gap.person)
    names = {u.id: u.name for u in dataset.units}
    order = {u.id: index for index, u in enumerate(dataset.units)}
    out = []
    for unit in sorted(grouped, key=lambda u: order.get(u, len(order))):
        items = grouped[unit]
        counts = Counter({item: len(ids) for item, ids in items.items()})
        out.append(UnitGaps(unit, names.get(unit, unit), {item: counts[item] for item, *_ in ITEMS if counts[item]},
                            {item: items[item] for item, *_ in ITEMS if item in items}))
    return out


def heading(item: str, lang: str, year: int | None = None) -> str:
    """The short column heading of an item."""
    vi, en = HEADINGS[item]
    return (vi if lang == "vi" else en).format(year=year if year is not None else "")


def label(item: str, lang: str, year: int | None = None) -> str:
    """The label of an item, in Vietnamese or English."""
    for name, _field, vi, en in ITEMS:
        if name == item:
            return (vi if lang == "vi" else en).format(year=year if year is not None else "")
    raise KeyError(item)


__all__ = ["GRADED", "HEADINGS", "ITEMS", "OPTIONAL_ITEMS", "Gap", "UnitGaps", "by_unit", "gaps", "heading", "label"]
