"""Property-based fuzzing of `/api/v1` from its OpenAPI description (schemathesis): no request makes a 5xx.

Bounded (a few examples per operation) so the suite stays fast; run with more by DTBD_FUZZ_EXAMPLES=N.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from web import auth
from web.app import create_app
from web.state import Settings

EXAMPLES = int(os.environ.get("DTBD_FUZZ_EXAMPLES", "4"))


@pytest.fixture(scope="module")
def fuzz_app(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    root = tmp_path_factory.mktemp("fuzz") / "store"
    shutil.copytree(seeded, root)
    app = create_app(Settings(root))
    app.state.fuzz_token = auth.new_api_token(app.state.dtbd.store, "board", "fuzz")
    yield app
    app.state.dtbd.close()


def test_no_request_makes_a_server_error(fuzz_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    headers = {"Authorization": f"Bearer {fuzz_app.state.fuzz_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case: Any) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (f"{case.method} {case.formatted_path} -> {response.status_code}:"
                                                f" {response.text[:500]}")

        no_server_error()
