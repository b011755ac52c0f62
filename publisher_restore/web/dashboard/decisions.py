"""Pending decisions: pushes, pulls and imports waiting in this site's pending-plan store.

A push at a terminal (or from a remote site) that the ``Prompt`` policy stops waits in
``runtime.pending()`` while the process that prepared it polls for an answer.  These
pages show what it would do and what it costs, and record the person's answer there;
the first answer wins, and the waiting process then continues on its own (the
dashboard never executes it).  An entry nobody answers expires: the store keeps a note
of it for a day, which these pages list as expired.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from publisher_restore.errors import PlanExpiredError, PlanOutdatedError
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.import_plan import PLAN_TYPES
from publisher_restore.operations.pending import PendingListing, PendingPlan
from publisher_restore.web.dashboard.auth import SignedIn, read_form
from publisher_restore.web.dashboard.plan_views import CHOICE_WORDS, DecisionRow, ImportPlanView
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.dashboard.views import finding_row, now_utc

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
ANSWERS = {choice.value: choice for choice in (Choice.RESTORE_POINT, Choice.CONTINUE, Choice.ABORT)}


class DecisionState(BaseModel):
    """``GET /api/decisions/{id}``: where one decision stands (the page polls it)."""

    id: str
    state: str
    """``waiting``, ``answered``, ``expired`` or ``gone`` (taken by its operation, or dropped)."""


class DecisionsSummary(BaseModel):
    """``GET /api/decisions``: what the navigation's badge and the list page poll."""

    waiting: int
    """Entries nobody has answered yet."""
    ids: list[str]
    """Every live entry (answered ones too) and every expired note, to notice a change."""


def listing(state: DashboardState) -> PendingListing:
    return state.runtime.pending().listing()


@router.get("/decisions")
def decisions_page(request: Request, state: State, session: SignedIn) -> Response:
    found = listing(state)
    now = now_utc()
    context = {
        "waiting": [DecisionRow.of(entry, now) for entry in found.waiting],
        "expired": [DecisionRow.of(entry, now) for entry in found.recently_expired],
        "unreadable": found.unreadable,
        "version": _version(found),
    }
    return render(request, "decisions.html", context, session=session)


@router.get("/api/decisions")
def decisions_summary(state: State, session: SignedIn) -> DecisionsSummary:
    found = listing(state)
    return DecisionsSummary(
        waiting=sum(entry.answer is None for entry in found.waiting), ids=_version(found)
    )


@router.get("/decisions/{pending_id}")
def decision_page(request: Request, pending_id: str, state: State, session: SignedIn) -> Response:
    pending = state.runtime.pending()
    entry, expired = _find(state, pending_id)
    now = now_utc()
    if entry is None:
        gone = {"row": DecisionRow.of(expired, now) if expired else None, "id": pending_id}
        status = 200 if expired is not None else 404
        return render(request, "decision_gone.html", gone, session=session, status=status)
    plan_type = PLAN_TYPES.get(entry.operation)
    plan = None
    if plan_type is not None:
        try:
            plan = ImportPlanView.of(pending.plan(entry.id, plan_type))
        except (PlanExpiredError, PlanOutdatedError):
            return RedirectResponse(f"/decisions/{entry.id}", status_code=303)
    context: dict[str, object] = {
        "row": DecisionRow.of(entry, now),
        "plan": plan,
        "findings": [finding_row(f) for f in entry.request.findings],
        "choices": CHOICE_WORDS,
    }
    return render(request, "decision.html", context, session=session)


@router.get("/api/decisions/{pending_id}")
def decision_state(pending_id: str, state: State, session: SignedIn) -> DecisionState:
    entry, expired = _find(state, pending_id)
    if entry is not None:
        return DecisionState(id=entry.id, state="answered" if entry.answer else "waiting")
    return DecisionState(id=pending_id, state="expired" if expired else "gone")


@router.post("/decisions/{pending_id}/answer")
async def answer(request: Request, pending_id: str, state: State, session: SignedIn) -> Response:
    form = await read_form(request)
    choice = ANSWERS.get(str(form.get("choice") or ""))
    back = RedirectResponse(f"/decisions/{pending_id}", status_code=303)
    if choice is None:
        session.flash("Choose one of the three answers.", "error")
        return back
    decision = Decision(choice=choice, decided_by=session.who, reason="answered in the dashboard")
    try:
        entry = await run_in_threadpool(state.runtime.pending().answer, pending_id, decision)
    except PlanExpiredError:
        session.flash("Too late: this decision expired before the answer arrived.", "error")
        return back
    except PlanOutdatedError as refused:
        session.flash(f"Your answer was not recorded: {refused}.", "error")
        return back
    session.flash(
        f"Answered: {CHOICE_WORDS[choice.value]}. The waiting {entry.operation.value} "
        "continues on its own; its result will show in Operations."
    )
    return back


def _find(state: DashboardState, pending_id: str) -> tuple[PendingPlan | None, PendingPlan | None]:
    """(the live entry, or None; the note of its expiry, or None)."""
    pending = state.runtime.pending()
    try:
        return pending.get(pending_id), None
    except (PlanExpiredError, PlanOutdatedError):
        pass
    try:
        return None, pending.expired_entry(pending_id)
    except PlanOutdatedError:  # not an id the store could hold
        return None, None


def _version(found: PendingListing) -> list[str]:
    live = [f"{e.id}:{'answered' if e.answer else 'waiting'}" for e in found.waiting]
    return live + [f"{e.id}:expired" for e in found.recently_expired]
