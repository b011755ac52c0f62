"""A restore touches only the point's files in its scopes, inside the site, never via links."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import json5
import pytest

from publisher_restore.errors import HostileInputError, IntegrityError, SiteError
from publisher_restore.restore.manifest import Manifest, Scope
from publisher_restore.service import RestoreService
from tests.restore.helpers import fingerprint
from tests.restore.points_craft import forge_point as forge


def forge_point(service: RestoreService, extra: dict[str, bytes]) -> Manifest:
    """A point whose manifest, index and objects agree but name files of the caller's choosing."""
    return forge(service, extra, Scope.STATIC)


@pytest.mark.parametrize(
    "path", ["appsettings.json", "uSync/restore/.state/evil.txt", "wwwroot/media/x/a.css"]
)
def test_a_point_naming_files_outside_its_scopes_is_refused(sample_site: Path, path: str) -> None:
    service = RestoreService.open(sample_site)
    point = forge_point(service, {path: b"owned"})
    before = fingerprint(sample_site)
    with pytest.raises(HostileInputError, match="is not a static file of this site"):
        service.restore(point.id, pre_restore=False)
    with pytest.raises(HostileInputError):
        service.check(point.id)
    assert fingerprint(sample_site) == before


def test_a_restore_never_writes_through_a_linked_folder(sample_site: Path, tmp_path: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    outside = tmp_path / "outside"
    (sample_site / "Views").rename(outside)
    (sample_site / "Views").symlink_to(outside)
    for view in outside.rglob("*.cshtml"):
        view.unlink()

    plan = service.check(point.id)
    assert plan.blocked and "symbolic link" in plan.blocked[0]
    with pytest.raises(SiteError, match="restore refused, nothing was changed"):
        service.restore(point.id, pre_restore=False)
    assert not list(outside.rglob("*.cshtml"))


def test_files_a_later_include_rule_adds_are_not_deleted(sample_site: Path) -> None:
    fonts = sample_site / "wwwroot/fonts"
    fonts.mkdir()
    (fonts / "brand.woff2").write_bytes(b"font")
    point = RestoreService.open(sample_site).create()
    settings = sample_site / "appsettings.json"
    config = json5.loads(settings.read_text(encoding="utf-8"))
    config["uSync"]["Restore"]["Include"] = ["wwwroot/fonts/**"]
    settings.write_text(json.dumps(config), encoding="utf-8")

    service = RestoreService.open(sample_site)
    assert "wwwroot/fonts/brand.woff2" in {f.path for f in service.site.iter_files()}
    plan = service.check(point.id)
    assert plan.operations == []
    service.restore(point.id, pre_restore=False)
    assert (fonts / "brand.woff2").read_bytes() == b"font"


def test_a_manifest_copied_under_another_id_is_refused(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    points = service.site.restore_dir / "points"
    shutil.copytree(points / point.id, points / "20990101T000000000Z-copied")
    copied = "20990101T000000000Z-copied"
    with pytest.raises(IntegrityError, match="names another restore point"):
        service.get(copied)
    assert [p.id for p in service.points()] == [point.id]
    [unreadable] = service.unreadable_points()
    assert unreadable.point_id == copied and "names another restore point" in unreadable.error


def test_an_old_restore_folder_is_never_archived(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    service.create()
    old = sample_site / "uSync/restore"
    moved = sample_site / "uSync/old-restore"
    old.rename(moved)
    paths = {f.path for f in RestoreService.open(sample_site).site.iter_files()}
    assert not any(p.startswith("uSync/old-restore/") for p in paths)
