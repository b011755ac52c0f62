"""Security headers on every response: a strict CSP, no framing, no sniffing, no leaks.

The Content-Security-Policy allows scripts and styles from this server's own files
only (no inline script, style or ``style=`` attribute: ``unsafe-inline`` is never
set), so an injected tag runs nothing.  The referrer policy is ``same-origin``: no
address leaves for another site, and form posts keep their ``Origin`` header (under
``no-referrer`` browsers send ``Origin: null``, which the CSRF origin check refuses).
Pages are not cached (they show a site's state and carry CSRF tokens); static files are.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
STATIC_PREFIX = "/static/"


class SecurityHeaders:
    """ASGI middleware adding ``HEADERS`` (and ``no-store`` outside ``/static/``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cached = str(scope.get("path", "")).startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in {h for h, _v in HEADERS}
                ]
                headers += HEADERS
                if not cached:
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
