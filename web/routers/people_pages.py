"""Tra cứu: search, the person page (trích ngang, posts, findings with "Vì sao?") and "Kiểm tra bổ nhiệm"."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from web import views
from web.deps import PageViewer, Viewer, check_csrf, state
from web.deps import lang as lang_of
from web.engine_port import EngineProblem
from web.render import page
from web.routers.work_pages import MEDIA, Fmt

router = APIRouter(include_in_schema=False)
SEARCH_LIMIT = 50


@router.get("/people")
async def search(request: Request, viewer: PageViewer, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    results = viewer.data.search(q, viewer.units, SEARCH_LIMIT) if q.strip() else []
    if q.strip():
        state(request).store.log(viewer.principal.name, "search", q)
    return page(request, "search.html", q=q, results=results, limit=SEARCH_LIMIT)


def _person_page(request: Request, viewer: Viewer, person_id: str, **extra: Any) -> Response:
    lang = lang_of(request)
    viewer.person(person_id)
    data = viewer.data
    details = data.person(person_id, lang)
    check = data.check(person_id, lang, explain=True)  # "Vì sao?": each finding's decision trace
    state(request).store.log(viewer.principal.name, "view-person", person_id)
    return page(request, "person.html", p=details, check=check, findings=views.findings(data, check, lang),
                positions=data.posts_near(person_id, viewer.units), kinds=views.kinds(lang), **extra)


@router.get("/people/{person_id}")
async def person(request: Request, viewer: PageViewer, person_id: str) -> Response:
    return _person_page(request, viewer, person_id, proposal=None, verdict=None, proposal_error=None)


@router.post("/people/{person_id}/eligibility", dependencies=[Depends(check_csrf)])
def eligibility(request: Request, viewer: PageViewer, person_id: str,
                position: Annotated[str, Form(max_length=100)], on: Annotated[str, Form(max_length=10)] = "",
                kind: Annotated[str, Form(max_length=20)] = "bo-nhiem") -> Response:
    lang = lang_of(request)
    viewer.person(person_id)
    proposal = {"position": position, "on": on, "kind": kind}
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        return _person_page(request, viewer, person_id, proposal=proposal, verdict=None, status_code=422,
                            proposal_error=f"ngày không hợp lệ / invalid date '{on}' (YYYY-MM-DD)")
    try:
        viewer.position(position)
        result, way = viewer.data.eligibility(person_id, position, day, kind, lang)
    except EngineProblem as exc:
        return _person_page(request, viewer, person_id, proposal=proposal, verdict=None, status_code=422,
                            proposal_error=str(exc))
    verdict = {"eligible": result["eligible"], "label": views.verdict(result["eligible"], lang),
               "findings": views.findings(viewer.data, result, lang), "way": way,
               "way_courses": [{**c, "label": viewer.data.programme_label(c["programme"], lang)}
                               for c in (result.get("way") or {}).get("courses", [])]}
    return _person_page(request, viewer, person_id, proposal=proposal, verdict=verdict, proposal_error=None)


@router.get("/people/{person_id}/check.{fmt}")
def check_file(request: Request, viewer: PageViewer, person_id: str, fmt: Fmt) -> Response:
    """`dtbd check PERSON --format xlsx|docx`: the phiếu rà soát tiêu chuẩn of one person."""
    viewer.person(person_id)
    data = viewer.data.check_file(person_id, lang_of(request), fmt)
    name = f"phieu-ra-soat-{person_id}.{fmt}"
    state(request).store.log(viewer.principal.name, "download", name)
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
