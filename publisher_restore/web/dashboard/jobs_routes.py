"""Job pages and the JSON the pages poll: one job, and what is going on (for every tab)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from publisher_restore.web.dashboard.auth import SignedIn
from publisher_restore.web.dashboard.points import listing_version
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.jobs import JobState, JobView

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
RECENT = timedelta(minutes=2)


class Activity(BaseModel):
    """``GET /api/activity``: jobs running or just finished, and the restore points' version."""

    jobs: list[JobView]
    version: str


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, state: State, session: SignedIn) -> Response:
    job = state.jobs.get(job_id)
    if job is None:
        return render(request, "job_gone.html", {}, session=session, status=404)
    return render(request, "job.html", {"job": job.view()}, session=session)


@router.get("/api/jobs/{job_id}", response_model=None)
def job_json(job_id: str, state: State, session: SignedIn) -> JobView | JSONResponse:
    job = state.jobs.get(job_id)
    if job is None:
        return JSONResponse({"detail": f"no job {job_id} (finished jobs are kept an hour)"}, 404)
    return job.view()


@router.get("/api/activity")
def activity(state: State, session: SignedIn) -> Activity:
    horizon = datetime.now(UTC) - RECENT
    jobs = [job.view() for job in state.jobs.recent()]
    shown = [j for j in jobs if j.state is JobState.RUNNING or (j.finished or horizon) > horizon]
    return Activity(jobs=shown, version=listing_version(state))
