"""What the conformance suite cannot see: blocks, parallelism, memory, conditions, failures."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from azure.storage.blob import (
    AccountSasPermissions,
    BlobClient,
    ResourceTypes,
    generate_account_sas,
)

from publisher_restore.errors import ObjectExistsError, StorageError
from publisher_restore.testing.storage_object_contract import (
    SourceFailure,
    fail_after_first_chunk,
    names,
    run_threads,
)
from publisher_restore_azure import upload
from publisher_restore_azure.azurite import ACCOUNT_KEY, Azurite, free_port
from publisher_restore_azure.provider import AzureBlobStorageProvider
from tests_azure.conftest import make_provider

MIB = 1024 * 1024


def random_file(path: Path, size: int) -> bytes:
    data = os.urandom(size)
    path.write_bytes(data)
    return data


def test_put_file_commits_staged_blocks_in_order(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path, BlockSizeMiB=1, Concurrency=3)
    data = random_file(tmp_path / "archive", 5 * MIB + 7)
    provider.put_file("points/1/archive.tar.zst", tmp_path / "archive")
    blob = provider.container.get_blob_client("points/1/archive.tar.zst")
    committed, uncommitted = blob.get_block_list("all")
    assert [block.size for block in committed] == [MIB] * 5 + [7]
    assert uncommitted == []
    assert provider.get_bytes("points/1/archive.tar.zst") == data


def test_blocks_are_staged_in_parallel(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = make_provider(azurite, tmp_path, BlockSizeMiB=1, Concurrency=4)
    random_file(tmp_path / "archive", 12 * MIB)
    in_flight, most = 0, 0
    guard = threading.Lock()
    real_stage = upload._stage

    def counting_stage(blob: BlobClient, block_id: str, data: bytes) -> int:
        nonlocal in_flight, most
        with guard:
            in_flight += 1
            most = max(most, in_flight)
        try:
            time.sleep(0.1)  # keeps each request open long enough to overlap on a busy machine
            return real_stage(blob, block_id, data)
        finally:
            with guard:
                in_flight -= 1

    monkeypatch.setattr(upload, "_stage", counting_stage)
    provider.put_file("big", tmp_path / "archive")
    assert most == 4, f"expected 4 blocks in flight at once, saw at most {most}"


def test_upload_and_download_memory_stay_bounded(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path, BlockSizeMiB=1, Concurrency=2)
    size = 40 * MIB
    random_file(tmp_path / "archive", size)
    tracemalloc.start()
    try:
        provider.put_file("big", tmp_path / "archive")
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with provider.open_read("big") as stream:
            total = sum(len(piece) for piece in iter(lambda: stream.read(256 * 1024), b""))
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    assert upload_peak < 8 * MIB, f"upload peaked at {upload_peak / MIB:.1f} MiB"
    assert download_peak < 16 * MIB, f"download peaked at {download_peak / MIB:.1f} MiB"


def test_interrupted_upload_leaves_only_uncommitted_blocks(
    azurite: Azurite, tmp_path: Path
) -> None:
    provider = make_provider(azurite, tmp_path, BlockSizeMiB=1, Concurrency=2)
    source = tmp_path / "archive"
    random_file(source, 6 * MIB)
    with pytest.raises(SourceFailure):
        provider.put_file("points/1/archive", source, progress=fail_after_first_chunk())
    assert names(provider) == []
    blob = provider.container.get_blob_client("points/1/archive")
    committed, uncommitted = blob.get_block_list("all")
    assert committed == [] and len(uncommitted) >= 1, "staged blocks exist but are not a blob"


def test_racing_no_overwrite_uploads_have_one_winner(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path, BlockSizeMiB=1, Concurrency=2)
    contents = [random_file(tmp_path / f"source-{i}", 3 * MIB) for i in range(3)]
    outcomes: dict[int, str] = {}

    def contend(index: int) -> None:
        try:
            provider.put_file("points/1/archive", tmp_path / f"source-{index}")
            outcomes[index] = "stored"
        except ObjectExistsError:
            outcomes[index] = "refused"

    run_threads(contend, 3)
    winners = [index for index, outcome in outcomes.items() if outcome == "stored"]
    assert len(winners) == 1 and len(outcomes) == 3
    assert provider.get_bytes("points/1/archive") == contents[winners[0]]


def test_blob_replaced_mid_read_fails_instead_of_mixing(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path)
    provider.put_bytes("m", os.urandom(12 * MIB))
    with provider.open_read("m") as stream:
        stream.read(MIB)
        provider.put_bytes("m", b"replaced", overwrite=True)
        with pytest.raises(StorageError, match=r"cannot read 'm'.*412"):
            stream.read()


def test_prefixes_keep_sites_apart_in_one_container(azurite: Azurite, tmp_path: Path) -> None:
    site_a = make_provider(azurite, tmp_path, Prefix="site-a")
    site_b = make_provider(
        azurite, tmp_path, Prefix="site-b", ContainerName=site_a.settings.container
    )
    site_a.put_bytes("points/1/manifest.json", b"a")
    site_b.put_bytes("points/1/manifest.json", b"b")
    with site_a.lock("site", timeout=1), site_b.lock("site", timeout=1):
        pass
    assert site_a.get_bytes("points/1/manifest.json") == b"a"
    assert site_a.describe().endswith(
        f"{site_a.settings.container!r} at {azurite.blob_endpoint} (prefix 'site-a')"
    )
    assert names(site_b) == ["points/1/manifest.json"]
    blobs = sorted(blob.name for blob in site_a.container.list_blobs())
    assert blobs == [
        "site-a/.locks/site",
        "site-a/points/1/manifest.json",
        "site-b/.locks/site",
        "site-b/points/1/manifest.json",
    ]


def test_reads_do_not_create_the_container(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path)
    assert names(provider) == []
    assert provider.stat("points/1/manifest.json") is None
    assert not provider.container.exists()
    provider.put_bytes("points/1/manifest.json", b"{}")
    assert provider.container.exists()


def test_unreachable_service_is_a_clear_storage_error(tmp_path: Path) -> None:
    closed = Azurite(Path("unused"), tmp_path / "none", port=free_port())
    provider = make_provider(closed, tmp_path, RetryTotal=0)
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        provider.put_bytes("points/1/manifest.json", b"{}")
    message = str(caught.value)
    assert "could not be reached" in message and "Connection refused" in message
    assert provider.settings.container in message and ACCOUNT_KEY not in message
    assert time.monotonic() - started < 10


def test_secrets_stay_out_of_repr_and_description(azurite: Azurite, tmp_path: Path) -> None:
    provider = make_provider(azurite, tmp_path)
    shown = f"{provider!r} {provider.describe()} {provider.settings!r}"
    assert ACCOUNT_KEY not in shown and "AccountKey" not in shown
    assert isinstance(provider, AzureBlobStorageProvider)
    assert provider.errors.sanitize(f"x AccountKey={ACCOUNT_KEY}; y") == "x AccountKey=***; y"
    assert provider.errors.sanitize(f"GET /c/b?sv=1&sig=abc {ACCOUNT_KEY}") == "GET /c/b?*** ***"


def sas_connection_string(emulator: Azurite) -> str:
    """A connection string that authenticates with an account SAS instead of the key."""
    sas = generate_account_sas(
        "devstoreaccount1",
        ACCOUNT_KEY,
        resource_types=ResourceTypes(service=True, container=True, object=True),
        permission=AccountSasPermissions(
            read=True, write=True, delete=True, list=True, create=True
        ),
        expiry=datetime.now(UTC) + timedelta(hours=1),
    )
    return f"BlobEndpoint={emulator.blob_endpoint};SharedAccessSignature={sas}"


def test_sas_connection_string_works_and_its_signature_stays_hidden(
    azurite: Azurite, tmp_path: Path
) -> None:
    connection_string = sas_connection_string(azurite)
    signature = parse_qs(connection_string.split("SharedAccessSignature=")[1])["sig"][0]
    provider = make_provider(azurite, tmp_path, ConnectionString=connection_string)
    provider.put_bytes("points/1/manifest.json", b"{}")
    with provider.lock("site", timeout=5):
        assert names(provider) == ["points/1/manifest.json"]
    assert signature not in f"{provider!r} {provider.describe()}"

    closed = Azurite(Path("unused"), tmp_path / "none", port=free_port())
    unreachable = make_provider(
        closed, tmp_path, ConnectionString=sas_connection_string(closed), RetryTotal=0
    )
    with pytest.raises(StorageError) as caught:
        unreachable.get_bytes("points/1/manifest.json")
    assert "could not be reached" in str(caught.value) and "sig=" not in str(caught.value)
