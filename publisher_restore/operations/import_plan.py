"""The plan of a push, pull or pack import: what it writes on the target, item by item.

A ``PreparedImport`` is plain data (printable, JSON-able, storable in the pending-plan
store, sent over HTTP): per incoming item what happens on the target (``create``,
``update``, ``delete`` or ``none``, with field details and a note where the file name or
the identity needed a decision), per site file the same, the analyser's findings (in the
decision request), and the plan token.  Push, pull and import share it; the three
subclasses only fix ``operation`` so the pending store can tell them apart.

What "write" means (``docs/pack-format.md``, README "Design notes"): uSync reads its
folder on its next import, so the plan writes item files into the target's own version
folder:

- an incoming item paired with a target item (Key, then Alias) overwrites that item's file
  and keeps the target's file name (no second file with one Key is left behind);
- a new item gets its incoming file name, never clobbering another item's file (a clash
  gets ``_<first 8 hex digits of its Key>``, as uSync's ``CheckAndFixFileClash`` does);
- an incoming Delete marker replaces the file of the item it deletes;
- with ``--mirror``, each item only the target holds, in a handler folder the pack covers,
  becomes a Delete marker (complete semantics, as the analyser counts them).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from publisher_restore.analyser.findings import AnalysisProblem, Severity, Summary
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.plans import PreparedOperation
from publisher_restore.publisher.pack_manifest import PackSelection
from publisher_restore.scopes import Scope
from publisher_restore.usync.diff import ChangeDetail

ChangeKind = Literal["create", "update", "delete", "none"]
Writes = Literal["item", "marker", "nothing"]
"""``item``: the incoming file's bytes; ``marker``: a Delete marker made here; ``nothing``."""


class ItemChange(BaseModel):
    """What one incoming item file (or, with ``--mirror``, one target-only item) does."""

    path: str
    """The target's site-relative path that is written (or would be)."""
    incoming: str | None = None
    """The pack member it comes from (None for a marker ``--mirror`` makes)."""
    item_type: str
    key: str | None = None
    alias: str = ""
    change: ChangeKind
    writes: Writes
    details: list[ChangeDetail] = Field(default_factory=list)
    note: str | None = None
    """Why a name, an identity or a marker needed a decision, in words."""
    before: str | None = None
    """SHA-256 of the target file at prepare; None when it is absent."""
    after: str | None = None
    """SHA-256 of the bytes written; None when nothing is written."""


class FileChange(BaseModel):
    """One site file (view, static file, media) the pack carries."""

    path: str
    scope: Scope
    member: str
    change: ChangeKind
    size: int
    note: str | None = None
    before: str | None = None
    after: str | None = None


class ImportOptions(BaseModel):
    """How the pack is applied."""

    model_config = ConfigDict(frozen=True)

    mirror: bool = False
    """Complete semantics: target-only items in the covered handler folders are deleted."""
    media: bool = False
    """Media files in the pack are written (without it, a pack with media is refused)."""


class PackSummary(BaseModel):
    """Which pack the plan was made from."""

    name: str
    sha256: str
    size: int
    source_site: str
    created: datetime
    usync_folder: str
    selection: PackSelection
    items: int
    files: int


class ImportInputs(BaseModel):
    """Everything an import plan depends on; its fingerprint is the plan token."""

    model_config = ConfigDict(frozen=True)

    pack_sha256: str
    options: ImportOptions
    target_folder: str
    rules: str
    """Fingerprint of the rules in force (Include/Exclude, uSync folder, analyser settings)."""
    usync_files: dict[str, str]
    """Every item file of the target's version folder: path -> SHA-256 (the pairing's input)."""
    site_files: dict[str, str]
    """Every site path the pack's files go to: path -> SHA-256, or ``absent``."""
    writes_sha256: str
    """Digest of the planned changes: a plan whose changes were altered no longer fits."""


ABSENT = "absent"


class PreparedImport(PreparedOperation):
    """A prepared push, pull or import: the plan, its findings and its token."""

    operation: OperationKind = OperationKind.IMPORT
    target: str
    """The target site (its folder name)."""
    pack: PackSummary
    options: ImportOptions
    items: list[ItemChange] = Field(default_factory=list)
    """Changes in uSync's write order (and the items left alone with a note)."""
    files: list[FileChange] = Field(default_factory=list)
    unchanged: int = 0
    """Incoming items and files the target already holds byte for byte."""
    analysis: Summary = Field(default_factory=Summary)
    problems: list[AnalysisProblem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    threshold: Severity = Severity.RISKY
    """The target policy's threshold: with nobody to ask, findings at or above it stop."""
    inputs: ImportInputs

    @property
    def writes(self) -> int:
        """How many item files and site files execute writes."""
        return sum(c.writes != "nothing" for c in self.items) + sum(
            f.after is not None for f in self.files
        )

    def summary(self) -> dict[str, Any]:
        """Counts first: what the plan prints before any detail."""
        counts = {"create": 0, "update": 0, "delete": 0, "none": 0}
        for change in self.items:
            counts[change.change] += 1
        files = {"create": 0, "update": 0, "delete": 0, "none": 0}
        for file in self.files:
            files[file.change] += 1
        return {
            "operation": self.operation.value,
            "source": self.source,
            "target": self.target,
            "items": counts,
            "files": files,
            "unchanged": self.unchanged,
            "writes": self.writes,
            "findings": self.analysis.total,
            "highest": self.request.highest.value if self.request.highest else None,
            "problems": len(self.problems),
        }

    def report(self) -> dict[str, Any]:
        """The plan as JSON, complete (``--json``)."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude={"inputs"})
        data["summary"] = self.summary()
        return data


class PreparedPush(PreparedImport):
    operation: OperationKind = OperationKind.PUSH


class PreparedPull(PreparedImport):
    operation: OperationKind = OperationKind.PULL


class PreparedPackImport(PreparedImport):
    operation: OperationKind = OperationKind.IMPORT


PLAN_TYPES: dict[OperationKind, type[PreparedImport]] = {
    OperationKind.PUSH: PreparedPush,
    OperationKind.PULL: PreparedPull,
    OperationKind.IMPORT: PreparedPackImport,
}


def plan_type_for(kind: OperationKind) -> type[PreparedImport]:
    """The plan class of a push, pull or import (for the pending-plan store)."""
    return PLAN_TYPES[kind]


def writes_digest(items: list[ItemChange], files: list[FileChange]) -> str:
    """SHA-256 over the planned changes, in order."""
    data = {
        "items": [c.model_dump(mode="json", exclude={"details"}) for c in items],
        "files": [f.model_dump(mode="json") for f in files],
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
