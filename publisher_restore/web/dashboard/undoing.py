"""Undo one operation: the undo check (conflicts shown, unticked), then the undo as a job.

The check prepares the undo as the CLI's ``undo --check`` does; when some conflicts
could be put back anyway (``--force``), it prepares the forced undo too, so ticking a
conflict runs exactly what the page showed.  Unticking changes (or ticking conflicts)
narrows the checked restore to the ticked paths (``RestoreOperation.narrow``), which
refuses when any of them changed since the check.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from publisher_restore.analyser.wording import counted
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.restore import RestoreOperation
from publisher_restore.operations.undo import UndoOperation
from publisher_restore.operations.undo_plan import PreparedUndo
from publisher_restore.progress import Progress
from publisher_restore.web.dashboard.auth import SignedIn, read_form
from publisher_restore.web.dashboard.checks_store import UndoCheck
from publisher_restore.web.dashboard.history import history_of, operation_rows
from publisher_restore.web.dashboard.operation_views import (
    OperationRow,
    UndoCheckView,
    cannot_undo,
)
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.restoring import (
    QUICK_CHECK_SECONDS,
    BadSelection,
    selected_changes,
)
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.jobs import JobOutcome

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
UNDO_DEFAULT = "undo"
"""``UndoOperation.decide``'s own answer (no plugin decided): the page's checkbox decides."""


@router.post("/operations/{operation_id}/undo")
def start_undo_check(operation_id: str, state: State, session: SignedIn) -> Response:
    """Check (prepare) the undo as a job; its page then opens the undo check."""
    record = history_of(state).get(operation_id)
    point_ids = {point.id for point in state.runtime.restore_points().points()}
    why = cannot_undo(record, record.restore_point in point_ids)
    if why is not None:
        session.flash(f"Operation {record.id} cannot be undone. {why}", "error")
        return RedirectResponse(f"/operations/{record.id}", status_code=303)
    who = session.who

    def work(progress: Progress) -> JobOutcome:
        undo = UndoOperation(state.runtime.env, who, progress)
        prepared = undo.prepare(record.id)
        forced = undo.prepare(record.id, force=True) if prepared.conflicts else None
        if forced is not None and not forced.forced:
            forced = None
        entry = state.undo_checks.add(UndoCheck(record.id, prepared, forced))
        count = len(prepared.restore.plan.changes) if prepared.restore else 0
        return JobOutcome(
            message=(
                f"Checked: undoing would put back "
                f"{'1 item or file' if count == 1 else f'{count} items or files'}; "
                f"{counted(len(prepared.conflicts), 'conflict')}."
            ),
            next_url=f"/undo-checks/{entry.id}",
            data={"check_id": entry.id},
        )

    title = f"Check: undo {record.kind.value} {record.id}"
    job = state.jobs.start("undo-check", title, work, again_url=f"/operations/{record.id}/undo")
    view = job.view() if job.wait(QUICK_CHECK_SECONDS) else None
    if view is not None and view.next_url:
        return RedirectResponse(view.next_url, status_code=303)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/undo-checks/{check_id}")
def undo_check_page(request: Request, check_id: str, state: State, session: SignedIn) -> Response:
    entry = state.undo_checks.get(check_id)
    if entry is None:
        return _gone(request, session)
    check = entry.prepared
    row = _row(state, check)
    if row is None:  # its record went (or became unreadable) since the check
        state.undo_checks.discard(check_id)
        return _gone(request, session)
    view = UndoCheckView.of(check_id, check.prepared, check.forceable, row)
    return render(request, "undo_check.html", {"check": view}, session=session)


@router.post("/undo-checks/{check_id}/undo")
async def undo(request: Request, check_id: str, state: State, session: SignedIn) -> Response:
    entry = state.undo_checks.get(check_id)
    if entry is None:
        return _gone(request, session)
    form = await read_form(request)
    check = entry.prepared
    try:
        plan_paths, conflicts = _ticked(form, check)
    except BadSelection as error:
        session.flash(str(error), "error")
        return RedirectResponse(f"/undo-checks/{check_id}", status_code=303)
    pre_undo = form.get("pre_undo") == "yes"
    who = session.who

    def work(progress: Progress) -> JobOutcome:
        undo_op = UndoOperation(state.runtime.env, who, progress)
        restoring = RestoreOperation(state.runtime.env, progress)
        plan = _narrowed(check, plan_paths, conflicts, restoring)
        decision = _decision(undo_op.decide(plan), pre_undo, who)
        result = undo_op.execute(plan, decision)
        state.undo_checks.discard(check_id)
        message = (
            f"Undid {check.operation_id}: {counted(result.written, 'file')} written, "
            f"{result.deleted} removed"
            + (f"; {counted(result.conflicts, 'conflict')} left alone" if result.conflicts else "")
            + "."
            + (" A pre-undo restore point was taken first." if result.pre_undo_point else "")
        )
        next_url = f"/operations/{result.operation_id}" if result.operation_id else "/operations"
        return JobOutcome(message=message, next_url=next_url, data=result.model_dump(mode="json"))

    title = f"Undo {check.operation_id}"
    again = f"/operations/{check.operation_id}/undo"
    job = state.jobs.start("undo", title, work, again_url=again)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _row(state: DashboardState, check: UndoCheck) -> OperationRow | None:
    rows, _unreadable = operation_rows(state)
    return next((row for row in rows if row.id == check.operation_id), None)


def _ticked(form: FormData, check: UndoCheck) -> tuple[list[str], set[str]]:
    """The site paths of the ticked changes, and the ticked conflicts."""
    restore = check.prepared.restore
    changes = restore.plan.changes if restore is not None else []
    chosen = selected_changes(form, len(changes), allow_none=True)
    paths = sorted({path for index in chosen for path in changes[index].files})
    conflicts = {str(value) for value in form.getlist("conflict")}
    unknown = conflicts - check.forceable
    if unknown:
        raise BadSelection("The form named a conflict this check does not have: check again.")
    if not paths and not conflicts:
        raise BadSelection("Tick at least one change to undo (or go back to the operations).")
    return paths, conflicts


def _narrowed(
    check: UndoCheck, paths: list[str], conflicts: set[str], restoring: RestoreOperation
) -> PreparedUndo:
    """The checked undo limited to the ticked paths and conflicts."""
    base = check.forced if conflicts and check.forced is not None else check.prepared
    restore = base.restore
    assert restore is not None
    wanted = sorted(set(paths) | conflicts)
    everything = {op.path for op in restore.plan.operations}
    if set(wanted) == everything and (conflicts == check.forceable or not conflicts):
        return base
    narrowed = restoring.narrow(restore, wanted)
    return base.model_copy(
        update={
            "restore": narrowed,
            "token": narrowed.token,
            "selected": [p for p in base.selected if p in set(wanted)],
            "forced": [p for p in base.forced if p in conflicts],
        }
    )


def _decision(decided: Decision, pre_undo: bool, who: str) -> Decision:
    """A plugin's answer stands; otherwise the page's checkbox decides the pre-undo point."""
    if decided.decided_by != UNDO_DEFAULT:
        return decided
    if pre_undo:
        return Decision(choice=Choice.RESTORE_POINT, decided_by=who, reason="pre-undo point")
    return Decision(
        choice=Choice.CONTINUE, decided_by=who, reason="no pre-undo point (unticked in the page)"
    )


def _gone(request: Request, session: SignedIn) -> Response:
    context = {
        "title": "This undo check is no longer available",
        "message": (
            "Undo checks are kept for an hour, and a check is used up by its undo. Nothing "
            "was changed. Open the operation and choose Undo… again for a fresh check."
        ),
        "back_url": "/operations",
        "back_label": "Back to operations",
    }
    return render(request, "gone.html", context, session=session, status=404)
