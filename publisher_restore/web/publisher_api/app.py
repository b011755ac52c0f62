"""A minimal ASGI app serving only the publisher API, for ``serve``.

When the dashboard's app factory (``web/app.py``, issue 9) is merged, ``serve`` builds
that app instead and passes ``routers=[build_router(runtime)]``; this module then goes.
"""

from __future__ import annotations

from fastapi import FastAPI

from publisher_restore.runtime import Runtime
from publisher_restore.web.publisher_api.router import Clock, build_router


def create_publisher_app(runtime: Runtime, *, clock: Clock | None = None) -> FastAPI:
    """The publisher API of one site, and nothing else."""
    app = FastAPI(
        title="publisher-restore publisher API", docs_url=None, redoc_url=None, openapi_url=None
    )
    app.include_router(build_router(runtime, clock=clock))
    return app
