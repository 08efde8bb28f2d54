"""`/api`: the HTTP API described for people, from the application's own OpenAPI document — a page rendered
on the server, nothing loaded from outside and no script (a closed government network has no CDN)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.render import page

router = APIRouter(include_in_schema=False)


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref") or ""
    name = ref.rpartition("/")[2]
    return f"{name}[]" if name and schema.get("type") == "array" else name or str(schema.get("type", ""))


def endpoints(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of the document: method, path, summary, description, parameters, body, answers."""
    out = []
    for path, operations in document.get("paths", {}).items():
        for method, op in operations.items():
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "type": _schema_name(p.get("schema"))} for p in op.get("parameters", [])],
                "body": _schema_name(body),
                "responses": [{"status": status, "description": answer.get("description", ""),
                               "schema": _schema_name(answer.get("content", {}).get("application/json", {})
                                                      .get("schema"))}
                              for status, answer in op.get("responses", {}).items()],
            })
    return out


@router.get("/api")
def api_page(request: Request) -> Response:
    document = request.app.openapi()
    return page(request, "api.html", info=document.get("info", {}), endpoints=endpoints(document),
                schemas=sorted(document.get("components", {}).get("schemas", {})))
