"""Signing in and out, and the two dependencies every dashboard route stands behind.

``require_session`` accepts only this dashboard's session cookie; ``require_csrf`` (which
needs a session) refuses any state-changing request without the session's CSRF token
(form field ``csrf_token`` or header ``X-CSRF-Token``) or sent from another origin.
Both are dependencies of the dashboard's router only: a route mounted beside it (the
publisher API, with its own HMAC authentication) never sees a session, and a
publisher signature opens nothing here.

The sign-in forms are protected from cross-site posts by a double-submit cookie
(``SameSite=Strict``) and failed attempts are rate-limited (``security.rate_limit``).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.formatting import duration
from publisher_restore.web.security.passwords import verify_password
from publisher_restore.web.security.sessions import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LOGIN_FIELD = "login_token"
MAX_FORM_FIELDS = 20_000
"""A check's form names each ticked change; the page's script sends them compactly."""


class NotSignedIn(Exception):
    """No live session: pages redirect to the sign-in page, other requests get 401."""


class CsrfRefused(Exception):
    """A state-changing request without this session's CSRF token, or from another origin."""


State = Annotated[DashboardState, Depends(dashboard_state)]


def cookie_name(request: Request, kind: str) -> str:
    """Cookies are shared by every port of a host, so each server names its own."""
    return f"publisher_restore_{kind}_{request.url.port or 0}"


async def read_form(request: Request) -> FormData:
    """The request's form (parsed once; later calls return the same)."""
    return await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)


def require_session(request: Request, state: State) -> Session:
    """The signed-in session, or ``NotSignedIn``."""
    session = state.sessions.get(request.cookies.get(cookie_name(request, "session")))
    if session is None:
        raise NotSignedIn
    return session


SignedIn = Annotated[Session, Depends(require_session)]


async def require_csrf(request: Request, session: SignedIn) -> None:
    """State-changing requests must carry the session's CSRF token and come from this origin."""
    if request.method in SAFE_METHODS:
        return
    refuse_other_origins(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        field = (await read_form(request)).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not hmac.compare_digest(sent, session.csrf_token):
        raise CsrfRefused


def refuse_other_origins(request: Request) -> None:
    """Browsers say where a request comes from; anything but this origin is refused."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise CsrfRefused
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        raise CsrfRefused


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


public = APIRouter()
"""Routes anyone may open: the sign-in pages."""


@public.get("/login")
def login_page(request: Request, state: State, next: str = "/") -> Response:
    return _login_form(request, state, next_url=_safe_next(next))


@public.post("/login")
async def login(request: Request, state: State) -> Response:
    form = await read_form(request)
    next_url = _safe_next(_text(form, "next"))
    refusal = _refusal(request, state, form)
    if refusal is not None:
        return _login_form(request, state, next_url=next_url, error=refusal[0], status=refusal[1])
    password_hash = state.settings.password_hash
    if password_hash is None:
        error = "No password is configured: sign in with the link the server printed."
        return _login_form(request, state, next_url=next_url, error=error, status=400)
    password = _text(form, "password")
    if not await run_in_threadpool(verify_password, password_hash.get_secret_value(), password):
        state.limiter.failed(_client(request))
        error = "That password is not right. Check it and try again."
        return _login_form(request, state, next_url=next_url, error=error, status=401)
    return _signed_in(request, state, next_url)


@public.get("/login/once")
def login_link_page(request: Request, state: State, token: str = "") -> Response:
    """The printed link opens a page with a button: a link preview cannot spend the token."""
    context = {"token": token, "error": None, "has_password": _has_pw(state)}
    return _sign_in_page(request, "login_once.html", context)


@public.post("/login/once")
async def login_with_link(request: Request, state: State) -> Response:
    form = await read_form(request)
    refusal = _refusal(request, state, form)
    if refusal is None and not state.links.redeem(_text(form, "token")):
        state.limiter.failed(_client(request))
        refusal = (
            "This sign-in link was already used or has expired. Stop the server and start "
            "'publisher-restore serve' again for a new link.",
            403,
        )
    if refusal is not None:
        context = {"token": "", "error": refusal[0], "has_password": _has_pw(state)}
        return _sign_in_page(request, "login_once.html", context, status=refusal[1])
    return _signed_in(request, state, "/")


session_routes = APIRouter()
"""Signing out: behind the session and CSRF dependencies like every dashboard route."""


@session_routes.post("/logout")
def logout(request: Request, state: State, session: SignedIn) -> Response:
    state.sessions.end(session.id)
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    response.delete_cookie(cookie_name(request, "session"), path="/")
    return response


def _login_form(
    request: Request,
    state: State,
    *,
    next_url: str,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "next_url": next_url,
        "error": error,
        "has_password": _has_pw(state),
        "signed_out": request.query_params.get("signed_out") == "1",
    }
    response = _sign_in_page(request, "login.html", context, status=status)
    if status == 429:
        response.headers["Retry-After"] = str(state.limiter.retry_after(_client(request)) or 1)
    return response


def _sign_in_page(
    request: Request, template: str, context: Mapping[str, object], status: int = 200
) -> Response:
    """A sign-in page with a fresh double-submit token: in its form and in a cookie."""
    token = secrets.token_urlsafe(24)
    response = render(request, template, {**context, "login_token": token}, status=status)
    response.set_cookie(
        cookie_name(request, "login"),
        token,
        max_age=3600,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


def _refusal(request: Request, state: State, form: FormData) -> tuple[str, int] | None:
    """Why a sign-in is refused before its secret is looked at, with the status code."""
    wait = state.limiter.retry_after(_client(request))
    if wait is not None:
        return (f"Too many failed sign-ins. Wait {duration(wait)}, then try again.", 429)
    sent = _text(form, LOGIN_FIELD)
    expected = request.cookies.get(cookie_name(request, "login"), "")
    try:
        refuse_other_origins(request)
    except CsrfRefused:
        expected = ""
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        return ("This sign-in form expired. Reload the page and sign in again.", 403)
    return None


def _signed_in(request: Request, state: State, next_url: str) -> Response:
    """A new session (never an old one continued) and its cookie."""
    state.limiter.succeeded(_client(request))
    state.sessions.end(request.cookies.get(cookie_name(request, "session")))
    session = state.sessions.create(client=_client(request))
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(
        cookie_name(request, "session"),
        session.id,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(cookie_name(request, "login"), path="/login")
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _has_pw(state: DashboardState) -> bool:
    return state.settings.has_password


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _safe_next(target: str) -> str:
    """Only a path of this server: never another site (no open redirect)."""
    ok = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if ok else "/"
