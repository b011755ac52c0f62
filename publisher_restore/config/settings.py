"""Settings from the site's ``appsettings*.json`` ``uSync:Restore`` section, layered as .NET does.

Layers, lowest first (the same order as ASP.NET Core's ``WebApplication.CreateBuilder``):

1. environment variables prefixed ``DOTNET_`` then ``ASPNETCORE_`` (prefix stripped),
2. ``appsettings.json``,
3. ``appsettings.{Environment}.json``; Environment is ``ASPNETCORE_ENVIRONMENT``, else
   ``DOTNET_ENVIRONMENT``, else ``Production`` (ASP.NET Core reads the ASPNETCORE_ host
   variables after the DOTNET_ ones, so ASPNETCORE_ENVIRONMENT wins when both are set),
4. plain environment variables (``uSync__Restore__Folder``: ``__`` means ``:``).

Keys are case-insensitive.  JSON may carry comments and trailing commas.  Unknown keys
are kept in ``extra`` and otherwise ignored, as .NET ignores them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from publisher_restore.config.layers import (
    ConfigEntry,
    MergedConfig,
    read_env_layer,
    read_json_layer,
)
from publisher_restore.config.redact import redact, shown_key
from publisher_restore.config.values import (
    Where,
    as_bool,
    as_count,
    as_patterns,
    as_section,
    as_site_path,
    is_unset,
    lookup,
)
from publisher_restore.errors import ConfigError

SECTION = ("uSync", "Restore")
SECTION_NAME = ":".join(SECTION)
DEFAULT_FOLDER = "uSync/restore"
DEFAULT_ENVIRONMENT = "Production"
_PROVIDER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
KNOWN_KEYS = (
    "Folder",
    "IncludeMedia",
    "UsyncFolder",
    "Include",
    "Exclude",
    "Storage",
    "Retention",
    "Analyser",
)

__all__ = [
    "ConfigError",
    "RestoreSettings",
    "RetentionSettings",
    "StorageSettings",
    "environment_name",
    "load_settings",
    "redact",
    "settings_files",
]


class _SafeModel(BaseModel):
    """A frozen model whose repr never shows a secret."""

    model_config = ConfigDict(frozen=True)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, value if isinstance(value, BaseModel) else redact(value)

    def safe_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready data with every secret masked."""
        dumped: dict[str, Any] = redact(self.model_dump(mode="json"))
        return dumped


class StorageSettings(_SafeModel):
    """Where restore points are stored: a provider name and that provider's raw options."""

    provider: str = "Local"
    options: dict[str, Any] = Field(default_factory=dict)
    source: str = "defaults"


class RetentionSettings(_SafeModel):
    """How many restore points to keep (None means no limit of that kind)."""

    keep_last: int | None = Field(default=None, ge=0)
    keep_days: int | None = Field(default=None, ge=0)


class RestoreSettings(_SafeModel):
    """The ``uSync:Restore`` section, merged across every layer."""

    folder: str = DEFAULT_FOLDER
    include_media: bool = False
    usync_folder: str | None = None
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    analyser: dict[str, Any] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)


def environment_name(environ: Mapping[str, str]) -> str:
    """The .NET environment name: ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT, else Production."""
    for variable in ("ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"):
        value = environ.get(variable, "").strip()
        if value:
            if "/" in value or "\\" in value:
                raise ConfigError(f"environment variable {variable}: not a valid name ({value!r})")
            return value
    return DEFAULT_ENVIRONMENT


def settings_files(site_root: Path, environ: Mapping[str, str]) -> list[Path]:
    """The settings files read for this environment, lowest priority first."""
    return [
        site_root / "appsettings.json",
        site_root / f"appsettings.{environment_name(environ)}.json",
    ]


def load_settings(site_root: Path, environ: Mapping[str, str] | None = None) -> RestoreSettings:
    """Read and validate the site's ``uSync:Restore`` settings (defaults when nothing is set)."""
    merged, files_read = read_usync_config(site_root, environ)
    env_sources = [s for s in merged.sources(SECTION) if s not in files_read]
    return _build_settings(merged, files_read + env_sources)


def read_usync_config(
    site_root: Path, environ: Mapping[str, str] | None = None
) -> tuple[MergedConfig, list[str]]:
    """Every layer's ``uSync`` keys merged as .NET merges them, and the settings files read.

    Sections parsed elsewhere (``uSync:Restore:Publisher``) read their raw values and
    per-key sources from here, so their errors name the exact file or variable.
    """
    env = os.environ if environ is None else environ
    layers: list[list[ConfigEntry]] = [
        read_env_layer(env, "DOTNET_"),
        read_env_layer(env, "ASPNETCORE_"),
    ]
    files_read = []
    for path in settings_files(site_root, env):
        entries = read_json_layer(path)
        if entries is not None:
            files_read.append(str(path))
            layers.append(entries)
    layers.append(read_env_layer(env))
    return MergedConfig([_under_usync(layer) for layer in layers]), files_read


def _under_usync(layer: list[ConfigEntry]) -> list[ConfigEntry]:
    return [entry for entry in layer if entry.path[0].lower() == SECTION[0].lower()]


def _build_settings(merged: MergedConfig, sources: list[str]) -> RestoreSettings:
    section = as_section(merged.tree(SECTION), Where(SECTION_NAME, merged.source(SECTION)))

    def where(key: str) -> Where:
        return Where(f"{SECTION_NAME}:{key}", merged.source((*SECTION, *key.split(":"))))

    def raw(key: str) -> Any:
        found = lookup(section, key)
        return None if found is None else found[1]

    values: dict[str, Any] = {
        "folder": as_site_path(raw("Folder"), where("Folder")),
        "include_media": as_bool(raw("IncludeMedia"), where("IncludeMedia")),
        "usync_folder": as_site_path(raw("UsyncFolder"), where("UsyncFolder")),
        "include": as_patterns(raw("Include"), where("Include")),
        "exclude": as_patterns(raw("Exclude"), where("Exclude")),
        "storage": _storage(raw("Storage"), merged),
        "retention": _retention(raw("Retention"), where),
        "analyser": as_section(raw("Analyser"), where("Analyser")),
    }
    known = {key.lower() for key in KNOWN_KEYS}
    extra = {key: value for key, value in section.items() if key.lower() not in known}
    settings = {key: value for key, value in values.items() if value is not None}
    return RestoreSettings(**settings, extra=extra, sources=sources)


def _storage(value: Any, merged: MergedConfig) -> StorageSettings:
    storage_where = Where(f"{SECTION_NAME}:Storage", merged.source((*SECTION, "Storage")))
    if is_unset(value):
        return StorageSettings()
    if isinstance(value, str):
        _check_provider_name(value.strip(), storage_where)
        return StorageSettings(provider=value.strip(), source=storage_where.source)
    providers = {
        name: options
        for name, options in as_section(value, storage_where).items()
        if not is_unset(options) and options != {}
    }
    if not providers:
        return StorageSettings()
    if len(providers) > 1:
        named = "; ".join(
            f"{shown_key(name)} (from {merged.source((*SECTION, 'Storage', name))})"
            for name in providers
        )
        raise storage_where.error(f"names more than one provider: {named}", show_value=False)
    name, options = next(iter(providers.items()))
    option_source = merged.source((*SECTION, "Storage", name))
    option_where = Where(f"{storage_where.key_path}:{name}", option_source)
    if name.lower() == "provider":
        raise option_where.error(
            'name the provider by key, e.g. "Storage": {"Azure": {"ContainerName": "..."}}',
            show_value=False,
        )
    _check_provider_name(name, storage_where)
    if not isinstance(options, dict):
        raise option_where.error("expected an object of provider options", options)
    return StorageSettings(provider=name, options=options, source=option_where.source)


def _check_provider_name(name: str, where: Where) -> None:
    """A provider name is a word; anything else (a pasted connection string) is never echoed."""
    if not _PROVIDER_NAME.fullmatch(name):
        raise where.error(
            'expected a provider name such as "Azure", or an object such as '
            '{"Azure": {"ConnectionString": "...", "ContainerName": "..."}}',
            show_value=False,
        )


def _retention(value: Any, where: Callable[[str], Where]) -> RetentionSettings:
    section = as_section(value, where("Retention"))
    counts: dict[str, int] = {}
    for key, field_name in (("KeepLast", "keep_last"), ("KeepDays", "keep_days")):
        found = lookup(section, key)
        count = None if found is None else as_count(found[1], where(f"Retention:{key}"))
        if count is not None:
            counts[field_name] = count
    return RetentionSettings(**counts)
