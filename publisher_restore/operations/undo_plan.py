"""The plan of an undo: which of an operation's changes go back, and which are conflicts.

Undo restores only what one operation changed, from the restore point it took before
writing, with the partial restore (``restore_selection``): an item or file whose current
hash is the one the operation wrote goes back to the point's bytes (absent there: it is
deleted); one changed again since is a conflict, left alone unless ``--force``; one that
already holds what it held before (the operation failed on it, or it was put back) is
left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.history import OperationRecord
from publisher_restore.operations.plans import PreparedOperation
from publisher_restore.operations.restore import PreparedRestore
from publisher_restore.site import Site


class UndoConflict(BaseModel):
    """A change of the operation that undo leaves alone (unless forced), and why."""

    path: str
    kind: Literal["item", "file"]
    change: str
    item_type: str | None = None
    key: str | None = None
    alias: str | None = None
    wrote: str | None
    """The SHA-256 the operation wrote (None: it deleted the file)."""
    now: str | None
    """The SHA-256 now (None: absent)."""
    reason: str


class PreparedUndo(PreparedOperation):
    """A checked undo: the partial restore it runs, the conflicts, what is left out."""

    operation: OperationKind = OperationKind.UNDO
    undoes: str
    undoes_kind: OperationKind
    restore_point: str
    restore: PreparedRestore | None = None
    """The partial restore of the selected paths (None: nothing to put back)."""
    selected: list[str] = Field(default_factory=list)
    conflicts: list[UndoConflict] = Field(default_factory=list)
    forced: list[str] = Field(default_factory=list)
    """Conflicting paths put back anyway (``--force``)."""
    unchanged: list[str] = Field(default_factory=list)
    """Paths that already hold what they held before the operation."""
    force: bool = False

    def summary(self) -> dict[str, Any]:
        restore = self.restore.plan.summary() if self.restore is not None else None
        return {
            "undoes": self.undoes,
            "kind": self.undoes_kind.value,
            "restore_point": self.restore_point,
            "selected": len(self.selected),
            "conflicts": len(self.conflicts),
            "forced": len(self.forced),
            "unchanged": len(self.unchanged),
            "restore": restore,
            "findings": len(self.request.findings),
        }

    def report(self) -> dict[str, Any]:
        """Everything, for ``undo --check --json``."""
        return {
            "summary": self.summary(),
            "conflicts": [c.model_dump(mode="json") for c in self.conflicts],
            "forced": self.forced,
            "unchanged": self.unchanged,
            "plan": self.restore.plan.report() if self.restore is not None else None,
            "findings": [f.model_dump(mode="json") for f in self.request.findings],
        }


@dataclass(frozen=True)
class UndoContext:
    """What the undo hooks receive: the site, the operation undone and the checked undo."""

    site: Site
    record: OperationRecord
    plan: PreparedUndo


class UndoResult(BaseModel):
    """The outcome of an undo."""

    undone: str
    operation_id: str | None = None
    """The undo's own history record."""
    pre_undo_point: str | None = None
    written: int = 0
    deleted: int = 0
    conflicts: int = 0
    """Conflicting changes left alone."""
    error: str | None = None
