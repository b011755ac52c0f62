"""Exclusive locks as blob leases that renew while held and expire when their holder dies.

A lock is an empty blob (created on first use) leased for ``lease_seconds``.
A background thread renews the lease every third of that, so a long create
keeps it; if the process dies the renewals stop and Azure lets the lease
expire, so a crash never leaves a stale lock.  Waiters poll with backoff.

The holder writes who it is (pid, host, operation, start) into the lock blob's
metadata under its lease and clears it on release; a waiter reads it while the
blob is leased, says whom it waits for, and restarts its clock when the holder
changes.  This is best effort: a holder that died leaves its metadata, which a
waiter shows until the next holder replaces it (a lease's id is not visible to
others, so the two cannot be told apart).  Leases keep no queue: waiters are not
served in arrival order.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from azure.core.exceptions import AzureError, HttpResponseError, ResourceNotFoundError
from azure.storage.blob import BlobClient, BlobLeaseClient

from publisher_restore.errors import LockTimeoutError, StorageError
from publisher_restore.storage.base import LockHolder, LockWait, LockWaitCallback

LOG = logging.getLogger(__name__)
FIRST_POLL = 0.05
MAX_POLL = 1.0
_HELD = {"LeaseAlreadyPresent"}
_LOCK_BLOB_BUSY = {"BlobAlreadyExists", "LeaseIdMissing", "ConditionNotMet"}


@contextlib.contextmanager
def hold_lease(
    blob: BlobClient,
    *,
    label: str,
    timeout: float,
    lease_seconds: int,
    before_create: Callable[[], None] = lambda: None,
    holder: LockHolder | None = None,
    on_wait: LockWaitCallback | None = None,
) -> Iterator[LeaseWatch]:
    """Hold a lease on ``blob`` for the ``with`` block; ``LockTimeoutError`` after ``timeout``.

    The block gets a ``LeaseWatch`` to ask whether the lease is still held.  A lease lost
    while held (renewals failed until it expired and another holder took it) raises
    ``StorageError`` when the block ends, so the work it guarded is never taken as safe.
    """
    waiting = _Waiting(blob, label, timeout, on_wait)
    lease = _acquire(blob, waiting, lease_seconds, before_create)
    _announce(blob, lease, holder or LockHolder.here(""), label)
    renewer = _Renewer(lease, label, interval=lease_seconds / 3)
    renewer.start()
    watch = LeaseWatch(renewer)
    try:
        yield watch
        watch.check()
    finally:
        renewer.stop()
        _announce(blob, lease, None, label)
        try:
            lease.release()
        except AzureError as error:
            # Harmless: the lease expires by itself within lease_seconds.
            LOG.warning("could not release %s (%s); it expires by itself", label, error.__class__)


class LeaseWatch:
    """Tells the lock's holder whether its lease is still its own."""

    def __init__(self, renewer: _Renewer) -> None:
        self._renewer = renewer

    def check(self) -> None:
        """Raise ``StorageError`` once the lease has been lost."""
        if self._renewer.lost:
            raise StorageError(
                f"{self._renewer.label} was lost while held (its renewals failed and it "
                "expired); another process may have taken it, so this operation was stopped"
            )


def lease_holder(blob: BlobClient) -> LockHolder | None:
    """Who holds the lease on ``blob`` now (as its metadata says), or None when it is free."""
    try:
        properties = blob.get_blob_properties()
    except ResourceNotFoundError:
        return None
    if properties.lease.state != "leased":
        return None
    return holder_from_metadata(properties.metadata or {})


def holder_metadata(holder: LockHolder | None) -> dict[str, str]:
    """A holder as blob metadata (names must be C# identifiers; values plain ASCII)."""
    if holder is None:
        return {}
    fields = {
        "pid": "" if holder.pid is None else str(holder.pid),
        "host": holder.host.encode("ascii", "replace").decode(),
        "operation": holder.operation,
        "started": "" if holder.started is None else holder.started.isoformat(),
    }
    return {name: value for name, value in fields.items() if value}


def holder_from_metadata(metadata: dict[str, str]) -> LockHolder:
    """The holder a lease's metadata names; an empty one while it has not said."""
    try:
        pid = int(metadata["pid"]) if metadata.get("pid") else None
        started = datetime.fromisoformat(metadata["started"]) if metadata.get("started") else None
    except ValueError:
        return LockHolder()
    return LockHolder(
        pid=pid,
        host=metadata.get("host", ""),
        operation=metadata.get("operation", ""),
        started=started,
    )


def _announce(
    blob: BlobClient, lease: BlobLeaseClient, holder: LockHolder | None, label: str
) -> None:
    """Write (or, with None, clear) the holder in the lock blob's metadata; best effort."""
    try:
        blob.set_blob_metadata(holder_metadata(holder), lease=lease)
    except AzureError as error:
        LOG.warning("could not record the holder of %s (%s)", label, type(error).__name__)


class _Waiting:
    """One waiter's clock, restarted when the holder changes, and what it has said."""

    def __init__(
        self, blob: BlobClient, label: str, timeout: float, on_wait: LockWaitCallback | None
    ) -> None:
        self.blob = blob
        self.label = label
        self.timeout = max(timeout, 0.0)
        self.on_wait = on_wait
        self.deadline = time.monotonic() + self.timeout
        self.holder: LockHolder | None = None
        self.told = False

    def tick(self) -> float:
        """Note the holder; ``LockTimeoutError`` once one kept it too long; else the time left."""
        try:
            holder = lease_holder(self.blob)
        except AzureError:
            holder = None  # the poll itself will say what is wrong
        if holder is not None and holder != LockHolder() and holder != self.holder:
            if self.holder is not None:
                self.deadline = time.monotonic() + self.timeout
            self.holder = holder
            self._tell()
        elif not self.told:
            self._tell()
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            who = self.holder.describe() if self.holder else "another process or thread"
            raise LockTimeoutError(
                f"{self.label} is held by {who} (a blob lease); gave up after {self.timeout:g} s"
            )
        return remaining

    def _tell(self) -> None:
        self.told = True
        if self.on_wait is not None and self.timeout > 0:
            self.on_wait(LockWait(holder=self.holder, timeout=self.timeout))


def _acquire(
    blob: BlobClient,
    waiting: _Waiting,
    lease_seconds: int,
    before_create: Callable[[], None],
) -> BlobLeaseClient:
    poll = FIRST_POLL
    while True:
        try:
            return blob.acquire_lease(lease_duration=lease_seconds)
        except ResourceNotFoundError:
            before_create()
            _create_lock_blob(blob)
            continue
        except HttpResponseError as error:
            if getattr(error, "error_code", None) not in _HELD:
                raise
        remaining = waiting.tick()
        time.sleep(min(poll, remaining))
        poll = min(poll * 2, MAX_POLL)


def _create_lock_blob(blob: BlobClient) -> None:
    try:
        blob.upload_blob(b"", overwrite=False)
    except HttpResponseError as error:
        # Another process created (and maybe leased) it first: fine, we only need it to exist.
        if getattr(error, "error_code", None) not in _LOCK_BLOB_BUSY and error.status_code != 409:
            raise


class _Renewer(threading.Thread):
    """Renews a lease until stopped; failures are logged, the lease then expires by itself."""

    def __init__(self, lease: BlobLeaseClient, label: str, *, interval: float) -> None:
        super().__init__(name=f"lease-renewer {label}", daemon=True)
        self.lease = lease
        self.label = label
        self.interval = interval
        self._stop_event = threading.Event()
        self.lost = False

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                self.lease.renew()
            except AzureError as error:
                self.lost = _is_lost(error)
                LOG.warning("could not renew %s (%s)", self.label, type(error).__name__)
                if self.lost:
                    return

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _is_lost(error: AzureError) -> bool:
    """True when Azure says the lease is gone (expired and taken), not a passing failure."""
    return isinstance(error, HttpResponseError) and error.status_code in (409, 412)
