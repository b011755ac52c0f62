"""Content-addressed objects: their names, and reading them back as hostile input.

Three kinds, each named by a SHA-256 so that equal content is stored once and a name
says what its object must hold::

    objects/pack/<sha256 of the pack's bytes>     small files, packed and compressed
    objects/file/<sha256 of the file>             a large file as it is (incompressible)
    objects/file/<sha256 of the file>.zst         a large file, one zstd frame
    objects/index/<sha256 of the index chunk>     a chunk of a point's file index (zstd)

A pack is zstd frames one after another; each frame holds the bytes of several small
files end to end (a block of about ``BLOCK_TARGET`` bytes, so one file is read by
decompressing its block only).  Frames carry their content size and a checksum; the
index says which frame holds a file, where in it, how long it is and its SHA-256.

Nothing read from storage is trusted: a frame must declare a content size within
``MAX_FRAME_BYTES``, decode to exactly that many bytes with nothing after it, and every
file's bytes must match the index's SHA-256 before they are handed out.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

import zstandard

from publisher_restore.errors import IntegrityError, ObjectNotFoundError
from publisher_restore.storage.base import StorageProvider

OBJECTS_PREFIX = "objects/"
PACK_PREFIX = "objects/pack/"
FILE_PREFIX = "objects/file/"
INDEX_PREFIX = "objects/index/"
ZSTD_SUFFIX = ".zst"

BLOCK_TARGET = 256 * 1024
"""Uncompressed bytes per pack frame: reading one file decompresses this much at most
(plus one file); larger blocks compress XML only a little better (measured: 5.2x at
256 KiB, 5.5x at 1 MiB)."""
LARGE_FILE = 256 * 1024
"""Files this size or larger are objects of their own (media, mostly)."""
MAX_FRAME_BYTES = 4 * 1024 * 1024
"""The most a pack frame may decode to; a block never exceeds BLOCK_TARGET + LARGE_FILE."""
MAX_WINDOW = 1 << 24
READ_CHUNK = 1 << 20
LEVEL = 3

_HEX = re.compile(r"^[0-9a-f]{64}$")


def pack_name(digest: str) -> str:
    return f"{PACK_PREFIX}{digest}"


def file_name(digest: str, *, compressed: bool) -> str:
    return f"{FILE_PREFIX}{digest}{ZSTD_SUFFIX if compressed else ''}"


def index_name(digest: str) -> str:
    return f"{INDEX_PREFIX}{digest}"


def object_problem(name: str) -> str | None:
    """Why ``name`` cannot be an object name, or None when it can."""
    for prefix, suffixes in ((PACK_PREFIX, ("",)), (INDEX_PREFIX, ("",)),
                             (FILE_PREFIX, ("", ZSTD_SUFFIX))):  # fmt: skip
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            for suffix in suffixes:
                if (not suffix or rest.endswith(suffix)) and _HEX.match(
                    rest[: len(rest) - len(suffix)]
                ):
                    return None
    return "not an object name"


def named_digest(name: str) -> str:
    """The SHA-256 an object's name states."""
    return name.rsplit("/", 1)[1].removesuffix(ZSTD_SUFFIX)


def is_pack(name: str) -> bool:
    return name.startswith(PACK_PREFIX)


def is_compressed_file(name: str) -> bool:
    return name.startswith(FILE_PREFIX) and name.endswith(ZSTD_SUFFIX)


def compressor(level: int = LEVEL) -> zstandard.ZstdCompressor:
    """The one compressor setting: content size and checksum in every frame."""
    return zstandard.ZstdCompressor(level=level, write_checksum=True, write_content_size=True)


def decode_frame(frame: bytes, where: str, cap: int = MAX_FRAME_BYTES) -> bytes:
    """One whole zstd frame's content; IntegrityError for anything else."""
    declared = _declared_size(frame, where)
    if declared > cap:
        raise IntegrityError(f"{where}: a frame declares {declared} bytes (limit {cap}): refused")
    decoder = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW).decompressobj()
    try:
        data = decoder.decompress(frame)
    except zstandard.ZstdError as error:
        raise IntegrityError(f"{where}: damaged ({error})") from None
    if not decoder.eof or decoder.unused_data or len(data) != declared:
        raise IntegrityError(f"{where}: damaged (the frame is cut short or has bytes after it)")
    return data


def _declared_size(frame: bytes, where: str) -> int:
    try:
        size = zstandard.frame_content_size(frame)
    except zstandard.ZstdError:
        raise IntegrityError(f"{where}: damaged (not a zstd frame)") from None
    if size < 0:
        raise IntegrityError(f"{where}: damaged (the frame does not declare its size)")
    return int(size)


def check_bytes(data: bytes, sha256: str, path: str, where: str) -> bytes:
    """``data`` if its SHA-256 is ``sha256``, else IntegrityError naming file and object."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IntegrityError(f"{path}: the bytes in {where} do not match its SHA-256 (damaged)")
    return data


class Frames:
    """Reads pack frames, keeping the last one decoded (files of one block come together)."""

    def __init__(self, provider: StorageProvider) -> None:
        self._provider = provider
        self._key: tuple[str, int] | None = None
        self._data = b""

    def block(self, name: str, offset: int, length: int) -> bytes:
        """The decoded frame at ``offset`` of pack ``name``."""
        key = (name, offset)
        if key != self._key:
            if length <= 0 or length > MAX_FRAME_BYTES + 4096:
                raise IntegrityError(f"{name}: the index names a frame of {length} bytes")
            frame = _read_range(self._provider, name, offset, length)
            if len(frame) != length:
                raise IntegrityError(f"{name}: damaged (cut short at byte {offset + len(frame)})")
            self._data, self._key = decode_frame(frame, name), key
        return self._data

    def remember(self, name: str, offset: int, data: bytes) -> None:
        """Keep a frame decoded elsewhere (a whole pack read front to back)."""
        self._key, self._data = (name, offset), data


def _read_range(provider: StorageProvider, name: str, offset: int, length: int) -> bytes:
    try:
        return provider.read_range(name, offset, length)
    except ObjectNotFoundError:
        raise IntegrityError(f"{name}: missing from storage") from None


def open_object(provider: StorageProvider, name: str) -> BinaryIO:
    """A stream over an object; a missing one is an IntegrityError naming it."""
    try:
        return provider.open_read(name)
    except ObjectNotFoundError:
        raise IntegrityError(f"{name}: missing from storage") from None


def stream_file(
    provider: StorageProvider,
    name: str,
    size: int,
    sha256: str,
    path: str,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """A large file's bytes in chunks from its object; the last chunk is handed out only
    once the size and SHA-256 match (so a consumer never finishes with wrong bytes)."""
    digest = hashlib.sha256()
    total = 0
    held: bytes | None = None
    with open_object(provider, name) as stream:
        for chunk in _decoded(stream, name, size):
            total += len(chunk)
            if total > size:
                raise IntegrityError(f"{path}: {name} holds more than its {size} bytes (damaged)")
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
            if held is not None:
                yield held
            held = chunk
    if total != size or digest.hexdigest() != sha256:
        raise IntegrityError(f"{path}: the bytes in {name} do not match its SHA-256 (damaged)")
    if held is not None:
        yield held


def _decoded(stream: BinaryIO, name: str, size: int) -> Iterator[bytes]:
    if not is_compressed_file(name):
        while chunk := stream.read(READ_CHUNK):
            yield chunk
        return
    reader = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW).stream_reader(
        stream, read_size=READ_CHUNK, read_across_frames=False, closefd=False
    )
    try:
        while chunk := reader.read(min(READ_CHUNK, size + 1)):
            yield chunk
    except zstandard.ZstdError as error:
        raise IntegrityError(f"{name}: damaged ({error})") from None
    finally:
        reader.close()  # type: ignore[no-untyped-call]
