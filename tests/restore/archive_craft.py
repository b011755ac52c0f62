"""Building archives by hand for the archive tests: honest ones, damaged ones, hostile ones."""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Iterable
from pathlib import Path

import zstandard

from publisher_restore.restore.manifest import FileRecord, Scope

MEMBERS = {
    "uSync/v9/Content/home.config": b"<Content Key='1' Alias='home' />\n" * 40,
    "uSync/v9/DataTypes/text.config": b"<DataType Key='2' Alias='text' />\n",
    "Views/Home.cshtml": b"@inherits UmbracoViewPage\n<h1>@Model.Name</h1>\n",
    "wwwroot/media/1000/empty.jpg": b"",
}


def record(path: str, data: bytes, scope: Scope = Scope.USYNC) -> FileRecord:
    """The manifest record an honest writer makes for ``data``."""
    return FileRecord(
        path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest(), scope=scope
    )


def records(members: dict[str, bytes]) -> list[FileRecord]:
    """Manifest records for every member, in order."""
    return [record(path, data) for path, data in members.items()]


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    """A regular-file tar entry."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, bytes]:
    """A tar entry of another type (link, device, FIFO, directory)."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, b""


def tar_bytes(
    entries: Iterable[tuple[tarfile.TarInfo, bytes]],
    *,
    tar_format: int = tarfile.PAX_FORMAT,
    pax_headers: dict[str, str] | None = None,
) -> bytes:
    """An uncompressed tar stream of exactly these entries, written with tarfile."""
    out = io.BytesIO()
    with tarfile.open(
        fileobj=out, mode="w", format=tar_format, pax_headers=pax_headers or {}
    ) as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return out.getvalue()


def compress(data: bytes) -> bytes:
    """One zstd frame with a content checksum, as the writer makes."""
    return zstandard.ZstdCompressor(level=3, write_checksum=True).compress(data)


def crafted(entries: Iterable[tuple[tarfile.TarInfo, bytes]], **options: object) -> bytes:
    """A compressed archive of exactly these entries."""
    return compress(tar_bytes(entries, **options))  # type: ignore[arg-type]


def honest(members: dict[str, bytes] = MEMBERS) -> bytes:
    """A compressed archive holding ``members`` as regular files."""
    return crafted(regular(path, data) for path, data in members.items())


def frame_header(descriptor: int, rest: bytes) -> bytes:
    """A zstd frame header from its descriptor byte and the fields after it."""
    return b"\x28\xb5\x2f\xfd" + bytes([descriptor]) + rest


def raw_block(data: bytes, *, last: bool = False) -> bytes:
    """A zstd raw block holding ``data`` (at most 128 KiB)."""
    return ((len(data) << 3) | int(last)).to_bytes(3, "little") + data


def rle_block(byte: int, size: int, *, last: bool = False) -> bytes:
    """A zstd RLE block: ``size`` (at most 128 KiB) copies of ``byte`` in four bytes."""
    return ((size << 3) | (1 << 1) | int(last)).to_bytes(3, "little") + bytes([byte])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing changed."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
