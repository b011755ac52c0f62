"""Long work (create, check, restore, verify, undo, pack plans and imports) as server-side
jobs with live progress.

A job runs in its own thread and reports through the operations' ``Progress``
protocol; its state lives in this process's registry, so a page reloaded or opened in
a second tab reads the same job (``GET /api/jobs/{id}``).  Finished jobs are kept for
an hour (at most ``MAX_KEPT``) so their result can still be read.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from publisher_restore.errors import PlanOutdatedError, PublisherRestoreError
from publisher_restore.progress import Progress

MAX_KEPT = 50
KEEP_FINISHED = timedelta(hours=1)

LOG = logging.getLogger(__name__)


class JobState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobPhase(BaseModel):
    """What a job is doing now: a phase and its counts."""

    name: str
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


class JobOutcome(BaseModel):
    """What a finished job says: a sentence, where to go next, and data for its page."""

    message: str
    next_url: str | None = None
    data: dict[str, Any] = {}


class JobView(BaseModel):
    """A job as ``GET /api/jobs/{id}`` returns it."""

    id: str
    kind: str
    title: str
    state: JobState
    started: datetime
    finished: datetime | None
    phase: JobPhase | None
    phases_done: list[JobPhase]
    """Finished phases with their final counts."""
    message: str | None
    error: str | None
    outdated: bool
    """The site changed since the check (exit 12): check again."""
    next_url: str | None
    point_id: str | None
    again_url: str | None
    """Where to post to check (or plan) again when the job finds the site changed."""
    data: dict[str, Any]


Work = Callable[[Progress], JobOutcome]


@dataclass
class Job:
    """One piece of work and what it reported so far."""

    id: str
    kind: str
    title: str
    point_id: str | None
    again_url: str | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    state: JobState = JobState.RUNNING
    finished: datetime | None = None
    phase: JobPhase | None = None
    phases_done: list[JobPhase] = field(default_factory=list)
    outcome: JobOutcome | None = None
    error: str | None = None
    outdated: bool = False
    guard: threading.Lock = field(default_factory=threading.Lock, repr=False)
    ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the job to end; True when it has."""
        return self.ended.wait(seconds)

    def view(self) -> JobView:
        with self.guard:
            outcome = self.outcome
            return JobView(
                id=self.id,
                kind=self.kind,
                title=self.title,
                state=self.state,
                started=self.started,
                finished=self.finished,
                phase=self.phase.model_copy() if self.phase else None,
                phases_done=[phase.model_copy() for phase in self.phases_done],
                message=outcome.message if outcome else None,
                error=self.error,
                outdated=self.outdated,
                next_url=outcome.next_url if outcome else None,
                point_id=self.point_id,
                again_url=self.again_url,
                data=dict(outcome.data) if outcome else {},
            )


class JobProgress:
    """The ``Progress`` a job's work reports to."""

    def __init__(self, job: Job) -> None:
        self._job = job

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        with self._job.guard:
            self._finish_phase()
            self._job.phase = JobPhase(name=phase, files_total=files, bytes_total=total_bytes)

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        with self._job.guard:
            if self._job.phase is not None:
                self._job.phase.files_done += files
                self._job.phase.bytes_done += nbytes

    def end(self) -> None:
        with self._job.guard:
            self._finish_phase()

    def _finish_phase(self) -> None:
        if self._job.phase is not None:
            self._job.phases_done.append(self._job.phase)
            self._job.phase = None


class JobRegistry:
    """Jobs of this server process, newest last."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._guard = threading.Lock()

    def start(
        self,
        kind: str,
        title: str,
        work: Work,
        point_id: str | None = None,
        *,
        again_url: str | None = None,
    ) -> Job:
        """Run ``work`` in a thread as a new job; returns at once."""
        again = again_url or (f"/points/{point_id}/check" if point_id else None)
        job = Job(
            id=secrets.token_hex(8), kind=kind, title=title, point_id=point_id, again_url=again
        )
        with self._guard:
            self._forget_old()
            self._jobs[job.id] = job
        threading.Thread(target=_run, args=(job, work), name=f"job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._guard:
            return self._jobs.get(job_id)

    def recent(self) -> list[Job]:
        """Running jobs and those finished in the last hour, oldest first."""
        with self._guard:
            self._forget_old()
            return list(self._jobs.values())

    def _forget_old(self) -> None:
        horizon = datetime.now(UTC) - KEEP_FINISHED
        finished = [j for j in self._jobs.values() if j.finished is not None]
        for job in finished:
            if job.finished is not None and job.finished < horizon:
                del self._jobs[job.id]
        excess = len(self._jobs) - MAX_KEPT
        for job in [j for j in self._jobs.values() if j.finished is not None][: max(0, excess)]:
            del self._jobs[job.id]


def _run(job: Job, work: Work) -> None:
    outcome: JobOutcome | None = None
    error: str | None = None
    try:
        outcome = work(JobProgress(job))
    except PublisherRestoreError as failure:
        error = str(failure)
        job.outdated = isinstance(failure, PlanOutdatedError)
    except Exception as failure:  # a job must always finish, and say why it failed
        LOG.exception("job %s (%s) failed", job.id, job.title)
        error = f"unexpected error: {failure.__class__.__name__}: {failure}"
    with job.guard:
        if job.phase is not None:
            job.phases_done.append(job.phase)
            job.phase = None
        job.outcome, job.error = outcome, error
        job.state = JobState.FAILED if error else JobState.DONE
        job.finished = datetime.now(UTC)
    job.ended.set()
