"""Who may see whom: a `unit` account sees its unit and the units under it; anyone else is "not found" on
every page and endpoint that can show a person — the same answer as for an id that does not exist."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.web.conftest import IN_SCOPE, OUT_OF_SCOPE, csrf_of, log_in
from web.app import ROUTERS

Call = Callable[[TestClient, dict[str, str], str], Response]


def _page_person(c: TestClient, _h: dict[str, str], pid: str) -> Response:
    return c.get(f"/people/{pid}")


def _page_eligibility(c: TestClient, _h: dict[str, str], pid: str) -> Response:
    token = csrf_of(c.get("/people").text)
    return c.post(f"/people/{pid}/eligibility", data={"csrf": token, "position": "SYT-GD", "on": "2026-12-01"})


def _page_check_xlsx(c: TestClient, _h: dict[str, str], pid: str) -> Response:
    return c.get(f"/people/{pid}/check.xlsx")


def _api_person(c: TestClient, h: dict[str, str], pid: str) -> Response:
    return c.get(f"/api/v1/people/{pid}", headers=h)


def _api_check(c: TestClient, h: dict[str, str], pid: str) -> Response:
    return c.get(f"/api/v1/people/{pid}/check", headers=h)


def _api_eligibility(c: TestClient, h: dict[str, str], pid: str) -> Response:
    return c.post("/api/v1/eligibility", headers=h, json={"person": pid, "position": "SYT-GD", "on": "2026-12-01"})


# Every route that shows one person, keyed by its path (test_every_person_route_is_covered keeps it complete).
PERSON_ROUTES: dict[tuple[str, str], Call] = {
    ("GET", "/people/{person_id}"): _page_person,
    ("POST", "/people/{person_id}/eligibility"): _page_eligibility,
    ("GET", "/people/{person_id}/check.xlsx"): _page_check_xlsx,
    ("GET", "/api/v1/people/{person_id}"): _api_person,
    ("GET", "/api/v1/people/{person_id}/check"): _api_check,
    ("POST", "/api/v1/eligibility"): _api_eligibility,
}


def all_routes() -> list[APIRoute]:
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def test_every_person_route_is_covered() -> None:
    routes = {(method, route.path) for route in all_routes()
              for method in route.methods
              if "person" in route.path or route.path == "/api/v1/eligibility"}
    assert routes == set(PERSON_ROUTES), "a route showing a person is missing from the scope test"


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
