"""One read per small file: hash it, read its item identity, and pack its bytes into blocks.

``pack_files`` is the work of a create on its small files; it runs in worker processes
(``pack_worker``) or, for a few files, in the creating process itself.  It touches no
storage: it returns each file's record and the compressed frames, which the creating
process appends to pack objects (``point_writer``).

A file is opened without following links and must be a regular file whose size and
modification time do not change while it is read; otherwise the create stops with a
``SiteError`` naming it, rather than record bytes other than those it stored.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from publisher_restore.errors import SiteError
from publisher_restore.regular_files import open_regular
from publisher_restore.restore.contents import Identity
from publisher_restore.restore.objects import BLOCK_TARGET, compressor
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.sources import over_limit
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES


class SmallFile(NamedTuple):
    """A file to read: where it is, its site path, whether it is a uSync item file."""

    abs_path: str
    path: str
    is_item: bool


class PackedFile(NamedTuple):
    """What reading one file found, and where its bytes went.

    ``block`` is the index of the frame (within this batch) holding the bytes from
    ``offset``; -1 when the bytes were not stored because storage already has them.
    """

    path: str
    size: int
    mtime: int
    sha256: str
    identity: Identity | ParseProblem | None
    block: int
    offset: int


@dataclass
class PackedBatch:
    """A batch of files read: their records and the compressed frames of their blocks."""

    files: list[PackedFile] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)


@dataclass
class Packer:
    """Reads files and packs their bytes; ``known`` digests are already stored."""

    known: frozenset[bytes] = frozenset()
    level: int = 3

    def pack(self, files: Sequence[SmallFile]) -> PackedBatch:
        """Read, hash, identify and pack ``files`` (in order)."""
        batch = PackedBatch()
        block: list[bytes] = []
        filled = 0
        zstd = compressor(self.level)
        for small in files:
            data, size, mtime = read_file(small.abs_path, small.path)
            digest = hashlib.sha256(data)
            identity = item_identity(data, small.path) if small.is_item else None
            if digest.digest() in self.known:
                batch.files.append(PackedFile(small.path, size, mtime, digest.hexdigest(),
                                              identity, -1, 0))  # fmt: skip
                continue
            batch.files.append(PackedFile(small.path, size, mtime, digest.hexdigest(), identity,
                                          len(batch.frames), filled))  # fmt: skip
            block.append(data)
            filled += size
            if filled >= BLOCK_TARGET:
                batch.frames.append(zstd.compress(b"".join(block)))
                block, filled = [], 0
        if block:
            batch.frames.append(zstd.compress(b"".join(block)))
        return batch


def item_identity(data: bytes, path: str) -> Identity | ParseProblem:
    """The identity of an item file's bytes; one over the item size limit is a problem."""
    if len(data) > MAX_ITEM_BYTES:
        return ParseProblem(path=path, problem=over_limit(len(data)))
    from publisher_restore.restore.identity import read_identity  # lxml: only when needed

    return read_identity(data, path)


def read_file(abs_path: str, path: str) -> tuple[bytes, int, int]:
    """A regular file's bytes, size and modification time (ns), read in one go."""
    fd, before = open_regular(abs_path, path, error=SiteError, done="stored")
    try:
        data = os.read(fd, before.st_size + 1)
        while len(data) < before.st_size:  # a short read of a regular file: read on
            more = os.read(fd, before.st_size + 1 - len(data))
            if not more:
                break
            data += more
        after = os.fstat(fd)
    finally:
        os.close(fd)
    require_unchanged(path, before, after, len(data))
    return data, before.st_size, before.st_mtime_ns


def require_unchanged(path: str, before: os.stat_result, after: os.stat_result, read: int) -> None:
    """The file kept its size and modification time while it was read."""
    same = (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if not same or read != before.st_size:
        raise SiteError(f"{path}: changed while the restore point was taken; retry")
