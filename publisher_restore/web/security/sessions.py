"""Server-side sessions: the cookie holds a random id, everything else stays in this process.

A session ends after ``idle`` without a request, after ``lifetime`` in any case, or
when its person signs out; restarting the server ends every session.  Each carries
its own CSRF token, the address it signed in from (what the dashboard records as who
did something) and the one-line messages to show on the next page.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
LIFETIME_SECONDS = 12 * 3600
MAX_SESSIONS = 1000


@dataclass
class Flash:
    """A one-line message for the next page: ``ok`` or ``error``."""

    kind: str
    text: str


@dataclass
class Session:
    """One signed-in browser."""

    id: str
    csrf_token: str
    created: float
    last_seen: float
    flashes: list[Flash] = field(default_factory=list)
    client: str = ""
    """The address it signed in from (the socket's peer)."""

    @property
    def who(self) -> str:
        """Who did something in this session, as restore points and history record it."""
        return f"dashboard (signed in from {self.client or 'an unknown address'})"

    def flash(self, text: str, kind: str = "ok") -> None:
        self.flashes.append(Flash(kind, text))

    def take_flashes(self) -> list[Flash]:
        taken, self.flashes = self.flashes, []
        return taken


class SessionStore:
    """Live sessions by id, expiring on idle time and on lifetime."""

    def __init__(
        self,
        idle_seconds: float,
        lifetime_seconds: float = LIFETIME_SECONDS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.lifetime_seconds = lifetime_seconds
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._guard = threading.Lock()

    def create(self, client: str = "") -> Session:
        """A new session with fresh random id and CSRF token, signed in from ``client``."""
        now = self._clock()
        session = Session(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), now, now, client=client
        )
        with self._guard:
            self._drop_expired(now)
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions.values(), key=lambda s: s.last_seen)
                del self._sessions[oldest.id]
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id (its idle time starts again), else None."""
        if not session_id:
            return None
        now = self._clock()
        with self._guard:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def end(self, session_id: str | None) -> None:
        """Sign out: the id is forgotten at once."""
        with self._guard:
            self._sessions.pop(session_id or "", None)

    def _expired(self, session: Session, now: float) -> bool:
        idle = now - session.last_seen > self.idle_seconds
        return idle or now - session.created > self.lifetime_seconds

    def _drop_expired(self, now: float) -> None:
        for session_id in [s.id for s in self._sessions.values() if self._expired(s, now)]:
            del self._sessions[session_id]
