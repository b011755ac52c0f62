"""Azurite for the Azure provider's tests: one emulator per test process, never skipped.

With pytest-xdist each worker starts its own Azurite on its own free port.
If Azurite is not installed the tests fail with what to run, as CI must run them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher_restore.sample import sample_site_path
from publisher_restore.storage.registry import StorageRequest
from publisher_restore_azure.azurite import Azurite, AzuriteUnavailable, find_executable
from publisher_restore_azure.provider import AzureBlobStorageProvider
from publisher_restore_azure.settings import parse_settings

REPO = Path(__file__).resolve().parents[3]
SAMPLE_SITE = sample_site_path()


def azurite_executable() -> Path:
    """The pinned emulator, or a test failure (not a skip) saying how to install it."""
    try:
        return find_executable(REPO)
    except AzuriteUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """An Azurite blob service shared by this test process's tests."""
    emulator = Azurite(azurite_executable(), tmp_path_factory.mktemp("azurite") / "data")
    try:
        emulator.start()
    except AzuriteUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield emulator
    finally:
        emulator.stop()


def unique_container() -> str:
    return f"t-{uuid.uuid4().hex[:20]}"


def azure_options(emulator: Azurite, **extra: Any) -> dict[str, Any]:
    """The documented Azure section's options for ``emulator``, with a fresh container."""
    return {
        "ConnectionString": emulator.connection_string,
        "ContainerName": unique_container(),
        **extra,
    }


def make_provider(emulator: Azurite, tmp_path: Path, **options: Any) -> AzureBlobStorageProvider:
    """A provider built the way a site's configuration builds it."""
    request = StorageRequest(
        site_root=tmp_path,
        restore_dir=tmp_path / "restore",
        provider="Azure",
        options={**azure_options(emulator), **options},
        source="test appsettings.json",
    )
    return AzureBlobStorageProvider(parse_settings(request), source=request.source)
