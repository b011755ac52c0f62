"""Taking a restore point: one pass over the site, only what changed is read.

1. The newest point (and, with media, the newest point with media) is the reference: a
   file whose size and modification time match its row there, and whose row is old
   enough to trust (``shortcut``), keeps that row (hash, stored bytes, item identity)
   without being read.  ``rehash`` reads every file.
2. Every other file is read once: hashed, its item identity read from the same bytes
   (uSync item files), and its bytes stored unless storage has them already: small
   files packed into compressed blocks on every core (``pack_pool``), large ones on
   their own (compressed when that pays), beside the reading (``large_files``).
3. The index is written as content-addressed chunks (an unchanged chunk is shared), and
   last the manifest, after every object is durable.  Before its first object the
   create leaves an intent (``creating/<id>``), removed after the manifest; a create
   killed in between lists nothing, and its objects are collected by the next create
   or prune (``RestorePointStore.collect_garbage``).

The caller holds the site lock throughout.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from publisher_restore.errors import SiteError, StorageError
from publisher_restore.faults import crash_point
from publisher_restore.progress import Progress
from publisher_restore.restore import index_chunks
from publisher_restore.restore.archive.limits import path_problem
from publisher_restore.restore.contents import Identity, Location, PointContents
from publisher_restore.restore.large_files import LargeFile, store_large_files
from publisher_restore.restore.manifest import (
    Manifest,
    ProblemRecord,
    Reason,
    Scope,
    SkippedRecord,
    new_restore_point_id,
)
from publisher_restore.restore.objects import LARGE_FILE
from publisher_restore.restore.pack_pool import IdleCores, pack_batches, worker_count
from publisher_restore.restore.packing import Packer, SmallFile
from publisher_restore.restore.point_writer import PointWriter
from publisher_restore.restore.reference import Reference, load_reference
from publisher_restore.restore.store import PointBody, RestorePointStore
from publisher_restore.site import Site, SiteFile, SkippedPath
from publisher_restore.usync.models import ParseProblem
from publisher_restore.version import __version__

BATCH_BYTES = 2 * 1024 * 1024
BATCH_FILES = 512
RACY_NS = 2_000_000_000
"""A file modified less than this before it was read could change again within the same
timestamp tick unseen, so its row is not trusted by the size-and-time shortcut."""


@dataclass(frozen=True, slots=True)
class Row:
    """One file of the new point, before the index is built."""

    size: int
    mtime: int
    sha256: str
    scope: Scope
    location: Location
    identity: Identity | ParseProblem | None


def create_restore_point(
    site: Site,
    store: RestorePointStore,
    progress: Progress,
    *,
    reason: Reason = Reason.MANUAL,
    note: str = "",
    include_media: bool = False,
    rehash: bool = False,
    operation: str = "create",
    created_by: str | None = None,
) -> Manifest:
    """Write a complete restore point; the caller holds the store lock.

    ``created_by`` names its maker (default: this process's ``user@host``).

    On any failure nothing is listed; what was stored is collected later.
    """
    store.remove_orphans()
    started_ns = time.time_ns()
    idle = IdleCores()
    skipped: list[SkippedPath] = []
    files = _checked(list(site.iter_files(include_media=include_media, skipped=skipped)))
    reference = Reference() if rehash else load_reference(store, include_media)
    point_id = new_restore_point_id()
    store.begin_writing(point_id, operation)
    crash_point("create-intent")
    writer = PointWriter(store.provider, reference.objects)
    try:
        with store.provider.write_batch():
            rows = _store_files(site, point_id, files, reference, writer, progress, idle)
            contents = _contents(rows, writer)
            writer.wait()
            crash_point("create-objects")
            index = writer.add_index(index_chunks.encode(contents))
            writer.finish()
    except BaseException:
        _give_up(store, writer, point_id)
        raise
    crash_point("create-archived")
    body = PointBody(index=index, objects=dict(writer.sizes))
    manifest = _header(site, point_id, contents, body, writer, started_ns)
    manifest = manifest.model_copy(
        update={
            "reason": reason,
            "note": note,
            "includes_media": include_media,
            "scopes": point_scopes(include_media),
            "skipped": [SkippedRecord(path=s.path, reason=s.reason) for s in skipped],
            "created_by": created_by or manifest.created_by,
        }
    )
    store.publish(manifest, body)
    crash_point("create-published")
    store.end_writing(point_id)
    return manifest.adopt_contents(contents)


def _give_up(store: RestorePointStore, writer: PointWriter, point_id: str) -> None:
    """A failed create takes back what it wrote, and its intent (best effort)."""
    writer.abandon()
    writer.remove_new()
    with contextlib.suppress(StorageError):  # the next create or prune collects, by the intent
        store.end_writing(point_id)


def point_scopes(include_media: bool) -> list[Scope]:
    """The scopes a restore point covers (and a restore of it replaces)."""
    scopes = [Scope.USYNC, Scope.VIEWS, Scope.STATIC]
    return [*scopes, Scope.MEDIA] if include_media else scopes


def is_item_file(path: str, scope: Scope) -> bool:
    """A uSync item file: read for its identity (and compared item by item by check)."""
    return scope == Scope.USYNC and path.endswith(".config")


def shortcut(row: int, contents: PointContents, trusted_before: int, site_file: SiteFile) -> bool:
    """Whether ``site_file`` may be taken to hold the bytes of ``row`` without reading it:
    same size and modification time, recorded long enough before that point was taken."""
    mtime = contents.mtimes[row]
    return (
        0 < mtime < trusted_before
        and mtime == site_file.mtime_ns
        and contents.sizes[row] == site_file.size
    )


def _checked(files: list[SiteFile]) -> list[SiteFile]:
    for site_file in files:
        problem = path_problem(site_file.path)
        if problem:
            raise SiteError(f"{site_file.path!r} cannot be stored: {problem}")
    return files


def _store_files(
    site: Site,
    point_id: str,
    files: list[SiteFile],
    reference: Reference,
    writer: PointWriter,
    progress: Progress,
    idle: IdleCores,
) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    small: list[SiteFile] = []
    large: list[SiteFile] = []
    for site_file in files:
        kept = reference.unchanged(site_file)
        if kept is not None:
            rows[site_file.path] = _kept_row(kept, site_file, writer)
        elif site_file.size >= LARGE_FILE:
            large.append(site_file)
        else:
            small.append(site_file)
    progress.begin(
        "store", files=len(small) + len(large), total_bytes=sum(f.size for f in (*small, *large))
    )
    temp = _temp_dir(site, point_id)
    with store_large_files(large, temp, writer) as large_results:
        _pack_small(small, reference, writer, rows, progress, worker_count(len(small), idle))
        for found in large_results():
            rows[found.path] = _large_row(found)
            progress.advance(files=1, nbytes=found.size)
    progress.end()
    return rows


def _pack_small(
    small: list[SiteFile],
    reference: Reference,
    writer: PointWriter,
    rows: dict[str, Row],
    progress: Progress,
    workers: int,
) -> None:
    batches = _batches(small)
    packer = Packer(known=reference.small_digests())
    scopes = {f.path: f.scope for f in small}
    for packed in pack_batches(batches, packer, workers):
        placed = [writer.add_frame(frame) for frame in packed.frames]
        for found in packed.files:
            location = _placed(found.block, found.offset, placed, found.sha256, reference, writer)
            rows[found.path] = Row(found.size, found.mtime, found.sha256, scopes[found.path],
                                   location, found.identity)  # fmt: skip
        progress.advance(files=len(packed.files), nbytes=sum(f.size for f in packed.files))


def _placed(
    block: int,
    offset: int,
    placed: list[tuple[int, int, int]],
    sha256: str,
    reference: Reference,
    writer: PointWriter,
) -> Location:
    if block >= 0:
        slot, frame_offset, frame_length = placed[block]
        return Location(slot, frame_offset, frame_length, offset)
    name, location = reference.stored(sha256)
    return location._replace(obj=writer.slot(name))


def _batches(small: list[SiteFile]) -> list[list[SmallFile]]:
    """Runs of files in path order, about ``BATCH_BYTES`` each (whole blocks mostly)."""
    batches: list[list[SmallFile]] = []
    current: list[SmallFile] = []
    filled = 0
    for site_file in small:
        is_item = is_item_file(site_file.path, site_file.scope)
        current.append(SmallFile(str(site_file.abs_path), site_file.path, is_item))
        filled += site_file.size
        if filled >= BATCH_BYTES or len(current) >= BATCH_FILES:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


def _kept_row(kept: tuple[PointContents, int], site_file: SiteFile, writer: PointWriter) -> Row:
    contents, row = kept
    location = contents.locations[row]
    assert location is not None
    slot = writer.slot(contents.objects[location.obj])
    problem = contents.problems.get(site_file.path)
    identity: Identity | ParseProblem | None = contents.identities[row]
    if problem is not None:
        identity = ParseProblem(path=problem.path, line=problem.line, problem=problem.problem)
    return Row(contents.sizes[row], contents.mtimes[row], contents.hashes[row],
               site_file.scope, location._replace(obj=slot), identity)  # fmt: skip


def _large_row(found: LargeFile) -> Row:
    return Row(found.size, found.mtime, found.sha256, found.scope, Location(found.slot),
               found.identity)  # fmt: skip


def _contents(rows: dict[str, Row], writer: PointWriter) -> PointContents:
    writer.seal()
    contents = PointContents(objects=list(writer.names))
    for path in sorted(rows):
        row = rows[path]
        identity = row.identity
        if isinstance(identity, ParseProblem):
            contents.problems[path] = ProblemRecord(
                path=path, line=identity.line, problem=identity.problem
            )
            identity = None
        contents.add(path, row.size, row.mtime, row.sha256, row.scope, row.location, identity)
    return contents


def _header(
    site: Site,
    point_id: str,
    contents: PointContents,
    body: PointBody,
    writer: PointWriter,
    started_ns: int,
) -> Manifest:
    return Manifest(
        id=point_id,
        created=datetime.now(UTC),
        created_by=_who(),
        tool_version=__version__,
        site_name=site.name,
        usync_folder=site.rel(site.usync_dir),
        include=list(site.settings.include),
        exclude=list(site.settings.exclude),
        archive_size=sum(body.objects.values()),
        added_bytes=writer.added,
        file_count=len(contents),
        content_bytes=contents.content_bytes,
        item_count=contents.item_count,
        problem_count=len(contents.problems),
        contents_sha256=hashlib.sha256(body.to_bytes()).hexdigest(),
        trusted_before_ns=started_ns - RACY_NS,
    )


def _temp_dir(site: Site, point_id: str) -> Path:
    """A fresh temp folder; leftovers of killed creates go first (the caller holds the lock)."""
    tmp = site.make_state_dir() / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    for stale in tmp.glob("create-*"):
        stale.unlink(missing_ok=True)
    return tmp


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
