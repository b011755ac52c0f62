"""Configuration: the documented Azure section, its validation, plugin discovery, secrecy."""

from __future__ import annotations

import json
import re
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from azure.identity import DefaultAzureCredential

from publisher_restore.errors import ConfigError
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.service import RestoreService
from publisher_restore.storage.registry import AZURE_NOT_INSTALLED, StorageRequest
from publisher_restore_azure.azurite import ACCOUNT_KEY
from publisher_restore_azure.provider import AzureBlobStorageProvider
from publisher_restore_azure.settings import AzureSettings, parse_settings

CONNECTION_STRING = (
    "DefaultEndpointsProtocol=https;AccountName=example;"
    f"AccountKey={ACCOUNT_KEY};EndpointSuffix=core.windows.net"
)
SOURCE = "/site/appsettings.json"


def settings_of(**options: Any) -> AzureSettings:
    request = StorageRequest(
        site_root=Path("/site"),
        restore_dir=Path("/site/uSync/restore"),
        provider="Azure",
        options=options,
        source=SOURCE,
    )
    return parse_settings(request)


def config_error(**options: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        settings_of(**options)
    message = str(caught.value)
    assert SOURCE in message and ACCOUNT_KEY not in message
    return message


def test_documented_section_with_defaults() -> None:
    settings = settings_of(ConnectionString=CONNECTION_STRING, ContainerName="restore-points")
    assert settings.container == "restore-points" and settings.prefix == ""
    assert (settings.lease_seconds, settings.concurrency, settings.retry_total) == (30, 8, 5)
    assert settings.block_size == 4 * 1024 * 1024


def test_keys_are_case_insensitive_and_numbers_may_be_strings() -> None:
    settings = settings_of(
        connectionstring=CONNECTION_STRING,
        CONTAINERNAME="points",
        prefix="/sites/site-a/",
        leaseSeconds="15",
        blocksizemib=8,
    )
    assert (settings.container, settings.prefix, settings.lease_seconds) == (
        "points",
        "sites/site-a",
        15,
    )
    assert settings.block_size == 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"ConnectionString": CONNECTION_STRING}, "ContainerName in .*: is required"),
        ({"ContainerName": "points"}, "ConnectionString is required"),
        ({"ConnectionString": CONNECTION_STRING, "ContainerName": "Bad_Name"}, "Bad_Name"),
        ({"ConnectionString": CONNECTION_STRING, "ContainerName": "a--b"}, "not a valid container"),
        (
            {"ConnectionString": CONNECTION_STRING, "ContainerName": "ok1", "Perfix": "a"},
            "Azure:Perfix .*unknown Azure storage option",
        ),
        (
            {"ConnectionString": CONNECTION_STRING, "ContainerName": "ok1", "Prefix": "a/../b"},
            "Azure:Prefix",
        ),
        (
            {"ConnectionString": CONNECTION_STRING, "ContainerName": "ok1", "LeaseSeconds": 10},
            "LeaseSeconds .*between 15 and 60",
        ),
        (
            {"ConnectionString": CONNECTION_STRING, "ContainerName": "ok1", "Concurrency": "x"},
            "Concurrency .*whole number",
        ),
        (
            {
                "ConnectionString": CONNECTION_STRING,
                "AccountUrl": "https://example.blob.core.windows.net",
                "ContainerName": "ok1",
            },
            "either ConnectionString or AccountUrl",
        ),
        (
            {"AccountUrl": "http://example.blob.core.windows.net", "ContainerName": "ok1"},
            "AccountUrl .*https://",
        ),
    ],
)
def test_bad_settings_name_key_and_file(options: dict[str, Any], expected: str) -> None:
    message = config_error(**options)
    assert re.search(expected, message), message


@pytest.mark.parametrize(
    "connection_string",
    [
        "DefaultEndpointsProtocol=https;AccountName=acct;EndpointSuffix=core.windows.net",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=;EndpointSuffix=x.net",
        "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=",
    ],
)
def test_connection_string_without_key_or_sas_is_refused(connection_string: str) -> None:
    message = config_error(ConnectionString=connection_string, ContainerName="ok1")
    assert "Azure:ConnectionString in" in message
    assert "neither an AccountKey nor a SharedAccessSignature" in message
    assert "AccountName=acct" not in message


def test_development_storage_shorthand_needs_no_key() -> None:
    settings = settings_of(ConnectionString="UseDevelopmentStorage=true", ContainerName="ok1")
    assert settings.connection_string == "UseDevelopmentStorage=true"


def test_connection_string_pasted_as_account_url_is_refused_with_the_key_masked() -> None:
    message = config_error(AccountUrl=CONNECTION_STRING, ContainerName="ok1")
    assert "AccountUrl" in message and "https://" in message
    assert "got None" not in message and "AccountKey=***" in message
    assert ACCOUNT_KEY not in message


def test_sas_in_account_url_is_refused_without_echoing_it() -> None:
    message = config_error(
        AccountUrl="https://example.blob.core.windows.net/?sv=2024&sig=SECRETSIGNATURE",
        ContainerName="ok1",
    )
    assert "SAS token" in message and "SECRETSIGNATURE" not in message


def test_malformed_connection_string_is_a_config_error_without_the_value() -> None:
    malformed = f"not-a-connection-string;AccountKey={ACCOUNT_KEY}"
    settings = settings_of(ConnectionString=malformed, ContainerName="ok1")
    with pytest.raises(ConfigError, match=r"ConnectionString in .*not a valid") as caught:
        AzureBlobStorageProvider(settings, source=SOURCE)
    assert "not-a-connection-string" not in str(caught.value)
    assert ACCOUNT_KEY not in str(caught.value)


def test_account_url_signs_in_with_the_default_credential_chain() -> None:
    settings = settings_of(AccountUrl="https://example.blob.core.windows.net", ContainerName="ok1")
    provider = AzureBlobStorageProvider(settings, source=SOURCE)
    assert isinstance(provider.container.credential, DefaultAzureCredential)
    assert provider.describe() == ("Azure container 'ok1' at https://example.blob.core.windows.net")


def test_plugin_is_registered_through_its_entry_point() -> None:
    found = [ep for ep in entry_points(group="publisher_restore") if ep.name == "azure"]
    assert [ep.value for ep in found] == ["publisher_restore_azure.plugin"]


def write_appsettings(site: Path, azure: dict[str, Any]) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "uSync" / "v9").mkdir(parents=True)
    (site / "uSync" / "v9" / "usync.config").write_text("<uSync />", encoding="utf-8")
    document = {"uSync": {"Restore": {"Storage": {"Azure": azure}}}}
    (site / "appsettings.json").write_text(json.dumps(document), encoding="utf-8")


def test_site_configuration_selects_azure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_appsettings(site, {"ContainerName": "points", "Prefix": "site-a"})
    # The secret comes from the environment, as App Service application settings provide it.
    monkeypatch.setenv("uSync__Restore__Storage__Azure__ConnectionString", CONNECTION_STRING)
    service = RestoreService.open(site)
    provider = service.store.provider
    assert isinstance(provider, AzureBlobStorageProvider)
    assert (provider.settings.container, provider.settings.prefix) == ("points", "site-a")
    assert provider.settings.connection_string == CONNECTION_STRING


def test_without_the_plugin_the_error_says_what_to_install(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_appsettings(site, {"ConnectionString": CONNECTION_STRING, "ContainerName": "points"})
    with pytest.raises(ConfigError) as caught:
        RestoreService.open(site, pm=build_plugin_manager(load_entry_points=False))
    assert str(caught.value) == AZURE_NOT_INSTALLED
    assert "publisher-restore-azure" in str(caught.value)
