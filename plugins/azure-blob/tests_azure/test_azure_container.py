"""A container deleted between operations: the failed write says so, the next one recreates it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from publisher_restore.errors import StorageError
from publisher_restore_azure.azurite import Azurite
from tests_azure.conftest import make_provider


def test_write_after_the_container_was_deleted_fails_then_the_next_recreates_it(
    azurite: Azurite, tmp_path: Path
) -> None:
    provider = make_provider(azurite, tmp_path)
    provider.put_bytes("points/a/manifest.json", b"{}")
    provider.container.delete_container()
    with pytest.raises(StorageError, match="ContainerNotFound"):
        provider.put_bytes("points/b/manifest.json", b"{}")
    provider.put_bytes("points/b/manifest.json", b"{}")
    assert [info.name for info in provider.list()] == ["points/b/manifest.json"]


def test_lock_after_the_container_was_deleted_fails_then_the_next_recreates_it(
    azurite: Azurite, tmp_path: Path
) -> None:
    provider = make_provider(azurite, tmp_path)
    with provider.lock("site"):
        pass
    provider.container.delete_container()
    with pytest.raises(StorageError, match="ContainerNotFound"), provider.lock("site", timeout=2):
        pass
    with provider.lock("site", timeout=2):
        source = tmp_path / "archive.bin"
        source.write_bytes(b"archive")
        provider.put_file("points/c/archive.tar.zst", source)
    assert provider.stat("points/c/archive.tar.zst") is not None


def _renewers() -> list[str]:
    return [thread.name for thread in threading.enumerate() if "lease-renewer" in thread.name]


def test_no_lease_renewer_outlives_its_lock(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path, LeaseSeconds=15)
    with provider.lock("site"):
        assert len(_renewers()) == 1
    assert _renewers() == []
    with pytest.raises(RuntimeError, match="work failed"), provider.lock("site"):
        raise RuntimeError("work failed")
    assert _renewers() == []
