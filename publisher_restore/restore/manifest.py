"""The restore-point manifest: a versioned, self-describing record of one point.

A ``Manifest`` is the point's header: who, when, why, what scopes and rules, counts and
sizes.  ``list`` reads only headers.  The point's file index (every file's path, size,
modification time, SHA-256, where its bytes are stored, and for uSync files the item it
holds) is loaded on first use (``contents()``, or the ``files``/``items``/``problems``
lists built from it), so listing a site with many points never parses thousands of
records.  The manifest is written last, so a restore point with a manifest is complete.

Version 2 (this one) keeps the index in content-addressed chunks beside the point's
objects (``restore.contents``); version 1 (written by older versions) kept it in the
manifest itself, next to one tar+zstd archive per point.  Both are read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, field_serializer

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.contents import PointContents
from publisher_restore.restore.records import FileRecord as FileRecord  # re-exported
from publisher_restore.restore.records import ItemRecord as ItemRecord
from publisher_restore.restore.records import ProblemRecord as ProblemRecord
from publisher_restore.restore.records import SkippedRecord as SkippedRecord
from publisher_restore.scopes import Scope as Scope  # re-exported: callers name it from here

MANIFEST_VERSION = 2
LEGACY_VERSION = 1
OBJECTS_FORMAT = "objects"
ARCHIVE_FORMAT = "tar+zstd"
"""The format of version-1 points: one ``archive.tar.zst`` per point."""


class Reason(StrEnum):
    """Why a restore point was taken."""

    MANUAL = "manual"
    PRE_RESTORE = "pre-restore"
    PUSH = "push"
    PULL = "pull"
    IMPORT = "import"
    SCHEDULE = "schedule"


ContentsLoader = Callable[[], PointContents]


class Manifest(BaseModel):
    """Everything known about a restore point without reading its file index."""

    manifest_version: int = MANIFEST_VERSION
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
    archive_format: str = OBJECTS_FORMAT
    archive_name: str = ""
    """Version 1: the archive's name beside the manifest."""
    archive_size: int = 0
    """Bytes of stored objects the point needs (version 1: its archive's size)."""
    archive_sha256: str = ""
    """Version 1: the archive's SHA-256."""
    added_bytes: int = 0
    """Bytes this point added to the storage when it was taken (what it did not share)."""
    file_count: int = 0
    content_bytes: int = 0
    item_count: int = 0
    problem_count: int = 0
    contents_sha256: str = ""
    """SHA-256 of the point's file index: a digest of the header covers every record."""
    trusted_before_ns: int = 0
    """Files whose recorded modification time is older than this (ns since the epoch) may
    be taken as unchanged when their size and modification time still match."""
    skipped: list[SkippedRecord] = Field(default_factory=list)

    _contents: PointContents | None = PrivateAttr(default=None)
    _loader: ContentsLoader | None = PrivateAttr(default=None)

    @field_serializer("created", when_used="json")
    def _created_text(self, created: datetime) -> str:
        return utc_text(created)

    def attach(self, loader: ContentsLoader) -> Manifest:
        """Say where the file index is read from (the store does this)."""
        self._loader = loader
        return self

    def adopt_contents(self, contents: PointContents) -> Manifest:
        """Hold an index already in memory (a point just written or read whole)."""
        self._contents = contents
        return self

    def contents(self) -> PointContents:
        """The point's file index, read on first use."""
        if self._contents is None:
            if self._loader is None:
                raise RuntimeError(
                    f"restore point {self.id}: its file index is not loaded; "
                    "get the point from its store"
                )
            self._contents = self._loader()
        return self._contents

    @property
    def files(self) -> list[FileRecord]:
        """Every file of the point, in path order (built from the index)."""
        return self.contents().file_records()

    @property
    def items(self) -> list[ItemRecord]:
        """Every uSync item of the point (built from the index)."""
        return self.contents().item_records()

    @property
    def problems(self) -> list[ProblemRecord]:
        """Files of the point that could not be read as uSync items."""
        return self.contents().problem_records()

    @property
    def is_legacy(self) -> bool:
        """A version-1 point: one tar+zstd archive beside its manifest."""
        return self.manifest_version < MANIFEST_VERSION

    def full_dump(self) -> dict[str, object]:
        """The header and the whole index as JSON values (``show --json``, ``export``)."""
        contents = self.contents()
        return self.model_dump(mode="json") | {
            "files": [r.model_dump(mode="json") for r in contents.file_records()],
            "items": [r.model_dump(mode="json") for r in contents.item_records()],
            "problems": [r.model_dump(mode="json") for r in contents.problem_records()],
        }

    def summary(self) -> dict[str, object]:
        """The fields ``list --json`` prints for each restore point."""
        return {
            "id": self.id,
            "created": utc_text(self.created),
            "reason": self.reason.value,
            "note": self.note,
            "created_by": self.created_by,
            "includes_media": self.includes_media,
            "pinned": self.pinned,
            "scopes": [s.value for s in self.scopes],
            "size_bytes": self.archive_size,
            "added_bytes": self.added_bytes,
            "content_bytes": self.content_bytes,
            "file_count": self.file_count,
            "item_count": self.item_count,
            "problem_count": self.problem_count,
            "format": self.archive_format,
            "skipped": [s.model_dump() for s in self.skipped],
        }


def utc_text(moment: datetime) -> str:
    """The one timestamp form of every JSON output: ISO 8601 in UTC ending in ``Z``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_restore_point_id(now: datetime | None = None) -> str:
    """A sortable, unique id: UTC timestamp plus random suffix (newest sorts last)."""
    import secrets

    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S}{moment.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


def unreadable_manifest(name: str, error: ValidationError) -> IntegrityError:
    """The error for a manifest that does not validate: its name and the first problem."""
    problem = error.errors()[0]
    where = ".".join(str(p) for p in problem["loc"]) or "document"
    return IntegrityError(f"{name}: unreadable restore-point manifest ({where}: {problem['msg']})")
