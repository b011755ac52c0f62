"""``export`` and ``import-point``: one point as one self-contained ``.tar.zst`` file, and back.

The file is a pax tar stream in one zstd frame (with its checksum), as version-1 archives
were, so ``tar --zstd -xf FILE`` opens it anywhere: first ``.publisher-restore/point.json``
(the point's whole manifest: header, every file with its SHA-256, items, problems), then
every file of the point at its site path, in path order.

Importing treats the file as hostile (``restore.archive``'s reader): the manifest member
comes first and is bounded, its paths must follow the rule for points
(``point_rules``), every member must be one it names, match its size and SHA-256, and
appear once; nothing is written to the site, and the point is listed only once all of
it is stored.  Item identities and problems are read again from the bytes, never taken
from the file.  Its modification times are not trusted (they describe another copy), so
the first create after an import reads every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tarfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from pydantic import TypeAdapter, ValidationError

from publisher_restore.errors import (
    HostileInputError,
    ObjectExistsError,
    StorageError,
)
from publisher_restore.faults import crash_point
from publisher_restore.progress import Progress
from publisher_restore.restore import index_chunks
from publisher_restore.restore.archive.member import MemberStream
from publisher_restore.restore.archive.read import LeadingManifest, VerifiedArchive
from publisher_restore.restore.contents import Identity, Location, PointContents
from publisher_restore.restore.create import is_item_file
from publisher_restore.restore.manifest import FileRecord, Manifest, ProblemRecord
from publisher_restore.restore.objects import (
    BLOCK_TARGET,
    LARGE_FILE,
    compressor,
    file_name,
)
from publisher_restore.restore.packing import item_identity
from publisher_restore.restore.point_reader import reader_for
from publisher_restore.restore.point_rules import validate_point
from publisher_restore.restore.point_writer import PointWriter
from publisher_restore.restore.store import PointBody, RestorePointStore
from publisher_restore.site import Site
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.sources import over_limit
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

MANIFEST_MEMBER = ".publisher-restore/point.json"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
_POINT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_RECORDS = TypeAdapter(list[FileRecord])
ProgressCallback = Callable[[int], None]

ReadIdentity = Identity | ParseProblem | None
"""What reading a member's identity found (None: not an item file)."""
Row = tuple[FileRecord, Location, ReadIdentity]


def export_point(
    store: RestorePointStore, point: Manifest, out: BinaryIO, progress: Progress
) -> int:
    """Write ``point`` as a ``.tar.zst`` stream to ``out``; returns the bytes written."""
    document = json.dumps(point.full_dump(), indent=1, ensure_ascii=False).encode("utf-8")
    progress.begin("export", files=point.file_count, total_bytes=point.content_bytes)
    counting = _Counting(out)
    stamp = int(point.created.timestamp())
    zstd_out = compressor().stream_writer(counting, closefd=False)  # type: ignore[arg-type]
    with zstd_out, tarfile.open(fileobj=zstd_out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, MANIFEST_MEMBER, len(document), stamp, iter([document]))
        contents = point.contents()
        members = reader_for(store, point).members(lambda n: progress.advance(nbytes=n))
        for record, chunks in members:
            row = contents.row(record.path)
            mtime = contents.mtimes[row] // 1_000_000_000 if row is not None else 0
            _add(tar, record.path, record.size, mtime or stamp, chunks)
            progress.advance(files=1)
    progress.end()
    return counting.written


def import_point(
    site: Site, store: RestorePointStore, source: BinaryIO, progress: Progress
) -> Manifest:
    """Store the point in an exported file (the caller holds the site lock)."""
    store.remove_orphans()
    reading = _Reading(site, store)
    archive = VerifiedArchive(
        source, [], leading=LeadingManifest(MANIFEST_MEMBER, MAX_MANIFEST_BYTES, reading.header)
    )
    members = iter(archive)
    first = next(members, None)  # reads the manifest member, then the first file
    header = reading.manifest
    assert header is not None
    store.begin_writing(header.id, "import")
    writer = PointWriter(store.provider, {})
    try:
        with store.provider.write_batch():
            contents = _store_members(first, members, writer, site, progress)
            writer.wait()
            crash_point("import-objects")
            index = writer.add_index(index_chunks.encode(contents))
            writer.finish()
    except BaseException:
        writer.abandon()
        writer.remove_new()
        raise
    body = PointBody(index=index, objects=dict(writer.sizes))
    manifest = _imported_header(header, contents, body, writer)
    store.publish(manifest, body)
    store.end_writing(header.id)
    return manifest.adopt_contents(contents)


class _Reading:
    """Reads and judges the manifest member before any file is read."""

    def __init__(self, site: Site, store: RestorePointStore) -> None:
        self.site = site
        self.store = store
        self.manifest: Manifest | None = None

    def header(self, data: bytes) -> Sequence[FileRecord]:
        try:
            document = json.loads(data)
            if not isinstance(document, dict):
                raise ValueError("not a JSON object")
            files = _RECORDS.validate_python(document.pop("files", []))
            for extra in ("items", "problems"):
                document.pop(extra, None)
            manifest = Manifest.model_validate(document)
        except (ValueError, ValidationError) as error:
            raise HostileInputError(
                f"{MANIFEST_MEMBER}: not a restore-point manifest ({error})"
            ) from None
        if not _POINT_ID.match(manifest.id):
            raise HostileInputError(f"{MANIFEST_MEMBER}: {manifest.id!r} is not a restore point id")
        contents = PointContents()
        for record in sorted(files, key=lambda r: r.path):
            contents.add(record.path, record.size, 0, record.sha256, record.scope)
        manifest.adopt_contents(contents)
        validate_point(self.site, manifest)  # the one rule for what a point may hold
        if self.store.provider.stat(f"points/{manifest.id}/manifest.v2") is not None or (
            self.store.provider.stat(f"points/{manifest.id}/manifest.json") is not None
        ):
            raise ObjectExistsError(
                f"restore point {manifest.id} is already in this site's storage; "
                "nothing was imported"
            )
        self.manifest = manifest
        return files


def _store_members(
    first: tuple[FileRecord, MemberStream] | None,
    rest: Iterator[tuple[FileRecord, MemberStream]],
    writer: PointWriter,
    site: Site,
    progress: Progress,
) -> PointContents:
    """Every member stored (small ones packed, large ones on their own), identities read."""
    rows: dict[str, Row] = {}
    block: list[tuple[FileRecord, bytes, ReadIdentity]] = []
    filled = 0
    temp_dir = site.make_state_dir() / "tmp"
    temp_dir.mkdir(parents=True, exist_ok=True)
    members = [first] if first is not None else []
    for record, member in _chain(members, rest):
        progress.advance(files=1, nbytes=record.size)
        if record.size >= LARGE_FILE:
            slot, identity = _store_large(record, member, writer, temp_dir)
            rows[record.path] = (record, Location(slot), identity)
            continue
        data = member.read()
        member.finish()
        identity = (
            item_identity(data, record.path) if is_item_file(record.path, record.scope) else None
        )
        block.append((record, data, identity))
        filled += len(data)
        if filled >= BLOCK_TARGET:
            _flush(block, writer, rows)
            block, filled = [], 0
    _flush(block, writer, rows)
    writer.seal()
    return _contents(rows, writer)


def _chain(
    first: list[tuple[FileRecord, MemberStream]], rest: Iterator[tuple[FileRecord, MemberStream]]
) -> Iterator[tuple[FileRecord, MemberStream]]:
    yield from first
    yield from rest


def _flush(
    block: list[tuple[FileRecord, bytes, ReadIdentity]],
    writer: PointWriter,
    rows: dict[str, Row],
) -> None:
    if not block:
        return
    slot, frame_offset, frame_length = writer.add_frame(
        compressor().compress(b"".join(data for _record, data, _identity in block))
    )
    offset = 0
    for record, data, identity in block:
        rows[record.path] = (record, Location(slot, frame_offset, frame_length, offset), identity)
        offset += len(data)


def _store_large(
    record: FileRecord, member: MemberStream, writer: PointWriter, temp_dir: Path
) -> tuple[int, ReadIdentity]:
    temp = temp_dir / f"import-{os.getpid()}-{record.sha256[:16]}.part"
    is_item = is_item_file(record.path, record.scope)
    kept = bytearray() if is_item and record.size <= MAX_ITEM_BYTES else None
    with open(temp, "wb") as out:
        while chunk := member.read(1 << 20):
            out.write(chunk)
            if kept is not None:
                kept += chunk
        member.finish()  # the SHA-256 is checked before the object is named for it
    identity: ReadIdentity = None
    if is_item:
        too_big = ParseProblem(path=record.path, problem=over_limit(record.size))
        identity = too_big if kept is None else item_identity(bytes(kept), record.path)
    slot = writer.add_file(file_name(record.sha256, compressed=False), temp)
    return slot, identity


def _contents(rows: dict[str, Row], writer: PointWriter) -> PointContents:
    contents = PointContents(objects=list(writer.names))
    for path in sorted(rows):
        record, location, identity = rows[path]
        if isinstance(identity, ParseProblem):
            contents.problems[path] = ProblemRecord(
                path=path, line=identity.line, problem=identity.problem
            )
            identity = None
        contents.add(path, record.size, 0, record.sha256, record.scope, location, identity)
    return contents


def _imported_header(
    header: Manifest, contents: PointContents, body: PointBody, writer: PointWriter
) -> Manifest:
    return Manifest(
        id=header.id,
        created=header.created,
        reason=header.reason,
        note=header.note,
        created_by=header.created_by,
        tool_version=header.tool_version,
        site_name=header.site_name,
        usync_folder=header.usync_folder,
        scopes=header.scopes,
        includes_media=header.includes_media,
        include=header.include,
        exclude=header.exclude,
        archive_size=sum(body.objects.values()),
        added_bytes=writer.added,
        file_count=len(contents),
        content_bytes=contents.content_bytes,
        item_count=contents.item_count,
        problem_count=len(contents.problems),
        contents_sha256=hashlib.sha256(body.to_bytes()).hexdigest(),
        trusted_before_ns=0,
        skipped=header.skipped,
    )


def _add(tar: tarfile.TarFile, path: str, size: int, mtime: int, chunks: Iterator[bytes]) -> None:
    info = tarfile.TarInfo(path)
    info.size = size
    info.mtime = mtime
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, _ChunkReader(chunks))  # type: ignore[arg-type]  # only read() is used


class _ChunkReader:
    """``read(n)`` over chunks, for tarfile (which reads a little at a time)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._chunk = memoryview(b"")

    def read(self, size: int) -> bytes:
        parts: list[bytes] = []
        wanted = size
        while wanted > 0:
            if not self._chunk:
                chunk = next(self._chunks, None)
                if chunk is None:  # the index promised more bytes than storage holds
                    raise StorageError("a stored file ended early while it was exported")
                self._chunk = memoryview(chunk)
            part = self._chunk[:wanted]
            self._chunk = self._chunk[len(part) :]
            parts.append(bytes(part))
            wanted -= len(part)
        return b"".join(parts)


class _Counting:
    """Counts the bytes written through it."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()
