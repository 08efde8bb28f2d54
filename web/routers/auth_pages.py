"""Log in and out (pages). Login failures are counted and logged; the session id is rotated at login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from web import auth
from web.deps import SESSION_COOKIE, check_csrf, session_id, signer, state
from web.render import page

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    # Only a path of this site: no scheme, no host, no protocol-relative //host.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return page(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, name: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/") -> Response:
    app_state = state(request)
    try:
        principal = auth.login(app_state.store, name, password)
    except auth.AuthError as exc:
        return page(request, "login.html", status_code=401 if exc.code == "bad-login" else 423,
                    next=_safe_next(next), error=str(exc))
    old = session_id(request)
    if old:
        auth.close_session(app_state.store, old)
    sid = auth.open_session(app_state.store, principal)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, signer(app_state).dumps(sid), httponly=True, samesite="lax",
                        secure=app_state.settings.secure_cookies, max_age=int(auth.SESSION_FOR.total_seconds()))
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    sid = session_id(request)
    if sid:
        auth.close_session(state(request).store, sid)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
