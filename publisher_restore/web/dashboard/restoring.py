"""Check a restore point against the site, then restore all or the ticked part of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from publisher_restore.analyser.wording import counted
from publisher_restore.operations.restore import PreparedRestore, RestoreOperation
from publisher_restore.progress import Progress
from publisher_restore.restore.store import LATEST
from publisher_restore.web.dashboard.auth import SignedIn, read_form
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.dashboard.views import CheckView, PointRow, now_utc
from publisher_restore.web.jobs import JobOutcome

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
QUICK_CHECK_SECONDS = 2.0
"""A check done within this time opens at once; a longer one shows its job's progress."""


class BadSelection(ValueError):
    """The restore form named changes the check does not have."""


@router.post("/points/{point_id}/check")
def start_check(point_id: str, state: State, session: SignedIn) -> Response:
    """Check (prepare) a restore as a job; its page then opens the check."""
    if point_id == LATEST:
        title = "Check: restore the latest restore point"
    else:
        point = state.runtime.restore_points().get(point_id)
        title = f"Check: restore the point of {PointRow.of(point, now_utc()).created_local}"

    def work(progress: Progress) -> JobOutcome:
        prepared = state.runtime.restore(progress).prepare(point_id)
        entry = state.checks.add(prepared)
        count = len(prepared.plan.changes)
        return JobOutcome(
            message=f"Checked: restoring would change {_items_or_files(count)}.",
            next_url=f"/checks/{entry.id}",
            data={"check_id": entry.id},
        )

    job = state.jobs.start("check", title, work, None if point_id == LATEST else point_id)
    view = job.view() if job.wait(QUICK_CHECK_SECONDS) else None
    if view is not None and view.next_url:
        return RedirectResponse(view.next_url, status_code=303)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/checks/{check_id}")
def check_page(request: Request, check_id: str, state: State, session: SignedIn) -> Response:
    entry = state.checks.get(check_id)
    if entry is None:
        return render(request, "check_gone.html", {}, session=session, status=404)
    view = CheckView.of(check_id, entry.prepared, now_utc())
    return render(request, "check.html", {"check": view}, session=session)


@router.post("/checks/{check_id}/restore")
async def restore(request: Request, check_id: str, state: State, session: SignedIn) -> Response:
    entry = state.checks.get(check_id)
    if entry is None:
        return render(request, "check_gone.html", {}, session=session, status=404)
    form = await read_form(request)
    checked = entry.prepared
    try:
        selected = selected_changes(form, len(checked.plan.changes))
    except BadSelection as error:
        session.flash(str(error), "error")
        return RedirectResponse(f"/checks/{check_id}", status_code=303)
    pre_restore = form.get("pre_restore") == "yes"
    point = PointRow.of(checked.plan.point, now_utc())
    who = session.who

    def work(progress: Progress) -> JobOutcome:
        operation = RestoreOperation(state.runtime.env, progress, who=who)
        return _restore(state, check_id, checked, selected, pre_restore, operation)

    job = state.jobs.start("restore", f"Restore the point of {point.created_local}", work, point.id)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def selected_changes(form: FormData, count: int, *, allow_none: bool = False) -> set[int]:
    """The ticked changes: the page's script sends the unticked ones, a plain form the ticked."""
    if form.get("selection") == "unticked":
        unticked = _indices(str(form.get("unticked") or "").split(","), count)
        chosen = set(range(count)) - unticked
    else:
        chosen = _indices([str(v) for v in form.getlist("change")], count)
    if count and not chosen and not allow_none:
        raise BadSelection("Tick at least one change to restore (or go back to the list).")
    return chosen


def _indices(values: list[str], count: int) -> set[int]:
    found = set()
    for value in (v.strip() for v in values):
        if not value:
            continue
        if not value.isdigit() or int(value) >= count:
            raise BadSelection("The form named a change this check does not have: check again.")
        found.add(int(value))
    return found


def _restore(
    state: DashboardState,
    check_id: str,
    checked: PreparedRestore,
    selected: set[int],
    pre_restore: bool,
    operation: RestoreOperation,
) -> JobOutcome:
    changes = checked.plan.changes
    prepared = checked
    partial = len(selected) < len(changes)
    if partial:
        paths = sorted({path for index in selected for path in changes[index].files})
        prepared = operation.narrow(checked, paths)
    decision = operation.decide(prepared, pre_restore=pre_restore)
    result = operation.execute(prepared, decision)
    state.checks.discard(check_id)
    what = f"{len(selected)} of {len(changes)} changes" if partial else "every change"
    written = counted(result.written, "file")
    message = f"Restored {what}: {written} written, {result.deleted} removed." + (
        " A pre-restore restore point was taken first." if result.pre_restore_point else ""
    )
    data = {**result.model_dump(mode="json"), "partial": partial, "selected": len(selected)}
    return JobOutcome(message=message, next_url="/", data=data)


def _items_or_files(count: int) -> str:
    return f"{count} item or file" if count == 1 else f"{count} items or files"
