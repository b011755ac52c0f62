"""Reading a point's files back, verified: from objects (version 2) or an archive (version 1).

Every byte handed out has matched the index's SHA-256 first.  ``read_files`` reads only
the files asked for (the frames holding them, in storage order); ``stage`` writes files
into a staging folder the way the archive extractor does (no name can lead outside it);
``members`` gives every file in path order (for ``export``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.archive import extract_verified, iter_verified_members
from publisher_restore.restore.archive.extract import Staging, require_empty_dir
from publisher_restore.restore.archive.read import read_member_bytes
from publisher_restore.restore.contents import PointContents
from publisher_restore.restore.manifest import FileRecord, Manifest
from publisher_restore.restore.objects import Frames, check_bytes, stream_file
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.usync.folders import ITEM_SUFFIX, handler_folders_among
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.sources import MemorySource, SourceFile, over_limit
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

ProgressCallback = Callable[[int], None]
Chunks = Iterator[bytes]


class PointReader(Protocol):
    """What reading a point offers, whatever its version."""

    def read_files(self, paths: Iterable[str]) -> dict[str, bytes]:
        """The verified bytes of these files (each at most the item size limit)."""
        ...

    def stage(self, paths: set[str], dest: Path, progress: ProgressCallback | None) -> None:
        """Write these files into the empty folder ``dest``, verified; on error ``dest`` is
        left empty."""
        ...

    def members(self, progress: ProgressCallback | None) -> Iterator[tuple[FileRecord, Chunks]]:
        """Every file in path order with its bytes in chunks (verified before the last)."""
        ...


def reader_for(store: RestorePointStore, manifest: Manifest) -> PointReader:
    """The reader of a point of either version."""
    if manifest.is_legacy:
        return ArchiveReader(store, manifest)
    return ObjectReader(store, manifest.contents())


class ObjectReader:
    """A version-2 point: packs, large-file objects."""

    def __init__(self, store: RestorePointStore, contents: PointContents) -> None:
        self._provider = store.provider
        self._contents = contents

    def read_files(self, paths: Iterable[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for row in self._in_storage_order(paths):
            if self._contents.sizes[row] > MAX_ITEM_BYTES:
                continue
            found[self._contents.paths[row]] = b"".join(
                self._chunks(row, None, Frames(self._provider))
            )
        return found

    def stage(self, paths: set[str], dest: Path, progress: ProgressCallback | None) -> None:
        require_empty_dir(dest)
        staging = Staging(dest)
        frames = Frames(self._provider)
        try:
            for row in self._in_storage_order(paths):
                staging.write_chunks(self._contents.paths[row], self._chunks(row, progress, frames))
        except BaseException:
            staging.remove_all()
            raise

    def members(self, progress: ProgressCallback | None) -> Iterator[tuple[FileRecord, Chunks]]:
        frames = Frames(self._provider)
        for row in range(len(self._contents)):
            yield self._contents.record(row), self._chunks(row, progress, frames)

    def _in_storage_order(self, paths: Iterable[str]) -> list[int]:
        contents = self._contents
        rows = []
        for path in paths:
            row = contents.row(path)
            if row is None:
                raise IntegrityError(f"{path}: not in restore point")
            rows.append(row)

        def where(row: int) -> tuple[int, int, str]:
            location = contents.locations[row]
            assert location is not None
            return location.obj, location.frame_offset, contents.paths[row]

        return sorted(rows, key=where)

    def _chunks(self, row: int, progress: ProgressCallback | None, frames: Frames) -> Chunks:
        contents = self._contents
        location = contents.locations[row]
        assert location is not None
        name = contents.objects[location.obj]
        path, size, sha256 = contents.paths[row], contents.sizes[row], contents.hashes[row]
        if location.whole:
            yield from stream_file(self._provider, name, size, sha256, path, progress)
            return
        block = frames.block(name, location.frame_offset, location.frame_length)
        end = location.offset + size
        if end > len(block):
            raise IntegrityError(f"{path}: the index places it past the end of its block in {name}")
        data = check_bytes(block[location.offset : end], sha256, path, name)
        if progress is not None:
            progress(size)
        yield data


class ArchiveReader:
    """A version-1 point: one tar+zstd archive, read front to back."""

    def __init__(self, store: RestorePointStore, manifest: Manifest) -> None:
        self._store = store
        self._manifest = manifest

    def read_files(self, paths: Iterable[str]) -> dict[str, bytes]:
        files = self._manifest.files
        with self._store.open_archive(self._manifest) as stream:
            return read_member_bytes(stream, files, set(paths), max_bytes=MAX_ITEM_BYTES)

    def stage(self, paths: set[str], dest: Path, progress: ProgressCallback | None) -> None:
        manifest = self._manifest
        with self._store.open_archive(manifest) as stream:
            extract_verified(
                stream,
                manifest.files,
                dest,
                only=paths,
                archive_sha256=manifest.archive_sha256 or None,
                progress=progress,
            )

    def members(self, progress: ProgressCallback | None) -> Iterator[tuple[FileRecord, Chunks]]:
        manifest = self._manifest
        with self._store.open_archive(manifest) as stream:
            members = iter_verified_members(
                stream, manifest.files, archive_sha256=manifest.archive_sha256 or None,
                progress=progress,
            )  # fmt: skip
            for record, member in members:
                yield record, _member_chunks(member)


def _member_chunks(member: object) -> Chunks:
    from publisher_restore.restore.archive import MemberStream

    assert isinstance(member, MemberStream)
    while chunk := member.read(1 << 20):
        yield chunk


def item_files(store: RestorePointStore, point: Manifest) -> MemorySource:
    """A point's item files below its uSync folder, verified, as an item source.

    An item over the item size limit is a problem, never read whole.
    """
    prefix = point.usync_folder.rstrip("/") + "/"
    contents = point.contents()
    names = [path for path in contents.paths if path.startswith(prefix)]
    items = [path for path in names if path.endswith(ITEM_SUFFIX)]
    sizes = {path: contents.sizes[row] for path in items if (row := contents.row(path)) is not None}
    too_big = {path for path in items if sizes[path] > MAX_ITEM_BYTES}
    found = reader_for(store, point).read_files(path for path in items if path not in too_big)
    entries = [SourceFile(path, data) for path, data in found.items()]
    entries += [
        SourceFile(path, ParseProblem(path=path, problem=over_limit(sizes[path])))
        for path in sorted(too_big)
    ]
    return MemorySource(tuple(entries), prefix, handler_folders_among(names, prefix))
