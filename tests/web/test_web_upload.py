"""Uploads: a bad workbook shows every problem and stores nothing; a good one becomes the current snapshot;
unsafe archives are refused; the data's values are escaped in pages."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.web.conftest import DEMO, csrf_of, demo_xlsx, log_in
from web import snapshots
from web.app import create_app
from web.state import Settings
from web.uploads import Caps


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _demo_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(DEMO.iterdir()) if p.suffix in (".csv", ".yaml")}


@pytest.fixture
def fresh_app(seeded: Path, tmp_path: Path) -> Iterator[FastAPI]:
    import shutil

    root = tmp_path / "store"
    shutil.copytree(seeded, root)
    app = create_app(Settings(root, caps=Caps(upload_bytes=3 * 1024 * 1024, zip_entries=20,
                                             zip_uncompressed_bytes=8 * 1024 * 1024), preload=False))
    yield app
    app.state.dtbd.close()


def _upload(client: TestClient, filename: str, data: bytes, **fields: str) -> Response:
    token = csrf_of(client.get("/data").text)
    return client.post("/data/upload", data={"csrf": token, **fields}, files={"file": (filename, data)})


def test_a_workbook_with_errors_shows_every_problem_and_stores_nothing(fresh_app: FastAPI, tmp_path: Path) -> None:
    client = log_in(TestClient(fresh_app), "admin")
    before = [s.id for s in snapshots.snapshots(fresh_app.state.dtbd.store)]
    response = _upload(client, "bad.xlsx", demo_xlsx(tmp_path, ("birth_date", "1985-02-30")))
    assert response.status_code == 422
    html = response.text
    assert 'id="upload-errors"' in html and "people" in html and "birth_date" in html
    assert [s.id for s in snapshots.snapshots(fresh_app.state.dtbd.store)] == before
    assert list(fresh_app.state.dtbd.store.incoming_dir.iterdir()) == []


def test_a_good_workbook_becomes_the_current_snapshot(fresh_app: FastAPI, tmp_path: Path) -> None:
    client = log_in(TestClient(fresh_app), "admin")
    workbook = demo_xlsx(tmp_path)
    response = _upload(client, "tinh.xlsx", workbook, name="Tỉnh thử", as_of="2026-11-30")
    assert response.status_code == 200, response.text[:2000]
    current = snapshots.current(fresh_app.state.dtbd.store)
    assert current is not None and current.name == "Tỉnh thử" and current.uploader == "admin"
    assert current.as_of is not None and current.as_of.isoformat() == "2026-11-30" and current.people == 352
    assert Path(current.path).name == current.content_hash
    again = _upload(client, "tinh.xlsx", workbook, name="Tỉnh thử", as_of="2026-11-30")
    assert again.status_code == 422 and "duplicate-snapshot" in again.text


def test_a_zip_of_csv_files_is_stored_and_its_values_are_escaped(fresh_app: FastAPI) -> None:
    files = _demo_files()
    people = files["people.csv"].decode()
    files["people.csv"] = people.replace("Trần Quốc Hưng", "<script>alert(1)</script>Hưng").encode()
    client = log_in(TestClient(fresh_app), "admin")
    response = _upload(client, "tinh.zip", _zip({f"tinh/{k}": v for k, v in files.items()}))
    assert response.status_code == 200, response.text[:2000]
    page = client.get("/people", params={"q": "alert"})
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;Hưng" in page.text


@pytest.mark.parametrize(("name", "code"), [("../people.csv", "unsafe-entry"), ("/etc/people.csv", "unsafe-entry"),
                                            ("a/b/people.csv", "unsafe-entry"), ("notes.txt", "not-a-table")])
def test_unsafe_or_foreign_zip_entries_are_refused(fresh_app: FastAPI, name: str, code: str) -> None:
    client = log_in(TestClient(fresh_app), "admin")
    response = _upload(client, "x.zip", _zip({**_demo_files(), name: b"id\n"}))
    assert response.status_code == 422 and code in response.text
    assert len(snapshots.snapshots(fresh_app.state.dtbd.store)) == 1


def test_zip_caps_refuse_bombs_and_crowds(fresh_app: FastAPI) -> None:
    client = log_in(TestClient(fresh_app), "admin")
    bomb = _zip({"people.csv": b"0" * (9 * 1024 * 1024)})  # compresses to a few KB
    response = _upload(client, "bomb.zip", bomb)
    assert response.status_code == 422 and "too-large" in response.text
    crowd = _zip({f"t{i}.csv": b"x" for i in range(25)})
    response = _upload(client, "crowd.zip", crowd)
    assert response.status_code == 422 and "too-many-entries" in response.text


def test_an_upload_over_the_size_cap_is_413(fresh_app: FastAPI) -> None:
    client = log_in(TestClient(fresh_app), "admin")
    response = _upload(client, "big.zip", b"0" * (5 * 1024 * 1024))
    assert response.status_code == 413


def test_only_admins_upload(fresh_app: FastAPI) -> None:
    client = log_in(TestClient(fresh_app), "board")
    response = _upload(client, "x.zip", _zip(_demo_files()))
    assert response.status_code == 403


def test_a_crash_between_folder_and_row_leaves_no_half_snapshot(fresh_app: FastAPI) -> None:
    store = fresh_app.state.dtbd.store
    orphan = store.snapshots_dir / ("f" * 64)
    orphan.mkdir()
    (store.incoming_dir / "half").mkdir()
    snapshots.cleanup(store)
    assert not orphan.exists() and not (store.incoming_dir / "half").exists()
    assert all(Path(s.path).exists() for s in snapshots.snapshots(store))


def _with_external_link(workbook: bytes, target: str) -> bytes:
    """The workbook with an external link part (to `target`) wired into its workbook part, as Excel writes one."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts["xl/externalLinks/externalLink1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" xmlns:r="{rel_ns}"><externalBook r:id="rId1"><sheetNames>'
        '<sheetName val="people"/></sheetNames></externalBook></externalLink>').encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel_ns}/externalLinkPath" Target="{target}" '
        'TargetMode="External"/></Relationships>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", f'<Relationship Id="rIdExt1" Type="{rel_ns}'
                                                      '/externalLink" Target="externalLinks/externalLink1.xml"/>'
                                                      "</Relationships>").encode()
    book = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = book.replace("</sheets>", '</sheets><externalReferences><externalReference '
                                            f'xmlns:r="{rel_ns}" r:id="rIdExt1"/></externalReferences>').encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", '<Override PartName="/xl/externalLinks/externalLink1.xml" '
                                                 'ContentType="application/vnd.openxmlformats-officedocument.'
                                                 'spreadsheetml.externalLink+xml"/></Types>').encode()
    return _zip(parts)


def test_an_xlsx_external_link_is_never_followed(fresh_app: FastAPI, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the upload tried to reach the network")

    workbook = _with_external_link(demo_xlsx(tmp_path), "http://example.invalid/luong.xlsx")
    client = log_in(TestClient(fresh_app), "admin")
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    response = _upload(client, "lien-ket.xlsx", workbook, name="Liên kết ngoài")
    monkeypatch.undo()
    assert response.status_code == 200, response.text[:2000]
    stored = snapshots.snapshots(fresh_app.state.dtbd.store)[0]
    people = len((DEMO / "people.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert stored.name == "Liên kết ngoài" and stored.people == people  # the workbook's own values, nothing else


def test_a_value_that_would_be_a_formula_is_neutralised_in_downloads(fresh_app: FastAPI) -> None:
    import openpyxl

    files = _demo_files()
    hostile = "=HYPERLINK(\"http://example.invalid\",\"x\")"
    files["people.csv"] = files["people.csv"].decode().replace("Trần Quốc Hưng", hostile.replace('"', '""'))\
        .replace(f',{hostile.replace(chr(34), chr(34) * 2)},', f',"{hostile.replace(chr(34), chr(34) * 2)}",').encode()
    client = log_in(TestClient(fresh_app), "admin")
    assert _upload(client, "tinh.zip", _zip(files)).status_code == 200
    response = client.get("/people/CB0301/check.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("HYPERLINK" in v for v in values)  # the name is there, as text
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_traces_of_an_uploaded_snapshot_name_files_inside_it(fresh_app: FastAPI, tmp_path: Path) -> None:
    """An upload is checked where it lands, then moved into place: its traces name neither place."""
    import json

    from web import auth

    client = log_in(TestClient(fresh_app), "admin")
    assert _upload(client, "tinh.xlsx", demo_xlsx(tmp_path), name="Tỉnh thử").status_code == 200
    token = auth.new_api_token(fresh_app.state.dtbd.store, "admin", "tests")
    response = client.get("/api/v1/people/CB0301/check", params={"explain": "true"},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    files = {source["file"] for source in _sources(response.json()) if source.get("file")}
    assert files and all("/" not in f for f in files), files
    assert str(fresh_app.state.dtbd.store.root) not in json.dumps(response.json())


def _sources(value: object) -> list[dict[str, object]]:
    if isinstance(value, dict):
        own = list(value.get("sources", [])) if isinstance(value.get("sources"), list) else []
        return own + [s for item in value.values() for s in _sources(item)]
    if isinstance(value, list):
        return [s for item in value for s in _sources(item)]
    return []
