"""Kế hoạch, Khóa học (shortlists), Thanh tra, Sẵn sàng: whole-population pages over background jobs.

A page never waits for the work: it shows the progress (and reloads itself with a meta refresh, no
script) until the cached result is there. Downloads are the CLI's own xlsx, made in the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response

from web import scoped
from web.deps import PageViewer, Viewer, lang, require_role, state
from web.engine_port import NotFound
from web.jobs import JobSpec
from web.render import page

router = APIRouter(include_in_schema=False)
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
Fmt = Literal["xlsx", "docx"]  # the workbook, or the same document in Word (cli.docx_out)


def _job(request: Request, spec: JobSpec, template: str, shape: Callable[[dict[str, Any]], dict[str, Any]],
         **context: Any) -> Response:
    result = state(request).jobs.get(spec)
    if result.status == "running":
        return page(request, "job.html", status_code=202, progress=result.progress, **context)
    if result.status == "failed" or result.payload is None:
        message = (result.payload or {}).get("message", result.progress)
        return page(request, "error.html", status_code=500, heading="Lỗi / Error", message=message)
    return page(request, template, result=shape(result.payload), **context)


def _download(request: Request, viewer: Viewer, name: str, *args: str, words: int = 1) -> Response:
    """The file `dtbd ARGS --format FMT` writes (FMT: `name`'s suffix), made in the worker; logged."""
    app_state = state(request)
    fmt = name.rpartition(".")[2]
    spec = app_state.job("export", args="\x1f".join([*args, "--lang", lang(request)]), fmt=fmt, words=str(words),
                         out_dir=str(app_state.store.root / "exports"))
    result = app_state.jobs.get(spec)
    if result.status == "running":
        return page(request, "job.html", status_code=202, progress=result.progress, title=name)
    if result.status == "failed" or result.payload is None or "file" not in result.payload:
        message = (result.payload or {}).get("message", result.progress)
        return page(request, "error.html", status_code=500, heading="Lỗi / Error", message=message)
    app_state.store.log(viewer.principal.name, "download", name)
    return FileResponse(Path(result.payload["file"]), media_type=MEDIA[fmt], filename=name)


def _province_only(viewer: Viewer) -> None:
    """Province-wide files hold every unit's people: a `unit` account reads the pages (cut to its units)."""
    require_role(viewer.principal, "admin", "board", "auditor")


@router.get("/plan")
def plan(request: Request, viewer: PageViewer, year: Annotated[int | None, Query(ge=1950, le=2100)] = None) -> Response:
    params = {"year": str(year)} if year else {}
    spec = state(request).job("plan", lang=lang(request), **params)
    return _job(request, spec, "plan.html", lambda p: scoped.people_lists(viewer, p, "assignments", "unassigned"),
                data=viewer.data, title="plan", year=year)


@router.get("/plan.{fmt}")
def plan_file(request: Request, viewer: PageViewer, fmt: Fmt,
              year: Annotated[int | None, Query(ge=1950, le=2100)] = None) -> Response:
    _province_only(viewer)
    return _download(request, viewer, f"ke-hoach{f'-{year}' if year else ''}.{fmt}", "plan",
                     *(["--year", str(year)] if year else []))


@router.get("/plan/phu-luc.{fmt}")
def appendix_file(request: Request, viewer: PageViewer, fmt: Fmt,
                  first: Annotated[int | None, Query(alias="from", ge=1950, le=2100)] = None,
                  last: Annotated[int | None, Query(alias="to", ge=1950, le=2100)] = None) -> Response:
    """`dtbd report phu-luc --years FROM-TO`: the plan's appendix tables (default: three years from the plan's)."""
    _province_only(viewer)
    start = first or viewer.data.default_year
    end = last or start + 2
    if not start <= end <= start + 10:
        raise HTTPException(422, detail={"code": "invalid-request", "message": "giai đoạn tối đa 11 năm, năm đầu"
                                         " trước / a period of at most 11 years, first year first"})
    return _download(request, viewer, f"phu-luc-{start}-{end}.{fmt}", "report", "phu-luc", "--years",
                     f"{start}-{end}", words=2)


@router.get("/courses")
def courses(request: Request, viewer: PageViewer) -> Response:
    return page(request, "courses.html", courses=viewer.data.courses(lang(request)))


@router.get("/courses/{course_id}")
def course(request: Request, viewer: PageViewer, course_id: str) -> Response:
    if not viewer.data.has_course(course_id):
        raise NotFound(course_id)
    spec = state(request).job("shortlist", course=course_id, lang=lang(request))
    return _job(request, spec, "shortlist.html",
                lambda p: scoped.people_lists(viewer, p, "nominees", "reserves", "excluded"),
                data=viewer.data, title=course_id, course_id=course_id)


@router.get("/courses/{course_id}/shortlist.{fmt}")
def shortlist_file(request: Request, viewer: PageViewer, course_id: str, fmt: Fmt) -> Response:
    _province_only(viewer)
    if not viewer.data.has_course(course_id):
        raise NotFound(course_id)
    return _download(request, viewer, f"danh-sach-{course_id}.{fmt}", "shortlist", "--course", course_id)


def _audit_params(viewer: Viewer, date_from: dt.date | None, date_to: dt.date | None, unit: str) -> dict[str, str]:
    if unit and (unit not in viewer.data.units or not viewer.may_see_unit(unit)):
        raise NotFound(unit)
    params = {"from": date_from.isoformat() if date_from else "", "to": date_to.isoformat() if date_to else "",
              "unit": unit}
    if viewer.units is not None and not unit and viewer.principal.unit:
        params["unit"] = viewer.principal.unit  # a unit account's audit is its own subtree's
    return params


@router.get("/audit")
def audit(request: Request, viewer: PageViewer, date_from: Annotated[dt.date | None, Query(alias="from")] = None,
          date_to: Annotated[dt.date | None, Query(alias="to")] = None,
          unit: Annotated[str, Query(max_length=100)] = "", rule: Annotated[str, Query(max_length=100)] = "",
          status: Annotated[str, Query(max_length=20)] = "") -> Response:
    params = _audit_params(viewer, date_from, date_to, unit)
    spec = state(request).job("audit", lang=lang(request), **params)
    state(request).store.log(viewer.principal.name, "view-audit", f"{params} rule={rule} status={status}")
    filters = {"from": params["from"], "to": params["to"], "unit": unit, "rule": rule, "status": status}
    return _job(request, spec, "audit.html", lambda p: scoped.audit(viewer, p, rule, status), data=viewer.data,
                title="audit", filters=filters)


@router.get("/audit.{fmt}")
def audit_file(request: Request, viewer: PageViewer, fmt: Fmt,
               date_from: Annotated[dt.date | None, Query(alias="from")] = None,
               date_to: Annotated[dt.date | None, Query(alias="to")] = None,
               unit: Annotated[str, Query(max_length=100)] = "") -> Response:
    params = _audit_params(viewer, date_from, date_to, unit)
    args = ["audit", *(["--from", params["from"]] if params["from"] else []),
            *(["--to", params["to"]] if params["to"] else []), *(["--unit", params["unit"]] if params["unit"] else [])]
    return _download(request, viewer, f"thanh-tra.{fmt}", *args)


@router.get("/readiness")
def readiness(request: Request, viewer: PageViewer) -> Response:
    spec = state(request).job("readiness", lang=lang(request))
    return _job(request, spec, "readiness.html", lambda p: scoped.people_lists(viewer, p, "people"),
                data=viewer.data, title="readiness")


@router.get("/readiness.{fmt}")
def readiness_file(request: Request, viewer: PageViewer, fmt: Fmt) -> Response:
    _province_only(viewer)
    return _download(request, viewer, f"san-sang.{fmt}", "readiness")
