"""The dataset model: one frozen pydantic class per table of docs/data.md.

Field names are the contract's English names. Codes are checked against engine.codes; programme
codes are checked later against the rulebook, because rule packs may declare extensions. The field
types (dates with their precision, text, ids, codes) are in engine.fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from engine.fields import (
    AppointmentKind,
    BirthDate,
    Category,
    Date,
    DisciplineKind,
    DisciplineSystem,
    Education,
    EndDate,
    Ethnicity,
    Evidence,
    Gender,
    Grade,
    Id,
    ManagedBy,
    Mode,
    MonthDate,
    PersonalId,
    ProgrammeCode,
    Rating,
    Role,
    Sector,
    Text,
    Tier,
    UnitLevel,
)


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
    # Required unless `undated`: a level recorded without its date (Mẫu 2C-BNV/2008, law.md P4), whose
    # completion is unknown; rules needing the credential by a date then answer `unknown` (engine.loading.checks).
    completed: MonthDate | None = None
    evidence: Evidence | None = None
    issuer: Text | None = None
    note: Text | None = None
    mode: Mode | None = None  # tập trung / không tập trung, when the record says
    undated: bool = False


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
