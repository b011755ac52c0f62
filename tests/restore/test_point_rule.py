"""One rule for what a point may hold (verify, check and restore agree), and check says what
it read: the manifest and the files it compares, not the whole archive unless asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher_restore.errors import HostileInputError
from publisher_restore.service import RestoreService
from tests.restore.test_interruptions import run_cli
from tests.restore.test_restore_safety import forge_point
from tests.restore.test_unfinished_restores import run_batch


@pytest.mark.parametrize(
    "path", ["appsettings.json", "uSync/restore/.state/evil.txt", "wwwroot/media/x/a.css"]
)
def test_verify_refuses_the_points_check_and_restore_refuse(sample_site: Path, path: str) -> None:
    service = RestoreService.open(sample_site)
    point = forge_point(service, {path: b"owned"})
    verified = service.verify(point.id)
    assert not verified.ok and verified.error is not None
    assert "is not a static file of this site" in verified.error
    with pytest.raises(HostileInputError) as by_check:
        service.check(point.id)
    assert str(by_check.value) == verified.error, "one rule, one message"
    cli = run_cli(sample_site, "verify", point.id)
    assert cli.returncode == 5 and path in cli.stdout


def flip_a_byte(archive: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x40
    archive.chmod(0o644)
    archive.write_bytes(bytes(data))


def alter_archive_hash(manifest: Path) -> None:
    document = json.loads(manifest.read_text())
    document["archive_sha256"] = "0" * 64
    manifest.chmod(0o644)
    manifest.write_text(json.dumps(document))


@pytest.mark.parametrize("damage", ["archive byte", "manifest hash"])
def test_check_says_it_read_only_what_it_compared_and_check_verify_reads_all(
    sample_site: Path, damage: str
) -> None:
    point = RestoreService.open(sample_site).create(include_media=True)
    folder = sample_site / "uSync/restore/points" / point.id
    if damage == "archive byte":
        flip_a_byte(folder / point.archive_name)
    else:
        alter_archive_hash(folder / "manifest.json")

    checked, as_json, *refused = run_batch(
        sample_site,
        ("check", point.id),
        ("check", point.id, "--json"),
        ("check", point.id, "--verify"),
        ("verify", point.id),
    )
    assert checked.returncode == 0, checked.stderr
    assert f"'publisher-restore verify {point.id}' (or check --verify) reads all" in (
        checked.stdout
    )
    assert json.loads(as_json.stdout)["archive_verified"] is False
    assert [ran.returncode for ran in refused] == [5, 5], [ran.stderr for ran in refused]


def test_check_verify_passes_a_sound_point(sample_site: Path) -> None:
    point = RestoreService.open(sample_site).create(include_media=True)
    as_json, text = run_batch(
        sample_site, ("check", point.id, "--verify", "--json"), ("check", point.id, "--verify")
    )
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["archive_verified"] is True
    assert "was read in full: every hash matches" in text.stdout
