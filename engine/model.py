"""The dataset model: one frozen pydantic class per table of docs/data.md.

Field names are the contract's English names. Codes are checked against engine.codes; programme
codes are checked later against the rulebook, because rule packs may declare extensions.

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

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
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


class Row(BaseModel):
    """A row of a dataset table (frozen, no unknown field)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# Years a date of the data or an evaluation date may fall in: the civil service of the Democratic Republic
# founded in 1945, and a horizon no plan reaches. A sanity bound on input, not a legal number.
YEARS = range(1945, 2101)


def _plausible_year(value: dt.date | None) -> dt.date | None:
    if value is not None and value.year not in YEARS:
        raise ValueError(f"năm ngoài khoảng {YEARS.start}–{YEARS.stop - 1} / the year is outside"
                         f" {YEARS.start}–{YEARS.stop - 1}")
    return value


def _ordered_term(value: str) -> str:
    if int(value[5:]) < int(value[:4]):
        raise ValueError("năm kết thúc trước năm bắt đầu / implausible term: the end year precedes the start year")
    return value


class Manifest(Row):
    """The dataset's manifest, dataset.yaml: name, province, rule packs, evaluation date."""

    name: Text
    province: Text | None = None
    rulesets: list[Text] = Field(min_length=1)
    as_of: Annotated[Date | None, AfterValidator(_plausible_year)] = None
    # dtbd extension: the person `make demo` checks (a person with gaps).
    demo_person: Id | None = None
    description: Text | None = None
    # The head and foot of the documents printed from the dataset (Nghị định 30/2020/NĐ-CP, Phụ lục I):
    # the issuing agency and its parent, the place of issue, the signer's title and name.
    agency: Text | None = None
    parent_agency: Text | None = None
    place: Text | None = None
    signer_title: Text | None = None
    signer_name: Text | None = None


class Unit(Row):
    """An agency or unit (đơn vị)."""

    id: Id
    name: Text
    level: UnitLevel
    parent: Id | None = None
    dissolved: Date | None = None


class Position(Row):
    """A post (chức vụ) of a unit, with its tier and role."""

    id: Id
    title: Text
    unit: Id
    tier: Tier
    role: Role
    sector: Sector
    managed_by: ManagedBy | None = None
    reports_to: Id | None = None
    term_years: int = Field(default=5, ge=1, le=10)


class Person(Row):
    """A cadre, civil servant or public employee."""

    id: Id
    full_name: Text
    birth_date: BirthDate
    gender: Gender
    category: Category
    unit: Id
    ethnicity: Ethnicity = "kinh"
    education: Education | None = None
    service_start: MonthDate | None = None
    party_member_since: MonthDate | None = None
    grade: Grade | None = None
    grade_since: MonthDate | None = None
    foreign_language_level: int | None = Field(default=None, ge=1, le=6)
    retired: MonthDate | None = None
    party_official_since: MonthDate | None = None  # ngày chính thức (full membership after probation)
    personal_id: PersonalId | None = None

    @property
    def ethnic_minority(self) -> bool:
        """Whether the person belongs to an ethnic minority (not Kinh)."""
        return self.ethnicity != "kinh"


class Credential(Row):
    """A degree, certificate or completed programme of a person."""

    person: Id
    programme: ProgrammeCode
    completed: MonthDate
    evidence: Evidence | None = None
    issuer: Text | None = None
    note: Text | None = None
    mode: Mode | None = None  # tập trung / không tập trung, when the record says


class Appointment(Row):
    """A term of a person in a post (bổ nhiệm, bầu cử, điều động, …)."""

    person: Id
    position: Id
    start: MonthDate
    kind: AppointmentKind
    end: EndDate | None = None
    decided: MonthDate | None = None
    submitted: MonthDate | None = None

    def dossier_date(self) -> tuple[dt.date, str]:
        """The date the age rule counts from, and which field gave it (spec: submitted, decided, start)."""
        if self.submitted is not None:
            return self.submitted, "submitted"
        if self.decided is not None:
            return self.decided, "decided"
        return self.start, "start"


class Plan(Row):
    """A succession plan (quy hoạch) of a person for a post."""

    person: Id
    position: Id
    approved: MonthDate
    term: Annotated[str, Field(pattern=r"^\d{4}-\d{4}$"), AfterValidator(_ordered_term)] | None = None
    removed: MonthDate | None = None

    @property
    def term_start(self) -> dt.date | None:
        """The first day of the plan's term, if the term is given."""
        return dt.date(int(self.term[:4]), 1, 1) if self.term else None


class RatingRow(Row):
    """A person's rating (đánh giá, xếp loại) for a year."""

    person: Id
    year: int = Field(ge=1950, le=2100)
    rating: Rating


class Discipline(Row):
    """A disciplinary measure (kỷ luật) and its dates."""

    person: Id
    kind: DisciplineKind
    effective: MonthDate
    ends: MonthDate | None = None
    system: DisciplineSystem | None = None  # đảng / chính quyền / đoàn thể


class Course(Row):
    """An offering of a programme (lớp đào tạo, bồi dưỡng): dates, mode, capacity."""

    id: Id
    programme: ProgrammeCode
    start: Date
    end: Date
    capacity: int = Field(ge=0)
    mode: Mode = "tap-trung"
    provider: Text | None = None
    title: Text | None = None
    location: Text | None = None


class Quota(Row):
    """A training quota (chỉ tiêu) of a year, programme, mode and unit."""

    year: int = Field(ge=1950, le=2100)
    programme: ProgrammeCode
    target: int = Field(ge=0)
    mode: Mode | None = None
    unit: Id | None = None


# Table name -> row class, in load order (referenced tables first).
TABLES: dict[str, type[Row]] = {
    "units": Unit,
    "positions": Position,
    "people": Person,
    "credentials": Credential,
    "appointments": Appointment,
    "plans": Plan,
    "ratings": RatingRow,
    "disciplines": Discipline,
    "courses": Course,
    "quotas": Quota,
}
REQUIRED_TABLES = ("units", "positions", "people")


def annotation_types(annotation: object) -> set[object]:
    """Every plain type inside a field's annotation (through Optional, unions and Annotated)."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return annotation_types(args[0])
    if origin in (typing.Union, types.UnionType):
        return {t for arg in args for t in annotation_types(arg)}
    return {annotation}
