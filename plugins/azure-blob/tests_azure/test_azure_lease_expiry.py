"""Lease locks over time: renewed while held, expiring when the holder dies (15 s leases).

These wait out real lease durations, so they live in their own module.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from publisher_restore.errors import LockTimeoutError
from publisher_restore.testing.storage_lock_contract import lock_held_in_subprocess
from publisher_restore_azure.azurite import Azurite
from tests_azure.conftest import make_provider
from tests_azure.test_azure_conformance import rebuild_code

LEASE = 15  # the shortest lease Azure grants


def test_lease_is_renewed_while_the_work_runs(azurite: Azurite, tmp_path: Path) -> None:
    holder = make_provider(azurite, tmp_path, LeaseSeconds=LEASE)
    other = make_provider(azurite, tmp_path, ContainerName=holder.settings.container)
    acquired, release = threading.Event(), threading.Event()

    def long_work() -> None:
        with holder.lock("site", timeout=5):
            acquired.set()
            release.wait(60)

    worker = threading.Thread(target=long_work)
    worker.start()
    try:
        assert acquired.wait(10)
        time.sleep(LEASE + 2)  # longer than one lease: only renewals keep it
        lease = holder.container.get_blob_client(".locks/site").get_blob_properties().lease
        assert lease.state == "leased"
        with pytest.raises(LockTimeoutError, match="site"), other.lock("site", timeout=0.5):
            pytest.fail("a second writer got a lock that is held")
    finally:
        release.set()
        worker.join(30)
    started = time.monotonic()
    with other.lock("site", timeout=10):
        assert time.monotonic() - started < 3, "a released lease admits the next writer at once"


def test_lease_of_a_killed_holder_expires_by_itself(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path, LeaseSeconds=LEASE)
    with lock_held_in_subprocess(rebuild_code(provider), "site") as child:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        killed = time.monotonic()
        with pytest.raises(LockTimeoutError), provider.lock("site", timeout=1):
            pytest.fail("the dead holder's lease vanished at once; it must run out first")
        with provider.lock("site", timeout=LEASE + 10):
            waited = time.monotonic() - killed
    assert LEASE - 3 < waited < LEASE + 5, f"admitted {waited:.1f} s after the kill"
