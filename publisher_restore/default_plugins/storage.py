"""Built-in storage providers, registered through the same hook as any plugin."""

from __future__ import annotations

from collections.abc import Callable

from publisher_restore.hookspecs import hookimpl


@hookimpl
def register_storage_providers(register: Callable[..., None]) -> None:
    from publisher_restore.storage.local import LocalStorageProvider

    register("Local", LocalStorageProvider.from_request)
