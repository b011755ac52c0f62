"""The site's operation lock, held by one operation across all of its steps.

Under it, "take a restore point, then apply" is one step for every other
process: nobody creates, restores, deletes or prunes in between.  The lock
itself is the storage provider's (an OS file lock, a blob lease), which is not
re-entrant; this wrapper lets the thread that holds it take it again, so an
operation can call ``RestorePoints.create`` inside its own hold instead of
deadlocking on itself.  Other threads and processes wait as before.

Each hold names its operation (``create``, ``restore``...): the store records it
with this process's pid, host and the time, so a waiter can say whom it waits
for and a reader can tell a running restore from an interrupted one.  Whoever
shows messages (the CLI) sets ``on_wait`` to hear about a wait as it starts and
each time the holder changes.  A waiter gives up (``LockTimeoutError``, exit 7)
once one holder has kept the lock for ``DEFAULT_TIMEOUT`` seconds of its wait.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol

from publisher_restore.storage.base import LockHolder, LockWaitCallback

DEFAULT_TIMEOUT = 60.0


class AcquireLock(Protocol):
    """The store's lock (``RestorePointStore.lock``)."""

    def __call__(
        self,
        timeout: float = ...,
        *,
        holder: LockHolder | None = ...,
        on_wait: LockWaitCallback | None = ...,
    ) -> contextlib.AbstractContextManager[None]: ...


class SiteLock:
    """One site's lock; re-entrant for the thread holding it."""

    def __init__(self, acquire: AcquireLock, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._acquire = acquire
        self._timeout = timeout
        self._owner: int | None = None
        self._depth = 0
        self.on_wait: LockWaitCallback | None = None
        """Told who holds the lock while a hold waits for it (the CLI prints it)."""

    @property
    def held_here(self) -> bool:
        """True when the calling thread holds the lock."""
        return self._owner == threading.get_ident()

    @contextlib.contextmanager
    def hold(self, operation: str = "", timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for ``operation`` in the ``with`` block (at once if this thread
        already holds it)."""
        if self.held_here:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._acquire(
            self._timeout if timeout is None else timeout,
            holder=LockHolder.here(operation),
            on_wait=self.on_wait,
        ):
            self._owner, self._depth = threading.get_ident(), 1
            try:
                yield
            finally:
                self._owner, self._depth = None, 0
