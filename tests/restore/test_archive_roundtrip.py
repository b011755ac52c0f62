"""The archive writer and the verifying reader agree on real sites and edge cases."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest
import zstandard

from publisher_restore.errors import ConfigError, SiteError
from publisher_restore.restore.archive import (
    SourceFile,
    extract_verified,
    iter_verified_members,
    read_member_bytes,
    verify_archive,
    write_archive,
)
from publisher_restore.restore.manifest import Scope
from tests.conftest import CORPUS
from tests.restore.archive_craft import snapshot

SCOPE_BY_TOP_FOLDER = {"uSync": Scope.USYNC, "Views": Scope.VIEWS, "wwwroot": Scope.STATIC}


def site_files(root: Path) -> list[SourceFile]:
    """Every file under ``root`` as a SourceFile, scoped by its top folder."""
    return [
        SourceFile(
            path=p.relative_to(root).as_posix(),
            abs_path=p,
            scope=SCOPE_BY_TOP_FOLDER.get(p.relative_to(root).parts[0], Scope.MEDIA),
        )
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def write_files(root: Path, files: dict[str, bytes]) -> list[SourceFile]:
    """Create ``files`` under ``root`` and return them as SourceFiles."""
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return [SourceFile(path=p, abs_path=root / p, scope=Scope.MEDIA) for p in files]


def test_corpus_site_round_trips_byte_identical(tmp_path: Path) -> None:
    site = CORPUS / "zmenu"
    files = site_files(site)
    archive = tmp_path / "archive.tar.zst"
    written: list[int] = []

    records = write_archive(archive, files, progress=written.append)

    assert [r.path for r in records] == [f.path for f in files]
    for record, source in zip(records, files, strict=True):
        data = source.abs_path.read_bytes()
        assert (record.size, record.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert record.scope == source.scope
    assert sum(written) == sum(r.size for r in records)
    stage = tmp_path / "stage"
    stage.mkdir()
    with archive.open("rb") as stream:
        report = extract_verified(stream, records, stage)
    assert snapshot(stage) == snapshot(site)
    assert report.file_count == len(files)
    assert report.archive_bytes == archive.stat().st_size
    assert report.archive_sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_verify_reads_everything_and_reports_progress(tmp_path: Path) -> None:
    files = site_files(CORPUS / "nearbeach")
    out = io.BytesIO()
    records = write_archive(out, files)
    seen: list[int] = []

    report = verify_archive(io.BytesIO(out.getvalue()), records, progress=seen.append)

    assert sum(seen) == report.content_bytes == sum(r.size for r in records)
    assert report.file_count == len(records)


def test_member_metadata_is_deterministic(tmp_path: Path) -> None:
    files = write_files(tmp_path / "site", {"media/a.bin": b"x" * 10})
    os.chmod(files[0].abs_path, 0o600)
    out = io.BytesIO()
    write_archive(out, files)

    raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(out.getvalue())).read()
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        (info,) = tar.getmembers()
    assert (info.name, info.type, info.mode) == ("media/a.bin", tarfile.REGTYPE, 0o644)
    assert (info.uid, info.gid, info.uname, info.gname) == (0, 0, "", "")
    assert info.mtime == int(files[0].abs_path.stat().st_mtime)


def test_edge_case_names_and_sizes_round_trip(tmp_path: Path) -> None:
    long_name = "media/" + "/".join(["deep-folder-name"] * 12) + "/file.bin"
    contents = {
        "media/empty.txt": b"",
        "uSync/v9/Dictionary/пример.config": b"<Dictionary />",
        long_name: os.urandom(70_000),
        "media/space name & sign.jpg": os.urandom(1000),
    }
    files = write_files(tmp_path / "site", contents)
    out = io.BytesIO()
    records = write_archive(out, files)
    stage = tmp_path / "stage"
    stage.mkdir()

    extract_verified(io.BytesIO(out.getvalue()), records, stage)

    assert snapshot(stage) == dict(sorted(contents.items()))


def test_extract_only_writes_the_chosen_files(tmp_path: Path) -> None:
    contents = {"a/one.txt": b"1", "b/two.txt": b"2", "three.txt": b"3"}
    out = io.BytesIO()
    records = write_archive(out, write_files(tmp_path / "site", contents))
    stage = tmp_path / "stage"
    stage.mkdir()

    extract_verified(io.BytesIO(out.getvalue()), records, stage, only={"b/two.txt"})

    assert snapshot(stage) == {"b/two.txt": b"2"}


def test_read_member_bytes_returns_wanted_files_and_stops_early(tmp_path: Path) -> None:
    contents = {"first.config": b"<a/>", "second.config": b"<b/>", "big.bin": os.urandom(300_000)}
    out = io.BytesIO()
    records = write_archive(out, write_files(tmp_path / "site", contents))
    cut_after_wanted = out.getvalue()[: len(out.getvalue()) // 2]

    found = read_member_bytes(
        io.BytesIO(cut_after_wanted), records, {"first.config", "second.config", "not-there"}
    )

    assert found == {"first.config": b"<a/>", "second.config": b"<b/>"}


def test_unread_members_are_still_verified(tmp_path: Path) -> None:
    out = io.BytesIO()
    records = write_archive(out, write_files(tmp_path / "site", {"a": b"1" * 5000, "b": b"2"}))
    members = iter_verified_members(io.BytesIO(out.getvalue()), records)
    first_record, first_stream = next(members)
    assert first_stream.read(10) == b"1" * 10
    second_record, second_stream = next(members)
    assert (first_record.path, second_record.path) == ("a", "b")
    assert second_stream.read() == b"2"
    assert list(members) == []


def test_writing_to_a_path_refuses_to_overwrite_and_cleans_up(tmp_path: Path) -> None:
    existing = tmp_path / "exists.tar.zst"
    existing.write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        write_archive(existing, [])
    assert existing.read_bytes() == b"keep"

    target = tmp_path / "new.tar.zst"
    missing = SourceFile(path="gone.txt", abs_path=tmp_path / "gone.txt", scope=Scope.MEDIA)
    with pytest.raises(SiteError, match=r"gone\.txt: vanished"):
        write_archive(target, [missing])
    assert not target.exists()


def test_a_file_that_shrinks_while_archived_is_named(tmp_path: Path) -> None:
    files = write_files(tmp_path / "site", {"media/video.mp4": os.urandom(200_000)})

    def shrink(_: int) -> None:
        files[0].abs_path.write_bytes(b"short")

    with pytest.raises(SiteError, match=r"media/video\.mp4: changed while archiving"):
        write_archive(io.BytesIO(), files, progress=shrink)


def test_a_file_that_grows_while_archived_is_named(tmp_path: Path) -> None:
    files = write_files(tmp_path / "site", {"media/log.txt": b"line\n" * 10})

    def grow(_: int) -> None:
        with files[0].abs_path.open("ab") as handle:
            handle.write(b"more\n")

    with pytest.raises(SiteError, match=r"media/log\.txt: changed while archiving"):
        write_archive(io.BytesIO(), files, progress=grow)


def test_only_regular_files_are_archived(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "media").mkdir(parents=True)
    (tmp_path / "secret").write_text("outside the site")
    (site / "media" / "link.txt").symlink_to(tmp_path / "secret")
    os.mkfifo(site / "media" / "pipe")
    for name in ("link.txt", "pipe"):
        source = SourceFile(path=f"media/{name}", abs_path=site / "media" / name, scope=Scope.MEDIA)
        with pytest.raises(SiteError, match=rf"media/{name}: "):
            write_archive(io.BytesIO(), [source])


@pytest.mark.parametrize("bad_path", ["/abs.txt", "../up.txt", "a//b", "a\\b", "C:/x", ""])
def test_unsafe_source_paths_are_refused(tmp_path: Path, bad_path: str) -> None:
    (tmp_path / "f").write_bytes(b"x")
    source = SourceFile(path=bad_path, abs_path=tmp_path / "f", scope=Scope.MEDIA)
    with pytest.raises(SiteError, match="cannot be archived"):
        write_archive(io.BytesIO(), [source])


def test_duplicate_source_paths_are_refused(tmp_path: Path) -> None:
    files = write_files(tmp_path / "site", {"a.txt": b"x"})
    with pytest.raises(SiteError, match="listed twice"):
        write_archive(io.BytesIO(), files + files)


@pytest.mark.parametrize("level", [0, 20])
def test_compression_level_is_bounded(level: int) -> None:
    with pytest.raises(ConfigError, match=f"level {level}"):
        write_archive(io.BytesIO(), [], level=level)


def test_worst_case_header_overhead_fits_the_decompression_cap(tmp_path: Path) -> None:
    """Empty files with maximal non-ASCII names: all header, no content."""
    folders = "/".join(["ü" * 120] * 4)  # 240 bytes of UTF-8 per component
    contents = {f"{folders}/{n:03d}-{'é' * 20}": b"" for n in range(50)}
    assert all(1000 < len(p.encode()) <= 1024 for p in contents)
    out = io.BytesIO()
    records = write_archive(out, write_files(tmp_path / "site", contents))

    report = verify_archive(io.BytesIO(out.getvalue()), records)

    assert report.file_count == 50
