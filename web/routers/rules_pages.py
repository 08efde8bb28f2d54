"""Quy tắc: every rule with citation, text, versions on a timeline, parameters, verified flag; and its API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.api_models import ERRORS
from web.deps import ApiViewer, PageViewer, lang
from web.render import page

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["rules"], responses=ERRORS)


def _latest(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per rule id (its latest version), with the number of versions."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for rule in rules:
        by_id.setdefault(rule["id"], []).append(rule)
    rows = []
    for versions in by_id.values():
        versions.sort(key=lambda r: r["valid_from"])
        rows.append({**versions[-1], "versions": len(versions)})
    return sorted(rows, key=lambda r: r["id"])


@router.get("/rules")
def rules(request: Request, viewer: PageViewer) -> Response:
    return page(request, "rules.html", rules=_latest(viewer.data.rules(lang(request))))


@router.get("/rules/{rule_id}")
def rule(request: Request, viewer: PageViewer, rule_id: str) -> Response:
    versions = viewer.data.rule(rule_id, lang(request))
    return page(request, "rule.html", rule_id=rule_id, versions=versions)


@api.get("/rules")
def rules_api(viewer: ApiViewer, lang: str = "vi") -> list[dict[str, Any]]:
    """`dtbd rules list --json`: every version of every rule of the current snapshot's packs."""
    return viewer.data.rules(lang if lang in ("vi", "en") else "vi")


@api.get("/rules/{rule_id}")
def rule_api(viewer: ApiViewer, rule_id: str, lang: str = "vi") -> list[dict[str, Any]]:
    """`dtbd rules show ID --json`: the versions of one rule."""
    return viewer.data.rule(rule_id, lang if lang in ("vi", "en") else "vi")
