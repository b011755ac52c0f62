"""The publisher API: ``build_router(runtime)`` -> the routes under ``/api/publisher``.

Modules: ``guard`` (the HMAC check of every request: headers, then the body as it
streams in; refusals logged and answered 401/403/413), ``router`` (the routes, pydantic
models from ``operations.remote_protocol``).  ``serve`` mounts the router in the
dashboard's app (``web.app.create_app(..., routers=[build_router(runtime)])``).
"""

from publisher_restore.web.publisher_api.router import build_router

__all__ = ["build_router"]
