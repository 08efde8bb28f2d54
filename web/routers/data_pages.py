"""Dữ liệu: the snapshots, the upload form (admin) and its error table, the current snapshot's choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from web import snapshots
from web.deps import PageUser, check_csrf, require_role, state
from web.engine_port import NotFound, SnapshotData, available_rulesets, open_snapshot
from web.render import page
from web.uploads import UploadProblem, UploadRefused

router = APIRouter(include_in_schema=False)


def _data_page(request: Request, status_code: int = 200, problems: list[UploadProblem] | None = None,
               stored: int | None = None) -> Response:
    return page(request, "data.html", status_code=status_code, snapshots=snapshots.snapshots(state(request).store),
                problems=problems, stored=stored, rulesets=available_rulesets(state(request).settings.rulesets_dir))


@router.get("/data")
def data(request: Request, user: PageUser) -> Response:
    return _data_page(request)


@router.post("/data/upload", dependencies=[Depends(check_csrf)])
async def upload(request: Request, user: PageUser, file: Annotated[UploadFile, File()],
                 name: Annotated[str, Form(max_length=200)] = "", rulesets: Annotated[str, Form(max_length=200)] = "",
                 as_of: Annotated[str, Form(max_length=10)] = "") -> Response:
    require_role(user, "admin")
    app_state = state(request)
    caps = app_state.settings.caps
    data = await file.read(caps.upload_bytes + 1)
    loaded: list[SnapshotData] = []

    def validate(folder: Path) -> tuple[str, dt.date | None, list[str], int]:
        opened = open_snapshot(folder, app_state.settings.rulesets_dir)
        loaded.append(opened)  # kept in memory: the new current snapshot is not loaded twice
        return opened.name, opened.manifest_as_of, opened.rulesets, opened.people_count

    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        problem = UploadProblem("as_of", None, "as_of", f"ngày không hợp lệ / invalid date '{as_of}' (YYYY-MM-DD)")
        return _data_page(request, 422, [problem])
    packs = [pack for pack in rulesets.split(",") if pack] or None
    try:
        row = await run_in_threadpool(snapshots.store_upload, app_state.store, data, file.filename or "upload",
                                      user.name, validate, caps, name, packs, day)
    except UploadRefused as exc:
        app_state.store.log(user.name, "upload-refused", f"{file.filename}: {len(exc.problems)} problem(s)")
        return _data_page(request, 422, exc.problems)
    if loaded:
        app_state.remember(row, loaded[-1])
    app_state.changed()
    return RedirectResponse(f"/data?stored={row.id}", status_code=303)


@router.post("/data/{snapshot_id}/current", dependencies=[Depends(check_csrf)])
def make_current(request: Request, user: PageUser, snapshot_id: int) -> Response:
    require_role(user, "admin")
    try:
        snapshots.make_current(state(request).store, snapshot_id, user.name)
    except KeyError:
        raise NotFound(str(snapshot_id)) from None
    state(request).changed()
    return RedirectResponse("/data", status_code=303)
