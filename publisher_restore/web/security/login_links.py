"""One-time sign-in links, for a server with no password configured (loopback only).

A link carries a random token; the server keeps only its SHA-256.  The token works
once, within ``LINK_MINUTES``; then it is gone, also when it was used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

LINK_MINUTES = 15

Clock = Callable[[], float]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


class LoginLinks:
    """Tokens not yet used, by digest, with their expiry."""

    def __init__(self, minutes: float = LINK_MINUTES, clock: Clock = time.monotonic) -> None:
        self.minutes = minutes
        self._clock = clock
        self._tokens: dict[bytes, float] = {}
        self._guard = threading.Lock()

    def issue(self) -> str:
        """A new token (print it once; it is not kept)."""
        token = secrets.token_urlsafe(32)
        with self._guard:
            self._tokens[_digest(token)] = self._clock() + self.minutes * 60
        return token

    def redeem(self, token: str) -> bool:
        """True once for a live token; it is spent whatever the answer."""
        wanted = _digest(token)
        now = self._clock()
        with self._guard:
            for digest, expires in list(self._tokens.items()):
                if hmac.compare_digest(digest, wanted):
                    del self._tokens[digest]
                    return now < expires
                if now >= expires:
                    del self._tokens[digest]
        return False
