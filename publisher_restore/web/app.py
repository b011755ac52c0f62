"""The ASGI application: the dashboard, its sign-in pages, static files, and routers beside them.

``create_app(runtime, settings)`` composes:

- ``/static/...``: the dashboard's CSS and JavaScript (package data, public),
- the sign-in routes (``/login``, ``/login/once``), public,
- the dashboard's router: every route behind ``require_session`` and ``require_csrf``,
- each router in ``routers``, mounted as it is, with its own authentication.  The
  publisher API (``web/publisher_api``, HMAC-signed requests) goes there: it must
  not depend on the session, and the dashboard never reads its headers.

Every response carries the security headers of ``security.headers``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from publisher_restore.errors import (
    LockTimeoutError,
    OperationNotFoundError,
    PlanOutdatedError,
    PublisherRestoreError,
    RestorePointNotFoundError,
)
from publisher_restore.runtime import Runtime
from publisher_restore.web.dashboard import build_routers
from publisher_restore.web.dashboard.auth import CsrfRefused, NotSignedIn, cookie_name
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState
from publisher_restore.web.security.headers import SecurityHeaders
from publisher_restore.web.security.login_links import LoginLinks
from publisher_restore.web.settings import DashboardSettings

STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    runtime: Runtime,
    settings: DashboardSettings,
    *,
    links: LoginLinks | None = None,
    routers: Sequence[APIRouter] = (),
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The server of one site: the dashboard, and ``routers`` beside it (the publisher API).

    ``allowed_hosts``: the ``Host`` names requests may carry (others get 400); ``serve``
    passes the loopback names when it listens on loopback, so a web page that points its
    own domain at 127.0.0.1 (DNS rebinding) reaches nothing.
    """
    state = DashboardState(runtime, settings, links or LoginLinks())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()  # uploaded packs are this process's: they go with it

    app = FastAPI(
        title="publisher-restore",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.dashboard = state
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    public, protected = build_routers()
    app.include_router(public)
    app.include_router(protected)
    for router in routers:
        app.include_router(router)
    _add_error_pages(app)
    return app


def _add_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(PublisherRestoreError, _operation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _bad_request)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", "text/html"
    )


async def _not_signed_in(request: Request, _error: Exception) -> Response:
    if request.method == "GET" and _wants_html(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    message = "Sign in first: your session ended or you never signed in. Nothing was changed."
    return _error_response(request, 401, "Not signed in", message)


async def _csrf_refused(request: Request, _error: Exception) -> Response:
    message = (
        "This form expired or came from another page, so nothing was changed. "
        "Reload the page and try again."
    )
    return _error_response(request, 403, "Refused", message)


async def _operation_error(request: Request, error: Exception) -> Response:
    status = 500
    if isinstance(error, RestorePointNotFoundError | OperationNotFoundError):
        status = 404
    elif isinstance(error, PlanOutdatedError | LockTimeoutError):
        status = 409
    elif isinstance(error, PublisherRestoreError) and error.exit_code in (2, 3, 4, 5):
        status = 400
    return _error_response(request, status, "That did not work", f"{error}")


async def _http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    detail = error.detail if isinstance(error, HTTPException) else ""
    title = "Not found" if status == 404 else "Error"
    message = "There is no such page." if status == 404 else str(detail or "The request failed.")
    return _error_response(request, status, title, message)


async def _bad_request(request: Request, error: Exception) -> Response:
    return _error_response(request, 400, "Bad request", "The request was not understood.")


def _error_response(request: Request, status: int, title: str, message: str) -> Response:
    if not _wants_html(request):
        return JSONResponse({"detail": message}, status_code=status)
    state: DashboardState = request.app.state.dashboard
    session = state.sessions.get(request.cookies.get(cookie_name(request, "session")))
    context = {"title": title, "message": message, "status": status}
    return render(request, "error.html", context, session=session, status=status)
