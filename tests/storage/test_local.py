"""The local-folder provider: the conformance suite plus what only a disk can show."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher_restore.errors import LockTimeoutError, StorageError
from publisher_restore.storage.base import LockHolder, ObjectInfo, StorageProvider
from publisher_restore.storage.local import LocalStorageProvider
from publisher_restore.testing.storage_conformance import SharedStorageConformance
from publisher_restore.testing.storage_lock_contract import lock_held_in_subprocess


def setup_code(root: Path) -> str:
    """Python that opens the same folder in another process."""
    return (
        "from pathlib import Path\n"
        "from publisher_restore.storage.local import LocalStorageProvider\n"
        f"provider = LocalStorageProvider(Path({str(root)!r}))\n"
    )


class TestLocalStorage(SharedStorageConformance):
    @pytest.fixture
    def provider(self, tmp_path: Path) -> Iterator[StorageProvider]:
        yield LocalStorageProvider(tmp_path / "site" / "uSync" / "restore")

    def subprocess_setup_code(self, provider: StorageProvider) -> str:
        assert isinstance(provider, LocalStorageProvider)
        return setup_code(provider.root)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "restore"


def test_lock_dropped_when_holder_is_killed(root: Path) -> None:
    provider = LocalStorageProvider(root)
    with lock_held_in_subprocess(setup_code(root), "store") as child:
        with (
            pytest.raises(LockTimeoutError, match=f"pid {child.pid} on "),
            provider.lock("store", timeout=0.3),
        ):
            pass
        child.kill()
        child.wait(10)
        started = time.monotonic()
        with provider.lock("store", timeout=5):
            assert time.monotonic() - started < 1


def test_lock_timeout_names_holder(root: Path) -> None:
    provider = LocalStorageProvider(root)
    with (
        provider.lock("store", timeout=1, holder=LockHolder.here("create")),
        pytest.raises(LockTimeoutError) as caught,
        provider.lock("store", timeout=0.1),
    ):
        pass
    message = str(caught.value)
    assert f"pid {os.getpid()} on {os.uname().nodename} (create, started " in message
    assert "'store'" in message and str(root) in message


def test_objects_survive_a_new_instance(root: Path) -> None:
    LocalStorageProvider(root).put_bytes("points/1/manifest.json", b"{}")
    reopened = LocalStorageProvider(root)
    assert list(reopened.list()) == [ObjectInfo(name="points/1/manifest.json", size=2)]
    assert reopened.local_path("points/1/manifest.json") == root / "points/1/manifest.json"
    assert reopened.describe() == f"local folder {root}"


def test_state_folder_is_never_listed_nor_addressable(root: Path) -> None:
    provider = LocalStorageProvider(root)
    provider.put_bytes("a", b"1")
    (root / ".state" / "journal").mkdir(parents=True)
    (root / ".state" / "journal" / "restore.json").write_text("{}")
    with provider.lock("store", timeout=1):
        assert [info.name for info in provider.list()] == ["a"]
        assert list(provider.list(".st")) == []
    for call in (provider.stat, provider.delete, provider.open_read):
        with pytest.raises(StorageError, match="internal"):
            call(".state/journal/restore.json")
    assert (root / ".state" / "journal" / "restore.json").exists()


def test_stale_temp_files_are_cleaned(root: Path) -> None:
    provider = LocalStorageProvider(root)
    provider.put_bytes("keep", b"x")
    stale = provider.temp_dir / "999-dead.tmp"
    fresh = provider.temp_dir / "998-writing.tmp"
    stale.write_bytes(b"half an archive")
    fresh.write_bytes(b"a write in progress")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert provider.cleanup_temp() == 1
    assert not stale.exists() and fresh.exists()
    assert provider.cleanup_temp(older_than=0) == 1
    assert not fresh.exists()
    assert provider.get_bytes("keep") == b"x"


def test_failed_write_leaves_no_temp_file(root: Path, tmp_path: Path) -> None:
    provider = LocalStorageProvider(root)
    provider.put_bytes("m", b"original")
    with pytest.raises(StorageError):
        provider.put_file("m2", tmp_path / "missing")
    source = tmp_path / "s"
    source.write_bytes(b"x")
    with pytest.raises(StorageError):
        provider.put_file("m", source)
    assert list(provider.temp_dir.iterdir()) == []


def test_delete_prunes_empty_folders(root: Path) -> None:
    provider = LocalStorageProvider(root)
    provider.put_bytes("points/1/archive", b"a")
    provider.put_bytes("points/2/archive", b"b")
    provider.delete("points/1/archive")
    assert not (root / "points" / "1").exists()
    assert (root / "points" / "2").is_dir()
    provider.delete("points/2/archive")
    assert not (root / "points").exists()
    assert root.is_dir()


def test_reading_a_missing_root_lists_nothing_and_creates_nothing(tmp_path: Path) -> None:
    provider = LocalStorageProvider(tmp_path / "no" / "such")
    assert list(provider.list()) == []
    assert provider.stat("a") is None
    provider.delete("a")
    assert provider.cleanup_temp() == 0
    assert not (tmp_path / "no").exists()


def test_symlinks_are_not_objects(root: Path, tmp_path: Path) -> None:
    provider = LocalStorageProvider(root)
    provider.put_bytes("real", b"1")
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (root / "link").symlink_to(outside)
    assert [info.name for info in provider.list()] == ["real"]
    assert provider.stat("link") is None
    with pytest.raises(StorageError):
        provider.open_read("link")
    provider.delete("link")
    assert outside.read_text() == "secret"


def test_object_under_a_file_name_is_refused(root: Path) -> None:
    provider = LocalStorageProvider(root)
    provider.put_bytes("a", b"1")
    with pytest.raises(StorageError, match="'a/b'"):
        provider.put_bytes("a/b", b"2")
    provider.put_bytes("c/d", b"3")
    with pytest.raises(StorageError, match="folder"):
        provider.put_bytes("c", b"4")
    assert [info.name for info in provider.list()] == ["a", "c/d"]


def test_publish_leaves_one_link_and_keeps_the_source(root: Path, tmp_path: Path) -> None:
    provider = LocalStorageProvider(root)
    source = tmp_path / "s"
    source.write_bytes(b"payload")
    provider.put_file("x/y", source)
    assert (root / "x" / "y").stat().st_nlink == 1, "the temp link must be gone"
    assert source.exists(), "put_file copies; it never moves the caller's file"
