"""Configuration: the site's ``uSync:Restore`` settings, layered as .NET layers them.

``settings`` builds the typed settings; ``layers`` reads JSON and environment layers;
``values`` turns raw values into typed ones with the key and file named in errors;
``patterns`` matches Include/Exclude globs; ``redact`` masks secrets in messages.
"""

from __future__ import annotations

from publisher_restore.config.redact import redact
from publisher_restore.config.settings import (
    DEFAULT_ENVIRONMENT,
    DEFAULT_FOLDER,
    RestoreSettings,
    RetentionSettings,
    StorageSettings,
    environment_name,
    load_settings,
    settings_files,
)

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "DEFAULT_FOLDER",
    "RestoreSettings",
    "RetentionSettings",
    "StorageSettings",
    "environment_name",
    "load_settings",
    "redact",
    "settings_files",
]
