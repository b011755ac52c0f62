"""Provider registration by name and opening the configured provider."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from publisher_restore.errors import ConfigError, StorageError
from publisher_restore.hookspecs import hookimpl
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.storage.base import StorageProvider
from publisher_restore.storage.local import LocalStorageProvider
from publisher_restore.storage.memory import MemoryStorageProvider
from publisher_restore.storage.registry import (
    AZURE_NOT_INSTALLED,
    StorageRegistry,
    StorageRequest,
    default_restore_dir,
    open_storage,
)


def request_for(site: Path, provider: str) -> StorageRequest:
    return StorageRequest(
        site_root=site,
        restore_dir=default_restore_dir(site),
        provider=provider,
        source=str(site / "appsettings.json"),
    )


def memory_factory(request: StorageRequest) -> StorageProvider:
    return MemoryStorageProvider()


def plugin_registering(name: str) -> ModuleType:
    plugin = ModuleType(f"fake_{name.lower()}_plugin")

    @hookimpl
    def register_storage_providers(register: object) -> None:
        assert callable(register)
        register(name, memory_factory)

    plugin.register_storage_providers = register_storage_providers  # type: ignore[attr-defined]
    return plugin


def test_local_is_built_in_and_case_insensitive(tmp_path: Path) -> None:
    pm = build_plugin_manager(load_entry_points=False)
    provider = open_storage(pm, request_for(tmp_path, "local"))
    assert isinstance(provider, LocalStorageProvider)
    assert provider.root == tmp_path / "uSync" / "restore"


def test_plugin_provider_is_opened(tmp_path: Path) -> None:
    pm = build_plugin_manager(load_entry_points=False)
    pm.register(plugin_registering("Memory"))
    assert isinstance(open_storage(pm, request_for(tmp_path, "MEMORY")), MemoryStorageProvider)


def test_duplicate_name_names_both_registrants() -> None:
    pm = build_plugin_manager(load_entry_points=False)
    pm.register(plugin_registering("LOCAL"))
    with pytest.raises(StorageError) as caught:
        StorageRegistry.from_plugins(pm)
    message = str(caught.value)
    assert "registered twice" in message
    assert "LocalStorageProvider.from_request" in message
    assert "memory_factory" in message


def test_unknown_provider_lists_known_ones(tmp_path: Path) -> None:
    pm = build_plugin_manager(load_entry_points=False)
    with pytest.raises(ConfigError) as caught:
        open_storage(pm, request_for(tmp_path, "Dropbox"))
    message = str(caught.value)
    assert "uSync:Restore:Storage:Dropbox" in message
    assert str(tmp_path / "appsettings.json") in message
    assert "known providers: Local" in message


@pytest.mark.parametrize("spelling", ["Azure", "azure"])
def test_azure_not_installed_says_how_to_install(tmp_path: Path, spelling: str) -> None:
    pm = build_plugin_manager(load_entry_points=False)
    with pytest.raises(ConfigError) as caught:
        open_storage(pm, request_for(tmp_path, spelling))
    assert str(caught.value) == AZURE_NOT_INSTALLED
    assert "pip install publisher-restore-azure (plugins/azure-blob)" in AZURE_NOT_INSTALLED


def test_registered_azure_is_used(tmp_path: Path) -> None:
    pm = build_plugin_manager(load_entry_points=False)
    pm.register(plugin_registering("Azure"))
    assert isinstance(open_storage(pm, request_for(tmp_path, "azure")), MemoryStorageProvider)


def test_registry_names_keep_registered_spelling() -> None:
    registry = StorageRegistry()
    registry.register("Local", memory_factory)
    registry.register("Azure", memory_factory)
    assert registry.names() == ["Azure", "Local"]
    assert registry.factory("AZURE") is memory_factory
    assert registry.factory("s3") is None
