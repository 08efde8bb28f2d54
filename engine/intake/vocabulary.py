"""Checks of a dataset against the vocabulary the law dates (rulesets/vocabulary.yaml, law.md §11).

- A code abolished for new decisions (hạ bậc lương, giáng chức: NĐ 172/2025) on a row decided after its
  last day is an error citing the decree; earlier rows are history and load as before.
- A discipline kind that belongs to one system (khai trừ: the Party) given another `system` is an error.
- Two people with one personal identification number is an error (the number shown masked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
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


class SystemOfKind(_Strict):
    code: str
    system: str
    citation_vi: str


class OutOfScope(_Strict):
    code: str
    verified: bool
    note_vi: str


class Vocabulary(_Strict):
    """The file rulesets/vocabulary.yaml."""

    dated_codes: list[DatedCode] = []
    discipline_systems: list[SystemOfKind] = []
    out_of_scope_categories: list[OutOfScope] = []


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """The vocabulary file, checked: its codes must be the glossary's."""
    found = Vocabulary.model_validate(load_path(path))
    for dated in found.dated_codes:
        if dated.code not in codes.DISCIPLINE and dated.code not in codes.ALL.get(dated.field, ()):
            raise AssertionError(f"{path}: unknown code {dated.code}")
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
                           f" {_day(day)}): {dated.citation_vi.strip()} Sửa hình thức kỷ luật hoặc ngày hiệu lực"
                           " / fix the kind or the date", dated.code, "code-not-valid-on-date")


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


def unique_personal_ids(tables: Mapping[str, ParsedTable]) -> Iterator[Problem]:
    table = tables.get("people")
    if table is None:
        return
    first: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        number = row.personal_id  # type: ignore[attr-defined]
        if number is None:
            continue
        if number in first:
            other = table.rows[first[number]].id  # type: ignore[attr-defined]
            yield _problem(table, index, personal_id.FIELD, "số định danh cá nhân trùng với / personal"
                           f" identification number repeats that of {other}", personal_id.mask(number),
                           "duplicate-personal-id")
        else:
            first[number] = index


def vocabulary_problems(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Every problem of the dataset's rows against the dated vocabulary."""
    vocab = vocabulary()
    return [*dated_codes(tables, vocab), *discipline_systems(tables, vocab), *unique_personal_ids(tables)]


__all__ = ["VOCABULARY", "Vocabulary", "valid_code", "vocabulary", "vocabulary_problems"]
