"""The ``uSync:Restore:Storage:Azure`` options, validated; errors name the key and file.

Keys are matched case-insensitively, as .NET binds them.  Unknown keys are
refused rather than ignored: a misspelt ``Prefix`` would otherwise mix two
sites' restore points in one container.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from publisher_restore.config.values import Where, as_count, is_unset
from publisher_restore.errors import ConfigError
from publisher_restore.storage.registry import StorageRequest

MIB = 1024 * 1024
LEASE_RANGE = (15, 60)  # the lease durations Azure accepts, in seconds
KNOWN_KEYS = (
    "ConnectionString",
    "AccountUrl",
    "ContainerName",
    "Prefix",
    "LeaseSeconds",
    "Concurrency",
    "BlockSizeMiB",
    "RetryTotal",
)
_CONTAINER_NAME = re.compile(r"^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


class AzureSettings(BaseModel):
    """How to reach the container; ``connection_string`` is a secret and never shown."""

    model_config = ConfigDict(frozen=True)

    container: str
    connection_string: str | None = Field(default=None, repr=False)
    account_url: str | None = None
    prefix: str = ""
    lease_seconds: int = 30
    concurrency: int = 8
    block_size: int = 4 * MIB
    retry_total: int = 5


class _Options:
    """Raw options with case-insensitive lookup and errors that say where a key came from."""

    def __init__(self, request: StorageRequest) -> None:
        self.values = {key.lower(): (key, value) for key, value in request.options.items()}
        self.section = f"uSync:Restore:Storage:{request.provider}"
        self.source = request.source

    def where(self, key: str) -> Where:
        return Where(f"{self.section}:{key}", self.source)

    def get(self, key: str) -> Any:
        found = self.values.get(key.lower())
        return None if found is None or is_unset(found[1]) else found[1]

    def text(self, key: str) -> str | None:
        value = self.get(key)
        if value is not None and not isinstance(value, str):
            raise self.where(key).error("expected a string", value)
        return None if value is None else value.strip()

    def number(self, key: str, default: int, low: int, high: int) -> int:
        count = as_count(self.get(key), self.where(key))
        if count is None:
            return default
        if not low <= count <= high:
            raise self.where(key).error(f"must be between {low} and {high}", count)
        return count


def parse_settings(request: StorageRequest) -> AzureSettings:
    """Validate a site's Azure options; ``ConfigError`` names the key and the file."""
    options = _Options(request)
    _refuse_unknown_keys(options)
    connection_string, account_url = _credentials(options)
    return AzureSettings(
        container=_container(options),
        connection_string=connection_string,
        account_url=account_url,
        prefix=_prefix(options),
        lease_seconds=options.number("LeaseSeconds", 30, *LEASE_RANGE),
        concurrency=options.number("Concurrency", 8, 1, 32),
        block_size=options.number("BlockSizeMiB", 4, 1, 100) * MIB,
        retry_total=options.number("RetryTotal", 5, 0, 20),
    )


def _refuse_unknown_keys(options: _Options) -> None:
    known = {key.lower() for key in KNOWN_KEYS}
    for written, _value in options.values.values():
        if written.lower() not in known:
            raise options.where(written).error(
                f"unknown Azure storage option; known options: {', '.join(KNOWN_KEYS)}",
                show_value=False,
            )


def _credentials(options: _Options) -> tuple[str | None, str | None]:
    connection_string = options.text("ConnectionString")
    account_url = options.text("AccountUrl")
    if connection_string and account_url:
        raise options.where("AccountUrl").error(
            "give either ConnectionString or AccountUrl (with the default Azure credential), "
            "not both",
            show_value=False,
        )
    if not connection_string and not account_url:
        raise ConfigError(
            f"{options.section} in {options.source}: ConnectionString is required "
            "(or AccountUrl, to sign in with the default Azure credential chain)"
        )
    if account_url:
        _check_account_url(account_url, options.where("AccountUrl"))
    if connection_string:
        _check_connection_string(connection_string, options.where("ConnectionString"))
    return connection_string, account_url


def _check_connection_string(connection_string: str, where: Where) -> None:
    """Refuse a string without a key or SAS: the SDK would go anonymous, and real Azure
    answers anonymous reads of a private container with 404, so ``list`` would look empty.
    """
    parts = {}
    for part in connection_string.split(";"):
        name, _, value = part.partition("=")
        parts[name.strip().lower()] = value.strip()
    if parts.get("usedevelopmentstorage", "").lower() == "true":
        return
    if not (parts.get("accountkey") or parts.get("sharedaccesssignature")):
        raise where.error(
            "has neither an AccountKey nor a SharedAccessSignature; copy the full connection "
            "string from the storage account's Access keys, or use AccountUrl to sign in with "
            "the default Azure credential",
            show_value=False,
        )


def _check_account_url(url: str, where: Where) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        # azure-core refuses to send a bearer token over plain http.
        raise where.error(
            "expected an https:// URL such as https://ACCOUNT.blob.core.windows.net", url
        )
    if parts.query or parts.username or parts.password:
        # A SAS token or password in the URL would be a secret in a non-secret key.
        raise where.error(
            "must not carry a SAS token or credentials; put those in ConnectionString",
            show_value=False,
        )


def _container(options: _Options) -> str:
    name = options.text("ContainerName")
    if not name:
        raise ConfigError(f"{options.section}:ContainerName in {options.source}: is required")
    if not _CONTAINER_NAME.match(name):
        raise options.where("ContainerName").error(
            "not a valid container name (3-63 lowercase letters, digits and single hyphens, "
            "starting and ending with a letter or digit)",
            name,
        )
    return name


def _prefix(options: _Options) -> str:
    prefix = (options.text("Prefix") or "").replace("\\", "/").strip("/")
    parts = prefix.split("/")
    if prefix and any(part in ("", ".", "..") for part in parts):
        raise options.where("Prefix").error("expected a path such as 'site-a' or 'sites/a'", prefix)
    return prefix
