"""Built-in storage providers, registered through the same hook as any plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher_restore.hookspecs import hookimpl

if TYPE_CHECKING:  # the plugin manager loads this module on every start: import lightly
    from publisher_restore.operations.contexts import RegisterStorageProvider


@hookimpl
def register_storage_providers(register: RegisterStorageProvider) -> None:
    from publisher_restore.storage.local import LocalStorageProvider

    register("Local", LocalStorageProvider.from_request)
