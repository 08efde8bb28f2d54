"""Whole-population payloads cut to what a viewer may see: a `unit` account sees only its people."""

from __future__ import annotations

from typing import Any

from web.deps import Viewer


def _mine(viewer: Viewer, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if viewer.may_see_unit(viewer.data.person_unit(str(row.get("person", ""))))]


def audit(viewer: Viewer, payload: dict[str, Any], rule: str = "", status: str = "") -> dict[str, Any]:
    """The audit within scope, filtered by rule and status; the summary counts what is left."""
    rows = payload.get("appointments", [])
    rows = _mine(viewer, rows) if viewer.units is not None else rows
    if status:
        rows = [a for a in rows if a.get("status") == status]
    if rule:
        rows = [a for a in rows if any(f.get("rule") == rule for f in a.get("findings", []))]
    summary = {"total": len(rows), **{key: sum(1 for a in rows if a.get("status") == key)
                                      for key in ("ok", "violation", "unknown")}}
    by_unit = [u for u in payload.get("by_unit", []) if viewer.may_see_unit(u.get("unit"))]
    return {**payload, "appointments": rows, "summary": summary, "by_unit": by_unit,
            "by_unit_year": [u for u in payload.get("by_unit_year", []) if viewer.may_see_unit(u.get("unit"))]}


def people_lists(viewer: Viewer, payload: dict[str, Any], *keys: str) -> dict[str, Any]:
    """`keys`, and every other top-level list of rows with a `person`, cut to the viewer's people."""
    if viewer.units is None:
        return payload
    lists = {key for key, value in payload.items()
             if isinstance(value, list) and any(isinstance(row, dict) and "person" in row for row in value)}
    return {**payload, **{key: _mine(viewer, payload.get(key, [])) for key in {*keys, *lists}}}


def overview(viewer: Viewer, payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "open_by_unit": [r for r in payload.get("open_by_unit", []) if viewer.may_see_unit(r["unit"])]}
