"""The CLI end to end on a site configured only through appsettings.json's Azure section.

Every command runs as a real ``publisher-restore`` process (the plugin is found
through its entry point) against Azurite; no output may carry the account key.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from azure.storage.blob import ContainerClient

from publisher_restore.service import RestoreService
from publisher_restore_azure.azurite import ACCOUNT_KEY, Azurite
from tests_azure.conftest import REPO, SAMPLE_SITE

WRONG_KEY = "V3JvbmdLZXlGb3JUZXN0aW5nT25seVdyb25nS2V5Rm9yVGVzdGluZ09ubHk0NTY3OA=="


class SiteCli:
    """Runs ``publisher-restore --site SITE ...`` and keeps every byte it printed."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.printed: list[str] = []

    def run(self, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "publisher_restore", "--site", str(self.site), *args]
        done = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
        )
        self.printed += [done.stdout, done.stderr]
        assert done.returncode == expect, f"{args}: exit {done.returncode}\n{done.stderr}"
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


def configure_azure(site: Path, connection_string: str, container: str) -> None:
    """Replace the site's appsettings.json with exactly the documented Azure section."""
    settings = {
        "uSync": {
            "Restore": {
                "Storage": {
                    "Azure": {"ConnectionString": connection_string, "ContainerName": container}
                }
            }
        }
    }
    (site / "appsettings.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")


def site_bytes(site: Path) -> dict[str, bytes]:
    """Every file of the site except the tool's own state folder."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and "uSync/restore" not in path.relative_to(site).as_posix()
    }


def damage(site: Path) -> None:
    """The kind of changes a bad deploy makes: edited item, lost view, stray css, new media."""
    item = site / "uSync/v9/ContentTypes/blogpost.config"
    item.write_text(item.read_text(encoding="utf-8").replace("blog", "BLOG"), encoding="utf-8")
    (site / "Views/blogPost.cshtml").unlink()
    (site / "wwwroot/css/stray.css").write_text("body { color: red }\n", encoding="utf-8")
    (site / "wwwroot/media/abc123/photo-one.png").write_bytes(b"not a png any more")


@pytest.fixture
def azure_site(tmp_path: Path, azurite: Azurite) -> tuple[Path, str]:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, site, ignore=shutil.ignore_patterns("restore"))
    container = f"cli-{uuid.uuid4().hex[:12]}"
    configure_azure(site, azurite.connection_string, container)
    return site, container


def test_cli_round_trip_on_azure(azure_site: tuple[Path, str], azurite: Azurite) -> None:
    site, container = azure_site
    cli = SiteCli(site)
    original = site_bytes(site)
    first = cli.json("create", "--media", "--note", "before deploy")
    assert first["includes_media"] is True

    damage(site)
    report = cli.json("check", "latest")
    changed = {change["path"] for change in report["changes"]}
    assert {"Views/blogPost.cshtml", "wwwroot/css/stray.css"} <= changed
    assert "uSync/v9/ContentTypes/blogpost.config" in changed

    restored = cli.json("restore", first["id"], "--yes")
    assert site_bytes(site) == original, "the restore must be byte-identical"
    pre_id = restored["pre_restore_point"]
    assert pre_id and pre_id != first["id"]

    listed = cli.json("list")
    assert [point["id"] for point in listed] == [pre_id, first["id"]]
    assert cli.json("show", first["id"])["id"] == first["id"]
    assert all(result["ok"] for result in cli.json("verify", "--all"))
    assert_blobs(azurite, container, {first["id"], pre_id}, site)
    assert not (site / "uSync/restore/points").exists(), "nothing may be stored locally"

    assert cli.json("delete", pre_id, "--yes") == {"deleted": pre_id}
    newest = cli.json("create", "--no-media")
    assert cli.json("prune", "--keep-last", "1") == {"dry_run": False, "deleted": [first["id"]]}
    assert [point["id"] for point in cli.json("list")] == [newest["id"]]
    assert_blobs(azurite, container, {newest["id"]}, site)
    cli.run("show", "no-such-point", expect=8)
    assert_no_secret(cli.printed, ACCOUNT_KEY)


def test_wrong_key_fails_clearly_without_showing_it(
    azure_site: tuple[Path, str], azurite: Azurite
) -> None:
    site, container = azure_site
    configure_azure(site, azurite.connection_string.replace(ACCOUNT_KEY, WRONG_KEY), container)
    cli = SiteCli(site)
    failed = cli.run("create", "--no-media", expect=6)
    assert "authentication failed" in failed.stderr
    assert container in failed.stderr and "Traceback" not in failed.stderr
    cli.run("list", expect=6)
    assert_no_secret(cli.printed, WRONG_KEY)


def assert_blobs(azurite: Azurite, container: str, point_ids: set[str], site: Path) -> None:
    """The container holds exactly each point's manifest and the objects the manifests name
    (nothing a deleted point alone needed), plus the lock blob."""
    client = ContainerClient.from_connection_string(azurite.connection_string, container)
    names = {blob.name for blob in client.list_blobs()}
    store = RestoreService.open(site).store
    expected = {f"points/{i}/manifest.v2" for i in point_ids}
    for point_id in point_ids:
        expected |= set(store.body(store.get(point_id)).objects)
    assert names == expected | {".locks/site"}


def assert_no_secret(printed: list[str], key: str) -> None:
    everything = "\n".join(printed)
    for secret in (key, key[:12], key[-16:], "AccountKey="):
        assert secret not in everything
