"""The dashboard's settings from ``uSync:Restore:Dashboard`` (appsettings, environment).

::

    "uSync": { "Restore": { "Dashboard": {
      "PasswordHash": "$argon2id$v=19$...",  // from: publisher-restore dashboard hash-password
      "SessionMinutes": 30                   // idle time before signing in again
    } } }

The password is stored only as an Argon2 hash (``argon2-cffi``); it usually comes from the
environment (``uSync__Restore__Dashboard__PasswordHash``).  Errors name the key and the
file or variable that set it, never the value.  Without a ``PasswordHash`` the server
listens on loopback only and prints a one-time sign-in link.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from publisher_restore.config.layers import MergedConfig
from publisher_restore.config.settings import read_usync_config
from publisher_restore.config.values import Where, as_count, as_section, is_unset, lookup
from publisher_restore.web.security.passwords import is_password_hash

SECTION = ("uSync", "Restore", "Dashboard")
SECTION_NAME = ":".join(SECTION)
PASSWORD_HASH_KEY = f"{SECTION_NAME}:PasswordHash"
PASSWORD_HASH_VARIABLE = "uSync__Restore__Dashboard__PasswordHash"
DEFAULT_SESSION_MINUTES = 30
MAX_SESSION_MINUTES = 24 * 60


class DashboardSettings(BaseModel):
    """The ``uSync:Restore:Dashboard`` section, validated."""

    model_config = ConfigDict(frozen=True)

    password_hash: SecretStr | None = None
    """An Argon2 hash; None: sign in with the one-time link (loopback only)."""
    session_minutes: int = DEFAULT_SESSION_MINUTES

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


def load_dashboard_settings(
    site_root: Path, environ: Mapping[str, str] | None = None
) -> DashboardSettings:
    """Read and validate the site's ``uSync:Restore:Dashboard`` section (defaults if absent)."""
    merged, _files = read_usync_config(site_root, environ)
    return dashboard_settings_from(merged)


def dashboard_settings_from(merged: MergedConfig) -> DashboardSettings:
    """Build the settings; ConfigError names the key and its source, never a secret."""

    def where(key: str) -> Where:
        path = (*SECTION, key)
        return Where(":".join(path), merged.source(path))

    section = as_section(merged.tree(SECTION), Where(SECTION_NAME, merged.source(SECTION)))
    values: dict[str, Any] = {}
    password_hash = _raw(section, "PasswordHash")
    if not is_unset(password_hash):
        if not isinstance(password_hash, str) or not is_password_hash(password_hash.strip()):
            raise where("PasswordHash").error(
                "expected an Argon2 hash from 'publisher-restore dashboard hash-password' "
                "(never the password itself)",
                show_value=False,
            )
        values["password_hash"] = SecretStr(password_hash.strip())
    minutes = as_count(_raw(section, "SessionMinutes"), where("SessionMinutes"))
    if minutes is not None:
        if not 1 <= minutes <= MAX_SESSION_MINUTES:
            raise where("SessionMinutes").error(f"must be 1 to {MAX_SESSION_MINUTES}", minutes)
        values["session_minutes"] = minutes
    return DashboardSettings(**values)


def _raw(section: dict[str, Any], key: str) -> Any:
    found = lookup(section, key)
    return None if found is None else found[1]
