"""Undo one operation: restore only what it changed, from the restore point it took.

``prepare`` reads the operation's record and compares every path it changed with the site
now: a path holding the hash the operation wrote is put back (from the restore point; a
file the operation created is deleted); a path changed again since is a conflict, left
alone unless ``force``; a path already as it was before is left out.  The paths put back
are a partial restore of the point (``RestoreOperation.prepare(selection=...)``), so the
findings are the analyser's for the undo itself and the plan token covers exactly those
paths.  ``execute`` runs that restore, with its pre-undo restore point (unless a plugin
decides otherwise), between ``before_undo`` and ``after_undo``, and records the undo.

An operation that took no restore point cannot be undone: there is nothing to restore
its changes from, and ``prepare`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from publisher_restore.analyser.wording import counted
from publisher_restore.errors import RestorePointNotFoundError, UndoImpossibleError
from publisher_restore.operations.contexts import DecisionContext
from publisher_restore.operations.decide import ask_plugins, refuse_unless_final
from publisher_restore.operations.decisions import (
    Choice,
    Decision,
    DecisionRequest,
    OperationKind,
)
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.history import (
    ChangeRecord,
    OperationHistory,
    OperationOutcome,
    OperationRecord,
    new_operation_id,
)
from publisher_restore.operations.import_plan import ABSENT
from publisher_restore.operations.import_prepare import UNREADABLE, site_file_hash
from publisher_restore.operations.restore import PreparedRestore, RestoreOperation
from publisher_restore.operations.restore_selection import RestoreSelection, exact_path
from publisher_restore.operations.tokens import PREFIX
from publisher_restore.operations.undo_plan import (
    PreparedUndo,
    UndoConflict,
    UndoContext,
    UndoResult,
)
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore.manifest import Manifest
from publisher_restore.site import Site


@dataclass
class UndoOperation:
    """``undo`` of one site."""

    env: SiteEnvironment
    who: str
    progress: Progress = field(default_factory=SilentProgress)

    @property
    def history(self) -> OperationHistory:
        return OperationHistory(self.env.store.provider)

    def prepare(self, operation_id: str, *, force: bool = False) -> PreparedUndo:
        """What undoing ``operation_id`` would do; changes nothing."""
        record = self.history.get(operation_id)
        point = self._point_of(record)
        selected, conflicts, forced, unchanged = self._sort_changes(record, point, force)
        restore = self._restore_plan(point, selected)
        findings = restore.plan.findings if restore is not None else []
        changes = len(restore.plan.operations) if restore is not None else 0
        request = DecisionRequest.build(
            OperationKind.UNDO,
            f"Take a pre-undo restore point before undoing {record.id}?",
            findings,
            changes=changes,
        )
        return PreparedUndo(
            token=restore.token if restore is not None else f"{PREFIX}nothing-{record.id}",
            source=f"operation {record.id} ({record.kind.value} from {record.source})",
            request=request,
            undoes=record.id,
            undoes_kind=record.kind,
            restore_point=point.id,
            restore=restore,
            selected=selected,
            conflicts=conflicts,
            forced=forced,
            unchanged=unchanged,
            force=force,
        )

    def decide(self, prepared: PreparedUndo) -> Decision:
        """A plugin's final answer, else the pre-undo restore point (as a restore takes one)."""
        context = DecisionContext(
            self.env.site, OperationKind.UNDO, prepared.source, prepared.token
        )
        answer = ask_plugins(self.env.lifecycle, context, prepared.request)
        if answer is not None and answer.is_final:
            refuse_unless_final(answer, f"undo of {prepared.undoes}")
            return answer
        return Decision(choice=Choice.RESTORE_POINT, decided_by="undo", reason="pre-undo point")

    def execute(self, prepared: PreparedUndo, decision: Decision) -> UndoResult:
        """Put the selected paths back (the restore re-checks its token), then record it."""
        refuse_unless_final(decision, f"undo of {prepared.undoes}")
        left = len(prepared.conflicts) - len(prepared.forced)
        result = UndoResult(undone=prepared.undoes, conflicts=left)
        restore = prepared.restore
        if restore is None:
            return result
        record = self.history.get(prepared.undoes)
        context = UndoContext(self.env.site, record, prepared)
        with self.env.lock.hold("undo"), self.env.lifecycle.undoing(context, result):
            started = datetime.now(UTC)
            done = RestoreOperation(self.env, self.progress, who=self.who).execute(
                restore, decision, note=f"before undoing {prepared.undoes}"
            )
            result.pre_undo_point = done.pre_restore_point
            result.written, result.deleted = done.written, done.deleted
            undo_record = self._record(prepared, record, decision, started, done.pre_restore_point)
            result.operation_id = undo_record.id
        return result

    def _point_of(self, record: OperationRecord) -> Manifest:
        if record.restore_point is None:
            decision = record.decision
            why = (
                f"{decision.choice.value}, decided by {decision.decided_by}"
                + (f": {decision.reason}" if decision.reason else "")
                if decision is not None
                else "no decision recorded"
            )
            raise UndoImpossibleError(
                f"operation {record.id} ({record.kind.value} from {record.source}) cannot be "
                f"undone: it took no restore point ({why}), so nothing holds what its changes "
                "replaced; restore those items from an older point "
                "(restore ID --item TYPE:ALIAS_OR_KEY)"
            )
        try:
            return self.env.store.get(record.restore_point)
        except RestorePointNotFoundError:
            raise UndoImpossibleError(
                f"operation {record.id} cannot be undone: its restore point "
                f"{record.restore_point} no longer exists (deleted or pruned)"
            ) from None

    def _sort_changes(
        self, record: OperationRecord, point: Manifest, force: bool
    ) -> tuple[list[str], list[UndoConflict], list[str], list[str]]:
        site = self.env.site
        selected: list[str] = []
        conflicts: list[UndoConflict] = []
        forced: list[str] = []
        unchanged: list[str] = []
        for change in record.changes:
            if change.outcome == "not-attempted":
                continue
            now = _now(site_file_hash(site, change.path))
            if now == change.before:
                unchanged.append(change.path)
                continue
            reason = _conflict(change, now, _in_point(site, change, point))
            if reason is None:
                selected.append(change.path)
                continue
            conflicts.append(_conflict_of(change, now, reason))
            writable = not (now or "").startswith(UNREADABLE)
            nothing_to_do = now is None and change.before is None
            if force and writable and not nothing_to_do and _in_point(site, change, point):
                selected.append(change.path)
                forced.append(change.path)
        return selected, conflicts, forced, unchanged

    def _restore_plan(self, point: Manifest, selected: list[str]) -> PreparedRestore | None:
        if not selected:
            return None
        selection = RestoreSelection(paths=tuple(exact_path(path) for path in sorted(selected)))
        return RestoreOperation(self.env, self.progress).prepare(point.id, selection=selection)

    def _record(
        self,
        prepared: PreparedUndo,
        undone: OperationRecord,
        decision: Decision,
        started: datetime,
        pre_undo_point: str | None,
    ) -> OperationRecord:
        assert prepared.restore is not None
        before = prepared.restore.inputs.files
        identity = {change.path: change for change in undone.changes}
        changes = []
        for op in prepared.restore.plan.operations:
            known = identity.get(op.path)
            changes.append(
                ChangeRecord(
                    path=op.path,
                    kind=known.kind if known else "file",
                    change="delete"
                    if op.action == "delete"
                    else ("update" if op.path in before else "create"),
                    item_type=known.item_type if known else None,
                    key=known.key if known else None,
                    alias=known.alias if known else None,
                    before=before.get(op.path),
                    after=op.record.sha256 if op.record is not None else None,
                    outcome="written",
                )
            )
        record = OperationRecord(
            id=new_operation_id(),
            kind=OperationKind.UNDO,
            source=f"restore point {prepared.restore_point}",
            target=self.env.site.name,
            who=self.who,
            started=started,
            finished=datetime.now(UTC),
            outcome=OperationOutcome.SUCCEEDED,
            decision=decision,
            restore_point=pre_undo_point,
            undoes=undone.id,
            changes=changes,
            notes=[
                f"{counted(len(prepared.conflicts) - len(prepared.forced), 'conflict')} left alone"
            ]
            if prepared.conflicts
            else [],
        )
        self.history.save(record)
        self.env.lifecycle.operation_recorded(record)
        return record


def _in_point(site: Site, change: ChangeRecord, point: Manifest) -> bool:
    return site.scope_of(change.path) in point.scopes


def _now(value: str) -> str | None:
    return None if value == ABSENT else value


def _conflict(change: ChangeRecord, now: str | None, in_point: bool) -> str | None:
    """Why a changed path cannot simply go back, or None when it can."""
    if not in_point:
        return "the restore point does not cover it (taken without media); left alone"
    if now is not None and now.startswith(UNREADABLE):
        return f"cannot be written: {now.removeprefix(UNREADABLE)}"
    if now == change.after:
        return None
    if now is None:
        return "deleted since the operation"
    return "changed since the operation (its hash is not the one the operation wrote)"


def _conflict_of(change: ChangeRecord, now: str | None, reason: str) -> UndoConflict:
    return UndoConflict(
        path=change.path,
        kind=change.kind,
        change=change.change,
        item_type=change.item_type,
        key=change.key,
        alias=change.alias,
        wrote=change.after,
        now=now,
        reason=reason,
    )
