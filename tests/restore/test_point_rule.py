"""One rule for what a point may hold (verify, check and restore agree), and check says what
it read: the manifest and the files it compares, not the whole archive unless asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher_restore.errors import HostileInputError
from publisher_restore.service import RestoreService
from tests.restore.points_craft import legacy_files, legacy_point
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


def flip_a_byte(stored: Path) -> None:
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x40
    stored.chmod(0o644)
    stored.write_bytes(bytes(data))


def alter_archive_hash(manifest: Path) -> None:
    document = json.loads(manifest.read_text())
    document["archive_sha256"] = "0" * 64
    manifest.chmod(0o644)
    manifest.write_text(json.dumps(document))


def damage_what_check_does_not_read(site: Path, damage: str) -> str:
    """A point of the unchanged site, damaged where a check of it reads nothing; its id."""
    service = RestoreService.open(site)
    if damage.startswith("version 1"):
        point = legacy_point(service, include_media=True)
        archive, manifest = legacy_files(service, point)
        flip_a_byte(archive) if damage.endswith("archive byte") else alter_archive_hash(manifest)
        return point.id
    point = service.create(include_media=True)
    [pack, *_] = sorted((site / "uSync/restore/objects/pack").iterdir())
    flip_a_byte(pack) if damage == "pack byte" else pack.unlink()
    return point.id


@pytest.mark.parametrize(
    "damage",
    ["pack byte", "missing pack", "version 1 archive byte", "version 1 manifest hash"],
)
def test_check_says_it_read_only_what_it_compared_and_check_verify_reads_all(
    sample_site: Path, damage: str
) -> None:
    point_id = damage_what_check_does_not_read(sample_site, damage)
    checked, as_json, *refused = run_batch(
        sample_site,
        ("check", point_id),
        ("check", point_id, "--json"),
        ("check", point_id, "--verify"),
        ("verify", point_id),
    )
    assert checked.returncode == 0, checked.stderr
    assert f"'publisher-restore verify {point_id}' (or check --verify) reads all" in (
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
