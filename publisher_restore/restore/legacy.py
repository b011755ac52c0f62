"""Version-1 restore points (before content-addressed storage): read, never written.

A version-1 point is ``points/<id>/archive.tar.zst`` (one pax tar stream in one zstd frame)
and ``points/<id>/manifest.json``, which lists every file and item itself.  They stay
readable (list, show, check, restore, verify, export, delete); the archive is read by
the hardened reader in ``restore.archive``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, ValidationError

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.contents import PointContents
from publisher_restore.restore.manifest import (
    ARCHIVE_FORMAT,
    LEGACY_VERSION,
    FileRecord,
    ItemRecord,
    Manifest,
    ProblemRecord,
    Reason,
    Scope,
    SkippedRecord,
    unreadable_manifest,
)

LEGACY_MANIFEST = "manifest.json"
LEGACY_ARCHIVE = "archive.tar.zst"


class LegacyManifest(BaseModel):
    """A version-1 manifest as it is stored."""

    manifest_version: int = LEGACY_VERSION
    id: str
    created: datetime
    reason: Reason = Reason.MANUAL
    note: str = ""
    created_by: str = ""
    tool_version: str = ""
    site_name: str = ""
    usync_folder: str = ""
    scopes: list[Scope] = Field(default_factory=list)
    includes_media: bool = False
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    pinned: bool = False
    archive_format: str = ARCHIVE_FORMAT
    archive_name: str = LEGACY_ARCHIVE
    archive_size: int = 0
    archive_sha256: str = ""
    files: list[FileRecord] = Field(default_factory=list)
    items: list[ItemRecord] = Field(default_factory=list)
    problems: list[ProblemRecord] = Field(default_factory=list)
    skipped: list[SkippedRecord] = Field(default_factory=list)


def read_legacy(data: bytes, name: str) -> Manifest:
    """A version-1 manifest as a ``Manifest`` holding its whole index."""
    try:
        legacy = LegacyManifest.model_validate_json(data)
    except ValidationError as error:
        raise unreadable_manifest(name, error) from None
    if legacy.manifest_version != LEGACY_VERSION or legacy.archive_format != ARCHIVE_FORMAT:
        raise IntegrityError(
            f"{name}: a manifest.json of version {legacy.manifest_version} "
            f"({legacy.archive_format}) is not a version-1 restore point"
        )
    return to_manifest(legacy)


def to_manifest(legacy: LegacyManifest) -> Manifest:
    """The header and in-memory index of a version-1 point."""
    contents = PointContents(legacy_items=list(legacy.items))
    for record in sorted(legacy.files, key=lambda r: r.path):
        contents.add(record.path, record.size, 0, record.sha256, record.scope)
    contents.problems = {p.path: p for p in legacy.problems}
    header = legacy.model_dump(exclude={"files", "items", "problems"})
    manifest = Manifest(
        **header,
        file_count=len(legacy.files),
        content_bytes=sum(r.size for r in legacy.files),
        item_count=len(legacy.items),
        problem_count=len(legacy.problems),
        contents_sha256=contents.digest(),
    )
    return manifest.adopt_contents(contents)


def legacy_bytes(manifest: Manifest) -> bytes:
    """A version-1 point's manifest as it is stored (pinning rewrites it)."""
    contents = manifest.contents()
    legacy = LegacyManifest(
        **manifest.model_dump(
            include=set(LegacyManifest.model_fields) - {"files", "items", "problems"}
        ),
        files=contents.file_records(),
        items=contents.item_records(),
        problems=contents.problem_records(),
    )
    return legacy.model_dump_json(indent=2).encode("utf-8")
