"""No secret in the Azure options reaches any command's output, on every path that reports them.

Configuration errors (a connection string pasted as a second key beside ``Azure``, an
``AccountUrl`` with user-info over http or https, a connection string as an option name,
a bad container name holding a URL) and storage errors (a ``BlobEndpoint`` with
``user:PASSWORD@``, unreachable or answered by Azurite) are each met by every command, run
for real; each command's stdout and stderr are searched for every planted secret.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from publisher_restore.testing.cli_secrets import (
    leaks,
    run_cli,
    run_in_one_process,
)
from publisher_restore_azure.azurite import ACCOUNT, ACCOUNT_KEY, Azurite, free_port
from tests_azure.conftest import SAMPLE_SITE, unique_container

SECRETS = {
    "first_key": "cGxhbnRlZC1maXJzdC1hY2NvdW50LWtleQ==",
    "second_key": "cGxhbnRlZC1zZWNvbmQtYWNjb3VudC1rZXk=",
    "url_password": "planted-url-Pa55word-0011",
    "option_key": "cGxhbnRlZC1vcHRpb24tbmFtZS1rZXk=",
    "container": "planted-container-Pa55word-0012",
    "endpoint_password": "planted-endpoint-Pa55word-0013",
}


def connection_string(key: str, endpoint: str | None = None) -> str:
    where = f"BlobEndpoint={endpoint};" if endpoint else "EndpointSuffix=core.windows.net;"
    return f"DefaultEndpointsProtocol=https;AccountName={ACCOUNT};AccountKey={key};{where}"


CONFIG_ERRORS: dict[str, dict[str, Any]] = {
    "second key beside Azure": {
        "Azure": {
            "ConnectionString": connection_string(SECRETS["first_key"]),
            "ContainerName": "points",
        },
        connection_string(SECRETS["second_key"]): {"ContainerName": "points"},
    },
    "AccountUrl with user-info over http": {
        "Azure": {
            "AccountUrl": f"http://admin:{SECRETS['url_password']}@acct.blob.core.windows.net",
            "ContainerName": "points",
        }
    },
    "AccountUrl with user-info over https": {
        "Azure": {
            "AccountUrl": f"https://admin:{SECRETS['url_password']}@acct.blob.core.windows.net",
            "ContainerName": "points",
        }
    },
    "connection string as an option name": {
        "Azure": {
            "ConnectionString": connection_string(SECRETS["first_key"]),
            "ContainerName": "points",
            connection_string(SECRETS["option_key"]): "",
        }
    },
    "container name holding a URL": {
        "Azure": {
            "ConnectionString": connection_string(SECRETS["first_key"]),
            "ContainerName": f"https://u:{SECRETS['container']}@x.example",
        }
    },
}


def site_with_storage(tmp_path: Path, storage: dict[str, Any]) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, site, ignore=shutil.ignore_patterns("restore"))
    settings = {"uSync": {"Restore": {"Storage": storage}}}
    (site / "appsettings.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")
    return site


@pytest.mark.parametrize("case", sorted(CONFIG_ERRORS))
def test_configuration_errors_print_no_secret(tmp_path: Path, case: str) -> None:
    site = site_with_storage(tmp_path, CONFIG_ERRORS[case])
    printed = run_in_one_process(site, tmp_path)
    assert not leaks(printed, SECRETS.values())
    # analyse compares folders and never opens storage: the storage options do not stop it.
    for run in (run for run in printed if "analyse" not in run.args):
        assert run.exit_code == 3, f"{run.args}: {run.exit_code} {run.stderr}"
        assert run.stderr.startswith("error: uSync:Restore:Storage"), run.stderr
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_the_reported_leaks_now_say_what_is_wrong(tmp_path: Path) -> None:
    """The messages the leaks came from still say what is wrong, with the secret masked."""
    second = site_with_storage(tmp_path / "a", CONFIG_ERRORS["second key beside Azure"])
    message = run_cli(["--site", str(second), "list"]).stderr
    assert "names more than one provider: Azure (from " in message
    assert "(a key that is not a plain name, not shown: it may hold a secret)" in message

    http = site_with_storage(tmp_path / "b", CONFIG_ERRORS["AccountUrl with user-info over http"])
    message = run_cli(["--site", str(http), "list"]).stderr
    assert "expected an https:// URL" in message
    assert "(got 'http://***@acct.blob.core.windows.net')" in message


def test_a_blob_endpoint_with_user_info_is_masked_in_storage_errors(tmp_path: Path) -> None:
    endpoint = f"http://admin:{SECRETS['endpoint_password']}@127.0.0.1:{free_port()}/{ACCOUNT}"
    storage = {
        "Azure": {
            "ConnectionString": connection_string(SECRETS["first_key"], endpoint),
            "ContainerName": unique_container(),
            "RetryTotal": 0,
        }
    }
    printed = run_in_one_process(site_with_storage(tmp_path, storage), tmp_path)
    assert not leaks(printed, SECRETS.values())
    failed = [run for run in printed if run.exit_code == 6]
    assert len(failed) >= 8, [(run.args, run.exit_code, run.stderr) for run in printed]
    for run in failed:
        assert "at http://***@127.0.0.1:" in run.stderr and "could not be reached" in run.stderr


def test_a_blob_endpoint_with_user_info_is_masked_in_answers_from_azurite(
    tmp_path: Path, azurite: Azurite
) -> None:
    """The SDK sends a URL's user-info as Basic auth, so Azurite refuses every request (403):
    each command says so, naming the endpoint with its user-info masked."""
    endpoint = azurite.blob_endpoint.replace(
        "http://", f"http://admin:{SECRETS['endpoint_password']}@"
    )
    storage = {"Azure": {"ConnectionString": connection_string(ACCOUNT_KEY, endpoint),
                         "ContainerName": unique_container(), "RetryTotal": 0}}  # fmt: skip
    printed = run_in_one_process(site_with_storage(tmp_path, storage), tmp_path)
    assert not leaks(printed, [*SECRETS.values(), ACCOUNT_KEY])
    failed = [run for run in printed if run.exit_code == 6]
    assert len(failed) >= 8, [(run.args, run.exit_code, run.stderr) for run in printed]
    for run in failed:
        assert f"at http://***@127.0.0.1:{azurite.port}/" in run.stderr
        assert "authentication failed or access denied (HTTP 403" in run.stderr
