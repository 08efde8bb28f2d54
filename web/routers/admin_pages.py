"""Quản trị (admin only): accounts, API tokens, the access log and its CSV export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from web import auth
from web.cells import csv_bytes
from web.deps import PageUser, check_csrf, require_role, state
from web.models import AccessLog
from web.render import page

router = APIRouter(include_in_schema=False)
LOG_SHOWN = 200


def _log(request: Request, limit: int | None) -> list[AccessLog]:
    with state(request).store.session() as db:
        query = select(AccessLog).order_by(AccessLog.id.desc())
        return list(db.scalars(query.limit(limit) if limit else query))


def _admin_page(request: Request, status_code: int = 200, **extra: object) -> Response:
    return page(request, "admin.html", status_code=status_code, users=auth.users(state(request).store),
                log=_log(request, LOG_SHOWN), roles=auth.ROLES, **extra)


@router.get("/admin")
def admin(request: Request, user: PageUser) -> Response:
    require_role(user, "admin")
    return _admin_page(request)


@router.post("/admin/users", dependencies=[Depends(check_csrf)])
def add_user(request: Request, user: PageUser, name: Annotated[str, Form(max_length=100)],
             role: Annotated[str, Form(max_length=20)], unit: Annotated[str, Form(max_length=100)] = "") -> Response:
    require_role(user, "admin")
    store = state(request).store
    try:
        password = auth.add_user(store, name.strip(), role, unit.strip() or None)
    except auth.AuthError as exc:
        return _admin_page(request, 422, error=str(exc))
    store.log(user.name, "user-added", f"{name} {role} {unit}")
    return _admin_page(request, created={"name": name, "password": password})


@router.post("/admin/tokens", dependencies=[Depends(check_csrf)])
def add_token(request: Request, user: PageUser, name: Annotated[str, Form(max_length=100)],
              label: Annotated[str, Form(max_length=100)] = "") -> Response:
    require_role(user, "admin")
    try:
        token = auth.new_api_token(state(request).store, name, label)
    except auth.AuthError as exc:
        return _admin_page(request, 422, error=str(exc))
    return _admin_page(request, token={"name": name, "token": token})


@router.get("/admin/access-log.csv")
def access_log_csv(request: Request, user: PageUser) -> Response:
    require_role(user, "admin")
    state(request).store.log(user.name, "download", "access-log.csv")
    rows = [[e.id, e.at.isoformat(timespec="seconds"), e.user, e.action, e.what] for e in _log(request, None)]
    return Response(csv_bytes(["id", "at_utc", "user", "action", "what"], rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="nhat-ky-truy-cap.csv"'})
