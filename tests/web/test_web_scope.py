"""Who may see whom: a `unit` account sees its unit and the units under it; anyone else is "not found" on
every page and endpoint that can show a person — the same answer as for an id that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.routing import Mount, Route

from tests.web.conftest import IN_SCOPE, OUT_OF_SCOPE, csrf_of, log_in
from tests.web.test_web_downloads import _settled, _text

COURSE = "K27-TC-TT-01"

Call = Callable[[TestClient, dict[str, str], str], Response]


def _page_person(c: TestClient, _h: dict[str, str], pid: str) -> Response:
    return c.get(f"/people/{pid}")


def _page_eligibility(c: TestClient, _h: dict[str, str], pid: str) -> Response:
    token = csrf_of(c.get("/people").text)
    return c.post(f"/people/{pid}/eligibility", data={"csrf": token, "position": "SYT-GD", "on": "2026-12-01"})


def _page_check_file(c: TestClient, _h: dict[str, str], pid: str) -> Response:
    xlsx, docx = c.get(f"/people/{pid}/check.xlsx"), c.get(f"/people/{pid}/check.docx")
    assert xlsx.status_code == docx.status_code
    return docx


def _api_person(c: TestClient, h: dict[str, str], pid: str) -> Response:
    return c.get(f"/api/v1/people/{pid}", headers=h)


def _api_check(c: TestClient, h: dict[str, str], pid: str) -> Response:
    plain, traced = c.get(f"/api/v1/people/{pid}/check", headers=h), c.get(f"/api/v1/people/{pid}/check?explain=true",
                                                                            headers=h)
    assert plain.status_code == traced.status_code
    return traced


def _api_eligibility(c: TestClient, h: dict[str, str], pid: str) -> Response:
    return c.post("/api/v1/eligibility", headers=h, json={"person": pid, "position": "SYT-GD", "on": "2026-12-01"})


def _api_evaluate(c: TestClient, h: dict[str, str], pid: str) -> Response:
    person = c.app.state.dtbd.data().dataset.person_by_id.get(pid)  # type: ignore[attr-defined]
    body = {"person": person.model_dump(mode="json", exclude_none=True) if person else {"id": pid}}
    return c.post("/api/v1/evaluate", headers=h, json=body)


# Every route that shows one person (its page with the "Vì sao?" traces, its form, its files, its JSON),
# keyed by its path: each answers 404 for a person outside a unit account's scope.
PERSON_ROUTES: dict[tuple[str, str], Call] = {
    ("GET", "/people/{person_id}"): _page_person,
    ("POST", "/people/{person_id}/eligibility"): _page_eligibility,
    ("GET", "/people/{person_id}/check.{fmt}"): _page_check_file,
    ("GET", "/api/v1/people/{person_id}"): _api_person,
    ("GET", "/api/v1/people/{person_id}/check"): _api_check,
    ("POST", "/api/v1/eligibility"): _api_eligibility,
    ("POST", "/api/v1/evaluate"): _api_evaluate,
}
# Routes that list people (search, the population's pages, their files and JSON): cut to the account's scope,
# or refused to a unit account (province-wide files). Called as a unit account, none shows OUT_OF_SCOPE.
LIST_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): "/",
    ("GET", "/people"): "/people?q=quoc%20hung",  # the name of OUT_OF_SCOPE, folded
    ("GET", "/api/v1/people"): "/api/v1/people?search=quoc%20hung",
    ("GET", "/plan"): "/plan",
    ("GET", "/plan.{fmt}"): "/plan.xlsx",
    ("GET", "/plan/phu-luc.{fmt}"): "/plan/phu-luc.xlsx",
    ("GET", "/courses/{course_id}"): f"/courses/{COURSE}",
    ("GET", "/courses/{course_id}/shortlist.{fmt}"): f"/courses/{COURSE}/shortlist.xlsx",
    ("GET", "/audit"): "/audit",
    ("GET", "/audit.{fmt}"): "/audit.xlsx",
    ("GET", "/readiness"): "/readiness",
    ("GET", "/readiness.{fmt}"): "/readiness.xlsx",
    ("GET", "/api/v1/audit"): "/api/v1/audit",
    ("GET", "/api/v1/plan"): "/api/v1/plan",
    ("GET", "/api/v1/courses/{course_id}/shortlist"): f"/api/v1/courses/{COURSE}/shortlist",
    ("GET", "/api/v1/readiness"): "/api/v1/readiness",
    ("GET", "/admin/access-log.csv"): "/admin/access-log.csv",  # admins only
    ("GET", "/admin"): "/admin",  # admins only (the access log names people viewed)
}
# Routes that show no person: login, data management (snapshot metadata), rules, courses, the template.
NO_PERSON_ROUTES = {
    ("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/data/template.xlsx"), ("GET", "/data"),
    ("POST", "/data/upload"), ("POST", "/data/{snapshot_id}/current"), ("POST", "/admin/users"),
    ("POST", "/admin/tokens"), ("GET", "/rules"), ("GET", "/rules/{rule_id}"), ("GET", "/courses"),
    ("GET", "/api/v1/rules"), ("GET", "/api/v1/rules/{rule_id}"), ("GET", "/openapi.json"), ("GET", "/api"),
}


def _walk(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for route in routes:
        included = getattr(route, "original_router", None)  # a router included in the app (FastAPI keeps it)
        if included is not None:
            out |= _walk(included.routes, prefix + (getattr(route.include_context, "prefix", "") or ""))
        elif isinstance(route, Mount):
            assert route.path == "/static", f"unexpected mount {route.path}"  # the package's style sheet
        else:
            assert isinstance(route, APIRoute | Route), route
            out |= {(method, prefix + route.path) for method in route.methods or () if method != "HEAD"}
    return out


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the application answers, read from the application itself (not from a list)."""
    return _walk(list(app.routes))


def test_every_route_is_classified(app: FastAPI) -> None:
    """A new route must say whether it shows a person (and then is tested below) or lists people."""
    groups = [set(PERSON_ROUTES), set(LIST_ROUTES), NO_PERSON_ROUTES]
    assert all(not (a & b) for i, a in enumerate(groups) for b in groups[i + 1:])
    assert app_routes(app) == set().union(*groups), "a route is missing from the scope test's lists"


@pytest.mark.parametrize("route", sorted(PERSON_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_unit_user_gets_404_for_a_person_of_another_unit(app: FastAPI, tokens: dict[str, str],
                                                         route: tuple[str, str]) -> None:
    call = PERSON_ROUTES[route]
    client = log_in(TestClient(app), "unit")
    headers = {"Authorization": f"Bearer {tokens['unit']}"}
    outside = call(client, headers, OUT_OF_SCOPE)
    missing = call(client, headers, "NO-SUCH-PERSON")
    assert outside.status_code == 404, outside.text[:300]
    assert missing.status_code == 404
    assert "Trần Quốc Hưng" not in outside.text  # nothing of the person leaks
    inside = call(client, headers, IN_SCOPE)
    assert inside.status_code == 200, inside.text[:300]


@pytest.mark.parametrize("role", ["admin", "board", "auditor"])
def test_province_roles_see_everyone(app: FastAPI, tokens: dict[str, str], role: str) -> None:
    client = log_in(TestClient(app), role)
    for call in PERSON_ROUTES.values():
        assert call(client, {"Authorization": f"Bearer {tokens[role]}"}, OUT_OF_SCOPE).status_code == 200


def test_unit_user_sees_the_units_under_theirs(app: FastAPI, tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {tokens['unit']}"}
    client = TestClient(app)
    assert client.get("/api/v1/people/CB0099", headers=headers).status_code == 200  # CDC, under SYT


def test_search_finds_nobody_outside_the_scope(app: FastAPI, tokens: dict[str, str]) -> None:
    client = log_in(TestClient(app), "unit")
    page = client.get("/people", params={"q": "Trần Quốc Hưng"})
    assert page.status_code == 200 and OUT_OF_SCOPE not in page.text
    api = client.get("/api/v1/people", params={"search": "tran quoc hung"},
                     headers={"Authorization": f"Bearer {tokens['unit']}"})
    assert api.status_code == 200 and api.json()["people"] == []
    board = client.get("/api/v1/people", params={"search": "tran quoc hung"},
                       headers={"Authorization": f"Bearer {tokens['board']}"})
    assert [p["id"] for p in board.json()["people"]] == [OUT_OF_SCOPE]


def test_unit_user_cannot_ask_about_another_units_post(app: FastAPI, tokens: dict[str, str]) -> None:
    response = TestClient(app).post("/api/v1/eligibility", headers={"Authorization": f"Bearer {tokens['unit']}"},
                                    json={"person": IN_SCOPE, "position": "SNV-GD"})
    assert response.status_code == 404


@pytest.mark.parametrize("route", sorted(LIST_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_lists_show_a_unit_account_none_of_another_units_people(app: FastAPI, tokens: dict[str, str],
                                                                route: tuple[str, str]) -> None:
    client = log_in(TestClient(app), "unit")
    client.headers["Authorization"] = f"Bearer {tokens['unit']}"
    response = _settled(client, LIST_ROUTES[route])
    assert response.status_code in (200, 403), response.text[:300]
    if response.status_code == 200:
        kind = response.headers["content-type"]
        body = _text(response.content, "xlsx") if "spreadsheet" in kind else response.text
        assert OUT_OF_SCOPE not in body and "Trần Quốc Hưng" not in body
