"""The FastAPI application: routers, static files from the package, security headers, error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from web import i18n
from web.deps import CsrfRefused, LoginRequired, lang
from web.engine_port import NotFound
from web.render import page
from web.routers import (
    admin_pages,
    api_page,
    api_people,
    api_work,
    auth_pages,
    data_pages,
    home_pages,
    people_pages,
    rules_pages,
    work_pages,
)
from web.security import BodyLimit, SecurityHeaders
from web.state import AppState, NoSnapshot, Settings
from web.uploads import UploadRefused

STATIC = Path(__file__).parent / "static"
ROUTERS = (auth_pages.router, home_pages.router, people_pages.router, data_pages.router, admin_pages.router,
           rules_pages.router, work_pages.router, api_page.router, api_people.router, api_work.router, rules_pages.api)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, code: str, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"code": code, "message": message}, status_code=status)
    heading = {404: "not_found", 403: "forbidden"}.get(status)
    return page(request, "error.html", status_code=status,
                heading=i18n.label(heading, lang(request)) if heading else str(status), message=message)


ENV_STORE, ENV_RULESETS, ENV_SECURE = "DTBD_STORE", "DTBD_RULESETS", "DTBD_SECURE_COOKIES"


def app_from_env() -> FastAPI:
    """The application of one server process of `dtbd serve --workers N` (uvicorn imports it by name in each
    process): the settings come from the environment `dtbd serve` sets."""
    import os

    rulesets = os.environ.get(ENV_RULESETS)
    return create_app(Settings(Path(os.environ[ENV_STORE]), Path(rulesets) if rulesets else None,
                               secure_cookies=os.environ.get(ENV_SECURE) == "1"))


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="dtbd", version="1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Quy tắc đào tạo, bồi dưỡng CBCCVC — the HTTP API. Authenticate with"
                              " `Authorization: Bearer <token>` (tokens are made on the Quản trị page).")
    app.state.dtbd = AppState(settings)
    app.add_middleware(BodyLimit, limit=settings.caps.upload_bytes + 1024 * 1024)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, "not-found", f"không tìm thấy '{exc}' / not found")

    @app.exception_handler(NoSnapshot)
    async def no_snapshot(request: Request, _exc: NoSnapshot) -> Response:
        return _error(request, 409, "no-snapshot", i18n.label("no_snapshot", lang(request)))

    @app.exception_handler(UploadRefused)
    async def refused(request: Request, exc: UploadRefused) -> Response:
        problems = [{"file": p.file, "row": p.row, "column": p.column, "message": p.message, "code": p.code}
                    for p in exc.problems]
        return JSONResponse({"code": "invalid-data", "message": f"{len(problems)} lỗi trong dữ liệu / problem(s) in"
                             " the data", "problems": problems}, status_code=422)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> Response:
        return _error(request, 403, "csrf", "biểu mẫu hết hạn hoặc không hợp lệ, hãy tải lại trang / the form's"
                      " security token is missing or stale: reload the page and submit again")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail: Any = exc.detail
        code = detail.get("code", "error") if isinstance(detail, dict) else "error"
        message = detail.get("message", "") if isinstance(detail, dict) else str(detail)
        response = _error(request, exc.status_code, code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"where": ".".join(str(part) for part in error["loc"]), "message": error["msg"]}
                    for error in exc.errors()]
        if _is_api(request):
            return JSONResponse({"code": "invalid-request", "message": "yêu cầu không hợp lệ / invalid request",
                                 "problems": problems}, status_code=422)
        return _error(request, 422, "invalid-request", "; ".join(f"{p['where']}: {p['message']}" for p in problems))

    return app
