"""What the operations pages show: the history's records as rows, their changes, undo checks."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel

from publisher_restore.operations.history import (
    ChangeRecord,
    HistoryEntry,
    OperationRecord,
)
from publisher_restore.operations.undo_plan import PreparedUndo, UndoConflict
from publisher_restore.restore.manifest import Manifest
from publisher_restore.web import formatting
from publisher_restore.web.dashboard.views import (
    ChangeGroup,
    FindingRow,
    OperationMark,
    PointRow,
    change_groups,
    finding_row,
    problem_lines,
)

KIND_VERBS = {"push": "Push", "pull": "Pull", "import": "Import", "undo": "Undo"}
HASH_SHOWN = 12


class NoteRow(BaseModel):
    """A finding as the history keeps it (code, severity, message)."""

    code: str
    severity: str
    message: str
    acknowledged: bool


class ChangeRecordRow(BaseModel):
    """One path an operation changed, with the hash before and the hash it wrote."""

    path: str
    kind: str
    change: str
    name: str
    item_type: str | None
    outcome: str
    before: str
    after: str
    error: str | None

    @classmethod
    def of(cls, change: ChangeRecord) -> ChangeRecordRow:
        return cls(
            path=change.path,
            kind=change.kind,
            change=change.change,
            name=change.alias or change.path.rsplit("/", 1)[-1],
            item_type=change.item_type,
            outcome=change.outcome,
            before=_short(change.before),
            after=_short(change.after),
            error=change.error,
        )


class OperationRow(BaseModel):
    """One operation of the history, as the list and its own page show it."""

    id: str
    kind: str
    title: str
    outcome: str
    source: str
    target: str
    who: str
    started: datetime
    started_local: str
    started_ago: str
    finished_local: str | None
    decision: str
    restore_point: str | None
    point: PointRow | None
    """The restore point it took, when it still exists."""
    undoes: str | None
    undone_by: str | None
    counts: dict[str, int]
    change_count: int
    findings: list[NoteRow]
    error: str | None
    notes: list[str]
    cannot_undo: str | None
    """Why undo is impossible (no restore point, or it is gone); None when it can be undone."""

    @classmethod
    def of(cls, entry: HistoryEntry, points: dict[str, Manifest], now: datetime) -> OperationRow:
        record = entry.record
        point = points.get(record.restore_point) if record.restore_point else None
        return cls(
            id=record.id,
            kind=record.kind.value,
            title=f"{KIND_VERBS.get(record.kind.value, record.kind.value)} from {record.source}",
            outcome=record.outcome.value,
            source=record.source,
            target=record.target,
            who=record.who,
            started=record.started,
            started_local=formatting.local_time(record.started),
            started_ago=formatting.ago(record.started, now),
            finished_local=formatting.local_time(record.finished) if record.finished else None,
            decision=decision_words(record),
            restore_point=record.restore_point,
            point=PointRow.of(point, now) if point is not None else None,
            undoes=record.undoes,
            undone_by=entry.undone_by,
            counts=dict(Counter(change.outcome for change in record.changes)),
            change_count=len(record.changes),
            findings=[
                NoteRow(
                    code=f.code,
                    severity=f.severity.value,
                    message=f.message,
                    acknowledged=f.acknowledged,
                )
                for f in record.findings
            ],
            error=record.error,
            notes=list(record.notes),
            cannot_undo=cannot_undo(record, point is not None),
        )

    def mark(self) -> OperationMark:
        label = " · ".join(
            (self.started_local, f"{self.kind} {self.outcome}", f"from {self.source}")
        )
        return OperationMark(
            id=self.id, started=self.started, kind=self.kind, outcome=self.outcome, label=label
        )


def decision_words(record: OperationRecord) -> str:
    """``restore-point, by policy (uSync:Restore:Publisher:Push is Auto)``."""
    decision = record.decision
    if decision is None:
        return "none recorded"
    by = f", by {decision.decided_by}" if decision.decided_by else ""
    why = f" ({decision.reason})" if decision.reason else ""
    return f"{decision.choice.value}{by}{why}"


def cannot_undo(record: OperationRecord, point_exists: bool) -> str | None:
    """Why this operation cannot be undone, in words, or None."""
    if record.restore_point is None:
        return (
            f"It took no restore point ({decision_words(record)}), so nothing holds what its "
            "changes replaced. Restore those items from an older restore point instead."
        )
    if not point_exists:
        return (
            f"Its restore point {record.restore_point} no longer exists (deleted or pruned), "
            "so nothing holds what its changes replaced."
        )
    return None


class ConflictRow(BaseModel):
    """A change undo leaves alone unless ticked: the path was changed since the operation."""

    path: str
    name: str
    item_type: str | None
    change: str
    reason: str
    forceable: bool
    """Ticking it puts it back anyway (it overwrites what changed since)."""

    @classmethod
    def of(cls, conflict: UndoConflict, forceable: bool) -> ConflictRow:
        return cls(
            path=conflict.path,
            name=conflict.alias or conflict.path.rsplit("/", 1)[-1],
            item_type=conflict.item_type,
            change=conflict.change,
            reason=conflict.reason,
            forceable=forceable,
        )


class UndoCheckView(BaseModel):
    """A checked undo as its page shows it."""

    check_id: str
    operation: OperationRow
    point_id: str
    groups: list[ChangeGroup]
    conflicts: list[ConflictRow]
    unchanged: list[str]
    findings: list[FindingRow]
    problems: list[str]
    blocked: list[str]
    checked_at: str

    @classmethod
    def of(
        cls,
        check_id: str,
        prepared: PreparedUndo,
        forceable: set[str],
        operation: OperationRow,
    ) -> UndoCheckView:
        restore = prepared.restore
        return cls(
            check_id=check_id,
            operation=operation,
            point_id=prepared.restore_point,
            groups=change_groups(restore.plan.changes) if restore is not None else [],
            conflicts=[ConflictRow.of(c, c.path in forceable) for c in prepared.conflicts],
            unchanged=prepared.unchanged,
            findings=[finding_row(f) for f in prepared.request.findings],
            problems=problem_lines(restore.plan.problems) if restore is not None else [],
            blocked=restore.plan.blocked if restore is not None else [],
            checked_at=formatting.local_time(prepared.prepared_at),
        )

    @property
    def change_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def _short(digest: str | None) -> str:
    if digest is None:
        return "absent"
    return digest.removeprefix("sha256:")[:HASH_SHOWN]
