"""Large files (media, mostly): each read once, stored as an object of its own.

A file is streamed in chunks: hashed, and written to a temp file beside the store, raw
or as one zstd frame when its first bytes compress well (media rarely does: a JPEG is
not recompressed).  Its name is then known (``objects/file/<sha256>[.zst]``): an
object storage holds already is shared and the temp file dropped; a new one is moved
into place (``adopt_file``: a rename on local disk, an upload elsewhere).  This runs in
threads beside the packing of small files: hashing, compressing and writing all
release Python's lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zstandard

from publisher_restore.errors import SiteError
from publisher_restore.regular_files import opened_regular
from publisher_restore.restore.contents import Identity
from publisher_restore.restore.manifest import Scope
from publisher_restore.restore.objects import compressor, file_name
from publisher_restore.restore.packing import item_identity, require_unchanged
from publisher_restore.restore.point_writer import PointWriter
from publisher_restore.site import SiteFile
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.sources import over_limit
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

THREADS = 2
CHUNK = 1024 * 1024
PROBE = 128 * 1024
WORTH_IT = 0.9
"""Compress a file only when its first ``PROBE`` bytes shrink below this fraction."""


@dataclass(frozen=True, slots=True)
class LargeFile:
    """A large file stored: what it was, and the slot of its object in the point."""

    path: str
    size: int
    mtime: int
    sha256: str
    scope: Scope
    slot: int
    identity: Identity | ParseProblem | None


@contextlib.contextmanager
def store_large_files(
    files: list[SiteFile], temp: Path, writer: PointWriter
) -> Iterator[Callable[[], Iterator[LargeFile]]]:
    """Store ``files`` in the background; the yielded callable gives the results in order."""
    guard = threading.Lock()
    with ThreadPoolExecutor(THREADS, thread_name_prefix="large-file") as pool:
        futures = [pool.submit(_store, f, temp / f"create-{i}.part", writer, guard)
                   for i, f in enumerate(files)]  # fmt: skip
        try:
            yield lambda: (future.result() for future in futures)
        finally:
            for future in futures:
                future.cancel()


def _store(
    site_file: SiteFile, temp: Path, writer: PointWriter, guard: threading.Lock
) -> LargeFile:
    is_item = site_file.scope == Scope.USYNC and site_file.path.endswith(".config")
    try:
        sha256, size, mtime, compressed, kept = _copy(site_file, temp, keep=is_item)
        name = file_name(sha256, compressed=compressed)
        with guard:  # the writer's bookkeeping is not shared between threads
            slot = writer.add_file(name, temp)
    finally:
        temp.unlink(missing_ok=True)
    identity: Identity | ParseProblem | None = None
    if is_item:
        too_big = ParseProblem(path=site_file.path, problem=over_limit(size))
        identity = too_big if kept is None else item_identity(kept, site_file.path)
    return LargeFile(site_file.path, size, mtime, sha256, site_file.scope, slot, identity)


def _copy(
    site_file: SiteFile, temp: Path, *, keep: bool
) -> tuple[str, int, int, bool, bytes | None]:
    """Hash the file into ``temp``: (sha256, size, mtime, compressed, bytes if ``keep``)."""
    opened = opened_regular(site_file.abs_path, site_file.path, error=SiteError, done="stored")
    with opened as (source, before):
        first = source.read(CHUNK)
        compressed = _worth_compressing(first[:PROBE])
        digest = hashlib.sha256()
        kept = bytearray() if keep and before.st_size <= MAX_ITEM_BYTES else None
        total = 0
        with open(temp, "xb") as out:
            sink = _sink(out, compressed, before.st_size)
            chunk = first
            while chunk:
                digest.update(chunk)
                sink.write(chunk)
                total += len(chunk)
                if kept is not None:
                    kept += chunk
                chunk = source.read(CHUNK)
            sink.close()
        require_unchanged(site_file.path, before, os.fstat(source.fileno()), total)
    data = None if kept is None else bytes(kept)
    return digest.hexdigest(), total, before.st_mtime_ns, compressed, data


class _Raw:
    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, data: bytes) -> None:
        self._out.write(data)

    def close(self) -> None:
        self._out.flush()


def _sink(out: BinaryIO, compressed: bool, size: int) -> _Raw | zstandard.ZstdCompressionWriter:
    if not compressed:
        return _Raw(out)
    return compressor().stream_writer(out, size=size, closefd=False)


def _worth_compressing(sample: bytes) -> bool:
    if not sample:
        return False
    packed = zstandard.ZstdCompressor(level=1).compress(sample)
    return len(packed) < WORTH_IT * len(sample)
