"""The restore-point manifest: a versioned, self-describing record of one archive.

``list`` and ``show`` read only manifests.  The manifest is written last, so a
restore point with a manifest is complete.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from publisher_restore.scopes import Scope as Scope  # re-exported: callers name it from here

MANIFEST_VERSION = 1
ARCHIVE_FORMAT = "tar+zstd"


class Reason(StrEnum):
    """Why a restore point was taken."""

    MANUAL = "manual"
    PRE_RESTORE = "pre-restore"
    PUSH = "push"
    PULL = "pull"
    IMPORT = "import"
    SCHEDULE = "schedule"


class FileRecord(BaseModel):
    """One archived file: site-relative path (forward slashes), size and SHA-256."""

    model_config = ConfigDict(frozen=True)

    path: str
    size: int
    sha256: str
    scope: Scope


class ItemRecord(BaseModel):
    """One uSync item in the archive, as found by the item model."""

    model_config = ConfigDict(frozen=True)

    item_type: str
    key: str | None
    alias: str
    path: str
    action: str | None = None


class ProblemRecord(BaseModel):
    """A file archived as bytes that could not be read as a uSync item."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int | None = None
    problem: str


class SkippedRecord(BaseModel):
    """A path in the point's scopes left out of the archive, and why (a symbolic link, ...)."""

    model_config = ConfigDict(frozen=True)

    path: str
    reason: str


class Manifest(BaseModel):
    """Everything known about a restore point without opening its archive."""

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
    archive_format: str = ARCHIVE_FORMAT
    archive_name: str = "archive.tar.zst"
    archive_size: int = 0
    archive_sha256: str = ""
    files: list[FileRecord] = Field(default_factory=list)
    items: list[ItemRecord] = Field(default_factory=list)
    problems: list[ProblemRecord] = Field(default_factory=list)
    skipped: list[SkippedRecord] = Field(default_factory=list)

    @field_serializer("created", when_used="json")
    def _created_text(self, created: datetime) -> str:
        return utc_text(created)

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def content_bytes(self) -> int:
        return sum(f.size for f in self.files)

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
            "content_bytes": self.content_bytes,
            "file_count": self.file_count,
            "item_count": len(self.items),
            "problem_count": len(self.problems),
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
