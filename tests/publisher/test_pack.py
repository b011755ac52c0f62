"""Sync packs: members, hashes, compression and byte-for-byte determinism, on a real site."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from publisher_restore.publisher.collect import collect_pack
from publisher_restore.publisher.errors import PackWriteError
from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.publisher.pack_export import export_pack
from publisher_restore.publisher.pack_manifest import MANIFEST_NAME, PackManifest
from publisher_restore.publisher.pack_writer import (
    FIXED_DATE_TIME,
    ItemSource,
    PackHeader,
    write_pack,
)
from publisher_restore.publisher.selection import Selection, select_items
from publisher_restore.restore.manifest import Scope
from publisher_restore.site import Site, SiteFile
from publisher_restore.usync.loader import load_items

from ..conftest import CORPUS_SITES, copy_site
from .corpus import CORPUS, corpus_source

CREATED = datetime(2025, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
BIG = 48 * 1024 * 1024


class RecordingProgress:
    def __init__(self) -> None:
        self.total = self.files = self.nbytes = 0

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        self.total, self.expected_files = total_bytes, files

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        self.files += files
        self.nbytes += nbytes

    def end(self) -> None:
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """clean-starter-kit with two media files added (one image-like, one large-ish)."""
    root = copy_site(CORPUS / "clean-starter-kit", tmp_path_factory.mktemp("src") / "site")
    media = root / "wwwroot" / "media" / "x1y2"
    media.mkdir(parents=True)
    (media / "photo.jpg").write_bytes(os.urandom(300_000))
    (media / "notes.txt").write_bytes(b"plain text media is stored too\n" * 100)
    return Site.open(root)


def everything(site: Site) -> Selection:
    return select_items(SourceItems.from_item_set(load_items(site.root, site.usync_dir)), [])


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as pack:
        return {info.filename: pack.read(info) for info in pack.infolist()}


def test_every_member_is_listed_with_the_hash_of_its_bytes(site: Site, tmp_path: Path) -> None:
    selection = everything(site)
    progress = RecordingProgress()
    dest = tmp_path / "all.usync"
    written = export_pack(
        site, selection, dest, files=True, media=True, created=CREATED, progress=progress
    )
    members = read_members(dest)
    manifest = PackManifest.model_validate_json(members.pop(MANIFEST_NAME))
    assert manifest == written
    assert list(members) == list(manifest.member_names)  # pack order, pack.json last
    for record in (*manifest.items, *manifest.files):
        data = members[record.path]
        assert (len(data), hashlib.sha256(data).hexdigest()) == (record.size, record.sha256)
    for item, source in zip(manifest.items, selection.items, strict=True):
        assert (item.path, item.key, item.item_type) == (source.path, source.key, source.item_type)
        assert members[item.path] == (site.root / source.path).read_bytes()
    scopes = {record.scope.value for record in manifest.files}
    assert scopes == {"views", "static", "media"}
    assert manifest.usync_folder == "v17" and manifest.source_site == "site"
    assert progress.nbytes == progress.total == sum(len(data) for data in members.values())
    assert progress.files == progress.expected_files == len(members)


def test_xml_views_and_static_are_deflated_media_stored_and_times_fixed(
    site: Site, tmp_path: Path
) -> None:
    dest = tmp_path / "all.usync"
    export_pack(site, everything(site), dest, files=True, media=True, created=CREATED)
    with zipfile.ZipFile(dest) as pack:
        infos = pack.infolist()
    assert infos[-1].filename == MANIFEST_NAME
    for info in infos:
        stored = info.filename.startswith("files/wwwroot/media/")
        expected = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        assert (info.compress_type, info.date_time) == (expected, FIXED_DATE_TIME)
        assert info.external_attr >> 16 == 0o100644
    assert {"files/Views/master.cshtml", "files/wwwroot/media/x1y2/photo.jpg"} <= {
        info.filename for info in infos
    }


def test_the_same_inputs_give_the_same_bytes(site: Site, tmp_path: Path) -> None:
    selection = everything(site)
    first, second, later = tmp_path / "a.usync", tmp_path / "b.usync", tmp_path / "c.usync"
    for dest, created in ((first, CREATED), (second, CREATED), (later, CREATED + timedelta(1))):
        export_pack(site, selection, dest, files=True, media=True, created=created)
    assert first.read_bytes() == second.read_bytes()
    a, c = read_members(first), read_members(later)
    assert a.pop(MANIFEST_NAME) != c.pop(MANIFEST_NAME)
    assert a == c
    assert b'"created": "2025-03-04T05:06:07.890Z"' in read_members(first)[MANIFEST_NAME]


def test_a_failed_write_leaves_nothing_and_an_existing_pack_is_kept(
    site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    link = tmp_path / "link.config"
    link.symlink_to(site.root / "uSync/v17/ContentTypes/article.config")
    header = PackHeader(source_site="s", usync_folder="v17", created=CREATED)
    good = ItemSource("ContentType", None, "a", "ContentTypes/a.config", b"<ContentType/>")
    linked = ItemSource("ContentType", None, "b", "ContentTypes/b.config", link)
    with pytest.raises(PackWriteError, match="symbolic link"):
        write_pack(out / "p.usync", header, [good, linked])
    assert list(out.iterdir()) == []
    write_pack(out / "p.usync", header, [good])
    before = (out / "p.usync").read_bytes()
    with pytest.raises(PackWriteError, match="already exists"):
        write_pack(out / "p.usync", header, [good, good])
    assert (out / "p.usync").read_bytes() == before
    write_pack(out / "p.usync", header, [], overwrite=True)
    assert (out / "p.usync").read_bytes() != before
    assert sorted(p.name for p in out.iterdir()) == ["p.usync"]


@pytest.mark.parametrize(
    ("rel_paths", "problem"),
    [
        (["../escape.config"], "traversal"),
        (["ContentTypes\\a.config"], "backslash"),
        (["ContentTypes/a.config", "ContentTypes/A.config"], "case-insensitive"),
        (["ContentTypes/a.config", "ContentTypes/a.config"], "listed twice"),
    ],
)
def test_names_a_reader_would_refuse_are_never_written(
    tmp_path: Path, rel_paths: list[str], problem: str
) -> None:
    header = PackHeader(source_site="s", usync_folder="v17", created=CREATED)
    items = [ItemSource("ContentType", None, "a", rel, b"<x/>") for rel in rel_paths]
    with pytest.raises(PackWriteError, match=problem):
        write_pack(tmp_path / "p.usync", header, items)
    assert list(tmp_path.iterdir()) == []


def test_media_is_streamed_not_held_in_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as stream:
        stream.truncate(BIG)  # sparse: cheap to make, real bytes to pack
    media = SiteFile("wwwroot/media/v/big.mp4", big, Scope.MEDIA, BIG)
    header = PackHeader(source_site="s", usync_folder="v17", created=CREATED)
    tracemalloc.start()
    try:
        manifest = write_pack(tmp_path / "p.usync", header, [], [media])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert manifest.files[0].size == BIG
    assert peak < BIG // 6


def test_the_manifest_refuses_members_out_of_place(site: Site, tmp_path: Path) -> None:
    dest = tmp_path / "all.usync"
    good = export_pack(site, everything(site), dest, files=True, created=CREATED)
    document = good.model_dump(mode="json")
    item, record = document["items"][0], document["files"][0]
    for items, files in (
        ([{**item, "path": "uSync/v9/DataTypes/x.config"}], []),  # another version folder
        ([{**item, "path": "uSync/v17/../../x.config"}], []),  # traversal
        ([{**item, "path": "uSync/v17/x.config"}], []),  # no handler folder
        ([{**item, "path": "uSync/v17/Views/x.cshtml"}], []),  # not an item file
        ([item, {**item, "path": item["path"].upper().replace("USYNC/V17", "uSync/v17")}], []),
        ([], [{**record, "path": "files/Views/other.cshtml"}]),  # path is not its site path
        ([], [{**record, "site_path": "/etc/passwd", "path": "files//etc/passwd"}]),
    ):
        with pytest.raises(ValidationError):
            PackManifest.model_validate({**document, "items": items, "files": files})
    assert PackManifest.model_validate(document) == good


def test_the_manifest_refuses_what_it_does_not_know() -> None:
    good = {
        "created": "2025-03-04T05:06:07Z",
        "source_site": "s",
        "tool_version": "1",
        "usync_folder": "v9",
        "selection": {},
    }
    assert PackManifest.model_validate(good).created == datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    bad_item = {"item_type": "X", "key": None, "alias": "a", "path": "p", "size": 1}
    for change in (
        {"surprise": 1},
        {"created": "2025-03-04T05:06:07"},
        {"usync_folder": "../v9"},
        {"items": [{**bad_item, "sha256": "ABC"}]},
        {"items": [{**bad_item, "sha256": "0" * 64, "size": -1}]},
    ):
        with pytest.raises(ValidationError):
            PackManifest.model_validate({**good, **change})


@pytest.mark.parametrize("name", CORPUS_SITES)
def test_a_whole_site_pack_read_by_identity_is_the_pack_the_full_selection_makes(
    name: str, tmp_path: Path
) -> None:
    """``collect_pack`` without ``--item`` reads items only as far as their identity."""
    site = Site.open(CORPUS / name)
    fast = collect_pack(site, [], tmp_path / "fast.usync").manifest
    full_selection = select_items(corpus_source(name), [])
    created = fast.created
    full = export_pack(site, full_selection, tmp_path / "full.usync", created=created)
    assert fast.items == full.items
    assert (tmp_path / "fast.usync").read_bytes() == (tmp_path / "full.usync").read_bytes()
