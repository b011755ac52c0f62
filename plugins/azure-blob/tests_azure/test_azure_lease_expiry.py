"""Lease locks over time: renewed while held, expiring when the holder dies (15 s leases).

Both behaviours need a real lease duration to pass, so they are watched side by
side in one test (on two lock names) to wait that time only once.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
from azure.storage.blob import BlobLeaseClient

from publisher_restore.errors import LockTimeoutError, StorageError
from publisher_restore.storage.base import StorageProvider
from publisher_restore.testing.storage_lock_contract import (
    lock_held_in_subprocess,
    lock_held_in_thread,
)
from publisher_restore_azure.azurite import Azurite
from tests_azure.conftest import make_provider
from tests_azure.test_azure_conformance import rebuild_code

LEASE = 15  # the shortest lease Azure grants


def refused(provider: StorageProvider, name: str, timeout: float) -> bool:
    """True when ``name`` cannot be locked within ``timeout`` seconds."""
    try:
        with provider.lock(name, timeout=timeout):
            return False
    except LockTimeoutError:
        return True


def test_lease_renews_while_held_and_expires_when_its_holder_dies(
    azurite: Azurite, tmp_path: Path
) -> None:
    holder = make_provider(azurite, tmp_path, LeaseSeconds=LEASE)
    other = make_provider(azurite, tmp_path, ContainerName=holder.settings.container)
    with lock_held_in_thread(holder, "site"):
        held_since = time.monotonic()
        with lock_held_in_subprocess(rebuild_code(holder), "crashed") as child:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            killed = time.monotonic()
            assert refused(other, "crashed", 1), "a dead holder's lease must run out first"
            with other.lock("crashed", timeout=LEASE + 10):
                waited = time.monotonic() - killed
        assert LEASE - 3 < waited < LEASE + 5, f"admitted {waited:.1f} s after the kill"

        # The live holder has now held "site" longer than one lease: only renewals kept it.
        assert time.monotonic() - held_since > LEASE
        lease = holder.container.get_blob_client(".locks/site").get_blob_properties().lease
        assert lease.state == "leased"
        assert refused(other, "site", 0.5)
    started = time.monotonic()
    with other.lock("site", timeout=10):
        assert time.monotonic() - started < 3, "a released lease admits the next writer at once"


def test_lease_is_finite_and_released_after_the_block(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path, LeaseSeconds=LEASE)
    with provider.lock("site", timeout=5):
        lease = provider.container.get_blob_client(".locks/site").get_blob_properties().lease
        assert (lease.state, lease.duration) == ("leased", "fixed")
    lease = provider.container.get_blob_client(".locks/site").get_blob_properties().lease
    assert lease.state == "available", "the lease is released when the block ends"


def test_a_lost_lease_stops_the_work_it_guarded(azurite: Azurite, tmp_path: Path) -> None:
    """Another client breaks and takes the lease: the holder may write nothing more."""
    holder = make_provider(azurite, tmp_path, LeaseSeconds=LEASE)
    lock_blob = holder.container.get_blob_client(".locks/site")
    with pytest.raises(StorageError, match="was lost while held"), holder.lock("site"):
        holder.put_bytes("points/a/manifest.json", b"{}")
        renewers = [t for t in threading.enumerate() if t.name.startswith("lease-renewer")]
        thief = BlobLeaseClient(lock_blob)
        thief.break_lease(lease_break_period=0)
        thief.acquire(lease_duration=LEASE)
        # The next renewal (a third of a lease away) is refused: the renewer gives up and ends.
        for renewer in renewers:
            renewer.join(timeout=LEASE)
        assert renewers and not any(r.is_alive() for r in renewers), "renewal not refused"
        with pytest.raises(StorageError, match="was lost while held"):
            holder.put_bytes("points/b/manifest.json", b"{}")
    assert [o.name for o in holder.list("points/")] == ["points/a/manifest.json"]
