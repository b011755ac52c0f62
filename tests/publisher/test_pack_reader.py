"""Reading a sync pack as hostile input: every check of docs/pack-format.md, before any write.

Packs are exported from a real site, then altered the way an attacker (or a broken tool)
would: traversal, absolute paths, links, XML entities, a zip bomb, 100,001 members,
members the manifest does not list, bytes that do not match it.  Each is refused by the
reader, and ``pack import`` of it leaves the target byte for byte as it was (exit 5).
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher_restore.errors import HostileInputError, PackContentError
from publisher_restore.publisher.collect import collect_pack
from publisher_restore.publisher.pack_reader import read_pack
from publisher_restore.site import Site
from tests.conftest import CORPUS, copy_site
from tests.publisher.sites import every_file, run

STARTER = CORPUS / "clean-starter-kit"
MiB = 1024 * 1024
Edit = Callable[[dict[str, bytes], dict[str, object]], None]


@pytest.fixture(scope="module")
def good_pack(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real pack of the starter kit: every item, its views and css."""
    dest = tmp_path_factory.mktemp("pack") / "starter.usync"
    collect_pack(Site.open(STARTER), [], dest, files=True)
    return dest.read_bytes()


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One target site for every refused import (a refused import changes nothing)."""
    return copy_site(STARTER, tmp_path_factory.mktemp("target") / "site")


def members_of(pack: bytes) -> tuple[dict[str, bytes], dict[str, object]]:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    manifest = json.loads(members.pop("pack.json"))
    return members, manifest


def rebuilt(
    pack: bytes, edit: Edit, *, raw: Callable[[zipfile.ZipFile], None] | None = None
) -> bytes:
    """The pack with its members and manifest edited (the manifest kept last)."""
    members, manifest = members_of(pack)
    edit(members, manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if raw is not None:
            raw(archive)
        archive.writestr("pack.json", json.dumps(manifest))
    return out.getvalue()


def listed(manifest: dict[str, object], path: str, data: bytes) -> None:
    """Make the manifest's entry of ``path`` describe ``data``: only the check under test fails."""
    for key in ("items", "files"):
        for entry in manifest[key]:  # type: ignore[attr-defined]
            if entry["path"] == path:
                entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()


def first_item(manifest: dict[str, object], folder: str) -> str:
    items = manifest["items"]
    assert isinstance(items, list)
    return next(i["path"] for i in items if f"/{folder}/" in i["path"] and i["action"] is None)


def add_link(archive: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo("files/Views/link.cshtml")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive.writestr(info, "/etc/passwd")


def with_entities(members: dict[str, bytes], manifest: dict[str, object]) -> None:
    path = first_item(manifest, "DataTypes")
    text = members[path].decode("utf-8-sig")
    body = text.split("?>", 1)[1]
    bomb = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    members[path] = ('<?xml version="1.0" encoding="utf-8"?>' + bomb + body).encode()
    listed(manifest, path, members[path])


def bomb_member(archive: zipfile.ZipFile) -> None:
    """50 MiB of zeros deflated to ~50 kB, claimed as a view (the manifest lists it)."""
    archive.writestr("files/Views/bomb.cshtml", bytes(50 * MiB), zipfile.ZIP_DEFLATED)


def add_bomb(members: dict[str, bytes], manifest: dict[str, object]) -> None:
    digest = hashlib.sha256(bytes(50 * MiB)).hexdigest()
    entry = {
        "site_path": "Views/bomb.cshtml",
        "scope": "views",
        "path": "files/Views/bomb.cshtml",
        "size": 50 * MiB,
        "sha256": digest,
    }
    manifest["files"].append(entry)  # type: ignore[attr-defined]


def wrong_folder(members: dict[str, bytes], manifest: dict[str, object]) -> None:
    path = first_item(manifest, "DataTypes")
    moved = path.replace("/DataTypes/", "/ContentTypes/")
    members[moved] = members.pop(path)
    for entry in manifest["items"]:  # type: ignore[attr-defined]
        if entry["path"] == path:
            entry["path"] = moved


def media_file(members: dict[str, bytes], manifest: dict[str, object]) -> None:
    members["files/wwwroot/media/ab/photo.jpg"] = b"\xff\xd8not really a jpeg"
    manifest["files"].append(  # type: ignore[attr-defined]
        {
            "site_path": "wwwroot/media/ab/photo.jpg",
            "scope": "media",
            "path": "files/wwwroot/media/ab/photo.jpg",
            "size": 0,
            "sha256": "0" * 64,
        }
    )
    listed(
        manifest, "files/wwwroot/media/ab/photo.jpg", members["files/wwwroot/media/ab/photo.jpg"]
    )


def scope_lie(members: dict[str, bytes], manifest: dict[str, object]) -> None:
    data = b"{}"
    members["files/appsettings.json"] = data
    manifest["files"].append(  # type: ignore[attr-defined]
        {
            "site_path": "appsettings.json",
            "scope": "static",
            "path": "files/appsettings.json",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    )


def tampered(members: dict[str, bytes], manifest: dict[str, object]) -> None:
    path = first_item(manifest, "ContentTypes")
    members[path] = members[path] + b"\n<!-- changed after the manifest was written -->"


LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")


def hundred_thousand_members() -> bytes:
    """100,001 empty stored members, crafted directly (zipfile would take seconds)."""
    local, central, offset = [], [], 0
    for index in range(100_001):
        name = f"uSync/v17/Content/{index}.config".encode()
        header = LOCAL.pack(0x04034B50, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0) + name
        entry = (0x02014B50, 20, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0, 0, 0, 0, 0, offset)
        central.append(CENTRAL.pack(*entry) + name)
        local.append(header)
        offset += len(header)
    directory = b"".join(central)
    end = END.pack(0x06054B50, 0, 0, 0xFFFF, 0xFFFF, len(directory), offset, 0)
    return b"".join(local) + directory + end


def member(name: str, data: bytes = b"x") -> Edit:
    def edit(members: dict[str, bytes], _manifest: dict[str, object]) -> None:
        members[name] = data

    return edit


def manifest_field(key: str, value: object) -> Edit:
    def edit(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest[key] = value

    return edit


HOSTILE: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "traversal": (lambda p: rebuilt(p, member("uSync/v17/../../evil.config")), "traversal"),
    "absolute path": (lambda p: rebuilt(p, member("/etc/cron.d/evil")), "absolute path"),
    "drive letter": (lambda p: rebuilt(p, member("C:/evil.config")), "drive letter"),
    "symbolic link": (lambda p: rebuilt(p, lambda m, f: None, raw=add_link), "symbolic link"),
    "XML entities": (lambda p: rebuilt(p, with_entities), "not a readable uSync item"),
    "zip bomb": (lambda p: rebuilt(p, add_bomb, raw=bomb_member), "zip bomb"),
    "100,001 members": (lambda _p: hundred_thousand_members(), "100001 members"),
    "unlisted member": (lambda p: rebuilt(p, member("files/Views/extra.cshtml")), "not listed"),
    "bytes differ": (lambda p: rebuilt(p, tampered), "article.config.*the manifest says"),
    "unknown version": (lambda p: rebuilt(p, manifest_field("format_version", 2)), "version 2"),
    "unknown field": (lambda p: rebuilt(p, manifest_field("run", "rm -rf /")), "pack.json"),
    "folder lie": (lambda p: rebuilt(p, wrong_folder), "a DataType in the ContentTypes folder"),
    "scope lie": (lambda p: rebuilt(p, scope_lie), "is not a static file by this site's rules"),
    "directory entry": (lambda p: rebuilt(p, member("files/Views/sub/")), "directory entry"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_pack_is_refused_before_anything_is_written(
    kind: str,
    good_pack: bytes,
    target: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, problem = HOSTILE[kind]
    pack = tmp_path / "hostile.usync"
    pack.write_bytes(make(good_pack))
    before = every_file(target)

    with pytest.raises(HostileInputError, match=problem):
        read_pack(pack, rules=Site.open(target), media=False).close()
    checked_before = hashlib.sha256(good_pack).hexdigest()  # another pack: checked in full
    with pytest.raises(HostileInputError, match=problem):
        read_pack(pack, rules=Site.open(target), media=False, checked_sha256=checked_before)
    imported = run(capsys, "--site", target, "pack", "import", pack, "--yes")

    assert imported.code == 5, imported.err
    assert imported.err.startswith("error: ") and len(imported.err.strip().splitlines()) == 1
    assert every_file(target) == before


def test_a_good_pack_reads_with_every_member_verified(good_pack: bytes, tmp_path: Path) -> None:
    pack = tmp_path / "good.usync"
    pack.write_bytes(good_pack)
    with read_pack(pack, rules=Site.open(STARTER), media=False) as opened:
        manifest = opened.manifest
        assert len(opened.items) == len(manifest.items) > 150
        assert opened.prefix == "uSync/v17/"
        assert {f.scope.value for f in opened.files} == {"views", "static"}
        view = next(f for f in opened.files if f.site_path == "Views/home.cshtml")
        data = b"".join(opened.file_chunks(view))
        assert data == (STARTER / "Views" / "home.cshtml").read_bytes()
        assert opened.sha256 == hashlib.sha256(good_pack).hexdigest()


def test_media_is_imported_only_when_asked(good_pack: bytes, tmp_path: Path) -> None:
    pack = tmp_path / "media.usync"
    pack.write_bytes(rebuilt(good_pack, media_file))
    with pytest.raises(PackContentError, match="pass --media"):
        read_pack(pack, rules=Site.open(STARTER), media=False)
    with read_pack(pack, rules=Site.open(STARTER), media=True) as opened:
        assert [f.site_path for f in opened.files if f.scope.value == "media"] == [
            "wwwroot/media/ab/photo.jpg"
        ]


def test_a_pack_over_the_size_limit_is_refused_before_it_is_opened(
    good_pack: bytes, tmp_path: Path
) -> None:
    from publisher_restore.publisher.pack_reader import PackLimits

    pack = tmp_path / "big.usync"
    pack.write_bytes(good_pack)
    with pytest.raises(HostileInputError, match="over the 1000-byte limit"):
        read_pack(pack, rules=None, media=None, limits=PackLimits(max_pack_bytes=1000))
