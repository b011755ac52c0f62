"""Hostile archives are refused, stop early, and leave nothing behind."""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard

from publisher_restore.errors import HostileInputError, IntegrityError, PublisherRestoreError
from publisher_restore.restore.archive import (
    check_member_path,
    extract_verified,
    verify_archive,
)
from publisher_restore.restore.manifest import FileRecord
from tests.restore.archive_craft import (
    MEMBERS,
    compress,
    crafted,
    frame_header,
    honest,
    raw_block,
    record,
    records,
    regular,
    rle_block,
    snapshot,
    special,
    tar_bytes,
)

BENIGN = {"uSync/v9/Content/home.config": b"<Content />"}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """An empty staging dir beside a folder of files that must never change."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_bytes(b"do not touch")
    stage = tmp_path / "stage"
    stage.mkdir()
    before = snapshot(tmp_path)
    yield stage, outside
    assert snapshot(tmp_path) == before, "something was written outside the staging dir"
    assert list(stage.iterdir()) == [], "staging dir not left empty"


def refuse(archive: bytes, expected: list[FileRecord], stage: Path, match: str) -> None:
    """Both verify and extract refuse the archive with a message matching ``match``."""
    with pytest.raises(HostileInputError, match=match):
        verify_archive(io.BytesIO(archive), expected)
    with pytest.raises(HostileInputError, match=match):
        extract_verified(io.BytesIO(archive), expected, stage)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("/etc/passwd", "absolute path"),
        ("../escape.txt", r"'\.\.' path component"),
        ("uSync/../../escape.txt", r"'\.\.' path component"),
        ("./home.config", r"'\.' path component"),
        ("uSync//home.config", "empty"),
        ("C:/Windows/evil.dll", "drive letter"),
        ("c:evil.dll", "drive letter"),
        ("uSync\\..\\evil.config", "backslash"),
        ("x" * 1100, "longer than"),
    ],
)
def test_unsafe_member_names_are_refused(
    workspace: tuple[Path, Path], name: str, reason: str
) -> None:
    stage, _ = workspace
    archive = crafted([regular(name, b"payload")])
    refuse(archive, records(BENIGN), stage, reason)


def test_a_traversal_member_after_good_ones_removes_what_was_written(
    workspace: tuple[Path, Path],
) -> None:
    stage, _ = workspace
    entries = [regular(p, d) for p, d in MEMBERS.items()]
    archive = crafted([*entries, regular("../outside/precious.txt", b"overwritten")])
    refuse(archive, records(MEMBERS), stage, r"'\.\.' path component")


@pytest.mark.parametrize(
    ("kind", "linkname", "words"),
    [
        (tarfile.SYMTYPE, "/etc/passwd", "symbolic link"),
        (tarfile.SYMTYPE, "../outside", "symbolic link"),
        (tarfile.LNKTYPE, "uSync/v9/Content/home.config", "hard link"),
        (tarfile.CHRTYPE, "", "character device"),
        (tarfile.BLKTYPE, "", "block device"),
        (tarfile.FIFOTYPE, "", "FIFO"),
        (tarfile.DIRTYPE, "", "directory"),
        (tarfile.CONTTYPE, "", "contiguous file"),
        (b"V", "", "unknown type"),
    ],
)
def test_members_that_are_not_regular_files_are_refused(
    workspace: tuple[Path, Path], kind: bytes, linkname: str, words: str
) -> None:
    stage, _ = workspace
    archive = crafted([special("uSync/v9/Content/home.config", kind, linkname)])
    refuse(archive, records(BENIGN), stage, words)


def test_a_symlink_then_a_file_through_it_never_writes_outside(
    workspace: tuple[Path, Path],
) -> None:
    stage, outside = workspace
    archive = crafted(
        [
            special("uSync", tarfile.SYMTYPE, str(outside)),
            regular("uSync/precious.txt", b"overwritten"),
        ]
    )
    refuse(archive, [record("uSync/precious.txt", b"overwritten")], stage, "symbolic link")


def test_gnu_long_names_and_global_pax_headers_are_refused(workspace: tuple[Path, Path]) -> None:
    stage, _ = workspace
    long_name = "uSync/" + "n" * 150 + ".config"
    gnu = compress(tar_bytes([regular(long_name, b"x")], tar_format=tarfile.GNU_FORMAT))
    refuse(gnu, [record(long_name, b"x")], stage, "GNU long-name header")
    global_pax = crafted(
        [regular("uSync/v9/Content/home.config", b"<Content />")],
        pax_headers={"comment": "global"},
    )
    refuse(global_pax, records(BENIGN), stage, "global pax header")


def test_a_sparse_member_declared_in_pax_keys_is_refused(workspace: tuple[Path, Path]) -> None:
    stage, _ = workspace
    info, data = regular("uSync/v9/Content/home.config", b"<Content />")
    info.pax_headers = {
        "GNU.sparse.size": "11",
        "GNU.sparse.numblocks": "1",
        "GNU.sparse.offset": "0",
        "GNU.sparse.numbytes": "11",
    }
    refuse(crafted([(info, data)]), records(BENIGN), stage, "sparse")


def test_a_malformed_sparse_map_is_an_integrity_error_not_a_crash() -> None:
    info, data = regular("uSync/v9/Content/home.config", b"<Content />")
    info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0"}
    with pytest.raises(IntegrityError, match="corrupt"):
        verify_archive(io.BytesIO(crafted([(info, data)])), records(BENIGN))


def test_an_absurd_pax_header_size_is_refused_without_reading_it() -> None:
    header = tarfile.TarInfo("././@PaxHeader")
    header.type = tarfile.XHDTYPE
    header.size = 1 << 32  # four gibibytes of pax records that never come
    block = header.tobuf(format=tarfile.USTAR_FORMAT)
    with pytest.raises(HostileInputError, match="pax header of 4294967296 bytes"):
        verify_archive(io.BytesIO(compress(block)), records(BENIGN))


def test_a_zstd_bomb_is_refused(workspace: tuple[Path, Path]) -> None:
    """A tiny manifest, then a gibibyte of zeros compressed by zstd itself."""
    stage, _ = workspace
    members = tar_bytes(regular(p, d) for p, d in BENIGN.items())[:-1024]  # no end marker
    compressor = zstandard.ZstdCompressor(level=1, write_checksum=True).compressobj()
    zeros = bytes(16 << 20)
    parts = [compressor.compress(members)]
    parts += [compressor.compress(zeros) for _ in range(64)]
    parts.append(compressor.flush())
    bomb = b"".join(parts)
    assert len(bomb) < 100_000

    refuse(bomb, records(BENIGN), stage, "decompression bomb")


def test_a_bomb_stops_after_reading_a_sliver_of_it() -> None:
    """64 GiB of zeros in 2 MiB of RLE blocks: decoding it all would take a minute."""
    members = tar_bytes(regular(p, d) for p, d in BENIGN.items())[:-1024]
    window_128k = bytes([(17 - 10) << 3])
    blocks = 64 * 8192
    bomb = b"".join(
        [
            frame_header(0x04, window_128k),
            raw_block(members),
            rle_block(0, 128 * 1024) * (blocks - 1),
            rle_block(0, 128 * 1024, last=True),
            bytes(4),
        ]
    )
    fed = _CountingStream(bomb)

    started = time.perf_counter()
    with pytest.raises(HostileInputError, match="decompression bomb"):
        verify_archive(fed, records(BENIGN))

    assert time.perf_counter() - started < 5.0  # decoding all of it takes far longer
    assert fed.bytes_read < len(bomb) // 8


def test_a_member_claiming_a_gibibyte_against_a_tiny_manifest_is_refused_unread() -> None:
    info = tarfile.TarInfo("uSync/v9/Content/home.config")
    info.size = 1 << 30
    archive = compress(info.tobuf(format=tarfile.PAX_FORMAT))
    with pytest.raises(IntegrityError, match="1073741824 bytes, the manifest says 11"):
        verify_archive(io.BytesIO(archive), records(BENIGN))


def test_a_frame_asking_for_a_huge_window_is_refused_before_decoding() -> None:
    window_descriptor = bytes([(30 - 10) << 3])  # 1 GiB
    frame = frame_header(0x04, window_descriptor) + raw_block(b"x", last=True) + bytes(4)
    with pytest.raises(HostileInputError, match="window"):
        verify_archive(io.BytesIO(frame), records(BENIGN))


def test_a_frame_without_a_checksum_is_refused() -> None:
    unchecked = zstandard.ZstdCompressor(write_checksum=False).compress(
        tar_bytes(regular(p, d) for p, d in BENIGN.items())
    )
    with pytest.raises(HostileInputError, match="no content checksum"):
        verify_archive(io.BytesIO(unchecked), records(BENIGN))


def test_a_frame_needing_a_dictionary_is_refused() -> None:
    frame = frame_header(0x05, bytes([10 << 3]) + b"\x07") + raw_block(b"x", last=True)
    with pytest.raises(HostileInputError, match="dictionary"):
        verify_archive(io.BytesIO(frame), records(BENIGN))


def test_a_hostile_manifest_path_is_refused_too() -> None:
    with pytest.raises(HostileInputError, match="absolute path"):
        verify_archive(io.BytesIO(honest(BENIGN)), [record("/etc/passwd", b"")])


@pytest.mark.parametrize(
    "members",
    [
        {"media/a": b"file", "media/a/b.jpg": b"under it"},
        {"media/a/b/c.jpg": b"under it", "media/a": b"file"},
    ],
)
def test_a_path_that_is_both_file_and_folder_is_refused(
    workspace: tuple[Path, Path], members: dict[str, bytes]
) -> None:
    stage, _ = workspace
    refuse(honest(members), records(members), stage, "'media/a' as a file and as a folder")


def test_extraction_needs_an_existing_empty_staging_dir(tmp_path: Path) -> None:
    with pytest.raises(PublisherRestoreError, match="does not exist"):
        extract_verified(io.BytesIO(honest()), records(MEMBERS), tmp_path / "missing")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "leftover").write_bytes(b"")
    with pytest.raises(PublisherRestoreError, match="not empty"):
        extract_verified(io.BytesIO(honest()), records(MEMBERS), tmp_path / "used")


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "empty name"), ("a\0b", "NUL"), ("a/\udcff", "not valid UTF-8"), ("a/.", "'.'")],
)
def test_member_path_rules(name: str, reason: str) -> None:
    with pytest.raises(HostileInputError, match=reason):
        check_member_path(name)


def test_plain_relative_paths_pass() -> None:
    assert check_member_path("uSync/v9/Dictionary/пример.config") == (
        "uSync/v9/Dictionary/пример.config"
    )


class _CountingStream(io.BytesIO):
    """A BytesIO that remembers how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data
