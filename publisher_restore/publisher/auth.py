"""Signed requests between a source and a target's publisher API (HMAC-SHA256).

The client signs, with its AppKey (UTF-8 bytes) as the HMAC key, the canonical request::

    PUBLISHER-HMAC-SHA256\\n<METHOD>\\n<target>\\n<timestamp>\\n<nonce>\\n<app id>\\n<body sha256>

``target`` is the request target exactly as sent: the raw, still percent-encoded path plus
``?query`` when there is one (an ASGI server rebuilds it from ``raw_path`` and
``query_string``; nothing is normalised).  ``timestamp`` is Unix seconds, ``nonce`` 16 to
128 characters of ``[A-Za-z0-9_-]``, the body hash lower-case hex (the hash of no bytes
for an empty body).  The five ``X-Publisher-*`` headers carry them and the hex signature.

Verification checks, in this order, so an unauthenticated caller learns nothing beyond
"401": headers present and well-formed, app id known, timestamp within ±5 minutes,
signature (constant-time compare), operation allowed (403), declared body size (413), and
the nonce unseen (remembered only now, so unsigned requests cannot fill the store).  The
body is checked as it streams in: over the size limit (413) or not matching the signed
hash (401).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from pydantic import SecretStr

from publisher_restore.errors import PublisherRestoreError
from publisher_restore.publisher.nonces import NonceStore

SCHEME = "PUBLISHER-HMAC-SHA256"
HEADER_APP_ID = "X-Publisher-App-Id"
HEADER_TIMESTAMP = "X-Publisher-Timestamp"
HEADER_NONCE = "X-Publisher-Nonce"
HEADER_CONTENT_SHA256 = "X-Publisher-Content-SHA256"
HEADER_SIGNATURE = "X-Publisher-Signature"
SIGNED_HEADERS = (
    HEADER_APP_ID,
    HEADER_TIMESTAMP,
    HEADER_NONCE,
    HEADER_CONTENT_SHA256,
    HEADER_SIGNATURE,
)
MAX_CLOCK_SKEW_SECONDS = 300
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()

APP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_METHOD = re.compile(r"^[A-Z]{1,16}$")
_TARGET = re.compile(r"^/[\x21-\x7e]*$")


class Operation(StrEnum):
    """What a client may ask of a target (``Clients:APPID:Allow``)."""

    PUSH = "Push"
    PULL = "Pull"


class RefusalReason(StrEnum):
    """Why a request was refused; ``http_status`` is the answer the server gives."""

    MISSING_HEADER = "missing-header"
    MALFORMED_HEADER = "malformed-header"
    UNKNOWN_APP = "unknown-app"
    STALE_TIMESTAMP = "stale-timestamp"
    BAD_SIGNATURE = "bad-signature"
    OPERATION_NOT_ALLOWED = "operation-not-allowed"
    BODY_TOO_LARGE = "body-too-large"
    REPLAYED_NONCE = "replayed-nonce"
    BODY_HASH_MISMATCH = "body-hash-mismatch"

    @property
    def http_status(self) -> int:
        """401 for anything about who is asking, 403 for what they ask, 413 for size."""
        if self is RefusalReason.OPERATION_NOT_ALLOWED:
            return 403
        if self is RefusalReason.BODY_TOO_LARGE:
            return 413
        return 401


class RequestRefused(PublisherRestoreError):
    """A request failed verification; the message names the reason, never a key."""

    def __init__(self, reason: RefusalReason, message: str, app_id: str | None = None) -> None:
        super().__init__(f"request refused ({reason.value}): {message}")
        self.reason = reason
        self.app_id = app_id

    @property
    def http_status(self) -> int:
        return self.reason.http_status


class ClientCredentials(Protocol):
    """What verification needs of a configured client (``settings.ClientSettings``)."""

    @property
    def app_id(self) -> str: ...
    @property
    def app_key(self) -> SecretStr: ...
    @property
    def allow(self) -> frozenset[Operation]: ...


@dataclass(frozen=True)
class VerifiedRequest:
    """A request whose headers passed: who sent it, for what, and the body hash it signed."""

    app_id: str
    operation: Operation | None
    timestamp: int
    nonce: str
    body_sha256: str


def canonical_request(
    method: str, target: str, timestamp: str, nonce: str, app_id: str, body_sha256: str
) -> bytes:
    """The bytes both sides sign (see the module docstring)."""
    return "\n".join((SCHEME, method, target, timestamp, nonce, app_id, body_sha256)).encode()


def compute_signature(app_key: str, canonical: bytes) -> str:
    """Hex HMAC-SHA256 of ``canonical`` with the AppKey's UTF-8 bytes."""
    return hmac.new(app_key.encode("utf-8"), canonical, hashlib.sha256).hexdigest()


def request_target(url: str) -> str:
    """The target to sign for a URL: its path (``/`` when empty) and ``?query`` as written."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def sign_request(
    method: str,
    target: str,
    body: bytes = b"",
    *,
    app_id: str,
    app_key: SecretStr | str,
    body_sha256: str | None = None,
    now: float | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The ``X-Publisher-*`` headers for one request (pass ``body_sha256`` for a streamed body)."""
    key = app_key.get_secret_value() if isinstance(app_key, SecretStr) else app_key
    digest = body_sha256 or hashlib.sha256(body).hexdigest()
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_urlsafe(24)
    canonical = canonical_request(method.upper(), target, timestamp, nonce, app_id, digest)
    return {
        HEADER_APP_ID: app_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_CONTENT_SHA256: digest,
        HEADER_SIGNATURE: compute_signature(key, canonical),
    }


class RequestVerifier:
    """Checks signed requests against the configured clients; one per server."""

    def __init__(
        self,
        clients: Mapping[str, ClientCredentials],
        nonces: NonceStore,
        *,
        max_body_bytes: int,
        max_skew_seconds: int = MAX_CLOCK_SKEW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._clients = {app_id.casefold(): client for app_id, client in clients.items()}
        self._nonces = nonces
        self.max_body_bytes = max_body_bytes
        self._max_skew = max_skew_seconds
        self._clock = clock

    def verify_head(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        operation: Operation | None,
        content_length: int | None = None,
    ) -> VerifiedRequest:
        """Check everything but the body; the nonce is remembered when all else passed."""
        values = _signed_headers(headers)
        app_id = values[HEADER_APP_ID]
        client = self._clients.get(app_id.casefold())
        if client is None:
            raise RequestRefused(RefusalReason.UNKNOWN_APP, f"no client {app_id!r}", app_id)
        now = self._clock()
        timestamp = int(values[HEADER_TIMESTAMP])
        if abs(now - timestamp) > self._max_skew:
            raise RequestRefused(
                RefusalReason.STALE_TIMESTAMP,
                f"timestamp is {int(now - timestamp)} s from the server's clock "
                f"(at most {self._max_skew} s allowed)",
                app_id,
            )
        self._check_signature(method, target, values, client, app_id)
        if operation is not None and operation not in client.allow:
            raise RequestRefused(
                RefusalReason.OPERATION_NOT_ALLOWED,
                f"client {app_id!r} may not {operation.value}",
                app_id,
            )
        if content_length is not None and content_length > self.max_body_bytes:
            raise self._too_large(content_length, app_id)
        if not self._nonces.remember(client.app_id, values[HEADER_NONCE], timestamp, now):
            raise RequestRefused(RefusalReason.REPLAYED_NONCE, "nonce was used before", app_id)
        return VerifiedRequest(
            app_id=client.app_id,
            operation=operation,
            timestamp=timestamp,
            nonce=values[HEADER_NONCE],
            body_sha256=values[HEADER_CONTENT_SHA256],
        )

    def body_check(self, verified: VerifiedRequest) -> BodyCheck:
        """A checker to feed the body through as it arrives."""
        return BodyCheck(verified, self.max_body_bytes)

    def verify(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: bytes,
        operation: Operation | None,
    ) -> VerifiedRequest:
        """Headers, then a body held in memory (small requests)."""
        verified = self.verify_head(method, target, headers, operation, len(body))
        check = self.body_check(verified)
        check.update(body)
        check.finish()
        return verified

    def _check_signature(
        self,
        method: str,
        target: str,
        values: dict[str, str],
        client: ClientCredentials,
        app_id: str,
    ) -> None:
        if not _METHOD.fullmatch(method) or not _TARGET.fullmatch(target):
            raise RequestRefused(RefusalReason.MALFORMED_HEADER, "bad method or target", app_id)
        canonical = canonical_request(
            method,
            target,
            values[HEADER_TIMESTAMP],
            values[HEADER_NONCE],
            app_id,
            values[HEADER_CONTENT_SHA256],
        )
        expected = compute_signature(client.app_key.get_secret_value(), canonical)
        if not hmac.compare_digest(expected, values[HEADER_SIGNATURE]):
            raise RequestRefused(RefusalReason.BAD_SIGNATURE, "signature does not match", app_id)

    def _too_large(self, size: int, app_id: str) -> RequestRefused:
        return RequestRefused(
            RefusalReason.BODY_TOO_LARGE,
            f"body of {size} bytes is over the {self.max_body_bytes}-byte limit (MaxBodyMiB)",
            app_id,
        )


class BodyCheck:
    """Counts and hashes a body as it streams in; refuses it once it is too large or altered."""

    def __init__(self, verified: VerifiedRequest, max_body_bytes: int) -> None:
        self._verified = verified
        self._max = max_body_bytes
        self._digest = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        """Add the next chunk; RequestRefused (413) as soon as the limit is passed."""
        self.size += len(chunk)
        if self.size > self._max:
            raise RequestRefused(
                RefusalReason.BODY_TOO_LARGE,
                f"body is over the {self._max}-byte limit (MaxBodyMiB)",
                self._verified.app_id,
            )
        self._digest.update(chunk)

    def finish(self) -> str:
        """The body's hex SHA-256, once it equals the signed one (else RequestRefused)."""
        actual = self._digest.hexdigest()
        if not hmac.compare_digest(actual, self._verified.body_sha256):
            raise RequestRefused(
                RefusalReason.BODY_HASH_MISMATCH,
                "body does not match its signed SHA-256",
                self._verified.app_id,
            )
        return actual


def _signed_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """The five signed headers, looked up ignoring case; each present once and well-formed."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    wanted = {name.lower(): name for name in SIGNED_HEADERS}
    found: dict[str, str] = {}
    for name, value in pairs:
        canonical_name = wanted.get(name.lower())
        if canonical_name is None:
            continue
        if canonical_name in found:
            raise RequestRefused(RefusalReason.MALFORMED_HEADER, f"{canonical_name} sent twice")
        found[canonical_name] = value.strip()
    missing = [name for name in SIGNED_HEADERS if not found.get(name)]
    if missing:
        raise RequestRefused(RefusalReason.MISSING_HEADER, f"missing {', '.join(missing)}")
    _require(found, HEADER_APP_ID, APP_ID)
    _require(found, HEADER_TIMESTAMP, _TIMESTAMP)
    _require(found, HEADER_NONCE, _NONCE)
    _require(found, HEADER_CONTENT_SHA256, _HEX_SHA256)
    _require(found, HEADER_SIGNATURE, _HEX_SHA256)
    return found


def _require(found: dict[str, str], name: str, pattern: re.Pattern[str]) -> None:
    if not pattern.fullmatch(found[name]):
        raise RequestRefused(RefusalReason.MALFORMED_HEADER, f"{name} is not well-formed")
