"""Built-in storage providers, registered through the same hook as any plugin."""

from __future__ import annotations

from publisher_restore.hookspecs import hookimpl
from publisher_restore.operations.contexts import RegisterStorageProvider


@hookimpl
def register_storage_providers(register: RegisterStorageProvider) -> None:
    from publisher_restore.storage.local import LocalStorageProvider

    register("Local", LocalStorageProvider.from_request)
