"""The emulator stopped in the middle of an upload, then started again on the same data."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher_restore.errors import StorageError
from publisher_restore.service import RestoreService
from publisher_restore_azure.azurite import ACCOUNT_KEY, Azurite
from tests_azure.conftest import SAMPLE_SITE, azurite_executable, make_provider

MIB = 1024 * 1024
FAST_FAILURE = {"RetryTotal": 1, "BlockSizeMiB": 1, "Concurrency": 2, "LeaseSeconds": 15}


@pytest.fixture
def own_azurite(tmp_path: Path) -> Iterator[Azurite]:
    """An emulator this test may stop and restart without disturbing other tests."""
    emulator = Azurite(azurite_executable(), tmp_path / "azurite-data").start()
    try:
        yield emulator
    finally:
        emulator.stop()


class StopAzuriteWhileStoring:
    """Progress that stops the emulator as soon as the archive upload has begun."""

    def __init__(self, emulator: Azurite) -> None:
        self.emulator = emulator
        self.phase = ""
        self.stopped = False

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        self.phase = phase

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        if self.phase == "store" and nbytes and not self.stopped:
            self.stopped = True
            self.emulator.stop()

    def end(self) -> None:
        return None


def test_put_file_with_the_service_gone_fails_clearly(own_azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(own_azurite, tmp_path, **FAST_FAILURE)
    source = tmp_path / "archive"
    source.write_bytes(os.urandom(8 * MIB))
    with pytest.raises(StorageError) as caught:
        provider.put_file(
            "points/1/archive.tar.zst", source, progress=lambda _n: own_azurite.stop()
        )
    message = str(caught.value)
    assert "could not be reached" in message and "points/1/archive.tar.zst" in message
    assert ACCOUNT_KEY not in message

    own_azurite.start()
    assert list(provider.list()) == []
    provider.put_file("points/1/archive.tar.zst", source)
    assert provider.get_bytes("points/1/archive.tar.zst") == source.read_bytes()


def azure_site(tmp_path: Path, emulator: Azurite) -> Path:
    """The sample site with 12 MiB of incompressible media, configured for Azure only."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, site, ignore=shutil.ignore_patterns("restore"))
    (site / "wwwroot/media/big").mkdir(parents=True)
    (site / "wwwroot/media/big/video.bin").write_bytes(os.urandom(12 * MIB))
    azure = {"ConnectionString": emulator.connection_string, "ContainerName": "faults"}
    document = {"uSync": {"Restore": {"Storage": {"Azure": {**azure, **FAST_FAILURE}}}}}
    (site / "appsettings.json").write_text(json.dumps(document), encoding="utf-8")
    return site


def test_create_interrupted_by_the_service_stopping_lists_nothing_then_succeeds(
    own_azurite: Azurite, tmp_path: Path
) -> None:
    site = azure_site(tmp_path, own_azurite)
    progress = StopAzuriteWhileStoring(own_azurite)
    service = RestoreService.open(site, progress=progress)
    with pytest.raises(StorageError, match="could not be reached"):
        service.create(include_media=True)
    assert progress.stopped

    own_azurite.start()
    service = RestoreService.open(site)
    assert service.points() == []
    container = service.store.provider.container  # type: ignore[attr-defined]
    left = {blob.name.split("/", 1)[0] for blob in container.list_blobs()}
    assert left <= {".locks", "creating", "objects"}, "nothing listed, no manifest"
    # The failed create's lease could not be released; it expires by itself (Azurite
    # also drops leases on restart), and the next create takes the lock again; it finds
    # the failed create's intent and collects what that create stored.
    point = service.create(include_media=True)
    assert [listed.id for listed in service.points()] == [point.id]
    assert service.verify(point.id).ok
    named = {f"points/{point.id}/manifest.v2", *service.store.body(point).objects}
    assert {blob.name for blob in container.list_blobs()} == named | {".locks/site"}


def test_a_short_outage_is_retried_not_reported(own_azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(own_azurite, tmp_path, RetryTotal=4)
    provider.put_bytes("points/1/manifest.json", b"before")
    own_azurite.stop()
    restart = threading.Timer(0.3, own_azurite.start)
    restart.start()
    try:
        provider.put_bytes("points/2/manifest.json", b"during the outage")
    finally:
        restart.join()
    assert provider.get_bytes("points/2/manifest.json") == b"during the outage"


def test_a_permanent_refusal_fails_at_once(azurite: Azurite, tmp_path: Path) -> None:
    wrong_key = azurite.connection_string.replace(ACCOUNT_KEY, "d3Jvbmc=" * 8)
    provider = make_provider(azurite, tmp_path, ConnectionString=wrong_key, RetryTotal=5)
    started = time.monotonic()
    with pytest.raises(StorageError, match="authentication failed"):
        provider.put_bytes("points/1/manifest.json", b"{}")
    assert time.monotonic() - started < 3, "a 403 is permanent and must not be retried"
