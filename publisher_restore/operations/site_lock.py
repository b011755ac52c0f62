"""The site's operation lock, held by one operation across all of its steps.

Under it, "take a restore point, then apply" is one step for every other
process: nobody creates, restores, deletes or prunes in between.  The lock
itself is the storage provider's (an OS file lock, a blob lease), which is not
re-entrant; this wrapper lets the thread that holds it take it again, so an
operation can call ``RestorePoints.create`` inside its own hold instead of
deadlocking on itself.  Other threads and processes wait as before.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

DEFAULT_TIMEOUT = 60.0

AcquireLock = Callable[[float], contextlib.AbstractContextManager[None]]


class SiteLock:
    """One site's lock; re-entrant for the thread holding it."""

    def __init__(self, acquire: AcquireLock, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._acquire = acquire
        self._timeout = timeout
        self._owner: int | None = None
        self._depth = 0

    @property
    def held_here(self) -> bool:
        """True when the calling thread holds the lock."""
        return self._owner == threading.get_ident()

    @contextlib.contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for the ``with`` block (at once if this thread already holds it)."""
        if self.held_here:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._acquire(self._timeout if timeout is None else timeout):
            self._owner, self._depth = threading.get_ident(), 1
            try:
                yield
            finally:
                self._owner, self._depth = None, 0
