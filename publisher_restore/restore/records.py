"""The records a restore point lists: files, items, unreadable files, paths left out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from publisher_restore.scopes import Scope


class FileRecord(BaseModel):
    """One file of a point: site-relative path (forward slashes), size and SHA-256."""

    model_config = ConfigDict(frozen=True)

    path: str
    size: int
    sha256: str
    scope: Scope


class ItemRecord(BaseModel):
    """One uSync item of a point, as its file names it."""

    model_config = ConfigDict(frozen=True)

    item_type: str
    key: str | None
    alias: str
    path: str
    action: str | None = None


class ProblemRecord(BaseModel):
    """A file stored as bytes that could not be read as a uSync item."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int | None = None
    problem: str


class SkippedRecord(BaseModel):
    """A path in the point's scopes left out of it, and why (a symbolic link, ...)."""

    model_config = ConfigDict(frozen=True)

    path: str
    reason: str
