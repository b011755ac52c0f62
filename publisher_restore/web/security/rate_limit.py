"""Failed sign-ins are limited per client and for the whole server.

Defaults: 5 failures per client and 20 in all within 5 minutes.  While a limit is
reached every sign-in is refused without looking at the password (HTTP 429 with
``Retry-After``), the right one too; a success clears that client's failures.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

PER_CLIENT = 5
OVERALL = 20
WINDOW_SECONDS = 300.0

Clock = Callable[[], float]


class LoginRateLimiter:
    """Sliding windows of failed sign-in attempts."""

    def __init__(
        self,
        per_client: int = PER_CLIENT,
        overall: int = OVERALL,
        window_seconds: float = WINDOW_SECONDS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window_seconds = window_seconds
        self._clock = clock
        self._by_client: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._guard = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds until ``client`` may try again, or None when it may try now."""
        now = self._clock()
        with self._guard:
            self._forget_old(now)
            waits = [
                self._wait(failures, limit, now)
                for failures, limit in (
                    (self._by_client.get(client, deque()), self.per_client),
                    (self._all, self.overall),
                )
            ]
        blocked = [wait for wait in waits if wait is not None]
        return max(blocked) if blocked else None

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._guard:
            self._by_client.setdefault(client, deque()).append(now)
            self._all.append(now)

    def succeeded(self, client: str) -> None:
        with self._guard:
            self._by_client.pop(client, None)

    def _wait(self, failures: deque[float], limit: int, now: float) -> int | None:
        if len(failures) < limit:
            return None
        return max(1, math.ceil(failures[-limit] + self.window_seconds - now))

    def _forget_old(self, now: float) -> None:
        horizon = now - self.window_seconds
        for failures in (*self._by_client.values(), self._all):
            while failures and failures[0] <= horizon:
                failures.popleft()
        for client in [c for c, failures in self._by_client.items() if not failures]:
            del self._by_client[client]
