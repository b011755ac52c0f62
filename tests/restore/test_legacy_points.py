"""Version-1 points (one archive.tar.zst beside a manifest.json, written by older versions)
stay readable: list, show, check, restore, verify, export, pin, delete."""

from __future__ import annotations

import json
from pathlib import Path

from publisher_restore.service import RestoreService
from tests.restore.helpers import damage, fingerprint
from tests.restore.points_craft import legacy_files, legacy_point
from tests.restore.test_unfinished_restores import run_batch


def test_a_version_1_point_is_listed_shown_checked_restored_and_deleted(
    sample_site: Path, tmp_path: Path
) -> None:
    service = RestoreService.open(sample_site)
    old = legacy_point(service, note="from an older version")
    new = service.create(note="new")
    good = fingerprint(sample_site)
    done = damage(service)
    out = tmp_path / "old.tar.zst"
    listed, shown, checked, verified, exported, pinned = run_batch(
        sample_site,
        ("list", "--json"),
        ("show", old.id, "--json"),
        ("check", old.id, "--json"),
        ("verify", "--all", "--json"),
        ("export", old.id, "--out", str(out), "--json"),
        ("pin", old.id, "--json"),
    )
    points = {p["id"]: p for p in json.loads(listed.stdout)}
    assert set(points) == {old.id, new.id}
    assert points[old.id]["format"] == "tar+zstd" and points[new.id]["format"] == "objects"
    manifest = json.loads(shown.stdout)
    assert manifest["manifest_version"] == 1 and len(manifest["files"]) == old.file_count
    assert {i["path"] for i in manifest["items"]} == {r.path for r in new.items}
    changes = {c["path"]: c["change"] for c in json.loads(checked.stdout)["changes"]}
    assert changes[done["content_type"]] == "update" and changes[done["view"]] == "create"
    assert all(r["ok"] for r in json.loads(verified.stdout)), verified.stdout
    assert exported.returncode == 0 and out.stat().st_size > 0, exported.stderr
    assert json.loads(pinned.stdout)["pinned"] is True
    archive, manifest_file = legacy_files(service, old)
    assert json.loads(manifest_file.read_text())["pinned"] is True

    service.restore(old.id, pre_restore=False)
    assert fingerprint(sample_site) == good
    assert service.pin(old.id, pinned=False).pinned is False
    service.delete(old.id)
    assert not archive.exists() and not manifest_file.exists()
    assert [p.id for p in service.points()] == [new.id]
    assert service.verify(new.id).ok


def test_a_create_after_a_version_1_point_stores_everything_anew(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    legacy_point(service)
    point = service.create()
    assert point.manifest_version == 2
    assert point.added_bytes > 0, "a version-1 archive is never a reference"
    assert service.verify(point.id).ok
