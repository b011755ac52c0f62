"""Damaged archives (bit flips, truncation, missing or surplus members) never pass."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
import zstandard

from publisher_restore.errors import HostileInputError, IntegrityError, PublisherRestoreError
from publisher_restore.restore.archive import extract_verified, verify_archive
from publisher_restore.restore.manifest import FileRecord
from tests.restore.archive_craft import (
    MEMBERS,
    compress,
    crafted,
    honest,
    record,
    records,
    regular,
    snapshot,
    tar_bytes,
)


def verify(data: bytes, expected: list[FileRecord]) -> None:
    verify_archive(io.BytesIO(data), expected)


def test_an_honest_crafted_archive_passes() -> None:
    report = verify_archive(io.BytesIO(honest()), records(MEMBERS))
    assert report.file_count == len(MEMBERS)


def flipped(archive: bytes, offset: int, bit: int) -> bytes:
    damaged = bytearray(archive)
    damaged[offset] ^= bit
    return bytes(damaged)


@pytest.mark.parametrize("bit", [0x01, 0x10, 0x80])
def test_every_single_bit_flip_is_caught_with_the_archive_hash(bit: int) -> None:
    archive = honest()
    digest = hashlib.sha256(archive).hexdigest()
    for offset in range(len(archive)):
        with pytest.raises((IntegrityError, HostileInputError)):
            verify_archive(
                io.BytesIO(flipped(archive, offset, bit)), records(MEMBERS), archive_sha256=digest
            )


@pytest.mark.parametrize("bit", [0x01, 0x10, 0x80])
def test_a_bit_flip_that_passes_without_the_archive_hash_changed_no_content(bit: int) -> None:
    archive = honest()
    content = zstandard.ZstdDecompressor().decompress(archive)
    for offset in range(len(archive)):
        damaged = flipped(archive, offset, bit)
        try:
            verify(damaged, records(MEMBERS))
        except (IntegrityError, HostileInputError):
            continue
        assert zstandard.ZstdDecompressor().decompress(damaged) == content, offset


def test_a_bit_flip_in_the_body_is_an_integrity_error() -> None:
    archive = bytearray(honest())
    archive[len(archive) // 2] ^= 0x01
    with pytest.raises(IntegrityError):
        verify(bytes(archive), records(MEMBERS))


def test_member_bytes_that_differ_from_the_manifest_hash_are_named(tmp_path: Path) -> None:
    altered = dict(MEMBERS)
    altered["Views/Home.cshtml"] = MEMBERS["Views/Home.cshtml"].replace(b"h1", b"h2")
    stage = tmp_path / "stage"
    stage.mkdir()

    with pytest.raises(IntegrityError, match=r"Views/Home\.cshtml: content does not match"):
        extract_verified(io.BytesIO(honest(altered)), records(MEMBERS), stage)
    assert snapshot(stage) == {}
    assert list(stage.iterdir()) == []


def test_extracting_only_some_files_still_verifies_the_others(tmp_path: Path) -> None:
    altered = dict(
        MEMBERS, **{"uSync/v9/DataTypes/text.config": b"<DataType Key='3' Alias='text' />\n"}
    )
    stage = tmp_path / "stage"
    stage.mkdir()
    with pytest.raises(IntegrityError, match=r"text\.config: content does not match"):
        extract_verified(
            io.BytesIO(honest(altered)), records(MEMBERS), stage, only={"Views/Home.cshtml"}
        )
    assert list(stage.iterdir()) == []


@pytest.mark.parametrize("keep", [0, 1, 4, 5, 12, 40, 0.25, 0.5, 0.75, -5, -4, -1])
def test_truncation_is_detected(keep: float) -> None:
    archive = honest()
    cut = int(len(archive) * keep) if isinstance(keep, float) else keep % len(archive)
    with pytest.raises(IntegrityError, match=r"truncated|incomplete"):
        verify(archive[:cut], records(MEMBERS))


def test_an_archive_cut_before_its_first_file_says_so() -> None:
    """tarfile's "empty file" hid that the archive was cut short; the message says what is true."""
    archive = honest()
    expected = {
        0: "archive truncated: the file is empty (0 bytes)",
        1: "archive truncated: it ends after 1 byte, inside the compressed stream, before any "
        "file could be read",
        40: "archive truncated: it ends after 40 bytes, inside the compressed stream, before "
        "any file could be read",
    }
    for keep, message in expected.items():
        with pytest.raises(IntegrityError) as caught:
            verify(archive[:keep], records(MEMBERS))
        assert str(caught.value) == message
    with pytest.raises(IntegrityError) as caught:
        verify(compress(b""), records(MEMBERS))
    assert str(caught.value) == (
        "archive truncated: its tar stream is empty (no file, no end-of-archive marker)"
    )


def test_a_tar_stream_cut_inside_a_whole_zstd_frame_is_detected() -> None:
    plain = tar_bytes(regular(p, d) for p, d in MEMBERS.items())
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        last = tar.getmembers()[-1]
    end_of_members = last.offset_data + -(-last.size // 512) * 512
    assert plain[end_of_members:] == bytes(len(plain) - end_of_members)
    for keep in (0, 100, 512, 1024, 2000, end_of_members):
        with pytest.raises(IntegrityError, match=r"truncated|incomplete"):
            verify(compress(plain[:keep]), records(MEMBERS))


def test_missing_members_are_counted_and_named() -> None:
    expected = records(MEMBERS) + [record(f"media/extra-{n}.jpg", b"x") for n in range(7)]
    with pytest.raises(IntegrityError) as caught:
        verify(honest(), expected)
    message = str(caught.value)
    assert "7 manifest files missing" in message
    assert "media/extra-0.jpg" in message and "and 2 more" in message


def test_a_member_not_in_the_manifest_is_refused() -> None:
    extra = dict(MEMBERS, **{"uSync/v9/Content/planted.config": b"<x/>"})
    with pytest.raises(HostileInputError, match=r"planted\.config.*not in the manifest"):
        verify(honest(extra), records(MEMBERS))


def test_a_duplicate_member_is_refused() -> None:
    entries = [regular(p, d) for p, d in MEMBERS.items()]
    archive = crafted([*entries, entries[1]])
    with pytest.raises(HostileInputError, match="appears twice"):
        verify(archive, records(MEMBERS))


def test_a_member_larger_than_the_manifest_says_is_refused_before_reading() -> None:
    grown = dict(MEMBERS, **{"Views/Home.cshtml": b"x" * 5000})
    with pytest.raises(IntegrityError, match=r"Views/Home\.cshtml: archive member is 5000 bytes"):
        verify(honest(grown), records(MEMBERS))


def test_a_manifest_listing_a_path_twice_is_refused() -> None:
    expected = records(MEMBERS)
    with pytest.raises(IntegrityError, match="twice"):
        verify(honest(), [*expected, expected[0]])


def test_bytes_after_the_frame_are_refused() -> None:
    with pytest.raises(IntegrityError, match="after the zstd frame"):
        verify(honest() + b"\0", records(MEMBERS))


def test_a_second_frame_is_refused() -> None:
    with pytest.raises(IntegrityError):
        verify(honest() + compress(b"\0" * 1024), records(MEMBERS))


def test_a_stream_that_is_not_zstd_is_refused() -> None:
    plain = tar_bytes(regular(p, d) for p, d in MEMBERS.items())
    with pytest.raises(IntegrityError, match="not a zstd stream"):
        verify(plain, records(MEMBERS))


def test_errors_stop_as_restore_errors_with_the_cli_exit_code() -> None:
    with pytest.raises(PublisherRestoreError) as caught:
        verify(honest()[:-1], records(MEMBERS))
    assert caught.value.exit_code == 5
