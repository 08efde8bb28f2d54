"""`/api/v1` whole-population endpoints: audit, plan, shortlist, readiness (202 with progress while the
background worker computes; then the CLI's JSON), and the stateless `POST /evaluate`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from web import scoped
from web.api_models import ERRORS, CheckResult, EvaluateRequest, Job
from web.deps import ApiViewer, Viewer, require_role, state
from web.engine_port import NotFound
from web.jobs import JobSpec
from web.routers.work_pages import _audit_params

router = APIRouter(prefix="/api/v1", tags=["population"], responses=ERRORS)
RUNNING: dict[int | str, dict[str, Any]] = {
    202: {"model": Job, "description": "the work is running: ask again after Retry-After seconds"}}


def _answer(request: Request, viewer: Viewer, spec: JobSpec, shape: Any, what: str) -> Response:
    result = state(request).jobs.get(spec)
    if result.status == "running":
        return JSONResponse({"status": "running", "progress": result.progress, "retry_after": 2}, status_code=202,
                            headers={"Retry-After": "2"})
    if result.status == "failed" or result.payload is None:
        return JSONResponse({"status": "failed", "progress": result.progress, "retry_after": 0,
                             **(result.payload or {})}, status_code=500)
    state(request).store.log(viewer.principal.name, "api-" + spec.kind, what)
    return JSONResponse(shape(result.payload))


@router.get("/audit", responses=RUNNING)
def audit(request: Request, viewer: ApiViewer, date_from: Annotated[dt.date | None, Query(alias="from")] = None,
          date_to: Annotated[dt.date | None, Query(alias="to")] = None,
          unit: Annotated[str, Query(max_length=100)] = "", lang: str = "vi") -> Response:
    """`dtbd audit --from --to --unit --json`: every appointment judged by the rules of its own day."""
    params = _audit_params(viewer, date_from, date_to, unit)
    spec = state(request).job("audit", lang=_lang(lang), **params)
    return _answer(request, viewer, spec, lambda p: scoped.audit(viewer, p), str(params))


@router.get("/plan", responses=RUNNING)
def plan(request: Request, viewer: ApiViewer, year: Annotated[int | None, Query(ge=1950, le=2100)] = None,
         lang: str = "vi") -> Response:
    """`dtbd plan --year --json`: who is sent to which course and by when, within capacities and quotas."""
    spec = state(request).job("plan", lang=_lang(lang), **({"year": str(year)} if year else {}))
    return _answer(request, viewer, spec, lambda p: scoped.people_lists(viewer, p, "assignments", "unassigned"),
                   str(year or ""))


@router.get("/courses/{course_id}/shortlist", responses=RUNNING)
def shortlist(request: Request, viewer: ApiViewer, course_id: str, lang: str = "vi") -> Response:
    """`dtbd shortlist --course --json`: ranked nominees, reserves, the excluded with reasons."""
    if not viewer.data.has_course(course_id):
        raise NotFound(course_id)
    spec = state(request).job("shortlist", course=course_id, lang=_lang(lang))
    return _answer(request, viewer, spec,
                   lambda p: scoped.people_lists(viewer, p, "nominees", "reserves", "excluded"), course_id)


@router.get("/readiness", responses=RUNNING)
def readiness(request: Request, viewer: ApiViewer, lang: str = "vi") -> Response:
    """`dtbd readiness --json`: from when each planned successor meets the planned post's standards."""
    spec = state(request).job("readiness", lang=_lang(lang))
    return _answer(request, viewer, spec, lambda p: scoped.people_lists(viewer, p, "people"), "")


@router.post("/evaluate", response_model=CheckResult)
def evaluate(request: Request, viewer: ApiViewer, body: EvaluateRequest, lang: str = "vi") -> CheckResult:
    """One person's records in the body (the dataset's field names) -> the findings, as `check`; nothing is
    stored. The posts, units and courses are the current snapshot's."""
    require_role(viewer.principal, "admin", "board", "auditor", "unit")
    if not viewer.may_see_unit(body.person.get("unit") if isinstance(body.person.get("unit"), str) else None):
        raise NotFound(str(body.person.get("unit")))
    state(request).store.log(viewer.principal.name, "api-evaluate", str(body.person.get("id", ""))[:100])
    return CheckResult.model_validate(viewer.data.evaluate(body.model_dump(), _lang(lang), body.as_of))


def _lang(lang: str) -> str:
    return lang if lang in ("vi", "en") else "vi"
