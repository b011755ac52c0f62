"""``uSync:Restore:Publisher`` connection settings: parsed, validated, and keys never shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from publisher_restore.config import load_settings
from publisher_restore.errors import ConfigError
from publisher_restore.publisher.auth import Operation, RequestVerifier, sign_request
from publisher_restore.publisher.nonces import SqliteNonceStore
from publisher_restore.publisher.settings import (
    DEFAULT_MAX_BODY_MIB,
    PublisherSettings,
    load_publisher_settings,
)

KEY = "s3cret-key-s3cret-key-s3cret-key-0123"
ENV_KEY = "from-the-environment-0123456789abcdef"
ENV = "uSync__Restore__Publisher__Servers__live__AppKey"


def site_with(tmp_path: Path, publisher: dict[str, Any], name: str = "site") -> Path:
    root = tmp_path / name
    root.mkdir()
    document = {"uSync": {"Restore": {"Publisher": publisher}}}
    (root / "appsettings.json").write_text(json.dumps(document), encoding="utf-8")
    return root


def config_error(root: Path, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_publisher_settings(root, environ or {})
    message = str(caught.value)
    for secret in (KEY, ENV_KEY, "hunter2"):
        assert secret not in message
    return message


def test_defaults_when_the_section_is_absent(tmp_path: Path) -> None:
    settings = load_publisher_settings(tmp_path, {})
    assert settings == PublisherSettings()
    assert settings.max_body_bytes == DEFAULT_MAX_BODY_MIB * 1024 * 1024
    assert (settings.pending_minutes, settings.stop_on_error) == (15, False)


def test_servers_and_clients_with_a_key_from_the_environment(tmp_path: Path) -> None:
    root = site_with(
        tmp_path,
        {
            "Servers": {"Live": {"Url": "https://live.example.org/", "AppId": "dev-site"}},
            "Clients": {"dev-site": {"AppKey": KEY, "Allow": ["Push", "pull"]}},
            "MaxBodyMiB": "64",
            "PendingMinutes": 30,
            "StopOnError": "True",
            "Push": "Auto",  # policy keys belong to the operations layer: ignored here
        },
    )
    settings = load_publisher_settings(root, {ENV: ENV_KEY})
    live = settings.server("LIVE")
    assert (live.name, live.url, live.app_id) == ("Live", "https://live.example.org", "dev-site")
    assert live.app_key.get_secret_value() == ENV_KEY
    client = settings.client("DEV-SITE")
    assert client is not None and client.allow == {Operation.PUSH, Operation.PULL}
    assert (settings.max_body_mib, settings.pending_minutes, settings.stop_on_error) == (
        64,
        30,
        True,
    )
    shown = repr(settings) + json.dumps(settings.safe_dict())
    assert KEY not in shown and ENV_KEY not in shown
    restore = load_settings(root, {ENV: ENV_KEY})  # the restore settings still load...
    assert restore.folder == "uSync/restore"
    assert ENV_KEY not in repr(restore) and KEY not in json.dumps(restore.safe_dict())  # masked
    with pytest.raises(ConfigError, match=r"no server 'stage' .*\(configured: Live\)"):
        settings.server("stage")


def test_a_short_key_names_the_key_and_where_it_came_from(tmp_path: Path) -> None:
    servers = {"live": {"Url": "https://live.example.org", "AppId": "a", "AppKey": KEY}}
    root = site_with(tmp_path, {"Servers": servers})
    message = config_error(root, {ENV: "hunter2"})
    assert message.startswith("uSync:Restore:Publisher:Servers:live:AppKey in environment variable")
    assert ENV in message and "at least 32 characters" in message
    short = site_with(tmp_path, {"Clients": {"b": {"AppKey": "hunter2", "Allow": "Push"}}}, "b")
    message = config_error(short)
    assert "Clients:b:AppKey in " in message and str(short / "appsettings.json") in message


@pytest.mark.parametrize(
    "url", ["http://localhost:8600", "http://127.0.0.1:8600/", "http://[::1]:8600", "https://x.org"]
)
def test_plain_http_is_allowed_only_for_loopback(tmp_path: Path, url: str) -> None:
    root = site_with(tmp_path, {"Servers": {"t": {"Url": url, "AppId": "a", "AppKey": KEY}}})
    assert load_publisher_settings(root, {}).server("t").url == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://live.example.org", "must use https"),
        ("http://10.0.0.5:8600", "must use https"),
        ("https://admin:hunter2@live.example.org", "user name or password"),
        ("ftp://live.example.org", "http(s) URL"),
        ("https://live.example.org/?sig=abc", "query or fragment"),
        ("https://live.example.org:port", "not a valid URL"),
        (None, "Url such as"),
    ],
)
def test_bad_server_urls_are_refused(tmp_path: Path, url: str | None, problem: str) -> None:
    root = site_with(tmp_path, {"Servers": {"t": {"Url": url, "AppId": "a", "AppKey": KEY}}})
    message = config_error(root)
    assert message.startswith("uSync:Restore:Publisher:Servers:t:Url in ") and problem in message


@pytest.mark.parametrize(
    ("publisher", "problem"),
    [
        ({"Clients": {"c": {"AppKey": KEY}}}, "Clients:c:Allow in "),
        ({"Clients": {"c": {"AppKey": KEY, "Allow": ["Push", "Delete"]}}}, "Push or Pull"),
        ({"Clients": {"bad id": {"AppKey": KEY, "Allow": ["Push"]}}}, "letters, digits"),
        ({"Clients": {"c": {"Allow": ["Push"]}}}, "an AppKey is required"),
        ({"Servers": {"t": {"Url": "https://x.org", "AppKey": KEY}}}, "an AppId is required"),
        ({"MaxBodyMiB": 0}, "MaxBodyMiB in "),
        ({"PendingMinutes": "soon"}, "expected a whole number"),
        ({"StopOnError": "maybe"}, "expected true or false"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, publisher: dict[str, Any], problem: str) -> None:
    assert problem in config_error(site_with(tmp_path, publisher))


def test_allow_from_environment_array_entries(tmp_path: Path) -> None:
    environ = {
        "uSync__Restore__Publisher__Clients__ci__AppKey": KEY,
        "uSync__Restore__Publisher__Clients__ci__Allow__0": "Pull",
    }
    client = load_publisher_settings(tmp_path, environ).client("ci")
    assert client is not None and client.allow == {Operation.PULL}


def test_a_source_server_entry_signs_what_the_target_client_entry_accepts(tmp_path: Path) -> None:
    source = load_publisher_settings(
        site_with(tmp_path, {"Servers": {"live": {"Url": "https://l.org", "AppId": "dev"}}}, "s"),
        {ENV: ENV_KEY},
    )
    target = load_publisher_settings(
        site_with(tmp_path, {"Clients": {"dev": {"AppKey": ENV_KEY, "Allow": ["Push"]}}}, "t"),
        {},
    )
    live = source.server("live")
    headers = sign_request("POST", "/p", b"{}", app_id=live.app_id, app_key=live.app_key)
    nonces = SqliteNonceStore.in_state_dir(tmp_path / "t" / ".state", retention_seconds=600)
    verifier = RequestVerifier(target.clients, nonces, max_body_bytes=target.max_body_bytes)
    assert verifier.verify("POST", "/p", headers, b"{}", Operation.PUSH).app_id == "dev"
