"""``export`` writes one point as a .tar.zst that tar opens; ``import-point`` takes it back,
as untrusted input: refused before anything is listed when it is not what it says."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
import zstandard

from publisher_restore.errors import (
    HostileInputError,
    IntegrityError,
    ObjectExistsError,
    RestorePointNotFoundError,
)
from publisher_restore.restore.export import MANIFEST_MEMBER
from publisher_restore.service import RestoreService
from tests.conftest import SAMPLE_SITE, copy_site
from tests.restore.archive_craft import crafted, regular
from tests.restore.helpers import damage, fingerprint
from tests.restore.points_craft import legacy_point
from tests.restore.test_interruptions import run_cli


def exported(site: Path, tmp_path: Path, *, version: int = 2) -> tuple[str, Path]:
    """A point of ``site`` (with media) exported to a file: (its id, the file)."""
    service = RestoreService.open(site)
    if version == 2:
        point = service.create(include_media=True, note="exported")
    else:
        point = legacy_point(service, include_media=True, note="exported")
    out = tmp_path / f"point-v{version}.tar.zst"
    result = service.export(point.id, out)
    assert result.bytes == out.stat().st_size and result.file_count == point.file_count
    return point.id, out


@pytest.mark.parametrize("version", [2, 1])
def test_tar_opens_an_export_and_it_holds_the_site_and_the_manifest(
    sample_site: Path, tmp_path: Path, version: int
) -> None:
    point_id, archive = exported(sample_site, tmp_path, version=version)
    target = tmp_path / "unpacked"
    target.mkdir()
    subprocess.run(["tar", "--zstd", "-xf", str(archive), "-C", str(target)], check=True)
    manifest = json.loads((target / MANIFEST_MEMBER).read_text(encoding="utf-8"))
    assert manifest["id"] == point_id and manifest["note"] == "exported"
    files = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_site = {path: sha for path, sha in fingerprint(sample_site).items() if path in files}
    assert on_site == files, "every file of the point, at its site path"
    unpacked = {p: s for p, s in fingerprint(target).items() if p != MANIFEST_MEMBER}
    assert unpacked == files


@pytest.mark.parametrize("version", [2, 1])
def test_an_imported_point_restores_another_copy_of_the_site(
    sample_site: Path, tmp_path: Path, version: int
) -> None:
    point_id, archive = exported(sample_site, tmp_path, version=version)
    other = copy_site(SAMPLE_SITE, tmp_path / "other")
    service = RestoreService.open(other)
    imported = service.import_point(archive)
    assert imported.id == point_id and imported.manifest_version == 2
    assert [p.id for p in service.points()] == [point_id]
    assert service.verify(point_id).ok
    assert service.get(point_id).items == RestoreService.open(sample_site).get(point_id).items
    before = fingerprint(other)
    damage(service)
    service.restore(point_id, pre_restore=False)
    assert fingerprint(other) == before
    with pytest.raises(ObjectExistsError, match="already in this site's storage"):
        service.import_point(archive)


def hostile(tmp_path: Path, archive: Path, change: str) -> Path:
    """``archive`` rewritten with one lie in it."""
    with _open(archive) as tar:
        entries = [(m.name, _read(tar, m)) for m in tar.getmembers()]
    manifest = json.loads(entries[0][1])
    if change == "manifest not first":
        entries = [*entries[1:], entries[0]]
    elif change == "file outside the scopes":
        manifest["files"].append(_record("appsettings.json", b"{}", "static"))
        entries.append(("appsettings.json", b"{}"))
    elif change == "bytes that are not the recorded ones":
        name, data = entries[-1]
        entries[-1] = (name, data[:-1] + bytes([data[-1] ^ 1]))
    elif change == "a member the manifest does not name":
        entries.append(("Views/extra.cshtml", b"@* not in the manifest *@"))
    elif change == "a path with ..":
        manifest["files"].append(_record("Views/../../escape.cshtml", b"x", "views"))
        entries.append(("Views/../../escape.cshtml", b"x"))
    if change != "manifest not first":
        entries[0] = (MANIFEST_MEMBER, json.dumps(manifest).encode())
    out = tmp_path / "hostile.tar.zst"
    out.write_bytes(crafted(regular(name, data) for name, data in entries))
    return out


def _open(archive: Path) -> tarfile.TarFile:
    with archive.open("rb") as stream:
        data = zstandard.ZstdDecompressor().stream_reader(stream).read()
    return tarfile.open(fileobj=io.BytesIO(data))


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(member)
    assert stream is not None
    return stream.read()


def _record(path: str, data: bytes, scope: str) -> dict[str, object]:
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "scope": scope}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("manifest not first", HostileInputError),
        ("file outside the scopes", HostileInputError),
        ("bytes that are not the recorded ones", IntegrityError),
        ("a member the manifest does not name", HostileInputError),
        ("a path with ..", HostileInputError),
    ],
)
def test_a_hostile_export_is_refused_and_nothing_is_listed(
    sample_site: Path, tmp_path: Path, change: str, error: type[Exception]
) -> None:
    point_id, archive = exported(sample_site, tmp_path)
    lie = hostile(tmp_path, archive, change)
    other = copy_site(SAMPLE_SITE, tmp_path / "other")
    service = RestoreService.open(other)
    before = fingerprint(other)
    with pytest.raises(error):
        service.import_point(lie)
    assert service.points() == [] and service.unreadable_points() == []
    with pytest.raises(RestorePointNotFoundError):
        service.get(point_id)
    objects = other / "uSync/restore/objects"
    assert not objects.exists() or not any(p.is_file() for p in objects.rglob("*"))
    assert fingerprint(other) == before, "nothing of the site was touched"


def test_cli_export_and_import_point(sample_site: Path, tmp_path: Path) -> None:
    created = run_cli(sample_site, "create", "--no-media", "--json")
    point_id = json.loads(created.stdout)["id"]
    out = tmp_path / "point.tar.zst"
    done = run_cli(sample_site, "export", "latest", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["point_id"] == point_id and out.is_file()
    again = run_cli(sample_site, "export", point_id, "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    other = copy_site(SAMPLE_SITE, tmp_path / "other")
    imported = run_cli(other, "import-point", str(out), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["id"] == point_id
    twice = run_cli(other, "import-point", str(out))
    assert twice.returncode == 6 and "already in this site's storage" in twice.stderr
    garbage = tmp_path / "garbage.tar.zst"
    garbage.write_bytes(b"not an archive")
    refused = run_cli(other, "import-point", str(garbage))
    assert refused.returncode == 5 and refused.stderr.count("\n") == 1
