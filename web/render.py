"""Jinja2 pages: autoescaped templates from the package, the visitor's language, the CSRF token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from web import auth, i18n
from web.deps import LANG_COOKIE, NONCE_COOKIE, csrf_bound, lang, state

TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                  trim_blocks=True, lstrip_blocks=True)
ENV.globals["label"] = i18n.label
ENV.filters["day"] = i18n.day


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    language = lang(request)
    bound = csrf_bound(request)
    principal = getattr(request.state, "principal", None)
    body = ENV.get_template(template).render(
        request=request, lang=language, t=lambda key: i18n.label(key, language),
        csrf=auth.csrf_token(state(request).store.secret, bound), user=principal, path=request.url.path,
        **context)
    response = HTMLResponse(body, status_code=status_code)
    nonce = getattr(request.state, "nonce", None)
    secure = state(request).settings.secure_cookies
    if nonce:
        response.set_cookie(NONCE_COOKIE, nonce, httponly=True, samesite="strict", secure=secure)
    if request.query_params.get("lang") in ("vi", "en"):
        response.set_cookie(LANG_COOKIE, language, httponly=True, samesite="lax", secure=secure,
                            max_age=365 * 86400)
    return response


def json_response(payload: Any, status_code: int = 200) -> Response:
    """A payload as compact UTF-8 JSON, as it is (no response-model pass: the payloads are the CLI's)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return Response(body, status_code=status_code, media_type="application/json")
