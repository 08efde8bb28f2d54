"""Tổng quan: the current snapshot and its counts; the Excel template download."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web import scoped
from web.deps import PageUser, PageViewer, Viewer, lang, state, viewer_for
from web.render import page
from web.state import NoSnapshot

router = APIRouter(include_in_schema=False)
_TEMPLATE: list[bytes] = []
_TEMPLATE_LOCK = threading.Lock()


@router.get("/")
def overview(request: Request, user: PageUser) -> Response:
    app_state = state(request)
    row = app_state.current()
    if row is None:
        return page(request, "overview.html", snapshot=None, counts=None, overview=None)
    try:
        viewer = viewer_for(app_state, user)
    except NoSnapshot:
        return page(request, "overview.html", snapshot=None, counts=None, overview=None)
    job = app_state.jobs.get(app_state.job("overview", lang=lang(request)))
    overview = scoped.overview(viewer, job.payload) if job.status == "done" and job.payload else None
    return page(request, "overview.html", snapshot=row, counts=viewer.data.counts(), overview=overview,
                job=job, bars=_bars(viewer, overview) if overview else [], data=viewer.data)


def _bars(viewer: Viewer, overview: dict[str, Any]) -> list[dict[str, Any]]:
    """People with an open need by unit, largest first (the chart: <meter> bars, no script)."""
    by_unit: dict[str, dict[str, int]] = {}
    for row in overview["open_by_unit"]:
        by_unit.setdefault(row["unit"], {})[row["status"]] = row["people"]
    rows: list[dict[str, Any]] = [{"unit": unit, "name": viewer.data.unit_name(unit), **counts,
                                   "total": sum(counts.values())} for unit, counts in by_unit.items()]
    rows.sort(key=lambda r: -int(r["total"]))
    top = max((int(r["total"]) for r in rows), default=1)
    return [{**r, "max": top} for r in rows[:20]]


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
