"""Tổng quan: the current snapshot and its counts; the Excel template download."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web import snapshots
from web.deps import PageUser, PageViewer, state
from web.render import page
from web.state import NoSnapshot

router = APIRouter(include_in_schema=False)
_TEMPLATE: list[bytes] = []
_TEMPLATE_LOCK = threading.Lock()


@router.get("/")
def overview(request: Request, user: PageUser) -> Response:
    app_state = state(request)
    row = snapshots.current(app_state.store)
    if row is None:
        return page(request, "overview.html", snapshot=None, counts=None, overview=None)
    try:
        data = app_state.data(row)
    except NoSnapshot:
        return page(request, "overview.html", snapshot=None, counts=None, overview=None)
    return page(request, "overview.html", snapshot=row, counts=data.counts(), overview=None)


def template_bytes() -> bytes:
    """`dtbd template`'s workbook, made once by the CLI itself (the same file the command writes)."""
    with _TEMPLATE_LOCK:
        if not _TEMPLATE:
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / "mau.xlsx"
                subprocess.run([sys.executable, "-m", "cli", "--quiet", "template", "--out", str(out)], check=True,
                               capture_output=True, timeout=120)
                _TEMPLATE.append(out.read_bytes())
        return _TEMPLATE[0]


@router.get("/data/template.xlsx")
def template(request: Request, viewer: PageViewer) -> Response:
    state(request).store.log(viewer.principal.name, "download", "template.xlsx")
    return Response(template_bytes(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-du-lieu-dtbd.xlsx"'})
