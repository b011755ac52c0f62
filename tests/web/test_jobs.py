"""Jobs report the operations' progress; the restore form's selection; dates for people."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.datastructures import FormData

from publisher_restore.errors import PlanOutdatedError
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.progress import Progress
from publisher_restore.runtime import Runtime
from publisher_restore.web.dashboard.restoring import BadSelection, selected_changes
from publisher_restore.web.formatting import ago, duration, sentence
from publisher_restore.web.jobs import Job, JobOutcome, JobRegistry, JobState


def finished(jobs: JobRegistry, job: Job) -> Job:
    deadline = time.monotonic() + 60
    while job.view().state is JobState.RUNNING:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return job


def test_a_create_job_records_each_phase_with_its_files_and_bytes(sample_site: Path) -> None:
    runtime = Runtime.open(sample_site, build_plugin_manager(load_entry_points=False))
    jobs = JobRegistry()

    def work(progress: Progress) -> JobOutcome:
        point = runtime.restore_points(progress).create(note="from a job")
        return JobOutcome(message="made", data={"point_id": point.id})

    view = finished(jobs, jobs.start("create", "Create", work)).view()
    assert view.state is JobState.DONE and view.error is None and view.phase is None
    point = runtime.restore_points().get(str(view.data["point_id"]))
    stored = next(p for p in view.phases_done if p.name == "store")
    assert stored.files_total == point.file_count  # a first point reads every file, counting bytes
    assert stored.bytes_done == stored.bytes_total == point.content_bytes
    assert [p.name for p in view.phases_done] == ["store"]
    assert [j.id for j in jobs.recent()] == [view.id]


def test_a_failed_job_says_why_and_whether_to_check_again() -> None:
    jobs = JobRegistry()

    def outdated(progress: Progress) -> JobOutcome:
        progress.begin("recheck", files=3, total_bytes=30)
        progress.advance(files=1, nbytes=10)
        raise PlanOutdatedError("the site changed since the check")

    def broken(progress: Progress) -> JobOutcome:
        raise KeyError("surprise")

    first = finished(jobs, jobs.start("restore", "Restore", outdated)).view()
    assert first.state is JobState.FAILED and first.outdated
    assert first.error == "the site changed since the check"
    assert [(p.name, p.files_done, p.bytes_done) for p in first.phases_done] == [("recheck", 1, 10)]
    second = finished(jobs, jobs.start("verify", "Verify", broken)).view()
    assert second.state is JobState.FAILED and not second.outdated
    assert second.error == "unexpected error: KeyError: 'surprise'"


def form(*pairs: tuple[str, str]) -> FormData:
    return FormData(list(pairs))


def test_the_restore_form_names_the_ticked_changes() -> None:
    assert selected_changes(form(("change", "0"), ("change", "2")), 3) == {0, 2}
    unticked = form(("selection", "unticked"), ("unticked", "1"))
    assert selected_changes(unticked, 3) == {0, 2}
    assert selected_changes(form(("selection", "unticked"), ("unticked", "")), 3) == {0, 1, 2}
    with pytest.raises(BadSelection, match="Tick at least one change"):
        selected_changes(form(), 3)
    for bad in ("3", "-1", "x"):
        with pytest.raises(BadSelection, match="does not have"):
            selected_changes(form(("change", bad)), 3)


def test_dates_and_waits_read_like_sentences() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=1), now) == "1 minute ago"
    assert ago(now - timedelta(hours=3, minutes=5), now) == "3 hours ago"
    assert ago(now - timedelta(days=2), now) == "2 days ago"
    assert ago(now + timedelta(hours=1), now) == "in the future"
    assert duration(45) == "45 seconds" and duration(299) == "5 minutes"
    assert sentence("the site changed; run check again") == "The site changed; run check again."
