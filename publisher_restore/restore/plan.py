"""What a restore would do: the result of ``check``, and the input of ``apply``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from publisher_restore.analyser import AnalysisProblem, Finding
from publisher_restore.restore.manifest import FileRecord, Manifest, Scope
from publisher_restore.usync.diff import ChangeDetail

ChangeKind = Literal["create", "update", "delete"]


class Change(BaseModel):
    """One reported change: a uSync item (with details) or a plain file."""

    path: str
    change: ChangeKind
    scope: Scope
    item_type: str | None = None
    key: str | None = None
    alias: str | None = None
    details: list[ChangeDetail] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    """The site paths restoring this change writes or deletes (an item that moved: both)."""


class FileOp(BaseModel):
    """One step of applying a restore: write an archived file, or delete a current one."""

    path: str
    action: Literal["write", "delete"]
    record: FileRecord | None = None


class RestorePlan(BaseModel):
    """Everything a restore of ``point`` over the site as it is now would change."""

    point: Manifest
    changes: list[Change] = Field(default_factory=list)
    operations: list[FileOp] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    problems: list[AnalysisProblem] = Field(default_factory=list)
    """Unreadable files, by side (current: the site now; incoming: the point), as ``analyse``."""
    blocked: list[str] = Field(default_factory=list)
    """Why some paths cannot be touched (links in the way); a restore refuses while any."""
    selection: list[str] | None = None
    """A partial restore: every site path it covers (changed or not); None: the whole point."""

    def summary(self) -> dict[str, Any]:
        """Counts first: what ``check`` prints before any detail."""
        counts = {"create": 0, "update": 0, "delete": 0}
        items = {"create": 0, "update": 0, "delete": 0}
        for change in self.changes:
            counts[change.change] += 1
            if change.item_type:
                items[change.change] += 1
        files = {"write": 0, "delete": 0}
        for op in self.operations:
            files[op.action] += 1
        return {
            "restore_point": self.point.id,
            "changes": sum(counts.values()),
            "by_change": counts,
            "items": items,
            "files": files,
            "findings": len(self.findings),
            "problems": len(self.problems),
            "blocked": len(self.blocked),
            "selected_paths": None if self.selection is None else len(self.selection),
        }

    def report(self, *, changes: bool = True) -> dict[str, Any]:
        """The complete machine-readable report (``check --json``); without ``changes`` the
        rest of it (a caller writes the changes one by one)."""
        report: dict[str, Any] = {
            "restore_point": self.point.summary(),
            "summary": self.summary(),
            "changes": [c.model_dump(mode="json") for c in self.changes] if changes else None,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "problems": [p.model_dump(mode="json") for p in self.problems],
            "blocked": self.blocked,
            "selection": self.selection,
        }
        if not changes:
            del report["changes"]
        return report
