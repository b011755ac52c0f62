"""Conformance tests for storing, reading, listing and deleting objects.

Part of ``StorageConformance``; see ``storage_conformance`` for how to use it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher_restore.errors import ObjectExistsError, ObjectNotFoundError, StorageError
from publisher_restore.storage.base import ObjectInfo, StorageProvider

BIG_SIZE = 5 * 1024 * 1024 + 123
INVALID_NAMES = ["", "../x", "a/../b", "/abs", "a//b", "a/", "a\\b", "./a", ".."]
LISTED = {
    "points/a/x": 3,
    "points/a-b": 5,
    "points/a.c": 0,
    "points/ab": 7,
    "points/b/y/z": 11,
    "other/q": 2,
    "top": 1,
}


class SourceFailure(Exception):
    """Raised on purpose from a progress callback to break a write mid-stream."""


def fail_after_first_chunk() -> Callable[[int], None]:
    """A progress callback that lets one chunk through, then raises ``SourceFailure``."""
    seen: list[int] = []

    def progress(size: int) -> None:
        seen.append(size)
        if len(seen) > 1:
            raise SourceFailure("interrupted mid-stream")

    return progress


def write_random_file(path: Path, size: int) -> bytes:
    """Fill ``path`` with ``size`` random bytes and return them."""
    data = os.urandom(size)
    path.write_bytes(data)
    return data


def names(provider: StorageProvider, prefix: str = "") -> list[str]:
    """The listed names, in the order ``list`` gives them."""
    return [info.name for info in provider.list(prefix)]


class ObjectContract:
    """Writes are atomic and exclusive unless overwriting; reads, lists and deletes are exact."""

    def test_describe_says_where(self, provider: StorageProvider) -> None:
        assert provider.describe().strip()

    def test_put_bytes_round_trip(self, provider: StorageProvider) -> None:
        provider.put_bytes("points/1/manifest.json", b'{"id": 1}')
        assert provider.get_bytes("points/1/manifest.json") == b'{"id": 1}'
        assert provider.stat("points/1/manifest.json") == ObjectInfo(
            name="points/1/manifest.json", size=9
        )

    def test_empty_object_round_trip(self, provider: StorageProvider, tmp_path: Path) -> None:
        empty = tmp_path / "empty"
        empty.write_bytes(b"")
        provider.put_file("e/file", empty)
        provider.put_bytes("e/bytes", b"")
        assert provider.get_bytes("e/file") == b""
        assert [(i.name, i.size) for i in provider.list("e/")] == [("e/bytes", 0), ("e/file", 0)]

    def test_put_file_streams_with_progress(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        source = tmp_path / "archive.tar.zst"
        data = write_random_file(source, BIG_SIZE)
        reported: list[int] = []
        provider.put_file("points/1/archive.tar.zst", source, progress=reported.append)
        assert sum(reported) == BIG_SIZE
        assert len(reported) >= 2, "a multi-MB file must be streamed in several chunks"
        assert all(size > 0 for size in reported)
        with provider.open_read("points/1/archive.tar.zst") as stream:
            assert stream.read(10) == data[:10]
            assert stream.read() == data[10:]
        assert source.read_bytes() == data, "the source file must be left as it was"

    def test_unicode_name_round_trip(self, provider: StorageProvider) -> None:
        name = "points/søknad-ü/manifest.json"
        provider.put_bytes(name, b"x")
        assert names(provider) == [name]
        assert provider.get_bytes(name) == b"x"

    def test_no_overwrite_keeps_original(self, provider: StorageProvider, tmp_path: Path) -> None:
        provider.put_bytes("m", b"original")
        with pytest.raises(ObjectExistsError):
            provider.put_bytes("m", b"other")
        source = tmp_path / "s"
        source.write_bytes(b"from file")
        with pytest.raises(ObjectExistsError):
            provider.put_file("m", source)
        assert provider.get_bytes("m") == b"original"
        assert names(provider) == ["m"]

    def test_overwrite_replaces(self, provider: StorageProvider, tmp_path: Path) -> None:
        provider.put_bytes("m", b"first version, longer")
        provider.put_bytes("m", b"second", overwrite=True)
        assert provider.get_bytes("m") == b"second"
        source = tmp_path / "s"
        source.write_bytes(b"third")
        provider.put_file("m", source, overwrite=True)
        assert provider.get_bytes("m") == b"third"
        assert provider.stat("m") == ObjectInfo(name="m", size=5)

    def test_overwrite_creates_missing(self, provider: StorageProvider) -> None:
        provider.put_bytes("new/one", b"1", overwrite=True)
        assert provider.get_bytes("new/one") == b"1"

    def test_concurrent_exclusive_puts_have_one_winner(self, provider: StorageProvider) -> None:
        contenders = 6
        start = threading.Barrier(contenders)
        outcomes: list[str] = []

        def contend(index: int) -> None:
            start.wait()
            try:
                provider.put_bytes("race", f"writer {index}".encode())
                outcomes.append(f"writer {index}")
            except ObjectExistsError:
                outcomes.append("refused")

        run_threads(contend, contenders)
        winners = [outcome for outcome in outcomes if outcome != "refused"]
        assert len(winners) == 1 and len(outcomes) == contenders
        assert provider.get_bytes("race") == winners[0].encode()

    def test_readers_never_see_a_partial_overwrite(self, provider: StorageProvider) -> None:
        versions = [b"a" * 300_000, b"b" * 200_000]
        provider.put_bytes("busy", versions[0])
        stop = threading.Event()

        def keep_overwriting() -> None:
            turn = 0
            while not stop.is_set():
                turn += 1
                provider.put_bytes("busy", versions[turn % 2], overwrite=True)

        writer = threading.Thread(target=keep_overwriting)
        writer.start()
        try:
            seen = {provider.get_bytes("busy") in versions for _ in range(40)}
        finally:
            stop.set()
            writer.join()
        assert seen == {True}

    def test_stat_missing_is_none(self, provider: StorageProvider) -> None:
        provider.put_bytes("a/b", b"x")
        assert provider.stat("missing") is None
        assert provider.stat("a") is None, "a name prefix is not an object"
        assert provider.stat("a/b/c") is None

    def test_open_read_missing_raises(self, provider: StorageProvider) -> None:
        provider.put_bytes("a/b", b"x")
        for missing in ("missing", "a", "a/b/c"):
            with pytest.raises(ObjectNotFoundError, match=r"missing|'a"):
                provider.open_read(missing)
        with pytest.raises(ObjectNotFoundError):
            provider.get_bytes("missing")

    def test_list_in_name_order_with_sizes(self, provider: StorageProvider) -> None:
        for name, size in reversed(LISTED.items()):
            provider.put_bytes(name, b"z" * size)
        listed = list(provider.list())
        assert [info.name for info in listed] == sorted(LISTED)
        assert {info.name: info.size for info in listed} == LISTED

    def test_list_by_prefix_is_a_string_prefix(self, provider: StorageProvider) -> None:
        for name, size in LISTED.items():
            provider.put_bytes(name, b"z" * size)
        assert names(provider, "points/") == sorted(n for n in LISTED if n.startswith("points/"))
        assert names(provider, "points/a") == [
            "points/a-b",
            "points/a.c",
            "points/a/x",
            "points/ab",
        ]
        assert names(provider, "points/a/") == ["points/a/x"]
        assert names(provider, "points/b/y/z") == ["points/b/y/z"]
        assert names(provider, "nothing") == []
        assert names(provider, "nothing/here/") == []

    def test_list_of_empty_store(self, provider: StorageProvider) -> None:
        assert names(provider) == []

    def test_delete_removes_only_that_object(self, provider: StorageProvider) -> None:
        provider.put_bytes("p/1/archive", b"a")
        provider.put_bytes("p/1/manifest", b"m")
        provider.delete("p/1/manifest")
        assert provider.stat("p/1/manifest") is None
        assert names(provider) == ["p/1/archive"]
        provider.delete("p/1/archive")
        assert names(provider) == []
        provider.put_bytes("p/1/manifest", b"again")
        assert provider.get_bytes("p/1/manifest") == b"again"

    def test_delete_is_idempotent(self, provider: StorageProvider) -> None:
        provider.put_bytes("x", b"1")
        provider.delete("x")
        provider.delete("x")
        provider.delete("never/existed")
        assert names(provider) == []

    @pytest.mark.parametrize("bad_name", INVALID_NAMES)
    def test_invalid_names_are_refused(
        self, provider: StorageProvider, tmp_path: Path, bad_name: str
    ) -> None:
        source = tmp_path / "s"
        source.write_bytes(b"x")
        calls: list[Callable[[], object]] = [
            lambda: provider.put_bytes(bad_name, b"x"),
            lambda: provider.put_file(bad_name, source),
            lambda: provider.open_read(bad_name),
            lambda: provider.stat(bad_name),
            lambda: provider.delete(bad_name),
            lambda: provider.lock(bad_name, timeout=0.1).__enter__(),
        ]
        for call in calls:
            with pytest.raises(StorageError) as caught:
                call()
            assert not isinstance(caught.value, ObjectNotFoundError | ObjectExistsError)
        assert names(provider) == []

    def test_failed_put_file_leaves_no_object(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        source = tmp_path / "big"
        write_random_file(source, BIG_SIZE)
        with pytest.raises(SourceFailure):
            provider.put_file("points/1/archive", source, progress=fail_after_first_chunk())
        assert provider.stat("points/1/archive") is None
        assert names(provider) == []
        provider.put_file("points/1/archive", source)
        assert provider.stat("points/1/archive") == ObjectInfo(
            name="points/1/archive", size=BIG_SIZE
        )

    def test_failed_overwrite_keeps_original(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        provider.put_bytes("m", b"original")
        source = tmp_path / "big"
        write_random_file(source, BIG_SIZE)
        with pytest.raises(SourceFailure):
            provider.put_file("m", source, overwrite=True, progress=fail_after_first_chunk())
        assert provider.get_bytes("m") == b"original"
        assert names(provider) == ["m"]

    def test_unreadable_source_raises_storage_error(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        with pytest.raises(StorageError, match="missing-source"):
            provider.put_file("a", tmp_path / "missing-source")
        with pytest.raises(StorageError):
            provider.put_file("b", tmp_path)  # a folder is not a readable file
        assert names(provider) == []

    def test_cleanup_temp_keeps_objects(self, provider: StorageProvider) -> None:
        provider.put_bytes("keep/me", b"data")
        assert provider.cleanup_temp() == 0, "a finished write leaves nothing to clean"
        assert provider.cleanup_temp(older_than=0) == 0
        assert provider.get_bytes("keep/me") == b"data"

    def test_local_path_when_given_holds_the_bytes(self, provider: StorageProvider) -> None:
        provider.put_bytes("points/1/archive", b"bytes on disk")
        path = provider.local_path("points/1/archive")
        if path is not None:
            assert path.read_bytes() == b"bytes on disk"


class RangeBatchAdoptContract:
    """``read_range``, ``write_batch`` and ``adopt_file``: defaults or a provider's own."""

    def test_read_range_reads_a_slice(self, provider: StorageProvider, tmp_path: Path) -> None:
        source = tmp_path / "pack"
        data = write_random_file(source, BIG_SIZE)
        provider.put_file("objects/pack", source)
        assert provider.read_range("objects/pack", 0, 10) == data[:10]
        assert provider.read_range("objects/pack", 4_000_000, 70_000) == data[4_000_000:4_070_000]
        assert provider.read_range("objects/pack", BIG_SIZE - 5, 100) == data[-5:]
        assert provider.read_range("objects/pack", BIG_SIZE + 10, 100) == b""
        assert provider.read_range("objects/pack", 3, 0) == b""

    def test_read_range_of_a_missing_object_raises(self, provider: StorageProvider) -> None:
        with pytest.raises(ObjectNotFoundError):
            provider.read_range("objects/missing", 0, 10)
        with pytest.raises(ObjectNotFoundError):
            provider.read_range("objects/missing", 0, 0)

    def test_write_batch_writes_are_visible_at_once_and_after(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        source = tmp_path / "s"
        source.write_bytes(b"from a file")
        with provider.write_batch():
            provider.put_bytes("objects/a", b"a")
            assert provider.get_bytes("objects/a") == b"a"
            with provider.write_batch():  # batches nest
                provider.put_file("objects/b", source)
            with pytest.raises(ObjectExistsError):
                provider.put_bytes("objects/a", b"again")
        assert names(provider) == ["objects/a", "objects/b"]
        assert provider.get_bytes("objects/b") == b"from a file"

    def test_write_batch_passes_errors_on_and_keeps_what_was_written(
        self, provider: StorageProvider
    ) -> None:
        with pytest.raises(SourceFailure), provider.write_batch():
            provider.put_bytes("objects/a", b"a")
            raise SourceFailure("the caller failed")
        assert provider.get_bytes("objects/a") == b"a"
        provider.put_bytes("objects/b", b"b")  # no batch left half open
        assert names(provider) == ["objects/a", "objects/b"]

    def test_adopt_file_stores_and_consumes_the_source(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        source = tmp_path / "temp"
        data = write_random_file(source, 70_000)
        provider.adopt_file("objects/file", source)
        assert not source.exists()
        assert provider.get_bytes("objects/file") == data

    def test_adopt_file_never_overwrites_and_still_consumes(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        provider.put_bytes("objects/file", b"original")
        source = tmp_path / "temp"
        source.write_bytes(b"other")
        with pytest.raises(ObjectExistsError):
            provider.adopt_file("objects/file", source)
        assert not source.exists()
        assert provider.get_bytes("objects/file") == b"original"
        assert names(provider) == ["objects/file"]


def run_threads(target: Callable[[int], None], count: int) -> None:
    """Run ``target(i)`` in ``count`` threads and re-raise the first failure."""
    errors: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
