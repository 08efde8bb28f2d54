"""Checks of a dataset against the vocabulary the law dates (rulesets/vocabulary.yaml, law.md §11).

- A code abolished for new decisions (hạ bậc lương, giáng chức: NĐ 172/2025) on a row decided after its
  last day is an error citing the decree; earlier rows are history and load as before.
- A discipline kind that belongs to one system (khai trừ: the Party) given another `system` is an error.
- Two people with one personal identification number is an error (the number shown masked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from engine import codes
from engine.dates import day_text
from engine.errors import Problem
from engine.intake import personal_id
from engine.yamlio import load_path

if TYPE_CHECKING:
    from engine.loading.tables import ParsedTable

VOCABULARY = Path(__file__).resolve().parent.parent.parent / "rulesets" / "vocabulary.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DatedCode(_Strict):
    table: str
    field: str
    code: str
    date_field: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    verified: bool
    citation_vi: str


class GradeLabel(_Strict):
    code: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    label_vi: str
    label_en: str
    verified: bool
    citation_vi: str

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (self.valid_to is None or day <= self.valid_to)


class RatingPeriod(_Strict):
    years_from: int | None = None
    years_to: int | None = None
    decree_vi: str
    instrument: str | None = None
    verified: bool
    labels_vi: dict[str, str] = {}
    citation_vi: str

    def covers(self, year: int) -> bool:
        return (self.years_from is None or year >= self.years_from) and (self.years_to is None or year <= self.years_to)


class SystemOfKind(_Strict):
    code: str
    system: str
    citation_vi: str


class OutOfScope(_Strict):
    code: str
    verified: bool
    note_vi: str
    rules_apply: list[str] = []  # the rule ids that still give findings for the category (engine.evaluation.scope)


class Vocabulary(_Strict):
    """The file rulesets/vocabulary.yaml."""

    dated_codes: list[DatedCode] = []
    grade_labels: list[GradeLabel] = []
    rating_periods: list[RatingPeriod] = []
    discipline_systems: list[SystemOfKind] = []
    out_of_scope_categories: list[OutOfScope] = []


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """The vocabulary file, checked: its codes must be the glossary's."""
    found = Vocabulary.model_validate(load_path(path))
    for dated in found.dated_codes:
        if dated.code not in codes.DISCIPLINE and dated.code not in codes.ALL.get(dated.field, ()):
            raise AssertionError(f"{path}: unknown code {dated.code}")
    for label in found.grade_labels:
        if label.code not in codes.GRADE:
            raise AssertionError(f"{path}: unknown grade {label.code}")
    for period in found.rating_periods:
        if any(code not in codes.RATING for code in period.labels_vi):
            raise AssertionError(f"{path}: unknown rating in {period}")
    for entry in found.discipline_systems:
        if entry.code not in codes.DISCIPLINE or entry.system not in codes.DISCIPLINE_SYSTEM:
            raise AssertionError(f"{path}: unknown discipline or system in {entry}")
    for scope in found.out_of_scope_categories:
        if scope.code not in codes.CATEGORY:
            raise AssertionError(f"{path}: unknown category {scope.code}")
    return found


def valid_code(table: str, name: str, code: str, day: dt.date) -> bool:
    """Whether a new decision of `day` may use `code` in `table.name` (true for codes the file does not date)."""
    for dated in vocabulary().dated_codes:
        if (dated.table, dated.field, dated.code) != (table, name, code):
            continue
        if (dated.valid_to is not None and day > dated.valid_to) or (
                dated.valid_from is not None and day < dated.valid_from):
            return False
    return True


def grade_label(code: str, since: dt.date | None, lang: str = "vi") -> str:
    """The name of the grade `code` under the code set in force on `since` (people.grade_since; None: today's)."""
    if since is not None:
        for label in vocabulary().grade_labels:
            if label.code == code and label.covers(since):
                return label.label_vi if lang == "vi" else label.label_en
    return codes.GRADE.label(code, lang)


def rating_period(year: int) -> RatingPeriod | None:
    """The rules the rating of `year` was given under (rulesets/vocabulary.yaml), if the file says."""
    return next((period for period in vocabulary().rating_periods if period.covers(year)), None)


def rating_label(code: str, year: int, lang: str = "vi") -> str:
    """The name of the rating level `code` in the files of `year` (the 2015–2020 name of `hoan-thanh`, say)."""
    period = rating_period(year)
    if lang == "vi" and period is not None and code in period.labels_vi:
        return period.labels_vi[code]
    return codes.RATING.label(code, lang)


def _day(value: dt.date | None) -> str:
    return day_text(value, "vi")


def _problem(table: ParsedTable, index: int, name: str, message: str, value: object, code: str) -> Problem:
    return Problem(table.source, table.line_of(index, name), name, message, value, code=code)


def dated_codes(tables: Mapping[str, ParsedTable], vocab: Vocabulary) -> Iterator[Problem]:
    for dated in vocab.dated_codes:
        table = tables.get(dated.table)
        if table is None:
            continue
        for index, row in enumerate(table.rows):
            if getattr(row, dated.field) != dated.code:
                continue
            day = getattr(row, dated.date_field)
            if day is None:
                continue
            if dated.valid_to is not None and day > dated.valid_to:
                when = f"không dùng cho quyết định sau ngày {_day(dated.valid_to)} / not valid after" \
                       f" {dated.valid_to.isoformat()}"
            elif dated.valid_from is not None and day < dated.valid_from:
                when = f"chỉ dùng từ ngày {_day(dated.valid_from)} / valid from {dated.valid_from.isoformat()}"
            else:
                continue
            yield _problem(table, index, dated.field, f"mã {dated.code} {when} ({dated.date_field}"
                           f" {_day(day)}): {dated.citation_vi.strip()} Sửa mã hoặc ngày / fix the code or"
                           " the date", dated.code, "code-not-valid-on-date")


def discipline_systems(tables: Mapping[str, ParsedTable], vocab: Vocabulary) -> Iterator[Problem]:
    table = tables.get("disciplines")
    if table is None:
        return
    system_of = {entry.code: entry for entry in vocab.discipline_systems}
    for index, row in enumerate(table.rows):
        entry = system_of.get(row.kind)  # type: ignore[attr-defined]
        system = row.system  # type: ignore[attr-defined]
        if entry is not None and system is not None and system != entry.system:
            label = codes.DISCIPLINE_SYSTEM.label(entry.system)
            yield _problem(table, index, "system", f"{row.kind} chỉ thuộc {label} / belongs to"  # type: ignore[attr-defined]
                           f" system {entry.system} only: {entry.citation_vi}", system, "wrong-discipline-system")


def repeated_personal_ids(source: str, entries: Iterable[tuple[int | None, str, str]]) -> Iterator[Problem]:
    """A problem for each person, after the first, with a personal identification number already given;
    `entries`: (line, person id, number) of the rows of `source` with a number, in file order."""
    first: dict[str, str] = {}
    for line, person, number in entries:
        if number in first:
            yield Problem(source, line, personal_id.FIELD, "số định danh cá nhân trùng với / personal"
                          f" identification number repeats that of {first[number]}", personal_id.mask(number),
                          code="duplicate-personal-id")
        else:
            first[number] = person


def personal_ids(table: ParsedTable) -> Iterator[tuple[int | None, str, str]]:
    """(line, person id, number) of the rows of a people table with a personal identification number."""
    for index, row in enumerate(table.rows):
        number = row.personal_id  # type: ignore[attr-defined]
        if number is not None:
            yield table.line_of(index, personal_id.FIELD), row.id, number  # type: ignore[attr-defined]


def unique_personal_ids(tables: Mapping[str, ParsedTable]) -> Iterator[Problem]:
    table = tables.get("people")
    if table is None:
        return iter(())
    return repeated_personal_ids(table.source, personal_ids(table))


def row_problems(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """The problems of each row on its own against the dated vocabulary (dated codes, discipline systems):
    what a chunk of a streamed dataset checks (engine.loading.stream_chunk)."""
    vocab = vocabulary()
    return [*dated_codes(tables, vocab), *discipline_systems(tables, vocab)]


def vocabulary_problems(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Every problem of the dataset's rows against the dated vocabulary."""
    return [*row_problems(tables), *unique_personal_ids(tables)]


__all__ = ["VOCABULARY", "Vocabulary", "grade_label", "personal_ids", "rating_label", "rating_period",
           "repeated_personal_ids", "row_problems", "valid_code", "vocabulary", "vocabulary_problems"]
