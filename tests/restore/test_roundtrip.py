"""create -> change -> check -> restore is byte-identical, on every corpus site."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher_restore.errors import IntegrityError, RestorePointNotFoundError
from publisher_restore.restore.manifest import Reason
from publisher_restore.service import RestoreService
from tests.restore.helpers import damage, fingerprint
from tests.restore.points_craft import legacy_point


def test_round_trip_is_byte_identical(corpus_site: Path) -> None:
    service = RestoreService.open(corpus_site)
    before = fingerprint(corpus_site)
    point = service.create(note="before")
    done = damage(service)

    plan = service.check(point.id)
    by_path = {c.path: c for c in plan.changes}
    changed_type = by_path[done["content_type"]]
    assert changed_type.change == "update"
    assert changed_type.item_type == "ContentType"
    mandatory = [d for d in changed_type.details if d.path.endswith("/Mandatory")]
    assert [(d.old, d.new) for d in mandatory] == [("true", "false")]
    assert by_path[done["removed"]].change == "create"
    assert by_path[done["added"]].change == "delete"
    assert by_path[done["view"]].change == "create"
    assert by_path[done["view"]].item_type is None

    result = service.restore(point.id, pre_restore=False)
    assert result.written == 3 and result.deleted == 1
    assert fingerprint(corpus_site) == before
    assert service.check(point.id).changes == []


def test_broken_file_is_archived_and_restored_as_bytes(tmp_path: Path) -> None:
    from tests.conftest import CORPUS, copy_site

    site = copy_site(CORPUS / "navsjon-sportfiske", tmp_path / "site")
    broken = site / "uSync/v9/Content/boka.config"
    original = broken.read_bytes()
    service = RestoreService.open(site)
    point = service.create()
    [problem] = point.problems
    assert problem.path == "uSync/v9/Content/boka.config" and problem.line
    assert "conflict" in problem.problem
    broken.write_bytes(b"overwritten")
    service.restore("latest", pre_restore=False)
    assert broken.read_bytes() == original


def test_pre_restore_point_makes_the_restore_undoable(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    original = fingerprint(sample_site)
    point = service.create()
    damage(service)
    damaged = fingerprint(sample_site)

    result = service.restore(point.id)
    assert fingerprint(sample_site) == original
    pre = service.get(result.pre_restore_point or "")
    assert pre.reason == Reason.PRE_RESTORE
    assert service.points()[0].id == pre.id

    service.restore(pre.id, pre_restore=False)
    assert fingerprint(sample_site) == damaged


def test_latest_never_names_a_pre_restore_point(sample_site: Path) -> None:
    """Running ``restore latest`` again must not undo the first restore."""
    service = RestoreService.open(sample_site)
    original = fingerprint(sample_site)
    point = service.create()
    damage(service)
    first = service.restore("latest")
    assert first.pre_restore_point and service.points()[0].id == first.pre_restore_point
    assert service.get("latest").id == point.id

    again = service.restore("latest")
    assert (again.restore_point, again.written, again.deleted) == (point.id, 0, 0)
    assert fingerprint(sample_site) == original

    service.delete(point.id)
    with pytest.raises(RestorePointNotFoundError, match="pre-restore"):
        service.get("latest")


def test_check_of_an_unchanged_site_reports_nothing(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    service.create()
    plan = service.check("latest")
    assert plan.changes == [] and plan.operations == []
    assert plan.summary()["changes"] == 0


def test_media_is_restored_only_from_a_point_that_has_it(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    media = sorted((sample_site / "wwwroot/media").rglob("*.png"))[0]
    original = media.read_bytes()
    without = service.create(include_media=False)
    media.write_bytes(b"changed")
    assert not any(
        op.path.startswith("wwwroot/media") for op in service.check(without.id).operations
    )
    service.restore(without.id, pre_restore=False)
    assert media.read_bytes() == b"changed"

    media.write_bytes(original)
    with_media = service.create(include_media=True)
    media.write_bytes(b"changed again")
    service.restore(with_media.id, pre_restore=False)
    assert media.read_bytes() == original


def damage_stored(service: RestoreService, point_id: str, version: int, how: str) -> None:
    """Flip a byte in, or cut short, what holds the point's files."""
    if version == 1:
        stored = service.site.restore_dir / "points" / point_id / "archive.tar.zst"
    else:
        [stored] = sorted((service.site.restore_dir / "objects/pack").iterdir())
    data = bytearray(stored.read_bytes())
    stored.chmod(0o644)
    if how == "flip":
        data[len(data) // 2] ^= 0x40
        stored.write_bytes(bytes(data))
    else:
        stored.write_bytes(bytes(data[: len(data) // 3]))


@pytest.mark.parametrize("version", [2, 1])
@pytest.mark.parametrize("how", ["flip", "cut"])
def test_damaged_storage_is_refused_before_anything_is_written(
    sample_site: Path, version: int, how: str
) -> None:
    service = RestoreService.open(sample_site)
    point = service.create() if version == 2 else legacy_point(service)
    damage(service)
    damaged = fingerprint(sample_site)
    damage_stored(service, point.id, version, how)

    assert not service.verify(point.id).ok
    with pytest.raises(IntegrityError):
        service.restore(point.id, pre_restore=False)
    assert fingerprint(sample_site) == damaged
    assert not service.work.exists()


def test_list_delete_pin_prune(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    ids = [service.create(note=str(n)).id for n in range(4)]
    assert [p.id for p in service.points()] == list(reversed(ids))
    service.pin(ids[0])
    doomed = service.prune(keep_last=1, keep_days=None, dry_run=True)
    assert [p.id for p in doomed] == [ids[2], ids[1]]
    assert len(service.points()) == 4
    service.prune(keep_last=1, keep_days=None)
    assert [p.id for p in service.points()] == [ids[3], ids[0]]
    service.delete(ids[0])
    assert [p.id for p in service.points()] == [ids[3]]
    with pytest.raises(RestorePointNotFoundError):
        service.get(ids[0])


def test_check_reports_the_analysers_findings_for_the_restore(sample_site: Path) -> None:
    """Restoring a point taken before a property existed would delete that property's values."""
    service = RestoreService.open(sample_site)
    content_type = service.site.usync_dir / "ContentTypes" / "blogpost.config"
    with_excerpt = content_type.read_bytes()
    text = with_excerpt.decode("utf-8-sig")
    start = text.index("<GenericProperty>", text.index("<Alias>category</Alias>"))
    end = text.index("</GenericProperty>", start) + len("</GenericProperty>")
    assert "<Alias>excerpt</Alias>" in text[start:end]
    content_type.write_text("\ufeff" + text[:start] + text[end:], encoding="utf-8")
    point = service.create()
    content_type.write_bytes(with_excerpt)

    plan = service.check(point.id)
    [finding] = plan.findings
    assert (finding.code, finding.property_alias) == ("DC101", "excerpt")
    assert finding.impact is not None
    assert (finding.impact.items, finding.impact.values) == (3, 5)
    assert plan.report()["findings"][0]["code"] == "DC101"


def test_findings_compare_the_points_own_version_folder(sample_site: Path) -> None:
    """A point taken in uSync/v9 (without 'excerpt'), checked after the site moved to v13."""
    service = RestoreService.open(sample_site)
    content_type = service.site.usync_dir / "ContentTypes" / "blogpost.config"
    with_excerpt = content_type.read_bytes()
    text = with_excerpt.decode("utf-8-sig")
    start = text.index("<GenericProperty>", text.index("<Alias>category</Alias>"))
    end = text.index("</GenericProperty>", start) + len("</GenericProperty>")
    content_type.write_text("\ufeff" + text[:start] + text[end:], encoding="utf-8")
    point = service.create()
    content_type.write_bytes(with_excerpt)
    (sample_site / "uSync/v9").rename(sample_site / "uSync/v13")

    plan = RestoreService.open(sample_site).check(point.id)
    assert [(f.code, f.property_alias) for f in plan.findings] == [("DC101", "excerpt")]
    assert {c.path.split("/")[1] for c in plan.changes if c.item_type} == {"v9", "v13"}
