"""`/api/v1`: the CLI's JSON payloads, per role; errors as JSON with codes; the access log records views."""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import DEMO, IN_SCOPE, OUT_OF_SCOPE, ROLES, bearer, cli_json
from web.models import AccessLog


def test_check_is_the_clis_check_json(app: FastAPI, tokens: dict[str, str]) -> None:
    response = TestClient(app).get(f"/api/v1/people/{OUT_OF_SCOPE}/check", headers=bearer(tokens, "board"))
    assert response.status_code == 200
    assert response.json() == cli_json("check", OUT_OF_SCOPE)


def test_check_as_of_a_later_day(app: FastAPI, tokens: dict[str, str]) -> None:
    client = TestClient(app)
    response = client.get(f"/api/v1/people/{OUT_OF_SCOPE}/check", params={"as_of": "2027-06-01"},
                          headers=bearer(tokens, "board"))
    assert response.status_code == 200 and response.json()["as_of"] == "2027-06-01"
    assert response.json() == cli_json("check", OUT_OF_SCOPE, "--as-of", "2027-06-01")
    # Before the snapshot's date its records may hold what had not happened yet: an older snapshot answers that.
    early = client.get(f"/api/v1/people/{OUT_OF_SCOPE}/check", params={"as_of": "2025-01-01"},
                       headers=bearer(tokens, "board"))
    assert early.status_code == 422 and early.json()["code"] == "before-snapshot"


def test_eligibility_is_the_clis_for_position_json(app: FastAPI, tokens: dict[str, str]) -> None:
    body = {"person": OUT_OF_SCOPE, "position": "SNV-GD", "on": "2026-12-01", "kind": "bo-nhiem-lai"}
    response = TestClient(app).post("/api/v1/eligibility", json=body, headers=bearer(tokens, "auditor"))
    assert response.status_code == 200
    expected = cli_json("check", OUT_OF_SCOPE, "--for-position", "SNV-GD", "--on", "2026-12-01",
                        "--kind", "bo-nhiem-lai")
    assert response.json() == expected
    assert response.json()["eligible"] is False and "way" in response.json()  # from when, after which courses


def test_eligibility_gives_the_way_when_not_eligible(app: FastAPI, tokens: dict[str, str]) -> None:
    """A proposal training can fix: the way names the courses and the day, exactly as the CLI's JSON."""
    body = {"person": "CB0001", "position": "SNV-GD", "on": "2026-12-01"}
    response = TestClient(app).post("/api/v1/eligibility", json=body, headers=bearer(tokens, "board"))
    expected = cli_json("check", "CB0001", "--for-position", "SNV-GD", "--on", "2026-12-01")
    assert response.json() == expected
    assert response.json()["way"]["eligible_from"] == "2027-10-01"


def test_check_explain_is_the_clis_explain_json(app: FastAPI, tokens: dict[str, str]) -> None:
    response = TestClient(app).get(f"/api/v1/people/{OUT_OF_SCOPE}/check", params={"explain": "true"},
                                   headers=bearer(tokens, "board"))
    assert response.status_code == 200
    # the records' files are named inside the snapshot, not by where the server keeps it
    expected = json.loads(json.dumps(cli_json("check", OUT_OF_SCOPE, "--explain")).replace(f"{DEMO}/", ""))
    assert response.json() == expected
    assert "snapshots/" not in response.text
    traced = [f for f in response.json()["findings"] if "trace" in f]
    assert traced and all(f["trace"]["rule"] == f["rule"] for f in traced)
    plain = TestClient(app).get(f"/api/v1/people/{OUT_OF_SCOPE}/check", headers=bearer(tokens, "board")).json()
    assert all("trace" not in f for f in plain["findings"])  # the cache keeps the two apart


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_people_and_checks_in_scope(app: FastAPI, tokens: dict[str, str], role: str) -> None:
    client = TestClient(app)
    hits = client.get("/api/v1/people", params={"search": "nguyen"}, headers=bearer(tokens, role))
    assert hits.status_code == 200 and hits.json()["people"]
    assert client.get(f"/api/v1/people/{IN_SCOPE}", headers=bearer(tokens, role)).json()["person"]["id"] == IN_SCOPE
    assert client.get(f"/api/v1/people/{IN_SCOPE}/check", headers=bearer(tokens, role)).status_code == 200


def test_search_is_diacritic_insensitive(app: FastAPI, tokens: dict[str, str]) -> None:
    client = TestClient(app)
    plain = client.get("/api/v1/people", params={"search": "TRAN QUOC HUNG"}, headers=bearer(tokens, "board")).json()
    marked = client.get("/api/v1/people", params={"search": "Trần Quốc Hưng"}, headers=bearer(tokens, "board")).json()
    by_id = client.get("/api/v1/people", params={"search": OUT_OF_SCOPE.lower()},
                       headers=bearer(tokens, "board")).json()
    assert plain == marked == by_id and [p["id"] for p in plain["people"]] == [OUT_OF_SCOPE]


def test_errors_are_json_with_codes(app: FastAPI, tokens: dict[str, str]) -> None:
    client = TestClient(app)
    missing = client.get("/api/v1/people/NOPE/check", headers=bearer(tokens, "board"))
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"
    bad_date = client.get(f"/api/v1/people/{IN_SCOPE}/check", params={"as_of": "2026-02-30"},
                          headers=bearer(tokens, "board"))
    assert bad_date.status_code == 422 and bad_date.json()["code"] == "invalid-request"
    extra = client.post("/api/v1/eligibility", json={"person": IN_SCOPE, "position": "SYT-GD", "x": 1},
                        headers=bearer(tokens, "board"))
    assert extra.status_code == 422 and extra.json()["problems"]
    post = client.post("/api/v1/eligibility", json={"person": IN_SCOPE, "position": "NO-POST"},
                       headers=bearer(tokens, "board"))
    assert post.status_code == 422 and "NO-POST" in post.json()["message"]


def test_the_access_log_records_each_view(app: FastAPI, tokens: dict[str, str]) -> None:
    client = TestClient(app)
    client.get(f"/api/v1/people/{IN_SCOPE}/check", headers=bearer(tokens, "auditor"))
    client.get(f"/api/v1/people/{IN_SCOPE}", headers=bearer(tokens, "auditor"))
    with app.state.dtbd.store.session() as db:
        entries = [(e.user, e.action, e.what) for e in db.scalars(select(AccessLog))]
    assert ("auditor", "api-check", IN_SCOPE) in entries and ("auditor", "api-view-person", IN_SCOPE) in entries


def test_a_page_view_of_a_person_is_logged(app: FastAPI, as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("board")
    page = client.get(f"/people/{OUT_OF_SCOPE}")
    assert page.status_code == 200 and "Vì sao?" in page.text and "<details>" in page.text
    with app.state.dtbd.store.session() as db:
        assert db.scalar(select(AccessLog).where(AccessLog.user == "board", AccessLog.action == "view-person",
                                                 AccessLog.what == OUT_OF_SCOPE)) is not None


def test_openapi_is_served_locally_with_a_page_that_loads_nothing_from_outside(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/people/{person_id}/check" in schema["paths"]
    assert client.get("/docs").status_code == 404  # no third-party docs UI (it would load scripts from a CDN)
    described = client.get("/api")
    assert described.status_code == 200
    assert "GET /api/v1/people/{person_id}/check" in described.text and "EligibilityResult" in described.text
    assert "<script" not in described.text
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', described.text)  # every asset from this server
