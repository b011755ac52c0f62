"""Every request to the publisher API is signed: check the headers, then the body as it comes.

The request target signed is the one on the wire: the ASGI server's ``raw_path`` plus
``?query_string``, nothing normalised.  A refusal (``RequestRefused``) is logged with the
client's address, the app id it claimed and the reason, and answered 401, 403 or 413 with
an ``ErrorResponse``; nothing is read further and nothing is changed.  The nonce is
remembered only once everything but the body passed (``RequestVerifier.verify_head``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import Request
from fastapi.responses import JSONResponse

from publisher_restore.operations.remote_protocol import ErrorResponse
from publisher_restore.publisher.auth import (
    Operation,
    RefusalReason,
    RequestRefused,
    RequestVerifier,
    VerifiedRequest,
)

log = logging.getLogger("publisher_restore.publisher_api")
JSON_BODY_LIMIT = 1024 * 1024
"""Answers, executes and export requests are small JSON documents."""


class SignedRequests:
    """The HMAC guard of one server (its clients, nonce store and body limit)."""

    def __init__(self, verifier: RequestVerifier) -> None:
        self.verifier = verifier

    def head(self, request: Request, operation: Operation | None) -> VerifiedRequest:
        """Check the signed headers (RequestRefused if anything is wrong)."""
        length = request.headers.get("content-length")
        declared = int(length) if length is not None and length.isdigit() else None
        if length is not None and declared is None:
            raise RequestRefused(RefusalReason.MALFORMED_HEADER, "Content-Length is not a number")
        return self.verifier.verify_head(
            request.method, target_of(request), request.headers.items(), operation, declared
        )

    async def small_body(self, request: Request, verified: VerifiedRequest) -> bytes:
        """The whole body (at most 1 MiB), once it matches its signed SHA-256."""
        check = self.verifier.body_check(verified)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > JSON_BODY_LIMIT:
                raise RequestRefused(
                    RefusalReason.BODY_TOO_LARGE,
                    f"a JSON body is at most {JSON_BODY_LIMIT} bytes",
                    verified.app_id,
                )
            check.update(chunk)
            chunks.append(chunk)
        check.finish()
        return b"".join(chunks)

    async def body_to_file(self, request: Request, verified: VerifiedRequest, dest: Path) -> None:
        """Stream the body into ``dest`` (removed again if the body is refused)."""
        check = self.verifier.body_check(verified)
        try:
            with dest.open("wb") as out:
                async for chunk in request.stream():
                    check.update(chunk)
                    out.write(chunk)
            check.finish()
        except BaseException:
            dest.unlink(missing_ok=True)
            raise


def target_of(request: Request) -> str:
    """The request target as sent: raw path, then ``?`` and the raw query when there is one."""
    raw = request.scope.get("raw_path") or request.url.path.encode("ascii")
    query = request.scope.get("query_string") or b""
    target = raw.decode("latin-1")
    return f"{target}?{query.decode('latin-1')}" if query else target


def refused(request: Request, refusal: RequestRefused) -> JSONResponse:
    """Log a refusal and answer it (401, 403 or 413)."""
    client = request.client.host if request.client else "unknown"
    log.warning(
        "refused %s %s from %s (app id %s): %s",
        request.method,
        request.url.path,
        client,
        refusal.app_id or "none",
        refusal,
    )
    body = ErrorResponse(error=str(refusal), exit_code=3, reason=refusal.reason.value)
    return JSONResponse(body.model_dump(), status_code=refusal.http_status)
