"""The plugin the ``publisher_restore`` entry point loads: registers the ``Azure`` provider."""

from __future__ import annotations

from collections.abc import Callable

from publisher_restore.hookspecs import hookimpl
from publisher_restore.storage.base import StorageProvider
from publisher_restore.storage.registry import StorageRequest

PROVIDER_NAME = "Azure"


def open_azure_storage(request: StorageRequest) -> StorageProvider:
    """Build the Azure provider; the SDK is imported only when a site configures it."""
    from publisher_restore_azure.provider import AzureBlobStorageProvider

    return AzureBlobStorageProvider.from_request(request)


@hookimpl
def register_storage_providers(register: Callable[..., None]) -> None:
    register(PROVIDER_NAME, open_azure_storage)
