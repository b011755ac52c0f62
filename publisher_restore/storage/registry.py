"""Storage providers by name, collected from the ``register_storage_providers`` hook.

A provider's name is the key of its section under ``uSync:Restore:Storage``
(``Local``, ``Azure``), matched case-insensitively.  Factories are called only
for the provider a site configures, so a cloud SDK is imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
from pydantic import BaseModel, ConfigDict, Field

from publisher_restore.errors import ConfigError, StorageError
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.storage.base import StorageProvider

AZURE_NOT_INSTALLED = (
    "uSync:Restore:Storage:Azure is configured but the Azure provider is not installed: "
    "pip install publisher-restore-azure (plugins/azure-blob)"
)

DEFAULT_RESTORE_DIR = Path("uSync") / "restore"


def default_restore_dir(site_root: Path) -> Path:
    """Where a site keeps restore points unless configured otherwise."""
    return site_root / DEFAULT_RESTORE_DIR


class StorageRequest(BaseModel):
    """What a provider factory gets: the site, its restore folder and the provider's settings."""

    model_config = ConfigDict(frozen=True)

    site_root: Path
    restore_dir: Path
    provider: str = "Local"
    options: dict[str, Any] = Field(default_factory=dict)
    source: str = "defaults"
    """Where the settings came from (a file path or ``defaults``), for error messages."""


StorageFactory = Callable[[StorageRequest], StorageProvider]


class StorageRegistry:
    """Provider factories keyed by case-folded name."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, StorageFactory]] = {}

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> StorageRegistry:
        """Every provider the plugin manager's plugins register."""
        registry = cls()
        Lifecycle(pm).collect_storage_providers(registry.register)
        return registry

    def register(self, name: str, factory: StorageFactory) -> None:
        """Add a provider; a name already taken (ignoring case) raises ``StorageError``."""
        key = name.casefold()
        if key in self._entries:
            known_name, known_factory = self._entries[key]
            raise StorageError(
                f"storage provider {name!r} registered twice: by {_origin(known_factory)} "
                f"(as {known_name!r}) and by {_origin(factory)}"
            )
        self._entries[key] = (name, factory)

    def names(self) -> list[str]:
        """Registered names as spelled at registration, sorted."""
        return sorted(name for name, _ in self._entries.values())

    def factory(self, name: str) -> StorageFactory | None:
        """The factory registered under ``name`` (any case), or None."""
        entry = self._entries.get(name.casefold())
        return None if entry is None else entry[1]

    def open(self, request: StorageRequest) -> StorageProvider:
        """Build the provider ``request`` names; ``ConfigError`` when none is registered."""
        factory = self.factory(request.provider)
        if factory is None:
            raise ConfigError(self._unknown_message(request))
        return factory(request)

    def _unknown_message(self, request: StorageRequest) -> str:
        if request.provider.casefold() == "azure":
            return AZURE_NOT_INSTALLED
        known = ", ".join(self.names()) or "none"
        return (
            f"uSync:Restore:Storage:{request.provider} (in {request.source}) names an unknown "
            f"storage provider; known providers: {known}"
        )


def open_storage(pm: pluggy.PluginManager, request: StorageRequest) -> StorageProvider:
    """The storage provider a site's settings ask for, built by its plugin's factory."""
    return StorageRegistry.from_plugins(pm).open(request)


def _origin(factory: StorageFactory) -> str:
    module = getattr(factory, "__module__", None) or "?"
    qualname = getattr(factory, "__qualname__", None) or type(factory).__qualname__
    return f"{module}.{qualname}"
