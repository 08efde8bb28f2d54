"""Request and response bodies of `/api/v1` (they make the OpenAPI document). Findings keep the CLI's JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    code: str
    message: str
    problems: list[dict[str, Any]] | None = None


class PersonHit(BaseModel):
    id: str
    full_name: str
    unit: str
    unit_name: str
    category: str


class People(BaseModel):
    people: list[PersonHit]
    truncated: bool


class PersonDetails(BaseModel):
    person: dict[str, Any]
    labels: dict[str, str]
    held: list[dict[str, Any]]
    history: list[dict[str, Any]]
    planned: list[dict[str, Any]]
    credentials: list[dict[str, Any]]


class CheckResult(BaseModel):
    """The `check` JSON of the CLI (`dtbd check PERSON --json`)."""

    person: str
    as_of: str
    eligible: bool | None
    findings: list[dict[str, Any]]


class Way(BaseModel):
    """The way to eligibility (`engine.results.Pathway.to_json`): from when, after which courses."""

    eligible_from: str | None
    courses: list[dict[str, Any]]
    not_by_training: list[dict[str, Any]]
    no_course: list[str]


class EligibilityResult(CheckResult):
    """`dtbd check PERSON --for-position POS --json`: `way` only when the proposal is not eligible."""

    way: Way | None = None


class EligibilityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: str = Field(min_length=1, max_length=100)
    position: str = Field(min_length=1, max_length=100)
    on: dt.date | None = None
    kind: Literal["bo-nhiem", "bo-nhiem-lai", "bau-cu"] = "bo-nhiem"


class EvaluateRequest(BaseModel):
    """One person's records with the dataset's field names (docs/data.md): `person` is a row of
    `people`; the other lists are rows of their tables (their `person` field may be left out)."""

    model_config = ConfigDict(extra="forbid")

    person: dict[str, Any]
    credentials: list[dict[str, Any]] = Field(default_factory=list, max_length=500)
    appointments: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    plans: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    ratings: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    disciplines: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    as_of: dt.date | None = None


class Job(BaseModel):
    """Whole-population work in progress: ask again after `retry_after` seconds."""

    status: Literal["running", "failed"]
    progress: str
    retry_after: int


class Payload(BaseModel):
    """A CLI JSON payload (audit, plan, shortlist, readiness, rules), as `dtbd … --json` prints it."""

    model_config = ConfigDict(extra="allow")


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "no or unknown API token"},
    403: {"model": Problem, "description": "the token's role may not do this"},
    404: {"model": Problem, "description": "not found, or outside the token's scope"},
    409: {"model": Problem, "description": "no snapshot stored yet"},
    422: {"model": Problem, "description": "invalid request"},
}
