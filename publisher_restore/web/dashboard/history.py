"""The operations pages: the history of pushes, pulls, imports and undos, and one operation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from publisher_restore.errors import OperationNotFoundError
from publisher_restore.operations.history import OperationHistory
from publisher_restore.restore.manifest import Manifest
from publisher_restore.web.dashboard.auth import SignedIn
from publisher_restore.web.dashboard.operation_views import ChangeRecordRow, OperationRow
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.dashboard.views import now_utc
from publisher_restore.web.formatting import local_time_zone

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
KINDS = ("push", "pull", "import", "undo")


def history_of(state: DashboardState) -> OperationHistory:
    return OperationHistory(state.runtime.env.store.provider)


def operation_rows(
    state: DashboardState, points: list[Manifest] | None = None
) -> tuple[list[OperationRow], list[str]]:
    """Every readable operation, newest first, and the records that cannot be read."""
    entries, unreadable = history_of(state).entries()
    known = points if points is not None else state.runtime.restore_points().points()
    by_id = {point.id: point for point in known}
    now = now_utc()
    return [OperationRow.of(entry, by_id, now) for entry in entries], unreadable


@router.get("/operations")
def operations_page(request: Request, state: State, session: SignedIn, kind: str = "") -> Response:
    rows, unreadable = operation_rows(state)
    kind = kind if kind in KINDS else ""
    context = {
        "rows": [row for row in rows if not kind or row.kind == kind],
        "total": len(rows),
        "kind": kind,
        "kinds": [(name, sum(row.kind == name for row in rows)) for name in KINDS],
        "unreadable": unreadable,
        "time_zone": local_time_zone(now_utc()),
    }
    return render(request, "operations.html", context, session=session)


@router.get("/operations/{operation_id}")
def operation_page(
    request: Request, operation_id: str, state: State, session: SignedIn
) -> Response:
    record = history_of(state).get(operation_id)
    points = {point.id: point for point in state.runtime.restore_points().points()}
    entries, _unreadable = history_of(state).entries()
    entry = next((e for e in entries if e.record.id == record.id), None)
    if entry is None:  # readable by id, yet not listed: the history's own error says why
        raise OperationNotFoundError(f"operation {operation_id} is not in the history")
    row = OperationRow.of(entry, points, now_utc())
    context = {
        "op": row,
        "changes": [ChangeRecordRow.of(change) for change in record.changes],
        "time_zone": local_time_zone(now_utc()),
    }
    return render(request, "operation.html", context, session=session)
