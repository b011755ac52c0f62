"""Taking a restore point: archive the site's files, describe them, verify, publish."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from publisher_restore.errors import SiteError
from publisher_restore.faults import crash_point
from publisher_restore.hashing import bytes_digest
from publisher_restore.progress import Progress
from publisher_restore.restore.archive import verify_archive, write_archive
from publisher_restore.restore.manifest import (
    FileRecord,
    ItemRecord,
    Manifest,
    ProblemRecord,
    Reason,
    Scope,
    SkippedRecord,
    new_restore_point_id,
)
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import Site, SiteFile, SkippedPath
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem
from publisher_restore.usync.sources import over_limit, read_item_bytes
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES
from publisher_restore.version import __version__


def create_restore_point(
    site: Site,
    store: RestorePointStore,
    progress: Progress,
    *,
    reason: Reason = Reason.MANUAL,
    note: str = "",
    include_media: bool = False,
) -> Manifest:
    """Write a complete restore point; the caller holds the store lock.

    On any failure nothing is listed and the temporary archive is removed.
    """
    store.remove_orphans()
    skipped: list[SkippedPath] = []
    files = list(site.iter_files(include_media=include_media, skipped=skipped))
    point_id = new_restore_point_id()
    archive_path = _temp_archive_path(site, point_id)
    try:
        records = _write(archive_path, files, progress)
        crash_point("create-archived")
        manifest = _describe(site, point_id, files, records, reason, note, include_media)
        left_out = [SkippedRecord(path=s.path, reason=s.reason) for s in skipped]
        manifest = manifest.model_copy(update={"skipped": left_out})
        manifest = _verified(manifest, archive_path, progress)
        progress.begin("store", files=1, total_bytes=manifest.archive_size)
        store.publish(manifest, archive_path, progress=lambda n: progress.advance(nbytes=n))
        progress.end()
    finally:
        archive_path.unlink(missing_ok=True)
    return manifest


def point_scopes(include_media: bool) -> list[Scope]:
    """The scopes a restore point covers (and a restore of it replaces)."""
    scopes = [Scope.USYNC, Scope.VIEWS, Scope.STATIC]
    return [*scopes, Scope.MEDIA] if include_media else scopes


def _temp_archive_path(site: Site, point_id: str) -> Path:
    """A fresh temp path; leftovers of killed creates go first (the caller holds the lock)."""
    tmp = site.make_state_dir() / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    for stale in tmp.glob("create-*.tar.zst"):
        stale.unlink(missing_ok=True)
    return tmp / f"create-{point_id}.tar.zst"


def _write(archive_path: Path, files: Sequence[SiteFile], progress: Progress) -> list[FileRecord]:
    progress.begin("archive", files=len(files), total_bytes=sum(f.size for f in files))
    with archive_path.open("wb") as out:
        records = write_archive(out, files, progress=lambda n: progress.advance(nbytes=n))
    progress.end()
    return records


def _verified(manifest: Manifest, archive_path: Path, progress: Progress) -> Manifest:
    """Re-read the written archive against the manifest before anyone can list it."""
    progress.begin("verify", files=manifest.file_count, total_bytes=manifest.content_bytes)
    with archive_path.open("rb") as stream:
        report = verify_archive(
            stream, manifest.files, progress=lambda n: progress.advance(nbytes=n)
        )
    progress.end()
    return manifest.model_copy(
        update={"archive_size": report.archive_bytes, "archive_sha256": report.archive_sha256}
    )


def _describe(
    site: Site,
    point_id: str,
    files: Sequence[SiteFile],
    records: list[FileRecord],
    reason: Reason,
    note: str,
    include_media: bool,
) -> Manifest:
    items, problems = _usync_items(files, records)
    return Manifest(
        id=point_id,
        created=datetime.now(UTC),
        reason=reason,
        note=note,
        created_by=_who(),
        tool_version=__version__,
        site_name=site.name,
        usync_folder=site.rel(site.usync_dir),
        scopes=point_scopes(include_media),
        includes_media=include_media,
        include=list(site.settings.include),
        exclude=list(site.settings.exclude),
        files=records,
        items=items,
        problems=problems,
    )


def _usync_items(
    files: Sequence[SiteFile], records: list[FileRecord]
) -> tuple[list[ItemRecord], list[ProblemRecord]]:
    """Parse the archived uSync files from the same bytes that were archived."""
    items: list[ItemRecord] = []
    problems: list[ProblemRecord] = []
    by_path = {f.path: f for f in files}
    for record in records:
        if record.scope != Scope.USYNC or not record.path.endswith(".config"):
            continue
        parsed = _parsed(by_path[record.path], record)
        if isinstance(parsed, ParseProblem):
            problems.append(ProblemRecord(**parsed.model_dump()))
        else:
            action = parsed.action.value if isinstance(parsed, EmptyItem) else None
            items.append(
                ItemRecord(
                    item_type=parsed.item_type,
                    key=parsed.key,
                    alias=parsed.alias,
                    path=record.path,
                    action=action,
                )
            )
    return items, problems


def _parsed(site_file: SiteFile, record: FileRecord) -> AnyItem | ParseProblem:
    """The archived bytes parsed again; one over the item size limit is listed, not read."""
    if record.size > MAX_ITEM_BYTES:
        return ParseProblem(path=record.path, problem=over_limit(record.size))
    read = read_item_bytes(site_file.abs_path, record.path)
    if isinstance(read.data, ParseProblem) or bytes_digest(read.data) != record.sha256:
        raise SiteError(f"{record.path} changed while the restore point was written; retry")
    return parse_file_bytes(read.data, record.path)


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
