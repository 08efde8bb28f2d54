"""`/api/v1` people: search, trích ngang, check, eligibility. A person out of scope is 404, as on pages.

The handlers are `async`: each is a lookup or one person's evaluation (a millisecond or so), done in the
event loop rather than at the cost of a thread-pool hop. The bodies are the CLI's JSON payloads, written
straight out (`web.render.json_response`): the response models describe them in the OpenAPI document
without re-validating every answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from web.api_models import ERRORS, CheckResult, EligibilityRequest, EligibilityResult, People, PersonDetails
from web.deps import ApiViewer, state
from web.engine_port import EngineProblem
from web.render import json_response

router = APIRouter(prefix="/api/v1", tags=["people"], responses=ERRORS)
LIMIT = 100


def _lang(lang: str) -> str:
    return lang if lang in ("vi", "en") else "vi"


@router.get("/people", response_model=People)
async def people(request: Request, viewer: ApiViewer, search: Annotated[str, Query(max_length=200)] = "",
           limit: Annotated[int, Query(ge=1, le=LIMIT)] = 50) -> Response:
    hits = viewer.data.search(search, viewer.units, limit + 1)
    state(request).store.log(viewer.principal.name, "api-search", search)
    return json_response({"people": hits[:limit], "truncated": len(hits) > limit})


@router.get("/people/{person_id}", response_model=PersonDetails)
async def person(request: Request, viewer: ApiViewer, person_id: str, lang: str = "vi") -> Response:
    viewer.person(person_id)
    state(request).store.log(viewer.principal.name, "api-view-person", person_id)
    return json_response(viewer.data.person(person_id, _lang(lang)))


@router.get("/people/{person_id}/check", response_model=CheckResult)
async def check(request: Request, viewer: ApiViewer, person_id: str, as_of: dt.date | None = None,
          lang: str = "vi", explain: bool = False) -> Response:
    """What the person is missing for the posts held and planned, as of a date (default: the snapshot's);
    `explain=true`: each finding with its decision trace, as `dtbd check PERSON --explain --json`."""
    viewer.person(person_id)
    if as_of is not None and as_of < viewer.data.as_of:
        raise HTTPException(422, detail={"code": "before-snapshot", "message": f"ngày {as_of:%d/%m/%Y} trước ngày chốt"
                                         f" dữ liệu {viewer.data.as_of:%d/%m/%Y}; hãy dùng bộ dữ liệu chốt cũ hơn /"
                                         " before the snapshot's date: use an older snapshot"})
    state(request).store.log(viewer.principal.name, "api-check", person_id)
    return json_response(viewer.data.check(person_id, _lang(lang), as_of, explain))


@router.post("/eligibility", response_model=EligibilityResult)
async def eligibility(request: Request, viewer: ApiViewer, body: EligibilityRequest, lang: str = "vi") -> Response:
    """Would appointing `person` to `position` on `on` meet every precondition in force that day; when not,
    `way`: from when, after which scheduled courses (`dtbd check P --for-position POS --json`)."""
    viewer.person(body.person)
    viewer.position(body.position)
    state(request).store.log(viewer.principal.name, "api-eligibility", f"{body.person} {body.position}")
    try:
        payload, _ = viewer.data.eligibility(body.person, body.position, body.on, body.kind, _lang(lang))
    except EngineProblem as exc:
        raise HTTPException(422, detail={"code": "invalid-request", "message": str(exc)}) from None
    return json_response(payload)
