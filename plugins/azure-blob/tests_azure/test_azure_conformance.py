"""The shared storage conformance suite, run against Azurite (with and without a prefix)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher_restore.storage.base import StorageProvider
from publisher_restore.testing.storage_conformance import SharedStorageConformance
from publisher_restore_azure.azurite import Azurite
from publisher_restore_azure.provider import AzureBlobStorageProvider
from tests_azure.conftest import make_provider


def rebuild_code(provider: StorageProvider) -> str:
    """Python that builds a provider on the same container and prefix in another process."""
    assert isinstance(provider, AzureBlobStorageProvider)
    return (
        "from publisher_restore_azure.provider import AzureBlobStorageProvider\n"
        "from publisher_restore_azure.settings import AzureSettings\n"
        "provider = AzureBlobStorageProvider("
        f"AzureSettings.model_validate_json({provider.settings.model_dump_json()!r}))\n"
    )


class TestAzureConformance(SharedStorageConformance):
    """Objects under a prefix, as several sites sharing one container use it."""

    @pytest.fixture
    def provider(self, azurite: Azurite, tmp_path: Path) -> Iterator[StorageProvider]:
        yield make_provider(azurite, tmp_path, Prefix="sites/site-a")

    def subprocess_setup_code(self, provider: StorageProvider) -> str:
        return rebuild_code(provider)


class TestAzureConformanceWithoutPrefix(TestAzureConformance):
    """Objects at the container's root."""

    @pytest.fixture
    def provider(self, azurite: Azurite, tmp_path: Path) -> Iterator[StorageProvider]:
        yield make_provider(azurite, tmp_path)
