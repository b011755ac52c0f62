"""The publisher's connection settings from ``uSync:Restore:Publisher`` (appsettings, env).

::

    "uSync": { "Restore": { "Publisher": {
      "Servers": { "live": { "Url": "https://live.example.org", "AppId": "dev-site",
                             "AppKey": "<at least 32 characters>" } },   // source side
      "Clients": { "dev-site": { "AppKey": "<the same key>", "Allow": [ "Push", "Pull" ] } },
      "MaxBodyMiB": 256, "PendingMinutes": 15, "StopOnError": false
    } } }

Keys are case-insensitive; an AppKey usually comes from an environment variable
(``uSync__Restore__Publisher__Servers__live__AppKey``).  Keys are never printed: errors name
the key and the file or variable that set it, never the value.  A server URL must be
``https`` unless its host is loopback (``localhost``, ``127.0.0.0/8``, ``::1``): the
signature protects a request's integrity, not its content from being read.  The policy keys
(``Push``, ``Pull``, ``Import``, ``Threshold``, ``IncludeMedia``) are read by the operations
layer, not here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from publisher_restore.config.layers import MergedConfig
from publisher_restore.config.settings import read_usync_config
from publisher_restore.config.values import Where, as_bool, as_count, as_section, is_unset, lookup
from publisher_restore.errors import ConfigError
from publisher_restore.publisher.auth import APP_ID, Operation

SECTION = ("uSync", "Restore", "Publisher")
SECTION_NAME = ":".join(SECTION)
DEFAULT_MAX_BODY_MIB = 256
DEFAULT_PENDING_MINUTES = 15
MIN_APP_KEY_LENGTH = 32
MIB = 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost"})


class ServerSettings(BaseModel):
    """A target this site pushes to or pulls from (``Servers:NAME``)."""

    model_config = ConfigDict(frozen=True)

    name: str
    url: str
    app_id: str
    app_key: SecretStr


class ClientSettings(BaseModel):
    """A source this site accepts requests from (``Clients:APPID``)."""

    model_config = ConfigDict(frozen=True)

    app_id: str
    app_key: SecretStr
    allow: frozenset[Operation]


class PublisherSettings(BaseModel):
    """The ``uSync:Restore:Publisher`` connection settings, validated."""

    model_config = ConfigDict(frozen=True)

    servers: dict[str, ServerSettings] = {}
    """By case-folded name."""
    clients: dict[str, ClientSettings] = {}
    """By case-folded app id: what ``auth.RequestVerifier`` takes."""
    max_body_mib: int = DEFAULT_MAX_BODY_MIB
    pending_minutes: int = DEFAULT_PENDING_MINUTES
    stop_on_error: bool = False

    @property
    def max_body_bytes(self) -> int:
        """``MaxBodyMiB`` in bytes: the largest request body a target accepts."""
        return self.max_body_mib * MIB

    @property
    def pending_for(self) -> timedelta:
        """How long a prepared operation waits for its execute before it is discarded."""
        return timedelta(minutes=self.pending_minutes)

    def server(self, name: str) -> ServerSettings:
        """The server named ``name`` (case-insensitive); ConfigError lists the known names."""
        server = self.servers.get(name.casefold())
        if server is not None:
            return server
        known = ", ".join(sorted(s.name for s in self.servers.values())) or "none"
        raise ConfigError(f"no server {name!r} in {SECTION_NAME}:Servers (configured: {known})")

    def client(self, app_id: str) -> ClientSettings | None:
        """The client with this app id (case-insensitive, as .NET configuration keys are)."""
        return self.clients.get(app_id.casefold())

    def safe_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready data; every AppKey is masked (``**********``)."""
        dumped: dict[str, Any] = self.model_dump(mode="json")
        return dumped


def load_publisher_settings(
    site_root: Path, environ: Mapping[str, str] | None = None
) -> PublisherSettings:
    """Read and validate the site's ``uSync:Restore:Publisher`` section (defaults if absent)."""
    merged, _files = read_usync_config(site_root, environ)
    return publisher_settings_from(merged)


def publisher_settings_from(merged: MergedConfig) -> PublisherSettings:
    """Build the settings from merged configuration layers; ConfigError names key and source."""
    reader = _Reader(merged)
    section = reader.section(())
    values: dict[str, Any] = {
        "servers": reader.servers(section),
        "clients": reader.clients(section),
    }
    max_body = reader.count(section, "MaxBodyMiB", minimum=1)
    pending = reader.count(section, "PendingMinutes", minimum=1)
    stop = as_bool(_raw(section, "StopOnError"), reader.where("StopOnError"))
    for name, value in (("max_body_mib", max_body), ("pending_minutes", pending)):
        if value is not None:
            values[name] = value
    if stop is not None:
        values["stop_on_error"] = stop
    return PublisherSettings(**values)


class _Reader:
    """Raw values of the section with the source of every key, for exact error messages."""

    def __init__(self, merged: MergedConfig) -> None:
        self._merged = merged

    def where(self, key: str) -> Where:
        path = (*SECTION, *key.split(":")) if key else SECTION
        return Where(":".join(path), self._merged.source(path))

    def section(self, path: tuple[str, ...]) -> dict[str, Any]:
        key = ":".join(path)
        return as_section(self._merged.tree((*SECTION, *path)), self.where(key))

    def count(self, section: dict[str, Any], key: str, minimum: int) -> int | None:
        value = as_count(_raw(section, key), self.where(key))
        if value is not None and value < minimum:
            raise self.where(key).error(f"must be at least {minimum}", value)
        return value

    def servers(self, section: dict[str, Any]) -> dict[str, ServerSettings]:
        servers = {}
        for name, entry in as_section(_raw(section, "Servers"), self.where("Servers")).items():
            if not is_unset(entry) and entry != {}:
                servers[name.casefold()] = self._server(name, entry)
        return servers

    def clients(self, section: dict[str, Any]) -> dict[str, ClientSettings]:
        clients = {}
        for app_id, entry in as_section(_raw(section, "Clients"), self.where("Clients")).items():
            if not is_unset(entry) and entry != {}:
                clients[app_id.casefold()] = self._client(app_id, entry)
        return clients

    def _server(self, name: str, entry: Any) -> ServerSettings:
        prefix = f"Servers:{name}"
        fields = as_section(entry, self.where(prefix))
        return ServerSettings(
            name=name,
            url=_url(_raw(fields, "Url"), self.where(f"{prefix}:Url")),
            app_id=_app_id(_raw(fields, "AppId"), self.where(f"{prefix}:AppId")),
            app_key=_app_key(_raw(fields, "AppKey"), self.where(f"{prefix}:AppKey")),
        )

    def _client(self, app_id: str, entry: Any) -> ClientSettings:
        prefix = f"Clients:{app_id}"
        fields = as_section(entry, self.where(prefix))
        return ClientSettings(
            app_id=_app_id(app_id, self.where(prefix)),
            app_key=_app_key(_raw(fields, "AppKey"), self.where(f"{prefix}:AppKey")),
            allow=_allow(_raw(fields, "Allow"), self.where(f"{prefix}:Allow")),
        )


def _raw(section: dict[str, Any], key: str) -> Any:
    found = lookup(section, key)
    return None if found is None else found[1]


def _app_id(value: Any, where: Where) -> str:
    if is_unset(value):
        raise where.error("an AppId is required", show_value=False)
    if not isinstance(value, str) or not APP_ID.fullmatch(value.strip()):
        raise where.error("expected 1 to 128 letters, digits, '.', '_' or '-'", value)
    return value.strip()


def _app_key(value: Any, where: Where) -> SecretStr:
    if is_unset(value):
        raise where.error("an AppKey is required", show_value=False)
    if not isinstance(value, str):
        raise where.error("expected a string", show_value=False)
    if len(value.strip()) < MIN_APP_KEY_LENGTH:
        raise where.error(
            f"must be at least {MIN_APP_KEY_LENGTH} characters (e.g. "
            'python -c "import secrets; print(secrets.token_urlsafe(32))")',
            show_value=False,
        )
    return SecretStr(value.strip())


def _allow(value: Any, where: Where) -> frozenset[Operation]:
    items = value.split(",") if isinstance(value, str) else value
    if is_unset(value) or not isinstance(items, list):
        raise where.error('expected a list such as ["Push", "Pull"]', value)
    by_name = {operation.value.casefold(): operation for operation in Operation}
    allowed = set()
    for item in items:
        operation = by_name.get(item.strip().casefold()) if isinstance(item, str) else None
        if operation is None:
            raise where.error("each entry must be Push or Pull", item)
        allowed.add(operation)
    return frozenset(allowed)


def _url(value: Any, where: Where) -> str:
    if is_unset(value) or not isinstance(value, str):
        raise where.error("a Url such as https://live.example.org is required", value)
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError:
        raise where.error("not a valid URL", show_value=False) from None
    if parts.username is not None or parts.password is not None:
        raise where.error("must not carry a user name or password", show_value=False)
    if parts.scheme not in ("https", "http") or not host:
        raise where.error("expected an http(s) URL with a host", value)
    if parts.query or parts.fragment:
        raise where.error("must not have a query or fragment", value)
    if parts.scheme == "http" and not _is_loopback(host):
        raise where.error("must use https (plain http is allowed only for loopback)", value)
    return value.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.casefold() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
