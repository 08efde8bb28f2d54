"""Finding people, posts and courses by what officers type: names and titles, with or without diacritics.

Matching folds both sides the same way (`fold`): Unicode NFD with the combining marks removed, `đ`
read as `d`, case-folded, spaces collapsed — so "tran quoc hung", "TRẦN QUỐC HƯNG" and "Trần Quốc
Hưng" are one name. A query matches when every word of it is a word of the name or title, in any order
("hung tran" finds "Trần Quốc Hưng"), the last one possibly unfinished ("tran quoc h"), or when it is
the record's id (case-insensitive).

`resolve_person` / `resolve_position` turn an id or a name into an id for commands that take one: an
id is used as is, a name is accepted where exactly one record carries it, and otherwise the error
lists the matches (`AmbiguousNameError`) or the nearest ids (`UnknownIdError`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from engine.dataset import Dataset
from engine.dates import day_text
from engine.errors import DtbdError, UnknownIdError
from engine.model import Course, Person, Position
from engine.rules.rulebook import Rulebook
from engine.suggest import closest

LISTED = 10  # matches named in an ambiguity message


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The form names are compared in: no diacritics, đ → d, case-folded, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def matches(query: str, *texts: str | None) -> bool:
    """Whether every word of `query` is a word of one of `texts` (folded), the last word possibly cut short
    as one types it ("giam doc so noi" finds "Giám đốc Sở Nội vụ"); an empty query matches everything."""
    words = fold(query).split()
    if not words:
        return True
    haystack = [w for text in texts if text for w in fold(text).split()]
    *whole, last = words
    return all(w in haystack for w in whole) and any(h.startswith(last) for h in haystack)


@dataclass(frozen=True)
class PersonHit:
    """A person found, with the unit and the posts held on the day (trích ngang for choosing)."""

    person: Person
    unit_name: str
    posts: tuple[Position, ...]


@dataclass(frozen=True)
class PositionHit:
    """A post found, with its unit's name and the people holding it on the day."""

    position: Position
    unit_name: str
    holders: tuple[Person, ...]


class AmbiguousNameError(DtbdError):
    """A name given where an id is expected names more than one record: the message lists them."""

    def __init__(self, kind: str, value: str, candidates: Sequence[tuple[str, str]]) -> None:
        shown = [f"  {cid}  {text}" for cid, text in candidates[:LISTED]]
        more = len(candidates) - len(shown)
        if more > 0:
            shown.append(f"  … và {more} kết quả khác / and {more} more")
        super().__init__(
            f"'{value}' khớp với {len(candidates)} {kind.split(' / ')[0]} / matches {len(candidates)} records:\n"
            + "\n".join(shown)
            + "\nHãy dùng mã / give the id instead.")
        self.kind = kind
        self.value = value
        self.candidates = list(candidates)


def _unit_name(ds: Dataset, unit_id: str) -> str:
    unit = ds.unit_by_id.get(unit_id)
    return unit.name if unit else unit_id


def _held(ds: Dataset, on: dt.date) -> dict[str, list[str]]:
    """person -> ids of the posts held on `on` (appointment started, not ended)."""
    out: dict[str, list[str]] = {}
    for a in ds.appointments:
        if a.start <= on and (a.end is None or a.end >= on):
            out.setdefault(a.person, []).append(a.position)
    return out


def find_people(ds: Dataset, query: str, on: dt.date) -> list[PersonHit]:
    """People whose name (or id) matches `query`, in name order, with their unit and posts held on `on`."""
    held = _held(ds, on)
    hits = [p for p in ds.people if _id_is(query, p.id) or matches(query, p.full_name)]
    hits.sort(key=lambda p: (fold(p.full_name), p.id))
    return [PersonHit(p, _unit_name(ds, p.unit),
                      tuple(ds.position_by_id[x] for x in held.get(p.id, ()) if x in ds.position_by_id))
            for p in hits]


def find_positions(ds: Dataset, query: str, on: dt.date) -> list[PositionHit]:
    """Posts whose title, unit name (or id) match `query`, with their holders on `on`."""
    holders: dict[str, list[Person]] = {}
    for person_id, posts in _held(ds, on).items():
        for post in posts:
            if person_id in ds.person_by_id:
                holders.setdefault(post, []).append(ds.person_by_id[person_id])
    hits = [p for p in ds.positions
            if _id_is(query, p.id) or matches(query, p.title, _unit_name(ds, p.unit))]
    hits.sort(key=lambda p: (fold(_unit_name(ds, p.unit)), fold(p.title), p.id))
    return [PositionHit(p, _unit_name(ds, p.unit), tuple(holders.get(p.id, ()))) for p in hits]


def find_courses(ds: Dataset, start_from: dt.date | None = None, programme: str | None = None,
                 query: str = "") -> list[Course]:
    """Courses starting on or after `start_from`, of `programme` (code), matching `query` on id, title,
    provider or location; by start date."""
    hits = [c for c in ds.courses
            if (start_from is None or c.start >= start_from)
            and (programme is None or c.programme == programme)
            and (_id_is(query, c.id) or matches(query, c.title, c.provider, c.location, c.id))]
    return sorted(hits, key=lambda c: (c.start, c.id))


def _id_is(query: str, record_id: str) -> bool:
    return query.strip().casefold() == record_id.casefold()


def _resolve(kind: str, value: str, ids: Iterable[str], named: list[tuple[str, str, str]]) -> str:
    """`named` holds (id, name, description) of every record; exact folded names win over prefixes."""
    known = list(ids)
    if value in set(known):
        return value
    by_case = [i for i in known if i.casefold() == value.strip().casefold()]
    if len(by_case) == 1:
        return by_case[0]
    exact = [(i, d) for i, name, d in named if fold(name) == fold(value)]
    found = exact or [(i, d) for i, name, d in named if matches(value, name)]
    if len(found) == 1:
        return found[0][0]
    if found:
        raise AmbiguousNameError(kind, value, found)
    raise UnknownIdError(kind, value, closest(value, known, n=3))


def resolve_person(ds: Dataset, value: str, on: dt.date) -> str:
    """The id of the person `value` names: an id, or a name carried by exactly one person."""
    if value in ds.person_by_id:
        return value
    named = [(h.person.id, h.person.full_name, _describe_person(h)) for h in find_people(ds, "", on)]
    return _resolve("người / person", value, ds.person_by_id, named)


def resolve_position(ds: Dataset, value: str, on: dt.date) -> str:
    """The id of the post `value` names: an id, or a title held by exactly one post."""
    if value in ds.position_by_id:
        return value
    named = [(h.position.id, h.position.title, f"{h.position.title} — {h.unit_name}")
             for h in find_positions(ds, "", on)]
    return _resolve("chức vụ / position", value, ds.position_by_id, named)


def resolve_programme(labels: dict[str, str], value: str) -> str:
    """A programme code from its code or its name (`labels`: code -> Vietnamese name), diacritics ignored."""
    if value in labels:
        return value
    named = [(code, label, f"{label}") for code, label in labels.items()]
    return _resolve("chương trình / programme", value, labels, named)


class Finder:
    """What the facade (engine.workspace.Workspace) offers for finding records by what people type."""

    as_of: dt.date
    book: Rulebook

    @property
    def dataset(self) -> Dataset:
        """The dataset loaded whole (Workspace.dataset)."""
        raise NotImplementedError

    def find_people(self, query: str = "") -> list[PersonHit]:
        """People whose name (or id) matches `query`, with unit and posts held on the evaluation date."""
        return find_people(self.dataset, query, self.as_of)

    def find_positions(self, query: str = "") -> list[PositionHit]:
        """Posts whose title or unit (or id) matches `query`, with their holders on the evaluation date."""
        return find_positions(self.dataset, query, self.as_of)

    def find_courses(self, start_from: dt.date | None = None, programme: str | None = None,
                     query: str = "") -> list[Course]:
        """Courses starting on or after `start_from`, of `programme`, matching `query`; by start date."""
        return find_courses(self.dataset, start_from, programme, query)

    def resolve_person(self, value: str) -> str:
        """The id of the person `value` names (an id, or a name where unique): AmbiguousNameError lists the
        matches, UnknownIdError suggests ids."""
        return resolve_person(self.dataset, value, self.as_of)

    def resolve_position(self, value: str) -> str:
        """The id of the post `value` names (an id, or a title where unique)."""
        return resolve_position(self.dataset, value, self.as_of)

    def resolve_programme(self, value: str) -> str:
        """The programme code `value` names (a code, or a name where unique) among the packs' programmes."""
        return resolve_programme({c: self.book.programme_label(c, "vi") for c in sorted(self.book.programmes)},
                                 value)


def _describe_person(hit: PersonHit) -> str:
    posts = "; ".join(p.title for p in hit.posts)
    born = day_text(hit.person.birth_date, "vi")
    return f"{hit.person.full_name} ({born}) — {posts or hit.unit_name}"


__all__ = ["AmbiguousNameError", "Finder", "PersonHit", "PositionHit", "find_courses", "find_people", "find_positions",
           "fold", "matches", "resolve_person", "resolve_position", "resolve_programme"]
