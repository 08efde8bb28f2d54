"""Shared fixtures of the web tests: a store with the demo snapshot and one account per role."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cli.main import cli
from web import auth, snapshots
from web.app import create_app
from web.engine_port import validate
from web.state import Settings
from web.store import Store

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
UNIT = "SYT"  # Sở Y tế and the units under it
IN_SCOPE = "CB0100"  # a person of SYT
OUT_OF_SCOPE = "CB0301"  # a person of SNV (Sở Nội vụ)
ROLES = ("admin", "board", "unit", "auditor")


def bearer(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def cli_json(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, [*args, "--data", str(DEMO), "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.output)
    payload.pop("provenance", None)  # how the CLI was invoked: not part of the result
    return payload


def demo_xlsx(tmp_path: Path, people_edit: tuple[str, str] | None = None) -> bytes:
    """The demo's tables as the sheets of one workbook, optionally with one edit in the first person's row."""
    import csv

    import openpyxl
    import yaml

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(DEMO.iterdir()):
        if path.name == "dataset.yaml" or path.suffix not in (".csv", ".yaml"):
            continue
        sheet = book.create_sheet(path.stem)
        if path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        else:
            records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            header = list(dict.fromkeys(key for record in records for key in record))
            rows = [header] + [["" if r.get(k) is None else str(r.get(k)) for k in header] for r in records]
        if people_edit is not None and path.stem == "people":
            rows[1][rows[0].index(people_edit[0])] = people_edit[1]
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
    out = tmp_path / "demo.xlsx"
    book.save(out)
    return out.read_bytes()


@dataclass
class Env:
    store_dir: Path
    passwords: dict[str, str]
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the demo snapshot and the accounts, made once; each test copies it."""
    root = tmp_path_factory.mktemp("seed") / "store"
    store = Store(root)
    snapshots.import_folder(store, DEMO, "setup", validate)
    for role in ROLES:
        auth.add_user(store, role, role, UNIT if role == "unit" else None, password=f"pw-{role}-secret")
    store.close()
    return root


@pytest.fixture(scope="session")
def app(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """One application over a copy of the seeded store (the demo loaded once for the whole session)."""
    root = tmp_path_factory.mktemp("app") / "store"
    shutil.copytree(seeded, root)
    application = create_app(Settings(root))
    yield application
    application.state.dtbd.close()


@pytest.fixture(scope="session")
def tokens(app: FastAPI) -> dict[str, str]:
    store = app.state.dtbd.store
    return {role: auth.new_api_token(store, role, "tests") for role in ROLES}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def log_in(client: TestClient, role: str) -> TestClient:
    page = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(page.text), "name": role, "password": f"pw-{role}-secret",
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def as_role(app: FastAPI):  # type: ignore[no-untyped-def]
    def make(role: str) -> TestClient:
        return log_in(TestClient(app), role)

    return make
