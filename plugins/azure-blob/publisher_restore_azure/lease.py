"""Exclusive locks as blob leases that renew while held and expire when their holder dies.

A lock is an empty blob (created on first use) leased for ``lease_seconds``.
A background thread renews the lease every third of that, so a long create
keeps it; if the process dies the renewals stop and Azure lets the lease
expire, so a crash never leaves a stale lock.  Waiters poll with backoff.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

from azure.core.exceptions import AzureError, HttpResponseError, ResourceNotFoundError
from azure.storage.blob import BlobClient, BlobLeaseClient

from publisher_restore.errors import LockTimeoutError, StorageError

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
) -> Iterator[LeaseWatch]:
    """Hold a lease on ``blob`` for the ``with`` block; ``LockTimeoutError`` after ``timeout``.

    The block gets a ``LeaseWatch`` to ask whether the lease is still held.  A lease lost
    while held (renewals failed until it expired and another holder took it) raises
    ``StorageError`` when the block ends, so the work it guarded is never taken as safe.
    """
    lease = _acquire(blob, label, timeout, lease_seconds, before_create)
    renewer = _Renewer(lease, label, interval=lease_seconds / 3)
    renewer.start()
    watch = LeaseWatch(renewer)
    try:
        yield watch
        watch.check()
    finally:
        renewer.stop()
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


def _acquire(
    blob: BlobClient,
    label: str,
    timeout: float,
    lease_seconds: int,
    before_create: Callable[[], None],
) -> BlobLeaseClient:
    deadline = time.monotonic() + max(timeout, 0.0)
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
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LockTimeoutError(
                f"{label} is held by another process or thread (a blob lease); "
                f"gave up after {timeout:g} s"
            )
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
