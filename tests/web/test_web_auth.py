"""Accounts and sessions: CSRF, lockout, cookies, redirects, API tokens, the access log."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.web.conftest import csrf_of
from web import auth
from web.models import AccessLog
from web.security import HEADERS


def _log(app: FastAPI) -> list[AccessLog]:
    with app.state.dtbd.store.session() as db:
        return list(db.scalars(select(AccessLog).order_by(AccessLog.id)))


def test_pages_carry_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert "<script" not in response.text  # no inline (or any) script: every flow works without JavaScript


def test_a_page_without_session_redirects_to_login(client: TestClient) -> None:
    response = client.get("/people/CB0100", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/people/CB0100"


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "admin", "password": "pw-admin-secret"})
    assert response.status_code == 403
    assert "security token" in response.text


def test_login_with_a_forged_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"csrf": "0" * 64, "name": "admin", "password": "pw-admin-secret"})
    assert response.status_code == 403


def test_session_cookie_is_signed_httponly_samesite(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "name": "board", "password": "pw-board-secret"},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "dtbd_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    value = client.cookies["dtbd_session"]
    client.cookies.clear()
    client.cookies.set("dtbd_session", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))  # tampered signature
    assert client.get("/", follow_redirects=False).status_code == 303


def test_posting_a_form_of_another_session_is_refused(app: FastAPI, as_role) -> None:  # type: ignore[no-untyped-def]
    mine = as_role("board")
    other = as_role("board")
    token = csrf_of(other.get("/people/CB0100").text)
    response = mine.post("/people/CB0100/eligibility", data={"csrf": token, "position": "SYT-GD"})
    assert response.status_code == 403


def test_five_failed_logins_lock_the_account_for_15_minutes(app: FastAPI, client: TestClient) -> None:
    store = app.state.dtbd.store
    auth.add_user(store, "lockme", "board", None, password="right-password")
    for _ in range(5):
        page = client.get("/login")
        response = client.post("/login", data={"csrf": csrf_of(page.text), "name": "lockme", "password": "wrong"})
        assert response.status_code == 401
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "name": "lockme", "password": "right-password"})
    assert response.status_code == 423
    assert "15" in response.text
    actions = [e.action for e in _log(app) if e.user == "lockme"]
    assert actions.count("login-failed") == 5 and "login-locked" in actions
    locked = next(u for u in auth.users(store) if u.name == "lockme")
    assert locked.locked_until is not None


def test_login_is_logged_and_open_redirects_are_refused(app: FastAPI, client: TestClient) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "name": "auditor",
                                           "password": "pw-auditor-secret", "next": "//evil.example/"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"
    assert any(e.user == "auditor" and e.action == "login" for e in _log(app))


def test_logout_needs_the_csrf_token_and_ends_the_session(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("board")
    assert client.post("/logout", data={}).status_code == 403
    token = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_access_log_is_append_only(app: FastAPI) -> None:
    with pytest.raises(IntegrityError), app.state.dtbd.store.session() as db:
        db.execute(text("UPDATE access_log SET user = 'someone else'"))
    with pytest.raises(IntegrityError), app.state.dtbd.store.session() as db:
        db.execute(text("DELETE FROM access_log"))


def test_api_without_or_with_a_bad_token_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/people").status_code == 401
    response = client.get("/api/v1/people", headers={"Authorization": "Bearer dtbd_nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_api_tokens_are_stored_hashed(app: FastAPI, tokens: dict[str, str]) -> None:
    with app.state.dtbd.store.session() as db:
        stored = db.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert stored and not any(token in stored for token in tokens.values())


def test_a_page_session_is_not_an_api_credential(as_role) -> None:  # type: ignore[no-untyped-def]
    assert as_role("board").get("/api/v1/people").status_code == 401


def test_admin_pages_are_for_admins(as_role) -> None:  # type: ignore[no-untyped-def]
    assert as_role("board").get("/admin").status_code == 403
    assert as_role("admin").get("/admin").status_code == 200


def test_admin_creates_an_account_with_a_one_time_password(app: FastAPI, as_role) -> None:  # type: ignore[no-untyped-def]
    admin = as_role("admin")
    token = csrf_of(admin.get("/admin").text)
    response = admin.post("/admin/users", data={"csrf": token, "name": "new-unit", "role": "unit", "unit": "SNV"})
    assert response.status_code == 200 and 'id="created"' in response.text
    assert any(u.name == "new-unit" and u.unit == "SNV" for u in auth.users(app.state.dtbd.store))
    csv = admin.get("/admin/access-log.csv")
    assert csv.status_code == 200 and "user-added" in csv.text


def test_access_log_csv_neutralises_formulas(app: FastAPI, as_role) -> None:  # type: ignore[no-untyped-def]
    app.state.dtbd.store.log("=HYPERLINK(\"http://x\")", "login-failed")
    text_out = as_role("admin").get("/admin/access-log.csv").text
    assert "'=HYPERLINK" in text_out
