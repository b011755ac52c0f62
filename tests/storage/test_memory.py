"""The in-memory provider passes the shared conformance suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from publisher_restore.storage.base import StorageProvider
from publisher_restore.storage.memory import MemoryStorageProvider
from publisher_restore.testing.storage_conformance import StorageConformance


class TestMemoryStorage(StorageConformance):
    @pytest.fixture
    def provider(self) -> Iterator[StorageProvider]:
        yield MemoryStorageProvider()


def test_instances_do_not_share_objects() -> None:
    first, second = MemoryStorageProvider(), MemoryStorageProvider()
    first.put_bytes("a", b"1")
    assert second.stat("a") is None
