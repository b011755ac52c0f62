"""The dashboard: server-rendered pages for one site, behind a session and CSRF tokens.

``build_routers()`` returns the public sign-in routes and the dashboard's router; the
latter carries ``require_session`` and ``require_csrf`` as router dependencies, so every
route added to it is protected by construction (and nothing mounted beside it is).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from publisher_restore.web.dashboard import (
    auth,
    decisions,
    history,
    jobs_routes,
    packs,
    points,
    restoring,
    undoing,
)

PAGES = (
    points.router,
    restoring.router,
    history.router,
    undoing.router,
    decisions.router,
    packs.router,
    jobs_routes.router,
    auth.session_routes,
)


def build_routers() -> tuple[APIRouter, APIRouter]:
    """(public sign-in routes, session-protected dashboard routes)."""
    protected = APIRouter(dependencies=[Depends(auth.require_csrf)])
    for module_router in PAGES:
        protected.include_router(module_router)
    return auth.public, protected
