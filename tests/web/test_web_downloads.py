"""Every download is the file the CLI writes (`--format xlsx|docx`), opens with openpyxl / python-docx, and
goes to the access log."""

from __future__ import annotations

import io
import time

import docx
import openpyxl
import pytest
from fastapi import FastAPI
from httpx2 import Response
from sqlalchemy import select

from tests.web.conftest import OUT_OF_SCOPE
from web.models import AccessLog

COURSE = "K27-TC-TT-01"


def _settled(client, url: str) -> Response:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 180
    while True:
        response: Response = client.get(url)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def _text(content: bytes, fmt: str) -> str:
    """All the text of the file, opened by the library Word or Excel files are read with."""
    if fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value)


DOWNLOADS = [
    (f"/people/{OUT_OF_SCOPE}/check.docx", "docx", f"phieu-ra-soat-{OUT_OF_SCOPE}.docx", "Trần Quốc Hưng"),
    (f"/people/{OUT_OF_SCOPE}/check.xlsx", "xlsx", f"phieu-ra-soat-{OUT_OF_SCOPE}.xlsx", "Trần Quốc Hưng"),
    (f"/courses/{COURSE}/shortlist.docx", "docx", f"danh-sach-{COURSE}.docx", COURSE),
    ("/plan.docx?year=2027", "docx", "ke-hoach-2027.docx", "2027"),
    ("/plan/phu-luc.docx?from=2027&to=2029", "docx", "phu-luc-2027-2029.docx", "PHỤ LỤC"),
    ("/audit.docx", "docx", "thanh-tra.docx", "Báo cáo tóm tắt kết quả kiểm tra"),  # audit --format docx
]


@pytest.mark.parametrize(("url", "fmt", "name", "text"), DOWNLOADS, ids=[d[2] for d in DOWNLOADS])
def test_each_download_opens_and_is_logged(app: FastAPI, as_role, url: str, fmt: str, name: str,  # type: ignore[no-untyped-def]
                                           text: str) -> None:
    response = _settled(as_role("board"), url)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert name in response.headers["content-disposition"]
    assert text.casefold() in _text(response.content, fmt).casefold()
    with app.state.dtbd.store.session() as db:
        logged = [(e.user, e.what) for e in db.scalars(select(AccessLog).where(AccessLog.action == "download"))]
    assert ("board", name) in logged


def test_an_unknown_format_or_a_bad_period_is_refused(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("board")
    assert client.get("/plan.pdf").status_code == 422
    assert client.get(f"/people/{OUT_OF_SCOPE}/check.csv").status_code == 422
    assert client.get("/plan/phu-luc.xlsx?from=2030&to=2027").status_code == 422


def test_province_files_are_not_for_a_unit_account(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("unit")
    for url in ("/plan.docx", "/plan/phu-luc.docx", f"/courses/{COURSE}/shortlist.docx", "/readiness.docx"):
        assert client.get(url).status_code == 403, url
