"""Restore a point over the site in two steps: prepare (``check``), then execute (``restore``).

``prepare`` changes nothing (unless asked to finish an interrupted restore first)
and returns a ``PreparedRestore``: the plan, the analyser's findings on the
restore, a decision request and the plan token.  ``execute`` takes the site lock,
checks the token against the site as it is now, stages and verifies the archive,
takes a pre-restore point when the decision says so, and applies under the
journal, all under the one lock.  A partial restore (``selection``) plans, checks
and applies only the selected items and paths (``restore_selection``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from publisher_restore.analyser.wording import counted, verb
from publisher_restore.errors import (
    IntegrityError,
    PlanOutdatedError,
    RestorePointNotFoundError,
    SiteError,
)
from publisher_restore.operations.contexts import DecisionContext, RestoreContext, RestoreResult
from publisher_restore.operations.decide import ask_plugins, refuse_unless_final
from publisher_restore.operations.decisions import (
    Choice,
    Decision,
    DecisionRequest,
    OperationKind,
)
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.plans import PreparedOperation
from publisher_restore.operations.restore_inputs import (
    RestoreInputs,
    inputs_after_plan,
    inputs_now,
    manifest_digest,
)
from publisher_restore.operations.restore_points import RestorePoints
from publisher_restore.operations.restore_selection import RestoreSelection, chooser, exact_path
from publisher_restore.operations.restore_state import Recovery
from publisher_restore.operations.tokens import (
    AGAIN,
    differing_paths,
    fingerprint,
    refuse_if_files_changed,
    refuse_if_tampered,
)
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore import apply as applying
from publisher_restore.restore.check import blocked_paths, plan_restore, scan_site
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.restore.plan import FileOp, RestorePlan
from publisher_restore.restore.store import RestorePointStore


class PreparedRestore(PreparedOperation):
    """A checked restore: what it would change, its findings, its decision request and token."""

    operation: OperationKind = OperationKind.RESTORE
    plan: RestorePlan
    inputs: RestoreInputs
    recovered: str | None = None
    """What finishing an interrupted restore did before the check, if it was asked to."""
    selection: RestoreSelection | None = None
    """A partial restore's selection as asked; the paths it resolved to are in the plan."""
    recovery: Recovery | None = None
    """The same, as data: which restore it was, where it had stopped, what was done."""

    def refuse_if_blocked(self, root: Path | None = None) -> None:
        """``SiteError`` when some path cannot be written safely (a link in the way).

        With the site's ``root``, every path is looked at again now, not only as the check saw it.
        """
        blocked = list(self.plan.blocked)
        if root is not None:
            blocked += _blocked_now(root, self.plan.operations)
        if blocked:
            raise SiteError(
                f"restore refused, nothing was changed: {counted(len(blocked), 'path')} cannot "
                f"be written safely; first: {blocked[0]}"
            )


@dataclass
class RestoreOperation:
    """``check`` and ``restore`` of one site."""

    env: SiteEnvironment
    progress: Progress = field(default_factory=SilentProgress)
    who: str | None = None
    """Who the pre-restore point names as its maker (None: this process's ``user@host``)."""

    @property
    def points(self) -> RestorePoints:
        return RestorePoints(self.env, self.progress)

    def prepare(
        self,
        point_id: str,
        *,
        recover: bool = False,
        selection: RestoreSelection | None = None,
        rehash: bool = False,
    ) -> PreparedRestore:
        """What restoring ``point_id`` (or the ``selection`` of it) would change.

        ``recover``: finish a crashed restore first.  A bad ``--item`` or a ``--path``
        that matches nothing is a ``SelectionError`` (exit 2).  Files whose size and
        modification time match the point are taken as unchanged unless ``rehash``
        (which execute then also does).
        """
        recovered = self.points.recover(operation="restore") if recover else None
        self.points.refuse_if_interrupted()
        env = self.env
        point = env.store.get(point_id)
        partial = selection is not None and not selection.everything
        choose = chooser(selection, point.id) if selection is not None and partial else None
        scan = scan_site(env.site, point, self.progress, rehash=rehash)
        plan = plan_restore(
            env.site, env.store, point, self.progress, env.lifecycle.pm, choose, scan=scan
        )
        inputs = inputs_after_plan(env.site, point, plan, env.rules, scan)
        request = DecisionRequest.build(
            OperationKind.RESTORE,
            f"Take a pre-restore restore point before restoring {point.id}?",
            plan.findings,
            changes=len(plan.changes),
        )
        return PreparedRestore(
            token=fingerprint(inputs),
            source=f"restore point {point.id}",
            request=request,
            plan=plan,
            inputs=inputs,
            recovered=None if recovered is None else recovered.message,
            recovery=recovered,
            selection=selection if partial else None,
        )

    def narrow(self, prepared: PreparedRestore, paths: list[str]) -> PreparedRestore:
        """A checked restore limited to some of its changed paths (ticked in a browser).

        The narrower plan is checked again (its findings are those of the partial
        restore) and refused with ``PlanOutdatedError`` when any selected path differs
        from what ``prepared`` saw, so what executes is what the person looked at.
        """
        inputs = prepared.inputs
        outside = sorted(set(paths) - set(inputs.selection or paths))
        unknown = sorted(set(paths) - {op.path for op in prepared.plan.operations})
        if outside or unknown:
            raise IntegrityError(
                f"restore of {inputs.point_id}: {(outside or unknown)[0]!r} is not a change of "
                f"this check; {AGAIN}"
            )
        selection = RestoreSelection(paths=tuple(exact_path(path) for path in sorted(paths)))
        narrowed = self.prepare(inputs.point_id, selection=selection, rehash=inputs.rehash)
        now = narrowed.inputs
        if (now.manifest_sha256, now.rules) != (inputs.manifest_sha256, inputs.rules):
            raise PlanOutdatedError(
                f"restore point {inputs.point_id} or the site's configuration changed since "
                f"the check; {AGAIN}"
            )
        seen = {path: inputs.files[path] for path in now.selection or () if path in inputs.files}
        changed = differing_paths(seen, now.files)
        if changed:
            raise PlanOutdatedError(
                f"the site changed since the check ({counted(len(changed), 'selected file')} "
                f"{verb(len(changed), 'differs', 'differ')}, "
                f"first: {changed[0]}); {AGAIN}"
            )
        return narrowed

    def decide(self, prepared: PreparedRestore, *, pre_restore: bool = True) -> Decision:
        """The plugins' decision; without a final one, the caller's (a pre-restore point or not).

        A plugin's ``abort`` raises ``OperationCancelled`` here, before anyone is asked.
        """
        context = DecisionContext(
            site=self.env.site,
            operation=OperationKind.RESTORE,
            source=prepared.source,
            plan_token=prepared.token,
        )
        answer = ask_plugins(self.env.lifecycle, context, prepared.request)
        if answer is not None and answer.is_final:
            refuse_unless_final(answer, f"restore of {prepared.inputs.point_id}")
            return answer
        choice = Choice.RESTORE_POINT if pre_restore else Choice.CONTINUE
        return Decision(choice=choice, decided_by="caller")

    def execute(
        self, prepared: PreparedRestore, decision: Decision, *, note: str | None = None
    ) -> RestoreResult:
        """Apply a prepared restore, if the site still is as it was when it was prepared.

        ``note``: the pre-restore point's note (default: ``before restoring <id>``).
        """
        what = f"restore of {prepared.inputs.point_id}"
        refuse_unless_final(decision, what)
        refuse_if_tampered(prepared.token, prepared.inputs, what)
        prepared.refuse_if_blocked()
        with self.env.lock.hold("restore"):
            self.points.refuse_if_interrupted()
            point = self._unchanged_point(prepared)
            self._refuse_if_site_changed(prepared, point)
            plan = prepared.plan.model_copy(update={"point": point})
            _refuse_foreign_operations(plan, prepared.inputs)
            prepared.refuse_if_blocked(self.env.site.root)
            result = RestoreResult(
                restore_point=point.id, recovered=prepared.recovered, summary=plan.summary()
            )
            applying.stage(self.env.work, self.env.store, plan, self.progress)
            try:
                context = RestoreContext(self.env.site, point, plan)
                self._apply_staged(context, result, decision, note)
            finally:
                applying.discard_unapplied(self.env.work)
        return result

    def _unchanged_point(self, prepared: PreparedRestore) -> Manifest:
        """The stored manifest, refused when it is gone or differs from the plan's."""
        point_id = prepared.inputs.point_id
        if manifest_digest(prepared.plan.point) != prepared.inputs.manifest_sha256:
            raise IntegrityError(f"restore of {point_id}: the plan's manifest was altered; {AGAIN}")
        point = _stored(self.env.store, point_id)
        if manifest_digest(point) != prepared.inputs.manifest_sha256:
            raise PlanOutdatedError(f"restore point {point_id} changed since the check; {AGAIN}")
        return point

    def _refuse_if_site_changed(self, prepared: PreparedRestore, point: Manifest) -> None:
        selection = prepared.inputs.selection
        now = inputs_now(
            self.env.site, point, self.env.rules, self.progress, selection,
            rehash=prepared.inputs.rehash,
        )  # fmt: skip
        if now.rules != prepared.inputs.rules:
            raise PlanOutdatedError(
                "the site's configuration (Include/Exclude, uSync folder or analyser rules and "
                f"settings) changed since the check; {AGAIN}"
            )
        refuse_if_files_changed(prepared.inputs.files, now.files)

    def _apply_staged(
        self, context: RestoreContext, result: RestoreResult, decision: Decision, note: str | None
    ) -> None:
        point, plan = context.point, context.plan
        with self.env.lifecycle.restoring(context, result):
            if decision.choice is Choice.RESTORE_POINT and plan.operations:
                pre = self.points.create_held(
                    reason=Reason.PRE_RESTORE,
                    note=note or f"before restoring {point.id}",
                    include_media=point.includes_media,
                    created_by=self.who,
                )
                result.pre_restore_point = pre.id
            applying.apply_staged(self.env.site.root, self.env.work, self.progress)
            result.written = sum(op.action == "write" for op in plan.operations)
            result.deleted = sum(op.action == "delete" for op in plan.operations)


def _stored(store: RestorePointStore, point_id: str) -> Manifest:
    try:
        return store.get(point_id)
    except RestorePointNotFoundError:
        raise PlanOutdatedError(
            f"restore point {point_id} was deleted since the check; {AGAIN}"
        ) from None


def _refuse_foreign_operations(plan: RestorePlan, inputs: RestoreInputs) -> None:
    """Every step must be one the check could have planned: a covered path or the point's file,
    and for a partial restore one of its selected paths."""
    contents = plan.point.contents()
    selected = None if inputs.selection is None else set(inputs.selection)
    for op in plan.operations:
        row = contents.row(op.path)
        known = op.path in inputs.files or row is not None
        known = known and (selected is None or op.path in selected)
        wrong = op.action == "write" and (row is None or op.record != contents.record(row))
        if not known or wrong:
            raise IntegrityError(
                f"restore of {inputs.point_id}: the plan names {op.path!r}, which the check "
                f"could not have planned; {AGAIN}"
            )


def _blocked_now(root: Path, operations: list[FileOp]) -> list[str]:
    return blocked_paths(root, operations)
