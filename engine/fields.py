"""The field types of the dataset model (engine.model): dates with their precision, text, ids and codes.

Each type that needs Python to check it also says, with `Native`, how pydantic-core alone checks the
same thing for clean input; the dataset loader checks its rows that way (engine.loading.native).
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer
from pydantic_core import CoreSchema, core_schema

from engine import codes
from engine.codes import CodeList
from engine.intake.dates import DAY, MONTH, MONTH_END, WRONG_FORM, YEAR, parse_partial
from engine.intake.labels import code_for, ethnicity_for


def parse_date(value: Any, accepts: str = DAY) -> Any:
    """Accept the date forms of engine.intake.dates (and date objects); anything else is an error.

    `accepts`: the precision the field allows (engine.intake.dates.DAY, MONTH, MONTH_END, YEAR); a field
    that takes a year also takes it as a whole number (1975 in YAML or a spreadsheet)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return parse_partial(text, accepts)
    if accepts == YEAR and type(value) is int and 1000 <= value <= 9999:
        return parse_partial(str(value), accepts)
    raise ValueError(WRONG_FORM)


def _parser(accepts: str) -> Any:
    parse = lambda value: parse_date(value, accepts)  # noqa: E731
    parse.accepts = accepts  # type: ignore[attr-defined]  # engine.intake.serials.date_accepts reads it
    return parse


def nfc(value: Any) -> Any:
    """Text in NFC (anything else as it is)."""
    if not isinstance(value, str):
        return value
    if value.isascii():  # fast path: most cells are codes, numbers and dates
        return value.strip()
    return unicodedata.normalize("NFC", value).strip()


def _close(value: str, options: tuple[str, ...]) -> str:
    from engine.suggest import did_you_mean

    hint = did_you_mean(value, options)
    return f"; {hint}" if hint else ""


def code_of(code_list: CodeList) -> Any:
    """A pydantic type accepting the codes of `code_list` (and naming the closest for a wrong one)."""
    def check(value: str) -> str:
        value = code_for(code_list, value)  # a label ("Nữ", "Công chức") names its code
        if value not in code_list:
            raise ValueError(
                f"unknown {code_list.name} code '{value}' (expected one of: {', '.join(code_list.values)})"
                + _close(value, code_list.values)
            )
        return value

    return AfterValidator(check)


def _check_slug(value: str) -> str:
    value = ethnicity_for(value)  # a name ("Tày", "H'Mông") names its slug
    if not codes.is_ethnic_slug(value):
        raise ValueError(f"ethnicity must be a lowercase ASCII slug such as 'kinh', 'tay' (got '{value}')")
    return value


@dataclass(frozen=True, eq=False)  # hashed by identity: Annotated metadata must hash
class Native:
    """Annotation marker: the check of a type's Python validators, in pydantic-core alone, for clean input.

    Clean input is what the dataset loader passes: text (a str) already NFC and not empty, or a date
    object from a spreadsheet. Text may still have whitespace at its edges, which the loader strips only
    when the model checks the row: `schema` accepts a value only if the type accepts it stripped, and
    gives what the type gives for it stripped (so it rejects text with whitespace at its edges, or
    strips it as pydantic's int parsing does). The loader gives any row `schema` rejects to the model
    itself, whose messages are the ones reported. Types without Python validators need no marker.
    """

    schema: CoreSchema


def one_of(code_list: CodeList) -> Native:
    """The native check of `code_of(code_list)`: a literal, built once from the code list."""
    return Native(core_schema.literal_schema(list(code_list.values)))


# Text with nothing str.strip would remove at either edge (the regex's \s, Unicode White_Space, and the
# separators \x1c-\x1f, which str.isspace also counts), and no control character (C0, DEL, C1) inside but
# tab, LF and CR; an id has none at all. A row with one goes to the model, whose validator names it.
_STRIPPED = r"^[^\s\x00-\x1f\x7f-\x9f](?s:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?$"
_ID_TEXT = r"^[^\s\x00-\x1f\x7f-\x9f](?:[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?$"
_TEXT = Native(core_schema.str_schema(pattern=_STRIPPED, strict=True))
_ID = Native(core_schema.str_schema(pattern=_ID_TEXT, strict=True))
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ID_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _control_check(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        found = pattern.search(value)
        if found is not None:
            char = found.group()
            raise ValueError(f"ký tự điều khiển / control character \\x{ord(char):02x} at position"
                             f" {found.start() + 1}; remove it")
        return value

    return AfterValidator(check)


_NO_CONTROLS = _control_check(_CONTROLS)
_NO_ID_CONTROLS = _control_check(_ID_CONTROLS)
# A date object, or YYYY-MM-DD text in ASCII digits (pydantic alone would also read times and Unix
# timestamps); DD/MM/YYYY is left to parse_date.
_DATE = Native(core_schema.union_schema([
    core_schema.date_schema(strict=True),
    core_schema.chain_schema([core_schema.str_schema(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", strict=True),
                              core_schema.date_schema()]),
], mode="left_to_right"))

Date = Annotated[dt.date, BeforeValidator(parse_date), _DATE]
# Dates of a history, which offices write month/year (law.md P4): a day, or a month (engine.precision),
# which the native check leaves to the model; JSON writes it as given: "2015-03", "1975".
_AS_GIVEN = PlainSerializer(lambda day: day.isoformat(), return_type=str, when_used="json")
MonthDate = Annotated[dt.date, BeforeValidator(_parser(MONTH)), _DATE, _AS_GIVEN]
# An appointment's `end` (the last day held): a month given is its last day.
EndDate = Annotated[dt.date, BeforeValidator(_parser(MONTH_END)), _DATE, _AS_GIVEN]
# The birth date: a day, a month, or a year alone (NĐ 135/2020 Art. 3(1), law.md R3).
BirthDate = Annotated[dt.date, BeforeValidator(_parser(YEAR)), _DATE, _AS_GIVEN]
Text = Annotated[str, BeforeValidator(nfc), Field(min_length=1), _NO_CONTROLS, _TEXT]
Id = Annotated[str, BeforeValidator(lambda v: nfc(str(v)) if isinstance(v, int) else nfc(v)), Field(min_length=1),
               _NO_ID_CONTROLS, _ID]
Category = Annotated[str, code_of(codes.CATEGORY), one_of(codes.CATEGORY)]
Gender = Annotated[str, code_of(codes.GENDER), one_of(codes.GENDER)]
Education = Annotated[str, code_of(codes.EDUCATION), one_of(codes.EDUCATION)]
Rating = Annotated[str, code_of(codes.RATING), one_of(codes.RATING)]
DisciplineKind = Annotated[str, code_of(codes.DISCIPLINE), one_of(codes.DISCIPLINE)]
DisciplineSystem = Annotated[str, code_of(codes.DISCIPLINE_SYSTEM), one_of(codes.DISCIPLINE_SYSTEM)]
Grade = Annotated[str, code_of(codes.GRADE), one_of(codes.GRADE)]
Tier = Annotated[str, code_of(codes.TIER), one_of(codes.TIER)]
Role = Annotated[str, code_of(codes.ROLE), one_of(codes.ROLE)]
Sector = Annotated[str, code_of(codes.SECTOR), one_of(codes.SECTOR)]
ManagedBy = Annotated[str, code_of(codes.MANAGED_BY), one_of(codes.MANAGED_BY)]
UnitLevel = Annotated[str, code_of(codes.UNIT_LEVEL), one_of(codes.UNIT_LEVEL)]
AppointmentKind = Annotated[str, code_of(codes.APPOINTMENT_KIND), one_of(codes.APPOINTMENT_KIND)]
Evidence = Annotated[str, code_of(codes.EVIDENCE), one_of(codes.EVIDENCE)]
Mode = Annotated[str, code_of(codes.MODE), one_of(codes.MODE)]
# is_ethnic_slug: lowercase ASCII letters, digits and hyphens, at least one.
Ethnicity = Annotated[str, BeforeValidator(nfc), AfterValidator(_check_slug),
                      Native(core_schema.str_schema(pattern=r"^[a-z0-9-]+$", strict=True))]
ProgrammeCode = Annotated[str, BeforeValidator(nfc), Field(min_length=1), _NO_ID_CONTROLS, _ID]


def _check_personal_id(value: str) -> str:
    if value.startswith("*"):
        raise ValueError("số định danh cá nhân đã bị che / the personal identification number is masked: export"
                         " with --show-personal-id to edit it, or leave the cell empty")
    if not (value.isascii() and value.isdigit()):
        raise ValueError("số định danh cá nhân chỉ gồm chữ số / the personal identification number is digits only"
                         " (type it as text in Excel, so leading zeros stay)")
    return value


# Số định danh cá nhân (law.md P1): digits, kept as text (leading zeros matter). Never shown unmasked
# except where a user asks (engine.intake.personal_id).
PersonalId = Annotated[str, BeforeValidator(lambda v: nfc(str(v)) if isinstance(v, int) else nfc(v)),
                       AfterValidator(_check_personal_id),
                       Native(core_schema.str_schema(pattern=r"^[0-9]+$", strict=True))]


def annotation_types(annotation: object) -> set[object]:
    """Every plain type inside a field's annotation (through Optional, unions and Annotated)."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return annotation_types(args[0])
    if origin in (typing.Union, types.UnionType):
        return {t for arg in args for t in annotation_types(arg)}
    return {annotation}
