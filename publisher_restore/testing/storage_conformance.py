"""The storage conformance suite every provider must pass (after restic's backend tests).

Use it from any provider's test module, in this repository or in a plugin
distribution (it ships inside the package so ``plugins/azure-blob`` imports it
the same way whether the core is checked out or installed)::

    from publisher_restore.testing.storage_conformance import SharedStorageConformance

    class TestMyStorage(SharedStorageConformance):
        @pytest.fixture
        def provider(self, tmp_path: Path) -> Iterator[StorageProvider]:
            yield MyStorageProvider(...)            # an empty store per test

        def subprocess_setup_code(self, provider: StorageProvider) -> str:
            return "from my_pkg import MyStorageProvider\\nprovider = MyStorageProvider(...)"

Providers whose store is shared between processes (local, Azure) use
``SharedStorageConformance``: ``subprocess_setup_code`` returns Python that
builds, in a fresh interpreter, a provider on the same store as ``provider``
(bound to the name ``provider``) for the cross-process lock test.  A provider
that lives in one process (memory) uses ``StorageConformance``.

The contract tests live in mixins, one per concern: ``storage_object_contract``
(writes, reads, listing, names; ranged reads, batched writes, adopted files) and
``storage_lock_contract`` (locks, and who holds them).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from publisher_restore.storage.base import StorageProvider
from publisher_restore.testing.storage_lock_contract import (
    CrossProcessLockContract,
    LockContract,
    LockHolderContract,
)
from publisher_restore.testing.storage_object_contract import (
    ObjectContract,
    RangeBatchAdoptContract,
)

__all__ = ["SharedStorageConformance", "StorageConformance"]


class StorageConformance(ObjectContract, RangeBatchAdoptContract, LockContract, LockHolderContract):
    """Subclass as ``Test<Provider>`` and override the ``provider`` fixture."""

    @pytest.fixture
    def provider(self) -> Iterator[StorageProvider]:
        """An empty store, new for each test; every provider's test class overrides this."""
        pytest.fail(f"{type(self).__name__} must override the 'provider' fixture")
        yield  # pragma: no cover - makes this a generator fixture like the overrides


class SharedStorageConformance(StorageConformance, CrossProcessLockContract):
    """For stores shared between processes; also override ``subprocess_setup_code``."""
