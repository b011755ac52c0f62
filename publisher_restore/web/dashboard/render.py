"""Server-rendered pages: one Jinja2 environment over the package's templates (autoescaped)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from publisher_restore.analyser.wording import counted
from publisher_restore.version import __version__
from publisher_restore.web import formatting
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.security.sessions import Session

TEMPLATES = Environment(
    loader=PackageLoader("publisher_restore.web", "templates"),
    autoescape=select_autoescape(("html",)),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters.update(
    size=formatting.human_size,
    local_time=formatting.local_time,
    ago=formatting.ago,
    iso=formatting.iso,
    sentence=formatting.sentence,
    counted=counted,
)


def static_url(name: str) -> str:
    """A static file's URL, versioned so a new release is never served from a stale cache."""
    return f"/static/{name}?v={__version__}"


TEMPLATES.globals.update(static_url=static_url)


def _decisions_waiting(state: DashboardState) -> int:
    """The navigation's badge: decisions nobody has answered yet."""
    listing = state.runtime.pending().listing()
    return sum(entry.answer is None for entry in listing.waiting)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    session: Session | None = None,
    status: int = 200,
) -> HTMLResponse:
    """A page: the template with the site, the session's CSRF token and its messages."""
    state = dashboard_state(request)
    page = {
        "site_name": state.runtime.site_dir.resolve().name,
        "signed_in": session is not None,
        "decisions_waiting": _decisions_waiting(state) if session is not None else 0,
        "csrf_token": session.csrf_token if session else "",
        "flashes": session.take_flashes() if session else [],
        "path": request.url.path,
        **(context or {}),
    }
    html = TEMPLATES.get_template(template).render(page)
    return HTMLResponse(html, status_code=status)
