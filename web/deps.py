"""Shared dependencies every route takes: who is asking, what they may see, the snapshot in use, CSRF.

Scope is checked in one place: `Viewer.person()` answers NotFound for a person outside the viewer's
units, exactly as for an id that does not exist, on pages and API alike.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.concurrency import run_in_threadpool

from web import auth
from web.auth import Principal
from web.engine_port import NotFound, SnapshotData
from web.state import AppState

SESSION_COOKIE = "dtbd_session"
NONCE_COOKIE = "dtbd_nonce"
LANG_COOKIE = "dtbd_lang"
READ_ROLES = frozenset({"admin", "board", "unit", "auditor"})


class LoginRequired(Exception):
    """A page asked without a session: the handler redirects to the login page."""


class CsrfRefused(Exception):
    """A form posted without the token of this session."""


def state(request: Request) -> AppState:
    app_state: AppState = request.app.state.dtbd
    return app_state


def signer(app_state: AppState) -> URLSafeSerializer:
    return URLSafeSerializer(app_state.store.secret, salt="dtbd-session")


def session_id(request: Request) -> str | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        value = signer(state(request)).loads(cookie)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "vi"
    return chosen if chosen in ("vi", "en") else "vi"


# The dependencies below are `async`: each is a lookup of well under a millisecond, and a sync dependency
# would cost a hop to the thread pool (and back) on every request.
async def page_user(request: Request) -> Principal:
    sid = session_id(request)
    principal = None if sid is None else auth.session_principal(state(request).store, sid)
    if principal is None:
        raise LoginRequired()
    request.state.principal = principal
    return principal


async def api_user(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    principal = auth.token_principal(state(request).store, token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        raise HTTPException(401, detail={"code": "unauthenticated",
                                         "message": "cần mã truy cập API (Authorization: Bearer …) / API token"
                                                    " required"}, headers={"WWW-Authenticate": "Bearer"})
    return principal


def csrf_bound(request: Request) -> str:
    """What this visitor's CSRF token is bound to: the session, else an anonymous nonce cookie."""
    sid = session_id(request)
    if sid is not None:
        return sid
    nonce = request.cookies.get(NONCE_COOKIE) or getattr(request.state, "nonce", None)
    if not nonce:
        nonce = secrets.token_urlsafe(16)
        request.state.nonce = nonce  # set as a cookie by the page renderer
    return str(nonce)


async def check_csrf(request: Request) -> None:
    form = await request.form()
    token = form.get("csrf")
    if not auth.csrf_ok(state(request).store.secret, csrf_bound(request), token if isinstance(token, str) else None):
        raise CsrfRefused()


@dataclass(frozen=True)
class Viewer:
    """A principal with the snapshot they look at, and the units they may see (None: all)."""

    principal: Principal
    data: SnapshotData
    units: frozenset[str] | None

    def may_see_unit(self, unit: str | None) -> bool:
        return self.units is None or (unit is not None and unit in self.units)

    def person(self, person_id: str) -> str:
        """The id, if the person exists and is in scope; NotFound otherwise (the same either way)."""
        if not self.may_see_unit(self.data.person_unit(person_id)):
            raise NotFound(person_id)
        return person_id

    def position(self, position_id: str) -> str:
        unit = self.data.position_unit(position_id)
        if unit is not None and not self.may_see_unit(unit):
            raise NotFound(position_id)
        return position_id


def viewer_for(app_state: AppState, principal: Principal, data: SnapshotData | None = None) -> Viewer:
    data = data or app_state.data()
    units = data.subtree(principal.unit) if principal.role == "unit" and principal.unit else None
    if principal.role == "unit" and not principal.unit:
        units = frozenset()
    return Viewer(principal, data, units)


async def _viewer(app_state: AppState, principal: Principal) -> Viewer:
    """The viewer; a snapshot not in memory yet (seconds to open) is opened in the thread pool, not in the loop."""
    data = app_state.loaded()
    if data is None:
        data = await run_in_threadpool(app_state.data)
    return viewer_for(app_state, principal, data)


async def page_viewer(request: Request, principal: Annotated[Principal, Depends(page_user)]) -> Viewer:
    return await _viewer(state(request), principal)


async def api_viewer(request: Request, principal: Annotated[Principal, Depends(api_user)]) -> Viewer:
    return await _viewer(state(request), principal)


def require_role(principal: Principal, *roles: str) -> None:
    if principal.role not in roles:
        raise HTTPException(403, detail={"code": "forbidden", "message": "không có quyền / not allowed for role"
                                         f" '{principal.role}'"})


PageUser = Annotated[Principal, Depends(page_user)]
PageViewer = Annotated[Viewer, Depends(page_viewer)]
ApiViewer = Annotated[Viewer, Depends(api_viewer)]
ApiUser = Annotated[Principal, Depends(api_user)]
Csrf = Depends(check_csrf)
